// One run of a Lambda handler in a child process, as Lambda's Node.js and Python runtimes run it: the handler loaded
// from the function's folder, called with the event and a Lambda-like context, what it prints collected line by line
// (console.* calls as Lambda formats them), and the outcome: a value, an error as Lambda reports it, or a timeout
// (the process is killed). A process per run: a hung or crashing handler ends with its process, never in the bus.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';

/** How a run ended. Durations in milliseconds. */
export type RunOutcome =
  | { readonly status: 'success'; readonly durationMs: number; readonly maxMemoryMb?: number }
  | {
      readonly status: 'error';
      readonly durationMs: number;
      readonly maxMemoryMb?: number;
      readonly error: HandlerError;
    }
  | { readonly status: 'timeout'; readonly durationMs: number }
  /** The process could not start or died without an answer (the runtime is missing, the handler exited...). */
  | { readonly status: 'crash'; readonly durationMs: number; readonly reason: string };

/** An error as Lambda's runtimes report it (`errorType`, `errorMessage`, and the trace). */
export interface HandlerError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
  /**
   * Node.js: the label Lambda logs before the JSON (`Invoke Error`, `Uncaught Exception`). Python: absent (the error
   * is logged as `[ERROR] Type: message` with the traceback).
   */
  readonly label?: string;
}

export interface RunRequest {
  readonly kind: 'nodejs' | 'python';
  /** The program: Node.js (the bus's own executable) or a Python 3 interpreter. */
  readonly executable: string;
  /** The bootstrap script written by `writeBootstrap`. */
  readonly bootstrapPath: string;
  /** The folder holding the function's code (LAMBDA_TASK_ROOT, the working directory). */
  readonly taskRoot: string;
  readonly handler: string;
  /** The event, as JSON text. */
  readonly event: string;
  readonly context: {
    readonly functionName: string;
    readonly invokedFunctionArn: string;
    readonly memoryLimitInMB: number;
    readonly awsRequestId: string;
    readonly logGroupName: string;
    readonly logStreamName: string;
  };
  readonly timeoutMs: number;
  /** The whole environment of the process (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  /** Python: where the bootstrap writes the outcome. */
  readonly resultPath: string;
  /** Each log event the run produces, in order. */
  readonly onLog: (entry: { timestamp: number; message: string }) => void;
}

export interface RunningHandler {
  readonly outcome: Promise<RunOutcome>;
  /** Ends the run now (the bus is closing). */
  kill(): void;
}

/** The most output kept from one line, so a handler printing without newlines cannot grow the bus without bound. */
const MAX_LINE_CHARS = 256 * 1024;
/** The most log events kept from one run: a handler printing in a loop until its timeout cannot flood the bus. */
export const MAX_LOG_EVENTS_PER_RUN = 10_000;

