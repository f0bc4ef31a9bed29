// SNS's own API, as far as trying a topic's fan-out needs it: CreateTopic, ListTopics, Subscribe, Unsubscribe,
// ListSubscriptionsByTopic and Publish, over the query protocol SNS still speaks (form-encoded `Action=...`
// requests, XML answers), so `aws sns publish --endpoint-url ...` reaches the local bus's topics.
import { AwsServiceError } from './awsJsonProtocol';
import type { SnsAttribute, SnsStore } from './snsService';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** Which requests are SNS query requests: SigV4-signed for the `sns` service. */
export function isSnsQueryRequest(authorization: string | undefined, body: string): boolean {
  return (
    /Credential=[^/,\s]*\/\d{8}\/[^/,\s]+\/sns\/aws4_request/.test(authorization ?? '') && /(^|&)Action=/.test(body)
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `{ a: 'x', b: [{ c: 'y' }] }` → `<a>x</a><b><member><c>y</c></member></b>` */
function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? escapeXml(String(value))
    : '';
}

export function snsResponseXml(action: string, result: Record<string, unknown>, requestId: string): string {
  return (
    `<?xml version="1.0"?>\n<${action}Response xmlns="${XMLNS}"><${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function snsErrorXml(error: AwsServiceError, requestId: string): string {
  return (
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${XMLNS}"><Error><Type>${error.status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

function invalid(message: string): never {
  throw new AwsServiceError('InvalidParameter', `Invalid parameter: ${message}`);
}

function required(params: URLSearchParams, name: string): string {
  const v = params.get(name);
  if (v === null || v === '') invalid(`${name} Reason: cannot be empty`);
  return v;
}

/** `Prefix.entry.N.<key>` / `Prefix.entry.N.<value>` pairs as a map (Attributes, MessageAttributes). */
function entries(params: URLSearchParams, prefix: string, key: string): Map<string, Map<string, string>> {
  const byIndex = new Map<string, Map<string, string>>();
  for (const [name, value] of params) {
    const m = new RegExp(`^${prefix}\\.entry\\.(\\d+)\\.(.+)$`).exec(name);
    if (!m) continue;
    const entry = byIndex.get(m[1]) ?? new Map<string, string>();
    entry.set(m[2], value);
    byIndex.set(m[1], entry);
  }
  const out = new Map<string, Map<string, string>>();
  for (const entry of byIndex.values()) {
    const name = entry.get(key);
    if (name !== undefined) out.set(name, entry);
  }
  return out;
}

function simpleAttributes(params: URLSearchParams, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, entry] of entries(params, prefix, 'key')) out.set(name, entry.get('value') ?? '');
  return out;
}

function messageAttributes(params: URLSearchParams): Record<string, SnsAttribute> {
  const out: Record<string, SnsAttribute> = {};
  for (const [name, entry] of entries(params, 'MessageAttributes', 'Name')) {
    const type = entry.get('Value.DataType');
    const value = entry.get('Value.StringValue') ?? entry.get('Value.BinaryValue');
    if (!type) invalid(`MessageAttributes: The message attribute '${name}' must contain a non-empty type.`);
    if (value === undefined || value === '')
      invalid(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
      );
    out[name] = { Type: type, Value: value };
  }
  if (Object.keys(out).length > 10) invalid('MessageAttributes: Number of message attributes [11] exceeds the limit');
  return out;
}

/** Answers one SNS query request; returns the result members for the XML response. */
export function runSnsAction(
  store: SnsStore,
  params: URLSearchParams,
): { action: string; result: Record<string, unknown> } {
  const action = params.get('Action') ?? '';
  switch (action) {
    case 'CreateTopic': {
      const attributes = simpleAttributes(params, 'Attributes');
      const topic = store.createTopic(required(params, 'Name'), {
        fifo: attributes.get('FifoTopic') === 'true',
        contentBasedDeduplication: attributes.get('ContentBasedDeduplication') === 'true',
      });
      return { action, result: { TopicArn: topic.arn } };
    }
    case 'ListTopics':
      return { action, result: { Topics: [...store.topics.values()].map((t) => ({ TopicArn: t.arn })) } };
    case 'Subscribe': {
      const topic = store.topicByArn(required(params, 'TopicArn'));
      const attributes = simpleAttributes(params, 'Attributes');
      const filterPolicy = attributes.get('FilterPolicy');
      const scope = attributes.get('FilterPolicyScope');
      const subscription = store.subscribe(topic, {
        protocol: required(params, 'Protocol'),
        endpoint: required(params, 'Endpoint'),
        ...(filterPolicy !== undefined ? { filterPolicy } : {}),
        ...(scope !== undefined ? { filterPolicyScope: scope } : {}),
        rawMessageDelivery: attributes.get('RawMessageDelivery') === 'true',
      });
      return { action, result: { SubscriptionArn: subscription.arn } };
    }
    case 'Unsubscribe': {
      const arn = required(params, 'SubscriptionArn');
      for (const topic of store.topics.values()) {
        const i = topic.subscriptions.findIndex((s) => s.arn === arn);
        if (i >= 0) topic.subscriptions.splice(i, 1);
      }
      return { action, result: {} };
    }
    case 'ListSubscriptionsByTopic': {
      const topic = store.topicByArn(required(params, 'TopicArn'));
      return {
        action,
        result: {
          Subscriptions: topic.subscriptions.map((s) => ({
            TopicArn: s.topicArn,
            Protocol: s.protocol,
            SubscriptionArn: s.arn,
            Owner: store.accountId,
            Endpoint: s.endpoint,
          })),
        },
      };
    }
    case 'Publish': {
      const topicArn = params.get('TopicArn') ?? params.get('TargetArn');
      if (!topicArn) invalid('TopicArn or TargetArn Reason: no value for required parameter');
      const subject = params.get('Subject') ?? undefined;
      const groupId = params.get('MessageGroupId') ?? undefined;
      const messageId = store.publish(store.topicByArn(topicArn), params.get('Message') ?? '', {
        attributes: messageAttributes(params),
        ...(subject !== undefined ? { subject } : {}),
        ...(groupId !== undefined ? { messageGroupId: groupId } : {}),
      });
      return { action, result: { MessageId: messageId } };
    }
    default:
      throw new AwsServiceError('InvalidAction', `The local bus does not implement SNS ${action || '(no Action)'}.`);
  }
}
