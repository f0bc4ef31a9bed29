// SQS's operations over AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Operation>`), the protocol of the current SDKs and
// of the AWS CLI, over the in-memory queues of sqsService.ts. SQS is "awsQueryCompatible": errors carry the
// query protocol's code in `x-amzn-query-error`, which the SDKs and the CLI read.
import { AwsServiceError, compact, pageByOffset } from './awsJsonProtocol';
import {
  SETTABLE_ATTRIBUTES,
  md5OfMessageAttributes,
  nonExistentQueue,
  type MessageAttributeValue,
  type SqsMessage,
  type SqsQueue,
  type SqsStore,
} from './sqsService';

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
