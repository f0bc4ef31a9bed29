// "Which workspace rules match this event": templates read as the local bus reads them, one compiled matcher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexTemplateRules } from '../../../client/src/aws/workspaceRuleMatching';

const CONTEXT = { region: 'us-east-1', accountId: '123456789012' };

const ORDERS = `Resources:
  Placed:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: orders
      EventPattern:
        source: [shop.orders]
        detail-type: [Order Placed]
  Big:
    Type: AWS::Events::Rule
    Properties:
      State: DISABLED
      EventPattern: '{"source": ["shop.orders"], "detail": {"total": [{"numeric": [">", 100]}]}}'
  Broken:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: aws.s3}
  Scheduled:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
`;

const SAM = `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        OnOrder:
          Type: EventBridgeRule
          Properties:
            Pattern:
              source: [shop.orders]
`;

test('one event: every matching rule of every template, in template order, with bus and state', () => {
  const index = indexTemplateRules(
    [
      { path: '/w/orders.yaml', text: ORDERS },
      { path: '/w/sam.yaml', text: SAM },
      { path: '/w/bad.yaml', text: 'Resources: [' },
    ],
    CONTEXT,
  );
  assert.deepEqual(
    index.rules.map((r) => `${r.logicalId}@${r.eventBusName}/${r.state}`),
    ['Placed@orders/ENABLED', 'Big@default/DISABLED', 'FnOnOrder@default/ENABLED'],
  );
  assert.ok(index.problems.some((p) => p.startsWith('/w/orders.yaml: rule Broken:') && p.includes('must be an object or an array')));
  assert.ok(index.problems.some((p) => p.startsWith('/w/bad.yaml:')));
  const answer = index.match(JSON.stringify({ source: 'shop.orders', 'detail-type': 'Order Placed', detail: { total: 150 } }));
  assert.ok(Array.isArray(answer));
  assert.deepEqual(
    answer[0].rules.map((r) => r.logicalId),
    ['Placed', 'Big', 'FnOnOrder'],
  );
});

test('a list of events gets one answer each; bad input gets a clear error', () => {
  const index = indexTemplateRules([{ path: 'orders.yaml', text: ORDERS }], CONTEXT);
  const answer = index.match(
    JSON.stringify([
      { source: 'shop.orders', detail: { total: 5 } },
      { source: 'shop.orders', 'detail-type': 'Order Placed', detail: {} },
      { source: 'other' },
    ]),
  );
  assert.ok(Array.isArray(answer));
  assert.deepEqual(
    answer.map((a) => a.rules.map((r) => r.logicalId)),
    [[], ['Placed'], []],
  );
  assert.match((index.match('{"source":') as { error: string }).error, /not valid JSON/);
  assert.match((index.match('[1]') as { error: string }).error, /Event 1 is not a JSON object/);
  assert.match((index.match('[]') as { error: string }).error, /empty/);
});

test("a rule written as Fn::Sub text that does not compile is said in the template's words", () => {
  const text = [
    'Resources:',
    '  Mine:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    `      EventPattern: !Sub '{"account": ["\${AWS::AccountId}"], "source": ["a"}'`,
    '',
  ].join('\n');
  const index = indexTemplateRules([{ path: 'sub.yaml', text }], CONTEXT);
  assert.deepEqual(index.problems, [
    `sub.yaml: rule Mine: Event pattern is not valid. Reason: Unexpected close marker '}': expected ']' (for Array starting at [Source: (String)"{"account": ["\${AWS::AccountId}"], "source": ["a"}"; line: 1, column: 46])`,
  ]);
});
