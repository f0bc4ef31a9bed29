// Hostile inputs through the command-line tools, as CI pipelines would feed them: every line or file gets an
// answer, and a batch goes on after each one.
import '../hermeticAws';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle } from '../repoPaths';

const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [cliBundle, ...args], { input, encoding: 'utf8', maxBuffer: 256 << 20 });

test('the batch mode answers hostile lines one by one and goes on', () => {
  const big = 'x'.repeat(1 << 20);
  const deep = 20_000;
  const orBranches = Array.from({ length: 5000 }, (_, i) => `{"k${i}":["v"]}`).join(',');
  const lines = [
    { pattern: '{"a":[{"prefix":"xx"}]}', event: `{"a":"${big}"}` }, // a 1 MB string in the event
    { pattern: '{"a":'.repeat(deep) + '["x"]' + '}'.repeat(deep), event: '{}' }, // 20,000 deep
    { pattern: '{"a":["x"]}', event: `{"a":${'['.repeat(deep)}"x"${']'.repeat(deep)}}` }, // deep event
    { pattern: `{"a":[{"anything-but":[${Array.from({ length: 50_000 }, (_, i) => `"v${i}"`).join(',')}]}]}`, event: '{"a":"v7"}' },
    { pattern: `{"$or":[${orBranches}]}`, event: '{"k4999":"v"}' }, // $or with thousands of branches
    { pattern: '{"a":[{"wildcard":"*a*a*b"}]}', event: `{"a":"${'a'.repeat(100_000)}"}` }, // backtracking bait
    { pattern: '{"a":[{"numeric":[">",1e400]}]}', event: '{"a":1}' },
    { pattern: '{"a":[NaN]}', event: '{"a":1}' },
    { pattern: '{"a":["\uD800"]}', event: '{"a":"\uD800"}' }, // lone surrogates
    { pattern: '\u0000\u0001\u00ff garbage', event: '{}' },
    { pattern: '{"a":["x"]}', event: '{"a":"x"}' }, // and the batch is still answering correctly
  ].map((l) => JSON.stringify(l));
  const r = run(['test-event-pattern', '--jsonl'], [...lines, 'not json at all'].join('\n'));
  assert.equal(r.status, 0, r.stderr);
  const answers = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { result?: boolean; error?: { code: string; message: string } });
  assert.equal(answers.length, 12);
  assert.deepEqual(answers[0], { result: true });
  assert.match(answers[1].error?.message ?? '', /nested more than 1000 levels|4096/);
  assert.deepEqual(answers[2], { result: true });
  assert.equal(answers[3].error?.code, 'ValidationException', 'over 4096 characters, as the API says');
  assert.equal(answers[4].error?.code, 'ValidationException');
  assert.deepEqual(answers[5], { result: false });
  assert.match(answers[6].error?.message ?? '', /Cannot compare number : 1e400/);
  assert.match(answers[7].error?.message ?? '', /Non-standard token 'NaN'/);
  assert.deepEqual(answers[8], { result: true });
  assert.equal(answers[9].error?.code, 'InvalidEventPatternException');
  assert.deepEqual(answers[10], { result: true });
  assert.equal(answers[11].error?.code, 'ValidationException');
});

test('lint answers for a 20,000-resource template and a pattern file with a 1 MB string', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-hostile-'));
  const resources = Array.from(
    { length: 20_000 },
    (_, i) => `  Rule${i}:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern:\n        source: [${i === 19_999 ? 'aws.s3' : `'["app${i}"]'`}]\n`,
  ).join('');
  writeFileSync(join(dir, 'huge.yaml'), `Resources:\n${resources}`);
  writeFileSync(join(dir, 'big.eventpattern.json'), `{"a":[{"prefix":"${'y'.repeat(1 << 20)}"}]}`);
  const r = run(['lint', join(dir, 'huge.yaml'), join(dir, 'big.eventpattern.json'), '--format', 'json']);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const problems = JSON.parse(r.stdout) as { file: string; code: string }[];
  assert.ok(problems.some((p) => p.file.endsWith('big.eventpattern.json') && p.code === 'EB400'), 'the 1 MB pattern is over the API limit');
  assert.equal(problems.filter((p) => p.file.endsWith('huge.yaml')).length, 0, 'every rule in the huge template is valid');
});
