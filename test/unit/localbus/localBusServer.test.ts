import '../hermeticAws';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  paginateDescribeLogGroups,
  paginateFilterLogEvents,
  paginateGetLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { startLocalBus, type LocalBus } from '../../../server/src/localbus/localBusServer';
import { clientsFor, pollFor, withCode } from './localBusTestSupport';

void describe('local bus: EventBridge + CloudWatch Logs through the real AWS SDK clients', () => {
  let bus: LocalBus;
  let events: ReturnType<typeof clientsFor>['events'];
  let logs: ReturnType<typeof clientsFor>['logs'];
  const warnings: string[] = [];

  before(async () => {
    bus = await startLocalBus({ port: 0, onWarning: (m) => warnings.push(m) });
    ({ events, logs } = clientsFor(bus.url));
  });
  after(async () => {
    events.destroy();
    logs.destroy();
    await bus.close();
  });

  void it('delivers a matching event from a custom bus to a log group target, readable with FilterLogEvents', async () => {
    const { EventBusArn } = await events.send(
      new CreateEventBusCommand({ Name: 'orders', Description: 'order events' }),
    );
    assert.equal(EventBusArn, 'arn:aws:events:eu-west-1:000000000000:event-bus/orders');
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/orders' }));
    const { RuleArn } = await events.send(
      new PutRuleCommand({
        Name: 'order-created',
        EventBusName: 'orders',
        EventPattern: JSON.stringify({ source: ['shop'], 'detail-type': ['OrderCreated'] }),
      }),
    );
    assert.equal(RuleArn, 'arn:aws:events:eu-west-1:000000000000:rule/orders/order-created');
    const put = await events.send(
      new PutTargetsCommand({
        Rule: 'order-created',
        EventBusName: EventBusArn,
        Targets: [{ Id: 'log', Arn: 'arn:aws:logs:eu-west-1:000000000000:log-group:/aws/events/orders:*' }],
      }),
    );
    assert.equal(put.FailedEntryCount, 0);

    const sent = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'orders',
            Source: 'shop',
            DetailType: 'OrderCreated',
            Detail: JSON.stringify({ orderId: 'o-1', total: 12.5 }),
            Time: new Date('2026-11-27T06:00:00Z'),
            Resources: ['arn:aws:shop:o-1'],
          },
          { EventBusName: 'orders', Source: 'shop', DetailType: 'OrderShipped', Detail: '{"orderId":"o-1"}' },
        ],
      }),
    );
    assert.equal(sent.FailedEntryCount, 0);
    assert.equal(sent.Entries?.length, 2);
    const eventId = sent.Entries[0].EventId;
    assert.match(eventId ?? '', /^[0-9a-f-]{36}$/);

    const found = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/orders' }));
    assert.equal(found.events?.length, 1, 'only the OrderCreated event matches the rule');
    const envelope = JSON.parse(found.events[0].message!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(envelope), [
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    assert.deepEqual(envelope, {
      version: '0',
      id: eventId,
      'detail-type': 'OrderCreated',
      source: 'shop',
      account: '000000000000',
      time: '2026-11-27T06:00:00Z',
      region: 'eu-west-1',
      resources: ['arn:aws:shop:o-1'],
      detail: { orderId: 'o-1', total: 12.5 },
    });
    assert.equal(found.events[0].timestamp, Date.parse('2026-11-27T06:00:00Z'));
    assert.equal(found.events[0].logStreamName, 'eventbridge/orders/order-created');
    assert.equal(found.nextToken, undefined);

    // The same group by ARN, and a JSON filter pattern over the envelope.
    const byArn = await logs.send(
      new FilterLogEventsCommand({
        logGroupIdentifier: 'arn:aws:logs:eu-west-1:000000000000:log-group:/aws/events/orders',
        filterPattern: '{ $.detail.total > 10 }',
      }),
    );
    assert.equal(byArn.events?.length, 1);
    const none = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/events/orders', filterPattern: '{ $.detail.orderId = "o-2" }' }),
    );
    assert.equal(none.events?.length, 0);
  });

  void it('describes, lists, removes and deletes buses, rules and targets', async () => {
    const described = await events.send(new DescribeEventBusCommand({ Name: 'orders' }));
    assert.equal(described.Arn, 'arn:aws:events:eu-west-1:000000000000:event-bus/orders');
    assert.equal(described.Description, 'order events');
    assert.ok(
      described.CreationTime instanceof Date && Math.abs(described.CreationTime.getTime() - Date.now()) < 60_000,
    );
    const defaultBus = await events.send(new DescribeEventBusCommand({}));
    assert.equal(defaultBus.Name, 'default');

    const buses = await events.send(new ListEventBusesCommand({}));
    assert.deepEqual(
      buses.EventBuses?.map((b) => b.Name),
      ['default', 'orders'],
    );
    const firstPage = await events.send(new ListEventBusesCommand({ Limit: 1 }));
    assert.equal(firstPage.EventBuses?.length, 1);
    const secondPage = await events.send(new ListEventBusesCommand({ Limit: 1, NextToken: firstPage.NextToken }));
    assert.deepEqual(
      secondPage.EventBuses?.map((b) => b.Name),
      ['orders'],
    );
    assert.equal(secondPage.NextToken, undefined);

    for (const name of ['r-a', 'r-b', 'r-c'])
      await events.send(
        new PutRuleCommand({
          Name: name,
          EventPattern: '{"source":["x"]}',
          State: name === 'r-b' ? 'DISABLED' : 'ENABLED',
        }),
      );
    const names: string[] = [];
    let token: string | undefined;
    for (let pages = 0; pages === 0 || token; pages++) {
      assert.ok(pages < 5, 'ListRules paging must end');
      const page = await events.send(new ListRulesCommand({ NamePrefix: 'r-', Limit: 2, NextToken: token }));
      names.push(...(page.Rules ?? []).map((r) => r.Name!));
      token = page.NextToken;
    }
    assert.deepEqual(names, ['r-a', 'r-b', 'r-c']);
    const rule = await events.send(new DescribeRuleCommand({ Name: 'r-b' }));
    assert.equal(rule.State, 'DISABLED');
    assert.equal(rule.Arn, 'arn:aws:events:eu-west-1:000000000000:rule/r-b');
    assert.equal(rule.EventBusName, 'default');
    assert.equal(rule.EventPattern, '{"source":["x"]}');

    await events.send(
      new PutTargetsCommand({
        Rule: 'r-a',
        Targets: [
          { Id: 't1', Arn: 'arn:aws:logs:eu-west-1:000000000000:log-group:g1' },
          { Id: 't2', Arn: 'arn:aws:sqs:eu-west-1:000000000000:q', Input: '{"a":1}' },
        ],
      }),
    );
    const targets = await events.send(new ListTargetsByRuleCommand({ Rule: 'r-a' }));
    assert.deepEqual(targets.Targets, [
      { Id: 't1', Arn: 'arn:aws:logs:eu-west-1:000000000000:log-group:g1' },
      { Id: 't2', Arn: 'arn:aws:sqs:eu-west-1:000000000000:q', Input: '{"a":1}' },
    ]);
    await assert.rejects(events.send(new DeleteRuleCommand({ Name: 'r-a' })), withCode('ValidationException'));
    const removed = await events.send(new RemoveTargetsCommand({ Rule: 'r-a', Ids: ['t1', 't2'] }));
    assert.equal(removed.FailedEntryCount, 0);
    await events.send(new DeleteRuleCommand({ Name: 'r-a' }));
    await events.send(new DeleteRuleCommand({ Name: 'r-a' })); // a second delete succeeds too
    await assert.rejects(events.send(new DescribeRuleCommand({ Name: 'r-a' })), withCode('ResourceNotFoundException'));
    const rules = await events.send(new ListRulesCommand({ NamePrefix: 'r-' }));
    assert.deepEqual(
      rules.Rules?.map((r) => r.Name),
      ['r-b', 'r-c'],
    );
  });

  void it('returns the AWS error codes: unknown bus, bad pattern, 11 entries, malformed detail, missing fields', async () => {
    await assert.rejects(
      events.send(new DescribeEventBusCommand({ Name: 'nope' })),
      withCode('ResourceNotFoundException'),
    );
    await assert.rejects(
      events.send(new PutRuleCommand({ Name: 'x', EventBusName: 'nope', EventPattern: '{"source":["a"]}' })),
      withCode('ResourceNotFoundException'),
    );
    await assert.rejects(
      events.send(
        new PutEventsCommand({ Entries: [{ EventBusName: 'nope', Source: 's', DetailType: 'd', Detail: '{}' }] }),
      ),
      withCode('ResourceNotFoundException'),
    );
    await assert.rejects(
      events.send(new CreateEventBusCommand({ Name: 'orders' })),
      withCode('ResourceAlreadyExistsException'),
    );

    await assert.rejects(
      events.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":"not-an-array"}' })),
      (e: Error) => {
        withCode('InvalidEventPatternException')(e);
        assert.equal(e.message, 'Event pattern is not valid. Reason: "source" must be an object or an array');
        return true;
      },
    );
    await assert.rejects(
      events.send(new PutRuleCommand({ Name: 'bad', EventPattern: 'not json' })),
      withCode('InvalidEventPatternException'),
    );
    await assert.rejects(events.send(new PutRuleCommand({ Name: 'no-pattern' })), withCode('ValidationException'));
    await assert.rejects(
      events.send(new PutRuleCommand({ Name: 'bad name!', EventPattern: '{}' })),
      withCode('ValidationException'),
    );

    const eleven = Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' }));
    await assert.rejects(events.send(new PutEventsCommand({ Entries: eleven })), (e: Error) => {
      withCode('ValidationException')(e);
      assert.match(e.message, /Member must have length less than or equal to 10/);
      return true;
    });
    await assert.rejects(events.send(new PutEventsCommand({ Entries: [] })), withCode('ValidationException'));

    const mixed = await events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 's', DetailType: 'd', Detail: 'not json' },
          { Source: 's', DetailType: 'd', Detail: '[1,2]' },
          { DetailType: 'd', Detail: '{}' },
          { Source: 's', DetailType: 'd', Detail: '{"ok":true}' },
        ],
      }),
    );
    assert.equal(mixed.FailedEntryCount, 3);
    assert.deepEqual(
      mixed.Entries?.map((e) => e.ErrorCode ?? 'ok'),
      ['MalformedDetail', 'MalformedDetail', 'InvalidArgument', 'ok'],
    );
    assert.match(mixed.Entries[3].EventId ?? '', /^[0-9a-f-]{36}$/);
    const alone = await events.send(new PutEventsCommand({ Entries: [{ Source: 's', Detail: '{}' }] }));
    assert.deepEqual(alone.Entries, [
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      },
    ]);
    // The entry-size rule: Source + DetailType + Detail (+ 14 for Time) over 256 KiB.
    const big = JSON.stringify({ a: 'x'.repeat(256 * 1024) });
    await assert.rejects(
      events.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: big }] })),
      withCode('ValidationException'),
    );

    await assert.rejects(logs.send(new FilterLogEventsCommand({ logGroupName: 'missing' })), (e: Error) => {
      withCode('ResourceNotFoundException')(e);
      assert.equal(e.message, 'The specified log group does not exist.');
      return true;
    });
    await assert.rejects(
      logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/orders' })),
      withCode('ResourceAlreadyExistsException'),
    );
    await assert.rejects(
      logs.send(
        new FilterLogEventsCommand({ logGroupName: '/aws/events/orders', logGroupIdentifier: '/aws/events/orders' }),
      ),
      withCode('InvalidParameterException'),
    );
    await assert.rejects(
      logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/orders', filterPattern: '"unterminated' })),
      withCode('InvalidParameterException'),
    );
    await assert.rejects(
      logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/orders', nextToken: 'garbage' })),
      withCode('InvalidParameterException'),
    );
  });

  void it('answers TestEventPattern and insists on a complete event envelope', async () => {
    const event = JSON.stringify({
      id: '1',
      account: '123456789012',
      source: 'shop',
      time: '2026-11-27T06:00:00Z',
      region: 'eu-west-1',
      'detail-type': 'x',
      resources: [],
      detail: { a: 1 },
    });
    assert.equal(
      (await events.send(new TestEventPatternCommand({ EventPattern: '{"source":["shop"]}', Event: event }))).Result,
      true,
    );
    assert.equal(
      (await events.send(new TestEventPatternCommand({ EventPattern: '{"source":["other"]}', Event: event }))).Result,
      false,
    );
    await assert.rejects(
      events.send(new TestEventPatternCommand({ EventPattern: '{"source":["shop"]}', Event: '{"source":"shop"}' })),
      (e: Error) => {
        withCode('ValidationException')(e);
        assert.equal(e.message, 'Parameter Event is not valid.');
        return true;
      },
    );
    await assert.rejects(
      events.send(new TestEventPatternCommand({ EventPattern: '{"source":"shop"}', Event: event })),
      withCode('InvalidEventPatternException'),
    );
  });

  void it('does not deliver through a disabled rule, and a failed delivery does not fail PutEvents', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'disabled-target' }));
    await events.send(new PutRuleCommand({ Name: 'off', EventPattern: '{"source":["off"]}', State: 'DISABLED' }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'off',
        Targets: [{ Id: 'l', Arn: 'arn:aws:logs:eu-west-1:000000000000:log-group:disabled-target' }],
      }),
    );
    await events.send(new PutRuleCommand({ Name: 'to-missing-group', EventPattern: '{"source":["off"]}' }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'to-missing-group',
        Targets: [{ Id: 'l', Arn: 'arn:aws:logs:eu-west-1:000000000000:log-group:no-such-group' }],
      }),
    );
    const before = warnings.length;
    const sent = await events.send(
      new PutEventsCommand({ Entries: [{ Source: 'off', DetailType: 'd', Detail: '{}' }] }),
    );
    assert.equal(sent.FailedEntryCount, 0);
    assert.equal((await logs.send(new FilterLogEventsCommand({ logGroupName: 'disabled-target' }))).events?.length, 0);
    assert.ok(
      warnings.slice(before).some((w) => w.includes('no-such-group')),
      'the failed delivery is reported as a warning',
    );
  });

  void it('applies the Input, InputPath and InputTransformer to what the log group receives', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'shaped' }));
    await events.send(new PutRuleCommand({ Name: 'shaped', EventPattern: '{"source":["shape"]}' }));
    const group = 'arn:aws:logs:eu-west-1:000000000000:log-group:shaped';
    await events.send(
      new PutTargetsCommand({
        Rule: 'shaped',
        Targets: [
          { Id: 'constant', Arn: group, Input: '{"fixed":true}' },
          { Id: 'path', Arn: group, InputPath: '$.detail.order' },
          {
            Id: 'template',
            Arn: group,
            InputTransformer: {
              InputPathsMap: { id: '$.detail.order.id', src: '$.source' },
              InputTemplate: '"<src> sent <id> via <aws.events.rule-name>"',
            },
          },
        ],
      }),
    );
    await events.send(
      new PutEventsCommand({ Entries: [{ Source: 'shape', DetailType: 'd', Detail: '{"order":{"id":"o-9","n":2}}' }] }),
    );
    const found = await logs.send(new FilterLogEventsCommand({ logGroupName: 'shaped' }));
    assert.deepEqual(found.events?.map((e) => e.message).sort(), [
      '"shape sent o-9 via shaped"',
      '{"fixed":true}',
      '{"id":"o-9","n":2}',
    ]);
  });

  void it('pages GetLogEvents to an end (same token), both directions, and FilterLogEvents with nextToken', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'paging' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'paging', logStreamName: 's1' }));
    const t0 = Date.now() - 60_000;
    const put = await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'paging',
        logStreamName: 's1',
        logEvents: Array.from({ length: 7 }, (_, i) => ({
          timestamp: t0 + i,
          message: `line ${i}${i % 2 ? ' ERROR' : ''}`,
        })),
      }),
    );
    assert.equal(put.rejectedLogEventsInfo, undefined);

    const forward: string[] = [];
    let pages = 0;
    for await (const page of paginateGetLogEvents(
      { client: logs, pageSize: 3, stopOnSameToken: true },
      { logGroupName: 'paging', logStreamName: 's1', startFromHead: true },
    )) {
      pages++;
      forward.push(...(page.events ?? []).map((e) => e.message!));
      assert.ok(pages < 10, 'the paginator must stop');
    }
    assert.deepEqual(
      forward,
      Array.from({ length: 7 }, (_, i) => `line ${i}${i % 2 ? ' ERROR' : ''}`),
    );

    const newest = await logs.send(new GetLogEventsCommand({ logGroupName: 'paging', logStreamName: 's1', limit: 3 }));
    assert.deepEqual(
      newest.events?.map((e) => e.message),
      ['line 4', 'line 5 ERROR', 'line 6'],
    );
    const older = await logs.send(
      new GetLogEventsCommand({
        logGroupName: 'paging',
        logStreamName: 's1',
        limit: 3,
        nextToken: newest.nextBackwardToken,
      }),
    );
    assert.deepEqual(
      older.events?.map((e) => e.message),
      ['line 1 ERROR', 'line 2', 'line 3 ERROR'],
    );
    const end = await logs.send(
      new GetLogEventsCommand({
        logGroupName: 'paging',
        logStreamName: 's1',
        nextToken: newest.nextForwardToken,
        startFromHead: true,
      }),
    );
    assert.equal(end.events?.length, 0);
    assert.equal(end.nextForwardToken, newest.nextForwardToken, 'at the end the forward token comes back unchanged');

    const filtered: string[] = [];
    for await (const page of paginateFilterLogEvents(
      { client: logs, pageSize: 2 },
      { logGroupName: 'paging', filterPattern: 'ERROR' },
    ))
      filtered.push(...(page.events ?? []).map((e) => e.message!));
    assert.deepEqual(filtered, ['line 1 ERROR', 'line 3 ERROR', 'line 5 ERROR']);
    const window = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: 'paging',
        startTime: t0 + 2,
        endTime: t0 + 4,
        filterPattern: '-ERROR',
      }),
    );
    assert.deepEqual(
      window.events?.map((e) => e.message),
      ['line 2', 'line 4'],
    );

    const unordered = logs.send(
      new PutLogEventsCommand({
        logGroupName: 'paging',
        logStreamName: 's1',
        logEvents: [
          { timestamp: t0 + 5, message: 'b' },
          { timestamp: t0, message: 'a' },
        ],
      }),
    );
    await assert.rejects(unordered, withCode('InvalidParameterException'));
    const tooOld = await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'paging',
        logStreamName: 's1',
        logEvents: [{ timestamp: Date.now() - 20 * 86_400_000, message: 'old' }],
      }),
    );
    assert.deepEqual(tooOld.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 });
  });

  void it('keeps a GetLogEvents page under 1 MB, taking the events nearest the token', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'big-events' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'big-events', logStreamName: 's' }));
    const now = Date.now();
    for (const [i, fill] of ['a', 'b', 'c'].entries()) {
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: 'big-events',
          logStreamName: 's',
          logEvents: [{ timestamp: now + i, message: fill.repeat(600_000) }],
        }),
      );
    }
    const newest = await logs.send(new GetLogEventsCommand({ logGroupName: 'big-events', logStreamName: 's' }));
    assert.deepEqual(
      newest.events?.map((e) => e.message?.[0]),
      ['c'],
    );
    const back = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'big-events', logStreamName: 's', nextToken: newest.nextBackwardToken }),
    );
    assert.deepEqual(
      back.events?.map((e) => e.message?.[0]),
      ['b'],
    );
    const head = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'big-events', logStreamName: 's', startFromHead: true }),
    );
    assert.deepEqual(
      head.events?.map((e) => e.message?.[0]),
      ['a'],
    );
    const next = await logs.send(
      new GetLogEventsCommand({
        logGroupName: 'big-events',
        logStreamName: 's',
        startFromHead: true,
        nextToken: head.nextForwardToken,
      }),
    );
    assert.deepEqual(
      next.events?.map((e) => e.message?.[0]),
      ['b'],
    );
  });

  void it('describes log groups and streams with pagination', async () => {
    for (const name of ['pg-c', 'pg-a', 'pg-b']) await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    const names: string[] = [];
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 2 }, { logGroupNamePrefix: 'pg-' }))
      names.push(...(page.logGroups ?? []).map((g) => g.logGroupName!));
    assert.deepEqual(names, ['pg-a', 'pg-b', 'pg-c']);
    const one = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'pg-a' }));
    assert.equal(one.logGroups?.[0]?.arn, 'arn:aws:logs:eu-west-1:000000000000:log-group:pg-a:*');
    assert.equal(one.logGroups?.[0]?.logGroupArn, 'arn:aws:logs:eu-west-1:000000000000:log-group:pg-a');
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/events/orders' }));
    assert.deepEqual(
      streams.logStreams?.map((s) => s.logStreamName),
      ['eventbridge/orders/order-created'],
    );
    assert.equal(streams.logStreams?.[0]?.lastEventTimestamp, Date.parse('2026-11-27T06:00:00Z'));
  });

  void it('keeps state per region (from the SigV4 credential scope)', async () => {
    const other = clientsFor(bus.url, 'us-west-2');
    try {
      await assert.rejects(
        other.events.send(new DescribeEventBusCommand({ Name: 'orders' })),
        withCode('ResourceNotFoundException'),
      );
      const { EventBusArn } = await other.events.send(new CreateEventBusCommand({ Name: 'orders' }));
      assert.equal(EventBusArn, 'arn:aws:events:us-west-2:000000000000:event-bus/orders');
      assert.equal(
        (await other.events.send(new DescribeEventBusCommand({}))).Arn,
        'arn:aws:events:us-west-2:000000000000:event-bus/default',
      );
    } finally {
      other.events.destroy();
      other.logs.destroy();
    }
  });

  void it('refuses a non-loopback Host header (DNS rebinding), other paths, and oversized bodies', async () => {
    const raw = (
      headers: Record<string, string>,
      body: string,
      path = '/',
    ): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: bus.port,
            path,
            method: 'POST',
            headers: {
              'x-amz-target': 'AWSEvents.ListEventBuses',
              'content-type': 'application/x-amz-json-1.1',
              ...headers,
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const ok = await raw({ host: `localhost:${bus.port}` }, '{}');
    assert.equal(ok.status, 200);
    assert.ok((JSON.parse(ok.body) as { EventBuses: unknown[] }).EventBuses.length >= 1);
    const rebound = await raw({ host: `attacker.example:${bus.port}` }, '{}');
    assert.equal(rebound.status, 403);
    assert.equal((JSON.parse(rebound.body) as { __type: string }).__type, 'AccessDeniedException');
    assert.equal((await raw({ host: `127.0.0.1:${bus.port + 1}` }, '{}')).status, 403, 'the port must be ours too');
    assert.equal((await raw({ host: `127.0.0.1:${bus.port}` }, '{}', '/other')).status, 404);
    const unknown = await raw({ host: `127.0.0.1:${bus.port}`, 'x-amz-target': 'AWSEvents.Nope' }, '{}');
    assert.equal((JSON.parse(unknown.body) as { __type: string }).__type, 'UnknownOperationException');
    const notJson = await raw({ host: `127.0.0.1:${bus.port}` }, '{');
    assert.equal((JSON.parse(notJson.body) as { __type: string }).__type, 'SerializationException');
    // Declared too large: refused before the body is read.
    const declared = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: bus.port,
          method: 'POST',
          headers: { host: `127.0.0.1:${bus.port}`, 'content-length': String(6 * 1024 * 1024) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
      req.write('{');
    });
    assert.equal(declared, 413);
    // Streamed (chunked) past the limit: refused once the limit is crossed.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: bus.port, method: 'POST', headers: { host: `127.0.0.1:${bus.port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
      const chunk = ' '.repeat(1024 * 1024);
      for (let i = 0; i < 6; i++) req.write(chunk);
    });
    assert.equal(streamed, 413);
  });
});

