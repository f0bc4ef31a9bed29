import '../hermeticAws';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { startLocalBus, type LocalBus } from '../../../server/src/localbus/localBusServer';
import { loadTemplate, readTemplate, parseTemplateText } from '../../../server/src/localbus/templateLoader';
import type { LambdaInvocation } from '../../../server/src/localbus/targetDispatch';
import { DUMMY_CREDENTIALS, FIXTURES, awsCli, clientsFor, pollFor, withCode } from './localBusTestSupport';

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';
const context = { region: REGION, accountId: ACCOUNT, stackName: 'shop' };
const templatePath = join(FIXTURES, 'messaging-stack.yaml');

/** A raw POST to the bus, for bodies no SDK would send. */
function rawPost(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

void describe('local bus: SQS queues and SNS topics from a template, read through the real SDK and the AWS CLI', () => {
  let bus: LocalBus;
  let sqs: SQSClient;
  let events: ReturnType<typeof clientsFor>['events'];
  let logs: ReturnType<typeof clientsFor>['logs'];
  const warnings: string[] = [];
  const invocations: LambdaInvocation[] = [];
  let ordersQueueName: string;

  before(async () => {
    bus = await startLocalBus({ port: 0, onWarning: (m) => warnings.push(m), lambda: (i) => void invocations.push(i) });
    ({ events, logs } = clientsFor(bus.url, REGION));
    sqs = new SQSClient({ region: REGION, endpoint: bus.url, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
    const text = readFileSync(templatePath, 'utf8');
    assert.deepEqual(loadTemplate(bus.region(REGION), text, templatePath, context), []);
    ordersQueueName = readTemplate(parseTemplateText(text, templatePath), templatePath, context).queues.find(
      (q) => q.logicalId === 'OrdersQueue',
    )!.name;
  });
  after(async () => {
    sqs.destroy();
    events.destroy();
    logs.destroy();
    await bus.close();
  });

  const queueUrl = (name: string): string => `${bus.url}/${ACCOUNT}/${name}`;

  async function put(source: string, detailType: string, detail: object): Promise<string> {
    const out = await events.send(
      new PutEventsCommand({ Entries: [{ Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }] }),
    );
    assert.equal(out.FailedEntryCount, 0);
    return out.Entries![0].EventId!;
  }

  void it('names template queues as CloudFormation does, FIFO ones with .fifo, and keeps the queue policy', async () => {
    assert.match(ordersQueueName, /^shop-OrdersQueue-[0-9A-F]{12}$/);
    const { QueueUrls } = await sqs.send(new ListQueuesCommand({}));
    const names = (QueueUrls ?? []).map((u) => u.slice(u.lastIndexOf('/') + 1));
    assert.ok(names.includes(ordersQueueName));
    assert.ok(names.includes('orders-dead-letters'));
    assert.ok(
      names.some((n) => /^shop-PaymentsFifo-[0-9A-F]{12}\.fifo$/.test(n)),
      names.join(', '),
    );
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: ordersQueueName }));
    assert.equal(QueueUrl, queueUrl(ordersQueueName));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'Policy', 'QueueArn'] }),
    );
    assert.equal(Attributes?.VisibilityTimeout, '45');
    assert.equal(Attributes?.QueueArn, `arn:aws:sqs:${REGION}:${ACCOUNT}:${ordersQueueName}`);
    assert.match(Attributes?.Policy ?? '', /events\.amazonaws\.com/);
  });

  void it('delivers a rule’s matched event to its queue target, read with ReceiveMessage through the SDK', async () => {
    const eventId = await put('shop.orders', 'OrderPlaced', { orderId: 'o-1' });
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(ordersQueueName),
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
      }),
    );
    assert.equal(Messages?.length, 1);
    const event = JSON.parse(Messages[0].Body!) as { id: string; detail: { orderId: string } };
    assert.equal(event.id, eventId);
    assert.equal(event.detail.orderId, 'o-1');
    assert.equal(Messages[0].Attributes?.ApproximateReceiveCount, '1');
    assert.ok(Number(Messages[0].Attributes?.SentTimestamp) > 0);
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl(ordersQueueName), ReceiptHandle: Messages[0].ReceiptHandle }),
    );
  });

  void it('lets `aws sqs receive-message --endpoint-url` read what a rule delivered', async () => {
    const eventId = await put('shop.orders', 'OrderPlaced', { orderId: 'o-cli' });
    const cli = await awsCli([
      'sqs',
      'receive-message',
      '--endpoint-url',
      bus.url,
      '--queue-url',
      queueUrl(ordersQueueName),
      '--attribute-names',
      'All',
      '--output',
      'json',
    ]);
    assert.equal(cli.code, 0, cli.stderr);
    const out = JSON.parse(cli.stdout) as { Messages: { Body: string; ReceiptHandle: string }[] };
    assert.equal(out.Messages.length, 1);
    assert.equal((JSON.parse(out.Messages[0].Body) as { id: string }).id, eventId);
    const deleted = await awsCli([
      'sqs',
      'delete-message',
      '--endpoint-url',
      bus.url,
      '--queue-url',
      queueUrl(ordersQueueName),
      '--receipt-handle',
      out.Messages[0].ReceiptHandle,
    ]);
    assert.equal(deleted.code, 0, deleted.stderr);
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl(ordersQueueName), AttributeNames: ['All'] }),
    );
    assert.equal(attributes.Attributes?.ApproximateNumberOfMessages, '0');
    assert.equal(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible, '0');
  });

  void it('shows SQS’s own error code through the CLI for a queue that does not exist', async () => {
    const cli = await awsCli([
      'sqs',
      'receive-message',
      '--endpoint-url',
      bus.url,
      '--queue-url',
      queueUrl('no-such-queue'),
    ]);
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /AWS\.SimpleQueueService\.NonExistentQueue/);
    assert.match(cli.stderr, /The specified queue does not exist/);
  });

  void it('sends the transformed input to a FIFO queue target in the target’s message group', async () => {
    await put('shop.payments', 'PaymentTaken', { amount: 12.5 });
    const { QueueUrls } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'shop-PaymentsFifo' }));
    assert.equal(QueueUrls?.length, 1);
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: QueueUrls[0], MessageSystemAttributeNames: ['All'] }),
    );
    assert.equal(Messages?.[0].Body, '{"amount": 12.5}');
    assert.equal(Messages?.[0].Attributes?.MessageGroupId, 'payments');
    assert.ok(Messages?.[0].Attributes?.SequenceNumber);
  });

  void it('fans a topic target out: the filter policy lets one event through, raw delivery and Lambda get both', async () => {
    const express = await put('shop.shipping', 'Shipped', { speed: 'express', parcel: 'p-1' });
    await put('shop.shipping', 'Shipped', { speed: 'standard', parcel: 'p-2' });

    const filtered = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl('express-shipments'), MaxNumberOfMessages: 10 }),
    );
    assert.equal(filtered.Messages?.length, 1, 'the standard shipment is filtered out');
    const envelope = JSON.parse(filtered.Messages[0].Body!) as Record<string, string>;
    assert.equal(envelope.Type, 'Notification');
    assert.equal(envelope.TopicArn, `arn:aws:sns:${REGION}:${ACCOUNT}:shipments`);
    assert.match(envelope.MessageId, /^[0-9a-f-]{36}$/);
    assert.equal((JSON.parse(envelope.Message) as { id: string }).id, express);

    const raw = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl('all-shipments-raw'), MaxNumberOfMessages: 10 }),
    );
    assert.deepEqual(
      raw.Messages?.map((m) => (JSON.parse(m.Body!) as { detail: { parcel: string } }).detail.parcel).sort(),
      ['p-1', 'p-2'],
      'raw delivery: the message itself, no envelope',
    );

    const fromTopic = await pollFor(
      () => Promise.resolve(invocations.length >= 2 ? invocations : undefined),
      'the Lambda subscription',
    );
    const record = (
      JSON.parse(fromTopic[0].payload) as { Records: { EventSource: string; Sns: Record<string, unknown> }[] }
    ).Records[0];
    assert.equal(fromTopic[0].functionName, 'notify-shipment');
    assert.equal(fromTopic[0].source.kind, 'sns');
    assert.equal(record.EventSource, 'aws:sns');
    assert.equal(record.Sns.Type, 'Notification');
    assert.equal(record.Sns.TopicArn, `arn:aws:sns:${REGION}:${ACCOUNT}:shipments`);
    assert.equal((JSON.parse(String(record.Sns.Message)) as { id: string }).id, express);
  });

  void it('hides a received message for its visibility timeout, shows it again when it ends, and deletes it', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'visibility' }));
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'hello',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } },
      }),
    );
    const first = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 30, MessageAttributeNames: ['All'] }),
    );
    assert.equal(first.Messages?.[0].MessageId, sent.MessageId);
    assert.equal(first.Messages?.[0].MessageAttributes?.kind.StringValue, 'greeting');
    assert.equal(first.Messages?.[0].MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined, 'in flight');
    const counts = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    assert.equal(counts.Attributes?.ApproximateNumberOfMessagesNotVisible, '1');

    // Ending the visibility timeout now makes it visible again, received a second time with a new handle.
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: first.Messages[0].ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['All'] }));
    assert.equal(second.Messages?.[0].MessageId, sent.MessageId);
    assert.equal(second.Messages?.[0].Attributes?.ApproximateReceiveCount, '2');
    assert.notEqual(second.Messages?.[0].ReceiptHandle, first.Messages[0].ReceiptHandle);

    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second.Messages[0].ReceiptHandle }));
    await sqs
      .send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: second.Messages[0].ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      )
      .then(() => assert.fail('a deleted message is not in flight'), withCode('MessageNotInflight'));
    const after = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    assert.equal(after.Attributes?.ApproximateNumberOfMessages, '0');
    assert.equal(after.Attributes?.ApproximateNumberOfMessagesNotVisible, '0');
  });

  void it('answers a long poll as soon as a message arrives', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'long-poll' }));
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    // The poll is parked on the queue before the message is sent.
    await pollFor(
      () => Promise.resolve(bus.region(REGION).sqs.queue('long-poll').waiters.size > 0 ? true : undefined),
      'the parked long poll',
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake up' }));
    const { Messages } = await waiting;
    assert.equal(Messages?.[0].Body, 'wake up');
  });

  void it('moves a message received maxReceiveCount times to the dead-letter queue of its redrive policy', async () => {
    const QueueUrl = queueUrl(ordersQueueName);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(got.Messages?.[0].Body, 'poison');
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: got.Messages[0].ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    }
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
    const dead = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl('orders-dead-letters'), MessageSystemAttributeNames: ['All'] }),
    );
    assert.equal(dead.Messages?.[0].Body, 'poison');
    assert.equal(
      dead.Messages?.[0].Attributes?.DeadLetterQueueSourceArn,
      `arn:aws:sqs:${REGION}:${ACCOUNT}:${ordersQueueName}`,
    );
  });

  void it('keeps a FIFO message group in order: a group waits while its earlier message is in flight', async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'ordered.fifo', Attributes: { FifoQueue: 'true' } }),
    );
    const send = (body: string, group: string, dedup = body) =>
      sqs.send(
        new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: dedup }),
      );
    await send('g1-first', 'g1');
    await send('g1-second', 'g1');
    await send('g2-first', 'g2');
    const again = await send('g1-first again', 'g1', 'g1-first');
    const receiveOne = async (): Promise<{ body?: string; handle?: string }> => {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
      return { body: Messages?.[0].Body, handle: Messages?.[0].ReceiptHandle };
    };
    const first = await receiveOne();
    assert.equal(first.body, 'g1-first');
    assert.equal((await receiveOne()).body, 'g2-first', 'g1 waits while g1-first is in flight');
    assert.equal((await receiveOne()).body, undefined);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.handle }));
    assert.equal((await receiveOne()).body, 'g1-second');
    assert.ok(again.MessageId, 'a duplicate within five minutes is accepted but not delivered again');
    await assert.rejects(
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'no dedup id', MessageGroupId: 'g1' })),
      withCode('InvalidParameterValue'),
    );
  });

  void it('offers sendToQueue on the region state, for dead letters, with message attributes', async () => {
    const region = bus.region(REGION);
    const deadLetters = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-dead-letters`;
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl('orders-dead-letters') }));
    region.sendToQueue(deadLetters, '{"failed":true}', {
      ERROR_CODE: { DataType: 'String', StringValue: 'Lambda.Unhandled' },
      RETRY_ATTEMPTS: { DataType: 'Number', StringValue: '2' },
    });
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl('orders-dead-letters'), MessageAttributeNames: ['All'] }),
    );
    assert.equal(Messages?.[0].Body, '{"failed":true}');
    assert.equal(Messages?.[0].MessageAttributes?.ERROR_CODE.StringValue, 'Lambda.Unhandled');
    assert.equal(Messages?.[0].MessageAttributes?.RETRY_ATTEMPTS.DataType, 'Number');
    assert.throws(
      () => region.sendToQueue(`arn:aws:sqs:${REGION}:${ACCOUNT}:missing`, 'x'),
      (e: Error) => e.name === 'QueueDoesNotExist',
    );
    assert.throws(
      () => region.sendToQueue(`arn:aws:sqs:ap-south-2:${ACCOUNT}:orders-dead-letters`, 'x'),
      (e: Error) => e.name === 'QueueDoesNotExist',
      'a region the bus has no state for',
    );
  });

  void it('sends and deletes in batches, and purges', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'batches' }));
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two' },
          { Id: 'c', MessageBody: 'three', MessageAttributes: { n: { DataType: 'Number', StringValue: 'x' } } },
        ],
      }),
    );
    assert.deepEqual(
      sent.Successful?.map((s) => s.Id),
      ['a', 'b'],
    );
    assert.equal(sent.Failed?.[0].Id, 'c');
    assert.equal(sent.Failed?.[0].Code, 'InvalidParameterValue');
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(
      got.Messages?.map((m) => m.Body),
      ['one', 'two'],
    );
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'x', ReceiptHandle: got.Messages[0].ReceiptHandle },
          { Id: 'y', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    assert.deepEqual(
      deleted.Successful?.map((s) => s.Id),
      ['x'],
    );
    assert.equal(deleted.Failed?.[0].Code, 'ReceiptHandleIsInvalid');
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'three' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    assert.equal(attributes.Attributes?.ApproximateNumberOfMessages, '0');
    assert.equal(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible, '0');
  });

  void it('gives SQS’s errors for bad input, which the SDK throws by their modeled names', async () => {
    await assert.rejects(
      sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl('no-such-queue') })),
      withCode('QueueDoesNotExist'),
    );
    await assert.rejects(
      sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' })),
      withCode('QueueDoesNotExist'),
    );
    await assert.rejects(
      sqs.send(new SendMessageCommand({ QueueUrl: queueUrl('visibility'), MessageBody: '' })),
      withCode('MissingParameter'),
    );
    await assert.rejects(
      sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl('visibility'), ReceiptHandle: 'bogus' })),
      withCode('ReceiptHandleIsInvalid'),
    );
    await assert.rejects(
      sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl('visibility'), WaitTimeSeconds: 21 })),
      withCode('InvalidParameterValue'),
    );
    await assert.rejects(
      sqs.send(new CreateQueueCommand({ QueueName: 'bad name!' })),
      withCode('InvalidParameterValue'),
    );
    await assert.rejects(
      sqs.send(new CreateQueueCommand({ QueueName: 'odd', Attributes: { VisibilityTimeout: 'soon' } })),
      withCode('InvalidAttributeValue'),
    );
    await assert.rejects(
      sqs.send(new CreateQueueCommand({ QueueName: 'visibility', Attributes: { VisibilityTimeout: '5' } })),
      withCode('QueueNameExists'),
    );
  });

  void it('answers a malformed body, an unknown operation and the old query protocol with errors, and keeps serving', async () => {
    const headers = (target: string): Record<string, string> => ({
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': target,
    });
    const malformed = await rawPost(bus.url, headers('AmazonSQS.SendMessage'), '{"QueueUrl": ');
    assert.equal(malformed.status, 400);
    assert.match(malformed.body, /not valid JSON/);
    assert.match(String(malformed.headers['x-amzn-query-error']), /;Sender$/);
    const notObject = await rawPost(bus.url, headers('AmazonSQS.SendMessage'), '[1,2]');
    assert.equal(notObject.status, 400);
    const wrongTypes = await rawPost(
      bus.url,
      headers('AmazonSQS.SendMessage'),
      // Unsigned, so the region is the bus's default: the queue URL's host names the queue's region.
      JSON.stringify({
        QueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/visibility`,
        MessageBody: { nested: true },
      }),
    );
    assert.equal(wrongTypes.status, 400);
    assert.equal(wrongTypes.headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
    const badUrl = await rawPost(bus.url, headers('AmazonSQS.ReceiveMessage'), JSON.stringify({ QueueUrl: 'nope' }));
    assert.equal(badUrl.status, 404);
    assert.equal(badUrl.headers['x-amzn-query-error'], 'InvalidAddress;Sender');
    const unknown = await rawPost(bus.url, headers('AmazonSQS.AddPermission'), '{}');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /does not implement SQS AddPermission/);
    const query = await rawPost(
      bus.url,
      { 'content-type': 'application/x-www-form-urlencoded' },
      'Action=ListQueues&Version=2012-11-05',
    );
    assert.equal(query.status, 400);
    assert.match(query.body, /query protocol/);
    const stillServing = await sqs.send(new ListQueuesCommand({}));
    assert.ok((stillServing.QueueUrls ?? []).length > 0);
    assert.deepEqual(
      warnings.filter((w) => w.startsWith('internal error')),
      [],
    );
  });
});

