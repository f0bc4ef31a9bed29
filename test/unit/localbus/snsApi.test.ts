import '../hermeticAws';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalBus, type LocalBus } from '../../../server/src/localbus/localBusServer';
import { DUMMY_CREDENTIALS, awsCli } from './localBusTestSupport';

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:alerts`;

void describe('local bus: SNS topics through `aws sns` (the query protocol)', () => {
  let bus: LocalBus;
  let sqs: SQSClient;
  const sns = async (...args: string[]): Promise<Record<string, unknown>> => {
    const out = await awsCli(['sns', ...args, '--endpoint-url', bus.url, '--output', 'json'], REGION);
    assert.equal(out.code, 0, out.stderr);
    return JSON.parse(out.stdout || '{}') as Record<string, unknown>;
  };

  before(async () => {
    bus = await startLocalBus({ port: 0 });
    sqs = new SQSClient({ region: REGION, endpoint: bus.url, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
    bus.region(REGION).sqs.createQueue('urgent');
  });
  after(async () => {
    sqs.destroy();
    await bus.close();
  });

  void it('creates a topic, subscribes a queue behind a filter policy, and publishes: one passes, one is filtered', async () => {
    assert.deepEqual(await sns('create-topic', '--name', 'alerts'), { TopicArn: TOPIC });
    const subscribed = await sns(
      'subscribe',
      '--topic-arn',
      TOPIC,
      '--protocol',
      'sqs',
      '--notification-endpoint',
      `arn:aws:sqs:${REGION}:${ACCOUNT}:urgent`,
      '--attributes',
      JSON.stringify({ FilterPolicy: JSON.stringify({ level: ['urgent'] }) }),
    );
    assert.match(String(subscribed.SubscriptionArn), new RegExp(`^${TOPIC}:[0-9a-f-]{36}$`));
    const listed = (await sns('list-subscriptions-by-topic', '--topic-arn', TOPIC)).Subscriptions as Record<
      string,
      string
    >[];
    assert.equal(listed.length, 1);
    assert.equal(listed[0].Protocol, 'sqs');

    const passed = await sns(
      'publish',
      '--topic-arn',
      TOPIC,
      '--message',
      'disk full',
      '--subject',
      'ops',
      '--message-attributes',
      JSON.stringify({ level: { DataType: 'String', StringValue: 'urgent' } }),
    );
    await sns(
      'publish',
      '--topic-arn',
      TOPIC,
      '--message',
      'disk at 50%',
      '--message-attributes',
      JSON.stringify({ level: { DataType: 'String', StringValue: 'info' } }),
    );
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: `${bus.url}/${ACCOUNT}/urgent`, MaxNumberOfMessages: 10 }),
    );
    assert.equal(Messages?.length, 1);
    const envelope = JSON.parse(Messages[0].Body!) as Record<string, unknown>;
    assert.equal(envelope.MessageId, passed.MessageId);
    assert.equal(envelope.Message, 'disk full');
    assert.equal(envelope.Subject, 'ops');
    assert.deepEqual(envelope.MessageAttributes, { level: { Type: 'String', Value: 'urgent' } });
  });

  void it('answers SNS errors in the query protocol’s shape, which the CLI reads', async () => {
    const missing = await awsCli(
      ['sns', 'publish', '--endpoint-url', bus.url, '--topic-arn', `${TOPIC}-missing`, '--message', 'x'],
      REGION,
    );
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /\(NotFound\).*Topic does not exist/);
    const badPolicy = await awsCli(
      [
        'sns',
        'subscribe',
        '--endpoint-url',
        bus.url,
        '--topic-arn',
        TOPIC,
        '--protocol',
        'sqs',
        '--notification-endpoint',
        `arn:aws:sqs:${REGION}:${ACCOUNT}:urgent`,
        '--attributes',
        JSON.stringify({ FilterPolicy: '{"level": "urgent"}' }),
      ],
      REGION,
    );
    assert.notEqual(badPolicy.code, 0);
    assert.match(badPolicy.stderr, /\(InvalidParameter\).*Invalid parameter: FilterPolicy/);
    const badEndpoint = await awsCli(
      [
        'sns',
        'subscribe',
        '--endpoint-url',
        bus.url,
        '--topic-arn',
        TOPIC,
        '--protocol',
        'sqs',
        '--notification-endpoint',
        'urgent',
      ],
      REGION,
    );
    assert.match(badEndpoint.stderr, /\(InvalidParameter\).*SQS endpoint ARN/);
  });
});