void describe('local bus: configuration', () => {
  void it('forms ARNs with the configured account and bounds retained log events', async () => {
    const bus = await startLocalBus({ port: 0, accountId: '123456789012', logs: { maxRetainedEvents: 5 } });
    const { events, logs } = clientsFor(bus.url, 'eu-central-1');
    try {
      assert.equal(
        (await events.send(new DescribeEventBusCommand({}))).Arn,
        'arn:aws:events:eu-central-1:123456789012:event-bus/default',
      );
      await logs.send(new CreateLogGroupCommand({ logGroupName: 'bounded' }));
      await events.send(new PutRuleCommand({ Name: 'all', EventPattern: '{"source":["s"]}' }));
      await events.send(
        new PutTargetsCommand({
          Rule: 'all',
          Targets: [{ Id: 'l', Arn: 'arn:aws:logs:eu-central-1:123456789012:log-group:bounded' }],
        }),
      );
      for (let i = 0; i < 8; i++)
        await events.send(
          new PutEventsCommand({
            Entries: [
              { Source: 's', DetailType: 'd', Detail: JSON.stringify({ i }), Time: new Date(Date.now() + i * 1000) },
            ],
          }),
        );
      const kept = await pollFor(async () => {
        const r = await logs.send(new FilterLogEventsCommand({ logGroupName: 'bounded' }));
        return r.events?.length === 5 ? r.events : undefined;
      }, 'five retained events');
      assert.deepEqual(
        kept.map((e) => (JSON.parse(e.message!) as { detail: { i: number } }).detail.i),
        [3, 4, 5, 6, 7],
      );
      assert.equal((JSON.parse(kept[0].message!) as { account: string }).account, '123456789012');
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });
});
