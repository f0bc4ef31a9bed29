// "Test against sample events" lenses on patterns written in code (CDK TypeScript, CDK Python, Terraform), through
// the language service facade: the synthesized pattern (CDK's `detailType` renamed, `Match` helpers expanded, HCL's
// `jsonencode`) runs against the user's sample events.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { setSampleEvents, type PatternTestResults } from '../../../server/src/languageservice/features/patternCodeLens';
import { loadGrammar } from '../../../server/src/languageservice/parsing/codeGrammars';

before(async () => {
  await loadGrammar('typescript');
  await loadGrammar('python');
  await loadGrammar('terraform');
});

const order = (total: number) =>
  JSON.stringify({
    version: '0',
    id: '1',
    'detail-type': 'Order Placed',
    source: 'com.example.orders',
    account: '123456789012',
    time: '2024-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { total },
  });

function lenses(uri: string, languageId: string, text: string) {
  const service = getLanguageService();
  setSampleEvents(service, [
    { name: 'events/big.json', text: order(150) },
    { name: 'events/small.json', text: order(50) },
  ]);
  const doc = TextDocument.create(uri, languageId, 1, text);
  return service.doCodeLens(doc).map((l) => {
    const results = l.command?.arguments?.[0] as PatternTestResults | undefined;
    return {
      line: l.range.start.line,
      title: l.command?.title,
      verdicts: results?.results.map((r) => [r.name, r.matched]),
      reasons: results?.results.map((r) => r.reasons),
    };
  });
}

/** One lens, on the line where the pattern is given: 1 of 2 samples matched, the big order in and the small one out, with the reason on detail.total. */
function assertBigOrderOnly(found: ReturnType<typeof lenses>, line: number): void {
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0].title, '▶ 1 of 2 sample events match');
  assert.equal(found[0].line, line);
  assert.deepEqual(found[0].verdicts, [
    ['events/big.json', true],
    ['events/small.json', false],
  ]);
  assert.equal(found[0].reasons?.[1].length, 1);
  assert.match(found[0].reasons[1][0], /^detail\.total is 50/);
}

describe('sample event lenses on patterns in code', () => {
  test('CDK TypeScript: a Rule with detailType and a Match helper', () => {
    const text = [
      "import * as events from 'aws-cdk-lib/aws-events';",
      '',
      "new events.Rule(this, 'Big', {",
      '  eventPattern: {',
      "    source: ['com.example.orders'],",
      "    detailType: ['Order Placed'],",
      '    detail: { total: events.Match.greaterThan(100) },',
      '  },',
      '});',
    ].join('\n');
    assertBigOrderOnly(lenses('file:///w/lib/stack.ts', 'typescript', text), 3);
  });

  test('CDK Python: a Rule with an EventPattern and Match.greater_than', () => {
    const text = [
      'from aws_cdk import aws_events as events',
      '',
      'events.Rule(',
      '    self,',
      '    "Big",',
      '    event_pattern=events.EventPattern(',
      '        source=["com.example.orders"],',
      '        detail_type=["Order Placed"],',
      '        detail={"total": events.Match.greater_than(100)},',
      '    ),',
      ')',
    ].join('\n');
    assertBigOrderOnly(lenses('file:///w/stacks/stack.py', 'python', text), 5);
  });

  test('Terraform: jsonencode of an HCL object', () => {
    const text = [
      'resource "aws_cloudwatch_event_rule" "big" {',
      '  name = "big"',
      '  event_pattern = jsonencode({',
      '    source        = ["com.example.orders"]',
      '    "detail-type" = ["Order Placed"]',
      '    detail        = { total = [{ numeric = [">", 100] }] }',
      '  })',
      '}',
    ].join('\n');
    assertBigOrderOnly(lenses('file:///w/main.tf', 'terraform', text), 2);
  });

  test('CDK Python SNS policy: sample messages under events/sns/ run through it in its scope', () => {
    const service = getLanguageService();
    const message = (color: string) =>
      JSON.stringify({ MessageAttributes: { color: { Type: 'String', Value: color } }, Message: 'hello' });
    setSampleEvents(service, [
      { name: 'events/sns/red.json', text: message('red') },
      { name: 'events/sns/blue.json', text: message('blue') },
      { name: 'events/big.json', text: order(150) },
    ]);
    const text = [
      'from aws_cdk import aws_sns as sns, aws_sns_subscriptions as subs',
      '',
      'topic.add_subscription(subs.SqsSubscription(queue, filter_policy={',
      '    "color": sns.SubscriptionFilter.string_filter(allowlist=["red"]),',
      '}))',
    ].join('\n');
    const doc = TextDocument.create('file:///w/stacks/topics.py', 'python', 1, text);
    const found = service.doCodeLens(doc).map((l) => ({
      line: l.range.start.line,
      title: l.command?.title,
      verdicts: (l.command?.arguments?.[0] as PatternTestResults).results.map((r) => [r.name, r.matched]),
    }));
    assert.deepEqual(found, [
      {
        line: 2,
        title: '▶ 1 of 2 sample messages match (MessageAttributes)',
        verdicts: [
          ['events/sns/red.json', true],
          ['events/sns/blue.json', false],
        ],
      },
    ]);
  });
});
