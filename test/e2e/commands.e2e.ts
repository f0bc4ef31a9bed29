import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeApi, fixturePath, getExtension, isProcessAlive, runningServerPid, waitFor } from './helpers';

describe('commands', () => {
  before(async () => {
    await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(fixturePath('sample.eventpattern.json')),
    );
    await activeApi();
  });

  it('registers every command that package.json contributes', async () => {
    const contributed = (
      getExtension().packageJSON as { contributes: { commands: { command: string }[] } }
    ).contributes.commands.map((c) => c.command);
    assert.ok(contributed.includes('eventbridge.showOutput') && contributed.includes('eventbridge.restartServer'));
    assert.ok(contributed.every((c) => c.startsWith('eventbridge.')), 'all commands live under our prefix');
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const command of contributed) assert.ok(registered.has(command), `${command} is registered`);
  });

  it('eventbridge.showOutput shows the "EventBridge Patterns" log', async () => {
    await vscode.commands.executeCommand('eventbridge.showOutput');
    // An output channel shown in the panel appears as a document of the `output` scheme.
    await waitFor(
      () =>
        vscode.workspace.textDocuments.find(
          (d) => d.uri.scheme === 'output' && d.uri.path.includes('EventBridge Patterns'),
        ),
      'the output channel document',
    );
  });

  it('eventbridge.restartServer replaces the server process', async () => {
    const api = await activeApi();
    const before = await runningServerPid(api);
    await vscode.commands.executeCommand('eventbridge.restartServer');
    const after = await runningServerPid(api);
    assert.notEqual(after, before);
    assert.ok(isProcessAlive(after), `new server process ${after} is alive`);
    await waitFor(() => !isProcessAlive(before), `old server process ${before} to end`);
  });
});
