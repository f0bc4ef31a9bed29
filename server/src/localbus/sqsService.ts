// SQS, in memory: the queues of one region and their messages (sqsOperations.ts serves them over the wire).
// Queue policies are kept as the queue's Policy attribute but not enforced.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AwsServiceError, arn } from './awsJsonProtocol';

export interface MessageAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  /** Base64, as the JSON protocol carries blobs. */
  readonly BinaryValue?: string;
}

export interface SqsMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly md5OfMessageAttributes?: string;
  readonly sentTimestamp: number;
  readonly senderId: string;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  readonly sequenceNumber?: string;
  /** When the message may be received (again): after its delay, or when its visibility timeout ends. */
  visibleAtMs: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** The receipt handle of the latest receive; an older one no longer changes visibility. */
  receiptHandle?: string;
  /** For a message a redrive policy moved to this queue: the queue it came from. */
  readonly deadLetterQueueSourceArn?: string;
}

export interface SqsQueue {
  readonly name: string;
  readonly arn: string;
  readonly fifo: boolean;
  readonly createdTimestamp: number;
  lastModifiedTimestamp: number;
  /** The queue's attributes as SetQueueAttributes / CreateQueue give them (strings, as the API carries them). */
  readonly attributes: Map<string, string>;
  readonly tags: Map<string, string>;
  messages: SqsMessage[];
  /** Long polls waiting for a message to arrive. */
  readonly waiters: Set<() => void>;
  /** FIFO deduplication ids seen in the last five minutes, with when they were sent. */
  readonly dedup: Map<string, { at: number; messageId: string; sequenceNumber?: string }>;
  sequence: bigint;
}

export interface SendOptions {
  readonly attributes?: Readonly<Record<string, MessageAttributeValue>>;
  readonly delaySeconds?: number;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  readonly senderId?: string;
}

export interface SqsStoreLimits {
  readonly maxQueues: number;
  /** Messages kept per queue; SQS keeps any number, the local bus refuses a send past this. */
  readonly maxMessagesPerQueue: number;
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** The SenderId of messages the local bus itself sends (rule targets, SNS, dead letters): an AWS service's, not a user's. */
const SERVICE_SENDER_ID = 'AROALOCALBUSSERVICE00:events.amazonaws.com';
const DEDUP_WINDOW_MS = 5 * 60_000;

export const QUEUE_DEFAULTS: Readonly<Record<string, string>> = {
  DelaySeconds: '0',
  MaximumMessageSize: '262144',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
};

export class SqsStore {
  readonly queues = new Map<string, SqsQueue>();

  constructor(
    readonly region: string,
    readonly accountId: string,
    /** The local bus's base URL, `http://127.0.0.1:<port>`, known once it listens. */
    private readonly baseUrl: () => string,
    readonly limits: SqsStoreLimits,
    private readonly now: () => number = Date.now,
  ) {}

  queueUrl(name: string): string {
    return `${this.baseUrl()}/${this.accountId}/${name}`;
  }

