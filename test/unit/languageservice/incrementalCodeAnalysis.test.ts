// Incremental analysis of code documents (AWS CDK TypeScript, Terraform: the previous tree re-parsed with the edits,
// only the touched constructs and blocks read again, the other sites moved) must equal a full reading: the sites with
// their nodes, maps and analyses, the syntax problems. Property test over random edits, batches of edits far apart,
// and syntax errors typed and taken out again, on our own generated files; plus the cases that must read whole.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeDocument, type DocumentAnalysis } from '../../../server/src/languageservice/sites/documentAnalysis';
import { loadGrammar } from '../../../server/src/languageservice/parsing/codeGrammars';
import { keptTreeCount } from '../../../server/src/languageservice/sites/codeSites';

/** Runs per property; raise it (EBP_PROPERTY_RUNS=2000) for a longer search. */
const RUNS = Number(process.env['EBP_PROPERTY_RUNS'] ?? 60);

before(async () => {
  await loadGrammar('typescript');
  await loadGrammar('terraform');
});

// ---------------------------------------------------------------------------------------------------------------
// Files

function cdkStack(rules: number, variant: number): string {
  const out = [
    "import * as cdk from 'aws-cdk-lib';",
    "import * as events from 'aws-cdk-lib/aws-events';",
    "import { FilterCriteria, FilterRule } from 'aws-cdk-lib/aws-lambda';",
    '',
    'export class Stack extends cdk.Stack {',
    '  constructor(scope: cdk.App, id: string, props: { stage: string }) {',
    '    super(scope, id);',
  ];
  for (let i = 0; i < rules; i++) {
    switch ((i + variant) % 5) {
      case 0:
        out.push(
          `    new events.Rule(this, 'Rule${i}', {`,
          '      eventPattern: {',
          `        source: ['app.${i}'],`,
          "        detailType: ['Order Placed'],",
          `        detail: { stage: [props.stage], total: events.Match.greaterThan(${i}), count: ${i} },`,
          '      },',
          '    });',
        );
        break;
      case 1:
        out.push(
          `    const rule${i} = new events.Rule(this, 'Other${i}');`,
          `    rule${i}.addEventPattern({ source: ['app.${i}'], detail: { id: events.Match.prefix('o-') } });`,
        );
        break;
      case 2:
        out.push(
          `    const pattern${i}: events.EventPattern = {`,
          `      detailType: ['Thing ${i}'],`,
          "      detail: { state: events.Match.anythingBut('x'), size: [{ numeric: ['>', 5] }] },",
          '    };',
        );
        break;
      case 3:
        out.push(
          `    const filter${i} = FilterCriteria.filter({ body: { kind: FilterRule.isEqual('k${i}') } });`,
          `    this.node.addMetadata('m${i}', 'v');`,
        );
        break;
      default:
        out.push(
          `    new events.CfnRule(this, 'Cfn${i}', { eventPattern: { 'detail-type': ['T'], detail: { n: [${i}] } } });`,
        );
    }
  }
  out.push('  }', '}', '');
  return out.join('\n');
}

function terraformFile(rules: number, variant: number, withLocals: boolean): string {
  const out = ['terraform {', '  required_version = ">= 1.5"', '}', ''];
  if (withLocals)
    out.push('locals {', '  shared = jsonencode({ source = ["app.shared"], detail = { n = [1] } })', '}', '');
  for (let i = 0; i < rules; i++) {
    switch ((i + variant) % 4) {
      case 0:
        out.push(
          `resource "aws_cloudwatch_event_rule" "r${i}" {`,
          `  name          = "rule-${i}"`,
          '  event_pattern = jsonencode({',
          `    source        = ["app.${i}"]`,
          `    "detail-type" = ["Thing ${i}"]`,
          `    detail        = { size = [{ numeric = [">", ${i}] }], count = ${i} }`,
          '  })',
          '}',
        );
        break;
      case 1:
        out.push(
          `resource "aws_cloudwatch_event_rule" "h${i}" {`,
          '  event_pattern = <<-EOF',
          '    {',
          `      "source": ["app.${i}"],`,
          `      "detail": { "key": [{ "prefix": "p/${i}/" }], "a": ["\${var.x}"] }`,
          '    }',
          '  EOF',
          '}',
        );
        break;
      case 2:
        out.push(
          `resource "aws_pipes_pipe" "p${i}" {`,
          '  source_parameters {',
          '    filter_criteria {',
          `      filter { pattern = jsonencode({ body = { n = [${i}] } }) }`,
          '      filter { pattern = "{\\"body\\": {\\"s\\": [\\"x\\"]}}" }',
          '    }',
          '  }',
          '}',
        );
        break;
      default:
        out.push(
          `resource "aws_cloudwatch_event_target" "t${i}" {`,
          `  rule = aws_cloudwatch_event_rule.r${i}.name`,
          '  arn  = var.arn',
          '}',
          `resource "aws_cloudwatch_event_rule" "s${i}" {`,
          withLocals && i % 8 === 3
            ? '  event_pattern = local.shared'
            : `  event_pattern = "{\\"source\\": [\\"s${i}\\"]}"`,
          '}',
        );
    }
    out.push('');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Edits

/** A change at a relative position of the text: `remove` characters taken out, `insert` put in. */
interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

/** What is typed: mostly words and digits, sometimes what breaks or re-shapes the code. */
const SNIPPETS = [
  'a',
  '7',
  ' ',
  'x1',
  '\n',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  ':',
  '=',
  'eventPattern',
  'EventPattern',
  'events.Match.prefix("q")',
  'jsonencode({ source = ["z"] })',
  'local.shared',
  '// c\n',
  '# c\n',
];

const editArb: fc.Arbitrary<Edit> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  remove: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 12 }) }),
  insert: fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 4, arbitrary: fc.constantFrom(...SNIPPETS) }),
});

