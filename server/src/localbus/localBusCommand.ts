// `local-bus --port <port> [--template <file>]... [--region r] [--account a]`: runs the local bus until SIGINT or
// SIGTERM. Prints `listening on http://127.0.0.1:<port>` (the real port) once requests can be sent. With `--ipc`, it is
// the child of the editor extension and talks to it over IPC (hostedLocalBus.ts) until told to stop.
import { readFile } from 'node:fs/promises';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './awsJsonProtocol';
import { startLocalBus } from './localBusServer';
import { TemplateParseError, loadTemplate } from './templateLoader';
import { FAULT_KINDS, parseFaultSpec, type FaultRule } from './faults';
import { ParameterValuesError, readParameterValues, unknownParameterWarnings } from '../cfn/parameterValues';
import { LOCAL_BUS_IPC_FLAG, LOCAL_BUS_RUN_FUNCTIONS_FLAG } from '../../../shared';
import { acceptedEventReporter, processChannel, serveParent, type ParentChannel } from './hostedLocalBus';

export interface LocalBusCommandIo {
  readonly stdout?: (line: string) => void;
  readonly stderr?: (line: string) => void;
  /** Stops the bus like a signal does (for tests and embedding). */
  readonly signal?: AbortSignal;
  /** The parent to serve with `--ipc` (default: this process's IPC channel). */
  readonly parent?: ParentChannel;
}

export const LOCAL_BUS_USAGE =
  'usage: local-bus --port <port> [--template <file>]... [--region <region>] [--account <12 digits>]\n' +
  `                 [${LOCAL_BUS_RUN_FUNCTIONS_FLAG}]   (run the handlers of Lambda targets: the templates' own code)\n` +
  "                 [--parameter <Key=Value>]... [--parameters <file>]...   (values for the templates' Parameters)\n" +
  `                 [--fault <kind>[:<operation>[:<times>]]]...   (kinds: ${FAULT_KINDS.join(', ')})\n` +
  '\n' +
  'Serves EventBridge and CloudWatch Logs (AWS JSON 1.1) and SQS (AWS JSON 1.0: CreateQueue, GetQueueUrl, ListQueues,\n' +
  'GetQueueAttributes, SetQueueAttributes, DeleteQueue, PurgeQueue, SendMessage(Batch), ReceiveMessage,\n' +
  'DeleteMessage(Batch), ChangeMessageVisibility) and SNS (query protocol: CreateTopic, ListTopics, Subscribe,\n' +
  'Unsubscribe, ListSubscriptionsByTopic, Publish) on 127.0.0.1. Templates give buses, rules, log groups, SQS queues\n' +
  '(queue policies are kept, not enforced) and SNS topics with their sqs / lambda subscriptions. Rule targets:\n' +
  'log groups, queues, topics and other buses are delivered to; targets it cannot run are written to the log group\n' +
  '/eventbridge-patterns/local-bus/undelivered. Enabled rules with a ScheduleExpression on the default bus fire\n' +
  'while it runs (rate from when the rule was loaded or put, cron in UTC). Read a queue with\n' +
  '  aws sqs receive-message --endpoint-url http://127.0.0.1:<port> --queue-url http://127.0.0.1:<port>/<account>/<queue>';

interface LocalBusArgs {
  port: number;
  templates: string[];
  region: string;
  accountId: string;
  faults: FaultRule[];
  parameterFiles: string[];
  parameters: string[];
  ipc: boolean;
  runFunctions: boolean;
}

