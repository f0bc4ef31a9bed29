// `cli match-rules` as a user runs it: the bundle in a child process, rules from templates and JSON lines, events
// on stdin or in --event; answers checked against the reference engine rule by rule.
import '../hermeticAws';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle } from '../repoPaths';
import { compilePattern, matchesEvent } from '../../../server/src/engine';

function run(args: string[], cwd: string, stdin = '') {
  return spawnSync(process.execPath, [cliBundle, 'match-rules', ...args], { cwd, input: stdin, encoding: 'utf8' });
}

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-match-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Ec2Running:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.ec2]
        detail:
          state: [running]
  AnyEc2:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: '{"source": [{"prefix": "aws.ec"}]}'
  Scheduled:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(5 minutes)
`;

const envelope = (source: string, detail: object): string =>
  JSON.stringify({ version: '0', id: '1', 'detail-type': 'x', source, account: '1', time: 't', region: 'r', resources: [], detail });

test('rules from one template, events on stdin: one answer line per event, names by logical id', () => {
  const dir = scratch({ 'template.yaml': TEMPLATE });
  const events = [envelope('aws.ec2', { state: 'running' }), envelope('aws.ec2', { state: 'stopped' }), envelope('aws.s3', {})];
  const r = run(['--template', 'template.yaml'], dir, `${events.join('\n')}\n\nnot json\n[1]\n`);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { rules?: string[]; error?: string });
  assert.deepEqual(lines.slice(0, 3), [{ rules: ['Ec2Running', 'AnyEc2'] }, { rules: ['AnyEc2'] }, { rules: [] }]);
  assert.match(lines[3].error ?? '', /^not JSON/);
  assert.equal(lines[4].error, 'item 1: an event must be a JSON object');
  assert.equal(lines.length, 5);
});

test('rules from JSON lines and a template together: names carry the file; bad rules are said and the rest run', () => {
  const rulesJsonl = [
    JSON.stringify({ name: 'big', pattern: { detail: { n: [{ numeric: ['>', 100] }] } } }),
    JSON.stringify({ name: 'text', pattern: '{"detail": {"n": [5]}}' }),
    JSON.stringify({ name: 'broken', pattern: { detail: { n: [{ numeric: ['>'] }] } } }),
    '{"pattern": {}}',
  ].join('\n');
  const dir = scratch({ 'template.yaml': TEMPLATE, 'rules.jsonl': rulesJsonl });
  const r = run(['--rules', 'rules.jsonl', '--template', 'template.yaml', '--event', envelope('aws.ec2', { n: 500, state: 'running' })], dir);
  assert.equal(r.status, 1);
  assert.deepEqual(JSON.parse(r.stdout), { rules: ['template.yaml#Ec2Running', 'template.yaml#AnyEc2', 'rules.jsonl#big'] });
  assert.match(r.stderr, /rules\.jsonl#broken: InvalidEventPatternException: /);
  assert.match(r.stderr, /rules\.jsonl:4: a rule line needs "name"/);
});

test('300 generated rules: each answer names exactly the rules the reference engine matches', () => {
  const patterns = Array.from({ length: 300 }, (_, i) =>
    i % 2 === 0 ? { source: [`s${i % 9}`], detail: { k: [{ prefix: `v${i % 4}` }] } } : { detail: { n: [{ numeric: ['>=', i % 37, '<', 40] }] } },
  );
  const dir = scratch({ 'rules.jsonl': patterns.map((p, i) => JSON.stringify({ name: `r${i}`, pattern: p })).join('\n') });
  const events = Array.from({ length: 40 }, (_, i) => envelope(`s${i % 9}`, { k: `v${i % 5}x`, n: i }));
  const r = run(['--rules', 'rules.jsonl'], dir, events.join('\n'));
  assert.equal(r.status, 0, r.stderr);
  const got = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { rules: string[] }).rules);
  let matched = 0;
  events.forEach((e, k) => {
    const want = patterns.flatMap((p, i) => {
      const c = compilePattern(JSON.stringify(p));
      assert.ok(c.ok);
      return matchesEvent(c.pattern, JSON.parse(e)) ? [`r${i}`] : [];
    });
    matched += want.length;
    assert.deepEqual(got[k], want, `event ${k}`);
  });
  assert.ok(matched > 100);
});

test("a rule written as Fn::Sub text: its error quotes the template's text, not the local stand-ins", () => {
  const dir = scratch({
    'template.yaml': [
      'Resources:',
      '  Broken:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      `      EventPattern: !Sub '{"account": ["\${AWS::AccountId}"], "source": ["a"}'`,
      '  BadDefault:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern: !Sub',
      `        - '{"detail": {"n": [{"numeric": [">", \${Min}]}]}}'`,
      '        - {Min: abc}',
      '  Fine:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      `      EventPattern: !Sub '{"account": ["\${AWS::AccountId}"]}'`,
      '',
    ].join('\n'),
  });
  const r = run(['--template', 'template.yaml', '--event', JSON.stringify({ account: '123456789012' })], dir);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '{"rules":["Fine"]}\n');
  assert.deepEqual(r.stderr.trim().split('\n'), [
    `Broken: InvalidEventPatternException: Event pattern is not valid. Reason: Unexpected close marker '}': expected ']' (for Array starting at [Source: (String)"{"account": ["\${AWS::AccountId}"], "source": ["a"}"; line: 1, column: 46])`,
    `BadDefault: InvalidEventPatternException: Event pattern is not valid. Reason: Unrecognized token 'abc': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') (with each \${...} of Fn::Sub resolved as the local bus does)`,
  ]);
});

