import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeApi, fixturePath, getExtension, isProcessAlive, runningServerPid } from './helpers';

describe('activation', () => {
  it('is active once a standalone pattern file is open (onLanguage:json)', async () => {
    const document = await vscode.workspace.openTextDocument(fixturePath('sample.eventpattern.json'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'json');
    const extension = getExtension();
    const activationEvents = (extension.packageJSON as { activationEvents: string[] }).activationEvents;
    assert.ok(activationEvents.includes('onLanguage:json'), 'package.json activates on JSON documents');
    await activeApi();
    assert.equal(extension.isActive, true);
  });

  it('starts the language server in a process of its own', async () => {
    const pid = await runningServerPid(await activeApi());
    assert.notEqual(pid, process.pid);
    assert.ok(isProcessAlive(pid), `server process ${pid} is alive`);
  });

  it('keeps the server running when a CloudFormation template is opened', async () => {
    const api = await activeApi();
    const pid = await runningServerPid(api);
    const document = await vscode.workspace.openTextDocument(fixturePath('template.yaml'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'yaml');
    assert.equal(await runningServerPid(api), pid);
  });

  it('reports how long loading and activating took (printed as a figure, not asserted as a time)', async () => {
    const api = await activeApi();
    assert.equal(typeof api.activationMs, 'number');
    // A figure for people: the e2e log carries it, the README quotes it.
    console.log(`      activation: ${api.activationMs} ms (bundle load + activate, in the editor)`);
  });
});
