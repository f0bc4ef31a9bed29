// Shared by the AWS commands: command ids, cancellable progress, argument checks, the cursor as the server sees it,
// bus choice.
import * as vscode from 'vscode';
import type { Answer, DocumentPositionParams, RequestType } from '../../../shared';
import { busName } from '../aws/arns';
import type { AwsClients } from '../aws/clients';
import { listEventBuses } from '../aws/ruleTargets';
import type { ServerRequests } from '../patternServer';

export const AwsCommands = {
  selectProfile: 'eventbridge.selectProfile',
  selectRegion: 'eventbridge.selectRegion',
  setEndpoint: 'eventbridge.setEndpoint',
  startLocalBus: 'eventbridge.startLocalBus',
  stopLocalBus: 'eventbridge.stopLocalBus',
  fireScheduledRule: 'eventbridge.fireScheduledRule',
  sendEvent: 'eventbridge.sendEvent',
  tailLogTargets: 'eventbridge.tailLogTargets',
  stopTail: 'eventbridge.stopTail',
  testPattern: 'eventbridge.testPattern',
  matchRules: 'eventbridge.matchWorkspaceRules',
} as const;

/** Runs `work` under a cancellable notification; cancelling aborts `signal`. */
export function withCancellableProgress<T>(
  title: string,
  work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token): Promise<T> => {
      const abort = new AbortController();
      const listener = token.onCancellationRequested(() => abort.abort());
      try {
        return await work(abort.signal, progress);
      } finally {
        listener.dispose();
      }
    },
  );
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The server's answer to a request that may have none; failing to ask is one more reason. */
export async function ask<P, R>(
  server: ServerRequests,
  type: RequestType<P, Answer<R>>,
  params: P,
  signal?: AbortSignal,
): Promise<Answer<R>> {
  try {
    return await server.send(type, params, signal);
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** The cursor of an editor, for a request about the document to the language server. */
export function cursorOf(editor: vscode.TextEditor): DocumentPositionParams {
  const { line, character } = editor.selection.active;
  return { textDocument: { uri: editor.document.uri.toString() }, position: { line, character } };
}

/** The bus named, else the only one, else the user's pick (undefined when dismissed). */
export async function chooseBus(
  clients: AwsClients,
  given: string | undefined,
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (given) return busName(given);
  const buses = await listEventBuses(clients.events, signal);
  if (buses.length <= 1) return buses[0] ?? 'default';
  const pick = await vscode.window.showQuickPick(buses, { title: 'EventBridge: event bus' });
  return pick;
}
