// The fast reader of well-formed JSON gives exactly the tree jsonc-parser's tolerant parse gives (parents included),
// and gives up on everything else: held to it on generated documents, mutated ones and the fixture templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AstNode } from '../../../server/src/engine/jsonAst';
import { MAX_NESTING_DEPTH, parseJsonText } from '../../../server/src/languageservice/parsing/documentParser';
import { readWellFormedJson } from '../../../server/src/languageservice/parsing/wellFormedJson';
import { repoRoot } from '../repoPaths';

/** The tolerant parse alone: the same entry point with the fast reader refusing everything. */
function tolerant(text: string) {
  return parseJsonText(text, { wellFormedReader: false });
}

/** A tree as plain data, each node with the offset and type of its parent, so that parent links are compared too. */
function shape(root: AstNode | undefined): unknown {
  return JSON.parse(
    JSON.stringify(root ?? null, function (this: unknown, key, value: unknown) {
      if (key !== 'parent') return value;
      const parent = value as { type: string; offset: number } | undefined;
      return parent ? `${parent.type}@${parent.offset}` : undefined;
    }),
  );
}

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['a', 'Ref', 'Fn::Sub', 'Fn::GetAtt', 'Condition', 'détail', 'q"uote', 'e\\\\scape', ''];
const SCALARS = [
  '"x"',
  '""',
  '"é🙂"',
  '"line\\nbreak \\t \\u00e9 \\ud83d\\ude00 \\/"',
  '0',
  '-0',
  '-1.5e+3',
  '3.0E2',
  '1e999',
  '123456789012345678901234567890',
  'true',
  'false',
  'null',
];
const SPACES = ['', ' ', '\n  ', '\r\n', '\t'];

function value(next: () => number, depth: number): string {
  const ws = (): string => SPACES[Math.floor(next() * SPACES.length)];
  const r = next();
  if (depth < 5 && r < 0.3) {
    const props = Array.from(
      { length: Math.floor(next() * 4) },
      () =>
        `${ws()}${JSON.stringify(KEYS[Math.floor(next() * KEYS.length)])}${ws()}:${ws()}${value(next, depth + 1)}${ws()}`,
    );
    return `{${props.join(',')}${props.length === 0 ? ws() : ''}}`;
  }
  if (depth < 5 && r < 0.5) {
    const items = Array.from({ length: Math.floor(next() * 4) }, () => `${ws()}${value(next, depth + 1)}${ws()}`);
    return `[${items.join(',')}]`;
  }
  return SCALARS[Math.floor(next() * SCALARS.length)];
}

/** Breaks a text the way typing does: a character dropped, doubled or replaced by a JSON-ish one. */
function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const pieces = [',', '}', ']', '"', ':', '/', '//x\n', '/*', '\\', 'x', ' ', '0', '\u000b', '\ufeff', '\u0001'];
  const piece = pieces[Math.floor(next() * pieces.length)];
  const r = next();
  if (r < 0.33) return text.slice(0, at) + text.slice(at + 1);
  if (r < 0.66) return text.slice(0, at) + piece + text.slice(at);
  return text.slice(0, at) + piece + text.slice(at + 1);
}

test('well-formed texts: the fast reader gives the tolerant parse tree, parents included', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const next = random(seed);
    const text = SPACES[seed % SPACES.length] + value(next, 0) + SPACES[(seed >> 2) % SPACES.length];
    const expected = tolerant(text);
    assert.deepEqual(expected.syntaxErrors, [], `seed ${seed} is well formed: ${text}`);
    assert.deepEqual(shape(parseJsonText(text).root), shape(expected.root), `seed ${seed}: ${text}`);
  }
});

test('mutated texts: the fast reader reads the same tree or gives up, never another tree', () => {
  let gaveUp = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const next = random(seed);
    let text = value(next, 0);
    for (let m = 0; m < 1 + (seed % 3); m++) text = mutate(text, next);
    const fast = readWellFormedJson(text, MAX_NESTING_DEPTH, {
      isLongFormIntrinsic: () => false,
      describe: () => '',
    });
    const expected = tolerant(text);
    if (fast === undefined) {
      gaveUp++;
      continue;
    }
    assert.deepEqual(expected.syntaxErrors, [], `seed ${seed}: read a text jsonc-parser finds problems in: ${text}`);
    assert.deepEqual(shape(parseJsonText(text).root), shape(expected.root), `seed ${seed}: ${text}`);
  }
  // Most mutations break the text: the test must have seen both outcomes.
  assert.ok(gaveUp > 1000 && gaveUp < 3000, `gave up on ${gaveUp} of 3000`);
});

test('the fixture templates read the same either way', () => {
  const dir = join(repoRoot, 'test', 'fixtures', 'templates');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const text = readFileSync(join(dir, name), 'utf8');
    assert.deepEqual(shape(parseJsonText(text).root), shape(tolerant(text).root), name);
  }
});

test('nesting: up to the bound read fast, beyond it refused as before', () => {
  const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
  assert.ok(
    readWellFormedJson(deep(MAX_NESTING_DEPTH), MAX_NESTING_DEPTH, {
      isLongFormIntrinsic: () => false,
      describe: () => '',
    }),
  );
  assert.equal(
    readWellFormedJson(deep(MAX_NESTING_DEPTH + 1), MAX_NESTING_DEPTH, {
      isLongFormIntrinsic: () => false,
      describe: () => '',
    }),
    undefined,
  );
  const refused = parseJsonText(deep(MAX_NESTING_DEPTH + 1));
  assert.equal(refused.root, undefined);
  assert.match(refused.syntaxErrors[0].message, /nested more than/);
});
