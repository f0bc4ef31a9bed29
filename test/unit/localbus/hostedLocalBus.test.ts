// `local-bus --ipc`, the bus's side of the conversation with the extension that runs it (shared/localBus.ts), driven
// in this process through a stand-in IPC channel: where it listens, templates loaded from the text it is sent, its
// warnings passed on, and the end of the bus when told to stop or when the parent goes away.
import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ListRulesCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import type { LocalBusReport, LocalBusRequest } from '../../../shared';
import { runLocalBusCommand } from '../../../server/src/localbus';
import { acceptedEventReporter, type ParentChannel } from '../../../server/src/localbus/hostedLocalBus';
import { cliBundle } from '../repoPaths';
import { clientsFor, pollFor } from './localBusTestSupport';

/** A parent at the other end of the channel: what the bus reported, and a way to talk to it. */
function standInParent() {
  const reports: LocalBusReport[] = [];
  const listeners: ((m: unknown) => void)[] = [];
  const disconnects: (() => void)[] = [];
  let connected = true;
  const channel: ParentChannel = {
    send: (r) => void reports.push(r),
    onMessage: (l) => void listeners.push(l),
    onDisconnect: (l) => void disconnects.push(l),
    get connected() {
      return connected;
    },
    close: () => {
      connected = false;
    },
  };
  return {
    channel,
    reports,
    say: (m: LocalBusRequest | Record<string, unknown>) => listeners.forEach((l) => l(m)),
    goAway: () => {
      connected = false;
      disconnects.forEach((d) => d());
    },
    isConnected: () => connected,
    report: <T extends LocalBusReport['type']>(
      type: T,
      pick: (r: Extract<LocalBusReport, { type: T }>) => boolean = () => true,
    ) =>
      pollFor(
        () =>
          Promise.resolve(
            reports.find((r): r is Extract<LocalBusReport, { type: T }> => r.type === type && pick(r as never)),
          ),
        `a ${type} report`,
      ),
  };
}

const TEMPLATE = `Resources:
  Orders:
    Type: AWS::Events::Rule
    Properties:
      Name: orders-rule
      EventPattern:
        source: [shop]
`;

describe('local-bus --ipc', () => {
  it('says where it listens, loads the templates it is sent into the region asked, and stops when told to', async () => {
    const parent = standInParent();
    const stderr: string[] = [];
    const exit = runLocalBusCommand(['--port', '0', '--ipc'], {
      parent: parent.channel,
      stderr: (l) => stderr.push(l),
    });
    const listening = await parent.report('listening');
    assert.match(listening.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(listening.accountId, '000000000000');

    parent.say({
      type: 'load',
      id: 1,
      region: 'eu-west-1',
      templates: [
        { path: '/w/orders.yaml', text: TEMPLATE },
        { path: '/w/broken.yaml', text: 'Resources: [' },
      ],
    });
    const loaded = await parent.report('loaded', (r) => r.id === 1);
    assert.deepEqual(loaded.loaded, ['/w/orders.yaml']);
    assert.equal(loaded.error, undefined);
    assert.ok(
      loaded.warnings.some((w) => w.startsWith('/w/broken.yaml: not valid YAML')),
      loaded.warnings.join('\n'),
    );

    const { events, logs } = clientsFor(listening.url, 'eu-west-1');
    try {
      const rules = await events.send(new ListRulesCommand({}));
      assert.deepEqual(
        rules.Rules?.map((r) => r.Name),
        ['orders-rule'],
      );
      // A delivery that fails is a warning for the parent, not a line on stderr.
      await events.send(new PutRuleCommand({ Name: 'to-nowhere', EventPattern: '{"source":["lost"]}' }));
      await events.send(
        new PutTargetsCommand({
          Rule: 'to-nowhere',
          Targets: [{ Id: 'log', Arn: 'arn:aws:logs:eu-west-1:000000000000:log-group:/missing' }],
        }),
      );
      await events.send(new PutEventsCommand({ Entries: [{ Source: 'lost', DetailType: 'd', Detail: '{}' }] }));
      const warning = await parent.report('warning');
      assert.match(warning.message, /\/missing/);
      assert.deepEqual(stderr, []);
    } finally {
      events.destroy();
      logs.destroy();
    }

    parent.say({ type: 'stop' });
    assert.equal(await exit, 0);
    assert.equal(parent.isConnected(), false, 'the channel is closed, so the process can end');
  });

  it('answers a load it cannot do with an error, and ends when the parent goes away', async () => {
    const parent = standInParent();
    const exit = runLocalBusCommand(['--port', '0', '--ipc'], { parent: parent.channel });
    await parent.report('listening');
    parent.say({ type: 'load', id: 7, region: 'Mars', templates: [] });
    assert.match((await parent.report('loaded', (r) => r.id === 7)).error ?? '', /Mars is not a region name/);
    parent.say({ type: 'load', id: 8, region: 'us-east-1', templates: [{ path: 3 }] });
    assert.match((await parent.report('loaded', (r) => r.id === 8)).error ?? '', /templates must be a list/);
    parent.say({ type: 'something else' });
    parent.goAway();
    assert.equal(await exit, 0);
  });

  it('without a parent to talk to, says so and exits with status 2', () => {
    const r = spawnSync(process.execPath, [cliBundle, 'local-bus', '--port', '0', '--ipc'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--ipc needs a parent process with an IPC channel/);
  });
});

describe('accepted events reported to the parent', () => {
  it('a few of each (source, detail-type), for a bounded number of them, and no huge event', () => {
    const reports: LocalBusReport[] = [];
    const report = acceptedEventReporter(
      { send: (r) => void reports.push(r) },
      {
        perPair: 2,
        pairs: 2,
        maxEventChars: 300,
      },
    );
    const envelope = (source: string, detail: Record<string, unknown> = {}) => ({
      version: '0',
      id: 'i',
      'detail-type': 'T',
      source,
      account: '000000000000',
      time: '2026-12-05T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail,
    });
    for (let i = 0; i < 5; i++) report(envelope('a', { i }));
    report(envelope('b', { big: 'x'.repeat(1000) }));
    report(envelope('b'));
    report(envelope('c'));
    assert.deepEqual(
      reports.map((r) => (r.type === 'event' ? `${String(r.event.source)}${JSON.stringify(r.event.detail)}` : r.type)),
      ['a{"i":0}', 'a{"i":1}', 'b{}'],
    );
  });
});
