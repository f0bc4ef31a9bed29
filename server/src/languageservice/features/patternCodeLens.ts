// "▶ 2 of 5 sample events match": one lens per valid pattern site, testing the pattern against the catalog's sample
// events for the sources and detail-types it names, and against the user's own sample events (the LSP layer reads
// `events/**/*.json` and hands their text over with `setSampleEvents`). The lens's command carries every result, with
// the engine's reasons for each event that does not match, for the client to show.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens } from 'vscode-languageserver-types';
import { explainEvent, parseJson, type AstNode, type CompiledPattern, type FieldCondition } from '../../engine';
import { explainSnsMessage, toPlainValue } from '../../engine';
import { loadCatalog, type Catalog } from '../../catalog/catalog';
import { SHOW_PATTERN_TEST_RESULTS_COMMAND, type PatternTestResults, type SampleEventResult } from '../../../../shared';
import type { LanguageService } from '../languageService';
import type { AnalyzedSite } from '../sites/documentAnalysis';

// The lens's command and the results it carries are part of the protocol the client shares.
export { SHOW_PATTERN_TEST_RESULTS_COMMAND, type PatternTestResults, type SampleEventResult };

/** A file of sample events: one event object, or an array of them. */
export interface SampleEventFile {
  /** Shown to the user, e.g. a path relative to the workspace folder. */
  readonly name: string;
  readonly text: string;
  /** Where it came from, when it is a file. */
  readonly uri?: string;
}

/** Catalog samples per lens: a pattern naming only a source gets that many of its detail-types, at most. */
export const MAX_CATALOG_SAMPLES = 10;

const NO_FILES: readonly SampleEventFile[] = [];
const sampleEvents = new WeakMap<LanguageService, readonly SampleEventFile[]>();
/** Files are parsed once per `setSampleEvents`, not once per lens request. */
const parsedFiles = new WeakMap<readonly SampleEventFile[], ParsedSample[]>();

/** Gives a service the user's sample event files (replacing any given before). */
export function setSampleEvents(service: LanguageService, files: readonly SampleEventFile[]): void {
  sampleEvents.set(service, files);
}

export function getSampleEvents(service: LanguageService): readonly SampleEventFile[] {
  return sampleEvents.get(service) ?? NO_FILES;
}

export function doCodeLenses(service: LanguageService, document: TextDocument): CodeLens[] {
  const doc = service.analyze(document);
  const files = getSampleEvents(service);
  let workspaceEvents = parsedFiles.get(files);
  if (!workspaceEvents) {
    workspaceEvents = parseSampleFiles(files);
    parsedFiles.set(files, workspaceEvents);
  }
  const lenses: CodeLens[] = [];
  for (const s of doc.sites) {
    const pattern = s.analysis.pattern;
    if (!pattern || s.site.marker) continue;
    if (s.site.dialect === 'sns') {
      lenses.push(snsLens(document, s, pattern, workspaceEvents));
      continue;
    }
    const results = [
      ...catalogResults(pattern),
      ...workspaceEvents.filter((e) => !isSnsSample(e)).map((e) => testEvent(pattern, e)),
    ];
    lenses.push(
      resultsLens(document, s, results, {
        sample: 'sample event',
        none: '▶ No sample events for this pattern: add some to events/*.json',
      }),
    );
  }
  return lenses;
}

/** "▶ 2 of 3 sample events match" above a site, with the results for the command that shows them. */
function resultsLens(
  document: TextDocument,
  s: AnalyzedSite,
  results: SampleEventResult[],
  words: { readonly sample: string; readonly none: string; readonly suffix?: string },
): CodeLens {
  const tested = results.filter((r) => r.error === undefined).length;
  const matched = results.filter((r) => r.matched).length;
  const range = {
    start: document.positionAt(s.site.range.offset),
    end: document.positionAt(s.site.range.offset + s.site.range.length),
  };
  const argument: PatternTestResults = { uri: document.uri, range, matched, tested, results };
  const title =
    results.length === 0
      ? words.none
      : `▶ ${matched} of ${tested} ${words.sample}${tested === 1 ? '' : 's'} match${tested === 1 ? 'es' : ''}${words.suffix ?? ''}`;
  const at = lensPosition(document, s);
  return {
    range: { start: at, end: at },
    command: { title, command: SHOW_PATTERN_TEST_RESULTS_COMMAND, arguments: [argument] },
  };
}

/** Sample SNS messages live under a folder named `sns` (`events/sns/*.json`); event patterns do not see them. */
export function isSnsSample(sample: { readonly name: string }): boolean {
  return /(^|[\\/])sns[\\/]/.test(sample.name);
}

