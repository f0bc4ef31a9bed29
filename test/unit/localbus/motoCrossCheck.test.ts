// Runs one scenario against moto_server (an independent emulator preinstalled on these machines) and against the
// local bus, and compares what the two can be expected to agree on. moto's known differences are in
// ../shared/aws/README.md: the delivered message has no `account` and other spacing/key order, one log stream per
// event, float timestamps, a stub TestEventPattern. Never contacts AWS: both endpoints are on 127.0.0.1.
import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startLocalBus } from '../../../server/src/localbus/localBusServer';
import { clientsFor, pollFor } from './localBusTestSupport';
import { findOnPath, startMoto } from '../motoServer';

const MOTO_ACCOUNT = '123456789012'; // moto's default account; the local bus is configured to match

function errorOf(e: unknown): { name: string; message: string } {
  return { name: (e as Error).name, message: (e as Error).message };
}

/** The scenario, run the same way against either endpoint; returns everything worth comparing. */
async function runScenario(endpoint: string) {
  const { events, logs } = clientsFor(endpoint, 'eu-west-1');
  try {
    const busArn = (await events.send(new CreateEventBusCommand({ Name: 'orders' }))).EventBusArn;
    const described = await events.send(new DescribeEventBusCommand({ Name: 'orders' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/orders' }));
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/events/' }));
    const pattern = JSON.stringify({
      source: ['shop'],
      'detail-type': ['OrderCreated'],
      detail: { total: [{ numeric: ['>=', 100] }] },
    });
    const ruleArn = (
      await events.send(new PutRuleCommand({ Name: 'big-orders', EventBusName: 'orders', EventPattern: pattern }))
    ).RuleArn;
    const rule = await events.send(new DescribeRuleCommand({ Name: 'big-orders', EventBusName: 'orders' }));
    const targetArn = `arn:aws:logs:eu-west-1:${MOTO_ACCOUNT}:log-group:/aws/events/orders`;
    const putTargets = await events.send(
      new PutTargetsCommand({ Rule: 'big-orders', EventBusName: 'orders', Targets: [{ Id: 'log', Arn: targetArn }] }),
    );
    const targets = await events.send(new ListTargetsByRuleCommand({ Rule: 'big-orders', EventBusName: 'orders' }));
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'orders',
            Source: 'shop',
            DetailType: 'OrderCreated',
            Detail: JSON.stringify({ orderId: 'o-1', total: 150 }),
            Time: new Date('2026-11-27T06:00:00Z'),
            Resources: ['arn:aws:shop:o-1'],
          },
          {
            EventBusName: 'orders',
            Source: 'shop',
            DetailType: 'OrderCreated',
            Detail: JSON.stringify({ orderId: 'o-2', total: 50 }),
          },
          { EventBusName: 'orders', Source: 'shop', DetailType: 'OrderCreated', Detail: 'not json' },
          { EventBusName: 'orders', Source: 'shop', Detail: '{}' },
        ],
      }),
    );
    const delivered = await pollFor(async () => {
      const r = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/orders' }));
      return (r.events?.length ?? 0) > 0 ? r.events! : undefined;
    }, `a delivered event at ${endpoint}`);
    const filtered = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/events/orders', filterPattern: '"o-1"' }),
    );
    const filteredOut = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/events/orders', filterPattern: '"o-2"' }),
    );

    const errors: Record<string, { name: string; message: string }> = {};
    const expectError = async (label: string, call: () => Promise<unknown>): Promise<void> => {
      try {
        await call();
        errors[label] = { name: '(no error)', message: '' };
      } catch (e) {
        errors[label] = errorOf(e);
      }
    };
    await expectError('elevenEntries', () =>
      events.send(
        new PutEventsCommand({
          Entries: Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' })),
        }),
      ),
    );
    await expectError('badPattern', () =>
      events.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":"shop"}' })),
    );
    await expectError('unknownBus', () => events.send(new DescribeEventBusCommand({ Name: 'nope' })));
    await expectError('putEventsUnknownBus', () =>
      events.send(
        new PutEventsCommand({ Entries: [{ EventBusName: 'nope', Source: 's', DetailType: 'd', Detail: '{}' }] }),
      ),
    );
    await expectError('busExists', () => events.send(new CreateEventBusCommand({ Name: 'orders' })));
    await expectError('missingLogGroup', () => logs.send(new FilterLogEventsCommand({ logGroupName: 'nope' })));

    return {
      busArn,
      described: { Name: described.Name, Arn: described.Arn },
      groupNames: groups.logGroups?.map((g) => g.logGroupName),
      ruleArn,
      rule: {
        Name: rule.Name,
        Arn: rule.Arn,
        EventPattern: rule.EventPattern,
        State: rule.State,
        EventBusName: rule.EventBusName,
      },
      putTargetsFailed: putTargets.FailedEntryCount,
      targets: targets.Targets,
      putEvents: {
        failed: put.FailedEntryCount,
        entries: put.Entries?.map((e) => (e.EventId ? 'EventId' : e.ErrorCode)),
        firstId: put.Entries?.[0]?.EventId,
      },
      delivered,
      filteredCount: filtered.events?.length,
      filteredOutCount: filteredOut.events?.length,
      errors,
    };
  } finally {
    events.destroy();
    logs.destroy();
  }
}

