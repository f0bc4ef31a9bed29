// Incremental analysis (only the edited `Resources` entry re-parsed) must equal a full analysis: the AST, the syntax
// problems, the pattern sites with their analyses, and the diagnostics. Property test over random edit sequences on
// generated templates, plus the cases that must fall back to a full parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, type DocumentAnalysis } from '../../../server/src/languageservice/sites/documentAnalysis';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { yamlNestingEstimate } from '../../../server/src/languageservice/parsing/documentParser';
import { foldNesting, nestingSummary } from '../../../server/src/languageservice/parsing/incrementalParse';
import {
  applyBatch,
  applyEdit,
  batchArb,
  editArb,
  jsonTemplate,
  replaceAll,
  yamlTemplate,
  YAML_STYLES,
  type Edit,
} from './templateEdits';

/** Runs per property; raise it (EBP_PROPERTY_RUNS=2000) for a longer search. */
const RUNS = Number(process.env['EBP_PROPERTY_RUNS'] ?? 150);

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

/** How many edits of each kind the incremental path handled (a kind: the edit's target, or `syntaxError`). */
type IncrementalCounts = Record<string, number>;

/** An edit, or a batch of edits applied before one analysis. */
type Step = Edit | readonly Edit[];

function checkSequence(initial: string, uri: string, steps: readonly Step[], counts: IncrementalCounts): void {
  let text = initial;
  let previous = analyzeDocument(text, uri);
  for (const step of steps) {
    const batch = Array.isArray(step);
    const next = batch ? applyBatch(text, step as readonly Edit[]) : applyEdit(text, step as Edit);
    const previousRoot = previous.root;
    const inc = analyzeDocument(next, uri, undefined, {}, previous);
    const full = analyzeDocument(next, uri);
    if (inc.root !== undefined && inc.root === previousRoot && next !== text) {
      const kinds = batch
        ? ['batch', ...(full.syntaxErrors.length > 0 ? ['batchSyntaxError'] : [])]
        : [(step as Edit).target ?? 'anywhere', ...(full.syntaxErrors.length > 0 ? ['syntaxError'] : [])];
      for (const kind of kinds) counts[kind] = (counts[kind] ?? 0) + 1;
    }
    assert.deepEqual(
      canonical(inc),
      canonical(full),
      `after ${batch ? 'batch' : 'edit'} ${JSON.stringify(step)}:\n${next}`,
    );
    text = next;
    previous = inc;
  }
}

/** Every kind of edit must have taken the incremental path a fair number of times. */
function assertCounts(t: { diagnostic(message: string): void }, counts: IncrementalCounts, kinds: string[]): void {
  t.diagnostic(`incremental edits by kind: ${JSON.stringify(counts)}`);
  for (const kind of kinds)
    assert.ok((counts[kind] ?? 0) >= 10, `the incremental path ran ${counts[kind] ?? 0} times for ${kind}`);
}

const EDIT_KINDS = [
  'anywhere',
  'lastEntry',
  'endOfResources',
  'outputs',
  'parameters',
  'deleteEntries',
  'pasteEntries',
];
// Mostly batches of edits (several changes, far apart, analysed at once), some single edits between them.
const batchStepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: editArb },
  { weight: 3, arbitrary: batchArb },
);

test('property: YAML, incremental equals full after random edits', (t) => {
  const counts: IncrementalCounts = {};
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: YAML_STYLES.length - 1 }),
      fc.array(editArb, { minLength: 1, maxLength: 10 }),
      (variant, style, edits) => {
        checkSequence(YAML_STYLES[style](yamlTemplate(9, variant)), 'file:///w/template.yaml', edits, counts);
      },
    ),
    { numRuns: RUNS },
  );
  // YAML keeps syntax errors inside one region incremental too (a region-isolated parse: see yamlRegions.ts).
  assertCounts(t, counts, [...EDIT_KINDS, 'syntaxError']);
  assert.ok((counts['anywhere'] ?? 0) > 100);
});

