// SNS, in memory: the topics of one region and their subscriptions. A message published to a topic (by a rule
// with the topic as target) fans out to its SQS and Lambda subscriptions that its filter policy lets through, in
// the shapes SNS delivers: the JSON notification envelope for queues (the message itself with RawMessageDelivery),
// an `aws:sns` record for functions. Other protocols (HTTP, email, SMS...) are recorded as undelivered.
import { randomUUID } from 'node:crypto';
import { AwsServiceError, arn } from './awsJsonProtocol';
import { compileSnsFilterPolicy, snsMessagePasses, type CompiledEventPattern } from './patternMatching';
import type { MessageAttributeValue } from './sqsService';
import type { LambdaSource } from './targetDispatch';

/** An SNS message attribute as SNS shows it in notifications. */
export interface SnsAttribute {
  readonly Type: string;
  readonly Value: string;
}

export interface SnsSubscription {
  readonly arn: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly filterPolicy?: CompiledEventPattern;
  readonly filterPolicyText?: string;
  readonly filterPolicyScope: string;
  readonly rawMessageDelivery: boolean;
}

export interface SnsTopic {
  readonly name: string;
  readonly arn: string;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  readonly subscriptions: SnsSubscription[];
  sequence: bigint;
}

export interface PublishOptions {
  readonly subject?: string;
  readonly attributes?: Readonly<Record<string, SnsAttribute>>;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

/** Where a topic's messages go: what the local bus offers the SNS store. */
export interface SnsDeliveryServices {
  /** The local bus's base URL, for the unsubscribe URL in notifications. */
  baseUrl(): string;
  sendToQueue(
    queueArn: string,
    body: string,
    attributes: Readonly<Record<string, MessageAttributeValue>>,
    messageGroupId: string | undefined,
  ): void;
  invokeFunction(
    functionArn: string,
    payload: string,
    source: LambdaSource,
    undelivered: (reason: string) => void,
  ): void;
  /** One line in the undelivered log group of `region`, stream `streamName`. */
  recordUndelivered(region: string, streamName: string, line: string): void;
  warn(message: string): void;
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

export class SnsStore {
  readonly topics = new Map<string, SnsTopic>();

  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly services: SnsDeliveryServices,
    private readonly now: () => number = Date.now,
  ) {}

  createTopic(name: string, options: { fifo?: boolean; contentBasedDeduplication?: boolean } = {}): SnsTopic {
    const existing = this.topics.get(name);
    if (existing) return existing;
    const fifo = options.fifo ?? false;
    const base = name.endsWith('.fifo') ? name.slice(0, -'.fifo'.length) : name;
    if (!TOPIC_NAME.test(base) || fifo !== name.endsWith('.fifo'))
      throw new AwsServiceError(
        'InvalidParameter',
        fifo || name.endsWith('.fifo')
          ? 'Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
          : 'Invalid parameter: Topic Name',
      );
    const topic: SnsTopic = {
      name,
      arn: arn('sns', this.region, this.accountId, name),
      fifo,
      contentBasedDeduplication: options.contentBasedDeduplication ?? false,
      subscriptions: [],
      sequence: 0n,
    };
    this.topics.set(name, topic);
    return topic;
  }

  topicByArn(topicArn: string): SnsTopic {
    const m = /^arn:[^:]+:sns:([^:]*):([^:]*):([^:]+)$/.exec(topicArn);
    const topic = m && m[1] === this.region && m[2] === this.accountId ? this.topics.get(m[3]) : undefined;
    if (!topic) throw new AwsServiceError('NotFound', 'Topic does not exist', 404);
    return topic;
  }

  /** Subscribes an endpoint; a filter policy SNS would refuse is refused with SNS's error. */
  subscribe(
    topic: SnsTopic,
    spec: {
      protocol: string;
      endpoint: string;
      filterPolicy?: string;
      filterPolicyScope?: string;
      rawMessageDelivery?: boolean;
    },
  ): SnsSubscription {
    if (spec.protocol === 'sqs' && !/^arn:[^:]+:sqs:[^:]*:[^:]*:[^:]+$/.test(spec.endpoint))
      throw new AwsServiceError('InvalidParameter', 'Invalid parameter: SQS endpoint ARN');
    if (spec.protocol === 'lambda' && !/^arn:[^:]+:lambda:[^:]*:[^:]*:function:.+$/.test(spec.endpoint))
      throw new AwsServiceError('InvalidParameter', 'Invalid parameter: Lambda endpoint ARN');
    const scope = spec.filterPolicyScope ?? 'MessageAttributes';
    let filterPolicy: CompiledEventPattern | undefined;
    if (spec.filterPolicy !== undefined) {
      const compiled = compileSnsFilterPolicy(spec.filterPolicy, scope);
      if (!compiled.ok) throw new AwsServiceError(compiled.code, compiled.message);
      filterPolicy = compiled.policy;
    }
    const existing = topic.subscriptions.find((s) => s.protocol === spec.protocol && s.endpoint === spec.endpoint);
    const subscription: SnsSubscription = {
      arn: existing?.arn ?? `${topic.arn}:${randomUUID()}`,
      topicArn: topic.arn,
      protocol: spec.protocol,
      endpoint: spec.endpoint,
      ...(filterPolicy ? { filterPolicy, filterPolicyText: spec.filterPolicy } : {}),
      filterPolicyScope: scope,
      rawMessageDelivery: spec.rawMessageDelivery ?? false,
    };
    if (existing) topic.subscriptions.splice(topic.subscriptions.indexOf(existing), 1, subscription);
    else topic.subscriptions.push(subscription);
    return subscription;
  }

