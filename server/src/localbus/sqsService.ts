// SQS, in memory: the queues of one region and their messages, and the AWS JSON 1.0 operations over them (the
// protocol of the current SDKs and of the AWS CLI: `X-Amz-Target: AmazonSQS.<Operation>`). Queue policies are kept
// as the queue's Policy attribute but not enforced.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AwsServiceError, arn, compact, pageByOffset } from './awsJsonProtocol';

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
      if (seen) {
        const original = queue.messages.find((m) => m.messageId === seen.messageId);
        if (original) return original;
        return {
          messageId: seen.messageId,
          body,
          md5OfBody: md5(body),
          attributes,
          md5OfMessageAttributes: md5OfMessageAttributes(attributes),
          sentTimestamp: seen.at,
          senderId: options.senderId ?? this.accountId,
          visibleAtMs: now,
          receiveCount: 0,
          ...(seen.sequenceNumber !== undefined ? { sequenceNumber: seen.sequenceNumber } : {}),
        };
      }
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

/**
 * The codes of SQS's query protocol for the error shapes of its JSON model (SQS is "awsQueryCompatible": the
 * `x-amzn-query-error` header carries them, and the SDKs and the CLI show them, e.g.
 * `AWS.SimpleQueueService.NonExistentQueue`), with their HTTP status. Errors not listed keep their name as code.
 */
