// "Fire Scheduled Rule Now" from the extension's side: the local bus process lists its scheduled rules and fires one
// at once over IPC (localBusHost.ts), and the pick shows each rule's expression, region and next time
// (scheduledRuleText.ts).
import '../hermeticAws';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startLocalBusProcess, type EmbeddedLocalBus } from '../../../client/src/aws/localBusHost';
import { scheduledRulePickText, timeUntilText, utcTimeText } from '../../../client/src/aws/scheduledRuleText';
import { cliBundle } from '../repoPaths';

const TEMPLATE = `Resources:
  Ticks:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /test/ticks
  Hourly:
    Type: AWS::Events::Rule
    Properties:
      Name: hourly
      ScheduleExpression: rate(1 hour)
      Targets:
        - Id: log
          Arn: !GetAtt Ticks.Arn
`;

const started: EmbeddedLocalBus[] = [];
after(async () => {
  await Promise.allSettled(started.map((b) => b.close()));
});

describe('Fire Scheduled Rule Now', () => {
  it("lists the bus process's scheduled rules and fires one at once, its event in the target log group", async () => {
    const bus = await startLocalBusProcess({
      cliPath: cliBundle,
      region: 'eu-west-1',
      templates: [{ path: '/w/ticks.yaml', text: TEMPLATE }],
    });
    started.push(bus);
    const before = Date.now();
    const rules = await bus.scheduledRules();
    assert.equal(rules.length, 1);
    const [rule] = rules;
    assert.equal(rule.ruleName, 'hourly');
    assert.equal(rule.region, 'eu-west-1');
    assert.equal(rule.scheduleExpression, 'rate(1 hour)');
    assert.equal(rule.state, 'ENABLED');
    assert.equal(rule.targets, 1);
    assert.ok(rule.nextFireTime !== undefined && rule.nextFireTime > before && rule.nextFireTime <= before + 3600_000);

    const fired = await bus.fireRule('eu-west-1', 'hourly');
    assert.equal(fired.error, undefined);
    assert.equal(fired.targets, 1);
    assert.deepEqual(fired.failures, []);

    const logs = new CloudWatchLogsClient({
      region: 'eu-west-1',
      endpoint: bus.url,
      credentials: { accessKeyId: 'AKIDLOCALHOSTTEST', secretAccessKey: 'local-host-test-secret' },
      maxAttempts: 1,
    });
    try {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/test/ticks' }));
      const events = (out.events ?? []).map((e) => JSON.parse(e.message ?? '') as Record<string, unknown>);
      assert.equal(events.length, 1);
      assert.equal(events[0].id, fired.eventId);
      assert.equal(events[0]['detail-type'], 'Scheduled Event');
      assert.equal(events[0].source, 'aws.events');
      assert.equal(events[0].time, fired.time);
      assert.deepEqual(events[0].resources, ['arn:aws:events:eu-west-1:000000000000:rule/hourly']);
    } finally {
      logs.destroy();
    }

    const missing = await bus.fireRule('eu-west-1', 'no-such-rule');
    assert.match(missing.error ?? '', /no rule no-such-rule/);
    assert.equal((await bus.scheduledRules())[0].nextFireTime, rule.nextFireTime, 'firing now does not move its times');
  });

  it('shows each rule with its expression and region, and when it fires next or why it does not', () => {
    const now = Date.UTC(2026, 11, 5, 5, 30, 0);
    const base = {
      region: 'eu-west-1',
      ruleName: 'hourly',
      ruleArn: 'arn:aws:events:eu-west-1:000000000000:rule/hourly',
      scheduleExpression: 'rate(1 hour)',
      state: 'ENABLED',
      targets: 1,
    };
    assert.deepEqual(scheduledRulePickText({ ...base, nextFireTime: now + 42 * 60_000 }, now), {
      label: 'hourly',
      description: 'rate(1 hour) · eu-west-1',
      detail: 'next 2026-12-05 06:12:00 UTC (in 42 min) · 1 target',
    });
    assert.equal(
      scheduledRulePickText({ ...base, state: 'DISABLED', targets: 2 }, now).detail,
      'disabled: does not fire on its own · 2 targets',
    );
    assert.equal(
      scheduledRulePickText(
        { ...base, scheduleExpression: 'cron(0 12 * * *)', problem: 'This looks like a Unix cron', targets: 0 },
        now,
      ).detail,
      'does not fire on its own: This looks like a Unix cron · no targets',
    );
    assert.equal(scheduledRulePickText(base, now).detail, 'its schedule has no more times · 1 target');
    assert.equal(utcTimeText(Date.UTC(2027, 0, 1)), '2027-01-01 00:00:00 UTC');
    assert.equal(timeUntilText(now + 1, now), 'in 1 s');
    assert.equal(timeUntilText(now + 59_000, now), 'in 59 s');
    assert.equal(timeUntilText(now + 61_000, now), 'in 2 min');
    assert.equal(timeUntilText(now + 3 * 3600_000, now), 'in 3 h');
    assert.equal(timeUntilText(now + 86400_000 + 1, now), 'in 2 days');
    assert.equal(timeUntilText(now + 86400_000, now), 'in 1 day');
  });
});