/** The edits of a batch, placed on the same text without overlapping, applied from the last to the first. */
function applyBatch(text: string, edits: readonly Edit[]): string {
  const placed = edits
    .map((e) => {
      const start = Math.floor(e.at * (text.length + 1));
      return { start, end: Math.min(text.length, start + e.remove), insert: e.insert };
    })
    .sort((a, b) => a.start - b.start);
  const kept: typeof placed = [];
  for (const p of placed) if (kept.length === 0 || p.start >= kept[kept.length - 1].end) kept.push(p);
  let out = text;
  for (let i = kept.length - 1; i >= 0; i--)
    out = out.slice(0, kept[i].start) + kept[i].insert + out.slice(kept[i].end);
  return out;
}

/** A step: one edit, a batch of edits analysed at once, or an edit analysed and then undone (an error made and fixed). */
type Step = { readonly kind: 'edit' | 'batch' | 'undone'; readonly edits: readonly Edit[] };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: editArb.map((e): Step => ({ kind: 'edit', edits: [e] })) },
  {
    weight: 2,
    arbitrary: fc.array(editArb, { minLength: 2, maxLength: 5 }).map((edits): Step => ({ kind: 'batch', edits })),
  },
  { weight: 1, arbitrary: editArb.map((e): Step => ({ kind: 'undone', edits: [e] })) },
);

// ---------------------------------------------------------------------------------------------------------------
// Comparing analyses

function canonical(doc: DocumentAnalysis): unknown {
  const drop = (key: string, value: unknown): unknown => (key === 'parent' ? undefined : value);
  return {
    readAs: doc.readAs,
    syntaxErrors: doc.syntaxErrors,
    sites: doc.sites.map((s) => ({
      site: JSON.parse(JSON.stringify({ ...s.site, syntax: s.site.syntax?.language }, drop)) as unknown,
      literals: s.site.syntax ? literalFlags(s.site.node, (n) => s.site.syntax!.isLiteral(n)) : undefined,
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
      toDocument: [0, 1, 5, 12].map((o) => s.toDocument(o, 1)),
      fromDocument: [0, 3, 9, 20].map((d) => s.fromDocument(s.site.range.offset + d)),
    })),
  };
}

/** Which nodes the reader wrote out and which it made up (a helper's operators), in walk order. */
function literalFlags(node: object, isLiteral: (n: never) => boolean): boolean[] {
  const flags: boolean[] = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (typeof o['type'] === 'string') flags.push(isLiteral(o as never));
    for (const key of ['properties', 'items']) if (Array.isArray(o[key])) for (const c of o[key] as unknown[]) walk(c);
    if (o['type'] === 'property') {
      walk(o['key']);
      walk(o['value']);
    }
  };
  walk(node);
  return flags;
}

/** Runs the steps, holding each incremental analysis to a full one; counts the versions that carried sites over. */
function checkSequence(
  initial: string,
  uri: string,
  steps: readonly Step[],
  counts: { carried: number; all: number },
): void {
  let text = initial;
  let previous = analyzeDocument(text, uri);
  const next = (to: string, what: string): void => {
    const before = new Set(previous.sites);
    const inc = analyzeDocument(to, uri, undefined, {}, previous);
    const full = analyzeDocument(to, uri);
    counts.all++;
    if (inc.sites.some((s) => before.has(s))) counts.carried++;
    assert.deepEqual(canonical(inc), canonical(full), `after ${what}:\n${to}`);
    text = to;
    previous = inc;
  };
  for (const step of steps) {
    const was = text;
    next(applyBatch(text, step.edits), `${step.kind} ${JSON.stringify(step.edits)}`);
    if (step.kind === 'undone') next(was, `undoing ${JSON.stringify(step.edits)}`);
  }
}

