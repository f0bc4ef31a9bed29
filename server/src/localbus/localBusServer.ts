// The local bus: an HTTP endpoint on 127.0.0.1 that the unmodified AWS SDK clients for EventBridge and CloudWatch
// Logs accept (AWS JSON 1.1, dispatched on x-amz-target), with in-memory state per region.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { AwsServiceError, DEFAULT_ACCOUNT_ID, compact, regionFromAuthorization } from './awsJsonProtocol';
import {
  EventBridgeStore,
  eventBridgeOperations,
  type DeliverToTarget,
  type EventBridgeLimits,
  type EventEnvelope,
  type Rule,
} from './eventBridgeService';
import { LogsStore, logsOperations, type LogsStoreLimits } from './logsService';
import { startLiveTail, type LiveTailOptions, type LiveTailSession } from './liveTail';
import { targetInputText } from './targetInput';
import { SnsStore } from './snsService';
import { isSnsQueryRequest, runSnsAction, snsErrorXml, snsResponseXml } from './snsQueryApi';
import { TargetDispatcher, parseArn, type LambdaHandler, type LambdaInvocation } from './targetDispatch';
import {
  SqsStore,
  nonExistentQueue,
  type MessageAttributeValue,
  type SqsMessage,
  type SqsStoreLimits,
} from './sqsService';
import { sqsErrorWire, sqsOperations } from './sqsOperations';
import { FaultInjector, type FaultRule } from './faults';
import { LambdaStore } from './lambdaFunctions';
import { LambdaInvoker, type FunctionRunNotice, type LambdaInvokerOptions } from './lambdaInvoker';
import { RuleScheduler, scheduledEvent, type SchedulerClock } from './scheduler';
import type { ScheduledRuleSummary } from '../../../shared';

export interface LocalBusOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  readonly accountId?: string;
  /** Told about things worth a line in a log: failed deliveries, refused requests. */
  readonly onWarning?: (message: string) => void;
  readonly maxRequestBytes?: number;
  readonly maxRegions?: number;
  readonly eventBridge?: Partial<EventBridgeLimits>;
  readonly logs?: Partial<LogsStoreLimits>;
  readonly liveTail?: Partial<LiveTailOptions>;
  /** Faults to inject from the start (more can be added through `bus.faults`). */
  readonly faults?: readonly FaultRule[];
  /** Told about every event PutEvents accepts, whether or not a rule matches it. */
  readonly onEventAccepted?: (event: EventEnvelope) => void;
  readonly sqs?: Partial<SqsStoreLimits>;
  /**
   * Runs Lambda targets (and SNS subscriptions of functions) instead of the local bus's own runner (for embedding and
   * tests).
   */
  readonly lambda?: LambdaHandler;
  /**
   * Let the local bus's own runner run the handlers of Lambda targets (the workspace's code). Off by default: each
   * invocation is then written to the undelivered log group instead.
   */
  readonly runFunctions?: boolean;
  /** The first run of each handler in this bus's life, to tell the user which code runs. */
  readonly onFunctionRun?: (notice: FunctionRunNotice) => void;
  /** Knobs of the local bus's own Lambda runner (concurrency, retry delays, interpreter), mostly for tests. */
  readonly functions?: Partial<
    Omit<LambdaInvokerOptions, 'runFunctions' | 'onFirstRun' | 'onWarning' | 'endpointUrl' | 'sendToQueue'>
  >;
  /** The clock scheduled rules fire by (tests pass a fake one); default: the system's, with unref()ed timers. */
  readonly clock?: SchedulerClock;
}

/** What firing a scheduled rule now did. */
export interface ScheduledRuleFiring {
  readonly event: EventEnvelope;
  /** The rule's targets the event was handed to. */
  readonly targets: number;
  /** Why deliveries failed, one per failed target. */
  readonly failures: readonly string[];
}

