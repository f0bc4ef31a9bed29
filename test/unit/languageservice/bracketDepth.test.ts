// The depth check before every JSON parse counts brackets as jsonc-parser's scanner sees them: held to the scanner
// itself on generated texts full of strings, escapes and comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createScanner, SyntaxKind } from 'jsonc-parser';
import { bracketDepth } from '../../../server/src/languageservice/parsing/jsonRegions';

function scannerDepth(text: string): number {
  const scanner = createScanner(text, true);
  let depth = 0;
  let max = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) max = Math.max(max, ++depth);
    else if ((token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) && depth > 0) depth--;
  }
  return max;
}

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '{',
  '}',
  '[',
  ']',
  '"',
  '\\',
  '/',
  '*',
  '\n',
  '\r',
  ' ',
  'a',
  '1',
  ':',
  ',',
  '//',
  '/*',
  '*/',
  '\\"',
  '\\u12',
];

test('bracketDepth agrees with the jsonc scanner', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const next = random(seed);
    const length = 1 + Math.floor(next() * 40);
    let text = '';
    for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
    assert.equal(bracketDepth(text), scannerDepth(text), `seed ${seed}: ${JSON.stringify(text)}`);
  }
});

test('bracketDepth on the forms that matter', () => {
  assert.equal(bracketDepth('{"a": [1, {"b": "[[[{{"}]}'), 3);
  assert.equal(bracketDepth('// [[[\n{ /* {{{ */ [] }'), 2);
  assert.equal(bracketDepth('{"unterminated [\n [ ] }'), 2);
  assert.equal(bracketDepth('"\\"[" ['), 1);
  assert.equal(bracketDepth('[/* never closed [[['), 1);
  assert.equal(bracketDepth('['.repeat(5000)), 5000);
});
