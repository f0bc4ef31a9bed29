// Scheduled rules in the local bus: rate and cron rules fire on their own at their times (a fake clock is advanced,
// nothing waits for real minutes), deliver EventBridge's "Scheduled Event" to their targets, stop when disabled or
// deleted, are armed by PutRule through the real SDK, and can be fired now over the extension's IPC channel.
import '../hermeticAws';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import {
  DeleteRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import type { LocalBusReport } from '../../../shared';
import { loadTemplate, startLocalBus, type LocalBus, type SchedulerClock } from '../../../server/src/localbus';
import { fireRule, loadTemplates } from '../../../server/src/localbus/hostedLocalBus';
import { nextCronTimes, readScheduleExpression, type CronSchedule } from '../../../server/src/eventbridge';
import { clientsFor, withCode } from './localBusTestSupport';

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';
const MINUTE = 60_000;
/** 2026-12-05T05:30:17.250Z: not on a minute, so rate times and cron times differ. */
const START = Date.UTC(2026, 11, 5, 5, 30, 17, 250);

/** A clock that moves only when told, firing its timers in time order. */
class FakeClock implements SchedulerClock {
  private time = START;
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];
  now(): number {
    return this.time;
  }
  setTimer(callback: () => void, delayMs: number): { cancel(): void } {
    const timer = { at: this.time + delayMs, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
  }
}

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  HeartbeatLog:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /test/heartbeat
  Heartbeat:
    Type: AWS::Events::Rule
    Properties:
      Name: heartbeat
      ScheduleExpression: rate(1 minute)
      Targets:
        - Id: log
          Arn: !GetAtt HeartbeatLog.Arn
  Nightly:
    Type: AWS::Events::Rule
    Properties:
      Name: nightly
      ScheduleExpression: cron(15 6 * * ? *)
      Targets:
        - Id: log
          Arn: !GetAtt HeartbeatLog.Arn
          InputTransformer:
            InputPathsMap:
              when: $.time
            InputTemplate: '{"nightly": <when>}'
  Paused:
    Type: AWS::Events::Rule
    Properties:
      Name: paused
      State: DISABLED
      ScheduleExpression: rate(1 minute)
      Targets:
        - Id: log
          Arn: !GetAtt HeartbeatLog.Arn
          Input: '{"paused": true}'
  Broken:
    Type: AWS::Events::Rule
    Properties:
      Name: broken
      ScheduleExpression: cron(0 12 * * *)
      Targets:
        - Id: log
          Arn: !GetAtt HeartbeatLog.Arn
`;

describe('local bus: scheduled rules', () => {
  let bus: LocalBus | undefined;
  afterEach(async () => {
    await bus?.close();
    bus = undefined;
  });

  async function start(clock: FakeClock, warnings: string[] = []): Promise<LocalBus> {
    bus = await startLocalBus({ port: 0, clock, onWarning: (m) => warnings.push(m) });
    const loadWarnings = loadTemplate(bus.region(REGION), TEMPLATE, 'schedules.yaml', {
      region: REGION,
      accountId: ACCOUNT,
    });
    assert.deepEqual(loadWarnings, []);
    return bus;
  }

  /** What the log group received from `rule`, parsed. */
  function received(b: LocalBus, rule: string): { timestamp: number; message: Record<string, unknown> }[] {
    const group = b.region(REGION).logs.groups.get('/test/heartbeat');
    const stream = group?.streams.get(`eventbridge/default/${rule}`);
    return (stream?.events ?? []).map((e) => ({
      timestamp: e.timestamp,
      message: JSON.parse(e.message) as Record<string, unknown>,
    }));
  }

  it('a rate(1 minute) rule fires on its own a minute after it is loaded, and again a minute later', async () => {
    const clock = new FakeClock();
    const warnings: string[] = [];
    const b = await start(clock, warnings);
    clock.advance(MINUTE - 1);
    assert.deepEqual(received(b, 'heartbeat'), [], 'not before its first minute');
    clock.advance(1);
    const first = received(b, 'heartbeat');
    assert.equal(first.length, 1);
    const event = first[0].message;
    assert.equal(event.version, '0');
    assert.match(String(event.id), /^[0-9a-f-]{36}$/);
    assert.equal(event['detail-type'], 'Scheduled Event');
    assert.equal(event.source, 'aws.events');
    assert.equal(event.account, ACCOUNT);
    assert.equal(event.region, REGION);
    assert.equal(event.time, '2026-12-05T05:31:17Z');
    assert.deepEqual(event.resources, [`arn:aws:events:${REGION}:${ACCOUNT}:rule/heartbeat`]);
    assert.deepEqual(event.detail, {});
    assert.equal(first[0].timestamp, Date.parse('2026-12-05T05:31:17Z'));

    clock.advance(MINUTE);
    const two = received(b, 'heartbeat');
    assert.equal(two.length, 2);
    assert.equal(two[1].message.time, '2026-12-05T05:32:17Z');
    assert.notEqual(two[1].message.id, two[0].message.id);
    // The disabled rule stayed silent; the invalid one was said once and skipped.
    assert.deepEqual(received(b, 'paused'), []);
    assert.deepEqual(received(b, 'broken'), []);
    const brokenWarnings = warnings.filter((w) => w.includes('broken'));
    assert.equal(brokenWarnings.length, 1, warnings.join('\n'));
    assert.match(brokenWarnings[0], /does not fire: cron\(0 12 \* \* \*\)/);
  });

  it("a cron rule fires at the evaluator's times, in UTC, with its target's input transformer applied", async () => {
    const clock = new FakeClock();
    const b = await start(clock);
    const reading = readScheduleExpression('cron(15 6 * * ? *)', 'rule');
    assert.ok('schedule' in reading);
    const [t1, t2] = nextCronTimes(reading.schedule as CronSchedule, START, 2);
    assert.equal(new Date(t1).toISOString(), '2026-12-05T06:15:00.000Z');
    clock.advance(t1 - START - 1);
    assert.deepEqual(received(b, 'nightly'), []);
    clock.advance(1);
    assert.deepEqual(
      received(b, 'nightly').map((r) => r.message),
      [{ nightly: '2026-12-05T06:15:00Z' }],
    );
    clock.advance(t2 - t1);
    assert.deepEqual(
      received(b, 'nightly').map((r) => r.message),
      [{ nightly: '2026-12-05T06:15:00Z' }, { nightly: '2026-12-06T06:15:00Z' }],
    );
  });

  it('DisableRule stops a rule, EnableRule starts it again a period later, DeleteRule ends it', async () => {
    const clock = new FakeClock();
    const b = await start(clock);
    const { events, logs } = clientsFor(b.url, REGION);
    try {
      await events.send(new DisableRuleCommand({ Name: 'heartbeat' }));
      clock.advance(3 * MINUTE);
      assert.deepEqual(received(b, 'heartbeat'), []);

      await events.send(new EnableRuleCommand({ Name: 'heartbeat' }));
      clock.advance(MINUTE);
      assert.equal(received(b, 'heartbeat').length, 1);

      await events.send(new RemoveTargetsCommand({ Rule: 'heartbeat', Ids: ['log'] }));
      await events.send(new DeleteRuleCommand({ Name: 'heartbeat' }));
      clock.advance(5 * MINUTE);
      assert.equal(received(b, 'heartbeat').length, 1, 'nothing after DeleteRule');
      assert.ok(
        b.scheduledRules().every((r) => r.ruleName !== 'heartbeat'),
        'the deleted rule is not listed',
      );
    } finally {
      events.destroy();
      logs.destroy();
    }
  });

  it('PutRule through the SDK with a ScheduleExpression arms the rule; an invalid one is refused as AWS does', async () => {
    const clock = new FakeClock();
    bus = await startLocalBus({ port: 0, clock });
    const b = bus;
    const { events, logs } = clientsFor(b.url, REGION);
    try {
      b.region(REGION).logs.createGroup('/test/heartbeat');
      await events.send(new PutRuleCommand({ Name: 'every-5', ScheduleExpression: 'rate(5 minutes)' }));
      await events.send(
        new PutTargetsCommand({
          Rule: 'every-5',
          Targets: [{ Id: 'log', Arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/test/heartbeat` }],
        }),
      );
      assert.deepEqual(
        b.scheduledRules().map((r) => [r.ruleName, r.state, r.nextFireTime]),
        [['every-5', 'ENABLED', START + 5 * MINUTE]],
      );
      clock.advance(5 * MINUTE);
      assert.equal(received(b, 'every-5').length, 1);
      // The same expression put again keeps its times; a new one starts over from now.
      clock.advance(2 * MINUTE);
      await events.send(new PutRuleCommand({ Name: 'every-5', ScheduleExpression: 'rate(5 minutes)' }));
      clock.advance(3 * MINUTE);
      assert.equal(received(b, 'every-5').length, 2);
      await events.send(new PutRuleCommand({ Name: 'every-5', ScheduleExpression: 'rate(1 hour)' }));
      clock.advance(59 * MINUTE);
      assert.equal(received(b, 'every-5').length, 2);
      clock.advance(MINUTE);
      assert.equal(received(b, 'every-5').length, 3);

      await assert.rejects(
        events.send(new PutRuleCommand({ Name: 'unix', ScheduleExpression: 'cron(0 12 * * *)' })),
        withCode('ValidationException'),
      );
    } finally {
      events.destroy();
      logs.destroy();
    }
  });

  it('fires a rule now over the IPC path, whatever its state, without moving its times', async () => {
    const clock = new FakeClock();
    bus = await startLocalBus({ port: 0, clock });
    const b = bus;
    const loaded = loadTemplates(b, {
      type: 'load',
      id: 1,
      region: REGION,
      templates: [{ path: 'schedules.yaml', text: TEMPLATE }],
    });
    assert.equal((loaded as { error?: string }).error, undefined);

    const listed = b.scheduledRules();
    assert.deepEqual(
      listed.map((r) => [r.ruleName, r.scheduleExpression, r.state, r.nextFireTime !== undefined]),
      [
        ['broken', 'cron(0 12 * * *)', 'ENABLED', false],
        ['heartbeat', 'rate(1 minute)', 'ENABLED', true],
        ['nightly', 'cron(15 6 * * ? *)', 'ENABLED', true],
        ['paused', 'rate(1 minute)', 'DISABLED', false],
      ],
    );
    assert.ok(listed.find((r) => r.ruleName === 'broken')?.problem);

    clock.advance(10_000);
    const fired = fireRule(b, { type: 'fire-rule', id: 7, region: REGION, ruleName: 'paused' }) as Extract<
      LocalBusReport,
      { type: 'fired' }
    >;
    assert.equal(fired.error, undefined);
    assert.equal(fired.id, 7);
    assert.equal(fired.targets, 1);
    assert.deepEqual(fired.failures, []);
    assert.equal(fired.time, '2026-12-05T05:30:27Z');
    assert.deepEqual(
      received(b, 'paused').map((r) => r.message),
      [{ paused: true }],
    );

    const now = fireRule(b, { type: 'fire-rule', id: 8, region: REGION, ruleName: 'heartbeat' }) as Extract<
      LocalBusReport,
      { type: 'fired' }
    >;
    assert.equal(received(b, 'heartbeat')[0].message.id, now.eventId);
    clock.advance(MINUTE - 10_000);
    assert.equal(received(b, 'heartbeat').length, 2, 'its regular time still comes');

    const missing = fireRule(b, { type: 'fire-rule', id: 9, region: REGION, ruleName: 'nope' });
    assert.match((missing as { error?: string }).error ?? '', /no rule nope on the default bus of eu-west-1/);
    const badRegion = fireRule(b, { type: 'fire-rule', id: 10, region: 'Mars', ruleName: 'heartbeat' });
    assert.match((badRegion as { error?: string }).error ?? '', /Mars is not a region name/);
  });

  it("a SAM function's Schedule event fires the function with its Input; Enabled: false keeps another silent", async () => {
    const clock = new FakeClock();
    const payloads: { functionName: string; payload: string }[] = [];
    bus = await startLocalBus({
      port: 0,
      clock,
      lambda: (invocation) =>
        void payloads.push({ functionName: invocation.functionName, payload: invocation.payload }),
    });
    const warnings = loadTemplate(
      bus.region(REGION),
      `Transform: AWS::Serverless-2016-10-31
Resources:
  Cleaner:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: cleaner
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: exports.handler = async () => {};
      Events:
        Every5:
          Type: Schedule
          Properties:
            Schedule: rate(5 minutes)
            Input: '{"task": "clean"}'
        Weekly:
          Type: Schedule
          Properties:
            Schedule: cron(0 3 ? * MON *)
            Enabled: false
`,
      'sam.yaml',
      { region: REGION, accountId: ACCOUNT },
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      bus
        .scheduledRules()
        .map((r) => `${r.scheduleExpression} ${r.state}`)
        .sort(),
      ['cron(0 3 ? * MON *) DISABLED', 'rate(5 minutes) ENABLED'],
    );
    clock.advance(8 * 24 * 60 * MINUTE);
    // Every five minutes for eight days, the disabled weekly one never.
    assert.equal(payloads.length, (8 * 24 * 60) / 5);
    assert.ok(payloads.every((p) => p.functionName === 'cleaner' && p.payload === '{"task": "clean"}'));
  });

  it('close() leaves no timer behind, and an armed schedule does not keep a process alive', async () => {
    const clock = new FakeClock();
    const b = await start(clock);
    assert.equal(clock.pending, 1, 'one timer for all the rules');
    await b.close();
    bus = undefined;
    assert.equal(clock.pending, 0);

    // With the system clock: a process that starts a bus with a rate(1 minute) rule and closes it ends by itself.
    const script = `
      const { startLocalBus, loadTemplate } = require(${JSON.stringify(resolve(__dirname, '../../../server/src/localbus'))});
      startLocalBus({ port: 0 }).then(async (bus) => {
        loadTemplate(bus.region('eu-west-1'), ${JSON.stringify(TEMPLATE)}, 't.yaml', { region: 'eu-west-1', accountId: '${ACCOUNT}' });
        await bus.close();
        process.stdout.write('closed');
        // A scheduler never closed, armed for a minute from now: its timer alone must not hold the process.
        const { RuleScheduler } = require(${JSON.stringify(resolve(__dirname, '../../../server/src/localbus/scheduler'))});
        const { EventBridgeStore } = require(${JSON.stringify(resolve(__dirname, '../../../server/src/localbus/eventBridgeService'))});
        const store = new EventBridgeStore('eu-west-1', '${ACCOUNT}', { putEventsMaxBytes: 1, maxRulesPerBus: 5, maxBusesPerRegion: 5 }, () => {});
        const scheduler = new RuleScheduler({ fire: () => process.stdout.write(' fired'), warn: () => {} });
        store.putRule(store.bus('default'), { name: 'tick', scheduleExpression: 'rate(1 minute)' });
        scheduler.sync(store);
        process.stdout.write(scheduler.armed ? ' armed' : ' not armed');
      });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    clearTimeout(watchdog);
    assert.equal(out, 'closed armed');
    assert.equal(code, 0, 'the process ended on its own');
  });
});
