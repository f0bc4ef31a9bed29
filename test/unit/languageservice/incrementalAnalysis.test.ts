// Incremental analysis (only the edited `Resources` entry re-parsed) must equal a full analysis: the AST, the syntax
// problems, the pattern sites with their analyses, and the diagnostics. Property test over random edit sequences on
// generated templates, plus the cases that must fall back to a full parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, type DocumentAnalysis } from '../../../server/src/languageservice/documentAnalysis';
import { getLanguageService } from '../../../server/src/languageservice/languageService';

/** Runs per property; raise it (EBP_PROPERTY_RUNS=2000) for a longer search. */
const RUNS = Number(process.env['EBP_PROPERTY_RUNS'] ?? 150);

// ---------------------------------------------------------------------------------------------------------------
// Templates with a bit of everything a pattern site can be.

function yamlTemplate(count: number, variant: number): string {
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

function jsonTemplate(count: number, variant: number): string {
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
const YAML_STYLES: readonly ((text: string) => string)[] = [
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
// Comparing analyses.

function canonical(doc: DocumentAnalysis): unknown {
  const drop = (key: string, value: unknown): unknown => (key === 'parent' || key === 'node' ? undefined : value);
  return {
    root: JSON.parse(JSON.stringify(doc.root ?? null, drop)) as unknown,
    syntaxErrors: doc.syntaxErrors,
    sites: doc.sites.map((s) => ({
      site: JSON.parse(JSON.stringify({ ...s.site, valueNode: undefined }, drop)) as unknown,
      problems: s.analysis.problems,
      awsError: s.analysis.awsError,
      hasUnknownValues: s.analysis.hasUnknownValues,
      compiled:
        s.analysis.pattern === undefined
          ? undefined
          : (JSON.parse(JSON.stringify(s.analysis.pattern, drop)) as unknown),
      patternRoot: s.patternRoot && {
        offset: s.patternRoot.offset,
        length: s.patternRoot.length,
        type: s.patternRoot.type,
      },
      // The maps back to the document, at a few points.
      toDocument: [0, 1, 5].map((o) => s.toDocument(o, 1)),
      fromDocument: [0, 3, 9].map((d) => s.fromDocument(s.site.range.offset + d)),
    })),
  };
}

interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
  /** Move to the next letter or digit first, so that most edits change a word and the document stays valid. */
  readonly inWord: boolean;
}

function applyEdit(text: string, e: Edit): string {
  let at = e.at % (text.length + 1);
  if (e.inWord) {
    const word = /[A-Za-z0-9]/g;
    word.lastIndex = at;
    at = word.exec(text)?.index ?? at;
  }
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
}

/** Mostly edits inside words (the incremental path runs), some that change structure or break the document. */
const editArb: fc.Arbitrary<Edit> = fc.oneof(
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

function checkSequence(initial: string, uri: string, edits: readonly Edit[]): number {
  let text = initial;
  let previous = analyzeDocument(text, uri);
  let incremental = 0;
  for (const e of edits) {
    const next = applyEdit(text, e);
    const previousRoot = previous.root;
    const inc = analyzeDocument(next, uri, undefined, {}, previous);
    const full = analyzeDocument(next, uri);
    if (inc.root !== undefined && inc.root === previousRoot && next !== text) incremental++;
    assert.deepEqual(canonical(inc), canonical(full), `after edit ${JSON.stringify(e)}:\n${next}`);
    text = next;
    previous = inc;
  }
  return incremental;
}

test('property: YAML, incremental equals full after random edits', (t) => {
  let incremental = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: YAML_STYLES.length - 1 }),
      fc.array(editArb, { minLength: 1, maxLength: 10 }),
      (variant, style, edits) => {
        incremental += checkSequence(YAML_STYLES[style](yamlTemplate(9, variant)), 'file:///w/template.yaml', edits);
      },
    ),
    { numRuns: RUNS },
  );
  t.diagnostic(`the incremental path ran ${incremental} times`);
  assert.ok(incremental > 100, `the incremental path ran only ${incremental} times`);
});