const QUERY_ERRORS: Readonly<Record<string, readonly [string, number]>> = {
  QueueDoesNotExist: ['AWS.SimpleQueueService.NonExistentQueue', 400],
  QueueNameExists: ['QueueAlreadyExists', 400],
  BatchEntryIdsNotDistinct: ['AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400],
  BatchRequestTooLong: ['AWS.SimpleQueueService.BatchRequestTooLong', 400],
  EmptyBatchRequest: ['AWS.SimpleQueueService.EmptyBatchRequest', 400],
  InvalidBatchEntryId: ['AWS.SimpleQueueService.InvalidBatchEntryId', 400],
  TooManyEntriesInBatchRequest: ['AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400],
  MessageNotInflight: ['AWS.SimpleQueueService.MessageNotInflight', 400],
  PurgeQueueInProgress: ['AWS.SimpleQueueService.PurgeQueueInProgress', 403],
  UnsupportedOperation: ['AWS.SimpleQueueService.UnsupportedOperation', 400],
  ReceiptHandleIsInvalid: ['ReceiptHandleIsInvalid', 404],
  OverLimit: ['OverLimit', 403],
  InvalidAddress: ['InvalidAddress', 404],
};

/** How an SQS error goes on the wire: the JSON `__type`, the `x-amzn-query-error` header and the status. */
export function sqsErrorWire(error: AwsServiceError): { type: string; queryError: string; status: number } {
  const known = QUERY_ERRORS[error.code];
  const status = known?.[1] ?? error.status;
  return {
    type: `com.amazonaws.sqs#${error.code}`,
    queryError: `${known?.[0] ?? error.code};${status >= 500 ? 'Receiver' : 'Sender'}`,
    status,
  };
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

// ---- the JSON 1.0 operations ----

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

export interface SqsContext {
  /** The store of another region, for a queue URL that names one. */
  regionStore(region: string): SqsStore;
  /** Ends long polls early: the client went away or the bus is closing. */
  readonly signal: AbortSignal;
  /** The longest long poll the local bus holds (SQS: 20 seconds). */
  readonly maxWaitSeconds: number;
}

const QUEUE_ATTRIBUTE_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};
const SETTABLE_ATTRIBUTES = new Set([
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
const READ_ONLY_ATTRIBUTES = new Set([
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
]);
const MESSAGE_SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'DeadLetterQueueSourceArn',
] as const;

/** Reads SQS request members, failing with SQS's errors. */
class SqsInput {
  constructor(private readonly input: Input) {}

  missing(name: string): never {
    throw new AwsServiceError('MissingParameter', `The request must contain the parameter ${name}.`);
  }

  invalid(name: string, value: unknown, reason?: string): never {
    throw new AwsServiceError(
      'InvalidParameterValue',
      `Value ${typeof value === 'string' ? value : JSON.stringify(value)} for parameter ${name} is invalid.${reason ? ` Reason: ${reason}` : ''}`,
    );
  }

  optionalString(name: string): string | undefined {
    const v = this.input[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.invalid(name, v, 'Must be a string.');
    return v;
  }

  string(name: string): string {
    const v = this.optionalString(name);
    if (v === undefined || v === '') this.missing(name);
    return v;
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    let v = this.input[name];
    if (v === undefined || v === null) return undefined;
    // The CLI and the SDKs send numbers; a numeric string is what the query protocol sent, accepted as well.
    if (typeof v === 'string' && /^-?\d+$/.test(v)) v = Number(v);
    if (typeof v !== 'number' || !Number.isInteger(v)) this.invalid(name, v, 'Must be an integer.');
    if (v < min || v > max) this.invalid(name, v, `Must be between ${min} and ${max}, if provided.`);
    return v;
  }

  stringList(name: string): string[] {
    const v = this.input[name];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      this.invalid(name, v, 'Must be a list of strings.');
    return v;
  }

  stringMap(name: string): Record<string, string> {
    const v = this.input[name];
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) this.invalid(name, v, 'Must be a map of strings.');
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean')
        this.invalid(`${name}.${k}`, x, 'Must be a string.');
      out[k] = String(x);
    }
    return out;
  }

  list(name: string): unknown[] | undefined {
    const v = this.input[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.invalid(name, v, 'Must be a list.');
    return v as unknown[];
  }

  messageAttributes(name = 'MessageAttributes'): Record<string, MessageAttributeValue> {
    const v = this.input[name];
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) this.invalid(name, v, 'Must be a map.');
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length > 10)
      throw new AwsServiceError('InvalidParameterValue', 'Number of message attributes cannot exceed 10.');
    const out: Record<string, MessageAttributeValue> = {};
    for (const [attr, raw] of entries) {
      const a = raw as Record<string, unknown> | null;
      if (!/^[A-Za-z0-9_.-]{1,256}$/.test(attr) || attr.startsWith('AWS.') || attr.startsWith('Amazon.'))
        throw new AwsServiceError('InvalidParameterValue', `Message attribute name '${attr}' is invalid.`);
      const type = a && typeof a === 'object' ? a.DataType : undefined;
      if (typeof type !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(type))
        throw new AwsServiceError(
          'InvalidParameterValue',
          `The message attribute '${attr}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
        );
      const binary = type.startsWith('Binary');
      const value = binary ? a?.BinaryValue : a?.StringValue;
      if (typeof value !== 'string' || value === '')
        throw new AwsServiceError(
          'InvalidParameterValue',
          `The message attribute '${attr}' must contain non-empty message attribute value for message attribute type '${type.split('.')[0]}'.`,
        );
      if (type.startsWith('Number') && !Number.isFinite(Number(value)))
        throw new AwsServiceError(
          'InvalidParameterValue',
          `Can't cast the value of message (user) attribute '${attr}' to a number.`,
        );
      out[attr] = binary ? { DataType: type, BinaryValue: value } : { DataType: type, StringValue: value };
    }
    return out;
  }
}

/** The queue a QueueUrl names: `<scheme>://<any host>/<account>/<name>`; the host's region, if it names one. */
function queueOf(store: SqsStore, r: SqsInput, context: SqsContext): { store: SqsStore; queue: SqsQueue } {
  const text = r.string('QueueUrl');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AwsServiceError('InvalidAddress', `The address ${text} is not valid for this endpoint.`);
  }
  const parts = url.pathname.split('/').filter((p) => p !== '');
  if (parts.length !== 2)
    throw new AwsServiceError('InvalidAddress', `The address ${text} is not valid for this endpoint.`);
  const [account, name] = parts.map((p) => decodeURIComponent(p));
  if (account !== store.accountId) throw nonExistentQueue();
  const region = /^(?:sqs\.)?([a-z]{2}(?:-[a-z0-9]+){1,4})\.(?:queue\.)?amazonaws\.com(?:\.cn)?$/.exec(
    url.hostname,
  )?.[1];
  const owner = region !== undefined && region !== store.region ? context.regionStore(region) : store;
  return { store: owner, queue: owner.queue(name) };
}

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

