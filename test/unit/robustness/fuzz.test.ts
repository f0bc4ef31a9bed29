// A short fuzz run on every test run (npm run fuzz runs a long one): mutated inputs never throw, and the compiled
// matcher, the reference matcher and the explanation always agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz, loadCorpus } from '../../fuzz/fuzzCore';
import { repoRoot } from '../repoPaths';

test('mutated patterns, events and templates: no exception escapes and every matcher agrees', () => {
  const stats = fuzz(loadCorpus(repoRoot), 3000, 20261127);
  assert.ok(stats.patterns === 3000);
  assert.ok(stats.matches > 300, `only ${stats.matches} valid pairs were compared`);
  assert.ok(stats.documents > 500);
});
