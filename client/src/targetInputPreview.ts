// `eventbridge.showTargetInput`: the command behind the "▶ What target X receives" code lens. The server works out
// what the target receives for each sample event and puts it in the lens's arguments; this opens it beside the
// template as a Markdown document (untitled: nothing is written to disk).
import * as vscode from 'vscode';
import { SHOW_TARGET_INPUT_COMMAND, type TargetInputPreview } from '../../shared';

function readPreview(value: unknown): TargetInputPreview | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { title, markdown } = value as Record<string, unknown>;
  return typeof title === 'string' && typeof markdown === 'string' ? { title, markdown } : undefined;
}

export function registerTargetInputPreview(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_TARGET_INPUT_COMMAND, async (argument: unknown) => {
      const preview = readPreview(argument);
      if (!preview) {
        void vscode.window.showErrorMessage(
          'EventBridge: what a target receives comes from the "▶ What … receives" lens above its input: click it there.',
        );
        return undefined;
      }
      const document = await vscode.workspace.openTextDocument({
        language: 'markdown',
        content: `# ${preview.title}\n\n${preview.markdown}\n`,
      });
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      return document.getText();
    }),
  );
}
