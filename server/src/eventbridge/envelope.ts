// EventBridge API facts shared by the catalog, the local bus and the client: the event envelope delivered to
// targets, and how PutEvents sizes and bounds its entries.

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
