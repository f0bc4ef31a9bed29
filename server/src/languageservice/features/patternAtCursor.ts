// The pattern under the cursor, for the client's commands (test it against events, send an event it matches): the
// usable pattern at a position, events run through it with the engine's reasons, and sample events made for it.
// Answers are plain JSON (shared/requests.ts); they come from the document's one shared analysis.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type {
  Answer,
  CatalogSample,
  EventUnderTest,
  GeneratedSampleEvent,
  PatternInfo,
  PatternSamples,
  PatternTestResult,
} from '../../../../shared';
import {
  explainEvent,
  matchesEvent,
  matchesEventNode,
  parseEventText,
  toPlainValue,
  type CompiledPattern,
} from '../../engine';
import { loadCatalog } from '../../catalog/catalog';
import { siteAt, type AnalyzedSite } from '../sites/documentAnalysis';
import type { LanguageService } from '../languageService';
import { catalogPairs } from './patternCodeLens';
import { eventsForPattern, sampleEventForPattern } from './patternSamples';

/** A pattern that can be run: valid, fully known, compiled. */
export interface UsablePattern {
  /** The site in the document's analysis. */
  readonly site: AnalyzedSite;
  readonly info: PatternInfo;
  /** The pattern as a plain value. */
  readonly value: unknown;
  readonly compiled: CompiledPattern;
}

/** The pattern whose text contains the position (or the only one of the file), compiled; else why not. */
export function usablePatternAt(
  service: LanguageService,
  document: TextDocument,
  position: Position,
): Answer<{ usable: UsablePattern }> {
  const analysis = service.analyze(document);
  const analyzed =
    siteAt(analysis, document.offsetAt(position)) ?? (analysis.sites.length === 1 ? analysis.sites[0] : undefined);
  if (!analyzed)
    return {
      ok: false,
      reason:
        analysis.sites.length === 0
          ? 'No event pattern in this file (a *.eventpattern.json file, or EventPattern / Pattern in a template).'
          : 'The cursor is not inside an event pattern: put it inside the one to use.',
    };
  const { site, analysis: a } = analyzed;
  if (site.dialect === 'sns') {
    // EventBridge's commands (test, send) do not apply to an SNS filter policy.
    return {
      ok: false,
      reason:
        'This is an SNS subscription filter policy: its code lens runs the sample messages of events/sns/*.json through it (or use the CLI: test-filter-policy).',
    };
  }
  if (a.awsError) return { ok: false, reason: `The pattern is not valid: ${a.awsError.message}` };
  if (a.hasUnknownValues)
    return {
      ok: false,
      reason: 'The pattern has values only known at deploy time (intrinsic functions); it cannot be tested here.',
    };
  if (!a.pattern) {
    const first = a.problems.find((p) => p.severity === 'error');
    return { ok: false, reason: `The pattern cannot be compiled${first ? `: ${first.message}` : ''}.` };
  }
  const value: unknown = site.form === 'string' ? JSON.parse(site.text) : toPlainValue(site.node);
  const range = {
    start: document.positionAt(site.range.offset),
    end: document.positionAt(site.range.offset + site.range.length),
  };
  return {
    ok: true,
    usable: {
      site: analyzed,
      info: {
        dialect: site.dialect,
        text: site.form === 'string' ? site.text : JSON.stringify(value),
        range,
        ...(site.resourceId ? { resourceId: site.resourceId } : {}),
      },
      value,
      compiled: a.pattern,
    },
  };
}

/** The usable pattern at a position, or why there is none. */
export function patternAt(
  service: LanguageService,
  document: TextDocument,
  position: Position,
): Answer<{ pattern: PatternInfo }> {
  const found = usablePatternAt(service, document, position);
  return found.ok ? { ok: true, pattern: found.usable.info } : found;
}

/** Runs each event through the pattern at a position: matched or not, and why not. */
export function testPatternAt(
  service: LanguageService,
  document: TextDocument,
  position: Position,
  events: readonly EventUnderTest[],
): Answer<{ pattern: PatternInfo; results: PatternTestResult[] }> {
  const found = usablePatternAt(service, document, position);
  if (!found.ok) return found;
  return { ok: true, pattern: found.usable.info, results: testEvents(found.usable.compiled, events) };
}