test('property: JSON, incremental equals full after random edits', (t) => {
  const counts: IncrementalCounts = {};
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 3 }),
      fc.array(editArb, { minLength: 1, maxLength: 10 }),
      (variant, edits) => {
        checkSequence(jsonTemplate(8, variant), 'file:///w/template.json', edits, counts);
      },
    ),
    { numRuns: RUNS },
  );
  // JSON keeps syntax errors inside one region incremental too (read region by region: see jsonRegions.ts), and a
  // missing comma in the two regions it separates.
  assertCounts(t, counts, [...EDIT_KINDS, 'syntaxError', 'missingComma']);
  assert.ok((counts['anywhere'] ?? 0) > 100);
});

test('property: YAML, incremental equals full after batches of edits', (t) => {
  const counts: IncrementalCounts = {};
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: YAML_STYLES.length - 1 }),
      fc.array(batchStepArb, { minLength: 1, maxLength: 8 }),
      (variant, style, steps) => {
        checkSequence(YAML_STYLES[style](yamlTemplate(9, variant)), 'file:///w/template.yaml', steps, counts);
      },
    ),
    { numRuns: RUNS },
  );
  assertCounts(t, counts, ['batch', 'batchSyntaxError']);
});

test('property: JSON, incremental equals full after batches of edits', (t) => {
  const counts: IncrementalCounts = {};
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 3 }),
      fc.array(batchStepArb, { minLength: 1, maxLength: 8 }),
      (variant, steps) => {
        checkSequence(jsonTemplate(8, variant), 'file:///w/template.json', steps, counts);
      },
    ),
    { numRuns: RUNS },
  );
  assertCounts(t, counts, ['batch', 'batchSyntaxError']);
});

// ---------------------------------------------------------------------------------------------------------------
// The YAML nesting bound: a full parse refuses a document above it, and the incremental path keeps the estimate from
// summaries of the spans it did not touch.

test('property: the nesting estimate folded from line spans equals the estimate of the whole text', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(' ', ' ', '-', '?', ':', '[', ']', '{', '}', '\n', '\n', 'a', '\r'), { maxLength: 300 }),
      fc.array(fc.nat({ max: 400 }), { maxLength: 8 }),
      (chars, cuts) => {
        const text = chars.join('');
        // Spans start at line starts: cut after a random line break each.
        const lineStarts = [...text.matchAll(/\n/g)].map((m) => m.index + 1);
        const bounds = [...new Set(cuts.map((c) => lineStarts[c % Math.max(1, lineStarts.length)] ?? 0))]
          .filter((b) => b > 0)
          .sort((a, b) => a - b);
        const edges = [0, ...bounds, text.length];
        const summaries = edges.slice(1).map((end, i) => nestingSummary(text, edges[i], end));
        assert.equal(foldNesting(summaries), yamlNestingEstimate(text));
      },
    ),
    { numRuns: RUNS * 10 },
  );
});

/** A template whose nesting estimate is a few brackets below the bound (a flow collection left open in a string). */
function nearNestingBound(variant: number): string {
  const template = yamlTemplate(9, variant);
  const withBrackets = (n: number): string =>
    template.replace('Parameters:', `Description: '${'['.repeat(n)}'\nParameters:`);
  const rest = yamlNestingEstimate(withBrackets(400)) - 800;
  return withBrackets(Math.floor((1000 - rest) / 2) - 6);
}

interface NestingEdit extends Edit {
  /** Apply at the start of the line `at` falls in (before an entry's key, say). */
  readonly lineStart: boolean;
}

// Mostly comment lines inserted before a line (valid YAML that adds or closes brackets, which the estimate counts,
// and moves whatever key the line held), some word edits, and some brackets anywhere (which often break the YAML).
const nestingEditArb: fc.Arbitrary<NestingEdit> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      at: fc.nat({ max: 1_000_000 }),
      remove: fc.constant(0),
      insert: fc.constantFrom('# c\n', '# [[\n', '# [\n', '# ]]]\n', '#{[\n', '\n'),
      inWord: fc.constant(false),
      lineStart: fc.constant(true),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      at: fc.nat({ max: 1_000_000 }),
      remove: fc.nat({ max: 1 }),
      insert: fc.constantFrom('x', '7', ''),
      inWord: fc.constant(true),
      lineStart: fc.constant(false),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      at: fc.nat({ max: 1_000_000 }),
      remove: fc.nat({ max: 3 }),
      insert: fc.constantFrom('[', ']', '{', '}', '[[', '\n', '\n  ', ''),
      inWord: fc.boolean(),
      lineStart: fc.boolean(),
    }),
  },
);