void describe('local bus: closing ends SQS long polls', () => {
  void it('answers a parked long poll when the bus closes', async () => {
    const bus = await startLocalBus({ port: 0 });
    const sqs = new SQSClient({ region: REGION, endpoint: bus.url, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'parked' }));
      const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 })).then(
        () => 'answered',
        () => 'connection closed',
      );
      await pollFor(
        () => Promise.resolve(bus.region(REGION).sqs.queue('parked').waiters.size > 0 ? true : undefined),
        'the parked long poll',
      );
      await bus.close();
      assert.ok(['answered', 'connection closed'].includes(await waiting));
      assert.equal(bus.region(REGION).sqs.queue('parked').waiters.size, 0);
    } finally {
      sqs.destroy();
    }
  });
});

void describe('local bus: queues from a template loaded again', () => {
  const template = (visibility: unknown): string =>
    JSON.stringify({
      Resources: {
        Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs', VisibilityTimeout: visibility } },
        Odd: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'odd', DelaySeconds: 'soon' } },
      },
    });

  void it('updates a queue’s attributes, keeps its messages, and warns about a queue with a bad attribute', async () => {
    const bus = await startLocalBus({ port: 0 });
    try {
      const region = bus.region(REGION);
      const first = loadTemplate(region, template(10), 'jobs.json', context);
      assert.deepEqual(first, [
        'jobs.json: queue Odd (odd) not loaded: InvalidAttributeValue: Invalid value for the parameter DelaySeconds.',
      ]);
      const jobs = region.sqs.queue('jobs');
      region.sqs.send(jobs, 'kept');
      loadTemplate(region, template(99), 'jobs.json', context);
      assert.equal(region.sqs.queue('jobs'), jobs);
      assert.equal(region.sqs.queueAttributes(jobs).VisibilityTimeout, '99');
      assert.deepEqual(
        jobs.messages.map((m) => m.body),
        ['kept'],
      );
      assert.equal(region.sqs.queues.has('odd'), false);
    } finally {
      await bus.close();
    }
  });
});
