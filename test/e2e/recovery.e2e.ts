import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeApi, fixturePath, isProcessAlive, runningServerPid, waitFor } from './helpers';

describe('recovery', () => {
  it('reports a new server after the server process is killed', async () => {
    await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(fixturePath('sample.eventpattern.json')),
    );
    const api = await activeApi();
    const crashed = await runningServerPid(api);
    process.kill(crashed, 'SIGKILL');
    await waitFor(() => !isProcessAlive(crashed), `server process ${crashed} to die`);
    // The language client starts a replacement; the status must follow it rather than keep the dead process id.
    const replacement = await waitFor(() => {
      const status = api.serverStatus;
      return status.kind === 'running' && status.processId !== crashed ? status.processId : undefined;
    }, 'a replacement server');
    assert.ok(replacement !== undefined && isProcessAlive(replacement), `replacement server ${replacement} is alive`);
  });
});