/** Each event against a compiled pattern. An event that cannot be read says why, and the others still run. */
export function testEvents(pattern: CompiledPattern, events: readonly EventUnderTest[]): PatternTestResult[] {
  return events.map((e) => {
    const label = typeof e?.label === 'string' ? e.label : 'event';
    if (typeof e?.text !== 'string') return { label, reasons: ['The event is not given as JSON text.'] };
    const parsed = parseEventText(e.text);
    if (!parsed.ok) return { label, reasons: [`The event is not valid JSON: ${parsed.message}`] };
    const matched = matchesEventNode(pattern, parsed.event);
    const reasons = matched ? [] : [...explainEvent(pattern, parsed.event).reasons];
    return { label, matched, reasons };
  });
}

/**
 * Sample events for the pattern at a position: one made to match it (checked with the engine), and the catalog's
 * for the sources and detail-types it names.
 */
export function patternSamplesAt(
  service: LanguageService,
  document: TextDocument,
  position: Position,
  options: { readonly region?: string; readonly accountId?: string } = {},
): Answer<PatternSamples> {
  const found = usablePatternAt(service, document, position);
  if (!found.ok) return found;
  const { info, compiled } = found.usable;
  const event = sampleEventForPattern(compiled, {
    ...(typeof options.region === 'string' && options.region ? { region: options.region } : {}),
    ...(typeof options.accountId === 'string' && options.accountId ? { accountId: options.accountId } : {}),
  });
  const catalog: CatalogSample[] = [];
  try {
    const loaded = loadCatalog();
    if (loaded.isAvailable())
      for (const [source, detailType] of catalogPairs(compiled, loaded)) {
        const sample = loaded.sampleEvent(source, detailType);
        if (sample) catalog.push({ source, detailType, event: { ...sample } });
      }
  } catch {
    // no catalog: the generated sample still works
  }
  return { ok: true, pattern: info, generated: { event, matches: matchesEvent(compiled, event) }, catalog };
}

function envelopeNames(event: Record<string, unknown>): { source?: string; detailType?: string } {
  const source = event['source'];
  const detailType = event['detail-type'];
  return {
    ...(typeof source === 'string' ? { source } : {}),
    ...(typeof detailType === 'string' ? { detailType } : {}),
  };
}

/** At most this many matching events per request (the quick pick lists them all). */
export const MAX_GENERATED_EVENTS = 100;

/**
 * Events for the pattern at a position: matching events and, on request, near misses, each checked with the engine
 * by the generator; a pattern no event can match answers why.
 */
export function generateEventsAt(
  service: LanguageService,
  document: TextDocument,
  position: Position,
  options: {
    readonly count?: number;
    readonly nearMisses?: boolean;
    readonly region?: string;
    readonly accountId?: string;
  } = {},
): Answer<{ pattern: PatternInfo; events: GeneratedSampleEvent[] }> {
  const found = usablePatternAt(service, document, position);
  if (!found.ok) return found;
  const { info, compiled } = found.usable;
  const count =
    typeof options.count === 'number' && Number.isFinite(options.count)
      ? Math.max(1, Math.min(MAX_GENERATED_EVENTS, Math.floor(options.count)))
      : 1;
  const r = eventsForPattern(compiled, {
    count,
    nearMisses: options.nearMisses === true,
    ...(typeof options.region === 'string' && options.region ? { region: options.region } : {}),
    ...(typeof options.accountId === 'string' && options.accountId ? { accountId: options.accountId } : {}),
  });
  if (!r.ok) return { ok: false, reason: r.impossible ? r.impossible.reason : r.reason };
  const events: GeneratedSampleEvent[] = [
    ...r.matching.map((m) => ({ event: m.event, text: m.text, matches: true })),
    ...r.nearMisses.map((m) => ({
      event: m.event,
      text: m.text,
      matches: false,
      fails: m.fails,
      why: m.why,
      madeFrom: envelopeNames(m.from.event),
    })),
  ];
  return { ok: true, pattern: info, events };
}
