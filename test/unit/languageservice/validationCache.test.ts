// What validation keeps between versions of a document (each carried-over site's problems, moved with it) must never
// show: after any sequence of edits and settings changes, the diagnostics equal those of a fresh language service
// (a full analysis, every problem computed anew). And an edit inside one `Resources` entry must run the lint rules
// on that entry's sites only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ProblemCode } from '../../../server/src/engine';
import { getLanguageService, STANDARD_PARTS } from '../../../server/src/languageservice/languageService';
import type { LanguageServiceSettings, SeverityLevel } from '../../../server/src/languageservice/settings';
import { applyEdit, editArb, jsonTemplate, yamlTemplate, YAML_STYLES, type Edit } from './templateEdits';

/** Runs per property; raise it (EBP_PROPERTY_RUNS=2000) for a longer search. */
const RUNS = Number(process.env['EBP_PROPERTY_RUNS'] ?? 150);

// Lint warnings of several rules, besides the engine's errors the templates already have.
function withLintWarnings(text: string, language: 'yaml' | 'json'): string {
  if (language === 'json')
    return text.replace(/"source": \["aws\.ec2"\]/g, '"source": ["aws.ec2"], "detial": {"a": ["b"]}');
  return text
    .replace(/State-change Notification/g, 'State-change Notificaton')
    .replace(/detail: \{total/g, 'detial: {total');
}

const severityArb: fc.Arbitrary<Partial<LanguageServiceSettings>> = fc
  .record({
    aws: fc.constantFrom<SeverityLevel>('default', 'warning', 'off'),
    limits: fc.constantFrom<SeverityLevel>('default', 'hint'),
    dialect: fc.constantFrom<SeverityLevel>('default', 'information', 'off'),
    lint: fc.constantFrom<SeverityLevel>('default', 'error', 'off'),
  })
  .map((severity) => ({ severity }));

/** A step: an edit, or (now and then) new settings. */
type Step = { readonly edit: Edit } | { readonly settings: Partial<LanguageServiceSettings> };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 9, arbitrary: editArb.map((edit) => ({ edit })) },
  { weight: 1, arbitrary: severityArb.map((settings) => ({ settings })) },
);

/** How many edits of whole entries (by kind: see EntriesEditKind) carried the sites over. */
type EntriesCounts = Record<string, number>;

/**
 * Runs the steps through one service, comparing each version's diagnostics with a fresh service's. Returns how many
 * versions carried the sites over; `entries` counts those of edits of whole entries by kind.
 */
function checkSteps(
  initial: string,
  uri: string,
  language: 'yaml' | 'json',
  settings: Partial<LanguageServiceSettings>,
  steps: readonly Step[],
  entries: EntriesCounts,
): number {
  const service = getLanguageService(settings);
  let current = settings;
  let text = initial;
  let version = 1;
  let carried = 0;
  let previousRoot = service.analyze(TextDocument.create(uri, language, version, text)).root;
  const expect = (): void => {
    const fresh = getLanguageService(current).doValidation(TextDocument.create(uri, language, 1, text));
    assert.deepEqual(service.doValidation(TextDocument.create(uri, language, version, text)), fresh, text);
  };
  expect();
  for (const step of steps) {
    if ('settings' in step) {
      current = { ...current, ...step.settings };
      service.configure(step.settings);
    } else {
      const next = applyEdit(text, step.edit);
      if (next === text) continue;
      text = next;
    }
    version++;
    const root = service.analyze(TextDocument.create(uri, language, version, text)).root;
    if (root !== undefined && root === previousRoot) {
      carried++;
      if ('edit' in step && step.edit.entries && step.edit.target)
        entries[step.edit.target] = (entries[step.edit.target] ?? 0) + 1;
    }
    previousRoot = root;
    expect();
  }
  return carried;
}

function assertEntriesCounts(entries: EntriesCounts, kinds: readonly string[]): void {
  for (const kind of kinds)
    assert.ok((entries[kind] ?? 0) >= 10, `sites were carried over ${entries[kind] ?? 0} times after ${kind}`);
}

test('property: YAML, diagnostics with kept site problems equal a fresh validation after random edits', (t) => {
  let carried = 0;
  const entries: EntriesCounts = {};
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: YAML_STYLES.length - 1 }),
      severityArb,
      fc.array(stepArb, { minLength: 1, maxLength: 10 }),
      (variant, style, settings, steps) => {
        const text = withLintWarnings(YAML_STYLES[style](yamlTemplate(9, variant)), 'yaml');
        carried += checkSteps(text, 'file:///w/template.yaml', 'yaml', settings, steps, entries);
      },
    ),
    { numRuns: RUNS },
  );
  t.diagnostic(`sites were carried over ${carried} times; after edits of whole entries: ${JSON.stringify(entries)}`);
  assert.ok(carried > 100, `sites were carried over only ${carried} times`);
  assertEntriesCounts(entries, ['deleteEntries', 'pasteEntries']);
});

