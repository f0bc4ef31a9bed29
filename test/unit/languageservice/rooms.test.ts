// The language service's rooms follow the flow, and doors open one way: parsing/ knows nothing of sites/ or
// features/, sites/ nothing of features/; code outside the folder comes in through its facade (index.ts). Read with
// TypeScript's own scanner, so every form of import counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';
import { repoRoot } from '../repoPaths';

const FOLDER = 'server/src/languageservice';
/** Each room, with the rooms it may import from. */
const ROOMS: Readonly<Record<string, readonly string[]>> = {
  parsing: ['parsing'],
  sites: ['parsing', 'sites'],
  features: ['parsing', 'sites', 'features'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => join(dir, name).split(sep).join('/'));
}

/** The repository paths a file imports that lie inside the language service folder. */
function languageServiceImports(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((s) => s.startsWith('.'))
    .map((s) =>
      relative(repoRoot, resolve(repoRoot, dirname(file), s))
        .split(sep)
        .join('/'),
    )
    .filter((p) => p === FOLDER || p.startsWith(`${FOLDER}/`));
}

/** The room of a path inside the folder (`parsing`, ...), or '' for the facade's own files at the top. */
function roomOf(path: string): string {
  const rest = path.slice(FOLDER.length + 1);
  return rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : '';
}

test('parsing/ imports only parsing/, sites/ only parsing/ and sites/; features/ never the facade at run time', () => {
  const wrong: string[] = [];
  for (const file of sourceFiles(FOLDER)) {
    const room = roomOf(file);
    if (!(room in ROOMS)) continue;
    for (const target of languageServiceImports(file)) {
      const to = roomOf(target);
      if (to === '' ? room !== 'features' : !ROOMS[room].includes(to)) wrong.push(`${file} -> ${target}`);
    }
  }
  assert.deepEqual(wrong, []);
  // features/ may name the service's type, never import the facade's code (that would be a cycle).
  for (const file of sourceFiles(`${FOLDER}/features`)) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    assert.doesNotMatch(text, /^import (?!type )[^;]*from '\.\.\/languageService'/m, file);
  }
});

test('outside the folder, server code uses the language service through its facade', () => {
  const deep: string[] = [];
  for (const file of sourceFiles('server/src')) {
    if (file.startsWith(`${FOLDER}/`)) continue;
    for (const target of languageServiceImports(file)) if (target !== FOLDER) deep.push(`${file} -> ${target}`);
  }
  assert.deepEqual(deep, []);
});
