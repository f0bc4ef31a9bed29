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
          // Unknown until deploy: the lint rules still judge the other conditions.
          '          zone: [!Ref Stage]',
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
  lines.push('Outputs:', '  Out:', '    Value: !Ref Rule0', '    Description: the first rule', '');
  return lines.join('\n');
}

export function jsonTemplate(count: number, variant: number): string {
  const entries: string[] = [];
  for (let i = 0; i < count; i++) {
    switch ((i + variant) % 4) {
      case 0:
        entries.push(
          `    "Rule${i}": {\n      "Type": "AWS::Events::Rule",\n      "Properties": {\n        "EventPattern": {\n` +
            `          "source": ["aws.ec2"],\n          "detail": {"state": ["running", {"prefix": "s${i}"}], "n": [{"numeric": [">", ${i}]}], "zone": [{"Ref": "Stage"}]}\n` +
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
  return (
    `{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Parameters": {"Stage": {"Type": "String"}},\n` +
    `  "Resources": {\n${entries.join(',\n')}\n  },\n` +
    `  "Outputs": {\n    "A": {"Value": {"Ref": "Rule0"}, "Description": "the first rule"}\n  }\n}\n`
  );
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

/** Parts of a template an edit can be aimed at (found again in the current text; the whole text when missing). */
export type EditTarget = 'lastEntry' | 'endOfResources' | 'outputs' | 'parameters' | EntriesEditKind;

/**
 * Edits of whole `Resources` entries, as a user selects them: some deleted (in JSON with the comma after them, or
 * before them for the last one, or leaving one dangling), copies of some pasted before an entry or after the last,
 * or (JSON) the comma before an entry taken out (or put back).
 */
export type EntriesEditKind = 'deleteEntries' | 'pasteEntries' | 'missingComma';

export interface EntriesEdit {
  /** The first entry deleted or copied, or the one that loses the comma before it (modulo the number of entries). */
  readonly first: number;
  /** How many (1 or more; never all of them). */
  readonly count: number;
  /** The entry the copies are pasted before (modulo the number of entries plus one: after the last). */
  readonly before: number;
  /** JSON: delete the entries but not their comma. */
  readonly keepComma: boolean;
}

export interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
  /** Move to the next letter or digit first, so that most edits change a word and the document stays valid. */
  readonly inWord: boolean;
  /** Where `at` counts from: a part of the template (see EditTarget), or the whole text. */
  readonly target?: EditTarget;
  /** Inserted instead of `insert` into a JSON text. */
  readonly jsonInsert?: string;
  /** With an EntriesEditKind target: the entries (`at`, `remove` and `insert` are not used). */
  readonly entries?: EntriesEdit;
}

export function applyEdit(text: string, e: Edit): string {
  if (e.entries) return applyEntriesEdit(text, e.target as EntriesEditKind, e.entries);
  const [from, to] = e.target ? targetSpan(text, e.target) : [0, text.length];
  let at = from + (e.at % (to - from + 1));
  if (e.inWord) {
    const word = /[A-Za-z0-9]/g;
    word.lastIndex = at;
    at = word.exec(text)?.index ?? at;
  }
  let insert = e.jsonInsert !== undefined && text.startsWith('{') ? e.jsonInsert : e.insert;
  // A resource typed into YAML is indented like the other entries.
  if (e.target === 'endOfResources' && !text.startsWith('{')) {
    const extra = ' '.repeat(Math.max(0, entryIndent(text) - 2));
    insert = insert.replace(/^(?=.)/gm, extra);
  }
  return text.slice(0, at) + insert + text.slice(Math.min(text.length, at + e.remove));
}

/**
 * Where a part of a template (as generated above, then edited) lies: [from, to). The end of `Resources` is where a
 * new resource goes (the line of `Outputs:`, or the end of the last entry in JSON), the last entry runs from its key
 * to there.
 */
function targetSpan(text: string, target: EditTarget): [number, number] {
  const whole: [number, number] = [0, text.length];
  const json = text.startsWith('{');
  const outputs = json ? text.indexOf('\n  "Outputs"') : text.indexOf('\nOutputs:');
  const resources = json ? text.indexOf('"Resources"') : text.indexOf('\nResources:');
  if (outputs < 0 || resources < 0 || resources > outputs) return whole;
  // JSON: before the `}` of Resources and the line break before it.
  const resourcesEnd = json ? text.lastIndexOf('}', outputs) - 3 : outputs + 1;
  if (resourcesEnd <= resources) return whole;
  switch (target) {
    case 'endOfResources':
      return [resourcesEnd, resourcesEnd];
    case 'outputs':
      return [outputs + 1, text.length];
    case 'parameters': {
      const parameters = text.indexOf(json ? '"Parameters"' : '\nParameters:');
      return parameters >= 0 && parameters < resources ? [parameters + 1, resources] : whole;
    }
    case 'lastEntry': {
      const indent = json ? 4 : entryIndent(text);
      const key = new RegExp(`\\n {${indent}}${json ? '"' : '[A-Za-z]'}`, 'g');
      const keys = [...text.slice(resources, resourcesEnd).matchAll(key)];
      const lastKey = keys.length > 0 ? resources + keys[keys.length - 1].index + 1 : -1;
      return lastKey >= 0 ? [lastKey, resourcesEnd] : whole;
    }
    default:
      return whole;
  }
}

/**
 * The entries of `Resources`: where each key's region starts (YAML: its line; JSON: its key) and where the last one
 * ends (the end of `Resources`, as in targetSpan). Undefined when the template's parts are not found.
 */
function entryStarts(text: string): { starts: number[]; end: number } | undefined {
  const json = text.startsWith('{');
  const outputs = json ? text.indexOf('\n  "Outputs"') : text.indexOf('\nOutputs:');
  const resources = json ? text.indexOf('"Resources"') : text.indexOf('\nResources:');
  if (outputs < 0 || resources < 0 || resources > outputs) return undefined;
  const end = json ? text.lastIndexOf('}', outputs) - 3 : outputs + 1;
  if (end <= resources) return undefined;
  const key = new RegExp(`\\n {${json ? 4 : entryIndent(text)}}${json ? '"' : '[A-Za-z]'}`, 'g');
  const starts = [...text.slice(resources, end).matchAll(key)].map((m) => resources + m.index + (json ? 5 : 1));
  return starts.length > 0 ? { starts, end } : undefined;
}

function applyEntriesEdit(text: string, kind: EntriesEditKind, e: EntriesEdit): string {
  const found = entryStarts(text);
  if (!found) return text;
  const { starts, end } = found;
  const json = text.startsWith('{');
  const n = starts.length;
  const first = e.first % n;
  const count = Math.min(e.count, n - first);
  const after = first + count;
  // JSON: the comma before a key (with only whitespace and comments between).
  const commaBefore = (key: number): number | undefined => {
    const comma = text.lastIndexOf(',', key);
    return /^,\s*(\/\/[^\n]*\n\s*)?$/.test(text.slice(comma, key)) ? comma : undefined;
  };
  const cut = (from: number, to: number | undefined, insert = ''): string =>
    to === undefined || to < from ? text : text.slice(0, from) + insert + text.slice(to);
  switch (kind) {
    case 'deleteEntries': {
      if (count >= n) return text;
      if (!json) return cut(starts[first], after < n ? starts[after] : end);
      if (e.keepComma) return cut(starts[first], after < n ? commaBefore(starts[after]) : end);
      // The comma after the entries, or the one before them when they are the last.
      if (after < n) return cut(starts[first], starts[after]);
      const comma = commaBefore(starts[first]);
      return comma === undefined ? text : cut(comma, end);
    }
    case 'pasteEntries': {
      const copy = json
        ? text.slice(starts[first], after < n ? commaBefore(starts[after]) : end)
        : text.slice(starts[first], after < n ? starts[after] : end);
      const before = e.before % (n + 1);
      if (!json) return cut(before < n ? starts[before] : end, before < n ? starts[before] : end, copy);
      if (before < n) return cut(starts[before], starts[before], `${copy},\n    `);
      return cut(end, end, `,\n    ${copy}`);
    }
    case 'missingComma': {
      // A comma missing after an entry is put back; else the comma before this entry is taken out.
      if (!json) return text;
      for (const key of starts.slice(1)) {
        if (commaBefore(key) !== undefined) continue;
        const valueEnd = key - (/(?:\s|\/\/[^\n]*)*$/.exec(text.slice(0, key))?.[0].length ?? 0);
        if (text[valueEnd - 1] === '}') return cut(valueEnd, valueEnd, ',');
      }
      const comma = first === 0 ? undefined : commaBefore(starts[first]);
      return comma === undefined ? text : cut(comma, comma + 1);
    }
  }
  return text;
}

/** YAML: entries are the lines indented like the first key after `Resources` (a comment is not one). */
function entryIndent(text: string): number {
  const resources = text.indexOf('\nResources:');
  return (resources >= 0 ? /\n( +)[A-Za-z]/.exec(text.slice(resources + 1))?.[1].length : undefined) ?? 2;
}

/** A resource typed at the end of `Resources`: inserting a prefix of it gives the states on the way. */
const NEW_YAML_RESOURCE =
  '  NewRule:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern:\n        source: [aws.s3]\n' +
  '        detail: {bucket: [{prefix: "in"}]}\n';
const NEW_JSON_RESOURCE =
  ',\n    "NewRule": {\n      "Type": "AWS::Events::Rule",\n      "Properties": {"EventPattern": ' +
  '{"source": ["aws.s3"], "detail": {"bucket": [{"prefix": "in"}]}}}\n    }';

/** What is typed at the end of `Resources`: a prefix of a new resource (YAML's ends at a line end or a key's colon). */
const appendArb: fc.Arbitrary<Edit> = fc
  .record({ cut: fc.nat({ max: 1000 }), lines: fc.boolean() })
  .map(({ cut, lines }) => {
    let yaml = NEW_YAML_RESOURCE.slice(0, cut % (NEW_YAML_RESOURCE.length + 1));
    // Whole lines (or up to a key's colon) are the states a user pauses at; other cuts are syntax errors on the way.
    if (lines) yaml = yaml.slice(0, Math.max(yaml.lastIndexOf('\n'), yaml.lastIndexOf(':')) + 1);
    if (yaml.endsWith(':')) yaml += '\n';
    // JSON as typed in an editor that closes brackets and quotes as they are opened.
    const json = autoClosed(NEW_JSON_RESOURCE.slice(0, cut % (NEW_JSON_RESOURCE.length + 1)));
    return { at: 0, remove: 0, insert: yaml, jsonInsert: json, inWord: false, target: 'endOfResources' as const };
  });

// One edit in three aimed at a part of the template, the others anywhere (mostly in a middle entry).
/** A prefix of JSON text followed by the closing quote and brackets it leaves open. */
function autoClosed(prefix: string): string {
  const open: string[] = [];
  let inString = false;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') open.push('}');
    else if (c === '[') open.push(']');
    else if (c === '}' || c === ']') open.pop();
  }
  return prefix + (inString ? '"' : '') + open.reverse().join('');
}

const targetArb: fc.Arbitrary<EditTarget | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.constantFrom<EditTarget>('lastEntry', 'outputs', 'parameters') },
);