function applyNestingEdit(text: string, e: NestingEdit): string {
  if (!e.lineStart) return applyEdit(text, e);
  const at = text.lastIndexOf('\n', (e.at % (text.length + 1)) - 1) + 1;
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
}

test('property: near the nesting bound, incremental equals full after edits of brackets and lines', (t) => {
  const uri = 'file:///w/deep.yaml';
  const structure = (text: string): string => (text.match(/[[\]{}\n]/g) ?? []).join('');
  let refused = 0;
  let incrementalAcrossStructure = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 6 }),
      fc.array(nestingEditArb, { minLength: 1, maxLength: 16 }),
      (variant, edits) => {
        let text = nearNestingBound(variant);
        let previous = analyzeDocument(text, uri);
        for (const e of edits) {
          const next = applyNestingEdit(text, e);
          const previousRoot = previous.root;
          const inc = analyzeDocument(next, uri, undefined, {}, previous);
          const full = analyzeDocument(next, uri);
          assert.deepEqual(canonical(inc), canonical(full), `after edit ${JSON.stringify(e)}:\n${next}`);
          if (full.root === undefined) refused++;
          if (inc.root !== undefined && inc.root === previousRoot && structure(next) !== structure(text))
            incrementalAcrossStructure++;
          text = next;
          previous = inc;
        }
      },
    ),
    { numRuns: RUNS },
  );
  t.diagnostic(`${refused} refusals; ${incrementalAcrossStructure} incremental edits of brackets or lines`);
  assert.ok(refused >= 3, `only ${refused} versions went above the bound`);
  assert.ok(incrementalAcrossStructure > 50, `only ${incrementalAcrossStructure} incremental edits of structure`);
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
  // A comment line above the first entry's key: `Resources` now starts further on.
  assert.equal(step(text, uri, '  Rule0:\n', '# the first\n  Rule0:\n').incremental, true);
  const json = jsonTemplate(12, 0);
  assert.equal(step(json, 'file:///w/t.json', '"s4"', '"s4-x"').incremental, true);
});

test('edits in the last entry, after it, and outside Resources are incremental', () => {
  const uri = 'file:///w/t.yaml';
  const text = yamlTemplate(8, 0);
  // The last entry, a resource appended after it (a bare key first), Parameters, Outputs.
  assert.equal(step(text, uri, '  Rule7:\n', '  Rule7x:\n').incremental, true);
  assert.equal(step(text, uri, 'Outputs:\n', '  NewRule:\nOutputs:\n').incremental, true);
  assert.equal(step(text, uri, 'Outputs:\n', '  NewRule:\n    Type: AWS::SQS::Queue\nOutputs:\n').incremental, true);
  assert.equal(step(text, uri, 'Stage: {Type: String}', 'Stage: {Type: Number}').incremental, true);
  assert.equal(step(text, uri, 'the first rule', 'the first rule, edited').incremental, true);
  const json = jsonTemplate(8, 0);
  const jsonUri = 'file:///w/t.json';
  assert.equal(
    step(json, jsonUri, '"Queue7": {"Type": "AWS::SQS::Queue"}', '"Queue7": {"Type": "AWS::SQS::Queue", "X": 1}')
      .incremental,
    true,
  );
  assert.equal(step(json, jsonUri, 'the first rule', 'the first rule, edited').incremental, true);
  assert.equal(step(json, jsonUri, '"Type": "String"', '"Type": "Number"').incremental, true);
  // JSON syntax errors inside one entry: a missing comma, an unclosed string; a bracket left open (jsonc-parser's
  // recovery closes it with a bracket further on), a string left open before brackets that close the entry (it would
  // take the entries after it in): each entry is read on its own (jsonRegions.ts).
  assert.equal(step(json, jsonUri, '"source": ["aws.ec2"],', '"source": ["aws.ec2"]').incremental, true);
  assert.equal(step(json, jsonUri, '"Type": "AWS::Events::Rule",', '"Type": "AWS::Events::Rule,').incremental, true);
  assert.equal(step(json, jsonUri, '"source": ["aws.ec2"],', '"source": ["aws.ec2",').incremental, true);
  assert.equal(step(json, jsonUri, '"prefix": "s4"', '"prefix": "s4').incremental, true);
});

