// Owns the language client: starts, stops and restarts the server process and reports its status honestly.
// A LanguageClient whose start failed cannot be started again, so each start makes a new one.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SERVER_EXEC_ARGV, type NotificationType, type RequestType } from '../../shared';
import { CONFIG_SECTION } from './config';

export type ServerStatus =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'running'; readonly processId: number | undefined }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * Every document the server looks at: pattern files, templates and filter definitions, saved or not, and the code
 * patterns are written in (AWS CDK in TypeScript, JavaScript and Python; Terraform). The server reads a code file only
 * when its text names a pattern construct, so the other source files cost a regular expression.
 */
// Plain filters, so the same value suits both vscode's and the LSP's DocumentSelector type.
export const DOCUMENT_SELECTOR: readonly { readonly scheme: string; readonly language: string }[] = [
  'json',
  'jsonc',
  'yaml',
  'typescript',
  'typescriptreact',
  'javascript',
  'javascriptreact',
  'python',
  'terraform',
].flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

const SERVER_NAME = 'EventBridge Patterns language server';

/**
 * Asks the language server what it knows about documents and events (the custom requests of shared/requests.ts): the
 * client never analyses a document itself. Rejects with a sentence for the user when the server cannot answer.
 */
export interface ServerRequests {
  send<P, R>(type: RequestType<P, R>, params: P, signal?: AbortSignal): Promise<R>;
  /** Tells the server something (no answer); dropped when the server is not running. */
  notify?<P>(type: NotificationType<P>, params: P): void;
}

export class PatternServer implements vscode.Disposable, ServerRequests {
  private client: LanguageClient | undefined;
  private clientStateListener: vscode.Disposable | undefined;
  private currentStatus: ServerStatus = { kind: 'stopped' };
  private readonly statusEmitter = new vscode.EventEmitter<ServerStatus>();
  readonly onDidChangeStatus = this.statusEmitter.event;
  // start/stop/restart run one at a time, in the order asked.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly serverModule: string,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  get status(): ServerStatus {
    return this.currentStatus;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.startClient());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopClient());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopClient();
      await this.startClient();
    });
  }

  async send<P, R>(type: RequestType<P, R>, params: P, signal?: AbortSignal): Promise<R> {
    // A start or restart under way finishes first (a command run right after activation waits for the server).
    await this.queue;
    const client = this.client;
    if (!client) {
      const why = this.currentStatus.kind === 'failed' ? `: ${this.currentStatus.reason}` : '';
      throw new Error(
        `the EventBridge Patterns language server is not running${why} (see the output, or run EventBridge: Restart Language Server)`,
      );
    }
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = (): void => cancel.cancel();
    signal?.addEventListener('abort', onAbort);
    try {
      return await client.sendRequest<R>(type.method, params, cancel.token);
    } catch (error) {
      throw new Error(
        `the language server could not answer: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      signal?.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  notify<P>(type: NotificationType<P>, params: P): void {
    const client = this.client;
    if (!client || client.state !== State.Running) return;
    client.sendNotification(type.method, params).catch((error: unknown) => {
      this.output.warn(`${type.method} not sent: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  dispose(): void {
    void this.stop();
    this.statusEmitter.dispose();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private setStatus(status: ServerStatus): void {
    this.currentStatus = status;
    this.statusEmitter.fire(status);
  }

  private async startClient(): Promise<void> {
    if (!fs.existsSync(this.serverModule)) {
      const reason = `${this.serverModule} is missing: run \`npm run build\``;
      this.output.error(reason);
      this.setStatus({ kind: 'failed', reason });
      return;
    }
    const serverOptions: ServerOptions = {
      run: { module: this.serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
      debug: {
        module: this.serverModule,
        transport: TransportKind.ipc,
        options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [...DOCUMENT_SELECTOR],
      outputChannel: this.output,
      traceOutputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
    };
    const client = new LanguageClient(CONFIG_SECTION, SERVER_NAME, serverOptions, clientOptions);
    this.client = client;
    this.clientStateListener?.dispose();
    this.clientStateListener = client.onDidChangeState(({ newState }) => {
      if (this.client !== client) return; // an old client winding down
      if (newState === State.Starting) this.setStatus({ kind: 'starting' });
      else if (newState === State.Running) this.setStatus({ kind: 'running', processId: client.serverProcess?.pid });
      // Stopped without stop(): the server died and the client gave up restarting it.
      else this.setStatus({ kind: 'failed', reason: 'the server stopped; see the output' });
    });
    this.setStatus({ kind: 'starting' });
    try {
      await client.start();
      this.output.info(`Server running (process ${client.serverProcess?.pid ?? '?'})`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.output.error(`Server did not start: ${reason}`);
      // The client gives up on a server that failed to initialize; make sure its process goes too.
      const serverProcess = client.serverProcess;
      if (serverProcess && serverProcess.exitCode === null && serverProcess.signalCode === null) serverProcess.kill();
      this.clientStateListener?.dispose();
      this.clientStateListener = undefined;
      this.client = undefined;
      this.setStatus({ kind: 'failed', reason });
    }
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.clientStateListener?.dispose();
    this.clientStateListener = undefined;
    if (client) {
      try {
        // A client the error handler is restarting must finish starting before it can be stopped.
        if (client.state === State.Starting) await client.start().catch(() => undefined);
        if (client.state === State.Running) await client.dispose();
      } catch (error) {
        this.output.error(`Stopping the server failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.setStatus({ kind: 'stopped' });
  }
}