void describe('cross-check against moto_server', () => {
  void it('agrees with moto on the PutEvents → rule → log group → FilterLogEvents flow', async (t) => {
    const program = findOnPath('moto_server');
    if (!program) {
      t.skip(
        'moto_server is not on PATH: the cross-check against moto did not run (it ships with the machine image, PyPI is not reachable)',
      );
      return;
    }
    const moto = await startMoto(program);
    const bus = await startLocalBus({ port: 0, accountId: MOTO_ACCOUNT });
    try {
      const theirs = await runScenario(moto.url);
      const ours = await runScenario(bus.url);

      // Identical: ARNs, names, rule description, targets, per-entry outcomes, error codes.
      for (const key of [
        'busArn',
        'described',
        'groupNames',
        'ruleArn',
        'rule',
        'putTargetsFailed',
        'targets',
        'putEvents.failed',
        'putEvents.entries',
        'filteredCount',
        'filteredOutCount',
      ] as const) {
        const pick = (r: typeof ours): unknown =>
          key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], r);
        assert.deepEqual(pick(ours), pick(theirs), `${key} differs from moto`);
      }
      assert.deepEqual(ours.putEvents.entries, ['EventId', 'EventId', 'MalformedDetail', 'InvalidArgument']);
      for (const [label, theirError] of Object.entries(theirs.errors)) {
        assert.equal(ours.errors[label].name, theirError.name, `${label}: error code differs from moto`);
      }
      for (const label of ['elevenEntries', 'unknownBus', 'putEventsUnknownBus', 'missingLogGroup']) {
        assert.equal(ours.errors[label].message, theirs.errors[label].message, `${label}: message differs from moto`);
      }

      // The delivered event: the same envelope once moto's known omission (`account`) is allowed for.
      assert.equal(theirs.delivered.length, 1);
      assert.equal(ours.delivered.length, 1);
      const theirEnvelope = JSON.parse(theirs.delivered[0].message!) as Record<string, unknown>;
      const ourEnvelope = JSON.parse(ours.delivered[0].message!) as Record<string, unknown>;
      assert.equal(theirEnvelope.id, theirs.putEvents.firstId);
      assert.equal(ourEnvelope.id, ours.putEvents.firstId);
      const comparable = (envelope: Record<string, unknown>): Record<string, unknown> =>
        Object.fromEntries(Object.entries(envelope).filter(([key]) => key !== 'id' && key !== 'account'));
      assert.deepEqual(comparable(ourEnvelope), comparable(theirEnvelope));
      assert.equal(ourEnvelope.account, MOTO_ACCOUNT);
      assert.equal(
        theirEnvelope.account,
        undefined,
        'moto still omits account (if this fails, moto changed: update the README table)',
      );
      assert.ok(Number.isInteger(ours.delivered[0].timestamp), 'Logs timestamps are integer milliseconds');

      t.diagnostic(
        `bad pattern message: ours ${JSON.stringify(ours.errors.badPattern.message)}, moto ${JSON.stringify(theirs.errors.badPattern.message)}`,
      );
      t.diagnostic(
        `delivered log stream: ours ${ours.delivered[0].logStreamName}, moto ${theirs.delivered[0].logStreamName}`,
      );
      t.diagnostic(
        `delivered timestamp: ours ${ours.delivered[0].timestamp} (event time), moto ${theirs.delivered[0].timestamp}`,
      );
      t.diagnostic(
        `message key order: ours ${Object.keys(ourEnvelope).join(',')}; moto ${Object.keys(theirEnvelope).join(',')}`,
      );
    } finally {
      await bus.close();
      moto.process.kill();
      await new Promise<void>((resolve) =>
        moto.process.exitCode !== null || moto.process.signalCode !== null
          ? resolve()
          : moto.process.once('exit', () => resolve()),
      );
    }
  });
});