  /** Creates a queue, or returns the existing one when its attributes agree (as CreateQueue does). */
  createQueue(
    name: string,
    attributes: Readonly<Record<string, string>> = {},
    tags: Readonly<Record<string, string>> = {},
  ): SqsQueue {
    const fifo = name.endsWith('.fifo');
    const base = fifo ? name.slice(0, -'.fifo'.length) : name;
    if (!QUEUE_NAME.test(base) || name.length > 80)
      throw new AwsServiceError(
        'InvalidParameterValue',
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    // `.fifo` names a FIFO queue only together with the FifoQueue attribute, and the attribute needs the suffix.
    checkQueueAttributes(attributes);
    const wantsFifo = attributes.FifoQueue === 'true';
    if (wantsFifo && !fifo)
      throw new AwsServiceError(
        'InvalidParameterValue',
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
      );
    if (fifo && !wantsFifo)
      throw new AwsServiceError(
        'InvalidParameterValue',
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    const existing = this.queues.get(name);
    if (existing) {
      for (const [key, value] of Object.entries(attributes)) {
        const current = existing.attributes.get(key) ?? QUEUE_DEFAULTS[key];
        if (current !== undefined && current !== value)
          throw new AwsServiceError(
            'QueueNameExists',
            `A queue already exists with the same name and a different value for attribute ${key}`,
          );
      }
      return existing;
    }
    if (this.queues.size >= this.limits.maxQueues)
      throw new AwsServiceError('OverLimit', 'The local bus keeps a limited number of queues.', 403);
    const nowSeconds = Math.floor(this.now() / 1000);
    const queue: SqsQueue = {
      name,
      arn: arn('sqs', this.region, this.accountId, name),
      fifo,
      createdTimestamp: nowSeconds,
      lastModifiedTimestamp: nowSeconds,
      attributes: new Map(Object.entries(attributes)),
      tags: new Map(Object.entries(tags)),
      messages: [],
      waiters: new Set(),
      dedup: new Map(),
      sequence: 0n,
    };
    this.queues.set(name, queue);
    return queue;
  }

  /** A queue by name; SQS's "does not exist" error otherwise. */
  queue(name: string): SqsQueue {
    const queue = this.queues.get(name);
    if (!queue) throw nonExistentQueue();
    return queue;
  }

  queueByArn(queueArn: string): SqsQueue {
    const m = /^arn:[^:]+:sqs:([^:]*):([^:]*):(.+)$/.exec(queueArn);
    if (!m || m[1] !== this.region || m[2] !== this.accountId) throw nonExistentQueue();
    return this.queue(m[3]);
  }

  attribute(queue: SqsQueue, name: string): string {
    return queue.attributes.get(name) ?? QUEUE_DEFAULTS[name] ?? '';
  }

  /** Sends one message; the message stored (or, for a FIFO duplicate, the one sent first). */
  send(queue: SqsQueue, body: string, options: SendOptions = {}): SqsMessage {
    if (body.length === 0)
      throw new AwsServiceError('MissingParameter', 'The request must contain the parameter MessageBody.');
    const now = this.now();
    const attributes = options.attributes ?? {};
    const size = Buffer.byteLength(body, 'utf8') + attributesSize(attributes);
    const max = Number(this.attribute(queue, 'MaximumMessageSize'));
    if (size > max)
      throw new AwsServiceError(
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`,
      );
    if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(body))
      throw new AwsServiceError(
        'InvalidMessageContents',
        'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
      );
    let dedupId: string | undefined;
    let dedupKey: string | undefined;
    let sequenceNumber: string | undefined;
    if (queue.fifo) {
      if (options.messageGroupId === undefined)
        throw new AwsServiceError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
      if (options.delaySeconds !== undefined && options.delaySeconds !== 0)
        throw new AwsServiceError(
          'InvalidParameterValue',
          'Value ' +
            String(options.delaySeconds) +
            ' for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
        );
      dedupId = options.messageDeduplicationId;
      if (dedupId === undefined) {
        if (this.attribute(queue, 'ContentBasedDeduplication') !== 'true')
          throw new AwsServiceError(
            'InvalidParameterValue',
            'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          );
        dedupId = createHash('sha256').update(body, 'utf8').digest('hex');
      }
      for (const [id, seen] of queue.dedup) if (now - seen.at >= DEDUP_WINDOW_MS) queue.dedup.delete(id);
      dedupKey =
        this.attribute(queue, 'DeduplicationScope') === 'messageGroup'
          ? `${options.messageGroupId}\u0000${dedupId}`
          : dedupId;
      const seen = queue.dedup.get(dedupKey);
      // A duplicate is accepted, not stored: the answer names the message first sent, with the digests of what
      // this request sent (which the SDKs check against their own).
      if (seen)
        return {
          messageId: seen.messageId,
          body,
          md5OfBody: md5(body),
          attributes,
          ...(Object.keys(attributes).length > 0 ? { md5OfMessageAttributes: md5OfMessageAttributes(attributes) } : {}),
          sentTimestamp: seen.at,
          senderId: options.senderId ?? this.accountId,
          visibleAtMs: now,
          receiveCount: 0,
          ...(seen.sequenceNumber !== undefined ? { sequenceNumber: seen.sequenceNumber } : {}),
        };
      queue.sequence += 1n;
      sequenceNumber = (18_000_000_000_000_000_000n + queue.sequence).toString();
    }
    if (queue.messages.length >= this.limits.maxMessagesPerQueue)
      throw new AwsServiceError(
        'OverLimit',
        `The local bus keeps at most ${this.limits.maxMessagesPerQueue} messages per queue.`,
        403,
      );
    const delay = options.delaySeconds ?? Number(this.attribute(queue, 'DelaySeconds'));
    const message: SqsMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5(body),
      attributes,
      ...(Object.keys(attributes).length > 0 ? { md5OfMessageAttributes: md5OfMessageAttributes(attributes) } : {}),
      sentTimestamp: now,
      senderId: options.senderId ?? this.accountId,
      ...(options.messageGroupId !== undefined ? { messageGroupId: options.messageGroupId } : {}),
      ...(dedupId !== undefined ? { messageDeduplicationId: dedupId } : {}),
      ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
      visibleAtMs: now + delay * 1000,
      receiveCount: 0,
    };
    if (dedupKey !== undefined)
      queue.dedup.set(dedupKey, {
        at: now,
        messageId: message.messageId,
        ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
      });
    queue.messages.push(message);
    for (const wake of [...queue.waiters]) wake();
    return message;
  }

  /** Drops messages past the queue's retention period. */
  private expire(queue: SqsQueue, now: number): void {
    const retentionMs = Number(this.attribute(queue, 'MessageRetentionPeriod')) * 1000;
    if (queue.messages.length > 0 && now - queue.messages[0].sentTimestamp >= retentionMs)
      queue.messages = queue.messages.filter((m) => now - m.sentTimestamp < retentionMs);
  }

  /** The queue's redrive policy, when it has a dead-letter queue. */
  private redrive(queue: SqsQueue): { deadLetterTargetArn: string; maxReceiveCount: number } | undefined {
    const text = queue.attributes.get('RedrivePolicy');
    if (!text) return undefined;
    try {
      const policy = JSON.parse(text) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
      const max = Number(policy.maxReceiveCount);
      if (typeof policy.deadLetterTargetArn === 'string' && Number.isInteger(max) && max >= 1)
        return { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: max };
    } catch {
      // an unreadable policy was refused when set; nothing to do here
    }
    return undefined;
  }

  /** Moves `message` to the queue's dead-letter queue (as SQS does once it was received maxReceiveCount times). */
  private moveToDeadLetterQueue(queue: SqsQueue, message: SqsMessage, deadLetterArn: string): boolean {
    const m = /^arn:[^:]+:sqs:([^:]*):([^:]*):(.+)$/.exec(deadLetterArn);
    const target = m && m[1] === this.region && m[2] === this.accountId ? this.queues.get(m[3]) : undefined;
    if (!target || target === queue) return false;
    queue.messages = queue.messages.filter((x) => x !== message);
    target.messages.push({
      ...message,
      attributes: message.attributes,
      visibleAtMs: this.now(),
      receiptHandle: undefined,
      deadLetterQueueSourceArn: queue.arn,
    });
    for (const wake of [...target.waiters]) wake();
    return true;
  }

  /** Up to `max` messages that can be received now, made invisible for `visibilitySeconds`. */
  receive(queue: SqsQueue, max: number, visibilitySeconds: number): SqsMessage[] {
    const now = this.now();
    this.expire(queue, now);
    const redrive = this.redrive(queue);
    const received: SqsMessage[] = [];
    // FIFO: a message group whose earlier message is not visible (in flight or delayed) waits, so order is kept.
    const blockedGroups = new Set<string>();
    for (const message of [...queue.messages]) {
      if (received.length >= max) break;
      const group = message.messageGroupId;
      if (queue.fifo && group !== undefined && blockedGroups.has(group)) continue;
      if (message.visibleAtMs > now) {
        if (queue.fifo && group !== undefined) blockedGroups.add(group);
        continue;
      }
      if (
        redrive &&
        message.receiveCount >= redrive.maxReceiveCount &&
        this.moveToDeadLetterQueue(queue, message, redrive.deadLetterTargetArn)
      )
        continue;
      message.receiveCount++;
      message.firstReceiveTimestamp ??= now;
      message.visibleAtMs = now + visibilitySeconds * 1000;
      message.receiptHandle = receiptHandle(queue, message);
      received.push(message);
    }
    return received;
  }

  /** When the next not-yet-visible message becomes visible (for long polls), or undefined. */
  nextVisibleAt(queue: SqsQueue): number | undefined {
    let next: number | undefined;
    const now = this.now();
    for (const m of queue.messages)
      if (m.visibleAtMs > now && (next === undefined || m.visibleAtMs < next)) next = m.visibleAtMs;
    return next;
  }

  /** Deletes the message a receipt handle names; a handle of a message already deleted succeeds, as in SQS. */
  deleteMessage(queue: SqsQueue, handle: string): void {
    const messageId = messageIdOfHandle(queue, handle);
    queue.messages = queue.messages.filter((m) => m.messageId !== messageId);
  }

  changeVisibility(queue: SqsQueue, handle: string, visibilitySeconds: number): void {
    const messageId = messageIdOfHandle(queue, handle);
    const now = this.now();
    const message = queue.messages.find((m) => m.messageId === messageId);
    if (!message || message.receiveCount === 0 || message.visibleAtMs <= now)
      throw new AwsServiceError('MessageNotInflight', 'The message referred to is not in flight.');
    message.visibleAtMs = now + visibilitySeconds * 1000;
  }

  purge(queue: SqsQueue): void {
    queue.messages = [];
  }

  /** The queue's attributes as GetQueueAttributes gives them. */
  queueAttributes(queue: SqsQueue): Record<string, string> {
    const now = this.now();
    this.expire(queue, now);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of queue.messages) {
      if (m.visibleAtMs <= now) visible++;
      else if (m.receiveCount > 0) inFlight++;
      else delayed++;
    }
    const out: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(inFlight),
      ApproximateNumberOfMessagesDelayed: String(delayed),
      CreatedTimestamp: String(queue.createdTimestamp),
      LastModifiedTimestamp: String(queue.lastModifiedTimestamp),
      ...QUEUE_DEFAULTS,
      SqsManagedSseEnabled: 'true',
    };
    for (const [k, v] of queue.attributes) out[k] = v;
    if (!queue.fifo) delete out.FifoQueue;
    return out;
  }

  /** Changes attributes (SetQueueAttributes); FifoQueue cannot change. */
  setAttributes(queue: SqsQueue, attributes: Readonly<Record<string, string>>): void {
    checkQueueAttributes(attributes);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'FifoQueue' && value !== String(queue.fifo))
        throw new AwsServiceError('InvalidAttributeValue', 'Invalid value for the parameter FifoQueue.');
      queue.attributes.set(name, value);
    }
    queue.lastModifiedTimestamp = Math.floor(this.now() / 1000);
  }

  /**
   * What targets and dead-letter configurations use: sends `body` to the queue `queueArn` of this region. FIFO
   * queues need `messageGroupId`; without a deduplication id the body's hash is used, as for content-based
   * deduplication.
   */
  sendToQueue(
    queueArn: string,
    body: string,
    options: { attributes?: Readonly<Record<string, MessageAttributeValue>>; messageGroupId?: string | undefined } = {},
  ): SqsMessage {
    const queue = this.queueByArn(queueArn);
    return this.send(queue, body, {
      ...(options.attributes ? { attributes: options.attributes } : {}),
      ...(options.messageGroupId !== undefined ? { messageGroupId: options.messageGroupId } : {}),
      ...(queue.fifo && this.attribute(queue, 'ContentBasedDeduplication') !== 'true'
        ? { messageDeduplicationId: createHash('sha256').update(body, 'utf8').digest('hex') }
        : {}),
      senderId: SERVICE_SENDER_ID,
    });
  }
}

export function nonExistentQueue(): AwsServiceError {
  return new AwsServiceError('QueueDoesNotExist', 'The specified queue does not exist.');
}

/** A receipt handle: names the queue and the message, and differs on each receive. */
function receiptHandle(queue: SqsQueue, message: SqsMessage): string {
  return Buffer.from(`${queue.name} ${message.messageId} ${randomBytes(12).toString('hex')}`, 'utf8').toString(
    'base64',
  );
}

function messageIdOfHandle(queue: SqsQueue, handle: string): string {
  const parts = Buffer.from(handle, 'base64').toString('utf8').split(' ');
  if (parts.length !== 3 || parts[0] !== queue.name || !/^[0-9a-f-]{36}$/.test(parts[1]))
    throw new AwsServiceError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    );
  return parts[1];
}

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** SQS's digest of message attributes: each, sorted by name, as length-prefixed name, type, transport byte and value. */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, MessageAttributeValue>>): string {
  const hash = createHash('md5');
  const lengthPrefixed = (bytes: Buffer): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name];
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(value.DataType, 'utf8'));
    if (value.BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      lengthPrefixed(Buffer.from(value.BinaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

function attributesSize(attributes: Readonly<Record<string, MessageAttributeValue>>): number {
  let n = 0;
  for (const [name, v] of Object.entries(attributes))
    n +=
      Buffer.byteLength(name, 'utf8') +
      Buffer.byteLength(v.DataType, 'utf8') +
      (v.BinaryValue !== undefined
        ? Buffer.from(v.BinaryValue, 'base64').length
        : Buffer.byteLength(v.StringValue ?? '', 'utf8'));
  return n;
}

// ---- queue attributes ----

const QUEUE_ATTRIBUTE_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};
export const SETTABLE_ATTRIBUTES = new Set([
  ...Object.keys(QUEUE_ATTRIBUTE_RANGES),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'KmsMasterKeyId',
  'SqsManagedSseEnabled',
]);
function checkQueueAttributes(attributes: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (!SETTABLE_ATTRIBUTES.has(name)) throw new AwsServiceError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    const range = attributeRange(name);
    const invalid = (): never => {
      throw new AwsServiceError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
    };
    if (range && (!/^\d+$/.test(value) || Number(value) < range[0] || Number(value) > range[1])) invalid();
    if (
      ['FifoQueue', 'ContentBasedDeduplication', 'SqsManagedSseEnabled'].includes(name) &&
      !/^(true|false)$/.test(value)
    )
      invalid();
    if (name === 'RedrivePolicy' || name === 'Policy' || name === 'RedriveAllowPolicy') {
      try {
        JSON.parse(value);
      } catch {
        invalid();
      }
    }
  }
}

function attributeRange(name: string): readonly [number, number] | undefined {
  return Object.hasOwn(QUEUE_ATTRIBUTE_RANGES, name) ? QUEUE_ATTRIBUTE_RANGES[name] : undefined;
}
