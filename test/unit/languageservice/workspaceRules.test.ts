// "Which workspace rules match this event", as the client asks it: templates read as the local bus reads them, one
// compiled matcher, through the facade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchWorkspaceRules } from '../../../server/src/languageservice/languageService';

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

const file = (path: string, text: string) => ({ uri: `file://${path}`, path, text });

test('one event: every matching rule of every template, in template order, with bus and state', () => {
  const result = matchWorkspaceRules(
    [
      file('/w/orders.yaml', ORDERS),
      file('/w/sam.yaml', SAM),
      file('/w/bad.yaml', 'Resources: [\n  AWS::Events::Rule'),
      file('/w/package.json', '{"name": "not a template"}'),
    ],
    JSON.stringify({ source: 'shop.orders', 'detail-type': 'Order Placed', detail: { total: 150 } }),
    CONTEXT,
  );
  assert.equal(result.templates, 3, 'package.json does not look like a template');
  assert.deepEqual(
    result.rules.map((r) => `${r.logicalId}@${r.eventBusName}/${r.state}`),
    ['Placed@orders/ENABLED', 'Big@default/DISABLED', 'FnOnOrder@default/ENABLED'],
  );
  assert.deepEqual(result.rules[0].uri, 'file:///w/orders.yaml');
  assert.ok(
    result.problems.some(
      (p) => p.startsWith('/w/orders.yaml: rule Broken:') && p.includes('must be an object or an array'),
    ),
    result.problems.join('\n'),
  );
  assert.ok(result.problems.some((p) => p.startsWith('/w/bad.yaml:')));
  assert.ok('events' in result.answer);
  assert.deepEqual(
    result.answer.events[0].rules.map((r) => r.logicalId),
    ['Placed', 'Big', 'FnOnOrder'],
  );
});

test('a list of events gets one answer each; bad input gets a clear error', () => {
  const match = (eventText: string) => matchWorkspaceRules([file('/w/orders.yaml', ORDERS)], eventText, CONTEXT).answer;
  const answer = match(
    JSON.stringify([
      { source: 'shop.orders', detail: { total: 5 } },
      { source: 'shop.orders', 'detail-type': 'Order Placed', detail: {} },
      { source: 'other' },
    ]),
  );
  assert.ok('events' in answer);
  assert.deepEqual(
    answer.events.map((a) => a.rules.map((r) => r.logicalId)),
    [[], ['Placed'], []],
  );
  const errorOf = (eventText: string) => {
    const a = match(eventText);
    return 'error' in a ? a.error : '(matched)';
  };
  assert.match(errorOf('{"source":'), /not valid JSON/);
  assert.match(errorOf('[1]'), /Event 1 is not a JSON object/);
  assert.match(errorOf('[]'), /empty/);
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
  const result = matchWorkspaceRules([file('/w/sub.yaml', text)], JSON.stringify({ source: 'a' }), CONTEXT);
  assert.deepEqual(result.problems, [
    `/w/sub.yaml: rule Mine: Event pattern is not valid. Reason: Unexpected close marker '}': expected ']' (for Array starting at [Source: (String)"{"account": ["\${AWS::AccountId}"], "source": ["a"}"; line: 1, column: 46])`,
  ]);
});

test('a flow-style .template is read as YAML, as the editor reads it', () => {
  const flow =
    "{Resources: {Flow: {Type: 'AWS::Events::Rule', Properties: {EventPattern: {source: [shop.orders]}}}}}\n";
  const result = matchWorkspaceRules(
    [file('/w/flow.template', flow)],
    JSON.stringify({ source: 'shop.orders' }),
    CONTEXT,
  );
  assert.deepEqual(result.problems, []);
  assert.ok('events' in result.answer);
  assert.deepEqual(
    result.answer.events[0].rules.map((r) => r.logicalId),
    ['Flow'],
  );
});
