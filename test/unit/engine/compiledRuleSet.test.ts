// The compiled many-rule matcher gives the reference engine's answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePattern, parseEventText, matchesEventNode, type CompiledPattern } from '../../../server/src/engine';
import { CompiledRuleSet } from '../../../server/src/engine/compiled/ruleSet';
import { repoRoot } from '../repoPaths';

function compile(text: string): CompiledPattern {
  const c = compilePattern(text);
  if (!c.ok) throw new Error(c.error.message);
  return c.pattern;
}

test('the benchmark workload: the same (event, rule) matches as aws/event-ruler, for every rule count', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-wl-'));
  const N = 4000;
  const gen = spawnSync(process.execPath, [join(repoRoot, 'scripts/bench/gen-workload.mjs'), dir, String(N)], { encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  const events = readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean);
  for (const P of [1, 100, 1000, 10000]) {
    const rules = readFileSync(join(dir, `rules-${P}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const r = JSON.parse(l) as { name: string; pattern: unknown };
        return { name: r.name, pattern: compile(JSON.stringify(r.pattern)) };
      });
    const set = CompiledRuleSet.compile(rules);
    const found: string[] = [];
    events.forEach((e, k) => {
      const names = set.matchText(e);
      if (names.length > 0) found.push(JSON.stringify({ event: k, rules: names }));
    });
    const expected = readFileSync(join(repoRoot, `test/fixtures/bench/expected-matches-${P}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .filter((l) => (JSON.parse(l) as { event: number }).event < N)
      .map((l) => JSON.stringify(JSON.parse(l)));
    assert.ok(expected.length > 50, 'the workload has matches to compare');
    assert.deepEqual(found, expected, `P=${P}`);
  }
});

test('every conformance pattern in one set, against every conformance event: same answers as the reference', () => {
  interface Case { name: string; patternText: string; eventText: string; expect: string }
  const cases = ['aws-recorded.json', 'event-ruler.json'].flatMap(
    (f) => JSON.parse(readFileSync(join(repoRoot, 'test/conformance', f), 'utf8')) as Case[],
  );
  const valid = cases.filter((c) => c.expect !== 'invalid' && compilePattern(c.patternText).ok);
  const rules = valid.map((c, i) => ({ name: `p${i}`, pattern: compile(c.patternText) }));
  const set = CompiledRuleSet.compile(rules);
  const events = [...new Set(cases.map((c) => c.eventText))].map((t) => parseEventText(t)).filter((e) => e.ok);
  let compared = 0;
  for (const ev of events) {
    if (!ev.ok) continue;
    const got = set.matchNode(ev.event);
    const want = rules.filter((r) => matchesEventNode(r.pattern, ev.event)).map((r) => r.name);
    assert.deepEqual(got, want);
    // From a parsed object too (number spellings are lost there, so compare on events without big numbers).
    compared++;
  }
  assert.ok(compared > 300 && rules.length > 300);
});

test('array consistency, exists:false, $or duplicates and number spellings in the compiled set', () => {
  const set = CompiledRuleSet.compile([
    { name: 'same-element', pattern: compile('{"d":{"a":["1"],"b":["2"]}}') },
    { name: 'absent', pattern: compile('{"d":{"a":[{"exists":false}],"b":[{"exists":true}]}}') },
    { name: 'or', pattern: compile('{"$or":[{"x":["1"]},{"y":["2"]}]}') },
    { name: 'big', pattern: compile('{"n":[12345678901234567890]}') },
    { name: 'range', pattern: compile('{"n":[{"numeric":[">",0,"<=",5]}]}') },
  ]);
  assert.deepEqual(set.matchText('{"d":[{"a":"1"},{"b":"2"}]}'), []);
  assert.deepEqual(set.matchText('{"d":[{"a":"1","b":"2"}]}'), ['same-element']);
  assert.deepEqual(set.matchText('{"d":[{"b":"2"}]}'), ['absent']);
  assert.deepEqual(set.matchText('{"x":"1","y":"2"}'), ['or']);
  assert.deepEqual(set.matchText('{"n":12345678901234567890}'), ['big']);
  assert.deepEqual(set.matchText('{"n":5.0}'), ['range']);
  assert.deepEqual(set.matchText('{"n":0}'), []);
  assert.deepEqual(set.matchText('not json'), []);
});

test('the raw-text prefilter never drops a match: escapes, prefixes, values in arrays, and sets it cannot cover', () => {
  const one = CompiledRuleSet.compile([{ name: 'r', pattern: compile('{"detail":{"state":["hibernated"]}}') }]);
  assert.deepEqual(one.matchText('{"detail":{"state":"hibernated"}}'), ['r']);
  // The same value spelled with escapes: the text holds no needle, so the prefilter must let it through.
  assert.deepEqual(one.matchText('{"detail":{"state":"hibern\\u0061ted"}}'), ['r']);
  assert.deepEqual(one.matchText('{"d\\u0065tail":{"state":"hibernated"}}'), ['r']);
  assert.deepEqual(one.matchText('{"detail":{"state":["x","hibernated"]}}'), ['r']);
  // The needle present, but not where the rule looks: parsed, then rejected.
  assert.deepEqual(one.matchText('{"detail":{"hibernated":"state"}}'), []);
  assert.deepEqual(one.matchText('{"detail":{"state":"running"}}'), []);
  assert.deepEqual(one.matchText('{"detail":{"state":"hibernated"'), []);

  const prefix = CompiledRuleSet.compile([
    { name: 'p', pattern: compile('{"id":[{"prefix":"i-6"}]}') },
    { name: 'q', pattern: compile('{"quote":["a\\"b"], "n":[1]}') },
  ]);
  assert.deepEqual(prefix.matchText('{"id":"i-6abc"}'), ['p']);
  assert.deepEqual(prefix.matchText('{"id":"\\u0069-6abc"}'), ['p']);
  assert.deepEqual(prefix.matchText('{"id":"i-7abc"}'), []);
  // A value with a quote can only be written with an escape, which turns the prefilter off for that text.
  assert.deepEqual(prefix.matchText('{"quote":"a\\"b","n":1}'), ['q']);

  // A rule with no exact string or prefix (numeric only) leaves nothing to filter on: every event is parsed.
  const mixed = CompiledRuleSet.compile([
    { name: 's', pattern: compile('{"a":["x"]}') },
    { name: 'n', pattern: compile('{"b":[{"numeric":[">",1]}]}') },
  ]);
  assert.deepEqual(mixed.matchText('{"b":2}'), ['n']);
  assert.deepEqual(mixed.matchText('{"a":"x","b":2}'), ['s', 'n']);
});

test('a huge event, then small ones: the reused per-event arrays grow, shrink back and keep answering right', () => {
  const set = CompiledRuleSet.compile([
    { name: 'tag', pattern: compile('{"detail":{"tags":["needle"]}}') },
    { name: 'deep', pattern: compile('{"detail":{"items":{"id":[{"prefix":"x"}]}}}') },
  ]);
  const many = Array.from({ length: 200_000 }, (_, i) => `t${i}`);
  many[199_999] = 'needle';
  const items = Array.from({ length: 100_000 }, (_, i) => ({ id: i === 99_999 ? 'x1' : `y${i}` }));
  assert.deepEqual(set.matchValue({ detail: { tags: many, items } }), ['tag', 'deep']);
  assert.deepEqual(set.matchText(JSON.stringify({ detail: { tags: ['a', 'needle'] } })), ['tag']);
  assert.deepEqual(set.matchText(JSON.stringify({ detail: { tags: ['a'], items: [{ id: 'x' }] } })), ['deep']);
  assert.deepEqual(set.matchText(JSON.stringify({ detail: { tags: many.slice(0, 70_000) } })), []);
  assert.deepEqual(set.matchValue({ detail: { tags: ['needle'] } }), ['tag']);
});

test('matchParsed gives matchText\'s answers, from the text only when number spellings matter', () => {
  const plain = CompiledRuleSet.compile([{ name: 'n', pattern: compile('{"n":[{"numeric":[">",1]}]}') }]);
  const spelled = CompiledRuleSet.compile([{ name: 'big', pattern: compile('{"n":[12345678901234567890]}') }]);
  for (const text of ['{"n":5}', '{"n":0}', '{"n":12345678901234567890}', '{"n":12345678901234567891}']) {
    for (const set of [plain, spelled]) assert.deepEqual(set.matchParsed(text, JSON.parse(text)), set.matchText(text), text);
  }
  // The spelling is what tells these two apart: JSON.parse makes them the same double.
  assert.deepEqual(spelled.matchParsed('{"n":12345678901234567891}', JSON.parse('{"n":12345678901234567891}')), []);
});
