// Where a rule's matched event goes: one dispatcher that, given a target and the text it receives, delivers by the
// service named in the target's ARN. Log groups, queues and other event buses are served by the local bus itself;
// Lambda functions by a runner handed in from outside (none: undelivered); everything else (Step Functions, ECS,
// Kinesis, API destinations...) is written down as one line in the "undelivered" log group, so the user sees what
// would have been invoked with what input.
import type { EventBus, EventEnvelope, Rule, Target } from './eventBridgeService';
import type { RegionState } from './localBusServer';
import { logGroupNameFromIdentifier } from './logsService';

/** The log group that records deliveries the local bus cannot make. */
export const UNDELIVERED_LOG_GROUP = '/eventbridge-patterns/local-bus/undelivered';

/**
 * EventBridge does not route an event received from another bus on to a third bus (the classic "one hop" rule of
 * bus-to-bus targets), and its loop detection refuses to pass an event through a bus twice; both are kept here, so
 * rules that forward between buses cannot loop.
 */
export const MAX_BUS_HOPS = 1;

/** One matched event on its way to one target. */
export interface TargetDelivery {
  readonly bus: EventBus;
  readonly rule: Rule;
  readonly target: Target;
  readonly event: EventEnvelope;
  readonly eventTimeMs: number;
  /** What the target receives: the event, or what Input / InputPath / InputTransformer make of it. */
  readonly input: string;
  /** The ARNs of the buses the event passed through before `bus` (empty for an event put on `bus` directly). */
  readonly path: readonly string[];
}

/** Where a Lambda invocation comes from: a rule's target, or an SNS topic's subscription. */
export type LambdaSource =
  | { readonly kind: 'rule'; readonly delivery: TargetDelivery }
  | {
      readonly kind: 'sns';
      readonly topicArn: string;
      readonly subscriptionArn: string;
      readonly messageId: string;
    };

export interface LambdaInvocation {
  /** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` */
  readonly functionArn: string;
  readonly functionName: string;
  /** The JSON text the function receives as its event. */
  readonly payload: string;
  /** The state of the function's region (its log groups for `/aws/lambda/<name>`, its queues for dead letters). */
  readonly region: RegionState;
  readonly source: LambdaSource;
  /** Records the invocation in the undelivered log group instead (e.g. the function is not in any template). */
  readonly undelivered: (reason: string) => void;
}

/**
 * Runs Lambda targets; handed to the local bus through `LocalBusOptions.lambda`. Invoked asynchronously, as
 * EventBridge and SNS invoke functions: a rejected promise is reported as a warning, never fails PutEvents.
 */
export type LambdaHandler = (invocation: LambdaInvocation) => void | Promise<void>;

/** What the dispatcher needs from the local bus. */
export interface DispatchServices {
  readonly accountId: string;
  region(name: string): RegionState;
  /** The Lambda runner, when one is attached. */
  readonly lambda: LambdaHandler | undefined;
  warn(message: string): void;
}

/** The parts of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(text: string): ParsedArn | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(text);
  return m ? { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] } : undefined;
}

/** What the undelivered log group says about the services the local bus does not run. */
const NOT_RUN: Readonly<Record<string, string>> = {
  states: 'Step Functions state machines are not run by the local bus',
  ecs: 'ECS tasks are not run by the local bus',
  kinesis: 'Kinesis streams are not part of the local bus',
  firehose: 'Firehose delivery streams are not part of the local bus',
  batch: 'Batch jobs are not run by the local bus',
  ssm: 'Systems Manager is not part of the local bus',
  codebuild: 'CodeBuild projects are not run by the local bus',
  codepipeline: 'CodePipeline pipelines are not run by the local bus',
  'redshift-data': 'Redshift is not part of the local bus',
  sagemaker: 'SageMaker pipelines are not run by the local bus',
  inspector: 'Inspector is not part of the local bus',
};

export class TargetDispatcher {
  constructor(private readonly services: DispatchServices) {}

  /** Delivers one matched event to one target; throws when the target cannot take it (reported as a warning). */
  deliver(delivery: TargetDelivery): void {
    const { target, rule } = delivery;
    const parsed = parseArn(target.Arn);
    if (!parsed) throw new Error(`target ${target.Id} of rule ${rule.name}: ${target.Arn} is not an ARN`);
    if (parsed.service === 'events' && parsed.resource.startsWith('api-destination/')) {
      this.undelivered(delivery, parsed, 'API destinations are not called by the local bus');
      return;
    }
    switch (parsed.service) {
      case 'logs':
        this.toLogGroup(delivery, parsed);
        return;
      case 'sqs':
        this.sameAccount(delivery, parsed, 'queue');
        this.services.region(parsed.region).sqs.sendToQueue(target.Arn, delivery.input, {
          messageGroupId: target.SqsParameters?.MessageGroupId,
        });
        return;
      case 'sns':
        this.sameAccount(delivery, parsed, 'topic');
        this.toTopic(delivery, parsed);
        return;
      case 'events':
        this.toEventBus(delivery, parsed);
        return;
      case 'lambda':
        this.toFunction(delivery, parsed);
        return;
      default:
        this.undelivered(
          delivery,
          parsed,
          NOT_RUN[parsed.service] ?? `${parsed.service} targets are not run by the local bus`,
        );
    }
  }

