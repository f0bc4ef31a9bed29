// The local bus as the extension runs it: a child process (`dist/cli.js local-bus --ipc`) listening on 127.0.0.1, with
// the workspace's templates loaded into the region in use (their buses, rules with log-group targets, log groups).
//
// Why a child process rather than the extension host (where it ran before):
// - Crash isolation. The extension host is one Node process that every extension shares. A bus in trouble (a template
//   that trips a bug, a script flooding it with PutEvents, live tail streams) would slow down or take down all of
//   them; as a process of its own it fails alone, the extension says so (onUnexpectedExit), and it can be started
//   again.
// - Bundle size and activation. The bus, the template reader, the pattern engine and the YAML parser are no longer in
//   dist/extension.js, which VS Code loads at every activation whether or not the bus is ever used (about a fifth of
//   the minified bundle). dist/cli.js, which ships anyway and holds them, is loaded only when the bus starts.
// - Startup. Starting a Node process adds some tens of milliseconds, once, when the user asks for the bus; every
//   session's activation gets cheaper instead.
// - Trust. Nothing changes: the process is started only by the Start Local Bus command, after its workspace trust check
//   (AwsContext.refuseUntrusted). The extension reads the templates (unsaved edits included) and sends their text; the
//   bus reads workspace files itself only to run Lambda handlers from their CodeUri folders, which it does only with
//   `--run-functions`, given in a trusted workspace.
// - Tests. The end-to-end tests drive the same commands and get the same answers (URL, port, templates loaded); the
//   unit tests start this host on dist/cli.js.
// The process ends with the extension: on stop, on dispose, and by itself when its IPC channel closes (the extension
// host went away without stopping it).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  LOCAL_BUS_IPC_FLAG,
  LOCAL_BUS_RUN_FUNCTIONS_FLAG,
  looksLikeTemplate,
  type LocalBusReport,
  type LocalBusRequest,
  type ScheduledRuleSummary,
  type TemplateFile,
} from '../../../shared';

export { looksLikeTemplate, type ScheduledRuleSummary, type TemplateFile };

/** What firing a scheduled rule now did (the `fired` answer of the bus). */
export type ScheduledRuleFired = Omit<Extract<LocalBusReport, { type: 'fired' }>, 'type' | 'id'>;

export interface LocalBusHostOptions {
  /** The command-line tool that runs the bus (dist/cli.js). */
  readonly cliPath: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly region: string;
  /** Default: the local bus's own (000000000000). */
  readonly accountId?: string;
  readonly templates: readonly TemplateFile[];
  /** Told about templates that could not be loaded, and later about failed deliveries and refused requests. */
  readonly onWarning?: (message: string) => void;
  /** The process ended without being stopped (it crashed, or was killed): why, in a sentence. */
  readonly onUnexpectedExit?: (reason: string) => void;
  /**
   * Told about events PutEvents accepted (a few of each source and detail-type), for the language server to learn the
   * user's own events from.
   */
  readonly onEvent?: (event: Readonly<Record<string, unknown>>) => void;
  /**
   * Let the bus run the handlers of Lambda targets: the workspace's code, so only in a trusted workspace (the caller
   * decides). Off, Lambda targets get a line in the undelivered log group instead.
   */
  readonly runFunctions?: boolean;
  /** A handler runs for the first time: the sentence saying which, for the user. */
  readonly onFunctionRun?: (message: string) => void;
}

export interface EmbeddedLocalBus {
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  /** Templates that were loaded. */
  readonly loaded: readonly string[];
  /** The bus's process. */
  readonly pid: number | undefined;
  /** Loads the templates into another region too (once), so switching regions keeps the application's wiring. */
  ensureRegion(region: string): Promise<string[]>;
  /** The scheduled rules of every region's default bus, with the next time each fires. */
  scheduledRules(): Promise<readonly ScheduledRuleSummary[]>;
  /** Fires a scheduled rule now (its regular times do not move); `error` says why it could not. */
  fireRule(region: string, ruleName: string): Promise<ScheduledRuleFired>;
  /** Stops the bus and waits for its process to end. */
  close(): Promise<void>;
}

/** How long a bus told to stop may take before its process is killed. */
const STOP_GRACE_MS = 5000;
/** The end of the process's error output kept, to say why it did not start or ended. */
const STDERR_KEPT = 4000;

