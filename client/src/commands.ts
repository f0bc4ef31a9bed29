// The contributed commands (package.json `contributes.commands`). All are registered at activation, whatever the
// state of the server, and say why when they cannot act.
import * as vscode from 'vscode';
import type { PatternServer } from './patternServer';

export const Commands = {
  showOutput: 'eventbridge.showOutput',
  restartServer: 'eventbridge.restartServer',
} as const;

export function registerCommands(server: PatternServer, output: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Restarting the EventBridge Patterns server' },
        () => server.restart(),
      );
      const status = server.status;
      if (status.kind === 'failed') {
        // Not awaited: the command is done when the restart is, not when the user closes the message.
        void vscode.window
          .showErrorMessage(`EventBridge Patterns: the language server did not start: ${status.reason}`, 'Show Output')
          .then((choice) => (choice ? output.show(true) : undefined));
      }
    }),
  ];
}