/**
 * Mostly edits inside words (the incremental path runs), some that change structure or break the document; a part
 * of them aimed at the last entry, the end of `Resources` (a new resource typed there), Outputs or Parameters.
 */
export const editArb: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      at: fc.nat({ max: 1_000_000 }),
      remove: fc.nat({ max: 1 }),
      insert: fc.constantFrom('x', 'a', '7', 'Z', 'ab', ''),
      inWord: fc.constant(true),
      target: targetArb,
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
      target: targetArb,
    }),
  },
  { weight: 2, arbitrary: appendArb },
  { weight: 3, arbitrary: entriesArb() },
);

function entriesArb(): fc.Arbitrary<Edit> {
  return fc
    .record({
      kind: fc.constantFrom<EntriesEditKind>('deleteEntries', 'pasteEntries', 'missingComma'),
      first: fc.nat({ max: 20 }),
      count: fc.integer({ min: 1, max: 3 }),
      before: fc.nat({ max: 20 }),
      keepComma: fc.boolean(),
    })
    .map(({ kind, ...entries }) => ({ at: 0, remove: 0, insert: '', inWord: false, target: kind, entries }));
}

/**
 * A batch of edits applied before one analysis (a multi-cursor edit, a Replace All, typing in several places within the
 * server's debounce): mostly edits anywhere, which then fall far apart, including ones that break the document.
 */
export const batchArb: fc.Arbitrary<readonly Edit[]> = fc.array(editArb, { minLength: 2, maxLength: 6 });

/** Applies a batch of edits, one after the other, as the changes of one `didChange`. */
export function applyBatch(text: string, edits: readonly Edit[]): string {
  return edits.reduce(applyEdit, text);
}

/**
 * The same replacement at every occurrence (Replace All): each occurrence of `from` in the text, or only the
 * `every`-th ones, becomes `to`.
 */
export function replaceAll(text: string, from: string, to: string, every = 1): string {
  let n = 0;
  return text.split(from).reduce((out, part, i) => (i === 0 ? part : out + (n++ % every === 0 ? to : from) + part), '');
}