export function runHandler(given: RunRequest): RunningHandler {
  let logged = 0;
  const request: RunRequest = {
    ...given,
    onLog: (entry) => {
      logged++;
      if (logged <= MAX_LOG_EVENTS_PER_RUN) given.onLog(entry);
      else if (logged === MAX_LOG_EVENTS_PER_RUN + 1)
        given.onLog({
          timestamp: entry.timestamp,
          message: `(the local bus keeps ${MAX_LOG_EVENTS_PER_RUN} log events of a run; the rest of this run's output is dropped)`,
        });
    },
  };
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  let child: ChildProcess;
  try {
    child = spawn(request.executable, [request.bootstrapPath, request.resultPath], {
      cwd: request.taskRoot,
      env: request.env,
      stdio: request.kind === 'nodejs' ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (e) {
    return {
      outcome: Promise.resolve({
        status: 'crash',
        durationMs: elapsed(),
        reason: e instanceof Error ? e.message : String(e),
      }),
      kill: () => undefined,
    };
  }
  const lines = [lineSplitter(request.onLog), lineSplitter(request.onLog)];
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => lines[0].push(chunk));
  child.stderr?.on('data', (chunk: string) => lines[1].push(chunk));

  let answer: { ok: boolean; error?: HandlerError; maxMemoryMb?: number } | undefined;
  let timedOut = false;
  let killed = false;
  let spawnError: string | undefined;
  const payload = { ...request.context, handler: request.handler, taskRoot: request.taskRoot, event: request.event };
  const deadline = Date.now() + request.timeoutMs;
  if (request.kind === 'nodejs') {
    child.on('message', (message: unknown) => {
      const m = message as { type?: unknown; level?: unknown; text?: unknown; time?: unknown; requestId?: unknown };
      if (m?.type === 'log' && typeof m.text === 'string') {
        const time = typeof m.time === 'number' ? m.time : Date.now();
        request.onLog({
          timestamp: time,
          message: `${new Date(time).toISOString()}\t${String(m.requestId)}\t${String(m.level)}\t${m.text}`,
        });
      } else if (m?.type === 'result') {
        answer = message as typeof answer;
        // Lambda freezes the process once the handler has answered; here it ends.
        child.kill('SIGKILL');
      }
    });
    child.send({ type: 'invoke', deadline, ...payload }, () => undefined);
  } else {
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(JSON.stringify({ deadline, ...payload }));
  }
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, request.timeoutMs);

  const outcome = new Promise<RunOutcome>((resolve) => {
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const l of lines) l.end();
      const durationMs = timedOut ? request.timeoutMs : elapsed();
      void (async (): Promise<RunOutcome> => {
        if (request.kind === 'python' && !timedOut && !killed) answer = await readPythonResult(request.resultPath);
        if (request.kind === 'python') await rm(request.resultPath, { force: true }).catch(() => undefined);
        if (timedOut && !answer) return { status: 'timeout', durationMs };
        if (answer?.ok) return { status: 'success', durationMs, ...memory(answer.maxMemoryMb) };
        if (answer?.error) return { status: 'error', durationMs, error: answer.error, ...memory(answer.maxMemoryMb) };
        const reason = killed
          ? 'the local bus stopped'
          : spawnError !== undefined
            ? `${request.executable} could not be started: ${spawnError}`
            : `the process exited (${signal ? `signal ${signal}` : `exit code ${String(code)}`}) before the handler answered`;
        return { status: 'crash', durationMs, reason };
      })().then(resolve);
    });
  });
  return {
    outcome,
    kill: () => {
      killed = true;
      child.kill('SIGKILL');
    },
  };
}

function memory(mb: number | undefined): { maxMemoryMb?: number } {
  return mb !== undefined && Number.isFinite(mb) ? { maxMemoryMb: Math.ceil(mb) } : {};
}

