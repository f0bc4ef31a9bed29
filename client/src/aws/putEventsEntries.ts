// PutEvents entries: built from what the user has (an event as EventBridge delivers it, a PutEvents entry, a whole
// PutEvents request, or a list of any of these), and checked before sending with the limits PROTOCOL.md section 6
// gives, so the user hears about a bad entry without a round trip.
import { jsonDepthExceeds, putEventsEntrySize } from '../../../server/src/eventbridge';

export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  /** A JSON object, as text. */
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: Date;
  TraceHeader?: string;
}

export const MAX_ENTRIES = 10;
/** The documented limit (the model text says 256KB; a raise to 1 MB is reported but unverified: configurable). */
export const DEFAULT_MAX_REQUEST_BYTES = 256 * 1024;
export const MAX_DETAIL_TYPE_LENGTH = 128;
export const MAX_RESOURCE_LENGTH = 2048;
export const MAX_DETAIL_DEPTH = 1000;

export interface EntryProblem {
  /** The entry's index, or undefined for a problem with the whole request. */
  readonly index?: number;
  readonly field?: 'Source' | 'DetailType' | 'Detail' | 'Resources' | 'EventBusName' | 'Entries';
  readonly message: string;
}

/** An entry's size as EventBridge counts it: 14 bytes when Time is set, plus the UTF-8 bytes of the strings. */
export function entrySize(entry: PutEventsEntry): number {
  return putEventsEntrySize(entry);
}

const depthOver = jsonDepthExceeds;

/** Every problem EventBridge would report for these entries, whole-request problems first. Empty when sendable. */
export function checkPutEventsEntries(
  entries: readonly PutEventsEntry[],
  options: { maxRequestBytes?: number } = {},
): EntryProblem[] {
  const problems: EntryProblem[] = [];
  const maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  if (entries.length === 0)
    problems.push({ field: 'Entries', message: 'There are no entries: PutEvents takes 1 to 10.' });
  if (entries.length > MAX_ENTRIES)
    problems.push({
      field: 'Entries',
      message: `There are ${entries.length} entries: PutEvents takes at most ${MAX_ENTRIES} per call.`,
    });
  const total = entries.reduce((n, e) => n + entrySize(e), 0);
  if (total > maxBytes)
    problems.push({
      field: 'Entries',
      message: `The entries total ${total} bytes (Source, DetailType, Detail and Resources in UTF-8, 14 for a Time); the limit is ${maxBytes}.`,
    });
  entries.forEach((entry, index) => {
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      if (entry[field] === undefined || entry[field] === '')
        problems.push({ index, field, message: `Entry ${index + 1}: ${field} is required.` });
    }
    if (entry.DetailType !== undefined && entry.DetailType.length > MAX_DETAIL_TYPE_LENGTH)
      problems.push({
        index,
        field: 'DetailType',
        message: `Entry ${index + 1}: DetailType is ${entry.DetailType.length} characters; at most ${MAX_DETAIL_TYPE_LENGTH}.`,
      });
    if (entry.Detail !== undefined && entry.Detail !== '') {
      let detail: unknown;
      let parsed = true;
      try {
        detail = JSON.parse(entry.Detail);
      } catch (e) {
        parsed = false;
        problems.push({
          index,
          field: 'Detail',
          message: `Entry ${index + 1}: Detail is not valid JSON (${e instanceof Error ? e.message : String(e)}).`,
        });
      }
      if (parsed && (detail === null || typeof detail !== 'object' || Array.isArray(detail)))
        problems.push({
          index,
          field: 'Detail',
          message: `Entry ${index + 1}: Detail must be a JSON object, not ${detail === null ? 'null' : Array.isArray(detail) ? 'an array' : typeof detail}.`,
        });
      else if (parsed && depthOver(detail, MAX_DETAIL_DEPTH))
        problems.push({
          index,
          field: 'Detail',
          message: `Entry ${index + 1}: Detail nests deeper than ${MAX_DETAIL_DEPTH} levels.`,
        });
    }
    for (const r of entry.Resources ?? [])
      if (r.length > MAX_RESOURCE_LENGTH)
        problems.push({
          index,
          field: 'Resources',
          message: `Entry ${index + 1}: a resource is longer than ${MAX_RESOURCE_LENGTH} characters.`,
        });
  });
  return problems;
}

export type EntriesFromJson = { ok: true; entries: PutEventsEntry[] } | { ok: false; message: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}

/** One entry from an event envelope (`source`, `detail-type`, `detail`) or a PutEvents entry (`Source`, ...). */
function entryFromObject(o: Record<string, unknown>, position: string): PutEventsEntry | string {
  if ('Source' in o || 'DetailType' in o || 'Detail' in o) {
    const entry: PutEventsEntry = {};
    if (typeof o.Source === 'string') entry.Source = o.Source;
    if (typeof o.DetailType === 'string') entry.DetailType = o.DetailType;
    // A Detail written as an object (hand-written files often do) is sent as its JSON text.
    if (typeof o.Detail === 'string') entry.Detail = o.Detail;
    else if (o.Detail !== undefined) entry.Detail = JSON.stringify(o.Detail);
    if (typeof o.EventBusName === 'string') entry.EventBusName = o.EventBusName;
    const resources = stringList(o.Resources);
    if (resources) entry.Resources = resources;
    if (typeof o.TraceHeader === 'string') entry.TraceHeader = o.TraceHeader;
    if (typeof o.Time === 'string' || typeof o.Time === 'number') {
      const time = typeof o.Time === 'number' ? new Date(o.Time * 1000) : new Date(o.Time);
      if (!Number.isNaN(time.getTime())) entry.Time = time;
    }
    return entry;
  }
  if ('source' in o || 'detail-type' in o || 'detail' in o) {
    if (Array.isArray(o.source) || Array.isArray(o['detail-type']))
      return `${position} looks like an event pattern (its source/detail-type are lists), not an event: use "a sample event that matches the pattern"`;
    const entry: PutEventsEntry = {};
    if (typeof o.source === 'string') entry.Source = o.source;
    if (typeof o['detail-type'] === 'string') entry.DetailType = o['detail-type'];
    if (o.detail !== undefined) entry.Detail = JSON.stringify(o.detail);
    const resources = stringList(o.resources);
    if (resources && resources.length > 0) entry.Resources = resources;
    if (typeof o.time === 'string') {
      const time = new Date(o.time);
      if (!Number.isNaN(time.getTime())) entry.Time = time;
    }
    return entry;
  }
  return `${position} is not an event: expected source, detail-type and detail (or Source, DetailType and Detail)`;
}

/**
 * Entries from JSON text holding an event, a PutEvents entry, a PutEvents request (`{"Entries": [...]}`) or a list
 * of events/entries. The entries are not checked here: see `checkPutEventsEntries`.
 */
export function entriesFromJson(text: string): EntriesFromJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const list = isRecord(value) && Array.isArray(value.Entries) ? value.Entries : Array.isArray(value) ? value : [value];
  const entries: PutEventsEntry[] = [];
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    const position = list.length === 1 ? 'The JSON' : `Item ${i + 1}`;
    if (!isRecord(item)) return { ok: false, message: `${position} is not a JSON object` };
    const entry = entryFromObject(item, position);
    if (typeof entry === 'string') return { ok: false, message: entry };
    entries.push(entry);
  }
  return { ok: true, entries };
}

/** Sets the bus on every entry that names none. */
export function withBus(entries: readonly PutEventsEntry[], eventBusName: string): PutEventsEntry[] {
  return entries.map((e) => (e.EventBusName ? e : { ...e, EventBusName: eventBusName }));
}
