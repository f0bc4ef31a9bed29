// `cli pattern-from-event` as a user runs it: the bundle in a child process, events as EventBridge delivers them and as
// PutEvents entries, fields with operators; every printed pattern is run against its event with the engine here too.
import '../hermeticAws';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle } from '../repoPaths';
import { compilePattern, matchesEvent } from '../../../server/src/engine';
import { parseFieldSpec } from '../../../server/src/cli/patternFromEventCommand';

function run(args: string[]) {
  return spawnSync(process.execPath, [cliBundle, 'pattern-from-event', ...args], { encoding: 'utf8' });
}

const event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated', cpu: 42.5, 'private-ip': '10.0.12.7' },
};

function matchesText(patternText: string, value: unknown): boolean {
  const c = compilePattern(patternText);
  assert.ok(c.ok, c.ok ? '' : c.error.message);
  return matchesEvent(c.pattern, value);
}

test('without --fields: source and detail-type, pretty-printed', () => {
  const r = run(['--event', JSON.stringify(event)]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
  });
  assert.match(r.stdout, /\n {2}"source"/);
});

test('operators per field: PATH:OPERATOR[=ARGUMENT], from a file, --compact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-pfe-'));
  writeFileSync(join(dir, 'event.json'), JSON.stringify(event, null, 2));
  const r = run([
    '--event',
    `@${join(dir, 'event.json')}`,
    '--fields',
    'source,detail.instance-id:prefix=i-,detail.cpu:numeric,detail.private-ip:cidr,detail.state:equals-ignore-case',
    '--field',
    'detail.state:anything-but=running,pending',
    '--compact',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n').length, 2, 'one line');
  assert.deepEqual(JSON.parse(r.stdout), {
    source: ['aws.ec2'],
    detail: {
      'instance-id': [{ prefix: 'i-' }],
      cpu: [{ numeric: ['>=', 40, '<', 50] }],
      'private-ip': [{ cidr: '10.0.12.0/24' }],
      state: [{ 'equals-ignore-case': 'terminated' }, { 'anything-but': ['running', 'pending'] }],
    },
  });
  assert.ok(matchesText(r.stdout, event));
  assert.ok(!matchesText(r.stdout, { ...event, detail: { ...event.detail, state: 'running' } }));
});

test('a PutEvents entry, a list with --index, and a PutEvents request', () => {
  const entry = {
    Source: 'com.example.orders',
    DetailType: 'Order Placed',
    Detail: '{"total": 120, "currency": "EUR"}',
  };
  const r = run(
    ['--event', JSON.stringify(entry), '--fields', 'source,detail-type,detail.total:numeric=100..'].concat('--compact'),
  );
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    source: ['com.example.orders'],
    'detail-type': ['Order Placed'],
    detail: { total: [{ numeric: ['>=', 100] }] },
  });
  const list = run(['--event', JSON.stringify([event, entry]), '--index', '1', '--compact']);
  assert.equal(list.status, 0, list.stderr);
  assert.deepEqual(JSON.parse(list.stdout), { source: ['com.example.orders'], 'detail-type': ['Order Placed'] });
  const request = run(['--event', JSON.stringify({ Entries: [entry] }), '--compact']);
  assert.equal(request.status, 0, request.stderr);
  const several = run(['--event', JSON.stringify([event, entry])]);
  assert.equal(several.status, 2);
  assert.match(several.stderr, /holds 2 events: choose one with --index/);
});

test('--merge-into adds the event to an existing pattern', () => {
  const r = run([
    '--event',
    JSON.stringify(event),
    '--fields',
    'source,detail.state',
    '--merge-into',
    '{"source":["aws.ec2"],"detail":{"state":["running"]}}',
    '--compact',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { source: ['aws.ec2'], detail: { state: ['running', 'terminated'] } });
  const refused = run(['--event', JSON.stringify(event), '--merge-into', '{"detail":{"state":["running"]}}']);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /cannot merge into the pattern: The pattern does not match the event/);
});

test('--list-fields prints each field with its value and the operators that fit', () => {
  const r = run(['--event', JSON.stringify(event), '--list-fields']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0].split('\t')[0], 'source');
  const ip = lines.find((l) => l.startsWith('detail.private-ip\t'))!;
  assert.match(ip, /\t"10\.0\.12\.7"\t.*cidr/);
  assert.match(
    lines.find((l) => l.startsWith('detail.cpu\t'))!,
    /\t42\.5\texact,numeric,anything-but,exists$/,
  );
});

test('bad input: a clear message on stderr and exit 2, nothing on stdout', () => {
  const cases: [string[], RegExp][] = [
    [['--event', '{"source": '], /--event: not JSON/],
    [['--event', '{"hello": 1}'], /neither an event .* nor a PutEvents entry/],
    [['--event', JSON.stringify(event), '--fields', 'detail.nothing'], /no field detail\.nothing/],
    [['--event', JSON.stringify(event), '--fields', 'detail.state:numeric'], /numeric applies to numbers/],
    [['--event', JSON.stringify(event), '--fields', 'detail.state:anything-but=terminated'], /among the excluded/],
    [['--event', JSON.stringify(event), '--fields', 'detail.state:prefx'], /unknown operator prefx/],
    [['--event', JSON.stringify(event), '--dialect', 'sns'], /--dialect must be/],
    [['--event', '@/nonexistent/event.json'], /cannot read/],
    [['--fields', 'source'], /--event is required/],
    [['--event', JSON.stringify(event), '--index', '5'], /holds 1 event/],
  ];
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
  }
});

test('a number beyond double precision: checked against the event as written, not only as parsed', () => {
  const text = '{"source": "a", "detail-type": "b", "detail": {"n": 12345678901234567890}}';
  const exact = run(['--event', text, '--fields', 'detail.n']);
  assert.equal(exact.status, 2);
  assert.match(exact.stderr, /does not match the event as written/);
  const exists = run(['--event', text, '--fields', 'detail.n:exists', '--compact']);
  assert.equal(exists.status, 0, exists.stderr);
  assert.equal(exists.stdout, '{"detail":{"n":[{"exists":true}]}}\n');
});

test('Pipes: an operator the dialect does not take is refused', () => {
  const r = run(['--event', JSON.stringify(event), '--fields', 'detail.state:wildcard', '--dialect', 'pipes']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /wildcard/);
});

test('field specs: the first :operator ends the path; an argument keeps its colons', () => {
  assert.deepEqual(parseFieldSpec('detail.arn:prefix=arn:aws:'), {
    path: 'detail.arn',
    operator: 'prefix',
    argument: 'arn:aws:',
  });
  assert.deepEqual(parseFieldSpec('detail.ip:cidr'), { path: 'detail.ip', operator: 'cidr' });
  assert.deepEqual(parseFieldSpec('detail-type'), { path: 'detail-type' });
  assert.deepEqual(parseFieldSpec('detail.n:numeric=-5..5'), {
    path: 'detail.n',
    operator: 'numeric',
    argument: '-5..5',
  });
});
