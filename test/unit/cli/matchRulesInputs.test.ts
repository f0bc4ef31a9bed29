// `cli match-rules` with what users have at hand: PutEvents entries (alone, in a list, or the `{"Entries": [...]}`
// file of `aws events put-events --cli-input-json`), parameter values for the templates, and serverless.yml files.
// Entries are checked against the local bus itself: the same entries put there reach exactly the rules named here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle } from '../repoPaths';
import { EventBridgeStore, eventBridgeOperations } from '../../../server/src/localbus/eventBridgeService';
import { parseTemplateText, readTemplate } from '../../../server/src/localbus/templateLoader';
import { envelopeFromPutEventsEntry, type EventEnvelope } from '../../../server/src/eventbridge/envelope';

function run(args: string[], cwd: string, stdin = '') {
  return spawnSync(process.execPath, [cliBundle, 'match-rules', ...args], { cwd, input: stdin, encoding: 'utf8' });
}

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-match-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function answers(stdout: string): { rules?: string[]; error?: string }[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { rules?: string[]; error?: string });
}

const SHOP = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrderPlaced:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [com.shop]
        detail-type: [Order Placed]
        detail:
          total: [{numeric: ['>', 100]}]
  FromThisAccount:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        account: [!Ref AWS::AccountId]
        region: [us-east-1]
  ForResource:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        resources: [{prefix: 'arn:aws:s3:::orders'}]
  InMay:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        time: [{prefix: '2024-05-01T'}]
