// The sample events of the folder `lint` runs in (`events/**/*.json`, each one event or an array of them), read as the
// editor reads them, so that `lint` gives the hints the editor learns from them (EB520). Bounded like the editor's
// reading: a few hundred files, each of a few hundred kilobytes, a few levels deep. Never throws.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SampleEventFileText {
  readonly name: string;
  readonly text: string;
  readonly uri: string;
}

export const CLI_SAMPLE_EVENT_LIMITS = { maxFiles: 200, maxFileBytes: 256 * 1024, maxDepth: 8 } as const;

/** The `*.json` files below `<folder>/events` (none when there is no such folder), and why others were skipped. */
export function readSampleEventsSync(
  folder: string,
  limits: {
    readonly maxFiles: number;
    readonly maxFileBytes: number;
    readonly maxDepth: number;
  } = CLI_SAMPLE_EVENT_LIMITS,
): { files: SampleEventFileText[]; problems: string[] } {
  const files: SampleEventFileText[] = [];
  const problems: string[] = [];
  let skipped = 0;
  const pending: { dir: string; depth: number }[] = [{ dir: join(folder, 'events'), depth: 0 }];
  while (pending.length > 0) {
    const { dir, depth } = pending.shift()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`cannot list ${dir}: ${(e as Error).message}`);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < limits.maxDepth) pending.push({ dir: path, depth: depth + 1 });
        continue;
      }
      if (!entry.isFile() || !entry.name.toLowerCase().endsWith('.json')) continue;
      if (files.length >= limits.maxFiles) {
        skipped++;
        continue;
      }
      try {
        const size = statSync(path).size;
        if (size > limits.maxFileBytes) {
          problems.push(
            `${path} is ${size} bytes, over the ${limits.maxFileBytes}-byte limit for sample events: skipped`,
          );
          continue;
        }
        const name = relative(folder, path).split(sep).join('/');
        files.push({ name, text: readFileSync(path, 'utf8'), uri: pathToFileURL(path).href });
      } catch (e) {
        problems.push(`cannot read ${path}: ${(e as Error).message}`);
      }
    }
  }
  if (skipped > 0) problems.push(`${skipped} more sample event files skipped (at most ${limits.maxFiles} are read)`);
  return { files, problems };
}