export async function startLocalBusProcess(options: LocalBusHostOptions): Promise<EmbeddedLocalBus> {
  if (!existsSync(options.cliPath)) throw new Error(`${options.cliPath} is missing: run \`npm run build\``);
  const args = ['local-bus', '--port', String(options.port ?? 0), LOCAL_BUS_IPC_FLAG];
  if (options.accountId) args.push('--account', options.accountId);
  if (options.runFunctions) args.push(LOCAL_BUS_RUN_FUNCTIONS_FLAG);
  const child = fork(options.cliPath, args, {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // Not the extension host's own flags (an inspector port, say); in VS Code's Electron, run as plain Node.
    execArgv: [],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const host = new LocalBusProcess(child, options);
  const listening = await host.listening.catch(async (e: unknown) => {
    await host.close();
    throw e;
  });
  const templates = options.templates.filter((f) => looksLikeTemplate(f.text));
  const first = await host.load(options.region, templates).catch((e: unknown) => ({
    loaded: [] as readonly string[],
    warnings: [] as readonly string[],
    error: e instanceof Error ? e.message : String(e),
  }));
  if (first.error !== undefined) {
    await host.close();
    throw new Error(first.error);
  }
  for (const w of first.warnings) options.onWarning?.(w);
  const loadedRegions = new Set([options.region]);
  return {
    url: listening.url,
    port: listening.port,
    region: options.region,
    accountId: listening.accountId,
    loaded: first.loaded,
    pid: child.pid,
    async ensureRegion(region) {
      if (loadedRegions.has(region)) return [];
      loadedRegions.add(region);
      try {
        const r = await host.load(region, templates);
        return r.error !== undefined ? [...r.warnings, r.error] : [...r.warnings];
      } catch (e) {
        return [e instanceof Error ? e.message : String(e)];
      }
    },
    scheduledRules: async () => (await host.ask({ type: 'scheduled-rules' }, 'scheduled-rules')).rules,
    async fireRule(region, ruleName) {
      const answer = await host.ask({ type: 'fire-rule', region, ruleName }, 'fired');
      return {
        targets: answer.targets,
        failures: answer.failures,
        ...(answer.eventId !== undefined ? { eventId: answer.eventId } : {}),
        ...(answer.time !== undefined ? { time: answer.time } : {}),
        ...(answer.error !== undefined ? { error: answer.error } : {}),
      };
    },
    close: () => host.close(),
  };
}

type Loaded = Extract<LocalBusReport, { type: 'loaded' }>;
/** The bus's answers to requests, matched to them by id. */
type Answer = Extract<LocalBusReport, { id: number }>;
type Asked = Extract<LocalBusRequest, { id: number }>;
/** A request without its id, which `ask` adds. */
type Question = Asked extends infer R ? (R extends Asked ? Omit<R, 'id'> : never) : never;

/** The extension's side of the IPC conversation with one bus process. */
class LocalBusProcess {
  readonly listening: Promise<{ url: string; port: number; accountId: string }>;
  private readonly pending = new Map<number, { resolve: (r: Answer) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private stderr = '';
  private stopping = false;
  private readonly exited: Promise<void>;
  private hasExited = false;

  constructor(
    private readonly child: ChildProcess,
    private readonly options: LocalBusHostOptions,
  ) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEPT);
    });
    let onListening!: (v: { url: string; port: number; accountId: string }) => void;
    let onFailed!: (e: Error) => void;
    this.listening = new Promise((resolve, reject) => {
      onListening = resolve;
      onFailed = reject;
    });
    let started = false;
    child.on('message', (message: LocalBusReport) => {
      if (message?.type === 'listening') {
        started = true;
        onListening({ url: message.url, port: message.port, accountId: message.accountId });
      } else if (message?.type === 'loaded' || message?.type === 'scheduled-rules' || message?.type === 'fired') {
        this.pending.get(message.id)?.resolve(message);
        this.pending.delete(message.id);
      } else if (message?.type === 'warning') {
        this.options.onWarning?.(message.message);
      } else if (message?.type === 'event' && message.event !== null && typeof message.event === 'object') {
        this.options.onEvent?.(message.event);
      } else if (message?.type === 'function-run') {
        this.options.onFunctionRun?.(message.message);
      }
    });
    this.exited = new Promise((resolve) => {
      // 'error' without 'exit' when the process could not be started at all.
      child.on('error', (e) => {
        onFailed(new Error(`the local bus process did not start: ${e.message}`));
        this.ended();
        resolve();
      });
      child.on('exit', (code, signal) => {
        const why = `${signal ? `signal ${signal}` : `exit code ${code}`}${this.errorOutput()}`;
        onFailed(new Error(this.errorOutput(true) || `the local bus process ended (${why})`));
        if (started && !this.stopping) this.options.onUnexpectedExit?.(`the local bus process ended (${why})`);
        this.ended();
        resolve();
      });
    });
  }

  /** The process's error output, without the command's prefix: `: <text>`, or the text alone. */
  private errorOutput(alone = false): string {
    const text = this.stderr
      .split('\n')
      .map((line) => line.replace(/^local-bus: /, '').trim())
      .filter(Boolean)
      .join(' ');
    return text === '' ? '' : alone ? text : `: ${text}`;
  }

  private ended(): void {
    this.hasExited = true;
    for (const p of this.pending.values()) p.reject(new Error('the local bus process ended'));
    this.pending.clear();
  }

  load(region: string, templates: readonly TemplateFile[]): Promise<Loaded> {
    return this.ask({ type: 'load', region, templates }, 'loaded');
  }

  /** Sends a request and resolves with the bus's answer to it, which must be of type `answer`. */
  ask<T extends Answer['type']>(question: Question, answer: T): Promise<Extract<Answer, { type: T }>> {
    if (this.hasExited || !this.child.connected) return Promise.reject(new Error('the local bus is not running'));
    const id = this.nextId++;
    return new Promise<Extract<Answer, { type: T }>>((resolve, reject) => {
      this.pending.set(id, {
        resolve: (r) =>
          r.type === answer
            ? resolve(r as Extract<Answer, { type: T }>)
            : reject(new Error(`the local bus answered ${r.type} to ${question.type}`)),
        reject,
      });
      this.send({ ...question, id });
    });
  }

  private send(request: LocalBusRequest): void {
    if (this.child.connected) this.child.send(request);
  }

  async close(): Promise<void> {
    this.stopping = true;
    if (this.hasExited) return;
    if (this.child.connected) this.send({ type: 'stop' });
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
