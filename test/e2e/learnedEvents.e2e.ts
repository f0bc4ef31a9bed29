// Learning the user's own events in a real VS Code: events sent to the embedded local bus reach the language server,
// which then completes the custom source's `detail` fields and hints at a path none of them has (EB520). Only the
// local bus is used (never AWS), with a fake HOME so no real AWS configuration is read.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeApi, fixturePath, waitFor } from './helpers';

const SOURCE = 'com.example.e2e-learned';

describe("the user's own events, learned", function () {
  this.timeout(60_000);
  const saved = { HOME: process.env.HOME, AWS_PROFILE: process.env.AWS_PROFILE };
  let home: string;
  let dir: string;
  let startedHere = false;

  before(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'eventbridge-e2e-learned-home-'));
    process.env.HOME = home;
    delete process.env.AWS_PROFILE;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventbridge-e2e-learned-'));
    await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(fixturePath('sample.eventpattern.json')),
    );
    await activeApi();
  });

  after(async () => {
    if (startedHere) await vscode.commands.executeCommand('eventbridge.stopLocalBus');
    process.env.HOME = saved.HOME;
    if (saved.AWS_PROFILE !== undefined) process.env.AWS_PROFILE = saved.AWS_PROFILE;
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('learns from events sent to the local bus: completion of detail fields and the EB520 hint', async () => {
    const bus = await vscode.commands.executeCommand<{ url: string } | undefined>('eventbridge.startLocalBus');
    assert.ok(bus, 'the local bus started');
    startedHere = true;
    for (const [basketId, lines] of [
      ['b-1', 2],
      ['b-2', 5],
      ['b-3', 1],
    ] as const) {
      const sent = await vscode.commands.executeCommand<{ failures: unknown[]; eventIds: unknown[] }>(
        'eventbridge.sendEvent',
        {
          eventBusName: 'default',
          text: JSON.stringify({ source: SOURCE, 'detail-type': 'Basket Updated', detail: { basketId, lines } }),
        },
      );
      assert.deepEqual(sent.failures, []);
    }

    const file = path.join(dir, 'basket-rules.yaml');
    fs.writeFileSync(
      file,
      [
        'Resources:',
        '  BigBaskets:',
        '    Type: AWS::Events::Rule',
        '    Properties:',
        '      EventPattern:',
        `        source: [${SOURCE}]`,
        '        detail:',
        '          line: [{numeric: [">", 3]}]',
        '          ',
        '',
      ].join('\n'),
    );
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const hint = await waitFor(
      () =>
        vscode.languages
          .getDiagnostics(document.uri)
          .find((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'EB520'),
      'the EB520 hint learned from the local bus events',
      30_000,
    );
    assert.equal(hint.severity, vscode.DiagnosticSeverity.Information);
    assert.match(
      hint.message,
      /has detail\.line: did you mean detail\.lines\? \(3 sample events .*3 seen by the local bus\)/,
    );
    assert.equal(document.getText(hint.range), 'line');

    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      new vscode.Position(8, 10),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('basketId') && labels.includes('lines'), labels.join(', '));
  });
});
