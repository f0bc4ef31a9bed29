// Generated templates and random edits for the property tests of the incremental analysis and of what is kept
// between validations: templates with a bit of everything a pattern site can be, and edits that mostly change a
// word (so the incremental path runs) and sometimes change structure or break the document.
import fc from 'fast-check';

export function yamlTemplate(count: number, variant: number): string {
  const lines = ["AWSTemplateFormatVersion: '2010-09-09'", 'Parameters:', '  Stage: {Type: String}', 'Resources:'];
  for (let i = 0; i < count; i++) {
    switch ((i + variant) % 7) {
      case 0:
        lines.push(
          `  Rule${i}:`,
          '    Type: AWS::Events::Rule',
          '    Properties:',
          '      EventPattern:',
          '        source: [aws.ec2]',
          `        detail-type: ["EC2 Instance State-change Notification"]`,
          '        detail:',
          `          state: [running, {prefix: "st${i}"}]`,
          `          size: [{numeric: [">", ${i}]}]`,
        );
        break;
      case 1:
        lines.push(
          `  Rule${i}:`,
          '    Type: AWS::Events::Rule',
          '    Properties:',
          `      EventPattern: '{"source": ["app.${i}"], "detail": {"key": [{"wildcard": "a*b"}]}}'`,
          '      Targets:',
          `        - Id: t${i}`,
          '          Arn: !GetAtt Queue.Arn',
        );
        break;
      case 2:
        lines.push(
          `  # the ${i}th rule`,
          `  Rule${i}:`,
          '    Type: AWS::Events::Rule',
          '    Properties:',
          '      EventPattern: !Sub |',
          '        {',
          '          "source": ["orders.${Stage}"],',
          `          "detail": {"n": [{"numeric": ["<", ${i}]}]}`,
          '        }',
          '',
        );
        break;
      case 3:
        lines.push(
          `  Pipe${i}:`,
          '    Type: AWS::Pipes::Pipe',
          '    Properties:',
          '      SourceParameters:',
          '        FilterCriteria:',
          '          Filters:',
          `            - Pattern: "{\\"body\\": {\\"status\\": [\\"NEW${i}\\"]}}"`,
          '            - Pattern:',
          '                body: {wrong: [object]}',
        );
        break;
      case 4:
        lines.push(
          `  Fn${i}:`,
          '    Type: AWS::Serverless::Function',
          '    Properties:',
          '      Events:',
          '        Placed:',
          '          Type: EventBridgeRule',
          '          Properties:',
          '            Pattern:',
          `              source: [orders]`,
          `              detail: {total: [{numeric: [">=", ${i}]}], status: "bad"}`,
        );
        break;
      case 5:
        lines.push(`  Queue${i}:`, '    Type: AWS::SQS::Queue', '    Properties: {QueueName: q}');
        break;
      default:
        lines.push(
          `  Archive${i}:`,
          '    Type: AWS::Events::Archive',
          '    Properties:',
          '      EventPattern:',
          '        source: [orders]',
          '        detail:',
          '          flag: [{exists: true}, {anything-but: [x]}]',
        );
    }
  }
  lines.push('Outputs:', '  Out: {Value: !Ref Rule0}', '');
  return lines.join('\n');
}

export function jsonTemplate(count: number, variant: number): string {
  const entries: string[] = [];
  for (let i = 0; i < count; i++) {
    switch ((i + variant) % 4) {
      case 0:
        entries.push(
          `    "Rule${i}": {\n      "Type": "AWS::Events::Rule",\n      "Properties": {\n        "EventPattern": {\n` +
            `          "source": ["aws.ec2"],\n          "detail": {"state": ["running", {"prefix": "s${i}"}], "n": [{"numeric": [">", ${i}]}]}\n` +
            `        }\n      }\n    }`,
        );
        break;
      case 1:
        entries.push(
          `    // rule ${i}\n    "Rule${i}": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": "{\\"source\\": [\\"app.${i}\\"], \\"x\\": \\"bad\\"}"}}`,
        );
        break;
      case 2:
        entries.push(
          `    "Map${i}": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {"FilterCriteria": {"Filters": [{"Pattern": "{\\"data\\": {\\"k\\": [\\"v${i}\\"]}}"}]}}}`,
        );
        break;
      default:
        entries.push(`    "Queue${i}": {"Type": "AWS::SQS::Queue"}`);
    }
  }
  return `{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n${entries.join(',\n')}\n  },\n  "Outputs": {"A": {"Value": {"Ref": "Rule0"}}}\n}\n`;
}

/** Ways of writing the same template that the splice must get right (or decline). */
export const YAML_STYLES: readonly ((text: string) => string)[] = [
  (text) => text,
  (text) => text.replace(/\n/g, '\r\n'),
  // An anchor in the parameters, aliases in the resources.
  (text) =>
    text
      .replace('  Stage: {Type: String}', '  Stage: &stage {Type: String}')
      .replace(/( +)source: \[orders\]/g, '$1source: [orders]\n$1other: *stage'),
  // Comments at column 0 and blank lines between entries; block scalars that keep trailing lines.
  (text) =>
    text
      .replace(/\n {2}(Rule|Pipe|Queue)/g, '\n# next\n\n  $1')
      .replace(/EventPattern: !Sub \|/g, 'EventPattern: !Sub |+'),
  // Everything indented by two more, and a second document after the template.
  (text) => text.replace(/\n(?= )/g, '\n  ') + '---\nsecond: document\n',
];

// ---------------------------------------------------------------------------------------------------------------
// Edits.

export interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
  /** Move to the next letter or digit first, so that most edits change a word and the document stays valid. */
  readonly inWord: boolean;
}

export function applyEdit(text: string, e: Edit): string {
  let at = e.at % (text.length + 1);
  if (e.inWord) {
    const word = /[A-Za-z0-9]/g;
    word.lastIndex = at;
    at = word.exec(text)?.index ?? at;
  }
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
}

/** Mostly edits inside words (the incremental path runs), some that change structure or break the document. */
export const editArb: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      at: fc.nat({ max: 1_000_000 }),
      remove: fc.nat({ max: 1 }),
      insert: fc.constantFrom('x', 'a', '7', 'Z', 'ab', ''),
      inWord: fc.constant(true),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      at: fc.nat({ max: 1_000_000 }),
      remove: fc.oneof(fc.constant(0), fc.nat({ max: 12 })),
      insert: fc.constantFrom(
        ' ',
        '\n',
        '  ',
        '\n  ',
        '# c\n',
        '\n\n',
        '[',
        ']',
        '{',
        '}',
        ':',
        ',',
        '"',
        "'",
        '- ',
        '&a ',
        '*a',
        '---\n',
        '!Ref ',
        '\\',
        '|\n',
        '/*',
        '"":1,',
        '',
      ),
      inWord: fc.boolean(),
    }),
  },
);
