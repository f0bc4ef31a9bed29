// Shared by the AWS commands: command ids, cancellable progress, argument checks, catalog samples, bus choice.
import * as vscode from 'vscode';
import { loadCatalog } from '../../../server/src/catalog/catalog';
import { busName } from '../aws/arns';
import type { AwsClients } from '../aws/clients';
import type { EventEnvelope } from '../aws/patternSamples';
import { listEventBuses } from '../aws/ruleTargets';

export const AwsCommands = {
  selectProfile: 'eventbridge.selectProfile',
  selectRegion: 'eventbridge.selectRegion',
  setEndpoint: 'eventbridge.setEndpoint',
  startLocalBus: 'eventbridge.startLocalBus',
  stopLocalBus: 'eventbridge.stopLocalBus',
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

/** The catalog's sample event, or undefined (also when the catalog file is missing). */
export function catalogLookup(source: string, detailType: string): EventEnvelope | undefined {
  try {
    return loadCatalog().sampleEvent(source, detailType) as EventEnvelope | undefined;
  } catch {
    return undefined;
  }
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