/** The state of one region. */
export interface RegionState {
  readonly events: EventBridgeStore;
  readonly logs: LogsStore;
  readonly sqs: SqsStore;
  readonly sns: SnsStore;
  /** The functions loaded from templates. */
  readonly lambda: LambdaStore;
  /**
   * Sends `body` to the queue `queueArn` (of any region of the local bus), e.g. a target's DeadLetterConfig queue;
   * throws SQS's QueueDoesNotExist error for a queue the local bus does not have.
   */
  sendToQueue(
    queueArn: string,
    body: string,
    attributes?: Readonly<Record<string, MessageAttributeValue>>,
    messageGroupId?: string,
  ): SqsMessage;
}

const EVENTS_PREFIX = 'AWSEvents.';
const LOGS_PREFIX = 'Logs_20140328.';
const SQS_PREFIX = 'AmazonSQS.';
/** SQS's own limit on WaitTimeSeconds. */
const MAX_SQS_WAIT_SECONDS = 20;
/** PutLogEvents carries up to 1 MiB of messages, which JSON escaping can more than double. */
const DEFAULT_MAX_REQUEST_BYTES = 5 * 1024 * 1024;
/** The service's own limit on concurrent sessions. */
const MAX_LIVE_TAIL_SESSIONS = 15;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class LocalBus {
  private readonly server: Server;
  private readonly regions = new Map<string, RegionState>();
  private readonly sessions = new Set<LiveTailSession>();
  private readonly eventBridgeLimits: EventBridgeLimits;
  private readonly logsLimits: LogsStoreLimits;
  private readonly liveTailOptions: LiveTailOptions;
  private readonly sqsLimits: SqsStoreLimits;
  private readonly dispatcher: TargetDispatcher;
  readonly accountId: string;
  /** Faults to inject into coming requests (for testing clients against throttling, expiry, drops...). */
  readonly faults = new FaultInjector();
  private boundPort = 0;
  /** The local bus's own runner of Lambda handlers. */
  readonly functions: LambdaInvoker;
  /** Aborted by close(): ends SQS long polls. */
  private readonly closing = new AbortController();
  /** Fires the scheduled rules of every region's default bus. */
  private readonly scheduler: RuleScheduler;

  constructor(private readonly options: LocalBusOptions = {}) {
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.functions = new LambdaInvoker({
      ...options.functions,
      runFunctions: options.runFunctions ?? false,
      ...(options.onFunctionRun ? { onFirstRun: options.onFunctionRun } : {}),
      onWarning: (m) => this.warn(m),
      endpointUrl: () => this.url,
      sendToQueue: (queueArn, body, attributes) => {
        this.sendToQueue(queueArn, body, attributes);
      },
    });
    for (const f of options.faults ?? []) this.faults.add(f);
    this.eventBridgeLimits = {
      putEventsMaxBytes: 256 * 1024,
      maxRulesPerBus: 300,
      maxBusesPerRegion: 100,
      ...options.eventBridge,
    };
    this.logsLimits = {
      maxRetainedEvents: 100_000,
      maxLogGroups: 1000,
      maxLogStreamsPerGroup: 10_000,
      ...options.logs,
    };
    this.liveTailOptions = { updateIntervalMs: 1000, maxSessionMs: 3 * 3_600_000, ...options.liveTail };
    this.sqsLimits = { maxQueues: 1000, maxMessagesPerQueue: 100_000, ...options.sqs };
    this.dispatcher = new TargetDispatcher({
      accountId: this.accountId,
      region: (name) => this.region(name),
      lambda: options.lambda ?? ((invocation) => this.runFunction(invocation)),
      warn: (message) => this.warn(message),
    });
    this.scheduler = new RuleScheduler({
      ...(options.clock ? { clock: options.clock } : {}),
      warn: (message) => this.warn(message),
      fire: (store, rule, timeMs) => {
        for (const failure of this.fireRule(store, rule, timeMs).failures) this.warn(`delivery failed: ${failure}`);
      },
    });
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.headersTimeout = 30_000;
    this.server.requestTimeout = 60_000;
    this.server.maxConnections = 256;
  }

  /** Listens on 127.0.0.1 only. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  /** Live tail sessions still streaming. */
  get activeLiveTails(): number {
    return this.sessions.size;
  }

  /** Ends live tails, drops idle keep-alive connections and stops listening. */
  async close(): Promise<void> {
    this.closing.abort();
    this.scheduler.close();
    for (const session of [...this.sessions]) session.end();
    await this.functions.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    this.server.closeAllConnections();
    await closed;
  }

  /** The state of `region`, created on first use (bounded by `maxRegions`). */
  region(name: string): RegionState {
    let state = this.regions.get(name);
    if (!state) {
      if (this.regions.size >= (this.options.maxRegions ?? 32))
        throw new AwsServiceError(
          'LimitExceededException',
          'The local bus keeps state for a limited number of regions.',
        );
      state = {
        logs: new LogsStore(name, this.accountId, this.logsLimits),
        lambda: new LambdaStore(name, this.accountId),
        events: new EventBridgeStore(name, this.accountId, this.eventBridgeLimits, this.deliver, () =>
          (this.options.clock ?? Date).now(),
        ),
        sqs: new SqsStore(name, this.accountId, () => this.url, this.sqsLimits),
        sns: new SnsStore(name, this.accountId, {
          baseUrl: () => this.url,
          sendToQueue: (queueArn, body, attributes, messageGroupId) => {
            this.sendToQueue(queueArn, body, attributes, messageGroupId);
          },
          invokeFunction: (functionArn, payload, source, undelivered) =>
            this.dispatcher.invokeFunction(functionArn, payload, source, undelivered),
          recordUndelivered: (region, streamName, line) => this.recordUndelivered(region, streamName, line),
          warn: (message) => this.warn(message),
        }),
        sendToQueue: (queueArn, body, attributes, messageGroupId) =>
          this.sendToQueue(queueArn, body, attributes, messageGroupId),
      };
      state.events.onRulesChanged = (store) => this.scheduler.sync(store);
      this.regions.set(name, state);
    }
    return state;
  }

  /** The scheduled rules of every region's default bus, enabled or not, with the next time each fires. */
  scheduledRules(): ScheduledRuleSummary[] {
    const out: ScheduledRuleSummary[] = [];
    for (const [region, state] of this.regions) {
      const bus = state.events.buses.get('default');
      for (const rule of bus?.rules.values() ?? []) {
        if (rule.scheduleExpression === undefined) continue;
        const next = this.scheduler.nextFireTime(rule.arn);
        const problem = RuleScheduler.problemOf(rule.scheduleExpression);
        out.push({
          region,
          ruleName: rule.name,
          ruleArn: rule.arn,
          scheduleExpression: rule.scheduleExpression,
          state: rule.state,
          targets: rule.targets.size,
          ...(next !== undefined ? { nextFireTime: next } : {}),
          ...(problem !== undefined ? { problem } : {}),
        });
      }
    }
    return out.sort((a, b) => a.region.localeCompare(b.region) || a.ruleName.localeCompare(b.ruleName));
  }

  /**
   * Fires the scheduled rule `ruleName` of `region`'s default bus now, whatever its state, without changing when it
   * fires next. Throws an Error saying why when there is no such rule or it has no schedule.
   */
  fireScheduledRule(region: string, ruleName: string): ScheduledRuleFiring {
    const state = this.regions.get(region);
    const rule = state?.events.buses.get('default')?.rules.get(ruleName);
    if (!state || !rule) throw new Error(`the local bus has no rule ${ruleName} on the default bus of ${region}`);
    if (rule.scheduleExpression === undefined)
      throw new Error(`rule ${ruleName} (${region}) has no ScheduleExpression: it fires on events, not on a schedule`);
    return this.fireRule(state.events, rule, (this.options.clock ?? Date).now());
  }

  /** The scheduled event of `rule` at `timeMs`, handed to each of its targets. */
  private fireRule(store: EventBridgeStore, rule: Rule, timeMs: number): ScheduledRuleFiring {
    const bus = store.bus('default');
    const event = scheduledEvent(store, rule, timeMs);
    const eventTimeMs = Math.floor(timeMs / 1000) * 1000;
    const failures: string[] = [];
    for (const target of rule.targets.values()) {
      try {
        this.deliver({ bus, rule, target, event, eventTimeMs, path: [] });
      } catch (e) {
        failures.push(e instanceof Error ? e.message : String(e));
      }
    }
    return { event, targets: rule.targets.size, failures };
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }

  /** Every matched event goes to its target through the dispatcher (targetDispatch.ts). */
  private readonly deliver: DeliverToTarget = (delivery) => {
    this.dispatcher.deliver({ ...delivery, input: targetInputText(delivery.target, delivery.rule, delivery.event) });
  };

  /**
   * The local bus's own Lambda runner: the function must come from a loaded template and be runnable here, and
   * running functions must be allowed; otherwise the invocation is recorded as undelivered, saying why.
   */
  private runFunction(invocation: LambdaInvocation): void {
    const parsed = parseArn(invocation.functionArn);
    if (!parsed || parsed.account !== this.accountId) {
      invocation.undelivered(`the local bus runs only functions of account ${this.accountId} loaded from templates`);
      return;
    }
    const fn = invocation.region.lambda.byArn(invocation.functionArn);
    if (!fn) {
      invocation.undelivered(
        `no function ${invocation.functionName} in ${parsed.region} was loaded from a template, so its code is unknown`,
      );
      return;
    }
    const why = this.functions.whyNotRun(fn);
    if (why) {
      invocation.undelivered(why);
      return;
    }
    const source = invocation.source;
    if (source.kind === 'rule') {
      const { rule, target } = source.delivery;
      this.functions.deliver({
        fn,
        logs: invocation.region.logs,
        input: invocation.payload,
        trigger: `rule ${rule.name}`,
        undelivered: invocation.undelivered,
        eventBridge: {
          ruleArn: rule.arn,
          targetArn: target.Arn,
          ...(target.RetryPolicy ? { retryPolicy: target.RetryPolicy } : {}),
          ...(target.DeadLetterConfig?.Arn ? { deadLetterArn: target.DeadLetterConfig.Arn } : {}),
        },
      });
    } else {
      this.functions.deliver({
        fn,
        logs: invocation.region.logs,
        input: invocation.payload,
        trigger: `SNS topic ${source.topicArn}`,
        undelivered: invocation.undelivered,
      });
    }
  }

  /**
   * Sends `body` to the queue `queueArn` (any region of the local bus): what dead-letter configurations use.
   * Throws SQS's "does not exist" error for a queue the local bus does not have.
   */
  sendToQueue(
    queueArn: string,
    body: string,
    attributes?: Readonly<Record<string, MessageAttributeValue>>,
    messageGroupId?: string,
  ): SqsMessage {
    const parsed = parseArn(queueArn);
    if (!parsed || parsed.service !== 'sqs' || !this.regions.has(parsed.region)) throw nonExistentQueue();
    return this.region(parsed.region).sqs.sendToQueue(queueArn, body, {
      ...(attributes ? { attributes } : {}),
      ...(messageGroupId !== undefined ? { messageGroupId } : {}),
    });
  }

  /** Writes one line to the undelivered log group of `region` (created on demand), in stream `streamName`. */
  recordUndelivered(region: string, streamName: string, line: string): void {
    this.dispatcher.recordUndelivered(region, streamName, line);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const requestId = randomUUID();
    const amzTarget = headerValue(req.headers['x-amz-target']);
    const sqs = amzTarget?.startsWith(SQS_PREFIX) ?? false;
    const fail = (error: AwsServiceError): void =>
      sqs ? sendSqsError(res, requestId, error) : sendError(res, requestId, error);
    // DNS-rebinding defence: a page on another origin can reach 127.0.0.1 but cannot make its Host header loopback.
    if (!this.isLoopbackHost(req.headers.host)) {
      this.warn(`refused a request with Host ${JSON.stringify(req.headers.host ?? '')}`);
      res.setHeader('connection', 'close');
      req.resume();
      fail(
        new AwsServiceError(
          'AccessDeniedException',
          'The local bus only answers requests addressed to a loopback host.',
          403,
        ),
      );
      return;
    }
    // SQS requests may be sent to the queue's URL (`/<account>/<queue name>`), as SDKs do with a queue URL endpoint.
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || (path !== '/' && !(sqs && /^\/\d{12}\/[^/]+\/?$/.test(path)))) {
      res.setHeader('connection', 'close');
      req.resume();
      fail(new AwsServiceError('UnknownOperationException', 'Only POST / is supported.', 404));
      return;
    }
    const limit = this.options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    const declared = Number(req.headers['content-length'] ?? 0);
    const refuseLarge = (): void => {
      // Answer first, then drop the connection rather than reading a body we will not use.
      res.setHeader('connection', 'close');
      res.on('finish', () => req.destroy());
      fail(new AwsServiceError('SerializationException', `Request body larger than ${limit} bytes.`, 413));
    };
    if (declared > limit) {
      refuseLarge();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        if (!tooLarge) refuseLarge();
        tooLarge = true;
        chunks.length = 0;
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return;
      const failed = (e: unknown): void => {
        if (e instanceof AwsServiceError) {
          fail(e);
        } else {
          this.warn(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          fail(new AwsServiceError('InternalException', 'The local bus failed to process the request.', 500));
        }
      };
      try {
        const pending = this.dispatch(req, res, requestId, Buffer.concat(chunks).toString('utf8'));
        if (pending) pending.catch(failed);
      } catch (e) {
        failed(e);
      }
    });
    req.on('error', () => undefined);
  }

  /** Answers one request; returns a promise for the operations that answer later (SQS long polls). */
  private dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    body: string,
  ): Promise<void> | undefined {
    const target = headerValue(req.headers['x-amz-target']);
    const authorization = headerValue(req.headers.authorization);
    if (target === undefined && isSnsQueryRequest(authorization, body)) {
      this.answerSns(res, requestId, this.region(regionFromAuthorization(authorization)), body);
      return undefined;
    }
    if (target === undefined && /^Action=/.test(body))
      throw new AwsServiceError(
        'UnknownOperationException',
        'The local bus speaks the AWS JSON protocols (SQS: JSON 1.0 with X-Amz-Target: AmazonSQS.<Action>) and, for SNS only, the query protocol; update the SDK.',
      );
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      throw new AwsServiceError('SerializationException', 'The request body is not valid JSON.');
    }
    if (!input || typeof input !== 'object' || Array.isArray(input))
      throw new AwsServiceError('SerializationException', 'The request body must be a JSON object.');
    const fields = input as Record<string, unknown>;
    const region = this.region(regionFromAuthorization(headerValue(req.headers.authorization)));
    const operationName = target?.slice(target.indexOf('.') + 1) ?? '';
    const fault = this.faults.take(operationName);
    if (fault) this.warn(`injecting fault ${fault.kind} into ${operationName}`);
    switch (fault?.kind) {
      case 'throttle':
        throw new AwsServiceError('ThrottlingException', 'Rate exceeded');
      case 'expired-credentials':
        throw new AwsServiceError('ExpiredTokenException', 'The security token included in the request is expired');
      case 'drop-connection':
        req.socket.destroy();
        return undefined;
      default:
        break;
    }

    if (target?.startsWith(SQS_PREFIX)) {
      const name = target.slice(SQS_PREFIX.length);
      const operation = Object.hasOwn(sqsOperations, name) ? sqsOperations[name] : undefined;
      if (!operation)
        throw new AwsServiceError('UnsupportedOperation', `The local bus does not implement SQS ${name}.`);
      const aborted = new AbortController();
      res.on('close', () => aborted.abort());
      const output = operation(region.sqs, fields, {
        regionStore: (name) => this.region(name).sqs,
        signal: AbortSignal.any([aborted.signal, this.closing.signal]),
        maxWaitSeconds: MAX_SQS_WAIT_SECONDS,
      });
      if (!(output instanceof Promise)) {
        sendJson(res, requestId, output, SQS_CONTENT_TYPE);
        return undefined;
      }
      return output.then((o) => {
        if (!res.destroyed) sendJson(res, requestId, o, SQS_CONTENT_TYPE);
      });
    }
    if (target?.startsWith(EVENTS_PREFIX)) {
      const operation = Object.hasOwn(eventBridgeOperations, target.slice(EVENTS_PREFIX.length))
        ? eventBridgeOperations[target.slice(EVENTS_PREFIX.length)]
        : undefined;
      if (operation) {
        const output = operation(region.events, fields, {
          onDeliveryError: (e) => this.warn(`delivery failed: ${e instanceof Error ? e.message : String(e)}`),
          // Partial failure: every other entry, starting with the first, fails as an internal error would.
          ...(fault?.kind === 'partial-put-events' ? { failEntry: (i: number) => i % 2 === 0 } : {}),
          ...(this.options.onEventAccepted ? { onAccepted: this.options.onEventAccepted } : {}),
        });
        sendJson(res, requestId, output);
        return undefined;
      }
    } else if (target === `${LOGS_PREFIX}StartLiveTail`) {
      if (this.sessions.size >= MAX_LIVE_TAIL_SESSIONS)
        throw new AwsServiceError(
          'LimitExceededException',
          `At most ${MAX_LIVE_TAIL_SESSIONS} live tail sessions can run at once.`,
        );
      const session = startLiveTail(
        region.logs,
        fields,
        res,
        requestId,
        fault?.kind === 'end-live-tail'
          ? { ...this.liveTailOptions, endAfterUpdates: fault.afterUpdates ?? 1 }
          : this.liveTailOptions,
        () => this.sessions.delete(session),
      );
      this.sessions.add(session);
      return undefined;
    } else if (target?.startsWith(LOGS_PREFIX)) {
      const name = target.slice(LOGS_PREFIX.length);
      const operation = Object.hasOwn(logsOperations, name) ? logsOperations[name] : undefined;
      if (operation) {
        sendJson(res, requestId, operation(region.logs, fields));
        return undefined;
      }
    }
    throw new AwsServiceError(
      'UnknownOperationException',
      `The local bus does not implement ${target ?? '(no x-amz-target)'}.`,
    );
  }

  /** SNS's query protocol: a form-encoded request, an XML answer (errors too). */
  private answerSns(res: ServerResponse, requestId: string, region: RegionState, body: string): void {
    let status = 200;
    let text: string;
    try {
      const { action, result } = runSnsAction(region.sns, new URLSearchParams(body));
      text = snsResponseXml(action, result, requestId);
    } catch (e) {
      if (!(e instanceof AwsServiceError)) throw e;
      status = e.status;
      text = snsErrorXml(e, requestId);
    }
    res.writeHead(status, {
      'content-type': 'text/xml',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': requestId,
    });
    res.end(text);
  }

  private isLoopbackHost(host: string | undefined): boolean {
    if (!host) return false;
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(host.toLowerCase());
    if (!m || Number(m[2]) !== this.boundPort) return false;
    return LOOPBACK_HOSTS.has(m[1]) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(m[1]);
  }
}

/** Starts a local bus; resolves once it listens. */
export async function startLocalBus(options: LocalBusOptions = {}): Promise<LocalBus> {
  const bus = new LocalBus(options);
  await bus.listen();
  return bus;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

const SQS_CONTENT_TYPE = 'application/x-amz-json-1.0';

function sendJson(
  res: ServerResponse,
  requestId: string,
  body: unknown,
  contentType = 'application/x-amz-json-1.1',
): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

function sendError(res: ServerResponse, requestId: string, error: AwsServiceError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(compact({ __type: error.code, message: error.message }));
  res.writeHead(error.status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.code,
  });
  res.end(text);
}

/** SQS errors: the JSON 1.0 shape plus the query-compatible code in `x-amzn-query-error`, which SDKs and the CLI read. */
function sendSqsError(res: ServerResponse, requestId: string, error: AwsServiceError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const wire = sqsErrorWire(error);
  const text = JSON.stringify({ __type: wire.type, message: error.message });
  res.writeHead(wire.status, {
    'content-type': SQS_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    'x-amzn-query-error': wire.queryError,
  });
  res.end(text);
}
