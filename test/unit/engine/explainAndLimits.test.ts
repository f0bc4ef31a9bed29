import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern, explainEvent, parseEventText, describePattern, analyzePatternText, matchesEvent } from '../../../server/src/engine';
import { CompiledRuleSet } from '../../../server/src/engine/compiled/ruleSet';

function compiled(text: string) {
  const c = compilePattern(text);
  if (!c.ok) throw new Error(c.error.message);
  return c.pattern;
}
function event(text: string) {
  const e = parseEventText(text);
  if (!e.ok) throw new Error(e.message);
  return e.event;
}

test('explains which field failed and why', () => {
  const p = compiled('{"source":["aws.ec2"],"detail":{"state":["stopped","terminated"],"size":[{"numeric":[">",10]}]}}');
  const x = explainEvent(p, event('{"source":"aws.ec2","detail":{"state":"running"}}'));
  assert.equal(x.matched, false);
  assert.deepEqual(x.reasons, [
    'detail.size is missing from the event; the pattern wants: detail.size > 10',
    'detail.state is "running"; the pattern wants: detail.state is one of "stopped", "terminated"',
  ]);
});

test('for $or, explains the closest branch', () => {
  const p = compiled('{"$or":[{"a":["1"],"b":["2"],"c":["3"]},{"d":["4"]}]}');
  const x = explainEvent(p, event('{"a":"1","b":"2","c":"0"}'));
  assert.equal(x.ruleIndex, 0);
  assert.deepEqual(x.reasons, ['c is "0"; the pattern wants: c is "3"']);
});

test('explains array inconsistency', () => {
  const p = compiled('{"d":{"a":["1"],"b":["2"]}}');
  const x = explainEvent(p, event('{"d":[{"a":"1"},{"b":"2"}]}'));
  assert.equal(x.matched, false);
  assert.match(x.reasons[0], /not all within the same element of an array/);
});

test('describes a pattern in plain words', () => {
  const p = compiled('{"source":["aws.s3"],"detail":{"object":{"size":[{"numeric":[">",0]}]}}}');
  assert.equal(describePattern(p), 'matches when detail.object.size > 0 and source is "aws.s3"');
});

test('size limits by dialect: over 2048 warns (default quota), over 4096 is a ValidationException', () => {
  const big = (n: number) => `{"a":["${'x'.repeat(n - 10)}"]}`;
  const warn = analyzePatternText(big(3000));
  assert.equal(warn.awsError, undefined);
  assert.ok(warn.problems.some((p) => p.severity === 'warning' && /default quota is 2048/.test(p.message)));
  const err = analyzePatternText(big(5000));
  assert.equal(err.awsError?.awsErrorCode, 'ValidationException');
  assert.match(err.awsError?.message ?? '', /Member must have length less than or equal to 4096/);
});

test('$or combinations beyond 1000 are refused', () => {
  const branches = (k: string) => `[${Array.from({ length: 40 }, (_, i) => `{"${k}":["${i}"]}`).join(',')}]`;
  const a = analyzePatternText(`{"x":{"$or":${branches('a')}},"y":{"$or":${branches('b')}}}`);
  assert.ok(a.problems.some((p) => /expand to more than 1000 combinations/.test(p.message)));
});

test('hostile sizes get answers (their speed is measured by npm run bench, not here)', () => {
  const list = Array.from({ length: 50_000 }, (_, i) => `"v${i}"`).join(',');
  const a = analyzePatternText(`{"a":[{"anything-but":[${list}]}]}`, { patternLength: 100 });
  assert.ok(a.pattern);
  const values = Array.from({ length: 100_000 }, (_, i) => `v${i}`);
  assert.equal(matchesEvent(a.pattern, { a: values }), true, 'v50000.. are not excluded');
});

test('sibling $or conditions that multiply to 10^8 combinations are refused without expanding them all', () => {
  const parts = Array.from({ length: 8 }, (_, d) => `"f${d}":{"$or":[${Array.from({ length: 10 }, (_, i) => `{"k${i}":["v"]}`).join(',')}]}`);
  const a = analyzePatternText(`{${parts.join(',')}}`);
  assert.equal(a.pattern, undefined);
  assert.ok(a.problems.some((p) => p.message === 'The $or conditions expand to more than 1000 combinations; EventBridge allows at most 1000'));
});

test('events with arrays nested 200,000 deep get an answer from both matchers', () => {
  const pattern = compiled('{"a":["x"]}');
  const depth = 200_000;
  const text = `{"a":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`;
  assert.equal(matchesEvent(pattern, JSON.parse(text)), true);
  const set = CompiledRuleSet.compile([{ name: 'r', pattern }]);
  assert.deepEqual(set.matchText(text), ['r']);
});
