// The language status item ({} in the status bar next to the language): what the server is doing right now.
import * as vscode from 'vscode';
import { Commands } from './commands';
import { DOCUMENT_SELECTOR, type PatternServer, type ServerStatus } from './patternServer';

export function createServerStatusItem(server: PatternServer): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('eventbridgePatterns.server', DOCUMENT_SELECTOR);
  item.name = 'EventBridge Patterns server';
  const show = (status: ServerStatus): void => {
    item.busy = status.kind === 'starting';
    item.severity =
      status.kind === 'failed' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    switch (status.kind) {
      case 'starting':
        item.text = 'EventBridge: starting';
        item.detail = 'The language server is starting';
        item.command = { title: 'Show Output', command: Commands.showOutput };
        break;
      case 'running':
        item.text = 'EventBridge';
        item.detail = 'The language server is running';
        item.command = { title: 'Restart', command: Commands.restartServer };
        break;
      case 'stopped':
        item.text = 'EventBridge: stopped';
        item.detail = 'The language server is stopped';
        item.command = { title: 'Start', command: Commands.restartServer };
        break;
      case 'failed':
        item.text = 'EventBridge: failed';
        item.detail = status.reason;
        item.command = { title: 'Show Output', command: Commands.showOutput };
        break;
    }
  };
  show(server.status);
  const listener = server.onDidChangeStatus(show);
  return vscode.Disposable.from(listener, item);
}
