// Lambda functions as the local bus knows them: read from templates (AWS::Lambda::Function and
// AWS::Serverless::Function), kept per region by name, and run by lambdaInvoker.ts when a rule targets them.

/** Where a function's code is: inline text (ZipFile / InlineCode), a folder on disk, or somewhere the bus cannot run. */
export type FunctionCode =
  | { readonly kind: 'inline'; readonly text: string }
  | { readonly kind: 'directory'; readonly path: string }
  | { readonly kind: 'unsupported'; readonly reason: string };

export interface LambdaFunction {
  readonly name: string;
  readonly arn: string;
  /** `nodejs20.x`, `python3.12`, ...; undefined when the template gives none (it cannot run then). */
  readonly runtime?: string;
  /** `index.handler`, `src/app.lambda_handler`, ... */
  readonly handler?: string;
  readonly code: FunctionCode;
  /** The function's own variables (Lambda's reserved ones are set by the invoker and win). */
  readonly environment: Readonly<Record<string, string>>;
  /** Default 3, as Lambda's. */
  readonly timeoutSeconds: number;
  /** Reported in the REPORT line only; not enforced. Default 128. */
  readonly memorySize: number;
  /** Asynchronous invocation: retries after a function error (0 to 2, default 2). */
  readonly maximumRetryAttempts?: number;
  /** Asynchronous invocation: how old an event may get before it is given up (60 to 21600 s, default 21600). */
  readonly maximumEventAgeSeconds?: number;
  /** The function's `DeadLetterConfig.TargetArn`: where an event goes once its retries are spent. */
  readonly deadLetterArn?: string;
  /** `ReservedConcurrentExecutions`: at most this many runs at once (0 turns the function off, as in Lambda). */
  readonly reservedConcurrency?: number;
  /** Where it was declared, for messages: `template.yaml: ProcessUpload`. */
  readonly declaredIn: string;
}

export type Runtime = 'nodejs' | 'python';

/** The language of a runtime identifier the local bus can run, or undefined. */
export function runtimeKind(runtime: string | undefined): Runtime | undefined {
  if (runtime === undefined) return undefined;
  if (/^nodejs\d+\.x$/.test(runtime)) return 'nodejs';
  if (/^python3\.\d+$/.test(runtime)) return 'python';
  return undefined;
}

/**
 * The module and the function a handler string names, as each runtime reads it. Node.js: `dir/file.fn` (the file
 * name ends at its first dot, the rest is a property path). Python: `dir/pkg.module.fn` (the function follows the last
 * dot, slashes are package separators). Undefined when the string names no function.
 */
export function parseHandler(
  kind: Runtime,
  handler: string,
): { readonly module: string; readonly functionPath: string } | undefined {
  if (kind === 'nodejs') {
    const slash = handler.lastIndexOf('/');
    const dir = handler.slice(0, slash + 1);
    const base = handler.slice(slash + 1);
    const dot = base.indexOf('.');
    if (dot <= 0 || dot === base.length - 1) return undefined;
    return { module: dir + base.slice(0, dot), functionPath: base.slice(dot + 1) };
  }
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) return undefined;
  return { module: handler.slice(0, dot).replace(/\//g, '.'), functionPath: handler.slice(dot + 1) };
}

/** Why the local bus cannot run `fn`, or undefined when it can. */
export function whyNotRunnable(fn: LambdaFunction): string | undefined {
  if (fn.code.kind === 'unsupported') return fn.code.reason;
  if (fn.runtime === undefined) return 'it has no Runtime';
  const kind = runtimeKind(fn.runtime);
  if (!kind) return `the local bus runs Node.js and Python functions, not ${fn.runtime}`;
  if (fn.handler === undefined) return 'it has no Handler';
  if (!parseHandler(kind, fn.handler)) return `Handler ${fn.handler} does not name a module and a function`;
  return undefined;
}

/** The functions of one region, by name. */
export class LambdaStore {
  readonly functions = new Map<string, LambdaFunction>();

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  put(fn: LambdaFunction): void {
    this.functions.set(fn.name, fn);
  }

  /** The function a target ARN names (`arn:...:function:NAME`, with `:$LATEST` or an alias tolerated). */
  byArn(targetArn: string): LambdaFunction | undefined {
    const name = functionNameOfArn(targetArn);
    return name === undefined ? undefined : this.functions.get(name);
  }
}

/** `arn:aws:lambda:r:a:function:NAME[:qualifier]` → `NAME`. */
export function functionNameOfArn(targetArn: string): string | undefined {
  const m = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(targetArn);
  return m?.[1];
}

/** The log group Lambda writes a function's output to. */
export function functionLogGroup(name: string): string {
  return `/aws/lambda/${name}`;
}
