// plainJsonLength measures a pattern as JSON.stringify(toPlainValue(node)) would write it, without building either:
// held to that on generated documents (JSON and YAML, with repeated keys, unknown values, escapes, odd numbers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plainJsonLength, toPlainValue, type AstNode } from '../../../server/src/engine/jsonAst';
import { parseDocument } from '../../../server/src/languageservice/parsing/documentParser';

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['a', 'b', 'a', '__proto__', 'detail-type', 'é', 'q"uote', 'tab\t', '1', '0'];
const STRINGS = ['x', '', 'é🙂', 'line\nbreak', 'back\\slash', '"', '\u0001', '\ud800', 'orders/*/1'];
const NUMBERS = ['0', '-1.5', '1e999', '3.0e2', '100000000000000000000001', '-0'];

function value(next: () => number, depth: number): string {
  const r = next();
  if (depth < 4 && r < 0.25) {
    const n = Math.floor(next() * 4);
    const props = Array.from(
      { length: n },
      () => `${JSON.stringify(KEYS[Math.floor(next() * KEYS.length)])}: ${value(next, depth + 1)}`,
    );
    return `{${props.join(', ')}}`;
  }
  if (depth < 4 && r < 0.45) {
    const n = Math.floor(next() * 4);
    return `[${Array.from({ length: n }, () => value(next, depth + 1)).join(', ')}]`;
  }
  if (r < 0.55) return '{"Ref": "X"}';
  if (r < 0.62) return ['true', 'false', 'null'][Math.floor(next() * 3)];
  if (r < 0.75) return NUMBERS[Math.floor(next() * NUMBERS.length)];
  return JSON.stringify(STRINGS[Math.floor(next() * STRINGS.length)]);
}

test('plainJsonLength is the length of JSON.stringify(toPlainValue(node) ?? null)', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const text = value(random(seed), 0);
    // The same text read as JSON and as YAML (JSON is YAML's flow style).
    for (const language of ['json', 'yaml'] as const) {
      const root: AstNode | undefined = parseDocument(text, language).root;
      const expected = JSON.stringify(toPlainValue(root) ?? null).length;
      assert.equal(plainJsonLength(root), expected, `seed ${seed} (${language}): ${text}`);
    }
  }
});
