import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from '../../../server/src/engine/jsonParser';
import { getProperty, pathOf } from '../../../server/src/engine/jsonAst';

test('keeps number spellings, duplicate keys and exact offsets', () => {
  const text = '{"a": [3.0e2, -0.5], "a": {"b": "x\\u0041"}}';
  const r = parseJson(text);
  assert.deepEqual(r.errors, []);
  const root = r.root!;
  assert.equal(root.type, 'object');
  if (root.type !== 'object') return;
  assert.equal(root.properties.length, 2, 'both duplicates kept');
  const first = root.properties[0].value!;
  assert.equal(first.type, 'array');
  if (first.type !== 'array') return;
  const n = first.items[0];
  assert.equal(n.type === 'number' && n.text, '3.0e2');
  assert.equal(text.slice(n.offset, n.offset + n.length), '3.0e2');
  const b = getProperty(getProperty(root, 'a'), 'b')!;
  assert.equal(b.type === 'string' && b.value, 'xA');
  assert.equal(text.slice(b.offset, b.offset + b.length), '"x\\u0041"');
  assert.deepEqual(pathOf(b), ['a', 'b']);
});

test('reports every syntax error and keeps going', () => {
  const r = parseJson('{"a": [1 2], "b": [tru], "c": ["x" "y"]}');
  assert.equal(r.errors.length, 3);
  assert.match(r.errors[0].message, /was expecting comma to separate Array entries/);
  assert.match(r.errors[1].message, /^Unrecognized token 'tru'/);
  assert.equal(r.root?.type, 'object');
});

test('mismatched close markers quote the start location as Jackson does', () => {
  const r = parseJson('{"a": ["x"}');
  assert.equal(
    r.errors[0].message,
    `Unexpected close marker '}': expected ']' (for Array starting at [Source: (String)"{"a": ["x"}"; line: 1, column: 7])`,
  );
});

test('nesting 100,000 deep does not overflow the stack', () => {
  const depth = 100_000;
  const r = parseJson('['.repeat(depth) + ']'.repeat(depth));
  assert.deepEqual(r.errors, []);
});

test('binary garbage and lone surrogates give errors, not exceptions', () => {
  const garbage = Array.from({ length: 2000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('');
  const r = parseJson(garbage);
  assert.ok(r.errors.length > 0);
  const s = parseJson('{"a":["\uD800"]}');
  assert.deepEqual(s.errors, []);
});

test('parent links: set by default, left out on request (compiling large rule sets)', () => {
  const text = '{"a": [{"b": 1}]}';
  const linked = parseJson(text).root;
  const bare = parseJson(text, { linkParents: false }).root;
  assert.ok(linked?.type === 'object' && bare?.type === 'object');
  const linkedArray = linked.properties[0].value;
  assert.equal(linkedArray?.parent, linked.properties[0]);
  assert.equal(linked.properties[0].parent, linked);
  assert.equal(bare.properties[0].value?.parent, undefined);
  assert.equal(bare.properties[0].parent, undefined);
  // Everything else is the same tree.
  const strip = (n: unknown): string => JSON.stringify(n, (k, v: unknown) => (k === 'parent' ? undefined : v));
  assert.equal(strip(bare), strip(linked));
});