`;

const detail = (value: object): string => JSON.stringify(value);

const ENTRIES: Record<string, unknown>[] = [
  { Source: 'com.shop', DetailType: 'Order Placed', Detail: detail({ total: 250 }), Time: 1714557600 },
  {
    Source: 'com.shop',
    DetailType: 'Order Placed',
    Detail: detail({ total: 50 }),
    Resources: ['arn:aws:s3:::orders-eu'],
  },
  { Source: 'com.shop', DetailType: 'Order Placed' },
  { Source: 'com.shop', DetailType: 'x', Detail: '[1]' },
  { Source: 'com.shop', DetailType: 'x'.repeat(129), Detail: '{}' },
  { Source: 'com.shop', DetailType: 'x', Detail: '{}', Resources: 'arn' },
];

test('PutEvents entries match as the events the local bus makes of them, and fail with its errors', () => {
  // The local bus, in memory, with the same template's rules.
  const delivered: { rule: string; event: EventEnvelope }[] = [];
  const store = new EventBridgeStore(
    'us-east-1',
    '123456789012',
    { putEventsMaxBytes: 256 * 1024, maxRulesPerBus: 100, maxBusesPerRegion: 10 },
    ({ rule, event }) => delivered.push({ rule: rule.name, event }),
  );
  const read = readTemplate(parseTemplateText(SHOP, 'shop.yaml'), 'shop.yaml', {
    region: 'us-east-1',
    accountId: '123456789012',
  });
  const logicalIds = new Map<string, string>();
  for (const rule of read.rules) {
    logicalIds.set(rule.name, rule.logicalId);
    const created = store.putRule(store.bus(undefined), { name: rule.name, eventPattern: rule.eventPattern! });
    store.putTargets(created, [{ Id: 't', Arn: 'arn:aws:logs:us-east-1:123456789012:log-group:g' }]);
  }
  const bus: string[][] = [];
  const busErrors: (string | undefined)[] = [];
  for (const entry of ENTRIES) {
    delivered.length = 0;
    const result = eventBridgeOperations.PutEvents(
      store,
      { Entries: [entry] },
      { onDeliveryError: (e) => assert.fail(String(e)) },
    );
    const [outcome] = result.Entries as { ErrorCode?: string; ErrorMessage?: string }[];
    busErrors.push(outcome.ErrorCode ? `PutEvents entry: ${outcome.ErrorCode}: ${outcome.ErrorMessage}` : undefined);
    bus.push(delivered.map((d) => logicalIds.get(d.rule)!));
    // What the bus delivered is what the shared function makes of the entry (ids are new each time).
    for (const d of delivered) {
      const built = envelopeFromPutEventsEntry(entry, {
        accountId: '123456789012',
        region: 'us-east-1',
        newId: () => d.event.id,
        nowSeconds: () => Date.parse(d.event.time) / 1000,
      });
      assert.ok(!('ErrorCode' in built));
      assert.deepEqual(d.event, built.event);
    }
  }
  assert.deepEqual(bus[0], ['OrderPlaced', 'FromThisAccount', 'InMay']);
  assert.deepEqual(bus[1], ['FromThisAccount', 'ForResource']);
  assert.equal(busErrors.filter((e) => e !== undefined).length, 4);

  // match-rules on the same entries, in each form a user may have them.
  const dir = scratch({ 'shop.yaml': SHOP, 'events/put.json': JSON.stringify({ Entries: ENTRIES }, null, 2) });
  const expected = ENTRIES.map((_, i) =>
    busErrors[i] ? { error: `item ${i + 1}: ${busErrors[i]}` } : { rules: bus[i] },
  );
  const fromFile = run(['--template', 'shop.yaml', '--event', '@events/put.json'], dir);
  assert.equal(fromFile.status, 0, fromFile.stderr);
  assert.deepEqual(answers(fromFile.stdout), expected);
  const asList = run(['--template', 'shop.yaml'], dir, `${JSON.stringify(ENTRIES)}\n`);
  assert.deepEqual(answers(asList.stdout), expected);
  const oneByOne = run(['--template', 'shop.yaml'], dir, ENTRIES.map((e) => JSON.stringify(e)).join('\n'));
  assert.deepEqual(
    answers(oneByOne.stdout),
    ENTRIES.map((_, i) => (busErrors[i] ? { error: busErrors[i] } : { rules: bus[i] })),
  );
});

test('an entry Time in ISO 8601 or epoch seconds (as the AWS CLI takes it) sets the event time', () => {
  const dir = scratch({ 'shop.yaml': SHOP });
  const entry = (time: unknown): string => JSON.stringify({ Source: 'x', DetailType: 'y', Detail: '{}', Time: time });
  const r = run(
    ['--template', 'shop.yaml'],
    dir,
    [entry('2024-05-01T10:00:00Z'), entry('1714557600'), entry('2024-06-01T00:00:00+02:00'), entry('yesterday')].join(
      '\n',
    ),
  );
  assert.deepEqual(answers(r.stdout), [
    { rules: ['FromThisAccount', 'InMay'] },
    { rules: ['FromThisAccount', 'InMay'] },
    { rules: ['FromThisAccount'] },
    { error: 'PutEvents entry: Time "yesterday" is not a timestamp (ISO 8601 or epoch seconds)' },
  ]);
});

test('a value that is neither an event nor a PutEvents entry is said to be so, never silently unmatched', () => {
  const dir = scratch({ 'shop.yaml': SHOP });
  const r = run(
    ['--template', 'shop.yaml'],
    dir,
    [
      '{"pattern": "{}", "event": "{}"}',
      '{}',
      '[]',
      '{"Entries": []}',
      '"aws.s3"',
      '[{"source": "com.shop"}, {"Source": "com.shop"}]',
    ].join('\n'),
  );
  assert.equal(r.status, 0, r.stderr);
  const neither =
    'neither an event (with source, detail-type, detail, ...) nor a PutEvents entry (with Source, DetailType, Detail)';
  assert.deepEqual(answers(r.stdout), [
    { error: `${neither}: its keys are pattern, event` },
    { error: `${neither}: it is empty` },
    { error: 'an empty list: no event to match' },
    { error: 'an empty list: no event to match' },
    { error: 'an event must be a JSON object' },
    { rules: [] },
    {
      error:
        'item 2: PutEvents entry: InvalidArgument: Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    },
  ]);
});

const PARAMETERIZED = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  ShopSource:
    Type: String
  Kinds:
    Type: CommaDelimitedList
    Default: Order Placed
Resources:
  FromShop:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [!Ref ShopSource]
        detail-type: !Ref Kinds
  Always:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [{exists: true}]
`;

