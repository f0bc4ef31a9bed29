// EventBridge API facts shared by the catalog, the local bus and the client: the event envelope delivered to
// targets, and how PutEvents sizes and bounds its entries.

/** The top-level fields of every EventBridge event, in the documented order (`replay-name` is added to replayed events). */
export const ENVELOPE_KEYS: readonly string[] = [
  'version',
  'id',
  'detail-type',
  'source',
  'account',
  'time',
  'region',
  'resources',
  'detail',
  'replay-name',
];

/** A complete event as EventBridge hands it to targets (keys in the documented order). */
export interface EventEnvelope {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** A PutEvents entry's size as EventBridge counts it: 14 bytes when Time is set, then the UTF-8 of the strings. */
export function putEventsEntrySize(entry: {
  readonly Time?: unknown;
  readonly Source?: unknown;
  readonly DetailType?: unknown;
  readonly Detail?: unknown;
  readonly Resources?: unknown;
}): number {
  let size = entry.Time !== undefined && entry.Time !== null ? 14 : 0;
  for (const v of [entry.Source, entry.DetailType, entry.Detail])
    if (typeof v === 'string') size += Buffer.byteLength(v, 'utf8');
  if (Array.isArray(entry.Resources))
    for (const r of entry.Resources) if (typeof r === 'string') size += Buffer.byteLength(r, 'utf8');
  return size;
}

/** Whether a parsed JSON value nests deeper than `max` levels (iterative: hostile input cannot overflow the stack). */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return false;
}

/** How deep a PutEvents entry's Detail may nest before EventBridge calls it malformed. */
export const MAX_DETAIL_DEPTH = 1000;
export const MAX_DETAIL_TYPE_LENGTH = 128;
export const MAX_RESOURCE_LENGTH = 2048;

/** Epoch seconds → `2026-11-27T05:00:00Z` (seconds precision, as EventBridge writes `time`). */
export function eventTimeText(epochSeconds: number): string {
  return new Date(Math.floor(epochSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Why EventBridge refuses one PutEvents entry (the entry fails alone; the others are still put). */
export interface PutEventsEntryError {
  readonly ErrorCode: 'InvalidArgument' | 'MalformedDetail';
  readonly ErrorMessage: string;
}

export interface EnvelopeContext {
  readonly accountId: string;
  readonly region: string;
  /** A new event id (EventBridge gives each event a UUID). */
  readonly newId: () => string;
  /** Now, in epoch seconds: the time of an entry without `Time`. */
  readonly nowSeconds: () => number;
}

/**
 * The event EventBridge builds from one PutEvents entry (`Source`, `DetailType`, `Detail` as JSON text, optional
 * `Resources` and `Time` in epoch seconds), with its time in epoch seconds; or the error that entry gets. The one
 * place where an entry becomes an envelope: the local bus routes what this returns, `match-rules` matches it.
 */
export function envelopeFromPutEventsEntry(
  entry: Readonly<Record<string, unknown>>,
  context: EnvelopeContext,
): { readonly event: EventEnvelope; readonly timeSeconds: number } | PutEventsEntryError {
  for (const key of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry[key] !== 'string' || entry[key] === '')
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter ${key} is not valid. Reason: ${key} is a required argument.`,
      };
  }
  const detailType = entry.DetailType as string;
  if (detailType.length > MAX_DETAIL_TYPE_LENGTH)
    return {
      ErrorCode: 'InvalidArgument',
      ErrorMessage: `Parameter DetailType is not valid. Reason: DetailType is longer than ${MAX_DETAIL_TYPE_LENGTH} characters.`,
    };
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (!detail || typeof detail !== 'object' || Array.isArray(detail) || jsonDepthExceeds(detail, MAX_DETAIL_DEPTH))
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  const resources = entry.Resources === undefined || entry.Resources === null ? [] : entry.Resources;
  if (!Array.isArray(resources) || !resources.every((x) => typeof x === 'string' && x.length <= MAX_RESOURCE_LENGTH))
    return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Resources is not valid.' };
  const timeSeconds = typeof entry.Time === 'number' && Number.isFinite(entry.Time) ? entry.Time : context.nowSeconds();
  return {
    event: {
      version: '0',
      id: context.newId(),
      'detail-type': detailType,
      source: entry.Source as string,
      account: context.accountId,
      time: eventTimeText(timeSeconds),
      region: context.region,
      resources: resources as string[],
      detail: detail as Record<string, unknown>,
    },
    timeSeconds,
  };
}