/** "▶ 1 of 3 sample messages match": the SNS messages of the workspace through a filter policy, in its scope. */
function snsLens(
  document: TextDocument,
  s: AnalyzedSite,
  pattern: CompiledPattern,
  samples: readonly ParsedSample[],
): CodeLens {
  const scope = s.site.snsScope ?? 'MessageAttributes';
  const results: SampleEventResult[] = samples.filter(isSnsSample).map((sample) => {
    const where = sample.uri !== undefined ? { uri: sample.uri } : {};
    const base = { name: sample.name, origin: 'workspace' as const, ...where };
    if (!sample.event) return { ...base, matched: false, reasons: [], error: sample.error ?? 'unreadable' };
    const x = explainSnsMessage(pattern, toPlainValue(sample.event), scope);
    return x.error !== undefined
      ? { ...base, matched: false, reasons: [], error: x.error }
      : { ...base, matched: x.matched, reasons: x.reasons };
  });
  return resultsLens(document, s, results, {
    sample: 'sample message',
    none: '▶ No sample messages for this filter policy: add some to events/sns/*.json',
    suffix: ` (${scope})`,
  });
}

/** Above the property that holds the pattern (`EventPattern:`), else above the pattern itself. */
function lensPosition(document: TextDocument, s: AnalyzedSite) {
  const parent = s.site.valueNode.parent;
  const offset = parent?.type === 'property' ? parent.key.offset : s.site.range.offset;
  return document.positionAt(offset);
}

// ---------------------------------------------------------------------------------------------------------------

interface ParsedSample {
  readonly name: string;
  readonly uri?: string;
  readonly event?: AstNode;
  readonly error?: string;
}

/** Each file's events: an object is one event, an array holds several. Unreadable ones keep their error. */
export function parseSampleFiles(files: readonly SampleEventFile[]): ParsedSample[] {
  const out: ParsedSample[] = [];
  for (const f of files) {
    const where = f.uri !== undefined ? { uri: f.uri } : {};
    const parsed = parseJson(f.text, { maxErrors: 1 });
    if (parsed.errors.length > 0 || !parsed.root) {
      out.push({ name: f.name, ...where, error: parsed.errors[0]?.message ?? 'The file is empty' });
    } else if (parsed.root.type === 'array') {
      parsed.root.items.forEach((item, i) =>
        out.push(
          item.type === 'object'
            ? { name: `${f.name}[${i}]`, ...where, event: item }
            : { name: `${f.name}[${i}]`, ...where, error: 'An event must be a JSON object' },
        ),
      );
    } else if (parsed.root.type === 'object') {
      out.push({ name: f.name, ...where, event: parsed.root });
    } else {
      out.push({ name: f.name, ...where, error: 'An event must be a JSON object (or the file an array of them)' });
    }
  }
  return out;
}

function testEvent(pattern: CompiledPattern, sample: ParsedSample): SampleEventResult {
  const where = sample.uri !== undefined ? { uri: sample.uri } : {};
  if (!sample.event)
    return {
      name: sample.name,
      origin: 'workspace',
      ...where,
      matched: false,
      reasons: [],
      error: sample.error ?? 'unreadable',
    };
  const explanation = explainEvent(pattern, sample.event);
  return {
    name: sample.name,
    origin: 'workspace',
    ...where,
    matched: explanation.matched,
    reasons: explanation.reasons,
  };
}

/** The exact string values a field takes in a sub-rule; undefined when unconstrained or not all exact. */
function exactValues(rule: readonly FieldCondition[], path: string): string[] | undefined {
  const condition = rule.find((f) => f.path === path);
  if (!condition) return undefined;
  const values: string[] = [];
  for (const m of condition.matchers) {
    if (m.matcher.kind !== 'exact-string') return undefined;
    values.push(m.matcher.value);
  }
  return values;
}

/** The (source, detail-type) pairs a pattern names that the catalog has schema-built samples for. */
export function catalogPairs(pattern: CompiledPattern, catalog: Catalog): [string, string][] {
  const pairs = new Map<string, [string, string]>();
  const add = (source: string, detailType: string): void => {
    // Only samples built from a schema: a bare envelope says nothing about the pattern's `detail` conditions.
    if (pairs.size < MAX_CATALOG_SAMPLES && catalog.hasSchema(source, detailType)) {
      pairs.set(`${source}\u0000${detailType}`, [source, detailType]);
    }
  };
  for (const rule of pattern.rules) {
    const sources = exactValues(rule, 'source');
    const detailTypes = exactValues(rule, 'detail-type');
    if (sources) {
      for (const src of sources) for (const dt of detailTypes ?? catalog.detailTypes(src)) add(src, dt);
    } else if (detailTypes) {
      for (const dt of detailTypes) for (const src of catalog.sourcesOf(dt)) add(src, dt);
    }
  }
  return [...pairs.values()];
}

function catalogResults(pattern: CompiledPattern): SampleEventResult[] {
  const catalog = loadCatalog();
  if (!catalog.isAvailable()) return [];
  return catalogPairs(pattern, catalog).map(([source, detailType]) => {
    const event = catalog.sampleEvent(source, detailType)!;
    const explanation = explainEvent(pattern, { value: event });
    return {
      name: `${source} / ${detailType} (catalog sample)`,
      origin: 'catalog',
      matched: explanation.matched,
      reasons: explanation.reasons,
    };
  });
}
