// The workspace's sample events: the `*.json` files below `events/` in each workspace folder (each one event or an
// array of them), read within bounds. Plain Node.js, no LSP: the language server reads them for the code lens and the
// learned schemas, and `lint` for the same hints in the folder it runs in.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A file of sample events read from the workspace: one event object or an array of them. */
export interface SampleEventFile {
  readonly name: string;
  readonly text: string;
  readonly uri?: string;
}

/** What reading the workspace's sample events gave: the files, and why others were skipped. */
export interface SampleEventLoad {
  readonly files: SampleEventFile[];
  readonly problems: string[];
}

export interface SampleEventLimits {
  /** Files read in all (the rest are skipped, with one problem saying so). */
  readonly maxFiles: number;
  /** Larger files are skipped. */
  readonly maxFileBytes: number;
  /** Directory levels below `events/`. */
  readonly maxDepth: number;
}

export const DEFAULT_SAMPLE_EVENT_LIMITS: SampleEventLimits = { maxFiles: 200, maxFileBytes: 256 * 1024, maxDepth: 8 };

/**
 * Reads the `*.json` files below `events/` in each `file:` workspace folder, within the limits. Never throws: what
 * cannot be read is reported in `problems` (a folder without `events/` is not a problem).
 */
export async function readSampleEventFiles(
  folderUris: readonly string[],
  limits: SampleEventLimits = DEFAULT_SAMPLE_EVENT_LIMITS,
): Promise<SampleEventLoad> {
  const files: SampleEventFile[] = [];
  const problems: string[] = [];
  let skipped = 0;
  for (const folderUri of folderUris) {
    if (!folderUri.startsWith('file:')) continue;
    let folder: string;
    try {
      folder = fileURLToPath(folderUri);
    } catch {
      problems.push(`${folderUri} is not a file path`);
      continue;
    }
    const pending: { dir: string; depth: number }[] = [{ dir: join(folder, 'events'), depth: 0 }];
    while (pending.length > 0) {
      const { dir, depth } = pending.shift()!;
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          problems.push(`cannot list ${dir}: ${error instanceof Error ? error.message : String(error)}`);
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
          const size = (await stat(path)).size;
          if (size > limits.maxFileBytes) {
            problems.push(
              `${path} is ${size} bytes, over the ${limits.maxFileBytes}-byte limit for sample events: skipped`,
            );
            continue;
          }
          const text = await readFile(path, 'utf8');
          files.push({ name: relative(folder, path).split(sep).join('/'), text, uri: pathToFileURL(path).href });
        } catch (error) {
          problems.push(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }
  if (skipped > 0) problems.push(`${skipped} more sample event files skipped (at most ${limits.maxFiles} are read)`);
  return { files, problems };
}