  /** Publishes `message` to `topic` and fans it out; returns the message id. */
  publish(topic: SnsTopic, message: string, options: PublishOptions = {}): string {
    if (message.length === 0) throw new AwsServiceError('InvalidParameter', 'Invalid parameter: Empty message');
    if (topic.fifo && options.messageGroupId === undefined)
      throw new AwsServiceError(
        'InvalidParameter',
        'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
      );
    const messageId = randomUUID();
    const attributes = options.attributes ?? {};
    const timestamp = new Date(this.now()).toISOString();
    let sequenceNumber: string | undefined;
    if (topic.fifo) {
      topic.sequence += 1n;
      sequenceNumber = (10_000_000_000_000_000_000n + topic.sequence).toString();
    }
    for (const subscription of topic.subscriptions) {
      const filterInput = { Message: message, MessageAttributes: attributes };
      if (
        subscription.filterPolicy &&
        !snsMessagePasses(subscription.filterPolicy, filterInput, subscription.filterPolicyScope)
      )
        continue;
      const notification = {
        Type: 'Notification',
        MessageId: messageId,
        ...(sequenceNumber !== undefined ? { SequenceNumber: sequenceNumber } : {}),
        TopicArn: topic.arn,
        ...(options.subject !== undefined ? { Subject: options.subject } : {}),
        Message: message,
        Timestamp: timestamp,
        // The local bus cannot sign as SNS does; a consumer that verifies signatures will refuse these.
        SignatureVersion: '1',
        Signature: 'LOCAL-BUS-UNSIGNED',
        SigningCertURL: `${this.services.baseUrl()}/sns/unsigned.pem`,
        UnsubscribeURL: `${this.services.baseUrl()}/sns/unsubscribe?SubscriptionArn=${encodeURIComponent(subscription.arn)}`,
        ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
      };
      try {
        this.deliver(topic, subscription, message, notification, attributes, options);
      } catch (e) {
        this.services.warn(
          `SNS delivery from topic ${topic.name} to ${subscription.protocol} ${subscription.endpoint} failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    return messageId;
  }

  private deliver(
    topic: SnsTopic,
    subscription: SnsSubscription,
    message: string,
    notification: Record<string, unknown>,
    attributes: Readonly<Record<string, SnsAttribute>>,
    options: PublishOptions,
  ): void {
    const undelivered = (reason: string): void =>
      this.services.recordUndelivered(
        this.region,
        `sns/${topic.name}`,
        JSON.stringify({
          reason,
          topic: topic.arn,
          subscription: subscription.arn,
          protocol: subscription.protocol,
          endpoint: subscription.endpoint,
          messageId: notification.MessageId,
          message,
        }),
      );
    switch (subscription.protocol) {
      case 'sqs':
        this.services.sendToQueue(
          subscription.endpoint,
          subscription.rawMessageDelivery ? message : JSON.stringify(notification),
          subscription.rawMessageDelivery ? sqsAttributes(attributes) : {},
          topic.fifo ? options.messageGroupId : undefined,
        );
        return;
      case 'lambda': {
        const record = {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: subscription.arn,
          Sns: {
            Type: 'Notification',
            MessageId: notification.MessageId,
            TopicArn: topic.arn,
            Subject: options.subject ?? null,
            Message: message,
            Timestamp: notification.Timestamp,
            SignatureVersion: notification.SignatureVersion,
            Signature: notification.Signature,
            SigningCertUrl: notification.SigningCertURL,
            UnsubscribeUrl: notification.UnsubscribeURL,
            MessageAttributes: attributes,
          },
        };
        this.services.invokeFunction(
          subscription.endpoint,
          JSON.stringify({ Records: [record] }),
          {
            kind: 'sns',
            topicArn: topic.arn,
            subscriptionArn: subscription.arn,
            messageId: String(notification.MessageId),
          },
          undelivered,
        );
        return;
      }
      default:
        undelivered(`SNS ${subscription.protocol} subscriptions are not delivered by the local bus`);
    }
  }
}

/** SNS attributes as the SQS message attributes of a raw delivery (String.Array goes as a String). */
function sqsAttributes(attributes: Readonly<Record<string, SnsAttribute>>): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, a] of Object.entries(attributes)) {
    if (a.Type.startsWith('Binary')) out[name] = { DataType: 'Binary', BinaryValue: a.Value };
    else out[name] = { DataType: a.Type === 'String.Array' ? 'String' : a.Type, StringValue: a.Value };
  }
  return out;
}