test('property: CDK TypeScript, incremental equals a full reading after edits, batches and undone errors', (t) => {
  const counts = { carried: 0, all: 0 };
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4 }), fc.array(stepArb, { minLength: 1, maxLength: 8 }), (variant, steps) => {
      checkSequence(cdkStack(10, variant), 'file:///w/lib/stack.ts', steps, counts);
    }),
    { numRuns: RUNS },
  );
  t.diagnostic(`${counts.carried} of ${counts.all} versions carried sites over`);
  // Most edits keep the code readable in parts (imports and the quote unchanged).
  assert.ok(counts.carried > counts.all / 3, `only ${counts.carried} of ${counts.all} versions carried sites over`);
});

test('property: Terraform, incremental equals a full reading after edits, batches and undone errors', (t) => {
  const counts = { carried: 0, all: 0 };
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 3 }),
      fc.boolean(),
      fc.array(stepArb, { minLength: 1, maxLength: 8 }),
      (variant, withLocals, steps) => {
        checkSequence(terraformFile(10, variant, withLocals), 'file:///w/main.tf', steps, counts);
      },
    ),
    { numRuns: RUNS },
  );
  t.diagnostic(`${counts.carried} of ${counts.all} versions carried sites over`);
  // Most random edits leave a syntax error behind, and a file with one is read whole: the path must still run often.
  assert.ok(counts.carried >= 10, `only ${counts.carried} of ${counts.all} versions carried sites over`);
});

// ---------------------------------------------------------------------------------------------------------------
// Cases

/** The next version of a document, from its previous analysis, and whether any site was carried over. */
function step(previous: DocumentAnalysis, from: string, to: string): { next: DocumentAnalysis; carried: number } {
  assert.ok(previous.text.includes(from), `the text holds ${from}`);
  const before = new Set(previous.sites);
  const next = analyzeDocument(previous.text.replace(from, to), previous.uri, undefined, {}, previous);
  assert.deepEqual(canonical(next), canonical(analyzeDocument(next.text, next.uri)));
  return { next, carried: next.sites.filter((s) => before.has(s)).length };
}

test('CDK: an edit inside one rule reads that rule again and carries the others', () => {
  const first = analyzeDocument(cdkStack(10, 0), 'file:///w/lib/stack.ts');
  const sites = first.sites.length;
  const { carried } = step(first, "source: ['app.0'],", "source: ['app.0', 'more'],");
  assert.equal(carried, sites - 1);
});

test('CDK: a changed import, or the file quote, means a whole reading', () => {
  const first = analyzeDocument(cdkStack(10, 0), 'file:///w/lib/stack.ts');
  const renamed = step(
    first,
    "import * as events from 'aws-cdk-lib/aws-events';",
    "import * as ev from 'aws-cdk-lib/aws-events';",
  );
  assert.equal(renamed.carried, 0);
  // With `events` no longer bound, the constructs named through it are still read as CDK's conventional name.
  assert.ok(renamed.next.sites.length > 0);
});

test('CDK: a construct renamed away from Rule loses its site, and renamed back gets it again', () => {
  const first = analyzeDocument(cdkStack(10, 0), 'file:///w/lib/stack.ts');
  const gone = step(first, "new events.Rule(this, 'Rule0'", "new events.Topic(this, 'Rule0'");
  assert.equal(gone.next.sites.length, first.sites.length - 1);
  assert.equal(gone.carried, first.sites.length - 1);
  const back = step(gone.next, "new events.Topic(this, 'Rule0'", "new events.Rule(this, 'Rule0'");
  assert.equal(back.next.sites.length, first.sites.length);
});

test('Terraform: an edit inside one block carries the other blocks; locals and syntax errors read whole', () => {
  const first = analyzeDocument(terraformFile(8, 0, false), 'file:///w/main.tf');
  const inBlock = step(first, '"detail-type" = ["Thing 0"]', '"detail-type" = ["Thing 0", 5]');
  assert.equal(inBlock.carried, first.sites.length - 1);
  // A heredoc (a string site) after the edit moved with its map to the document.
  const broken = step(inBlock.next, 'resource "aws_pipes_pipe"', 'resource "aws_pipes_pipe" {');
  assert.equal(broken.carried, 0);
  assert.ok(broken.next.syntaxErrors.length > 0);
  const fixed = step(broken.next, 'resource "aws_pipes_pipe" {', 'resource "aws_pipes_pipe"');
  assert.equal(fixed.next.syntaxErrors.length, 0);
  const withLocals = analyzeDocument(terraformFile(8, 0, true), 'file:///w/main.tf');
  assert.equal(step(withLocals, '"detail-type" = ["Thing 0"]', '"detail-type" = ["Thing 1"]').carried, 0);
});

test('trees are kept for a bounded number of documents, however many versions and documents are read', () => {
  let doc = analyzeDocument(terraformFile(4, 0, false), 'file:///w/a.tf');
  for (let i = 0; i < 30; i++)
    doc = analyzeDocument(doc.text.replace('rule-0', `rule-${i}x`), doc.uri, undefined, {}, doc);
  for (let i = 0; i < 30; i++) analyzeDocument(terraformFile(2, i, false), `file:///w/m${i}.tf`);
  assert.ok(keptTreeCount() <= 8, `${keptTreeCount()} trees kept`);
});
