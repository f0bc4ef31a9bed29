// `lint` and `match-rules` on AWS CDK files, as CI calls them: the bundle in a child process, globs such as
// 'lib/**/*.ts', the same codes as in the editor.
import '../hermeticAws';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cliBundle } from '../repoPaths';

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-cdk-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function cli(args: string[], cwd: string, input = '') {
  return spawnSync(process.execPath, [cliBundle, ...args], { cwd, input, encoding: 'utf8' });
}

const STACK = `import { Rule, Match } from 'aws-cdk-lib/aws-events';
export function rules(scope: any, props: { source: string }) {
  new Rule(scope, 'Uploads', { eventPattern: { source: ['aws.s3'], detailType: ['Object Created'], detail: { key: Match.prefix('in/') } } });
  new Rule(scope, 'Broken', { eventPattern: { source: ['aws.s3'], detail: { size: 5 } } });
  new Rule(scope, 'FromProps', { eventPattern: { source: [props.source] } });
}
`;

test("lint 'lib/**/*.ts' reports a CDK pattern's problem at its line and column, and skips other code", () => {
  const dir = scratch({ 'lib/stacks/events.ts': STACK, 'lib/util.ts': 'export const x = 1;\n', 'bin/app.js': '' });
  const r = cli(['lint', 'lib/**/*.ts', '--format', 'json'], dir);
  assert.equal(r.status, 1, r.stderr);
  const findings = JSON.parse(r.stdout) as { file: string; line: number; column: number; code: string }[];
  assert.deepEqual(
    findings.map((f) => [f.file, f.line, f.column, f.code]),
    [[join('lib', 'stacks', 'events.ts'), 4, STACK.split('\n')[3].indexOf('size: 5') + 7, 'EB201']],
  );
});

test('match-rules --template takes the rules of a CDK file, named by their ids; run-time values are left out', () => {
  const dir = scratch({ 'lib/events.ts': STACK.replace('size: 5', 'size: [5]') });
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
  const r = cli(['match-rules', '--template', 'lib/events.ts'], dir, event + '\n');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { rules: ['Uploads', 'Broken'] });
  assert.match(r.stderr, /FromProps left out: its pattern holds values only known when the code runs/);
});