/** The system attributes of a received message that `names` asks for. */
function systemAttributes(message: SqsMessage, names: readonly string[]): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const all = names.includes('All');
  const values: Record<string, string | undefined> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentTimestamp),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp:
      message.firstReceiveTimestamp === undefined ? undefined : String(message.firstReceiveTimestamp),
    SequenceNumber: message.sequenceNumber,
    MessageDeduplicationId: message.messageDeduplicationId,
    MessageGroupId: message.messageGroupId,
    DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn,
  };
  const out: Record<string, string> = {};
  for (const name of MESSAGE_SYSTEM_ATTRIBUTES) {
    const v = values[name];
    if (v !== undefined && (all || names.includes(name))) out[name] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The message attributes `names` asks for: `All`, `.*`, `prefix.*` or exact names. */
function selectedMessageAttributes(
  message: SqsMessage,
  names: readonly string[],
): Record<string, MessageAttributeValue> | undefined {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.attributes)) {
    const wanted = names.some(
      (n) => n === 'All' || n === '.*' || n === name || (n.endsWith('.*') && name.startsWith(n.slice(0, -1))),
    );
    if (wanted) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function sendOne(store: SqsStore, queue: SqsQueue, r: SqsInput): Output {
  const body = r.optionalString('MessageBody');
  if (body === undefined || body === '') r.missing('MessageBody');
  const message = store.send(queue, body, {
    attributes: r.messageAttributes(),
    ...optional('delaySeconds', r.optionalInteger('DelaySeconds', 0, 900)),
    ...optional('messageGroupId', r.optionalString('MessageGroupId')),
    ...optional('messageDeduplicationId', r.optionalString('MessageDeduplicationId')),
  });
  return compact({
    MessageId: message.messageId,
    MD5OfMessageBody: message.md5OfBody,
    MD5OfMessageAttributes: message.md5OfMessageAttributes,
    SequenceNumber: message.sequenceNumber,
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Runs `each` over a batch's entries, collecting Successful / Failed as the batch operations answer. */
function batch(r: SqsInput, entryShape: string, each: (entry: SqsInput, id: string) => Output): Output {
  const entries = r.list('Entries');
  if (!entries || entries.length === 0)
    throw new AwsServiceError('EmptyBatchRequest', `There should be at least one ${entryShape} in the request.`);
  if (entries.length > 10)
    throw new AwsServiceError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
    );
  const ids = new Set<string>();
  const successful: Output[] = [];
  const failed: Output[] = [];
  for (const raw of entries) {
    const entry = new SqsInput(raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Input) : {});
    const id = entry.string('Id');
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(id))
      throw new AwsServiceError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    if (ids.has(id)) throw new AwsServiceError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    ids.add(id);
    try {
      successful.push({ Id: id, ...each(entry, id) });
    } catch (e) {
      if (!(e instanceof AwsServiceError)) throw e;
      failed.push({ Id: id, SenderFault: e.status < 500, Code: e.code, Message: e.message });
    }
  }
  return { Successful: successful, Failed: failed };
}

async function waitForMessages(queue: SqsQueue, store: SqsStore, until: number, signal: AbortSignal): Promise<void> {
  const next = store.nextVisibleAt(queue);
  const wakeAt = next === undefined ? until : Math.min(next, until);
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      queue.waiters.delete(done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, wakeAt - Date.now()));
    queue.waiters.add(done);
    signal.addEventListener('abort', done);
  });
}

export const sqsOperations: Record<
  string,
  (store: SqsStore, input: Input, context: SqsContext) => Output | Promise<Output>