test('whole entries deleted or pasted, and a JSON comma left out between entries, are incremental', () => {
  const uri = 'file:///w/t.yaml';
  const text = yamlTemplate(8, 0);
  // The lines of entries `from` up to `to` (or up to Outputs).
  const lines = (from: string, to?: string): string =>
    text.slice(text.indexOf(`  ${from}:\n`), to ? text.indexOf(`  ${to}:\n`) : text.indexOf('Outputs:\n'));
  // One entry, several, the first one, the last one (cut).
  assert.equal(step(text, uri, lines('Fn4', 'Queue5'), '').incremental, true);
  assert.equal(step(text, uri, lines('Pipe3', 'Archive6'), '').incremental, true);
  assert.equal(step(text, uri, lines('Rule0', 'Rule1'), '').incremental, true);
  assert.equal(step(text, uri, lines('Rule7'), '').incremental, true);
  assert.equal(step(text, uri, lines('Archive6'), '').incremental, true);
  // Pasted between two entries, after the last.
  assert.equal(step(text, uri, '  Queue5:\n', lines('Fn4', 'Queue5') + '  Queue5:\n').incremental, true);
  assert.equal(step(text, uri, 'Outputs:\n', lines('Rule1', 'Fn4') + 'Outputs:\n').incremental, true);

  const json = jsonTemplate(8, 0);
  const jsonUri = 'file:///w/t.json';
  const entries = (from: string, to: string): string => json.slice(json.indexOf(`"${from}"`), json.indexOf(`"${to}"`));
  const queue3 = '"Queue3": {"Type": "AWS::SQS::Queue"}';
  const queue7 = '"Queue7": {"Type": "AWS::SQS::Queue"}';
  // With the comma after them; leaving it (a comma too many); the last one with the comma before it, or without.
  assert.equal(step(json, jsonUri, entries('Map2', 'Queue3'), '').incremental, true);
  assert.equal(step(json, jsonUri, entries('Rule1', 'Map6'), '').incremental, true);
  assert.equal(step(json, jsonUri, queue3, '').incremental, true);
  assert.equal(step(json, jsonUri, `,\n    ${queue7}`, '').incremental, true);
  assert.equal(step(json, jsonUri, queue7, '').incremental, true);
  // Pasted between two entries.
  assert.equal(step(json, jsonUri, queue3, entries('Map2', 'Queue3') + queue3).incremental, true);
  // A comma left out between entries (reported at the next key), edits on either side of it, the comma put back:
  // each version analysed from the one before.
  let current = json;
  let previous = analyzeDocument(current, jsonUri);
  for (const [from, to] of [
    [`${queue3},`, queue3],
    ['"s4"', '"s4-x"'],
    ['"Map2"', '"Map2x"'],
    ['"Rule4"', '"Rule4x"'],
    [queue3, `${queue3},`],
  ]) {
    assert.ok(current.includes(from), from);
    current = current.replace(from, to);
    const inc = analyzeDocument(current, jsonUri, undefined, {}, previous);
    assert.deepEqual(canonical(inc), canonical(analyzeDocument(current, jsonUri)), `${from} -> ${to}`);
    assert.equal(inc.root, previous.root, `${from} -> ${to}: not incremental`);
    previous = inc;
  }
});

