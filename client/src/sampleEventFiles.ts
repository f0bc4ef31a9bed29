// Where sample events are saved in the workspace: `events/<source>/<detail-type>-<n>.json`, and near misses as
// `events/<source>/<detail-type>-near-miss-<n>.json`, so that the code lens of a pattern (which runs `events/**/*.json`)
// counts them: the events that match, and the near misses as events that do not. Pure (no `vscode`), so it is tested
// on its own and other commands that save events can share it.

/** The folder all sample events go under, relative to the workspace folder. */
export const SAMPLE_EVENTS_FOLDER = 'events';

/** What kind of sample: an event that matches its pattern, or a near miss that does not. */
export type SampleEventKind = 'event' | 'near-miss';

const MAX_NAME_LENGTH = 100;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A name safe as one path segment on Windows, macOS and Linux, from a value: characters file systems refuse
 * (`< > : " / \ | ? *`, control characters) become `_`, runs of blanks one space, trailing dots and blanks go, a
 * reserved Windows name (`CON`, `nul.txt`) gets a `_` before it, at most 100 characters. Not a string, or nothing
 * left: `fallback`.
 */
export function safeFileName(value: unknown, fallback = '_'): string {
  if (typeof value !== 'string') return fallback;
  let safe = value
    .replace(/\s+/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]/g, '_')
    .trim()
    .replace(/[. ]+$/, '');
  if (safe.length > MAX_NAME_LENGTH) safe = safe.slice(0, MAX_NAME_LENGTH).replace(/[. ]+$/, '');
  if (safe === '' || /^\.+$/.test(safe)) return fallback;
  if (WINDOWS_RESERVED.test(safe.split('.')[0])) safe = `_${safe}`;
  return safe;
}

/** The source and detail-type of an event, when it has them as strings. */
export function eventKind(event: unknown): { source: string; detailType: string } | undefined {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return undefined;
  const o = event as Record<string, unknown>;
  return typeof o.source === 'string' && typeof o['detail-type'] === 'string'
    ? { source: o.source, detailType: o['detail-type'] }
    : undefined;
}

/**
 * The folder of an event's samples, as path segments: `['events', '<source>']`. A source named `sns` goes to
 * `sns-source`, since `events/sns/` holds SNS messages, which the event patterns' lenses leave out.
 */
export function sampleEventFolder(event: Readonly<Record<string, unknown>>): string[] {
  const source = safeFileName(event['source'], 'no-source');
  return [SAMPLE_EVENTS_FOLDER, source.toLowerCase() === 'sns' ? `${source}-source` : source];
}

/** The file name of the n-th sample of an event's detail-type (n from 1). */
export function sampleEventFileName(
  event: Readonly<Record<string, unknown>>,
  n: number,
  kind: SampleEventKind = 'event',
): string {
  const detailType = safeFileName(event['detail-type'], 'event');
  return kind === 'near-miss' ? `${detailType}-near-miss-${n}.json` : `${detailType}-${n}.json`;
}

/**
 * The path (relative, `/`-separated) of the next free sample file for an event: the lowest n whose file neither
 * exists (`taken`) nor is claimed by an earlier event of the same batch (`claimed`, updated).
 */
export function nextSampleEventPath(
  event: Readonly<Record<string, unknown>>,
  kind: SampleEventKind,
  taken: (path: string) => boolean,
  claimed: Set<string>,
): string {
  const folder = sampleEventFolder(event).join('/');
  for (let n = 1; ; n++) {
    const path = `${folder}/${sampleEventFileName(event, n, kind)}`;
    if (!claimed.has(path) && !taken(path)) {
      claimed.add(path);
      return path;
    }
  }
}
