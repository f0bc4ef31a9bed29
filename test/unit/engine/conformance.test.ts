// Every recorded case, through the CLI's batch mode exactly as tools use it: AWS's answers and messages, word for
// word. One test per case, named after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cliBundle, repoRoot } from '../repoPaths';

interface Case {
  name: string;
  patternText: string;
  eventText: string;
  expect: 'match' | 'nomatch' | 'invalid';
  api?: string;
  awsErrorCode?: string;
  awsMessage?: string;
  rulerMessage?: string;
}

const files = ['aws-recorded.json', 'event-ruler.json'];
const cases: (Case & { file: string })[] = files.flatMap((f) =>
  (JSON.parse(readFileSync(join(repoRoot, 'test/conformance', f), 'utf8')) as Case[]).map((c) => ({ ...c, file: f })),
);

const input = cases
  .map((c) => JSON.stringify({ pattern: c.patternText, event: c.eventText, ...(c.api === 'TestEventPattern' ? { api: c.api } : {}) }))
  .join('\n');
const run = spawnSync(process.execPath, [cliBundle, 'test-event-pattern', '--jsonl'], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
const answers = run.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { result?: boolean; error?: { code: string; message: string } });

test('the batch answers every line, in order', () => {
  assert.equal(run.status, 0, run.stderr);
  assert.equal(answers.length, cases.length);
});

for (const [i, c] of cases.entries()) {
  test(`${c.file}: ${c.name}`, () => {
    const a = answers[i];
    assert.ok(a, 'no answer');
    if (c.expect === 'invalid') {
      assert.ok(a.error, `expected an error, got ${JSON.stringify(a)}`);
      if (c.awsErrorCode) assert.equal(a.error.code, c.awsErrorCode);
      const want = c.awsMessage ?? c.rulerMessage;
      if (want) assert.equal(a.error.message.split('\n')[0], want.split('\n')[0]);
    } else {
      assert.equal(a.error, undefined, `unexpected error ${JSON.stringify(a.error)}`);
      assert.equal(a.result, c.expect === 'match');
    }
  });
}
