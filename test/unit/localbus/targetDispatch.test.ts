import '../hermeticAws';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventBusCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startLocalBus, type LocalBus } from '../../../server/src/localbus/localBusServer';
import { UNDELIVERED_LOG_GROUP, type LambdaInvocation } from '../../../server/src/localbus/targetDispatch';
import { clientsFor, pollFor } from './localBusTestSupport';

const ACCOUNT = '000000000000';
const REGION = 'eu-west-1';

void describe('local bus: target dispatch by ARN service', () => {
  let bus: LocalBus;
  let events: ReturnType<typeof clientsFor>['events'];
  let logs: ReturnType<typeof clientsFor>['logs'];
  const warnings: string[] = [];
  const invocations: LambdaInvocation[] = [];

  before(async () => {
    bus = await startLocalBus({
      port: 0,
      onWarning: (m) => warnings.push(m),
      lambda: (invocation) => {
        invocations.push(invocation);
        if (invocation.functionName === 'unknown-fn') invocation.undelivered('no such function in the templates');
      },
    });
    ({ events, logs } = clientsFor(bus.url, REGION));
  });
  after(async () => {
    events.destroy();
    logs.destroy();
    await bus.close();
  });

  async function rule(
    name: string,
    source: string,
    targets: { Id: string; Arn: string; Input?: string }[],
    busName?: string,
  ) {
    await events.send(
      new PutRuleCommand({ Name: name, EventBusName: busName, EventPattern: JSON.stringify({ source: [source] }) }),
    );
    await events.send(new PutTargetsCommand({ Rule: name, EventBusName: busName, Targets: targets }));
  }

  async function put(source: string, busName?: string, detail: object = { n: 1 }): Promise<string> {
    const out = await events.send(
      new PutEventsCommand({
        Entries: [{ Source: source, DetailType: 'Test', Detail: JSON.stringify(detail), EventBusName: busName }],
      }),
    );
    assert.equal(out.FailedEntryCount, 0);
    return out.Entries![0].EventId!;
  }

  async function messages(group: string, stream?: string): Promise<string[]> {
    const out = await logs.send(
      new FilterLogEventsCommand({ logGroupName: group, ...(stream ? { logStreamNames: [stream] } : {}) }),
    );
    return (out.events ?? []).map((e) => e.message!);
  }

  void it('writes a Step Functions target to the undelivered log group: ARN, rule, target id and the input', async () => {
    const machine = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:order-flow`;
    await rule('to-machine', 'sfn.test', [{ Id: 'flow', Arn: machine, Input: '{"fixed":true}' }]);
    const eventId = await put('sfn.test');
    const lines = await pollFor(async () => {
      const found = await messages(UNDELIVERED_LOG_GROUP, 'eventbridge/default/to-machine').catch(() => []);
      return found.length > 0 ? found : undefined;
    }, 'the undelivered line');
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0]) as Record<string, unknown>;
    assert.equal(record.target, machine);
    assert.equal(record.targetId, 'flow');
    assert.equal(record.rule, `arn:aws:events:${REGION}:${ACCOUNT}:rule/to-machine`);
    assert.equal(record.eventId, eventId);
    assert.equal(record.input, '{"fixed":true}');
    assert.match(String(record.reason), /Step Functions/);
  });

  void it('routes an event to another bus through that bus’s rules, and not on to a third bus', async () => {
    await events.send(new CreateEventBusCommand({ Name: 'second' }));
    await events.send(new CreateEventBusCommand({ Name: 'third' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/test/second' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/test/third' }));
    const busArn = (name: string): string => `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`;
    await rule('forward', 'hop.test', [{ Id: 'second', Arn: busArn('second') }]);
    await rule(
      'on-second',
      'hop.test',
      [
        { Id: 'log', Arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/test/second` },
        { Id: 'third', Arn: busArn('third') },
        { Id: 'back', Arn: busArn('default') },
      ],
      'second',
    );
    await rule(
      'on-third',
      'hop.test',
      [{ Id: 'log', Arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/test/third` }],
      'third',
    );
    const eventId = await put('hop.test', undefined, { hop: true });

    const onSecond = await pollFor(async () => {
      const found = await messages('/test/second');
      return found.length > 0 ? found : undefined;
    }, 'the event on the second bus');
    assert.equal(onSecond.length, 1);
    assert.equal((JSON.parse(onSecond[0]) as { id: string }).id, eventId, 'the same event, not a copy');
    const stopped = await pollFor(async () => {
      const found = await messages(UNDELIVERED_LOG_GROUP, 'eventbridge/second/on-second').catch(() => []);
      return found.length >= 2 ? found : undefined;
    }, 'the refused hops');
    const reasons = stopped.map((l) => JSON.parse(l) as { targetId: string; reason: string });
    assert.match(reasons.find((r) => r.targetId === 'back')!.reason, /loop detected/);
    assert.match(reasons.find((r) => r.targetId === 'third')!.reason, /third bus/);
    assert.deepEqual(await messages('/test/third'), []);
  });

  void it('hands Lambda targets to the attached runner with the target input and where it came from', async () => {
    const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:order-handler`;
    await rule('to-fn', 'fn.test', [{ Id: 'fn', Arn: fn }]);
    const eventId = await put('fn.test');
    const invocation = await pollFor(
      async () => Promise.resolve(invocations.find((i) => i.functionArn === fn)),
      'the invocation',
    );
    assert.equal(invocation.functionName, 'order-handler');
    assert.equal((JSON.parse(invocation.payload) as { id: string }).id, eventId);
    assert.equal(invocation.source.kind, 'rule');
    assert.equal(invocation.source.kind === 'rule' && invocation.source.delivery.rule.name, 'to-fn');
    assert.equal(invocation.region.sqs.region, REGION);
  });

  void it('lets the runner decline an invocation, which then is recorded as undelivered', async () => {
    await rule('to-unknown-fn', 'fn2.test', [
      { Id: 'u', Arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:unknown-fn` },
    ]);
    await put('fn2.test');
    const lines = await pollFor(async () => {
      const found = await messages(UNDELIVERED_LOG_GROUP, 'eventbridge/default/to-unknown-fn').catch(() => []);
      return found.length > 0 ? found : undefined;
    }, 'the declined invocation');
    assert.match(lines[0], /no such function in the templates/);
  });
});

void describe('local bus: Lambda targets of functions no template declares', () => {
  void it('are written to the undelivered log group', async () => {
    const bus = await startLocalBus({ port: 0 });
    const { events, logs } = clientsFor(bus.url, REGION);
    try {
      await events.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source":["x"]}' }));
      await events.send(
        new PutTargetsCommand({
          Rule: 'r',
          Targets: [{ Id: 'fn', Arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f` }],
        }),
      );
      await events.send(new PutEventsCommand({ Entries: [{ Source: 'x', DetailType: 'd', Detail: '{}' }] }));
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: UNDELIVERED_LOG_GROUP }));
      assert.equal(out.events?.length, 1);
      assert.match(out.events[0].message!, /no function f in .* was loaded from a template/);
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });
});
