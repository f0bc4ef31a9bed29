// Sending events: from the file, the selection, a catalog sample or a sample that matches the pattern under the
// cursor; checked before sending, then PutEvents with each entry's event id or error shown.
import * as vscode from 'vscode';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CatalogSampleRequest,
  CatalogSourcesRequest,
  PatternAtRequest,
  PatternSamplesRequest,
  type CatalogSources,
} from '../../../shared';
import type { Connection } from '../aws/clients';
import { redactSecrets } from '../aws/errors';
import { productionDecision, productionPrompt, profileAccount } from '../aws/production';
import { checkPutEventsEntries, entriesFromJson, withBus, type PutEventsEntry } from '../aws/putEventsEntries';
import type { AwsContext } from '../awsContext';
import { readAwsSettings, type AwsSettings } from '../config';
import type { ServerRequests } from '../patternServer';
import { AwsCommands, ask, chooseBus, cursorOf, isRecord, withCancellableProgress } from './commandSupport';

export interface SendEventArgs {
  readonly eventBusName?: string;
  /** Where the event comes from; without `text`, the active editor is used for file/selection/pattern. */
  readonly from?: 'file' | 'selection' | 'catalog' | 'pattern';
  /** JSON text: an event, a PutEvents entry, `{"Entries": [...]}` or a list. */
  readonly text?: string;
  readonly source?: string;
  readonly detailType?: string;
  /**
   * The answer to the production confirmation, for callers without UI (the tests): `send` or `cancel`. Without it the
   * question is a modal dialog. Only asked for a profile in eventbridgePatterns.aws.productionProfiles.
   */
  readonly productionAnswer?: 'send' | 'cancel';
}

export interface SendEventResult {
  readonly eventIds: (string | undefined)[];
  readonly failures: { index: number; code: string; message: string }[];
  readonly problems?: string[];
  /** The AWS error, with its code and next step, when the call failed. */
  readonly error?: string;
  /** Not sent: the production confirmation was declined. */
  readonly cancelled?: boolean;
}

/** A sample event as an entry without its placeholder `time`: EventBridge stamps it with the time of sending. */
function sampleEntries(sample: object): PutEventsEntry[] | string {
  const r = entriesFromJson(JSON.stringify(sample));
  return r.ok ? r.entries.map(({ Time: _time, ...rest }) => rest) : r.message;
}