test('property: JSON, incremental equals full after random edits', (t) => {
  let incremental = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 3 }),
      fc.array(editArb, { minLength: 1, maxLength: 10 }),
      (variant, edits) => {
        incremental += checkSequence(jsonTemplate(8, variant), 'file:///w/template.json', edits);
      },
    ),
    { numRuns: RUNS },
  );
  t.diagnostic(`the incremental path ran ${incremental} times`);
  assert.ok(incremental > 100, `the incremental path ran only ${incremental} times`);
});

// ---------------------------------------------------------------------------------------------------------------
// Cases.

function step(text: string, uri: string, from: string, to: string): { incremental: boolean; text: string } {
  const previous = analyzeDocument(text, uri);
  const at = text.indexOf(from);
  assert.ok(at >= 0, from);
  const next = text.slice(0, at) + to + text.slice(at + from.length);
  const root = previous.root;
  const inc = analyzeDocument(next, uri, undefined, {}, previous);
  assert.deepEqual(canonical(inc), canonical(analyzeDocument(next, uri)));
  return { incremental: inc.root === root, text: next };
}

test('an edit inside a middle entry is incremental; problems after it move with their nodes', () => {
  const uri = 'file:///w/t.yaml';
  const text = yamlTemplate(20, 0);
  assert.equal(step(text, uri, 'prefix: "st7"', 'prefix: "st7-longer"').incremental, true);
  assert.equal(step(text, uri, 'app.8', 'app.8.x').incremental, true);
  // A new line in the entry, and a whole line removed.
  assert.equal(step(text, uri, '  Rule7:\n', '  Rule7:\n    Condition: IsProd\n').incremental, true);
  const json = jsonTemplate(12, 0);
  assert.equal(step(json, 'file:///w/t.json', '"s4"', '"s4-x"').incremental, true);
});

test('edits that must fall back to a full parse', () => {
  const uri = 'file:///w/t.yaml';
  const text = yamlTemplate(8, 0);
  // The last entry, the top level, an anchor, a document marker, a line joined with the next key, a broken entry.
  assert.equal(step(text, uri, '  Rule7:\n', '  Rule7x:\n').incremental, false);
  assert.equal(step(text, uri, 'Stage: {Type: String}', 'Stage: {Type: Number}').incremental, false);
  assert.equal(step(text, uri, 'source: [aws.ec2]', 'source: &s [aws.ec2]').incremental, false);
  assert.equal(step(text, uri, '  Rule1:\n', '---\n  Rule1:\n').incremental, false);
  assert.equal(step(text, uri, 'Properties: {QueueName: q}\n', 'Properties: {QueueName: q}').incremental, false);
  assert.equal(step(text, uri, 'source: [aws.ec2]', 'source: [aws.ec2').incremental, false);
  const json = jsonTemplate(8, 0);
  // A comma removed between entries: the full parse reports it, so the splice must not hide it.
  assert.equal(
    step(json, 'file:///w/t.json', '"Queue3": {"Type": "AWS::SQS::Queue"},', '"Queue3": {"Type": "AWS::SQS::Queue"}')
      .incremental,
    false,
  );
});

test('through the facade: a sequence of versions gives the diagnostics of a fresh service', () => {
  const service = getLanguageService();
  const uri = 'file:///w/facade.yaml';
  let text = yamlTemplate(30, 2);
  const edits: [string, string][] = [
    ['source: [aws.ec2]', 'source: aws.ec2'],
    ['"app.15"', '"app.15", 5'],
    ['source: aws.ec2', 'source: [aws.ec2]'],
    ['NEW10', 'NEW10\\"x'],
    ['state: [running', 'state: [{EXISTS: true}, running'],
  ];
  for (let v = 0; v <= edits.length; v++) {
    if (v > 0) text = text.replace(edits[v - 1][0], edits[v - 1][1]);
    const doc = TextDocument.create(uri, 'yaml', v + 1, text);
    const expected = getLanguageService().doValidation(TextDocument.create(uri, 'yaml', 1, text));
    assert.deepEqual(service.doValidation(doc), expected, `version ${v + 1}`);
  }
});