test('usage errors and unreadable files', () => {
  const dir = scratch({});
  assert.equal(run([], dir).status, 2);
  const missing = run(['--template', 'nope.yaml', '--event', envelope('aws.ec2', {})], dir);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.yaml: cannot read: ENOENT/);
  assert.deepEqual(JSON.parse(missing.stdout), { rules: [] });
});

test('an S3 rule naming its bucket with !Ref matches events for the BucketName the template gives', () => {
  const dir = scratch({
    't.yaml': [
      'Resources:',
      '  B: {Type: AWS::S3::Bucket, Properties: {BucketName: my-bucket}}',
      '  R: {Type: AWS::Events::Rule, Properties: {EventPattern: {source: [aws.s3], detail: {bucket: {name: [!Ref B]}}}}}',
      '',
    ].join('\n'),
  });
  const event = (bucket: string) =>
    JSON.stringify({ Source: 'aws.s3', DetailType: 'Object Created', Detail: JSON.stringify({ bucket: { name: bucket } }) });
  const r = run(['--template', 't.yaml', '--event', event('my-bucket'), '--event', event('other')], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '{"rules":["R"]}\n{"rules":[]}\n');
  assert.equal(r.stderr, '');
});

test("a Serverless file's resources with CloudFormation's ${AWS::AccountId} in a !Sub are matched, not skipped", () => {
  const dir = scratch({
    'serverless.yml': [
      'service: s',
      "frameworkVersion: '3'",
      'provider: {name: aws}',
      'resources:',
      '  Resources:',
      '    R:',
      '      Type: AWS::Events::Rule',
      '      Properties:',
      '        EventPattern:',
      "          account: [!Sub '${AWS::AccountId}']",
      '          source: [demo]',
      '',
    ].join('\n'),
  });
  const r = run(['--template', 'serverless.yml', '--event', '{"Source":"demo","DetailType":"x","Detail":"{}"}'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '{"rules":["R"]}\n');
  assert.equal(r.stderr, '');
});

test('stdin holding one pretty-printed event (or Entries file) is taken whole; text that is no JSON is said once', () => {
  const dir = scratch({ 'template.yaml': TEMPLATE });
  const event = JSON.parse(envelope('aws.ec2', { state: 'running' })) as object;
  const pretty = run(['--template', 'template.yaml'], dir, `${JSON.stringify(event, null, 2)}\n`);
  assert.equal(pretty.status, 0, pretty.stderr);
  assert.equal(pretty.stdout, '{"rules":["Ec2Running","AnyEc2"]}\n');
  const entries = { Entries: [{ Source: 'aws.s3', DetailType: 'x', Detail: '{}' }, { Source: 'aws.ec2', DetailType: 'x', Detail: '{}' }] };
  const file = run(['--template', 'template.yaml'], dir, JSON.stringify(entries, null, 4));
  assert.equal(file.stdout, '{"rules":[]}\n{"rules":["AnyEc2"]}\n');

  const broken = run(['--template', 'template.yaml'], dir, '{\n  "source": "aws.ec2",\n  "detail": {}\n');
  assert.equal(broken.status, 1);
  assert.equal(broken.stdout, '');
  assert.equal(broken.stderr.trim().split('\n').length, 1, broken.stderr);
  assert.match(broken.stderr, /^stdin must hold one JSON value per line .*neither: not JSON at line 3, .*--event @file/);

  // JSON lines after a bad first line are still answered one by one.
  const lines = run(['--template', 'template.yaml'], dir, `oops\n${envelope('aws.ec2', {})}\n`);
  assert.equal(lines.status, 0);
  assert.match(lines.stdout, /^\{"error":"not JSON: .*\n\{"rules":\["AnyEc2"\]\}\n$/);
});

test('exit status 1 when every event given is an error', () => {
  const dir = scratch({ 'template.yaml': TEMPLATE });
  const r = run(['--template', 'template.yaml', '--event', '{"foo": 1}', '--event', '[]'], dir);
  assert.equal(r.status, 1);
  assert.equal(r.stdout.trim().split('\n').length, 2);
});

test('a YAML flow-style .template is read as lint reads it; a template that cannot be read is named once', () => {
  const dir = scratch({
    'f.template': "{Resources: {R: {Type: 'AWS::Events::Rule', Properties: {EventPattern: {source: [demo]}}}}}\n",
    'j.template': '{"Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": {"source": ["demo"]}}}}}\n',
    'bad.json': '{"Resources": ',
  });
  const event = JSON.stringify({ source: 'demo' });
  const flow = run(['--template', 'f.template', '--template', 'j.template', '--event', event], dir);
  assert.equal(flow.status, 0, flow.stderr);
  assert.equal(flow.stdout, '{"rules":["f.template#R","j.template#R"]}\n');
  const bad = run(['--template', 'bad.json', '--event', event], dir);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^bad\.json: not valid JSON \(/);
  assert.equal(bad.stderr.split('bad.json').length, 2, bad.stderr);
});

test('a rule target that cannot be resolved is not warned about: targets do not change what matches', () => {
  const dir = scratch({
    't.yaml': [
      'Resources:',
      '  Role: {Type: AWS::IAM::Role}',
      '  R:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern: {source: [demo]}',
      '      Targets: [{Id: t, Arn: !GetAtt Role.Arn}]',
      '',
    ].join('\n'),
  });
  const r = run(['--template', 't.yaml', '--event', JSON.stringify({ source: 'demo' })], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '{"rules":["R"]}\n');
  assert.equal(r.stderr, '');
});