export function registerSendEventCommand(aws: AwsContext, server: ServerRequests): vscode.Disposable[] {
  const output = aws.output;

  /** The entries to send, from the arguments or by asking. A string is the reason there are none. */
  async function eventEntries(args: SendEventArgs): Promise<PutEventsEntry[] | string | undefined> {
    const editor = vscode.window.activeTextEditor;
    let from = args.from;
    if (args.text !== undefined) {
      const r = entriesFromJson(args.text);
      return r.ok ? r.entries : r.message;
    }
    if (!from) {
      const items: (vscode.QuickPickItem & { from: NonNullable<SendEventArgs['from']> })[] = [];
      if (editor && !editor.selection.isEmpty) items.push({ label: 'The selection', from: 'selection' });
      if (editor) {
        items.push({ label: `The file ${vscode.workspace.asRelativePath(editor.document.uri)}`, from: 'file' });
        const p = await ask(server, PatternAtRequest, cursorOf(editor));
        if (p.ok) items.push({ label: 'A sample event that matches the pattern under the cursor', from: 'pattern' });
      }
      items.push({ label: 'A sample event from the catalog…', from: 'catalog' });
      const pick = await vscode.window.showQuickPick(items, { title: 'EventBridge: event to send' });
      if (!pick) return undefined;
      from = pick.from;
    }
    if (from === 'file' || from === 'selection') {
      if (!editor) return 'There is no active editor: open the event (JSON) to send.';
      const text = from === 'selection' ? editor.document.getText(editor.selection) : editor.document.getText();
      if (text.trim() === '') return from === 'selection' ? 'The selection is empty.' : 'The file is empty.';
      const r = entriesFromJson(text);
      return r.ok ? r.entries : `${from === 'selection' ? 'The selection' : 'The file'}: ${r.message}`;
    }
    if (from === 'pattern') {
      if (!editor) return 'There is no active editor with an event pattern.';
      const connection = await aws.connection();
      const p = await ask(server, PatternSamplesRequest, {
        ...cursorOf(editor),
        ...(connection.ok ? { region: connection.connection.region } : {}),
      });
      if (!p.ok) return p.reason;
      const sample = p.generated.event;
      if (!p.generated.matches)
        output.warn(
          'The generated sample does not match the pattern everywhere; it is sent anyway (edit it and send the file to control it).',
        );
      return sampleEntries(sample);
    }
    // catalog
    let catalog: CatalogSources;
    try {
      catalog = await server.send(CatalogSourcesRequest, {});
    } catch (e) {
      return `The event catalog cannot be read: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (!catalog.available) return 'The event catalog is missing (server/generated/catalog.json): run `npm run build`.';
    let source = args.source;
    if (!source)
      source = await vscode.window.showQuickPick(
        catalog.sources.map((s) => s.source),
        { title: 'EventBridge: event source' },
      );
    if (!source) return undefined;
    let detailType = args.detailType;
    if (!detailType) {
      const chosen = source;
      detailType = await vscode.window.showQuickPick(
        [...(catalog.sources.find((s) => s.source === chosen)?.detailTypes ?? [])],
        {
          title: `EventBridge: detail-type of ${source}`,
        },
      );
    }
    if (!detailType) return undefined;
    let sample: object | undefined;
    try {
      sample = (await server.send(CatalogSampleRequest, { source, detailType })).event;
    } catch (e) {
      return `The event catalog cannot be read: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (!sample) return `The catalog has no ${source} / ${detailType} event.`;
    return sampleEntries(sample);
  }

  /** Asks before writing through a production profile; true to go ahead. */
  async function confirmProduction(
    connection: Connection,
    settings: AwsSettings,
    bus: string,
    entries: number,
    args: SendEventArgs,
  ): Promise<boolean> {
    const decision = productionDecision(connection, settings);
    if (decision.kind === 'local' || decision.kind === 'not-production') return true;
    if (decision.kind === 'unconfirmed-production') {
      output.info(
        `Sending to ${bus} with production profile ${decision.profile} without asking (eventbridgePatterns.aws.confirmProduction is off)`,
      );
      return true;
    }
    const account = profileAccount(await aws.profiles().catch(() => undefined), decision.profile);
    const prompt = productionPrompt({
      profile: decision.profile,
      pattern: decision.pattern,
      region: connection.region,
      ...(account ? { account } : {}),
      bus,
      entries,
    });
    const confirmed =
      args.productionAnswer !== undefined
        ? args.productionAnswer === 'send'
        : (await vscode.window.showWarningMessage(
            prompt.message,
            { modal: true, detail: prompt.detail },
            prompt.confirm,
          )) === prompt.confirm;
    output.info(
      `Production confirmation${args.productionAnswer !== undefined ? ' (answered by the caller)' : ''}: ${prompt.message} ${confirmed ? 'Confirmed' : 'Declined'}`,
    );
    return confirmed;
  }

  async function sendEvent(arg?: unknown): Promise<SendEventResult | undefined> {
    if (aws.refuseUntrusted('send events')) return undefined;
    const args: SendEventArgs = isRecord(arg) ? arg : {};
    const entriesOrReason = await eventEntries(args);
    if (entriesOrReason === undefined) return undefined;
    if (typeof entriesOrReason === 'string') {
      void vscode.window.showWarningMessage(`EventBridge: cannot send: ${entriesOrReason}`);
      return { eventIds: [], failures: [], problems: [entriesOrReason] };
    }
    const settings = readAwsSettings();
    const problems = checkPutEventsEntries(entriesOrReason, { maxRequestBytes: settings.putEventsMaxBytes });
    if (problems.length > 0) {
      for (const p of problems) output.warn(`Send event: ${p.message}`);
      void vscode.window.showWarningMessage(
        `EventBridge: not sent: ${problems
          .slice(0, 3)
          .map((p) => p.message)
          .join(' ')}${problems.length > 3 ? ` (and ${problems.length - 3} more in the output)` : ''}`,
      );
      return { eventIds: [], failures: [], problems: problems.map((p) => p.message) };
    }
    const clients = await aws.clients('send events');
    if (!clients) return undefined;
    try {
      return await withCancellableProgress('EventBridge: sending events', async (signal, progress) => {
        try {
          progress.report({ message: 'choosing the event bus' });
          const bus = await chooseBus(clients, args.eventBusName, signal);
          if (!bus) return undefined;
          const entries = withBus(entriesOrReason, bus);
          if (!(await confirmProduction(clients.connection, settings, bus, entries.length, args))) {
            output.info(`Send event: not sent to ${bus} (the production confirmation was declined)`);
            return { eventIds: [], failures: [], cancelled: true };
          }
          progress.report({
            message: `PutEvents (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}) to ${bus}`,
          });
          const response = await clients.events.send(new PutEventsCommand({ Entries: entries }), {
            abortSignal: signal,
          });
          const eventIds: (string | undefined)[] = [];
          const failures: SendEventResult['failures'] = [];
          (response.Entries ?? []).forEach((r, index) => {
            eventIds.push(r.EventId);
            if (!r.EventId || r.ErrorCode)
              failures.push({ index, code: r.ErrorCode ?? 'Unknown', message: r.ErrorMessage ?? '(no message)' });
          });
          for (const [i, id] of eventIds.entries())
            if (id)
              output.info(
                `Sent to ${bus}: entry ${i + 1} (${entries[i].Source} / ${entries[i].DetailType}) → event id ${id}`,
              );
          for (const f of failures)
            output.error(`Sent to ${bus}: entry ${f.index + 1} failed: ${f.code}: ${f.message}`);
          if (failures.length === 0)
            void vscode.window.showInformationMessage(
              `EventBridge: sent ${eventIds.length} ${eventIds.length === 1 ? 'event' : 'events'} to ${bus}: ${eventIds.join(', ')}`,
            );
          else
            void vscode.window.showErrorMessage(
              redactSecrets(
                `EventBridge: ${failures.length} of ${eventIds.length} entries failed: ${failures.map((f) => `entry ${f.index + 1}: ${f.code}: ${f.message}`).join('; ')}`,
              ),
            );
          return { eventIds, failures };
        } catch (e) {
          const error = aws.reportError(e, clients.connection, 'PutEvents');
          return error ? { eventIds: [], failures: [], error } : undefined;
        }
      });
    } finally {
      clients.destroy();
    }
  }

  return [vscode.commands.registerCommand(AwsCommands.sendEvent, sendEvent)];
}