function parseArgs(argv: readonly string[]): LocalBusArgs | string {
  const args: LocalBusArgs = {
    port: Number.NaN,
    templates: [],
    region: DEFAULT_REGION,
    accountId: DEFAULT_ACCOUNT_ID,
    faults: [],
    parameterFiles: [],
    parameters: [],
    ipc: false,
    runFunctions: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === LOCAL_BUS_IPC_FLAG) {
      args.ipc = true;
      continue;
    }
    if (flag === LOCAL_BUS_RUN_FUNCTIONS_FLAG) {
      args.runFunctions = true;
      continue;
    }
    const [name, inline] = flag.includes('=')
      ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)]
      : [flag, undefined];
    if (!['--port', '--template', '--region', '--account', '--fault', '--parameter', '--parameters'].includes(name))
      return `unknown argument ${flag}`;
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') return `${name} needs a value`;
    if (name === '--port') {
      if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
        return `--port must be a number from 0 to 65535, not ${value}`;
      args.port = Number(value);
    } else if (name === '--template') {
      args.templates.push(value);
    } else if (name === '--parameter') {
      args.parameters.push(value);
    } else if (name === '--parameters') {
      args.parameterFiles.push(value);
    } else if (name === '--fault') {
      try {
        args.faults.push(parseFaultSpec(value));
      } catch (e) {
        return (e as Error).message;
      }
    } else if (name === '--region') {
      if (!/^[a-z]{2}(-[a-z0-9]+){1,4}$/.test(value)) return `--region ${value} is not a region name`;
      args.region = value;
    } else {
      if (!/^\d{12}$/.test(value)) return `--account must be 12 digits, not ${value}`;
      args.accountId = value;
    }
  }
  if (Number.isNaN(args.port)) return '--port is required (0 picks a free port)';
  return args;
}

/** Runs the command; resolves with the exit code once the bus has stopped. */
export async function runLocalBusCommand(argv: string[], io: LocalBusCommandIo = {}): Promise<number> {
  const out = io.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    err(`local-bus: ${args}`);
    err(LOCAL_BUS_USAGE);
    return 2;
  }
  let parameterValues: Map<string, string>;
  try {
    parameterValues = readParameterValues(args.parameterFiles, args.parameters, process.cwd());
  } catch (e) {
    if (!(e instanceof ParameterValuesError)) throw e;
    err(`local-bus: ${e.message}`);
    return 2;
  }
  const parent = args.ipc ? (io.parent ?? processChannel()) : undefined;
  if (args.ipc && !parent) {
    err(`local-bus: ${LOCAL_BUS_IPC_FLAG} needs a parent process with an IPC channel (child_process.fork)`);
    return 2;
  }
  const bus = await startLocalBus({
    port: args.port,
    accountId: args.accountId,
    faults: args.faults,
    runFunctions: args.runFunctions,
    onWarning: (m) => (parent ? parent.send({ type: 'warning', message: m }) : err(`local-bus: ${m}`)),
    // The editor learns the schemas of custom sources from what the bus receives.
    ...(parent ? { onEventAccepted: acceptedEventReporter(parent) } : {}),
    // Running the workspace's code is said once per handler: to the editor, or on stderr.
    onFunctionRun: (n) =>
      parent
        ? parent.send({
            type: 'function-run',
            functionName: n.functionName,
            handler: n.handler,
            runtime: n.runtime,
            trigger: n.trigger,
            message: n.message,
          })
        : err(`local-bus: ${n.message}`),
  }).catch((e: unknown) => {
    err(`local-bus: cannot listen on 127.0.0.1:${args.port}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  });
  if (!bus) {
    parent?.close();
    return 1;
  }
  try {
    const declared = new Set<string>();
    for (const file of args.templates) {
      const text = await readFile(file, 'utf8');
      for (const warning of loadTemplate(
        bus.region(args.region),
        text,
        file,
        { region: args.region, accountId: args.accountId, parameterValues },
        declared,
      ))
        err(`local-bus: warning: ${warning}`);
    }
    for (const warning of unknownParameterWarnings(parameterValues, declared)) err(`local-bus: warning: ${warning}`);
  } catch (e) {
    err(
      `local-bus: ${e instanceof TemplateParseError ? e.message : `cannot load template: ${e instanceof Error ? e.message : String(e)}`}`,
    );
    parent?.close();
    await bus.close();
    return 1;
  }
  out(`listening on ${bus.url}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop);
    if (parent) void serveParent(bus, parent).then(stop);
  });
  parent?.close();
  await bus.close();
  return 0;
}
