// "EventBridge: Save as Sample Event": an event from the tail output (a rule's log targets, the local bus's log
// groups) written to `events/<source>/<detail-type>-<n>.json` in the workspace, where the code lens of every pattern
// reads it, after a modal warning that events can hold personal data. The event is the one selected in the tail
// output, else one picked from the recently tailed events (or given as the argument {event}).
import * as vscode from 'vscode';
import { describeTailedEvent, recentTailedEvents } from './tailedEvents';
import { eventKind, nextSampleEventPath, sampleEventFolder } from '../sampleEventFiles';

export const SAVE_SAMPLE_EVENT_COMMAND = 'eventbridge.saveSampleEvent';

export interface SaveSampleEventArgs {
  readonly event?: Record<string, unknown>;
}

/** The event selected in an output channel (the tail's), if the active editor is one and the selection is an event. */
function selectedOutputEvent(): Record<string, unknown> | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'output' || editor.selection.isEmpty) return undefined;
  try {
    const value: unknown = JSON.parse(editor.document.getText(editor.selection));
    return eventKind(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function registerSaveSampleEventCommand(): vscode.Disposable[] {
  async function saveSampleEvent(arg?: unknown): Promise<string | undefined> {
    const args: SaveSampleEventArgs = arg !== null && typeof arg === 'object' ? arg : {};
    let event = args.event ?? selectedOutputEvent();
    if (!event) {
      const tailed = recentTailedEvents.list();
      if (tailed.length === 0) {
        void vscode.window.showInformationMessage(
          'EventBridge: no event tailed yet. Run EventBridge: Tail Rule Log Targets (on AWS or the local bus), then save one of its events.',
        );
        return undefined;
      }
      const pick = await vscode.window.showQuickPick(
        tailed.map((e) => ({ ...describeTailedEvent(e), event: e.event })),
        { title: 'EventBridge: the tailed event to save as a sample event' },
      );
      if (!pick) return undefined;
      event = pick.event;
    }
    const kind = eventKind(event);
    if (!kind) {
      void vscode.window.showWarningMessage('EventBridge: this is not an event (no source and detail-type).');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showWarningMessage('EventBridge: open a folder to save sample events into.');
      return undefined;
    }
    const sourceFolder = sampleEventFolder(event);
    const sourceDir = vscode.Uri.joinPath(folder.uri, ...sourceFolder);
    const existing = new Set<string>();
    try {
      for (const [name] of await vscode.workspace.fs.readDirectory(sourceDir)) existing.add(name);
    } catch {
      // no folder yet
    }
    const relative = nextSampleEventPath(
      event,
      'event',
      (path) => existing.has(path.slice(path.lastIndexOf('/') + 1)),
      new Set(),
    );
    const choice = await vscode.window.showWarningMessage(
      `Save this ${kind.source} event as ${relative}?`,
      {
        modal: true,
        detail:
          'Events can hold personal data (names, e-mail and IP addresses, account ids). The file is written in the workspace, where it may be committed and shared: check it before you do.',
      },
      'Save',
    );
    if (choice !== 'Save') return undefined;
    const uri = vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`${JSON.stringify(event, null, 2)}\n`));
    await vscode.window.showTextDocument(uri);
    return uri.toString();
  }

  return [vscode.commands.registerCommand(SAVE_SAMPLE_EVENT_COMMAND, saveSampleEvent)];
}
