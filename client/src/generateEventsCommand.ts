// "EventBridge: Generate Sample Events for Pattern": the language server makes events that match the pattern under the
// cursor and near misses (each failing one condition), checked with the engine; the user picks which to keep, and
// they are saved under `events/` (sampleEventFiles.ts), where the pattern's code lens counts them. A light bulb entry
// on a pattern runs the command for it. The client only asks, shows the pick and writes files.
import * as vscode from 'vscode';
import { GenerateEventsRequest, PatternAtRequest, type GeneratedSampleEvent } from '../../shared';
import type { ServerRequests, ServerStatus } from './patternServer';
import { nextSampleEventPath } from './sampleEventFiles';

export const GENERATE_SAMPLE_EVENTS_COMMAND = 'eventbridge.generateSampleEvents';

/** How many matching events to ask for; near misses come on top (one or more per condition). */
const MATCHING_EVENTS = 3;

/** Arguments for driving the command without questions (tests): what to save. */
export interface GenerateSampleEventsArgs {
  readonly uri?: string;
  readonly position?: { readonly line: number; readonly character: number };
  readonly count?: number;
  readonly nearMisses?: boolean;
  /** `all` (default when driven by arguments), `matching`, or `none` (only report what would be made). */
  readonly save?: 'all' | 'matching' | 'none';
}

/** What the command did, for tests: the files written, relative to the workspace folder. */
export interface GenerateSampleEventsResult {
  readonly events: readonly GeneratedSampleEvent[];
  readonly saved: readonly string[];
}

function describe(e: GeneratedSampleEvent, n: number): { label: string; description: string; detail?: string } {
  const source = typeof e.event['source'] === 'string' ? e.event['source'] : '';
  const detailType = typeof e.event['detail-type'] === 'string' ? e.event['detail-type'] : '';
  const what = [source, detailType].filter((x) => x !== '').join(' / ');
  const preview = JSON.stringify(e.event['detail'] ?? e.event);
  const detail = preview.length > 120 ? `${preview.slice(0, 117)}...` : preview;
  return e.matches
    ? { label: `$(pass) matches #${n}`, description: what, detail }
    : { label: `$(error) near miss: ${e.fails ?? ''}`, description: e.why ?? '', detail };
}

export class GenerateSampleEvents implements vscode.CodeActionProvider {
  static readonly kind = vscode.CodeActionKind.Empty.append('eventbridge').append('generateSampleEvents');

  constructor(
    private readonly server: ServerRequests & { readonly status: ServerStatus },
    private readonly output: vscode.LogOutputChannel,
  ) {}

  register(): vscode.Disposable[] {
    const selector: vscode.DocumentSelector = [
      { language: 'json' },
      { language: 'jsonc' },
      { language: 'yaml' },
      { language: 'terraform' },
      { language: 'typescript' },
      { language: 'javascript' },
      { language: 'python' },
    ];
    return [
      vscode.commands.registerCommand(GENERATE_SAMPLE_EVENTS_COMMAND, (arg?: unknown) => this.run(arg)),
      vscode.languages.registerCodeActionsProvider(selector, this, {
        providedCodeActionKinds: [GenerateSampleEvents.kind],
      }),
    ];
  }