test('YAML syntax errors inside one region are incremental, and stay in it', () => {
  const uri = 'file:///w/t.yaml';
  const text = yamlTemplate(8, 0);
  // An unclosed `[` (the yaml parser's own recovery would swallow the entries after it), in a middle entry, the last
  // one, and Outputs; then the next edit fixes it.
  const broken = step(text, uri, 'source: [aws.ec2]', 'source: [aws.ec2');
  assert.equal(broken.incremental, true);
  assert.equal(step(broken.text, uri, 'source: [aws.ec2', 'source: [aws.ec2]').incremental, true);
  assert.equal(step(broken.text, uri, 'prefix: "st7"', 'prefix: "st7x"').incremental, true);
  assert.equal(step(text, uri, 'Properties: {QueueName: q}', 'Properties: {QueueName: q').incremental, true);
  assert.equal(step(text, uri, 'Value: !Ref Rule0', 'Value: [!Ref Rule0').incremental, true);
  // A new entry typed with an error in it.
  assert.equal(step(text, uri, 'Outputs:\n', '  NewRule:\n    Type: [\nOutputs:\n').incremental, true);
  // An unclosed quote is not: in the whole text the string runs on to the next quote, and whether it closes there
  // without an error only a full parse tells.
  assert.equal(step(text, uri, 'prefix: "st7"', 'prefix: "st7').incremental, false);
  // A tag that is not CloudFormation's is a warning of its node, not an error: the document stays incremental.
  const warned = step(text, uri, 'Arn: !GetAtt Queue.Arn', 'Arn: !GeAtt Queue.Arn');
  assert.equal(warned.incremental, true);
  assert.equal(step(warned.text, uri, 'prefix: "st7"', 'prefix: "st7x"').incremental, true);
  assert.equal(step(warned.text, uri, 'Arn: !GeAtt Queue.Arn', 'Arn: !GetAtt Queue.Arn').incremental, true);
});

test('a flow collection indented as CloudFormation reads it stays lenient whatever happens in other entries', () => {
  // Rule2's detail-type list runs over a line indented no more than its key: read leniently (EB431, a warning). An
  // edit elsewhere must not change that, and incremental must equal full. At column 2 the line is at the entries'
  // indentation, so the template is read whole: brackets inside a plain scalar of another entry (`A[[B`: text in block
  // context, not a flow collection) must not stop the lenient reading. At column 6 it is read region by region: a
  // syntax error in another entry (read on its own) leaves Rule2 lenient.
  const uri = 'file:///w/lenient.yaml';
  const lenientAt = (column: number): string =>
    yamlTemplate(8, 0).replace('detail-type: [', `detail-type: [\n${' '.repeat(column)}`);
  const problems = (t: string): string[] => analyzeDocument(t, uri).syntaxErrors.map((e) => `${e.severity}:${e.code}`);
  const whole = lenientAt(2);
  assert.deepEqual(problems(whole), ['warning:FLOW_INDENTATION']);
  const bracketed = step(whole, uri, 'Type: AWS::Serverless::Function', 'Type: A[[WS::Serverless::Function');
  assert.equal(bracketed.incremental, true);
  assert.deepEqual(problems(bracketed.text), ['warning:FLOW_INDENTATION']);
  const byRegions = lenientAt(6);
  assert.deepEqual(problems(byRegions), ['warning:FLOW_INDENTATION']);
  for (const [from, to] of [
    ['prefix: "st7"', 'prefix: "st7'],
    ['Properties: {QueueName: q}', 'Properties: {QueueName: q'],
  ]) {
    // (Incremental or not: `step` holds the result to a full parse either way.)
    const broken = step(byRegions, uri, from, to);
    const found = problems(broken.text);
    assert.equal(found[0], 'warning:FLOW_INDENTATION', found.join());
    assert.ok(found.slice(1).every((e) => e.startsWith('error:')) && found.length > 1, found.join());
  }
});

test('a quoted string left open in a region, which the whole text closes further on, is read as a full parse reads it', () => {
  // `\` then a line break continues a double-quoted string on the next line; with its closing quote gone it runs on
  // over the next entries to a later quote, and the whole text parses without an error. The region parsed alone says
  // "Missing closing quote": kept, it would differ from a full parse (found by the validation cache's property test).
  const uri = 'file:///w/quote.yaml';
  const text = yamlTemplate(9, 1);
  const from = '[\\"NEW2\\"]}}"';
  assert.ok(text.includes(from), from);
  const opened = step(text, uri, from, '[\\"\\"');
  assert.equal(opened.incremental, false);
  assert.deepEqual(analyzeDocument(opened.text, uri).syntaxErrors, []);
});

