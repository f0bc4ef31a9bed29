// A generated Terraform file for benchmarks: `rules` EventBridge rules (most as `jsonencode({...})`, every fifth as a
// heredoc of JSON, every tenth through terraform-aws-modules/eventbridge), each with a target and a queue around it,
// about 23 lines per rule (200 rules make a file of about 4,600 lines), padded with outputs to `lines` when given.

export interface TerraformWorkloadOptions {
  readonly rules?: number;
  /** Outputs are added at the end until the file has about this many lines. */
  readonly lines?: number;
}

const SOURCES = ['aws.ec2', 'aws.s3', 'com.shop.orders', 'aws.codebuild', 'com.shop.payments'];

export function generateTerraformFile(options: TerraformWorkloadOptions = {}): string {
  const rules = options.rules ?? 200;
  const out: string[] = [
    'terraform {',
    '  required_providers {',
    '    aws = { source = "hashicorp/aws" }',
    '  }',
    '}',
    '',
  ];
  out.push('locals {', '  prefix = "bench"', '}', '');
  for (let i = 0; i < rules; i++) {
    const source = SOURCES[i % SOURCES.length];
    out.push(`resource "aws_sqs_queue" "queue_${i}" {`, `  name = "\${local.prefix}-queue-${i}"`, '}', '');
    if (i % 10 === 9) {
      out.push(
        `module "bus_${i}" {`,
        '  source   = "terraform-aws-modules/eventbridge/aws"',
        `  bus_name = "bus-${i}"`,
        '  rules = {',
        `    rule_${i} = {`,
        `      description   = "Rule ${i}"`,
        '      event_pattern = jsonencode({',
        `        source        = ["${source}"]`,
        `        "detail-type" = ["Detail Type ${i}"]`,
        `        detail        = { state = ["running", "stopped"], size = [{ numeric = [">", ${i}] }] }`,
        '      })',
        '    }',
        '  }',
        '}',
      );
    } else if (i % 5 === 4) {
      out.push(
        `resource "aws_cloudwatch_event_rule" "rule_${i}" {`,
        `  name          = "rule-${i}"`,
        '  event_pattern = <<-EOF',
        '    {',
        `      "source": ["${source}"],`,
        `      "account": ["\${data.aws_caller_identity.current.account_id}"],`,
        `      "detail-type": ["Detail Type ${i}"],`,
        `      "detail": { "key": [{ "prefix": "orders/${i}/" }] }`,
        '    }',
        '  EOF',
        '}',
      );
    } else {
      out.push(
        `resource "aws_cloudwatch_event_rule" "rule_${i}" {`,
        `  name          = "rule-${i}"`,
        `  description   = "Rule number ${i}"`,
        '  event_pattern = jsonencode({',
        `    source        = ["${source}"]`,
        `    "detail-type" = ["Detail Type ${i}"]`,
        '    detail = {',
        `      state  = ["running", "stopped"]`,
        `      bucket = { name = [aws_sqs_queue.queue_${i}.name] }`,
        `      size   = [{ numeric = [">", ${i}, "<=", ${i * 10 + 10}] }]`,
        '    }',
        '  })',
        '}',
      );
    }
    out.push(
      '',
      `resource "aws_cloudwatch_event_target" "target_${i}" {`,
      `  rule = aws_cloudwatch_event_rule.rule_${i}.name`,
      `  arn  = aws_sqs_queue.queue_${i}.arn`,
      '}',
      '',
    );
  }
  out.push('data "aws_caller_identity" "current" {}', '');
  for (let i = 0; out.length + 4 <= (options.lines ?? 0); i++)
    out.push(`output "queue_${i}_url" {`, `  value = aws_sqs_queue.queue_${i % rules}.url`, '}', '');
  return out.join('\n');
}
