// The AWS side of the extension's state: the embedded local bus, the running log tail, and how to reach AWS right
// now (settings + profiles + local bus → a connection → SDK clients). Commands (awsCommands.ts) use it; the status
// bar item shows it.
import * as vscode from 'vscode';
import {
  describeConnection,
  createAwsClients,
  resolveConnection,
  type AwsClients,
  type Connection,
} from './aws/clients';
import { describeAwsError, formatAwsError, redactSecrets, type AwsCallContext } from './aws/errors';
import type { EmbeddedLocalBus } from './aws/localBusHost';
import { awsConfigFiles, loadProfiles, type ProfileSet } from './aws/profiles';
import { redactingLog, type AwsLog } from './aws/redactingLog';
import { affectsAwsSettings, readAwsSettings, settingsInspector } from './config';
import { ignoredWorkspaceSettings, untrustedRefusal, type WorkspaceAction } from './trust';

export interface RunningTail {
  readonly description: string;
  readonly abort: AbortController;
  /** Resolves when the tail has ended (stopped or failed). */
  readonly done: Promise<void>;
  delivered: number;
  readonly recent: string[];
  /** The tail was started against the local bus (ends when it stops). */
  readonly onLocalBus: boolean;
}

export interface TailStopped {
  readonly delivered: number;
  /** The last events shown, as written to the tail output. */
  readonly recent: string[];
}

export class AwsContext implements vscode.Disposable {
  private bus: EmbeddedLocalBus | undefined;
  private tail: RunningTail | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when the local bus starts/stops or AWS settings change. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly reportedProblems = new Set<string>();
  /** The log, redacting every line (redactingLog.ts). */
  readonly output: AwsLog;

  constructor(output: vscode.LogOutputChannel) {
    this.output = redactingLog(output);
    this.disposables.push(
      this.changeEmitter,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsAwsSettings(e)) this.changeEmitter.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.output.info('Workspace trusted: the AWS commands and the local bus are available.');
        this.changeEmitter.fire();
      }),
    );
    if (!vscode.workspace.isTrusted) {
      const ignored = ignoredWorkspaceSettings(false, settingsInspector());
      this.output.info(
        `Workspace not trusted: validation and completion run; the AWS commands and the local bus wait for trust${ignored.length ? `; ignoring the workspace's ${ignored.map((k) => `eventbridgePatterns.${k}`).join(', ')}` : ''}.`,
      );
    }
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /**
   * True (after saying why, with a way to trust the workspace) when `action` cannot run because the workspace is not
   * trusted. Every AWS and local bus command asks this first.
   */
  refuseUntrusted(action: WorkspaceAction): boolean {
    const refusal = untrustedRefusal(action, this.trusted);
    if (refusal === undefined) return false;
    this.output.warn(refusal);
    void vscode.window.showWarningMessage(`EventBridge: ${refusal}`, 'Manage Workspace Trust').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return true;
  }

  get localBus(): EmbeddedLocalBus | undefined {
    return this.bus;
  }

  setLocalBus(bus: EmbeddedLocalBus | undefined): void {
    this.bus = bus;
    this.changeEmitter.fire();
  }

  get runningTail(): RunningTail | undefined {
    return this.tail;
  }

  setTail(tail: RunningTail | undefined): void {
    this.tail = tail;
  }

  /** Stops the running tail and waits for it to end; undefined when none runs. */
  async stopTail(): Promise<TailStopped | undefined> {
    const tail = this.tail;
    if (!tail) return undefined;
    tail.abort.abort();
    await tail.done;
    this.output.info(`Stopped tailing ${tail.description}`);
    return { delivered: tail.delivered, recent: [...tail.recent] };
  }

  async profiles(): Promise<ProfileSet> {
    // Defence in depth: the commands refuse first, but nothing may read ~/.aws in an untrusted workspace.
    const refusal = untrustedRefusal('read AWS profiles', this.trusted);
    if (refusal !== undefined) throw new Error(refusal);
    const set = await loadProfiles(awsConfigFiles());
    // Each problem once per session: the files are read for every command and status refresh.
    for (const p of set.problems) {
      const line = `AWS ${p.file} file${p.line ? ` line ${p.line}` : ''}: ${p.message}`;
      if (this.reportedProblems.has(line)) continue;
      this.reportedProblems.add(line);
      this.output.warn(line);
    }
    return set;
  }

  /** The connection in force, or why there is none. */
  async connection(): Promise<{ ok: true; connection: Connection } | { ok: false; reason: string }> {
    const refusal = untrustedRefusal('connect to AWS', this.trusted);
    if (refusal !== undefined) return { ok: false, reason: refusal };
    let set: ProfileSet;
    try {
      set = await this.profiles();
    } catch (e) {
      return {
        ok: false,
        reason: `Cannot read the AWS config files: ${redactSecrets(e instanceof Error ? e.message : String(e))}`,
      };
    }
    const settings = readAwsSettings();
    const resolved = resolveConnection(
      { profile: settings.profile, region: settings.region, endpoint: settings.endpoint },
      set,
      this.bus?.url,
    );
    // The reason may quote the endpoint setting, which may hold a password.
    return resolved.ok ? resolved : { ok: false, reason: redactSecrets(resolved.reason) };
  }

  /** SDK clients for the connection in force; shows why and returns undefined when there is none. */
  async clients(purpose: string): Promise<AwsClients | undefined> {
    const resolved = await this.connection();
    if (!resolved.ok) {
      this.output.warn(`${purpose}: ${resolved.reason}`);
      void vscode.window.showWarningMessage(`EventBridge: cannot ${purpose}: ${resolved.reason}`);
      return undefined;
    }
    this.output.info(`${purpose}: using ${describeConnection(resolved.connection)}`);
    if (resolved.connection.localBus && this.bus) {
      const region = resolved.connection.region;
      const warnings = await this.bus.ensureRegion(region);
      for (const w of warnings) this.output.warn(`local bus (${region}): ${w}`);
    }
    return createAwsClients(resolved.connection);
  }

  callContext(connection: Connection, operation: string): AwsCallContext {
    const endpoint = connection.endpoints.eventbridge ?? connection.endpoints.cloudwatch_logs;
    return {
      operation,
      region: connection.region,
      ...(connection.profile ? { profile: connection.profile } : {}),
      ...(endpoint ? { endpoint } : {}),
      localBus: connection.localBus,
    };
  }

  /** Logs and shows an AWS error with its code and next step; returns the one-line text (empty when cancelled). */
  reportError(error: unknown, connection: Connection | undefined, operation: string): string {
    const report = describeAwsError(error, connection ? this.callContext(connection, operation) : { operation });
    if (report.cancelled) {
      this.output.info(`${operation}: cancelled`);
      return '';
    }
    // describeAwsError redacts the message; the endpoint in the next step and anything else are redacted here too.
    const text = redactSecrets(formatAwsError(report, operation));
    this.output.error(`${text}${report.requestId ? ` (request id ${report.requestId})` : ''}`);
    void vscode.window.showErrorMessage(`EventBridge: ${text}`, 'Show Output').then((choice) => {
      if (choice) this.output.show(true);
    });
    return text;
  }

  dispose(): void {
    this.tail?.abort.abort();
    this.tail = undefined;
    const bus = this.bus;
    this.bus = undefined;
    if (bus) void bus.close();
    for (const d of this.disposables) d.dispose();
  }
}

