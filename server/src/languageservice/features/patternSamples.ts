// Sample events: the catalog's, and one made to match a pattern. For the latter, start from the catalog's sample for
// the pattern's source and detail-type (or a plain envelope), then give every field the pattern constrains a value the
// pattern accepts. The caller checks the result with the engine, which has the last word.

import type { CatalogSources, EventObject } from '../../../../shared';
import { loadCatalog } from '../../catalog/catalog';
import type { EventEnvelope as BaseEnvelope } from '../../eventbridge';

export type EventEnvelope = BaseEnvelope & Record<string, unknown>;

export type SampleLookup = (source: string, detailType: string) => EventEnvelope | undefined;

export interface SampleOptions {
  readonly lookup?: SampleLookup;
  readonly region?: string;
  readonly accountId?: string;
  readonly now?: Date;
  readonly id?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The first plain string in a pattern's match list for `key` (`source: ["aws.s3"]` → `aws.s3`). */
function firstExactString(pattern: Record<string, unknown>, key: string): string | undefined {
  const list = pattern[key];
  if (!Array.isArray(list)) return undefined;
  return list.find((v): v is string => typeof v === 'string');
}

/** A plain envelope: the shape EventBridge delivers, with placeholder values. */
export function plainEnvelope(options: SampleOptions = {}): EventEnvelope {
  return {
    version: '0',
    id: options.id ?? '00000000-0000-0000-0000-000000000000',
    'detail-type': 'Sample Event',
    source: 'sample.source',
    account: options.accountId ?? '123456789012',
    time: (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: options.region ?? 'us-east-1',
    resources: [],
    detail: {},
  };
}

function numberFor(conditions: unknown[]): number | undefined {
  let low = -Infinity;
  let lowInclusive = false;
  let high = Infinity;
  let highInclusive = false;
  const equal: number[] = [];
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const op = conditions[i];
    const n = conditions[i + 1];
    if (typeof n !== 'number') return undefined;
    if (op === '=') equal.push(n);
    else if (op === '>' || op === '>=') {
      if (n > low || (n === low && op === '>')) [low, lowInclusive] = [n, op === '>='];
    } else if (op === '<' || op === '<=') {
      if (n < high || (n === high && op === '<')) [high, highInclusive] = [n, op === '<='];
    }
  }
  if (equal.length > 0) return equal[0];
  if (low === -Infinity && high === Infinity) return 0;
  if (low === -Infinity) return highInclusive ? high : high - 1;
  if (high === Infinity) return lowInclusive ? low : low + 1;
  if (lowInclusive) return low;
  if (highInclusive) return high;
  return (low + high) / 2;
}

function firstAddress(cidr: string): string {
  const [address] = cidr.split('/');
  return address;
}

/** Turns a wildcard pattern into a string it matches: `*` becomes `x`, `\*` a literal star. */
function wildcardExample(pattern: string): string {
  return pattern.replace(/\\\*|\\\\|\*/g, (m) => (m === '*' ? 'x' : m.slice(1)));
}

function stringOperand(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isRecord(v) && typeof v['equals-ignore-case'] === 'string') return v['equals-ignore-case'];
  return undefined;
}

/** A value for one entry of a match list, given the value already there; undefined = remove the field. */
function valueFor(matcher: unknown, current: unknown): { value: Json | undefined } | undefined {
  if (matcher === null || typeof matcher === 'string' || typeof matcher === 'number' || typeof matcher === 'boolean')
    return { value: matcher };
  if (!isRecord(matcher)) return undefined;
  const [op, arg] = Object.entries(matcher)[0] ?? [];
  const currentString = typeof current === 'string' ? current : undefined;
  switch (op) {
    case 'prefix': {
      const p = stringOperand(arg);
      if (p === undefined) return undefined;
      return { value: currentString?.startsWith(p) ? currentString : `${p}sample` };
    }
    case 'suffix': {
      const s = stringOperand(arg);
      if (s === undefined) return undefined;
      return { value: currentString?.endsWith(s) ? currentString : `sample${s}` };
    }
    case 'equals-ignore-case':
      return typeof arg === 'string' ? { value: arg } : undefined;
    case 'wildcard':
      return typeof arg === 'string' ? { value: wildcardExample(arg) } : undefined;
    case 'numeric':
      if (!Array.isArray(arg)) return undefined;
      return { value: numberFor(arg) ?? 0 };
    case 'exists':
      if (arg === false) return { value: undefined };
      return { value: current !== undefined && current !== null && !isRecord(current) ? (current as Json) : 'sample' };
    case 'cidr':
      return typeof arg === 'string' ? { value: firstAddress(arg) } : undefined;
    case 'anything-but': {
      const excluded = Array.isArray(arg) ? arg : [arg];
      if (isRecord(arg)) {
        // anything-but {prefix|suffix|equals-ignore-case|wildcard: ...}: a value unlike any of them.
        return { value: 'zz-sample-value-zz' };
      }
      if (current !== undefined && !isRecord(current) && !excluded.includes(current)) return { value: current as Json };
      if (excluded.every((x) => typeof x === 'number')) return { value: Math.max(0, ...excluded) + 1 };
      let candidate = 'other-value';
      while (excluded.includes(candidate)) candidate += '-x';
      return { value: candidate };
    }
    default:
      return undefined;
  }
}

/** Applies one pattern object to an event object, in place. */
function applyPattern(pattern: Record<string, unknown>, target: Record<string, unknown>): void {
  for (const [key, spec] of Object.entries(pattern)) {
    if (key === '$or') {
      if (Array.isArray(spec) && isRecord(spec[0])) applyPattern(spec[0], target);
      continue;
    }
    if (isRecord(spec)) {
      if (!isRecord(target[key])) target[key] = {};
      applyPattern(spec, target[key] as Record<string, unknown>);
      continue;
    }
    if (!Array.isArray(spec) || spec.length === 0) continue;
    const current = target[key];
    // An array in the event matches when any element matches: change the first element, keep the array.
    const currentElement = Array.isArray(current) ? (current as unknown[])[0] : current;
    // Keep what is there when it is already one of the wanted exact values.
    if (currentElement !== undefined && spec.some((m) => m === currentElement)) continue;
    let chosen: { value: Json | undefined } | undefined;
    for (const matcher of spec) {
      chosen = valueFor(matcher, currentElement);
      if (chosen) break;
    }
    if (!chosen) continue;
    if (chosen.value === undefined) delete target[key];
    else if (Array.isArray(current) || key === 'resources') target[key] = [chosen.value];
    else target[key] = chosen.value;
  }
}

/**
 * An event meant to match `pattern` (a plain pattern value, as JSON.parse gives). Based on the catalog sample for the
 * pattern's first exact source and detail-type when `lookup` knows them.
 */
export function sampleEventForPattern(pattern: unknown, options: SampleOptions = {}): EventEnvelope {
  const p = isRecord(pattern) ? pattern : {};
  const source = firstExactString(p, 'source');
  const detailType = firstExactString(p, 'detail-type');
  const fromCatalog = source && detailType ? options.lookup?.(source, detailType) : undefined;
  const event: EventEnvelope = fromCatalog ? structuredClone(fromCatalog) : plainEnvelope(options);
  if (options.region) event.region = options.region;
  if (options.accountId) event.account = options.accountId;
  if (options.now) event.time = options.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (options.id) event.id = options.id;
  applyPattern(p, event);
  if (!isRecord(event.detail)) event.detail = {};
  return event;
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
