import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeApi, getExtension, isProcessAlive, runningServerPid, waitFor } from './helpers';

interface ExtensionModule {
  deactivate(): Promise<void>;
}

describe('shutdown', () => {
  it('deactivate() stops the language server and leaves no server process', async () => {
    const api = await activeApi();
    const pid = await runningServerPid(api);
    // The extension host loaded this very module (Node's module cache), so this is the deactivate() VS Code calls
    // at shutdown; if it were a second copy, it would stop nothing and the checks below would fail.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extensionModule = require(path.join(getExtension().extensionPath, 'dist', 'extension.js')) as ExtensionModule;
    await extensionModule.deactivate();
    assert.equal(api.serverStatus.kind, 'stopped');
    await waitFor(() => !isProcessAlive(pid), `server process ${pid} to end`);
  });

  after(async () => {
    // Leave a running server behind for any test file that runs later.
    await vscode.commands.executeCommand('eventbridge.restartServer');
    await runningServerPid(await activeApi());
  });
});
