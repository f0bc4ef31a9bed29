// `generate-events`: matching events and near misses as JSON lines, each one run through the engine here again;
// AWS's error for an invalid pattern, the reason for an impossible one; the bundle uses the catalog it ships with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runGenerateEvents } from '../../../server/src/cli/generateEventsCommand';
import { UsageError } from '../../../server/src/cli/args';
import { compilePattern, matchesEventNode, parseEventText, parseJson } from '../../../server/src/engine';
import { cliBundle } from '../repoPaths';

const noCatalog = (): undefined => undefined;

function run(args: string[]): { code: number; out: string; err: string } {
  const out = new PassThrough();
  const err = new PassThrough();
  const code = runGenerateEvents(args, out, err, noCatalog);
  return { code, out: String(out.read() ?? ''), err: String(err.read() ?? '') };
}

interface Line {
  readonly event: Record<string, unknown>;
  readonly eventText: string;
  readonly matches: boolean;
  readonly fails?: string;
}

/** Reads the output lines, keeping each event's own text (numbers as written). */
function lines(out: string): Line[] {
  return out
    .trimEnd()
    .split('\n')
    .map((line) => {
      const parsed = JSON.parse(line) as { event: Record<string, unknown>; matches: boolean; fails?: string };
      assert.deepEqual(Object.keys(parsed), parsed.matches ? ['event', 'matches'] : ['event', 'matches', 'fails']);
      const root = parseJson(line).root;
      assert.ok(root?.type === 'object');
      const node = root.properties.find((p) => p.key.value === 'event')?.value;
      assert.ok(node);
      return { ...parsed, eventText: line.slice(node.offset, node.offset + node.length) };
    });
}

function engineSays(pattern: string, eventText: string): boolean {
  const compiled = compilePattern(pattern);
  assert.ok(compiled.ok);
  const parsed = parseEventText(eventText);
  assert.ok(parsed.ok);
  return matchesEventNode(compiled.pattern, parsed.event);
}

test('matching events, then near misses naming the condition they fail', () => {
  const pattern = '{"source":["shop"],"detail":{"total":[{"numeric":[">=",10,"<",20]}],"tier":["gold","silver"]}}';
  const r = run(['--event-pattern', pattern, '--count', '2', '--near-misses']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const out = lines(r.out);
  assert.deepEqual(
    out.filter((l) => l.matches).map((l) => (l.event['detail'] as { tier: string }).tier),
    ['gold', 'silver'],
  );
  const misses = out.filter((l) => !l.matches);
  assert.deepEqual([...new Set(misses.map((l) => l.fails))].sort(), ['detail.tier', 'detail.total', 'source']);
  assert.deepEqual(
    misses.filter((l) => l.fails === 'detail.total').map((l) => (l.event['detail'] as { total: number }).total),
    [9.999999999999998, 20],
  );
  for (const l of out) assert.equal(engineSays(pattern, l.eventText), l.matches, l.eventText);
  // Matching events come first, as envelopes.
  assert.equal(out[0].matches, true);
  for (const k of ['id', 'account', 'source', 'time', 'region', 'detail-type']) assert.ok(k in out[0].event, k);
});

test('without --near-misses, only matching events; the pattern may come from a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-gen-'));
  writeFileSync(join(dir, 'p.json'), '{"detail":{"n":[12345678901234567890]}}');
  const r = run(['--event-pattern', `@${join(dir, 'p.json')}`]);
  assert.equal(r.code, 0, r.err);
  const out = lines(r.out);
  assert.equal(out.length, 1);
  // A number EventBridge can only match by its spelling is printed with that spelling.
  assert.match(out[0].eventText, /"n":12345678901234567890\}/);
  assert.ok(engineSays('{"detail":{"n":[12345678901234567890]}}', out[0].eventText));
});

test('--dialect pipes: records without an envelope', () => {
  const r = run(['--event-pattern', '{"body":{"state":["ok"]}}', '--dialect', 'pipes']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(lines(r.out)[0].event, { body: { state: 'ok' } });
});

test('a pattern no event can match: the reason, exit 1', () => {
  const r = run(['--event-pattern', '{"a":[{"numeric":[">",5,"<",5.000000000000001]}]}', '--near-misses']);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.equal(
    r.err,
    'generate-events: No event can match this pattern: a: no number is > 5 and < 5.000000000000001 (5 and 5.000000000000001 are neighbouring doubles)\n',
  );
});

test("an invalid pattern: AWS's error, exit 1", () => {
  const r = run(['--event-pattern', '{"a":"x"}']);
  assert.equal(r.code, 1);
  assert.equal(
    r.err,
    'An error occurred (InvalidEventPatternException): Event pattern is not valid. Reason: "a" must be an object or an array\n',
  );
});

test('bad arguments are usage errors', () => {
  assert.throws(() => run([]), UsageError);
  assert.throws(() => run(['--event-pattern', '{"a":["x"]}', '--count', '0']), UsageError);
  assert.throws(() => run(['--event-pattern', '{"a":["x"]}', '--count', 'many']), UsageError);
  assert.throws(() => run(['--event-pattern', '{"a":["x"]}', '--count', '1001']), UsageError);
  assert.throws(() => run(['--event-pattern', '{"a":["x"]}', '--dialect', 'sns']), UsageError);
  assert.throws(() => run(['--event-pattern', '@/no/such/file.json']), UsageError);
});

test("the bundle builds on the catalog's sample it ships with", () => {
  const pattern =
    '{"source":["aws.s3"],"detail-type":["Object Created"],"detail":{"object":{"key":[{"prefix":"incoming/"}]}}}';
  const r = spawnSync(process.execPath, [cliBundle, 'generate-events', '--event-pattern', pattern, '--near-misses'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const out = lines(r.stdout);
  const detail = out[0].event['detail'] as { bucket?: { name?: string }; object: { key: string } };
  assert.ok(detail.bucket?.name, "the catalog sample's other fields are kept");
  assert.match(detail.object.key, /^incoming\//);
  assert.ok(
    out.some((l) => l.fails === 'detail.object.key' && (l.event['detail'] as typeof detail).object.key === 'incoming'),
  );
  for (const l of out) assert.equal(engineSays(pattern, l.eventText), l.matches);
});

test('lint reports a pattern no event can match (EB510), as the editor does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-gen-lint-'));
  writeFileSync(join(dir, 'never.eventpattern.json'), '{"n": [{"numeric": [">", 5, "<", 5.000000000000001]}]}\n');
  writeFileSync(join(dir, 'fine.eventpattern.json'), '{"n": [{"numeric": [">", 5, "<", 5.000000000000001]}, 7]}\n');
  const r = spawnSync(process.execPath, [cliBundle, 'lint', '*.json', '--format', 'json'], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const findings = JSON.parse(r.stdout) as { file: string; code: string; severity: string; message: string }[];
  assert.deepEqual(
    findings.map((f) => [f.file, f.code, f.severity]),
    [['never.eventpattern.json', 'EB510', 'warning']],
  );
  assert.match(findings[0].message, /neighbouring doubles/);
});