test('a JSON entry with a long list (a policy naming 1,000 queues) is a region like any other', () => {
  // 2,000 brackets on one line, nested three deep: the depth, not the count, bounds what a full parse could refuse. An
  // edit inside it, and a syntax error elsewhere that stays, keep the document incremental.
  const uri = 'file:///w/policy.json';
  const refs = Array.from({ length: 1000 }, (_, q) => `{"Ref": "Queue${q}"}`).join(', ');
  const text = jsonTemplate(12, 0).replace(
    '"Resources": {\n',
    `"Resources": {\n    "QueuesPolicy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [${refs}]}},\n`,
  );
  const inPolicy = step(text, uri, '"Queue629"', '"Queue629x"');
  assert.equal(inPolicy.incremental, true);
  const broken = step(inPolicy.text, uri, '"s4"', '"s4');
  assert.equal(broken.incremental, true);
  assert.ok(analyzeDocument(broken.text, uri).syntaxErrors.length > 0);
  assert.equal(step(broken.text, uri, '"Queue7"', '"Queue7x"').incremental, true);
  assert.equal(step(broken.text, uri, '"s8"', '"s8-x"').incremental, true);
  // A full parse of the broken text reads it region by region too: the next edit is incremental.
  const afterFull = analyzeDocument(broken.text, uri);
  const at = broken.text.indexOf('"s8"');
  const next = broken.text.slice(0, at) + '"s8-y"' + broken.text.slice(at + 4);
  assert.equal(analyzeDocument(next, uri, undefined, {}, afterFull).root, afterFull.root);
});

test('a YAML entry with a long list of tags (a policy naming 1,000 queues) is a region like any other', () => {
  // Tags add no nesting: counted as structure, they kept the whole template out of the region cut, so that every
  // syntax error cost a full parse.
  const uri = 'file:///w/policy.yaml';
  const refs = Array.from({ length: 1000 }, (_, q) => `        - !Ref Queue${q}`).join('\n');
  const text = yamlTemplate(12, 0).replace(
    'Resources:\n',
    `Resources:\n  QueuesPolicy:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues:\n${refs}\n`,
  );
  const inPolicy = step(text, uri, 'Queue629\n', 'Queue629x\n');
  assert.equal(inPolicy.incremental, true);
  const broken = step(inPolicy.text, uri, 'source: [aws.ec2]', 'source: [aws.ec2');
  assert.equal(broken.incremental, true);
  assert.ok(analyzeDocument(broken.text, uri).syntaxErrors.length > 0);
  assert.equal(step(broken.text, uri, 'Queue7\n', 'Queue7x\n').incremental, true);
  assert.equal(step(broken.text, uri, 'source: [aws.ec2', 'source: [aws.ec2]').incremental, true);
});

test('YAML syntax errors with edits that move region starts equal a full parse', () => {
  // The edited region parses with problems, and the edit changes where regions start around it: the new regions are
  // not the previous ones but for the edited one, so splicing the region parsed alone would not be what a full parse
  // (region by region) reads.
  const uri = 'file:///w/t.yaml';
  const text = yamlTemplate(8, 0);
  // An entry's key indented into the entry before it (which now runs on), a new key below it: the edited region
  // starts further on than the previous one did.
  step(text, uri, '  Fn4:\n', '    Fn4:\n  Rulex: [\n');
  step(text, uri, '  Fn4:\n    Type: AWS::Serverless::Function\n', '    Fn4:\n  Type: [AWS::Serverless::Function\n');
  // A line of the last entry at column 0: a new top-level key, and the Resources entries stop there.
  step(text, uri, 'state: [running, {prefix: "st7"}]', 'state: [running, {prefix: "st7"}]\nX: [');
  step(text, uri, '          size: [{numeric: [">", 7]}]\n', 'size: [{numeric: [">", 7]\n');
  // `Outputs:` indented into the last entry, and the line after it dedented to a top-level key.
  step(text, uri, 'Outputs:\n  Out:\n', '  Outputs: [\nOut:\n');
});

test('YAML errors kept from one region, then a key no region can start with: equal to a full parse', () => {
  // Found by the random-edit property: `Outputs:` indented by one space is an error that stays in its region; a backslash
  // typed before the first key makes a text that cannot be cut into regions, so a full parse reads it whole and
  // reports another error: the incremental parse must not keep the region-isolated one.
  const uri = 'file:///w/t.yaml';
  const broken = step(yamlTemplate(9, 0), uri, '\nOutputs:', '\n Outputs:').text;
  const result = step(broken, uri, 'AWSTemplateFormatVersion', '\\AWSTemplateFormatVersion');
  assert.equal(result.incremental, false);
});