  /** CloudWatch Logs targets get the target input as one log event, in a stream per rule. */
  private toLogGroup(delivery: TargetDelivery, parsed: ParsedArn): void {
    const { bus, rule, target } = delivery;
    this.sameAccount(delivery, parsed, 'log group');
    const logs = this.services.region(parsed.region).logs;
    const groupName = logGroupNameFromIdentifier(target.Arn);
    const group = logs.groups.get(groupName);
    if (!group)
      throw new Error(
        `target ${target.Id} of rule ${rule.name}: log group ${groupName} does not exist in ${parsed.region}`,
      );
    const streamName = `eventbridge/${bus.name}/${rule.name}`;
    const stream = group.streams.get(streamName) ?? logs.createStream(group, streamName);
    logs.append(group, stream, [{ timestamp: delivery.eventTimeMs, message: delivery.input }]);
  }

  /** SNS targets publish the target input to the topic, which fans it out to its subscriptions. */
  private toTopic(delivery: TargetDelivery, parsed: ParsedArn): void {
    const sns = this.services.region(parsed.region).sns;
    sns.publish(sns.topicByArn(delivery.target.Arn), delivery.input);
  }

  /**
   * Another bus as target: the same event goes through that bus's rules. An event that already came from another
   * bus, or that would pass through a bus twice, stops here and is recorded as undelivered.
   */
  private toEventBus(delivery: TargetDelivery, parsed: ParsedArn): void {
    const { bus, target, rule } = delivery;
    const m = /^event-bus\/(.+)$/.exec(parsed.resource);
    if (!m) {
      this.undelivered(delivery, parsed, `${parsed.resource} is not an event bus`);
      return;
    }
    if (parsed.account !== this.services.accountId) {
      this.undelivered(
        delivery,
        parsed,
        `the bus is in account ${parsed.account}, not the local bus account ${this.services.accountId}`,
      );
      return;
    }
    const path = [...delivery.path, bus.arn];
    if (path.includes(target.Arn)) {
      this.undelivered(delivery, parsed, 'loop detected: the event already passed through this bus');
      return;
    }
    if (delivery.path.length >= MAX_BUS_HOPS) {
      this.undelivered(
        delivery,
        parsed,
        'the event came from another bus, and EventBridge does not route it on to a third bus',
      );
      return;
    }
    const events = this.services.region(parsed.region).events;
    const destination = events.buses.get(m[1]);
    if (!destination)
      throw new Error(`target ${target.Id} of rule ${rule.name}: event bus ${m[1]} does not exist in ${parsed.region}`);
    events.route(
      destination,
      delivery.event,
      delivery.eventTimeMs,
      (e) => this.services.warn(`delivery failed: ${e instanceof Error ? e.message : String(e)}`),
      path,
    );
  }

  private toFunction(delivery: TargetDelivery, parsed: ParsedArn): void {
    this.invokeFunction(delivery.target.Arn, delivery.input, { kind: 'rule', delivery }, (reason) =>
      this.undelivered(delivery, parsed, reason),
    );
  }

  /** Hands one invocation to the Lambda runner; without one, `undelivered` records it. */
  invokeFunction(
    functionArn: string,
    payload: string,
    source: LambdaSource,
    undelivered: (reason: string) => void,
  ): void {
    const parsed = parseArn(functionArn);
    const name = parsed ? /^function:([^:]+)/.exec(parsed.resource)?.[1] : undefined;
    const runner = this.services.lambda;
    if (!parsed || name === undefined) {
      undelivered(`${functionArn} is not a Lambda function ARN`);
      return;
    }
    if (!runner) {
      undelivered('Lambda functions are not run: no function runner is attached to the local bus');
      return;
    }
    const invocation: LambdaInvocation = {
      functionArn,
      functionName: name,
      payload,
      region: this.services.region(parsed.region),
      source,
      undelivered,
    };
    try {
      const running = runner(invocation);
      if (running)
        running.catch((e: unknown) =>
          this.services.warn(
            `Lambda function ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
          ),
        );
    } catch (e) {
      this.services.warn(`Lambda function ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  /** One line in the undelivered log group of the target's region: what would have been invoked, with what input. */
  undelivered(delivery: TargetDelivery, parsed: ParsedArn | undefined, reason: string): void {
    const { bus, rule, target, event } = delivery;
    this.recordUndelivered(
      parsed?.region || bus.arn.split(':')[3],
      `eventbridge/${bus.name}/${rule.name}`,
      JSON.stringify({
        reason,
        target: target.Arn,
        targetId: target.Id,
        rule: rule.arn,
        eventBus: bus.arn,
        eventId: event.id,
        input: delivery.input,
      }),
    );
  }

  /** Appends `line` to `streamName` of the undelivered log group in `region`, creating both on demand. */
  recordUndelivered(region: string, streamName: string, line: string): void {
    const logs = this.services.region(region).logs;
    const group = logs.groups.get(UNDELIVERED_LOG_GROUP) ?? logs.createGroup(UNDELIVERED_LOG_GROUP);
    const stream = group.streams.get(streamName) ?? logs.createStream(group, streamName);
    logs.append(group, stream, [{ timestamp: Date.now(), message: line }]);
  }

  private sameAccount(delivery: TargetDelivery, parsed: ParsedArn, what: string): void {
    if (parsed.account !== this.services.accountId)
      throw new Error(
        `target ${delivery.target.Id} of rule ${delivery.rule.name}: ${what} account ${parsed.account} is not the local bus account ${this.services.accountId}`,
      );
  }
}