/** The status bar item: the profile, region and endpoint in use; click to pick a profile. */
export function createAwsStatusItem(aws: AwsContext): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('eventbridgePatterns.aws', vscode.StatusBarAlignment.Left, 0);
  item.name = 'EventBridge AWS connection';
  item.command = 'eventbridge.selectProfile';
  let generation = 0;
  const refresh = async (): Promise<void> => {
    const mine = ++generation;
    if (!aws.trusted) {
      item.text = '$(workspace-untrusted) EventBridge: restricted';
      item.tooltip =
        'This workspace is not trusted: EventBridge Patterns validates and completes patterns, but does not read AWS credentials, call AWS or start the local bus. Click to manage workspace trust.';
      item.command = 'workbench.trust.manage';
      item.show();
      return;
    }
    item.command = 'eventbridge.selectProfile';
    const resolved = await aws.connection().catch((e: unknown) => ({ ok: false as const, reason: String(e) }));
    if (mine !== generation) return;
    if (!resolved.ok) {
      item.text = '$(cloud) EventBridge: not connected';
      item.tooltip = resolved.reason;
    } else {
      const c = resolved.connection;
      const who = c.profile ?? (c.credentialSource === 'local-dummy' ? 'local' : 'default');
      const where = c.localBus
        ? ` · local bus :${aws.localBus?.port ?? ''}`
        : Object.keys(c.endpoints).length > 0
          ? ' · custom endpoint'
          : '';
      item.text = `${c.localBus ? '$(server-process)' : '$(cloud)'} ${who} · ${c.region}${where}`;
      item.tooltip = `EventBridge: ${describeConnection(c)}. Click to select the AWS profile.`;
    }
    item.show();
  };
  void refresh();
  const listener = aws.onDidChange(() => void refresh());
  return vscode.Disposable.from(listener, item);
}
