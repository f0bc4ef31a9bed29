// The complexity measure of one pattern with one star is computed from the borders of the segment after the star;
// held to the automaton simulation on generated patterns rich in repeats (where borders are many).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileWildcard, simulatedComplexity, wildcardComplexity } from '../../../server/src/engine/wildcard';

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('one star: the border measure equals the simulation', () => {
  const alphabet = ['a', 'b', '"', '🙂', '/'];
  for (let seed = 1; seed <= 3000; seed++) {
    const next = random(seed);
    const word = (max: number): string =>
      Array.from({ length: Math.floor(next() * max) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const value = `${word(5)}*${word(12)}`;
    const compiled = compileWildcard(value);
    assert.ok(compiled.ok, value);
    const others = seed % 3 === 0 ? [compileWildcard('plain')] : [];
    const patterns = [compiled.pattern, ...others.map((o) => (o.ok ? o.pattern : compiled.pattern))];
    for (const cap of [64, 19, 4]) {
      assert.equal(wildcardComplexity(patterns, cap), simulatedComplexity(patterns, cap), `${value} (cap ${cap})`);
    }
  }
});

test('known measures', () => {
  const measure = (...values: string[]): number =>
    wildcardComplexity(
      values.map((v) => {
        const c = compileWildcard(v);
        assert.ok(c.ok);
        return c.pattern;
      }),
    );
  assert.equal(measure('orders/*/3'), 3);
  // After the star, "aaaa\"": every run of a's is a prefix of it, so up to four positions live at once.
  assert.equal(measure('x*aaaa'), 6);
  // Two stars are simulated.
  const twoStars = compileWildcard('a*b*c');
  assert.ok(twoStars.ok);
  assert.equal(measure('a*b*c'), simulatedComplexity([twoStars.pattern]));
});