async function readPythonResult(
  path: string,
): Promise<{ ok: boolean; error?: HandlerError; maxMemoryMb?: number } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as {
      ok?: unknown;
      error?: { errorType?: unknown; errorMessage?: unknown; trace?: unknown };
      maxMemoryMb?: unknown;
    };
    const mb = typeof parsed.maxMemoryMb === 'number' ? parsed.maxMemoryMb : undefined;
    if (parsed.ok === true) return { ok: true, ...(mb !== undefined ? { maxMemoryMb: mb } : {}) };
    const e = parsed.error ?? {};
    return {
      ok: false,
      error: {
        errorType: typeof e.errorType === 'string' ? e.errorType : 'Error',
        errorMessage: typeof e.errorMessage === 'string' ? e.errorMessage : '',
        trace: Array.isArray(e.trace) ? e.trace.map(String) : [],
      },
      ...(mb !== undefined ? { maxMemoryMb: mb } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Output as log events: one per line; a `\r` inside a line (how the runtimes keep a multi-line message in one event)
 * becomes a newline again.
 */
function lineSplitter(onLog: RunRequest['onLog']): { push(chunk: string): void; end(): void } {
  let pending = '';
  const emit = (line: string): void => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    onLog({ timestamp: Date.now(), message: text.replace(/\r/g, '\n') });
  };
  return {
    push(chunk) {
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        emit(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
      if (pending.length > MAX_LINE_CHARS) {
        emit(pending);
        pending = '';
      }
    },
    end() {
      if (pending !== '') emit(pending);
      pending = '';
    },
  };
}

/**
 * The Node.js bootstrap: receives the invocation over IPC, loads the handler (CommonJS, or ESM for `.mjs` and
 * `"type": "module"`), calls it async- or callback-style, and sends console output and the outcome back over IPC.
 */
export const NODE_BOOTSTRAP = String.raw`'use strict';
const path = require('node:path');
const fs = require('node:fs');
const util = require('node:util');
const { pathToFileURL } = require('node:url');
let requestId = 'undefined';
const send = (m) => { try { process.send(m); } catch { /* the bus went away */ } };
const LEVELS = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
for (const [method, level] of Object.entries(LEVELS)) {
  console[method] = (...args) => send({ type: 'log', time: Date.now(), level, requestId, text: util.format(...args) });
}
function toError(e) {
  if (e instanceof Error) {
    return { errorType: e.name === 'Error' && e.constructor && e.constructor.name !== 'Error' ? e.constructor.name : e.name, errorMessage: e.message, trace: String(e.stack || '').split('\n') };
  }
  if (e === null || e === undefined) return { errorType: 'Error', errorMessage: String(e), trace: [] };
  return { errorType: typeof e, errorMessage: typeof e === 'string' ? e : util.inspect(e), trace: [] };
}
let done = false;
function finish(error, label) {
  if (done) return;
  done = true;
  const maxMemoryMb = process.memoryUsage().rss / (1024 * 1024);
  send(error ? { type: 'result', ok: false, error: Object.assign(toError(error), { label }), maxMemoryMb } : { type: 'result', ok: true, maxMemoryMb });
}
function failWith(errorType, errorMessage, label) {
  const e = new Error(errorMessage);
  e.name = errorType;
  finish(e, label);
}
process.on('uncaughtException', (e) => finish(e, 'Uncaught Exception'));
process.on('unhandledRejection', (reason) => failWith('Runtime.UnhandledPromiseRejection', String(reason instanceof Error ? reason.stack : reason), 'Unhandled Promise Rejection'));
async function load(taskRoot, handler) {
  const slash = handler.lastIndexOf('/');
  const base = handler.slice(slash + 1);
  const dot = base.indexOf('.');
  const moduleName = handler.slice(0, slash + 1) + base.slice(0, dot);
  const functionPath = base.slice(dot + 1).split('.');
  const stem = path.resolve(taskRoot, moduleName);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => stem + ext).find((f) => fs.existsSync(f));
  if (!file) {
    failWith('Runtime.ImportModuleError', "Error: Cannot find module '" + moduleName + "'", 'Uncaught Exception');
    return undefined;
  }
  let mod;
  try {
    if (file.endsWith('.mjs')) mod = await import(pathToFileURL(file).href);
    else {
      try {
        mod = require(file);
      } catch (e) {
        if (e && (e.code === 'ERR_REQUIRE_ESM' || e.code === 'ERR_REQUIRE_ASYNC_MODULE')) mod = await import(pathToFileURL(file).href);
        else throw e;
      }
    }
  } catch (e) {
    if (e instanceof SyntaxError) failWith('Runtime.UserCodeSyntaxError', String(e.stack || e), 'Uncaught Exception');
    else finish(e, 'Uncaught Exception');
    return undefined;
  }
  let fn = mod;
  for (const part of functionPath) fn = fn == null ? undefined : fn[part];
  if (typeof fn !== 'function' && mod && mod.default) {
    fn = mod.default;
    for (const part of functionPath) fn = fn == null ? undefined : fn[part];
  }
  if (typeof fn !== 'function') {
    failWith('Runtime.HandlerNotFound', moduleName + '.' + functionPath.join('.') + ' is undefined or not exported', 'Invoke Error');
    return undefined;
  }
  return fn;
}
// A listener that stays keeps the IPC channel referenced, so the process lives on, as in Lambda, while a handler
// waits on a promise that never settles (until the timeout kills it).
let invoked = false;
process.on('message', async (m) => {
  if (invoked || !m || m.type !== 'invoke') return;
  invoked = true;
  const fn = await load(m.taskRoot, m.handler);
  if (!fn) return;
  requestId = m.awsRequestId;
  const context = {
    functionName: m.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: m.invokedFunctionArn,
    memoryLimitInMB: String(m.memoryLimitInMB),
    awsRequestId: m.awsRequestId,
    logGroupName: m.logGroupName,
    logStreamName: m.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, m.deadline - Date.now()),
    done: (error) => finish(error, 'Invoke Error'),
    succeed: () => finish(undefined),
    fail: (error) => finish(error || new Error('handled'), 'Invoke Error'),
  };
  let event;
  try {
    event = JSON.parse(m.event);
  } catch {
    event = m.event;
  }
  const callback = (error) => finish(error == null ? undefined : error, 'Invoke Error');
  try {
    const returned = fn(event, context, callback);
    if (returned && typeof returned.then === 'function') returned.then(() => finish(undefined), (e) => finish(e, 'Invoke Error'));
    else if (fn.length < 3) finish(undefined);
  } catch (e) {
    finish(e, 'Invoke Error');
  }
});
`;

/**
 * The Python bootstrap: reads the invocation from stdin, imports the handler's module from the task root, calls it
 * with the event and a context object, and writes the outcome to the file named by its argument. `logging` writes as
 * Lambda's Python runtime does (`[LEVEL]\ttime\trequestId\tmessage`).
 */
export const PYTHON_BOOTSTRAP = String.raw`import importlib, json, logging, os, sys, time, traceback

def main():
    result_path = sys.argv[1]
    m = json.loads(sys.stdin.read())
    sys.stdin = open(os.devnull)
    task_root = m['taskRoot']
    sys.path.insert(0, task_root)
    request_id = m['awsRequestId']

    class LambdaFormatter(logging.Formatter):
        def format(self, record):
            record.aws_request_id = request_id
            text = super().format(record)
            return text.replace('\r\n', '\r').replace('\n', '\r')

    handler = logging.StreamHandler(sys.stdout)
    fmt = LambdaFormatter('[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s', '%Y-%m-%dT%H:%M:%S')
    fmt.converter = time.gmtime
    handler.setFormatter(fmt)
    root = logging.getLogger()
    root.handlers = [handler]

    class Context:
        function_name = m['functionName']
        function_version = '$LATEST'
        invoked_function_arn = m['invokedFunctionArn']
        memory_limit_in_mb = str(m['memoryLimitInMB'])
        aws_request_id = request_id
        log_group_name = m['logGroupName']
        log_stream_name = m['logStreamName']
        identity = None
        client_context = None

        def get_remaining_time_in_millis(self):
            return max(0, int(m['deadline'] - time.time() * 1000))

    def max_memory():
        try:
            import resource
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            return rss / 1024.0 if sys.platform != 'darwin' else rss / (1024.0 * 1024.0)
        except Exception:
            return None

    def write(result):
        sys.stdout.flush()
        sys.stderr.flush()
        result['maxMemoryMb'] = max_memory()
        with open(result_path, 'w') as f:
            json.dump(result, f)

    def fail(error_type, message, trace):
        write({'ok': False, 'error': {'errorType': error_type, 'errorMessage': message, 'trace': trace}})

    module_name, _, function_name = m['handler'].rpartition('.')
    module_name = module_name.replace('/', '.')
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as e:
        fail('Runtime.UserCodeSyntaxError', 'Syntax error in module \'%s\': %s' % (module_name, e), [])
        return
    except Exception as e:
        fail('Runtime.ImportModuleError', 'Unable to import module \'%s\': %s' % (module_name, e), [])
        return
    fn = getattr(module, function_name, None)
    if not callable(fn):
        fail('Runtime.HandlerNotFound', 'Handler \'%s\' missing on module \'%s\'' % (function_name, module_name), [])
        return
    try:
        event = json.loads(m['event'])
    except ValueError:
        event = m['event']
    try:
        fn(event, Context())
    except Exception as e:
        tb = traceback.extract_tb(e.__traceback__)[1:]
        fail(type(e).__name__, str(e), traceback.format_list(tb))
        return
    write({'ok': True})

main()
sys.stdout.flush()
sys.stderr.flush()
os._exit(0)
`;