test('edits that must fall back to a full parse', () => {
  const uri = 'file:///w/t.yaml';
  const text = yamlTemplate(8, 0);
  // `Resources:` itself, an anchor, a document marker, a line joined with the next key, a broken entry.
  assert.equal(step(text, uri, 'Resources:\n', 'Resources: # all\n').incremental, false);
  assert.equal(step(text, uri, 'source: [aws.ec2]', 'source: &s [aws.ec2]').incremental, false);
  assert.equal(step(text, uri, '  Rule1:\n', '---\n  Rule1:\n').incremental, false);
  assert.equal(step(text, uri, 'Properties: {QueueName: q}\n', 'Properties: {QueueName: q}').incremental, false);
  // YAML syntax errors that cannot be kept in their region: an entry turned into a sequence item, an error in a
  // document with an anchor, a line at column 0 typed inside `Resources` (a new top-level key: the cut changes).
  assert.equal(step(text, uri, '  Rule1:\n', '  - Rule1:\n').incremental, false);
  const anchored = text.replace('Stage: {Type: String}', 'Stage: &s {Type: String}');
  assert.equal(step(anchored, uri, 'source: [aws.ec2]', 'source: [aws.ec2').incremental, false);
  assert.equal(step(text, uri, '    Type: AWS::SQS::Queue\n', 'X: [\n    Type: AWS::SQS::Queue\n').incremental, false);
  // An entry whose key is erased (`  :`): a whole parse places the empty key at the start of its line.
  assert.equal(step(text, uri, '  Rule1:\n', '  :\n').incremental, false);
  // A second `Resources`.
  assert.equal(step(text, uri, 'Outputs:\n', 'Resources:\nOutputs:\n').incremental, false);
  // JSON on one line has no lines to cut its entries by: it is read whole, and a bracket left open is closed by the
  // parser's recovery with a bracket further on, outside the entry.
  const oneLine = JSON.stringify(JSON.parse(jsonTemplate(8, 0).replace(/\/\/[^\n]*/g, '')));
  assert.equal(step(oneLine, 'file:///w/t.json', '"source":["aws.ec2"],', '"source":["aws.ec2",').incremental, false);
  // A block comment can span entries: such a document is read whole too.
  const commented = jsonTemplate(8, 0).replace('// rule 1', '/* rule 1 */');
  assert.equal(step(commented, 'file:///w/t.json', '"prefix": "s4"', '"prefix": "s4').incremental, false);
});

// ---------------------------------------------------------------------------------------------------------------
// Several changes analysed at once.

/**
 * Applies replacements (each at the first occurrence of its text, in turn) before one analysis; the result must equal
 * a full parse. `carried`: how many sites kept the previous version's analysis (the same lineage: not re-parsed).
 */
function batchStep(
  text: string,
  uri: string,
  next: (text: string) => string,
): { incremental: boolean; text: string; carried: number; sites: number; doc: DocumentAnalysis } {
  const previous = analyzeDocument(text, uri);
  const lineages = new Set(previous.sites.map((s) => s.lineage));
  const root = previous.root;
  const changed = next(text);
  assert.notEqual(changed, text);
  const inc = analyzeDocument(changed, uri, undefined, {}, previous);
  assert.deepEqual(canonical(inc), canonical(analyzeDocument(changed, uri)));
  const carried = inc.sites.filter((s) => lineages.has(s.lineage)).length;
  return { incremental: inc.root === root, text: changed, carried, sites: inc.sites.length, doc: inc };
}

const replaceFirst =
  (...pairs: [string, string][]) =>
  (text: string): string =>
    pairs.reduce((t, [from, to]) => {
      assert.ok(t.includes(from), from);
      return t.replace(from, to);
    }, text);

