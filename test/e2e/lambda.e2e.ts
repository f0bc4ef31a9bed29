// A rule that runs a Lambda function, in a real VS Code against the embedded local bus only (never AWS): the bus
// started in the (trusted) workspace runs the template's handler, and "Tail Rule Log Targets" on the rule shows the
// function's own output from /aws/lambda/<name>.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeApi, fixturePath, waitFor } from './helpers';

interface LocalBusInfo {
  url: string;
  templates: string[];
}
interface SendResult {
  eventIds: (string | undefined)[];
  failures: unknown[];
}
interface TailStarted {
  rule: { name: string; eventBusName: string };
  logGroups: string[];
}

const TEMPLATE = path.join('aws', 'lambda-stack.yaml');

function tailOutputText(): string | undefined {
  return vscode.workspace.textDocuments
    .find((d) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.toString()).includes('EventBridge Tail'))
    ?.getText();
}

describe('Lambda targets on the local bus', function () {
  this.timeout(60_000);
  const saved: Record<string, string | undefined> = {};
  let home: string;

  before(async () => {
    // No profile and no region anywhere: the commands use the local bus.
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'eventbridge-e2e-lambda-home-'));
    for (const key of Object.keys(process.env)
      .filter((k) => k.startsWith('AWS_'))
      .concat('HOME')) {
      saved[key] = process.env[key];
      delete process.env[key];
    }
    process.env.HOME = home;
    for (const key of ['profile', 'region', 'endpoint'])
      await vscode.workspace
        .getConfiguration('eventbridgePatterns')
        .update(`aws.${key}`, undefined, vscode.ConfigurationTarget.Global);
    await activeApi();
  });

  after(async () => {
    await vscode.commands.executeCommand('eventbridge.stopTail');
    await vscode.commands.executeCommand('eventbridge.stopLocalBus');
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("sends an event, tails the rule's targets and sees the function's own output", async () => {
    assert.ok(vscode.workspace.isTrusted, 'the e2e workspace is trusted, so the bus may run functions');
    const bus = await vscode.commands.executeCommand<LocalBusInfo | undefined>('eventbridge.startLocalBus');
    assert.ok(bus, 'the local bus started');
    assert.ok(
      bus.templates.some((t) => t.endsWith(TEMPLATE)),
      bus.templates.join(', '),
    );

    // The rule under the cursor: the SAM event of the function.
    const document = await vscode.workspace.openTextDocument(fixturePath(TEMPLATE));
    const editor = await vscode.window.showTextDocument(document);
    const position = document.positionAt(document.getText().indexOf('greet.e2e') + 1);
    editor.selection = new vscode.Selection(position, position);
    const tail = await vscode.commands.executeCommand<TailStarted | undefined>('eventbridge.tailLogTargets', {
      fromCursor: true,
    });
    assert.ok(tail, 'the tail started (see the "EventBridge Patterns" log for why not)');
    assert.deepEqual(tail.rule, { name: 'greet-e2e', eventBusName: 'default' });
    assert.deepEqual(tail.logGroups, ['/aws/lambda/greet-e2e']);

    const sent = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'default',
      text: JSON.stringify({ source: 'greet.e2e', 'detail-type': 'Greeting', detail: { name: 'Ada' } }),
    });
    assert.deepEqual(sent.failures, []);
    const eventId = sent.eventIds[0];
    assert.ok(eventId);
    const greeting = `hello from the e2e function to Ada for ${eventId}`;
    await waitFor(() => tailOutputText()?.includes(greeting), `"${greeting}" in the tail output`, 30_000);
    const text = tailOutputText()!;
    assert.match(text, /START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    await waitFor(() => /REPORT RequestId: /.test(tailOutputText() ?? ''), 'the REPORT line', 15_000);
  });
});