test('property: JSON, diagnostics with kept site problems equal a fresh validation after random edits', (t) => {
  let carried = 0;
  const entries: EntriesCounts = {};
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 3 }),
      severityArb,
      fc.array(stepArb, { minLength: 1, maxLength: 10 }),
      (variant, settings, steps) => {
        const text = withLintWarnings(jsonTemplate(8, variant), 'json');
        carried += checkSteps(text, 'file:///w/template.json', 'json', settings, steps, entries);
      },
    ),
    { numRuns: RUNS },
  );
  t.diagnostic(`sites were carried over ${carried} times; after edits of whole entries: ${JSON.stringify(entries)}`);
  assert.ok(carried > 100, `sites were carried over only ${carried} times`);
  assertEntriesCounts(entries, ['deleteEntries', 'pasteEntries', 'missingComma']);
});

test('the templates of the property tests have engine errors and lint warnings of several kinds', () => {
  for (const [text, language] of [
    [withLintWarnings(yamlTemplate(9, 0), 'yaml'), 'yaml'],
    [withLintWarnings(jsonTemplate(8, 0), 'json'), 'json'],
  ] as const) {
    const codes = new Set(
      getLanguageService()
        .doValidation(TextDocument.create(`file:///w/t.${language}`, language, 1, text))
        .map((d) => String(d.code)),
    );
    const lint = [...codes].filter((c) => /^EB5\d\d$/.test(c));
    const others = [...codes].filter((c) => !/^EB5\d\d$/.test(c));
    assert.ok(lint.length >= (language === 'yaml' ? 2 : 1), `${language}: lint codes ${lint.join(', ')}`);
    assert.ok(others.length >= 1, `${language}: other codes ${others.join(', ')}`);
  }
});

test('a settings change applies at once to a version already validated', () => {
  const service = getLanguageService();
  const uri = 'file:///w/settings.yaml';
  const document = TextDocument.create(uri, 'yaml', 1, withLintWarnings(yamlTemplate(9, 0), 'yaml'));
  const before = service.doValidation(document);
  service.configure({ severity: { aws: 'default', limits: 'default', dialect: 'default', lint: 'off' } });
  const isLint = (code: unknown): boolean =>
    /^EB5\d\d$/.test(String(code)) && code !== ProblemCode.PatternNearSizeLimit;
  assert.deepEqual(
    service.doValidation(document),
    before.filter((d) => !isLint(d.code)),
  );
  assert.ok(before.some((d) => isLint(d.code)));
  service.configure({ severity: { aws: 'default', limits: 'default', dialect: 'default', lint: 'default' } });
  assert.deepEqual(service.doValidation(document), before);
});

test('an edit inside one entry runs the lint rules on the sites of that entry only', () => {
  const linted: string[] = [];
  // The standard service with one more lint rule, which counts the sites it is run on.
  const service = getLanguageService(
    {},
    {
      ...STANDARD_PARTS,
      lintRules: [
        ...STANDARD_PARTS.lintRules,
        (s) => {
          linted.push(s.site.resourceId ?? '?');
          return [];
        },
      ],
    },
  );
  const uri = 'file:///w/proportional.yaml';
  let text = withLintWarnings(yamlTemplate(40, 0), 'yaml');
  service.doValidation(TextDocument.create(uri, 'yaml', 1, text));
  const sitesOfDocument = linted.length;
  assert.ok(sitesOfDocument > 30);

  const edits: [string, string, string[]][] = [
    ['prefix: "st14"', 'prefix: "st14-x"', ['Rule14']],
    ['"app.8"', '"app.8", "x"', ['Rule8']],
    ['NEW24', 'NEW24-y', ['Pipe24', 'Pipe24']],
    ['prefix: "st14-x"', 'prefix: "st14"', ['Rule14']],
  ];
  let version = 1;
  for (const [from, to, expected] of edits) {
    linted.length = 0;
    assert.ok(text.includes(from), from);
    text = text.replace(from, to);
    const document = TextDocument.create(uri, 'yaml', ++version, text);
    const diagnostics = service.doValidation(document);
    assert.deepEqual(linted, expected, `after ${from} -> ${to}`);
    linted.length = 0;
    assert.deepEqual(diagnostics, getLanguageService().doValidation(TextDocument.create(uri, 'yaml', 1, text)));
  }

  // New settings: everything is computed again.
  service.configure({ severity: { aws: 'default', limits: 'default', dialect: 'default', lint: 'hint' } });
  linted.length = 0;
  service.doValidation(TextDocument.create(uri, 'yaml', ++version, text));
  assert.equal(linted.length, sitesOfDocument);
});
