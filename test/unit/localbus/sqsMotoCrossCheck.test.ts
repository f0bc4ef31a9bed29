// Runs one SQS scenario against moto_server (an independent emulator preinstalled on these machines) and against the
// local bus, through the real SDK client, and compares what the two should agree on: queue URLs, message digests
// (MD5 of body and of attributes, which the SDK and the CLI check), receive counts and visibility, batch outcomes,
// the event a rule with a queue target delivers, and the error each bad request gets. Both endpoints are on
// 127.0.0.1; AWS is never contacted.
import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { startLocalBus } from '../../../server/src/localbus/localBusServer';
import { DUMMY_CREDENTIALS, clientsFor } from './localBusTestSupport';
import { findOnPath, startMoto } from '../motoServer';

const MOTO_ACCOUNT = '123456789012'; // moto's default account; the local bus is configured to match
const REGION = 'eu-west-1';

function errorOf(e: unknown): string {
  return (e as Error).name;
}

async function runScenario(endpoint: string) {
  const sqs = new SQSClient({ region: REGION, endpoint, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
  const { events, logs } = clientsFor(endpoint, REGION);
  const local = (url: string | undefined): string | undefined => url?.replace(endpoint, '<endpoint>');
  try {
    const created = await sqs.send(
      new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '40' } }),
    );
    const QueueUrl = created.QueueUrl!;
    const again = await sqs.send(
      new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '40' } }),
    );
    const byName = await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }));
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'ord' }));

    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'héllo ✓',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'greeting' },
          count: { DataType: 'Number', StringValue: '3' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
          custom: { DataType: 'String.custom', StringValue: 'x' },
        },
      }),
    );
    const first = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        VisibilityTimeout: 30,
      }),
    );
    const whileInFlight = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    const inFlightCounts = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'VisibilityTimeout'],
      }),
    );
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: first.Messages![0].ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const second = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second.Messages![0].ReceiptHandle }));
    const afterDelete = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));

    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two', DelaySeconds: 0 },
        ],
      }),
    );
    const batchReceived = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    const batchDeleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: (batchReceived.Messages ?? []).map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );

    const fifo = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'payments.fifo',
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
      }),
    );
    const fifoFirst = await sqs.send(
      new SendMessageCommand({ QueueUrl: fifo.QueueUrl, MessageBody: 'pay', MessageGroupId: 'g' }),
    );
    const fifoDuplicate = await sqs.send(
      new SendMessageCommand({ QueueUrl: fifo.QueueUrl, MessageBody: 'pay', MessageGroupId: 'g' }),
    );
    const fifoReceived = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: fifo.QueueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );

    // A rule whose target is the queue.
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] })))
      .Attributes?.QueueArn;
    await events.send(new PutRuleCommand({ Name: 'to-queue', EventPattern: JSON.stringify({ source: ['shop'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'to-queue', Targets: [{ Id: 'q', Arn: queueArn }] }));
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'shop',
            DetailType: 'OrderPlaced',
            Detail: '{"orderId":"o-1"}',
            Time: new Date('2026-11-27T06:00:00Z'),
          },
        ],
      }),
    );
    const delivered = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));

    const errors: Record<string, string> = {};
    const expectError = async (label: string, call: () => Promise<unknown>): Promise<void> => {
      try {
        await call();
        errors[label] = '(no error)';
      } catch (e) {
        errors[label] = errorOf(e);
      }
    };
    const missing = QueueUrl.replace(/orders$/, 'missing');
    await expectError('receiveMissingQueue', () => sqs.send(new ReceiveMessageCommand({ QueueUrl: missing })));
    await expectError('getUrlMissingQueue', () => sqs.send(new GetQueueUrlCommand({ QueueName: 'missing' })));
    await expectError('sendMissingQueue', () =>
      sqs.send(new SendMessageCommand({ QueueUrl: missing, MessageBody: 'x' })),
    );
    await expectError('badReceiptHandle', () =>
      sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'garbage' })),
    );
    await expectError('differentAttributes', () =>
      sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '5' } })),
    );
    await expectError('waitTooLong', () => sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 21 })));
    await expectError('tooManyMessages', () =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })),
    );
    await expectError('duplicateBatchIds', () =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'same', MessageBody: '1' },
            { Id: 'same', MessageBody: '2' },
          ],
        }),
      ),
    );
    await expectError('emptyBatch', () => sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })));
    await expectError('fifoWithoutGroup', () =>
      sqs.send(new SendMessageCommand({ QueueUrl: fifo.QueueUrl, MessageBody: 'x' })),
    );
    await expectError('unknownAttribute', () =>
      sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['NoSuchAttribute' as 'All'] })),
    );

    return {
      queueUrl: local(QueueUrl),
      againUrl: local(again.QueueUrl),
      byName: local(byName.QueueUrl),
      listed: listed.QueueUrls?.map(local),
      sent: { md5Body: sent.MD5OfMessageBody, md5Attributes: sent.MD5OfMessageAttributes },
      first: {
        id: first.Messages?.[0].MessageId === sent.MessageId,
        body: first.Messages?.[0].Body,
        md5Body: first.Messages?.[0].MD5OfBody,
        md5Attributes: first.Messages?.[0].MD5OfMessageAttributes,
        attributeNames: Object.keys(first.Messages?.[0].MessageAttributes ?? {}).sort(),
        systemAttributeNames: Object.keys(first.Messages?.[0].Attributes ?? {}).sort(),
        receiveCount: first.Messages?.[0].Attributes?.ApproximateReceiveCount,
        blob: [...(first.Messages?.[0].MessageAttributes?.blob.BinaryValue ?? [])],
      },
      whileInFlight: whileInFlight.Messages?.length ?? 0,
      inFlightCounts: inFlightCounts.Attributes,
      secondReceiveCount: second.Messages?.[0].Attributes?.ApproximateReceiveCount,
      afterDelete: afterDelete.Messages?.length ?? 0,
      batch: {
        successful: batch.Successful?.map((s) => [s.Id, s.MD5OfMessageBody]),
        failed: batch.Failed?.length ?? 0,
        received: batchReceived.Messages?.map((m) => m.Body).sort(),
        deleted: batchDeleted.Successful?.map((s) => s.Id).sort(),
      },
      fifo: {
        url: local(fifo.QueueUrl),
        duplicateSameId: fifoDuplicate.MessageId === fifoFirst.MessageId,
        hasSequenceNumber: fifoFirst.SequenceNumber !== undefined,
        received: fifoReceived.Messages?.map((m) => [m.Body, m.Attributes?.MessageGroupId]),
      },
      queueArn,
      delivered: {
        count: delivered.Messages?.length ?? 0,
        eventId: put.Entries?.[0].EventId,
        event: delivered.Messages?.[0].Body ? (JSON.parse(delivered.Messages[0].Body) as Record<string, unknown>) : {},
      },
      errors,
    };
  } finally {
    sqs.destroy();
    events.destroy();
    logs.destroy();
  }
}

