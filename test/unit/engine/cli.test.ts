// The CLI as users and tools call it (the bundle, in a child process).
import '../hermeticAws';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle } from '../repoPaths';

const envelope = '{"id":"1","account":"123456789012","source":"aws.s3","time":"2024-01-01T00:00:00Z","region":"us-east-1","detail-type":"Object Created","detail":{"size":5}}';
const cli = (args: string[], input?: string) => spawnSync(process.execPath, [cliBundle, ...args], { input, encoding: 'utf8' });

test('test-event-pattern prints {"Result": ...} like the AWS CLI', () => {
  const yes = cli(['test-event-pattern', '--event-pattern', '{"source":["aws.s3"]}', '--event', envelope]);
  assert.equal(yes.status, 0);
  assert.equal(yes.stdout, '{"Result": true}\n');
  const no = cli(['test-event-pattern', '--event-pattern', '{"source":["aws.ec2"]}', '--event', envelope]);
  assert.equal(no.stdout, '{"Result": false}\n');
});

test('an invalid pattern prints the AWS error code and message and exits 1', () => {
  const r = cli(['test-event-pattern', '--event-pattern', '{"source":"aws.s3"}', '--event', envelope]);
  assert.equal(r.status, 1);
  assert.equal(
    r.stderr,
    'An error occurred (InvalidEventPatternException) when calling the TestEventPattern operation: Event pattern is not valid. Reason: "source" must be an object or an array\n',
  );
});

test('the event must be an envelope, as TestEventPattern requires', () => {
  const r = cli(['test-event-pattern', '--event-pattern', '{"source":["aws.s3"]}', '--event', '{"source":"aws.s3"}']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\(ValidationException\).*Parameter Event is not valid\./);
});

test('@file arguments, --explain, and clear usage errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-'));
  writeFileSync(join(dir, 'p.json'), '{"detail":{"size":[{"numeric":[">",10]}]}}');
  writeFileSync(join(dir, 'e.json'), envelope);
  const r = cli(['test-event-pattern', '--event-pattern', `@${join(dir, 'p.json')}`, '--event', `file://${join(dir, 'e.json')}`, '--explain']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, '{"Result": false}\ndoes not match: detail.size is 5; the pattern wants: detail.size > 10\n');
  const missing = cli(['test-event-pattern', '--event-pattern', '@/nonexistent/p.json', '--event', envelope]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read \/nonexistent\/p\.json: ENOENT/);
  const unknown = cli(['test-event-pattern', '--bogus']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option --bogus/);
});

test('batch mode answers each line in order and survives bad lines', () => {
  const lines = [
    JSON.stringify({ pattern: '{"a":["x"]}', event: '{"a":"x"}' }),
    'not json',
    JSON.stringify({ pattern: '{"a":"x"}', event: '{"a":"x"}' }),
    JSON.stringify({ pattern: '{"a":["x"]}', event: '{"a":"x"}', api: 'TestEventPattern' }),
    JSON.stringify({ pattern: 5, event: '{}' }),
    JSON.stringify({ pattern: '{"a":["x"]}', event: '{"a":"y"}' }),
  ].join('\n');
  const r = cli(['test-event-pattern', '--jsonl'], lines);
  assert.equal(r.status, 0);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(out.length, 6);
  assert.deepEqual(out[0], { result: true });
  assert.equal((out[1].error as { code: string }).code, 'ValidationException');
  assert.deepEqual(out[2], { error: { code: 'InvalidEventPatternException', message: 'Event pattern is not valid. Reason: "a" must be an object or an array' } });
  assert.deepEqual(out[3], { error: { code: 'ValidationException', message: 'Parameter Event is not valid.' } });
  assert.equal((out[4].error as { code: string }).code, 'ValidationException');
  assert.deepEqual(out[5], { result: false });
});
