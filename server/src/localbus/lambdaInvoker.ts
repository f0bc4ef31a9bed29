// Lambda targets, run: EventBridge hands the event to Lambda asynchronously (PutEvents answers before the function
// runs), Lambda queues it, runs the handler (lambdaRuntime.ts) with bounded concurrency per function, writes what it
// prints to /aws/lambda/<name> as Lambda does (START / END / REPORT around the handler's lines, in a stream named like
// Lambda's), retries a failed run as Lambda's asynchronous invocation does, then sends the event to the function's
// dead-letter queue. When the function's queue is full, EventBridge itself cannot deliver: it retries per the target's
// RetryPolicy (bounded here) and then sends the event to the target's dead-letter queue with EventBridge's attributes.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogsStore } from './logsService';
import {
  functionLogGroup,
  parseHandler,
  runtimeKind,
  whyNotRunnable,
  type LambdaFunction,
  type Runtime,
} from './lambdaFunctions';
import { NODE_BOOTSTRAP, PYTHON_BOOTSTRAP, runHandler, type RunOutcome, type RunningHandler } from './lambdaRuntime';

/** An SQS message attribute, as SendMessage takes it. */
export interface QueueMessageAttribute {
  readonly DataType: 'String' | 'Number';
  readonly StringValue: string;
}

/** Said the first time a handler runs in a session, so the user knows which of the workspace's code runs. */
export interface FunctionRunNotice {
  readonly functionName: string;
  readonly handler: string;
  readonly runtime: string;
  /** What invoked it: `rule <name>`, `SNS topic <arn>`. */
  readonly trigger: string;
  /** The folder the code runs from (a temporary one for inline code). */
  readonly codePath: string;
  /** `Running handler src/app.handler of function X (nodejs20.x) for rule Y`. */
  readonly message: string;
}

export interface LambdaInvokerOptions {
  /** Run handlers at all (the workspace is trusted / `--run-functions`). */
  readonly runFunctions: boolean;
  /** The first run of each handler. */
  readonly onFirstRun?: (notice: FunctionRunNotice) => void;
  readonly onWarning?: (message: string) => void;
  /** Sends a message to a queue of the local bus (dead letters); throws when there is no such queue. */
  readonly sendToQueue?: (queueArn: string, body: string, attributes: Record<string, QueueMessageAttribute>) => void;
  /** The bus's URL, given to handlers as AWS_ENDPOINT_URL so their SDK calls stay local. */
  readonly endpointUrl?: () => string;
  /** Runs at once per function (lower with ReservedConcurrentExecutions). Default 4. */
  readonly maxConcurrencyPerFunction?: number;
  /** Events waiting or running per function before EventBridge is told to back off. Default 100. */
  readonly maxQueuedPerFunction?: number;
  /** Waits before Lambda's retries of a failed run (Lambda waits about 1 and 2 minutes). Default 1 s, 2 s. */
  readonly functionRetryDelaysMs?: readonly number[];
  /** EventBridge's first backoff when it cannot deliver; it doubles up to 30 s. Default 1 s. */
  readonly deliveryRetryBaseMs?: number;
  /** The most delivery attempts EventBridge makes here, whatever RetryPolicy allows (185 in AWS). Default 10. */
  readonly maxDeliveryRetries?: number;
  /** The Python 3 interpreter (default: `python3` on PATH, `python` on Windows too). */
  readonly pythonExecutable?: string;
  readonly now?: () => number;
}

/** One event for a function: a rule's target input, or an SNS message. */
export interface LambdaDelivery {
  readonly fn: LambdaFunction;
  /** The logs of the function's region (for /aws/lambda/<name>). */
  readonly logs: LogsStore;
  /** The event the handler receives, as JSON text. */
  readonly input: string;
  /** What invoked it, for messages: `rule orders-to-fn`, `SNS topic arn:...`. */
  readonly trigger: string;
  /** Records the invocation as undelivered, saying why (the function could not be started here). */
  readonly undelivered?: (reason: string) => void;
  /** When EventBridge invoked it: the rule and target, whose RetryPolicy and DeadLetterConfig apply to delivery. */
  readonly eventBridge?: {
    readonly ruleArn: string;
    readonly targetArn: string;
    readonly retryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
    readonly deadLetterArn?: string;
  };
}

