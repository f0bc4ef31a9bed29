// Sample events: the catalog's, and events made for a pattern by the engine's generator (matching events built on the
// catalog's sample for the pattern's source and detail-type, and near misses), with the catalog passed in as the
// lookup the engine asks.

import type { CatalogSources, EventObject } from '../../../../shared';
import { loadCatalog } from '../../catalog/catalog';
import type { EventEnvelope as BaseEnvelope } from '../../eventbridge';
import { generateEvents, type CompiledPattern, type GenerateOptions, type GenerateResult } from '../../engine';

export type EventEnvelope = BaseEnvelope & Record<string, unknown>;

export interface SampleOptions {
  readonly region?: string;
  readonly accountId?: string;
  readonly now?: Date;
  readonly id?: string;
}

/** A plain envelope: the shape EventBridge delivers, with placeholder values. */
export function plainEnvelope(options: SampleOptions = {}): EventEnvelope {
  return {
    version: '0',
    id: options.id ?? '00000000-0000-0000-0000-000000000000',
    'detail-type': 'Sample Event',
    source: 'sample.source',
    account: options.accountId ?? '123456789012',
    time: isoSeconds(options.now ?? new Date()),
    region: options.region ?? 'us-east-1',
    resources: [],
    detail: {},
  };
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The generator's options for the catalog and the given envelope values. */
function generatorOptions(options: SampleOptions): GenerateOptions {
  return {
    lookup: (source, detailType) => catalogSampleEvent(source, detailType),
    time: isoSeconds(options.now ?? new Date()),
    ...(options.region ? { region: options.region } : {}),
    ...(options.accountId ? { accountId: options.accountId } : {}),
    ...(options.id ? { id: options.id } : {}),
  };
}

/** Matching events (and near misses, on request) for a compiled pattern, built on the catalog's samples. */
export function eventsForPattern(
  pattern: CompiledPattern,
  options: SampleOptions & { readonly count?: number; readonly nearMisses?: boolean } = {},
): GenerateResult {
  return generateEvents(pattern, {
    ...generatorOptions(options),
    ...(options.count !== undefined ? { count: options.count } : {}),
    ...(options.nearMisses ? { nearMisses: true } : {}),
  });
}

/**
 * An event made to match `pattern`, built on the catalog's sample for its source and detail-type where there is one;
 * a plain envelope (which does not match) for a pattern no event can match.
 */
export function sampleEventForPattern(pattern: CompiledPattern, options: SampleOptions = {}): EventEnvelope {
  const r = eventsForPattern(pattern, options);
  return r.ok ? (r.matching[0].event as EventEnvelope) : plainEnvelope(options);
}

/** The catalog's sample event for a source and detail-type, or undefined (also when the catalog file is missing). */
export function catalogSampleEvent(source: string, detailType: string): EventEnvelope | undefined {
  try {
    return loadCatalog().sampleEvent(source, detailType) as EventEnvelope | undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the event catalog now rather than at the first validation (about 20 ms): the server calls it when it starts,
 * before any document opens. A missing or broken catalog is left for the features to notice.
 */
export function preloadCatalog(): void {
  try {
    loadCatalog().isAvailable();
  } catch {
    // Said where it matters (completion, lint).
  }
}

/** The catalog's sources and their detail-types (none, and `available: false`, when the catalog file is missing). */
export function catalogSources(): CatalogSources {
  try {
    const catalog = loadCatalog();
    if (!catalog.isAvailable()) return { available: false, sources: [] };
    return {
      available: true,
      sources: catalog.sources().map((source) => ({ source, detailTypes: [...catalog.detailTypes(source)] })),
    };
  } catch {
    return { available: false, sources: [] };
  }
}

/** The catalog's sample event for a source and detail-type, as the answer to the client's request. */
export function catalogSample(source: unknown, detailType: unknown): { event?: EventObject } {
  if (typeof source !== 'string' || typeof detailType !== 'string') return {};
  const event = catalogSampleEvent(source, detailType);
  return event ? { event } : {};
}
