// SQS queues and SNS topics and subscriptions read from a template (templateLoader.ts reads the rest), so rules
// whose targets are queues or topics deliver locally. Queue policies are read (shown as the queue's Policy
// attribute) but not enforced: the local bus lets every sender in.
import { arn } from './awsJsonProtocol';

/** What the template reader offers (templateLoader's IntrinsicResolver). Its failures propagate as they are. */
export interface ResourceResolver {
  resolve(value: unknown): unknown;
  resolveString(value: unknown, what: string): string;
  physicalName(logicalId: string): string;
  readonly region: string;
  readonly accountId: string;
}

export interface TemplateQueue {
  readonly logicalId: string;
  readonly name: string;
  /** Queue attributes as CreateQueue takes them (strings). */
  readonly attributes: Record<string, string>;
  readonly tags: Record<string, string>;
}

export interface TemplateSubscription {
  /** Absent for a subscription written in the topic's `Subscription` list. */
  readonly logicalId?: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly filterPolicy?: string;
  readonly filterPolicyScope?: string;
  readonly rawMessageDelivery: boolean;
}

export interface TemplateTopic {
  readonly logicalId: string;
  readonly name: string;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
}

/** The queue properties that are queue attributes, under the same name. */
const QUEUE_ATTRIBUTE_PROPERTIES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
] as const;

/** An `AWS::SQS::Queue`: its name (given, or generated as CloudFormation does) and attributes. */
export function readQueue(
  resolver: ResourceResolver,
  logicalId: string,
  properties: Record<string, unknown>,
): TemplateQueue {
  const attributes: Record<string, string> = {};
  for (const key of QUEUE_ATTRIBUTE_PROPERTIES) {
    if (properties[key] === undefined) continue;
    const value = resolver.resolve(properties[key]);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      attributes[key] = String(value);
  }
  for (const key of ['RedrivePolicy', 'RedriveAllowPolicy'] as const) {
    if (properties[key] === undefined) continue;
    const value = resolver.resolve(properties[key]);
    attributes[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  const tags: Record<string, string> = {};
  if (Array.isArray(properties.Tags)) {
    for (const raw of resolver.resolve(properties.Tags) as unknown[]) {
      const tag = raw as { Key?: unknown; Value?: unknown } | null;
      if (tag && typeof tag.Key === 'string' && (typeof tag.Value === 'string' || typeof tag.Value === 'number'))
        tags[tag.Key] = String(tag.Value);
    }
  }
  return { logicalId, name: resolver.physicalName(logicalId), attributes, tags };
}

/** `AWS::SQS::QueuePolicy`: the policy document and the queues (URLs) it applies to. */
export function readQueuePolicy(
  resolver: ResourceResolver,
  properties: Record<string, unknown>,
): { queueUrls: string[]; policy: string } {
  const queues = resolver.resolve(properties.Queues ?? []);
  const document = resolver.resolve(properties.PolicyDocument ?? {});
  return {
    queueUrls: Array.isArray(queues) ? queues.filter((q): q is string => typeof q === 'string') : [],
    policy: typeof document === 'string' ? document : JSON.stringify(document),
  };
}

/** An `AWS::SNS::Topic`, with the subscriptions listed in its `Subscription` property. */
export function readTopic(
  resolver: ResourceResolver,
  logicalId: string,
  properties: Record<string, unknown>,
): { topic: TemplateTopic; subscriptions: TemplateSubscription[] } {
  const name = resolver.physicalName(logicalId);
  const topicArn = arn('sns', resolver.region, resolver.accountId, name);
  const flag = (key: string): boolean => {
    const v = properties[key] === undefined ? undefined : resolver.resolve(properties[key]);
    return v === true || v === 'true';
  };
  const subscriptions: TemplateSubscription[] = [];
  const listed = properties.Subscription === undefined ? [] : resolver.resolve(properties.Subscription);
  if (Array.isArray(listed)) {
    for (const raw of listed) {
      const s = raw as { Protocol?: unknown; Endpoint?: unknown } | null;
      if (s && typeof s.Protocol === 'string' && typeof s.Endpoint === 'string')
        subscriptions.push({ topicArn, protocol: s.Protocol, endpoint: s.Endpoint, rawMessageDelivery: false });
    }
  }
  return {
    topic: {
      logicalId,
      name,
      fifo: flag('FifoTopic'),
      contentBasedDeduplication: flag('ContentBasedDeduplication'),
    },
    subscriptions,
  };
}

/** An `AWS::SNS::Subscription`: protocol, endpoint, filter policy (object or JSON text) and raw delivery. */
export function readSubscription(
  resolver: ResourceResolver,
  logicalId: string,
  properties: Record<string, unknown>,
): TemplateSubscription {
  const topicArn = resolver.resolveString(properties.TopicArn, 'TopicArn');
  const protocol = resolver.resolveString(properties.Protocol, 'Protocol');
  const endpoint = resolver.resolveString(properties.Endpoint, 'Endpoint');
  let filterPolicy: string | undefined;
  if (properties.FilterPolicy !== undefined) {
    const policy = resolver.resolve(properties.FilterPolicy);
    filterPolicy = typeof policy === 'string' ? policy : JSON.stringify(policy);
  }
  const scope =
    properties.FilterPolicyScope === undefined
      ? undefined
      : resolver.resolveString(properties.FilterPolicyScope, 'FilterPolicyScope');
  const raw = properties.RawMessageDelivery === undefined ? false : resolver.resolve(properties.RawMessageDelivery);
  return {
    logicalId,
    topicArn,
    protocol,
    endpoint,
    ...(filterPolicy !== undefined ? { filterPolicy } : {}),
    ...(scope !== undefined ? { filterPolicyScope: scope } : {}),
    rawMessageDelivery: raw === true || raw === 'true',
  };
}