interface QueuedRun {
  readonly delivery: LambdaDelivery;
  /** When Lambda accepted the event (for MaximumEventAgeInSeconds). */
  readonly acceptedAt: number;
  /** Runs so far (the first is not a retry). */
  attempts: number;
  readonly requestId: string;
}

interface FunctionState {
  readonly queue: QueuedRun[];
  running: number;
  /** Log streams of the "execution environments", reused as in Lambda; undefined while one is busy. */
  readonly idleStreams: string[];
  streamCount: number;
}

const DEFAULT_LAMBDA_RETRIES = 2;
const DEFAULT_LAMBDA_MAX_AGE_S = 21_600;
const DEFAULT_EVENTBRIDGE_RETRIES = 185;
const DEFAULT_EVENTBRIDGE_MAX_AGE_S = 86_400;
const MAX_DELIVERY_BACKOFF_MS = 30_000;

export class LambdaInvoker {
  private readonly states = new Map<string, FunctionState>();
  private readonly running = new Set<RunningHandler>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly announced = new Set<string>();
  private workDir: Promise<string> | undefined;
  private python: Promise<string | Error> | undefined;
  private readonly inlineDirs = new Map<string, Promise<string>>();
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: LambdaInvokerOptions) {
    this.now = options.now ?? Date.now;
  }

  get runsFunctions(): boolean {
    return this.options.runFunctions;
  }

  /** Why this delivery will not run a handler here (not allowed, not runnable), or undefined when it will. */
  whyNotRun(fn: LambdaFunction): string | undefined {
    if (!this.options.runFunctions)
      return 'running functions is off (the workspace is not trusted, or local-bus was started without --run-functions)';
    const why = whyNotRunnable(fn);
    if (why) return `function ${fn.name} cannot run locally: ${why}`;
    if (fn.reservedConcurrency === 0) return `function ${fn.name} has ReservedConcurrentExecutions 0, so it never runs`;
    if (fn.code.kind === 'directory' && !isDirectory(fn.code.path))
      return `function ${fn.name} cannot run locally: its code folder ${fn.code.path} does not exist`;
    return undefined;
  }

  /** Hands an event to the function, as EventBridge does: returns at once; the run happens later. */
  deliver(delivery: LambdaDelivery, acceptedAt = this.now(), attempt = 0): void {
    if (this.closed) return;
    const state = this.stateOf(delivery.fn);
    if (state.queue.length + state.running >= (this.options.maxQueuedPerFunction ?? 100)) {
      this.deliveryFailed(
        delivery,
        acceptedAt,
        attempt,
        'THROTTLING',
        `Too many events are waiting for function ${delivery.fn.name}.`,
      );
      return;
    }
    state.queue.push({ delivery, acceptedAt, attempts: 0, requestId: randomUUID() });
    this.pump(delivery.fn);
  }

  /** Kills running handlers, drops waiting events and pending retries, removes temporary code. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const run of this.running) run.kill();
    await Promise.all([...this.running].map((r) => r.outcome));
    this.states.clear();
    const dir = await this.workDir?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }

  /** Handlers running now. */
  get activeRuns(): number {
    return this.running.size;
  }

  private stateOf(fn: LambdaFunction): FunctionState {
    let state = this.states.get(fn.arn);
    if (!state) {
      state = { queue: [], running: 0, idleStreams: [], streamCount: 0 };
      this.states.set(fn.arn, state);
    }
    return state;
  }

  private concurrencyOf(fn: LambdaFunction): number {
    const max = this.options.maxConcurrencyPerFunction ?? 4;
    return fn.reservedConcurrency === undefined ? max : Math.max(1, Math.min(max, fn.reservedConcurrency));
  }

  private pump(fn: LambdaFunction): void {
    const state = this.stateOf(fn);
    while (!this.closed && state.running < this.concurrencyOf(fn) && state.queue.length > 0) {
      const run = state.queue.shift()!;
      state.running++;
      void this.execute(run, state)
        .catch((e: unknown) =>
          this.warn(
            `function ${fn.name} failed in the local bus: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
          ),
        )
        .finally(() => {
          state.running--;
          this.pump(fn);
        });
    }
  }

  private async execute(run: QueuedRun, state: FunctionState): Promise<void> {
    const { fn, logs } = run.delivery;
    run.attempts++;
    const kind = runtimeKind(fn.runtime) as Runtime;
    const stream = state.idleStreams.pop() ?? this.newStreamName(state);
    const groupName = functionLogGroup(fn.name);
    let unwritable = false;
    // Called from the child's output handlers: a log that cannot take more (its limits) is said once, never thrown.
    const write = (entries: { timestamp: number; message: string }[]): void => {
      if (entries.length === 0 || unwritable) return;
      try {
        const group = logs.groups.get(groupName) ?? logs.createGroup(groupName);
        const s = group.streams.get(stream) ?? logs.createStream(group, stream);
        logs.append(group, s, entries);
      } catch (e) {
        unwritable = true;
        this.warn(
          `function ${fn.name}: its output cannot be written to ${groupName}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    };
    let outcome: RunOutcome;
    let prepared: Awaited<ReturnType<LambdaInvoker['prepare']>>;
    try {
      prepared = await this.prepare(fn, kind);
    } catch (e) {
      // Nothing of the function ran (no interpreter, say): retrying would not help.
      state.idleStreams.push(stream);
      const why = `function ${fn.name} could not be started: ${e instanceof Error ? e.message : String(e)}`;
      this.warn(`${run.delivery.trigger}: ${why}`);
      run.delivery.undelivered?.(why);
      return;
    }
    if (this.closed) return;
    this.announce(fn, run.delivery.trigger, prepared.taskRoot);
    write([{ timestamp: this.now(), message: `START RequestId: ${run.requestId} Version: $LATEST` }]);
    const handle = runHandler({
      kind,
      executable: prepared.executable,
      bootstrapPath: prepared.bootstrap,
      taskRoot: prepared.taskRoot,
      handler: fn.handler!,
      event: run.delivery.input,
      context: {
        functionName: fn.name,
        invokedFunctionArn: fn.arn,
        memoryLimitInMB: fn.memorySize,
        awsRequestId: run.requestId,
        logGroupName: groupName,
        logStreamName: stream,
      },
      timeoutMs: timeoutSecondsOf(fn) * 1000,
      env: this.environment(fn, kind, prepared.taskRoot, stream, logs.region),
      resultPath: join(prepared.workDir, `result-${run.requestId}.json`),
      onLog: (entry) => write([entry]),
    });
    this.running.add(handle);
    try {
      outcome = await handle.outcome;
    } finally {
      this.running.delete(handle);
    }
    if (this.closed) return;
    state.idleStreams.push(stream);
    write(this.closingLines(run, fn, outcome, kind));
    if (outcome.status !== 'success') this.runFailed(run, outcome);
  }

  /** What Lambda writes after the handler's own lines: the error, END, REPORT, and the timeout notice. */
  private closingLines(
    run: QueuedRun,
    fn: LambdaFunction,
    outcome: RunOutcome,
    kind: Runtime,
  ): { timestamp: number; message: string }[] {
    const now = this.now();
    const at = (message: string): { timestamp: number; message: string } => ({ timestamp: now, message });
    const lines: { timestamp: number; message: string }[] = [];
    if (outcome.status === 'error') {
      const e = outcome.error;
      if (kind === 'nodejs') {
        const json = JSON.stringify({ errorType: e.errorType, errorMessage: e.errorMessage, stack: e.trace });
        lines.push(
          at(`${new Date(now).toISOString()}\t${run.requestId}\tERROR\t${e.label ?? 'Invoke Error'} \t${json}`),
        );
      } else {
        const trace = e.trace.length > 0 ? `\nTraceback (most recent call last):\n${e.trace.join('')}` : '';
        lines.push(at(`[ERROR] ${e.errorType}: ${e.errorMessage}${trace.replace(/\n$/, '')}`));
      }
    } else if (outcome.status === 'crash') {
      lines.push(at(`${new Date(now).toISOString()}\t${run.requestId}\tERROR\tRuntime.ExitError: ${outcome.reason}`));
    }
    lines.push(at(`END RequestId: ${run.requestId}`));
    const duration = outcome.durationMs;
    const memory = 'maxMemoryMb' in outcome && outcome.maxMemoryMb !== undefined ? outcome.maxMemoryMb : undefined;
    lines.push(
      at(
        `REPORT RequestId: ${run.requestId}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(duration))} ms\tMemory Size: ${fn.memorySize} MB\tMax Memory Used: ${memory ?? 0} MB\t${outcome.status === 'timeout' ? 'Status: timeout' : ''}`.trimEnd(),
      ),
    );
    if (outcome.status === 'timeout')
      lines.push(
        at(
          `${new Date(now).toISOString()} ${run.requestId} Task timed out after ${timeoutSecondsOf(fn).toFixed(2)} seconds`,
        ),
      );
    return lines;
  }

  /** Lambda's asynchronous retries, then the function's dead-letter queue. */
  private runFailed(run: QueuedRun, outcome: RunOutcome): void {
    const { fn } = run.delivery;
    const maxRetries = Math.max(0, Math.min(2, fn.maximumRetryAttempts ?? DEFAULT_LAMBDA_RETRIES));
    const maxAgeMs = (fn.maximumEventAgeSeconds ?? DEFAULT_LAMBDA_MAX_AGE_S) * 1000;
    const delays = this.options.functionRetryDelaysMs ?? [1000, 2000];
    const delay = delays[Math.min(run.attempts - 1, delays.length - 1)] ?? 0;
    if (run.attempts <= maxRetries && this.now() + delay - run.acceptedAt <= maxAgeMs) {
      this.later(delay, () => {
        const state = this.stateOf(fn);
        state.queue.push(run);
        this.pump(fn);
      });
      return;
    }
    const message =
      outcome.status === 'error'
        ? outcome.error.errorMessage
        : outcome.status === 'timeout'
          ? `Task timed out after ${timeoutSecondsOf(fn).toFixed(2)} seconds`
          : outcome.status === 'crash'
            ? outcome.reason
            : '';
    if (!fn.deadLetterArn) {
      this.warn(
        `function ${fn.name} failed ${run.attempts} time(s) for ${run.delivery.trigger}; the event is dropped (the function has no DeadLetterConfig): ${message}`,
      );
      return;
    }
    // Lambda's dead letters: the event as the body, and why in three attributes.
    this.sendDeadLetter(
      fn.deadLetterArn,
      run.delivery.input,
      {
        RequestID: { DataType: 'String', StringValue: run.requestId },
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: { DataType: 'String', StringValue: message.slice(0, 1024) || 'Unhandled' },
      },
      `function ${fn.name}`,
    );
  }

  /** EventBridge could not hand the event over: its RetryPolicy (bounded here), then the target's DLQ. */
  private deliveryFailed(
    delivery: LambdaDelivery,
    acceptedAt: number,
    attempt: number,
    code: string,
    message: string,
  ): void {
    const eb = delivery.eventBridge;
    const policy = eb?.retryPolicy ?? {};
    // SNS's own retry policy for a Lambda subscription is not modelled: it gets the local cap.
    const retries = Math.min(
      numberOr(policy.MaximumRetryAttempts, DEFAULT_EVENTBRIDGE_RETRIES),
      this.options.maxDeliveryRetries ?? 10,
    );
    const maxAgeMs = numberOr(policy.MaximumEventAgeInSeconds, DEFAULT_EVENTBRIDGE_MAX_AGE_S) * 1000;
    const delay = Math.min(MAX_DELIVERY_BACKOFF_MS, (this.options.deliveryRetryBaseMs ?? 1000) * 2 ** attempt);
    if (attempt < retries && this.now() + delay - acceptedAt <= maxAgeMs) {
      this.later(delay, () => this.deliver(delivery, acceptedAt, attempt + 1));
      return;
    }
    const exhausted = attempt >= retries ? 'MaximumRetryAttempts' : 'MaximumEventAgeInSeconds';
    if (!eb?.deadLetterArn) {
      this.warn(
        `${delivery.trigger}: the event was not delivered to function ${delivery.fn.name} after ${attempt + 1} attempt(s) and is dropped (${eb ? 'the target has no DeadLetterConfig' : 'there is no dead-letter queue'}): ${message}`,
      );
      return;
    }
    this.sendDeadLetter(
      eb.deadLetterArn,
      delivery.input,
      {
        RULE_ARN: { DataType: 'String', StringValue: eb.ruleArn },
        TARGET_ARN: { DataType: 'String', StringValue: eb.targetArn },
        ERROR_CODE: { DataType: 'String', StringValue: code },
        ERROR_MESSAGE: { DataType: 'String', StringValue: message },
        EXHAUSTED_RETRY_CONDITION: { DataType: 'String', StringValue: exhausted },
        RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(attempt) },
      },
      delivery.trigger,
    );
  }

  private sendDeadLetter(
    queueArn: string,
    body: string,
    attributes: Record<string, QueueMessageAttribute>,
    who: string,
  ): void {
    if (!this.options.sendToQueue) {
      this.warn(`${who}: the dead-letter queue ${queueArn} cannot be written: this local bus has no queues`);
      return;
    }
    try {
      this.options.sendToQueue(queueArn, body, attributes);
    } catch (e) {
      this.warn(
        `${who}: the event could not be sent to the dead-letter queue ${queueArn}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  private later(ms: number, action: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) action();
    }, ms);
    this.timers.add(timer);
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }

  private announce(fn: LambdaFunction, trigger: string, codePath: string): void {
    const key = `${fn.arn}\n${fn.handler ?? ''}\n${codePath}`;
    if (this.announced.has(key)) return;
    this.announced.add(key);
    this.options.onFirstRun?.({
      functionName: fn.name,
      handler: fn.handler ?? '',
      runtime: fn.runtime ?? '',
      trigger,
      codePath,
      message: `Running handler ${fn.handler ?? '?'} of function ${fn.name} (${fn.runtime ?? '?'}) for ${trigger}, from ${fn.code.kind === 'inline' ? 'its inline code' : codePath}`,
    });
  }

  /** `YYYY/MM/DD/[$LATEST]<32 hex>`, as Lambda names an execution environment's stream. */
  private newStreamName(state: FunctionState): string {
    state.streamCount++;
    const d = new Date(this.now());
    const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
    return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
  }

  /** The process's environment: the function's variables, then Lambda's own, and nothing of the bus's secrets. */
  private environment(
    fn: LambdaFunction,
    kind: Runtime,
    taskRoot: string,
    stream: string,
    region: string,
  ): Record<string, string> {
    const env: Record<string, string> = { ...fn.environment };
    // What a process needs from the machine to start (PATH to find programs; Windows' system folders).
    for (const name of ['PATH', 'Path', 'SYSTEMROOT', 'SystemRoot', 'WINDIR', 'TEMP', 'TMP', 'PATHEXT', 'COMSPEC'])
      if (process.env[name] !== undefined) env[name] = process.env[name]!;
    if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
    if (kind === 'python') {
      env.PYTHONUNBUFFERED = '1';
      // Running the workspace's code must not leave __pycache__ folders in it.
      env.PYTHONDONTWRITEBYTECODE = '1';
    }
    Object.assign(env, {
      LANG: 'en_US.UTF-8',
      ...(process.platform === 'win32' ? {} : { TZ: ':UTC' }),
      _HANDLER: fn.handler ?? '',
      LAMBDA_TASK_ROOT: taskRoot,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime ?? ''}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: functionLogGroup(fn.name),
      AWS_LAMBDA_LOG_STREAM_NAME: stream,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      // Credentials of no one: a handler's SDK calls go to the local bus (AWS_ENDPOINT_URL), never to AWS with the
      // user's credentials, and no profile file is read.
      AWS_ACCESS_KEY_ID: 'AKIALOCALBUSFUNCTION',
      AWS_SECRET_ACCESS_KEY: 'local-bus-function-secret',
      AWS_SESSION_TOKEN: 'local-bus-function-session',
      AWS_CONFIG_FILE: join(taskRoot, '.local-bus-no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(taskRoot, '.local-bus-no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const endpoint = this.options.endpointUrl?.();
    if (endpoint) env.AWS_ENDPOINT_URL = endpoint;
    return env;
  }

  private async prepare(
    fn: LambdaFunction,
    kind: Runtime,
  ): Promise<{ executable: string; bootstrap: string; taskRoot: string; workDir: string }> {
    const workDir = await this.workDirectory();
    const bootstrap = join(workDir, kind === 'nodejs' ? 'bootstrap.cjs' : 'bootstrap.py');
    let executable: string;
    if (kind === 'nodejs') executable = process.execPath;
    else {
      const python = await this.pythonExecutable();
      if (python instanceof Error) throw python;
      executable = python;
    }
    let taskRoot: string;
    if (fn.code.kind === 'inline') taskRoot = await this.inlineCode(fn, kind, fn.code.text, workDir);
    else if (fn.code.kind === 'directory') taskRoot = fn.code.path;
    else throw new Error(fn.code.reason);
    if (!parseHandler(kind, fn.handler ?? '')) throw new Error(`Handler ${fn.handler ?? ''} is not valid`);
    return { executable, bootstrap, taskRoot, workDir };
  }

  private workDirectory(): Promise<string> {
    this.workDir ??= (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'eventbridge-local-bus-'));
      await writeFile(join(dir, 'bootstrap.cjs'), NODE_BOOTSTRAP);
      await writeFile(join(dir, 'bootstrap.py'), PYTHON_BOOTSTRAP);
      return dir;
    })();
    return this.workDir;
  }

  /** Inline code (ZipFile / InlineCode) in a folder of its own, as `index.js` or `index.py` as Lambda stores it. */
  private inlineCode(fn: LambdaFunction, kind: Runtime, text: string, workDir: string): Promise<string> {
    const hash = createHash('sha256').update(`${fn.arn}\n${kind}\n${text}`).digest('hex').slice(0, 16);
    let dir = this.inlineDirs.get(hash);
    if (!dir) {
      dir = (async () => {
        const path = join(workDir, `inline-${hash}`);
        await mkdir(path, { recursive: true });
        await writeFile(join(path, kind === 'nodejs' ? 'index.js' : 'index.py'), text);
        return path;
      })();
      this.inlineDirs.set(hash, dir);
    }
    return dir;
  }

  /** The real interpreter behind `python3` (resolved with the bus's own environment, as pyenv shims need it). */
  private pythonExecutable(): Promise<string | Error> {
    this.python ??= (async () => {
      const candidates = this.options.pythonExecutable
        ? [this.options.pythonExecutable]
        : process.platform === 'win32'
          ? ['python3', 'python']
          : ['python3'];
      for (const candidate of candidates) {
        const found = await new Promise<string | undefined>((resolve) => {
          execFile(
            candidate,
            ['-c', 'import sys; print(sys.executable if sys.version_info[0] == 3 else "")'],
            { timeout: 10_000, windowsHide: true },
            (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined),
          );
        });
        if (found && existsSync(found)) return found;
      }
      return new Error(`no Python 3 interpreter was found (${candidates.join(', ')} on PATH)`);
    })();
    return this.python;
  }
}

/** Lambda's bounds: 1 s to 15 minutes. */
function timeoutSecondsOf(fn: LambdaFunction): number {
  return Math.min(900, Math.max(1, fn.timeoutSeconds));
}

function numberOr(value: unknown, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
