// `lint` and `match-rules` on AWS CDK apps written in Python, as CI calls them: the bundle in a child process, a glob
// such as '**/*.py', the same codes as in the editor.
import '../hermeticAws';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cliBundle } from '../repoPaths';

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-cdkpy-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function cli(args: string[], cwd: string, input = '') {
  return spawnSync(process.execPath, [cliBundle, ...args], { cwd, input, encoding: 'utf8' });
}

const STACK = `from aws_cdk import aws_events as events


def rules(scope, source):
    events.Rule(scope, "Uploads", event_pattern=events.EventPattern(source=["aws.s3"], detail_type=["Object Created"], detail={"key": events.Match.prefix("in/")}))
    events.Rule(scope, "Broken", event_pattern={"source": ["aws.s3"], "detail": {"size": 5}})
    events.Rule(scope, "FromProps", event_pattern=events.EventPattern(source=[source]))
`;

test("lint '**/*.py' reports a CDK Python pattern's problem at its line and column, and skips other Python", () => {
  const dir = scratch({ 'stacks/events_stack.py': STACK, 'stacks/util.py': 'x = {"size": 5}\n', 'app.py': '' });
  const r = cli(['lint', '**/*.py', '--format', 'json'], dir);
  assert.equal(r.status, 1, r.stderr);
  const findings = JSON.parse(r.stdout) as { file: string; line: number; column: number; code: string }[];
  assert.deepEqual(
    findings.map((f) => [f.file, f.line, f.column, f.code]),
    [[join('stacks', 'events_stack.py'), 6, STACK.split('\n')[5].indexOf('"size": 5') + 9, 'EB201']],
  );
});

test('match-rules --template takes the rules of a CDK Python file, named by their ids; run-time values are left out', () => {
  const dir = scratch({ 'stacks/events_stack.py': STACK.replace('"size": 5', '"size": [5]') });
  const event = JSON.stringify({
    version: '0',
    id: '1',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: '2024-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { key: 'in/a.txt', size: 5 },
  });
  const r = cli(['match-rules', '--template', 'stacks/events_stack.py'], dir, event + '\n');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { rules: ['Uploads', 'Broken'] });
  assert.match(r.stderr, /FromProps left out: its pattern holds values only known when the code runs/);
});
