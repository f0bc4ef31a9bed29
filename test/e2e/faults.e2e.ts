// The AWS commands in a real VS Code against a local bus told to misbehave (issue 7): partial PutEvents failures
// are reported per entry, throttling retries stay bounded, expired credentials say what to do, and a Live Tail
// stream that breaks off is followed by polling, with the reason shown. Never AWS: the bus runs in this process.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { startLocalBus, type LocalBus } from '../../server/src/localbus/localBusServer';
import { activeApi, waitFor } from './helpers';

interface SendResult {
  eventIds: (string | undefined)[];
  failures: { index: number; code: string; message: string }[];
  error?: string;
}

const entry = (n: number) => ({ source: 'faults.e2e', 'detail-type': 'Tick', detail: { n } });

function tailText(): string | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.uri.path.includes('EventBridge Tail'))?.getText();
}

describe('AWS faults, injected by the local bus', function () {
  this.timeout(60_000);
  let bus: LocalBus;

  before(async () => {
    await activeApi();
    bus = await startLocalBus({ port: 0, liveTail: { updateIntervalMs: 200 } });
    const credentials = { accessKeyId: 'AKIDFAULTSE2E', secretAccessKey: 'faults-e2e-secret' };
    const region = 'us-east-1';
    const events = new EventBridgeClient({ region, endpoint: bus.url, credentials });
    const logs = new CloudWatchLogsClient({ region, endpoint: bus.url, credentials, disableHostPrefix: true });
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/faults-e2e' }));
    await events.send(new PutRuleCommand({ Name: 'faults-e2e', EventPattern: '{"source":["faults.e2e"]}' }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'faults-e2e',
        Targets: [{ Id: 'log', Arn: `arn:aws:logs:${region}:${bus.accountId}:log-group:/aws/events/faults-e2e` }],
      }),
    );
    assert.equal(await vscode.commands.executeCommand('eventbridge.setEndpoint', bus.url), bus.url);
  });

  after(async () => {
    await vscode.commands.executeCommand('eventbridge.stopTail');
    await vscode.commands.executeCommand('eventbridge.setEndpoint', '');
    await bus.close();
  });

  afterEach(() => bus.faults.clear());

  it('reports each failed entry of a partially failed PutEvents, with its code and message', async () => {
    bus.faults.add({ kind: 'partial-put-events' });
    const sent = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'default',
      text: JSON.stringify([entry(1), entry(2), entry(3)]),
    });
    assert.deepEqual(
      sent.failures.map((f) => [f.index, f.code]),
      [
        [0, 'InternalFailure'],
        [2, 'InternalFailure'],
      ],
    );
    assert.ok(sent.eventIds[1], 'the entry that went through has its event id');
  });

  it('gives up on throttling after a bounded number of attempts and says so', async () => {
    bus.faults.add({ kind: 'throttle', operation: 'PutEvents', times: 50 });
    const sent = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'default',
      text: JSON.stringify(entry(4)),
    });
    assert.match(sent.error ?? '', /ThrottlingException/);
    const left = bus.faults.pending[0]?.remaining ?? 0;
    const attempts = 50 - left;
    assert.ok(attempts >= 1 && attempts <= 5, `${attempts} attempts`);
  });

  it('explains expired credentials instead of failing silently', async () => {
    bus.faults.add({ kind: 'expired-credentials', operation: 'PutEvents' });
    const sent = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'default',
      text: JSON.stringify(entry(5)),
    });
    assert.match(sent.error ?? '', /ExpiredToken/);
  });

  it('follows a Live Tail stream that breaks off by polling, and says why', async () => {
    bus.faults.add({ kind: 'end-live-tail', afterUpdates: 2 });
    const tail = await vscode.commands.executeCommand<{ logGroups: string[] } | undefined>('eventbridge.tailLogTargets', {
      eventBusName: 'default',
      ruleName: 'faults-e2e',
    });
    assert.deepEqual(tail?.logGroups, ['/aws/events/faults-e2e']);
    await waitFor(() => /Live tail stopped .*polling instead/.test(tailText() ?? '') || undefined, 'the reason in the tail output', 20_000);
    const sent = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'default',
      text: JSON.stringify(entry(6)),
    });
    const id = sent.eventIds[0];
    assert.ok(id, JSON.stringify(sent));
    await waitFor(() => tailText()?.includes(id), `event ${id} in the tail output after the fallback`, 20_000);
  });
});