test('--parameter and --parameters give values to parameters without a Default; their rules load', () => {
  const dir = scratch({
    'app.yaml': PARAMETERIZED,
    'cfn.json': JSON.stringify([{ ParameterKey: 'ShopSource', ParameterValue: 'com.cfn' }]),
    'sam.txt': 'ShopSource=com.sam Kinds="Order Placed,Order Shipped"\n',
    'samconfig.toml': '[default.deploy.parameters]\nparameter_overrides = "ShopSource=\\"com.toml\\""\n',
  });
  const event = (source: string, type = 'Order Placed'): string =>
    JSON.stringify({ Source: source, DetailType: type, Detail: '{}' });

  const without = run(['--template', 'app.yaml', '--event', event('com.cfn')], dir);
  assert.deepEqual(answers(without.stdout), [{ rules: ['Always'] }]);
  assert.match(
    without.stderr,
    /warning: app\.yaml: resource FromShop skipped: parameter ShopSource has no Default and no value was given/,
  );

  for (const [args, source] of [
    [['--parameter', 'ShopSource=com.flag'], 'com.flag'],
    [['--parameters', 'cfn.json'], 'com.cfn'],
    [['--parameters', 'sam.txt'], 'com.sam'],
    [['--parameters', 'samconfig.toml'], 'com.toml'],
    [['--parameters', 'sam.txt', '--parameter=ShopSource=com.flag'], 'com.flag'],
  ] as const) {
    const r = run(['--template', 'app.yaml', ...args, '--event', event(source), '--event', event('com.other')], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', args.join(' '));
    assert.deepEqual(answers(r.stdout), [{ rules: ['FromShop', 'Always'] }, { rules: ['Always'] }], args.join(' '));
  }
  const shipped = run(
    ['--template', 'app.yaml', '--parameters', 'sam.txt', '--event', event('com.sam', 'Order Shipped')],
    dir,
  );
  assert.deepEqual(answers(shipped.stdout), [{ rules: ['FromShop', 'Always'] }]);
});

test('a parameter no template declares is a warning; a malformed parameters file is exit 2 with the reason', () => {
  const dir = scratch({
    'app.yaml': PARAMETERIZED,
    'bad.json': '[{"ParameterKey": "ShopSource", ',
    'bad.txt': 'ShopSource\n',
  });
  const event = JSON.stringify({ Source: 'com.x', DetailType: 'Order Placed', Detail: '{}' });
  const typo = run(
    ['--template', 'app.yaml', '--parameter', 'ShopSource=com.x', '--parameter', 'ShopSorce=y', '--event', event],
    dir,
  );
  assert.equal(typo.status, 0);
  assert.equal(
    typo.stderr,
    'warning: parameter ShopSorce was given a value, but no template declares it in Parameters\n',
  );
  assert.deepEqual(answers(typo.stdout), [{ rules: ['FromShop', 'Always'] }]);

  const badJson = run(['--template', 'app.yaml', '--parameters', 'bad.json', '--event', event], dir);
  assert.equal(badJson.status, 2);
  assert.equal(badJson.stdout, '');
  assert.match(badJson.stderr, /^match-rules: bad\.json: not valid JSON \(.*\)\n$/);
  const badText = run(['--template', 'app.yaml', '--parameters', 'bad.txt', '--event', event], dir);
  assert.equal(badText.status, 2);
  assert.equal(badText.stderr, 'match-rules: bad.txt:1: "ShopSource": expected Key=Value\n');
  const missing = run(['--template', 'app.yaml', '--parameters', 'nope.json', '--event', event], dir);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, 'match-rules: nope.json: cannot read: ENOENT\n');
  const flag = run(['--template', 'app.yaml', '--parameter', 'ShopSource', '--event', event], dir);
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /--parameter ShopSource: expected Key=Value/);
});

const SERVERLESS = `service: shop
provider:
  name: aws
functions:
  notify:
    handler: notify.handler
    events:
      - sqs: arn:aws:sqs:us-east-1:123456789012:q
      - eventBridge:
          pattern:
            source: [com.shop]
            detail-type: [Order Placed]
      - eventBridge:
          eventBus: orders
          pattern:
            detail:
              total: [{numeric: ['>=', 1000]}]
resources:
  Resources:
    Audit:
      Type: AWS::Events::Rule
      Properties:
        EventPattern:
          source: [{prefix: com.}]
`;

test('serverless.yml: eventBridge events of functions and resources.Resources rules are matched, named as lint names them', () => {
  const dir = scratch({ 'serverless.yml': SERVERLESS, 'shop.yaml': SHOP });
  const big = JSON.stringify({ Source: 'com.shop', DetailType: 'Order Placed', Detail: '{"total": 5000}' });
  const r = run(['--template', 'serverless.yml', '--event', big], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(answers(r.stdout), [{ rules: ['Audit', 'notify.events[1]', 'notify.events[2]'] }]);
  const both = run(['--template', 'serverless.yml', '--template', 'shop.yaml', '--event', big], dir);
  assert.deepEqual(answers(both.stdout), [
    {
      rules: [
        'serverless.yml#Audit',
        'serverless.yml#notify.events[1]',
        'serverless.yml#notify.events[2]',
        'shop.yaml#OrderPlaced',
        'shop.yaml#FromThisAccount',
      ],
    },
  ]);
});
