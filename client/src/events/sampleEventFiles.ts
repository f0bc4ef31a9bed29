// Where "Save as Sample Event" writes an event: `events/<source>/<detail-type>-<n>.json`, n the number after the
// highest one already there for that detail-type (from 1), each name made safe for every file system the workspace
// may be shared to (Windows' reserved characters and names, control characters, trailing dots and blanks, length).
// Pure: the command lists the folder and writes the file.

/** The folder sample events live in (the code lens reads `events/**\/*.json`). */
export const SAMPLE_EVENTS_FOLDER = 'events';

const MAX_NAME_LENGTH = 100;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** A name safe as one path segment on Windows, macOS and Linux: unsafe characters become `_`. */
export function safeFileName(name: string): string {
  let safe = name
    .replace(/\s+/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]/g, '_')
    .trim()
    .replace(/[. ]+$/, '');
  if (safe.length > MAX_NAME_LENGTH) safe = safe.slice(0, MAX_NAME_LENGTH).replace(/[. ]+$/, '');
  if (safe === '' || /^\.+$/.test(safe)) return '_';
  if (WINDOWS_RESERVED.test(safe.split('.')[0])) safe = `_${safe}`;
  return safe;
}

/**
 * The path, relative to the workspace folder, of the next sample file of a source and detail-type, given the names
 * of the files already in `events/<source>/`.
 */
export function sampleEventPath(source: string, detailType: string, existing: Iterable<string>): string {
  const base = safeFileName(detailType);
  const numbered = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)\\.json$`, 'i');
  let highest = 0;
  for (const name of existing) {
    const m = numbered.exec(name);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  return `${SAMPLE_EVENTS_FOLDER}/${safeFileName(source)}/${base}-${highest + 1}.json`;
}

/** The source and detail-type of an event, when it has them as strings. */
export function eventKind(event: unknown): { source: string; detailType: string } | undefined {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return undefined;
  const o = event as Record<string, unknown>;
  return typeof o.source === 'string' && typeof o['detail-type'] === 'string'
    ? { source: o.source, detailType: o['detail-type'] }
    : undefined;
}