> = {
  CreateQueue(store, input) {
    const r: SqsInput = new SqsInput(input);
    const name = r.string('QueueName');
    const attributes = r.stringMap('Attributes');
    const queue = store.createQueue(name, attributes, r.stringMap('tags'));
    return { QueueUrl: store.queueUrl(queue.name) };
  },

  GetQueueUrl(store, input) {
    const r: SqsInput = new SqsInput(input);
    const name = r.string('QueueName');
    const owner = r.optionalString('QueueOwnerAWSAccountId');
    if (owner !== undefined && owner !== store.accountId) throw nonExistentQueue();
    return { QueueUrl: store.queueUrl(store.queue(name).name) };
  },

  ListQueues(store, input) {
    const r: SqsInput = new SqsInput(input);
    const prefix = r.optionalString('QueueNamePrefix') ?? '';
    const max = r.optionalInteger('MaxResults', 1, 1000);
    const names = [...store.queues.keys()].filter((n) => n.startsWith(prefix)).sort();
    const token = r.optionalString('NextToken');
    if (token !== undefined && max === undefined)
      throw new AwsServiceError(
        'InvalidParameterValue',
        'MaxResults is a mandatory parameter when you provide a value for NextToken.',
      );
    const { page, nextToken } = pageByOffset(
      names,
      token,
      max ?? 1000,
      `ListQueues:${prefix}`,
      'InvalidParameterValue',
    );
    return compact({
      QueueUrls: page.length > 0 ? page.map((n) => store.queueUrl(n)) : undefined,
      NextToken: max !== undefined ? nextToken : undefined,
    });
  },

  DeleteQueue(store, input, context) {
    const { store: owner, queue } = queueOf(store, new SqsInput(input), context);
    owner.queues.delete(queue.name);
    for (const wake of [...queue.waiters]) wake();
    return {};
  },

  GetQueueAttributes(store, input, context) {
    const r: SqsInput = new SqsInput(input);
    const { store: owner, queue } = queueOf(store, r, context);
    const names = r.stringList('AttributeNames');
    const all = owner.queueAttributes(queue);
    for (const n of names)
      if (n !== 'All' && !SETTABLE_ATTRIBUTES.has(n) && !READ_ONLY_ATTRIBUTES.has(n))
        throw new AwsServiceError('InvalidAttributeName', `Unknown Attribute ${n}.`);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(all)) if (names.includes('All') || names.includes(k)) out[k] = v;
    return Object.keys(out).length > 0 ? { Attributes: out } : {};
  },

  SetQueueAttributes(store, input, context) {
    const r: SqsInput = new SqsInput(input);
    const { store: owner, queue } = queueOf(store, r, context);
    const attributes = r.stringMap('Attributes');
    owner.setAttributes(queue, attributes);
    return {};
  },

  PurgeQueue(store, input, context) {
    const { store: owner, queue } = queueOf(store, new SqsInput(input), context);
    owner.purge(queue);
    return {};
  },

  SendMessage(store, input, context) {
    const r: SqsInput = new SqsInput(input);
    const { store: owner, queue } = queueOf(store, r, context);
    return sendOne(owner, queue, r);
  },

  SendMessageBatch(store, input, context) {
    const r: SqsInput = new SqsInput(input);
    const { store: owner, queue } = queueOf(store, r, context);
    return batch(r, 'SendMessageBatchRequestEntry', (entry) => sendOne(owner, queue, entry));
  },

  async ReceiveMessage(store, input, context) {
    const r: SqsInput = new SqsInput(input);
    const { store: owner, queue } = queueOf(store, r, context);
    const max = r.optionalInteger('MaxNumberOfMessages', 1, 10) ?? 1;
    const visibility =
      r.optionalInteger('VisibilityTimeout', 0, 43_200) ?? Number(owner.attribute(queue, 'VisibilityTimeout'));
    const wait =
      r.optionalInteger('WaitTimeSeconds', 0, 20) ?? Number(owner.attribute(queue, 'ReceiveMessageWaitTimeSeconds'));
    const systemNames = [...r.stringList('AttributeNames'), ...r.stringList('MessageSystemAttributeNames')];
    const attributeNames = r.stringList('MessageAttributeNames');
    r.optionalString('ReceiveRequestAttemptId');
    const until = Date.now() + Math.min(wait, context.maxWaitSeconds) * 1000;
    let messages = owner.receive(queue, max, visibility);
    while (
      messages.length === 0 &&
      Date.now() < until &&
      !context.signal.aborted &&
      owner.queues.get(queue.name) === queue
    ) {
      await waitForMessages(queue, owner, until, context.signal);
      messages = owner.receive(queue, max, visibility);
    }
    if (messages.length === 0) return {};
    return {
      Messages: messages.map((m) => {
        const attributes = selectedMessageAttributes(m, attributeNames);
        return compact({
          MessageId: m.messageId,
          ReceiptHandle: m.receiptHandle,
          MD5OfBody: m.md5OfBody,
          Body: m.body,
          Attributes: systemAttributes(m, systemNames),
          MessageAttributes: attributes,
          MD5OfMessageAttributes: attributes ? md5OfMessageAttributes(attributes) : undefined,
        });
      }),
    };
  },

  DeleteMessage(store, input, context) {
    const r: SqsInput = new SqsInput(input);
    const { store: owner, queue } = queueOf(store, r, context);
    owner.deleteMessage(queue, r.string('ReceiptHandle'));
    return {};
  },

  DeleteMessageBatch(store, input, context) {
    const r: SqsInput = new SqsInput(input);
    const { store: owner, queue } = queueOf(store, r, context);
    return batch(r, 'DeleteMessageBatchRequestEntry', (entry) => {
      owner.deleteMessage(queue, entry.string('ReceiptHandle'));
      return {};
    });
  },

  ChangeMessageVisibility(store, input, context) {
    const r: SqsInput = new SqsInput(input);
    const { store: owner, queue } = queueOf(store, r, context);
    const handle = r.string('ReceiptHandle');
    const timeout = r.optionalInteger('VisibilityTimeout', 0, 43_200);
    if (timeout === undefined) r.missing('VisibilityTimeout');
    owner.changeVisibility(queue, handle, timeout);
    return {};
  },
};