test('two edits far apart in one batch re-parse only their two entries', () => {
  const yaml = yamlTemplate(60, 0);
  // In the second and the second-to-last entries (both of the first kind: one site each).
  const r = batchStep(
    yaml,
    'file:///w/t.yaml',
    replaceFirst(['prefix: "st7"', 'prefix: "st7x"'], ['prefix: "st49"', 'prefix: "s"']),
  );
  assert.equal(r.incremental, true);
  assert.equal(r.carried, r.sites - 2);
  // Five places at once, one of them an entry typed after the last.
  const five = batchStep(
    yaml,
    'file:///w/t.yaml',
    replaceFirst(
      ['app.1"', 'app.1x"'],
      ['NEW10', 'NEW10x'],
      ['prefix: "st28"', 'prefix: "st28x"'],
      ['size: [{numeric: [">", 42]}]', 'size: [{numeric: [">", 43]}]'],
      ['Outputs:\n', '  Extra:\n    Type: AWS::SQS::Queue\nOutputs:\n'],
    ),
  );
  assert.equal(five.incremental, true);
  // Pipe10 holds two sites, and the entry typed after the last one re-parses the last one (Pipe59, two sites) too.
  assert.equal(five.carried, five.sites - 7);
  const json = jsonTemplate(40, 0);
  const j = batchStep(json, 'file:///w/t.json', replaceFirst(['"s4"', '"s4x"'], ['v34', 'v34x']));
  assert.equal(j.incremental, true);
  assert.equal(j.carried, j.sites - 2);
});

test('Replace All re-parses the entries it changed, and only those', () => {
  const yaml = yamlTemplate(70, 0);
  // Every `source: [aws.ec2]` (one entry in seven), then every other one back.
  const all = batchStep(yaml, 'file:///w/t.yaml', (t) => replaceAll(t, 'source: [aws.ec2]', 'source: [aws.ec3]'));
  assert.equal(all.incremental, true);
  assert.equal(all.carried, all.sites - 10);
  const half = batchStep(all.text, 'file:///w/t.yaml', (t) => replaceAll(t, 'aws.ec3', 'aws.ec2', 2));
  assert.equal(half.incremental, true);
  assert.equal(half.carried, half.sites - 5);
  // Every entry changed: neighbouring changed entries re-parse as one region, and one that large (past the region
  // structure bound) is parsed whole; every site is analysed again either way, and the result equals a full parse
  // (batchStep checks it).
  const every = batchStep(yaml, 'file:///w/t.yaml', (t) => replaceAll(t, 'Type: AWS::', 'Type:  AWS::'));
  assert.equal(every.carried, 0);
  const json = jsonTemplate(40, 0);
  const j = batchStep(json, 'file:///w/t.json', (t) => replaceAll(t, '"aws.ec2"', '"aws.ec3"'));
  assert.equal(j.incremental, true);
  assert.equal(j.carried, j.sites - 10);
});

test('a batch that breaks one JSON entry and edits another stays incremental, and so does its fix', () => {
  const uri = 'file:///w/t.json';
  const json = jsonTemplate(40, 0);
  const broken = batchStep(
    json,
    uri,
    replaceFirst(['"source": ["aws.ec2"],', '"source": ["aws.ec2",'], ['v30', 'v30x']),
  );
  assert.equal(broken.incremental, true);
  assert.ok(broken.doc.syntaxErrors.length > 0);
  // An edit elsewhere keeps the error where it is.
  const elsewhere = batchStep(broken.text, uri, replaceFirst(['"s12"', '"s12x"']));
  assert.equal(elsewhere.incremental, true);
  assert.deepEqual(
    elsewhere.doc.syntaxErrors.map((e) => e.message),
    broken.doc.syntaxErrors.map((e) => e.message),
  );
  const fixed = batchStep(elsewhere.text, uri, replaceFirst(['"source": ["aws.ec2",', '"source": ["aws.ec2"],']));
  assert.equal(fixed.incremental, true);
  assert.deepEqual(fixed.doc.syntaxErrors, []);
  // YAML likewise.
  const yamlUri = 'file:///w/t.yaml';
  const yaml = yamlTemplate(40, 0);
  const y = batchStep(yaml, yamlUri, replaceFirst(['source: [aws.ec2]', 'source: [aws.ec2'], ['NEW31', 'NEW31x']));
  assert.equal(y.incremental, true);
  assert.ok(y.doc.syntaxErrors.length > 0);
  assert.equal(
    batchStep(y.text, yamlUri, replaceFirst(['source: [aws.ec2\n', 'source: [aws.ec2]\n'])).incremental,
    true,
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
