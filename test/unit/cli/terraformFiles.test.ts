// `lint` and `match-rules` on Terraform files, as CI calls them: the bundle in a child process. The pattern files a
// .tf or .tf.json reads with file(...) or templatefile(...) are checked once each, on their own lines, in the dialect
// of the place that reads them; a missing one is a warning at the file(...) argument; match-rules takes the rules.
import '../hermeticAws';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cliBundle } from '../repoPaths';

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-tf-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function cli(args: string[], cwd: string, input = '') {
  return spawnSync(process.execPath, [cliBundle, ...args], { cwd, input, encoding: 'utf8' });
}

interface Finding {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

const MAIN_TF = [
  'resource "aws_cloudwatch_event_rule" "from_file" {',
  '  event_pattern = file("${path.module}/patterns/rule.json")',
  '}',
  '',
  'resource "aws_cloudwatch_event_rule" "templated" {',
  '  event_pattern = templatefile("patterns/rule.json.tpl", { bucket = var.bucket })',
  '}',
  '',
  'resource "aws_sns_topic_subscription" "paid" {',
  '  topic_arn     = aws_sns_topic.orders.arn',
  '  protocol      = "sqs"',
  '  endpoint      = aws_sqs_queue.orders.arn',
  '  filter_policy = file("patterns/policy.json")',
  '}',
  '',
  'resource "aws_cloudwatch_event_rule" "gone" {',
  '  event_pattern = file("patterns/missing.json")',
  '}',
  '',
].join('\n');

const OTHER_TF = [
  'resource "aws_cloudwatch_event_rule" "again" {',
  '  event_pattern = file("patterns/rule.json")',
  '}',
  '',
].join('\n');

const FILES = {
  'infra/main.tf': MAIN_TF,
  'infra/other.tf': OTHER_TF,
  'infra/patterns/rule.json': '{\n  "source": ["aws.s3"],\n  "detail": {"size": 5}\n}\n',
  // `${bucket}` is Terraform's: unknown, never flagged; `prefx` is a real problem.
  'infra/patterns/rule.json.tpl':
    '{\n  "source": ["aws.s3"],\n  "detail": {"bucket": {"name": ["${bucket}"]}, "key": [{"prefx": "in/"}]}\n}\n',
  // wildcard is EventBridge's, not SNS's: the file is checked as the SNS policy that reads it.
  'infra/patterns/policy.json': '{\n  "store": [{"wildcard": "ex*"}]\n}\n',
};

test('lint checks the pattern files a .tf reads, once each, on their own lines; a missing one is a warning', () => {
  const dir = scratch(FILES);
  const r = cli(['lint', 'infra/**/*.tf', '--format', 'json'], dir);
  assert.equal(r.status, 1, r.stderr);
  const findings = (JSON.parse(r.stdout) as Finding[]).map((f) => [f.file, f.line, f.column, f.severity, f.code]);
  assert.deepEqual(findings, [
    ['infra/patterns/rule.json', 3, 22, 'error', 'EB201'],
    ['infra/patterns/rule.json.tpl', 3, 58, 'error', 'EB207'],
    ['infra/patterns/policy.json', 2, 14, 'error', 'EB410'],
    ['infra/main.tf', 17, 24, 'warning', 'EB433'],
  ]);
  const missing = (JSON.parse(r.stdout) as Finding[])[3];
  assert.match(missing.message, /aws_cloudwatch_event_rule\.gone reads its pattern from patterns\/missing\.json/);
  assert.match(missing.message, /ENOENT/);
});

test('lint on a .tf.json reads "${file(...)}" alike', () => {
  const dir = scratch({
    'main.tf.json': JSON.stringify({
      resource: {
        aws_cloudwatch_event_rule: {
          a: { event_pattern: '${file("rule.json")}' },
          b: { event_pattern: '${file("${path.module}/none.json")}' },
        },
      },
    }),
    'rule.json': '{"source": ["aws.s3"], "detail": {"size": 5}}',
  });
  const r = cli(['lint', 'main.tf.json', '--format', 'json'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(
    (JSON.parse(r.stdout) as Finding[]).map((f) => [f.file, f.code]),
    [
      ['rule.json', 'EB201'],
      ['main.tf.json', 'EB433'],
    ],
  );
});

const EVENT = JSON.stringify({
  version: '0',
  id: '1',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '123456789012',
  time: '2024-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { object: { key: 'in/a.txt' } },
});

const RULES_TF = [
  'resource "aws_cloudwatch_event_rule" "uploads" {',
  '  event_pattern = jsonencode({',
  '    source      = ["aws.s3"]',
  '    detail-type = ["Object Created"]',
  '    detail      = { object = { key = [{ prefix = "in/" }] } }',
  '  })',
  '}',
  'resource "aws_cloudwatch_event_rule" "heredoc" {',
  '  event_pattern = <<EOF',
  '{"source": ["aws.ec2"]}',
  'EOF',
  '}',
  'resource "aws_cloudwatch_event_rule" "from_variable" {',
  '  event_pattern = jsonencode({ source = [var.source] })',
  '}',
  'resource "aws_cloudwatch_event_rule" "from_file" {',
  '  event_pattern = file("rule.json")',
  '}',
  'module "bus" {',
  '  source = "terraform-aws-modules/eventbridge/aws"',
  '  rules  = { s3 = { event_pattern = jsonencode({ source = ["aws.s3"] }) } }',
  '}',
  '',
].join('\n');

test('match-rules --template main.tf: rules named by their addresses, plan-time values left out, file() read', () => {
  const dir = scratch({ 'main.tf': RULES_TF, 'rule.json': '{"detail-type": ["Object Created"]}' });
  const r = cli(['match-rules', '--template', 'main.tf'], dir, EVENT + '\n');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    rules: [
      'aws_cloudwatch_event_rule.uploads',
      'module.bus.aws_cloudwatch_event_rule.this["s3"]',
      'aws_cloudwatch_event_rule.from_file',
    ],
  });
  assert.match(r.stderr, /aws_cloudwatch_event_rule\.from_variable left out/);
});

test('match-rules --template main.tf.json', () => {
  const dir = scratch({
    'main.tf.json': JSON.stringify({
      resource: {
        aws_cloudwatch_event_rule: {
          s3: { event_pattern: '{"source": ["aws.s3"]}' },
          ec2: { event_pattern: '{"source": ["aws.ec2"]}' },
          planned: { event_pattern: '{"source": ["${var.source}"]}' },
        },
      },
    }),
  });
  const r = cli(['match-rules', '--template', 'main.tf.json'], dir, EVENT + '\n');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { rules: ['aws_cloudwatch_event_rule.s3'] });
  assert.match(r.stderr, /aws_cloudwatch_event_rule\.planned left out/);
});