void describe('cross-check against moto_server: SQS', () => {
  void it('agrees with moto on queues, messages, digests, visibility, batches, a queue target and errors', async (t) => {
    const program = findOnPath('moto_server');
    assert.ok(program, 'moto_server is not on PATH; it ships with the machine image this test runs on');
    const moto = await startMoto(program);
    const bus = await startLocalBus({ port: 0, accountId: MOTO_ACCOUNT });
    try {
      const theirs = await runScenario(moto.url);
      const ours = await runScenario(bus.url);

      for (const key of [
        'queueUrl',
        'againUrl',
        'byName',
        'listed',
        'sent',
        'first',
        'whileInFlight',
        'inFlightCounts',
        'secondReceiveCount',
        'afterDelete',
        'batch',
        'fifo.url',
        'fifo.received',
        'queueArn',
        'delivered.count',
      ] as const) {
        const pick = (r: typeof ours): unknown =>
          key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], r);
        assert.deepEqual(pick(ours), pick(theirs), `${key} differs from moto`);
      }
      assert.equal(ours.queueUrl, `<endpoint>/${MOTO_ACCOUNT}/orders`);
      // Where moto is known to be looser than SQS: a FIFO send's SequenceNumber (SQS documents one for FIFO queues;
      // moto leaves it out) and the id of a deduplicated send. Ours answer with the message first sent.
      assert.deepEqual(ours.fifo, { ...theirs.fifo, duplicateSameId: true, hasSequenceNumber: true });
      t.diagnostic(`FIFO duplicate: moto gives ${theirs.fifo.duplicateSameId ? 'the same' : 'a new'} message id`);
      assert.equal(ours.delivered.event.id, ours.delivered.eventId);
      assert.equal(theirs.delivered.event.id, theirs.delivered.eventId);
      const comparable = (event: Record<string, unknown>): Record<string, unknown> =>
        Object.fromEntries(Object.entries(event).filter(([k]) => k !== 'id' && k !== 'account'));
      assert.deepEqual(comparable(ours.delivered.event), comparable(theirs.delivered.event));
      for (const [label, theirError] of Object.entries(theirs.errors)) {
        if (ours.errors[label] !== theirError) t.diagnostic(`${label}: ours ${ours.errors[label]}, moto ${theirError}`);
      }
      assert.deepEqual(ours.errors, theirs.errors);
    } finally {
      await bus.close();
      moto.process.kill();
      await new Promise<void>((resolve) =>
        moto.process.exitCode !== null || moto.process.signalCode !== null
          ? resolve()
          : moto.process.once('exit', () => resolve()),
      );
    }
  });
});