  /** A light bulb entry where the cursor is in a usable pattern (the server says so). */
  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    if (context.only && !context.only.contains(GenerateSampleEvents.kind)) return [];
    if (this.server.status.kind !== 'running') return [];
    const position = { line: range.start.line, character: range.start.character };
    let found;
    try {
      found = await this.server.send(PatternAtRequest, { textDocument: { uri: document.uri.toString() }, position });
    } catch {
      return [];
    }
    if (!found.ok) return [];
    const action = new vscode.CodeAction('Generate sample events for this pattern…', GenerateSampleEvents.kind);
    action.command = {
      command: GENERATE_SAMPLE_EVENTS_COMMAND,
      title: action.title,
      arguments: [{ uri: document.uri.toString(), position, interactive: true }],
    };
    return [action];
  }

  async run(arg?: unknown): Promise<GenerateSampleEventsResult | undefined> {
    const args = (arg !== null && typeof arg === 'object' ? arg : {}) as GenerateSampleEventsArgs & {
      interactive?: boolean;
    };
    const driven = arg !== undefined && args.interactive !== true;
    const editor = vscode.window.activeTextEditor;
    const uri = args.uri ?? editor?.document.uri.toString();
    const position = args.position ?? (editor ? editor.selection.active : undefined);
    if (!uri || !position) {
      void vscode.window.showWarningMessage(
        'EventBridge: open an event pattern (or a template) and put the cursor in a pattern to generate events for it.',
      );
      return undefined;
    }
    let answer;
    try {
      answer = await this.server.send(GenerateEventsRequest, {
        textDocument: { uri },
        position: { line: position.line, character: position.character },
        count: args.count ?? MATCHING_EVENTS,
        nearMisses: args.nearMisses ?? true,
      });
    } catch (e) {
      answer = { ok: false as const, reason: e instanceof Error ? e.message : String(e) };
    }
    if (!answer.ok) {
      void vscode.window.showWarningMessage(`EventBridge: no sample events: ${answer.reason}`);
      return undefined;
    }
    const events = answer.events;
    let chosen: readonly GeneratedSampleEvent[];
    if (driven) {
      const save = args.save ?? 'all';
      chosen = save === 'none' ? [] : save === 'matching' ? events.filter((e) => e.matches) : events;
    } else {
      const items = events.map((e, i) => ({ ...describe(e, i + 1), picked: true, event: e }));
      const picks = await vscode.window.showQuickPick(items, {
        title: `EventBridge: save sample events for the pattern under ${vscode.workspace.asRelativePath(vscode.Uri.parse(uri))}/events (uncheck those to leave out)`,
        canPickMany: true,
        matchOnDescription: true,
      });
      if (!picks) return { events, saved: [] };
      chosen = picks.map((p) => p.event);
    }
    const saved = chosen.length > 0 ? await this.save(vscode.Uri.parse(uri), chosen) : [];
    if (saved.length > 0) {
      const matching = chosen.filter((e) => e.matches).length;
      this.output.info(`Saved ${saved.length} sample events: ${saved.join(', ')}`);
      if (!driven) {
        void vscode.window
          .showInformationMessage(
            `EventBridge: saved ${matching} matching event${matching === 1 ? '' : 's'} and ${saved.length - matching} near miss${saved.length - matching === 1 ? '' : 'es'} under events/.`,
            'Open First',
          )
          .then(async (choice) => {
            const folder =
              vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(uri)) ?? vscode.workspace.workspaceFolders?.[0];
            if (choice && folder) await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, saved[0]));
          });
      }
    }
    return { events, saved };
  }

  /** Writes the events under the workspace folder of the pattern's document; returns their relative paths. */
  private async save(documentUri: vscode.Uri, events: readonly GeneratedSampleEvent[]): Promise<string[]> {
    const folder = vscode.workspace.getWorkspaceFolder(documentUri) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showWarningMessage(
        'EventBridge: open a folder to save sample events into its events/ folder.',
      );
      return [];
    }
    // Files already there, per folder, read once.
    const existing = new Map<string, Set<string>>();
    const listing = async (dir: string): Promise<Set<string>> => {
      let names = existing.get(dir);
      if (!names) {
        names = new Set<string>();
        try {
          for (const [name] of await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(folder.uri, dir)))
            names.add(`${dir}/${name}`);
        } catch {
          // no such folder yet
        }
        existing.set(dir, names);
      }
      return names;
    };
    const claimed = new Set<string>();
    const written: string[] = [];
    for (const e of events) {
      const kind = e.matches ? 'event' : 'near-miss';
      // A near miss is filed beside the event it misses (its own source may be the condition it fails).
      const named = e.madeFrom ? { source: e.madeFrom.source, 'detail-type': e.madeFrom.detailType } : e.event;
      const probe = nextSampleEventPath(named, kind, () => false, new Set());
      const names = await listing(probe.slice(0, probe.lastIndexOf('/')));
      const path = nextSampleEventPath(named, kind, (p) => names.has(p), claimed);
      await vscode.workspace.fs.writeFile(
        vscode.Uri.joinPath(folder.uri, path),
        new TextEncoder().encode(`${e.text}\n`),
      );
      written.push(path);
    }
    return written;
  }
}
