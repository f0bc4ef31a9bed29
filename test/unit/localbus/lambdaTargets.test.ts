// Lambda targets run by the local bus, seen through the real SDK as an application sees them: the handler's output in
// /aws/lambda/<name> as Lambda writes it, its environment (and none of the bus's credentials), timeouts, Lambda's
// retries and dead letters, EventBridge's own dead letters when it cannot hand an event over, and nothing run unless
// the bus was told it may run the workspace's code.
import '../hermeticAws';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  UNDELIVERED_LOG_GROUP,
  loadTemplate,
  startLocalBus,
  type FunctionRunNotice,
  type LambdaFunction,
  type LocalBus,
} from '../../../server/src/localbus';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { DUMMY_CREDENTIALS, FIXTURES, clientsFor, pollFor } from './localBusTestSupport';

const REGION = 'eu-west-1';
const TEMPLATE = join(FIXTURES, 'functions', 'template.yaml');
const SEED_EXAMPLE = resolve(FIXTURES, '../../../examples/s3-putobject-cloudtrail.yaml');
const STREAM_NAME = /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/;

// What the bus's own process carries and a function must never see.
process.env.AWS_ACCESS_KEY_ID = 'AKIAPARENTMUSTNOTLEAK';
process.env.AWS_SECRET_ACCESS_KEY = 'parent-secret-must-not-leak';
process.env.LOCAL_BUS_PARENT_ONLY = 'parent-only-value';

interface LogLine {
  readonly message: string;
  readonly stream: string;
}

/** The events of a log group once `done` holds for them (polled). */
async function logLines(
  logs: CloudWatchLogsClient,
  group: string,
  done: (lines: LogLine[]) => boolean,
  what: string,
): Promise<LogLine[]> {
  return pollFor(
    async () => {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: group })).catch((e: unknown) => {
        // A function's group appears with its first run when no template declared it.
        if ((e as { name?: string }).name === 'ResourceNotFoundException') return { events: [] };
        throw e;
      });
      const lines = (out.events ?? []).map((e) => ({ message: e.message ?? '', stream: e.logStreamName ?? '' }));
      return done(lines) ? lines : undefined;
    },
    what,
    20_000,
  );
}

const reports = (n: number) => (lines: LogLine[]) =>
  lines.filter((l) => l.message.startsWith('REPORT RequestId: ')).length >= n;

/** The JSON a handler printed after `marker` (`ENV {...}`). */
function printedJson(lines: LogLine[], marker: string): Record<string, string> {
  const line = lines.find((l) => l.message.includes(marker));
  assert.ok(line, `a line with ${marker}`);
  return JSON.parse(line.message.slice(line.message.indexOf(marker) + marker.length)) as Record<string, string>;
}

void describe("local bus: the seed's S3 → Lambda example runs its function", () => {
  void it('shows the handler output in /aws/lambda/<name> with START, END and REPORT', async () => {
    const bus = await startLocalBus({ runFunctions: true });
    const { events, logs } = clientsFor(bus.url, REGION);
    try {
      const region = bus.region(REGION);
      loadTemplate(region, readFileSync(SEED_EXAMPLE, 'utf8'), SEED_EXAMPLE, {
        region: REGION,
        accountId: bus.accountId,
      });
      const fn = [...region.lambda.functions.values()].find((f) => f.declaredIn.endsWith('ProcessUpload'));
      assert.ok(fn);
      assert.match(fn.name, /^s3-putobject-cloudtrail-ProcessUpload-[0-9A-F]{12}$/);
      const rule = [...region.events.bus('default').rules.values()].find((r) => r.name.includes('ProcessUpload'));
      const bucket = (JSON.parse(rule!.eventPattern!) as { detail: { requestParameters: { bucketName: string[] } } })
        .detail.requestParameters.bucketName[0];
      const sent = await events.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: 'aws.s3',
              DetailType: 'AWS API Call via CloudTrail',
              Detail: JSON.stringify({
                eventSource: 's3.amazonaws.com',
                eventName: 'PutObject',
                requestParameters: { bucketName: bucket, key: 'uploads/orders.csv' },
              }),
            },
          ],
        }),
      );
      const eventId = sent.Entries![0].EventId!;
      const lines = await logLines(logs, `/aws/lambda/${fn.name}`, reports(1), 'the run of ProcessUpload');
      const messages = lines.map((l) => l.message);
      const start = /^START RequestId: ([0-9a-f-]{36}) Version: \$LATEST$/.exec(messages[0]);
      assert.ok(start, messages[0]);
      const requestId = start[1];
      // console.log(JSON.stringify(event)): one line, as Lambda's Node.js runtime formats it.
      const printed = messages[1].split('\t');
      assert.equal(printed.length, 4, messages[1]);
      assert.match(printed[0], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.equal(printed[1], requestId);
      assert.equal(printed[2], 'INFO');
      const event = JSON.parse(printed[3]) as { id: string; detail: { requestParameters: { key: string } } };
      assert.equal(event.id, eventId);
      assert.equal(event.detail.requestParameters.key, 'uploads/orders.csv');
      assert.equal(messages[2], `END RequestId: ${requestId}`);
      assert.match(
        messages[3],
        new RegExp(
          `^REPORT RequestId: ${requestId}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB$`,
        ),
      );
      assert.equal(messages.length, 4);
      assert.match(lines[0].stream, STREAM_NAME);
      assert.ok(lines.every((l) => l.stream === lines[0].stream));
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });
});

void describe('local bus: Lambda targets from a SAM template', () => {
  let bus: LocalBus;
  let clients: ReturnType<typeof clientsFor>;
  const notices: FunctionRunNotice[] = [];
  const warnings: string[] = [];

  before(async () => {
    bus = await startLocalBus({
      runFunctions: true,
      onFunctionRun: (n) => notices.push(n),
      onWarning: (w) => warnings.push(w),
      functions: { functionRetryDelaysMs: [0] },
    });
    clients = clientsFor(bus.url, REGION);
    const region = bus.region(REGION);
    const loaded = loadTemplate(region, readFileSync(TEMPLATE, 'utf8'), TEMPLATE, {
      region: REGION,
      accountId: bus.accountId,
    });
    assert.deepEqual(loaded, []);
  });

  after(async () => {
    clients.events.destroy();
    clients.logs.destroy();
    await bus.close();
  });

  const put = async (source: string, detail: object = {}): Promise<string> => {
    const sent = await clients.events.send(
      new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'test', Detail: JSON.stringify(detail) }] }),
    );
    assert.equal(sent.FailedEntryCount, 0);
    return sent.Entries![0].EventId!;
  };

  void it('runs an ES module handler from its CodeUri folder with its environment and none of the bus credentials', async () => {
    await put('fixture.esm');
    await put('fixture.esm');
    const lines = await logLines(clients.logs, '/aws/lambda/fixture-esm', reports(2), 'two runs of fixture-esm');
    assert.ok(lines.some((l) => l.message.endsWith('\tINFO\thello from fixture-esm')));
    assert.ok(
      lines.some((l) => l.message === 'raw stdout line'),
      'what is written to stdout is logged as it is',
    );
    const env = printedJson(lines, '\tINFO\tENV ');
    assert.equal(env.GREETING, 'hello');
    assert.equal(env.STAGE, 'local', 'Globals.Function variables are merged in');
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'fixture-esm');
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, '/aws/lambda/fixture-esm');
    assert.match(env.AWS_LAMBDA_LOG_STREAM_NAME, STREAM_NAME);
    assert.equal(env.AWS_REGION, REGION);
    assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs20.x');
    assert.equal(env._HANDLER, 'src/app.handler');
    assert.equal(env.LAMBDA_TASK_ROOT, join(FIXTURES, 'functions', 'esm'));
    assert.equal(env.AWS_ENDPOINT_URL, bus.url, "the handler's SDK calls go to the local bus");
    assert.notEqual(env.AWS_ACCESS_KEY_ID, process.env.AWS_ACCESS_KEY_ID);
    assert.equal(env.LOCAL_BUS_PARENT_ONLY, undefined);
    const all = JSON.stringify(env);
    assert.ok(!all.includes('AKIAPARENTMUSTNOTLEAK') && !all.includes('parent-secret-must-not-leak'), all);
    // The run's stream is the one the context names.
    const request = lines.find((l) => l.message.includes('\tINFO\trequest '));
    assert.ok(request?.message.endsWith(`stream ${request.stream}`), request?.message);
    // Said once per handler, however many runs.
    const esmNotices = notices.filter((n) => n.functionName === 'fixture-esm');
    assert.equal(esmNotices.length, 1);
    assert.equal(
      esmNotices[0].message,
      `Running handler src/app.handler of function fixture-esm (nodejs20.x) for rule fixture-esm-rule, from ${join(FIXTURES, 'functions', 'esm')}`,
    );
  });

  void it('runs a callback-style inline handler with the InputPath of the event, a multi-line message in one event', async () => {
    await put('fixture.callback', { orderId: 'o-7' });
    const fn = [...bus.region(REGION).lambda.functions.values()].find((f) => f.declaredIn.endsWith('CallbackFunction'));
    assert.match(fn!.name, /^template-CallbackFunction-[0-9A-F]{12}$/);
    const lines = await logLines(clients.logs, `/aws/lambda/${fn!.name}`, reports(1), 'the callback run');
    assert.ok(lines.some((l) => l.message.endsWith(`\tINFO\tcallback style ${fn!.name} true`)));
    assert.ok(lines.some((l) => l.message.endsWith('\tWARN\ta warning\non two lines')));
  });

  void it("runs a Python handler with the machine's python3: prints as they are, logging as Lambda formats it", async () => {
    await put('fixture.python', { b: 2, a: 1 });
    const lines = await logLines(clients.logs, '/aws/lambda/fixture-python', reports(1), 'the Python run');
    const messages = lines.map((l) => l.message);
    assert.ok(messages.includes('bonjour from fixture-python, stage local'), messages.join('\n'));
    assert.ok(messages.includes('detail {"a": 1, "b": 2}'));
    const requestId = /^START RequestId: (\S+)/.exec(messages[0])?.[1];
    assert.ok(
      messages.some((m) =>
        new RegExp(`^\\[INFO\\]\\t\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${requestId}\\tremaining True$`).test(m),
      ),
      messages.join('\n'),
    );
    const env = printedJson(lines, 'ENV ');
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'fixture-python');
    assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_python3.12');
    assert.ok(!JSON.stringify(env).includes('parent-secret-must-not-leak'));
  });

  void it('kills a handler at its Timeout and logs it as Lambda does', async () => {
    await put('fixture.trouble');
    const lines = await logLines(
      clients.logs,
      '/aws/lambda/fixture-slow',
      (ls) => ls.some((l) => l.message.includes('Task timed out')),
      'the timeout of fixture-slow',
    );
    const messages = lines.map((l) => l.message);
    assert.ok(messages.some((m) => m.endsWith('\tINFO\twaiting forever')));
    assert.ok(messages.some((m) => /^REPORT RequestId: .*\tDuration: 1000\.00 ms\t.*Status: timeout$/.test(m)));
    assert.ok(messages.some((m) => /^\S+Z [0-9a-f-]{36} Task timed out after 1\.00 seconds$/.test(m)));
    // MaximumRetryAttempts 0: one run only.
    assert.equal(messages.filter((m) => m.startsWith('START ')).length, 1);
  });

  void it("retries a failing handler as Lambda does, then sends the event to the function's dead-letter queue", async () => {
    const eventId = await put('fixture.trouble', { total: null });
    // The dead letter, read as an application reads its queue (the template's queue, loaded with it).
    const sqs = new SQSClient({ region: REGION, endpoint: bus.url, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
    let message: Message;
    try {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'fixture-failing-dlq' }));
      message = await pollFor(
        async () => {
          const out = await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl,
              MessageAttributeNames: ['All'],
              MaxNumberOfMessages: 10,
              WaitTimeSeconds: 1,
            }),
          );
          // The event of the timeout test failed here too (the rule has both functions as targets).
          return out.Messages?.find((m) => (JSON.parse(m.Body ?? '{}') as { id?: string }).id === eventId);
        },
        'the dead letter',
        20_000,
      );
    } finally {
      sqs.destroy();
    }
    assert.equal((JSON.parse(message.Body!) as { id: string }).id, eventId);
    const attributes = message.MessageAttributes ?? {};
    assert.equal(attributes.ErrorMessage?.StringValue, 'the order has no total');
    assert.deepEqual(attributes.ErrorCode, { DataType: 'Number', StringValue: '200' });
    assert.match(attributes.RequestID?.StringValue ?? '', /^[0-9a-f-]{36}$/);
    const lines = await logLines(
      clients.logs,
      '/aws/lambda/fixture-failing',
      (ls) => ls.filter((l) => l.message.endsWith(`\tINFO\tattempt for ${eventId}`)).length >= 2,
      'two runs of fixture-failing for the event',
    );
    // A retry keeps the request id of the first run, as Lambda's asynchronous retries do.
    const attempts = lines.filter((l) => l.message.endsWith(`\tINFO\tattempt for ${eventId}`));
    assert.equal(attempts.length, 2, 'the first run and one retry (MaximumRetryAttempts 1)');
    const requestId = attempts[0].message.split('\t')[1];
    assert.equal(attempts[1].message.split('\t')[1], requestId);
    assert.equal(attributes.RequestID?.StringValue, requestId);
    const errors = lines.filter((l) => l.message.includes(`\t${requestId}\tERROR\tInvoke Error \t`));
    assert.equal(errors.length, 2);
    const error = JSON.parse(errors[0].message.split('\t').pop()!) as {
      errorType: string;
      errorMessage: string;
      stack: string[];
    };
    assert.equal(error.errorType, 'TypeError');
    assert.equal(error.errorMessage, 'the order has no total');
    assert.match(error.stack[0], /^TypeError: the order has no total/);
  });
});

void describe('local bus: EventBridge-side delivery failures of Lambda targets', () => {
  void it("go to the target's dead-letter queue with EventBridge's attributes once RetryPolicy is spent", async () => {
    const bus = await startLocalBus({ runFunctions: true, functions: { maxQueuedPerFunction: 1 } });
    const { events, logs } = clientsFor(bus.url, REGION);
    try {
      const region = bus.region(REGION);
      const dlq = region.sqs.createQueue('target-dlq');
      const fnArn = `arn:aws:lambda:${REGION}:${bus.accountId}:function:busy`;
      region.lambda.put({
        name: 'busy',
        arn: fnArn,
        runtime: 'nodejs22.x',
        handler: 'index.handler',
        code: { kind: 'inline', text: 'exports.handler = async () => {};' },
        environment: {},
        timeoutSeconds: 3,
        memorySize: 128,
        declaredIn: 'test',
      });
      const rule = await events.send(new PutRuleCommand({ Name: 'to-busy', EventPattern: '{"source":["busy"]}' }));
      await events.send(
        new PutTargetsCommand({
          Rule: 'to-busy',
          Targets: [
            {
              Id: 'fn',
              Arn: fnArn,
              RetryPolicy: { MaximumRetryAttempts: 0 },
              DeadLetterConfig: { Arn: dlq.arn },
            },
          ],
        }),
      );
      // Two events in one call: the first takes the function's only place, the second finds it full.
      const sent = await events.send(
        new PutEventsCommand({
          Entries: [
            { Source: 'busy', DetailType: 'd', Detail: '{"n":1}' },
            { Source: 'busy', DetailType: 'd', Detail: '{"n":2}' },
          ],
        }),
      );
      assert.equal(sent.FailedEntryCount, 0);
      assert.equal(dlq.messages.length, 1);
      const dead = dlq.messages[0];
      assert.equal((JSON.parse(dead.body) as { id: string }).id, sent.Entries![1].EventId);
      assert.equal(dead.attributes.RULE_ARN?.StringValue, rule.RuleArn);
      assert.equal(dead.attributes.TARGET_ARN?.StringValue, fnArn);
      assert.equal(dead.attributes.ERROR_CODE?.StringValue, 'THROTTLING');
      assert.equal(dead.attributes.EXHAUSTED_RETRY_CONDITION?.StringValue, 'MaximumRetryAttempts');
      assert.equal(dead.attributes.RETRY_ATTEMPTS?.StringValue, '0');
      await logLines(logs, '/aws/lambda/busy', reports(1), 'the first event run');
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });
});

void describe('local bus: a Serverless Framework service', () => {
  void it('runs the function of an eventBridge event from the service folder', async () => {
    const bus = await startLocalBus({ runFunctions: true });
    const { events, logs } = clientsFor(bus.url, REGION);
    const file = join(FIXTURES, 'serverless-service', 'serverless.yml');
    try {
      assert.deepEqual(
        loadTemplate(bus.region(REGION), readFileSync(file, 'utf8'), file, {
          region: REGION,
          accountId: bus.accountId,
        }),
        [],
      );
      await events.send(
        new PutEventsCommand({ Entries: [{ Source: 'serverless.greet', DetailType: 'd', Detail: '{}' }] }),
      );
      const lines = await logLines(logs, '/aws/lambda/greeter-dev-greet', reports(1), 'the run of greet');
      assert.ok(
        lines.some((l) => l.message.endsWith('\tINFO\thi (dev) from greeter-dev-greet for serverless.greet')),
        lines.map((l) => l.message).join('\n'),
      );
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });
});

void describe('local bus: SNS subscriptions of functions', () => {
  void it("run the function with SNS's event when a rule's topic target publishes", async () => {
    const notices: FunctionRunNotice[] = [];
    const bus = await startLocalBus({ runFunctions: true, onFunctionRun: (n) => notices.push(n) });
    const { events, logs } = clientsFor(bus.url, REGION);
    const file = join(FIXTURES, 'functions', 'sns-stack.yaml');
    try {
      const warnings = loadTemplate(
        bus.region(REGION),
        `
Resources:
  Fanout:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: fanout
      Subscription:
        - Protocol: lambda
          Endpoint: !GetAtt Listener.Arn
  Listener:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: sns-listener
      Runtime: nodejs20.x
      Handler: index.handler
      Code:
        ZipFile: |
          exports.handler = async (event) => {
            console.log('from SNS', event.Records[0].EventSource, JSON.parse(event.Records[0].Sns.Message).detail.n);
          };
  ToTopic:
    Type: AWS::Events::Rule
    Properties:
      Name: to-topic
      EventPattern: { source: [sns.fanout] }
      Targets:
        - Id: topic
          Arn: !Ref Fanout
`,
        file,
        { region: REGION, accountId: bus.accountId },
      );
      assert.deepEqual(warnings, []);
      await events.send(
        new PutEventsCommand({ Entries: [{ Source: 'sns.fanout', DetailType: 'd', Detail: '{"n":42}' }] }),
      );
      const lines = await logLines(logs, '/aws/lambda/sns-listener', reports(1), 'the SNS-invoked run');
      assert.ok(
        lines.some((l) => l.message.endsWith('\tINFO\tfrom SNS aws:sns 42')),
        lines.map((l) => l.message).join('\n'),
      );
      assert.equal(notices.length, 1);
      assert.match(
        notices[0].message,
        /of function sns-listener \(nodejs20\.x\) for SNS topic arn:aws:sns:eu-west-1:000000000000:fanout, from its inline code$/,
      );
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });
});

void describe('local bus: running functions is off unless the bus is told it may', () => {
  void it('records the invocation as undelivered and runs nothing', async () => {
    const notices: FunctionRunNotice[] = [];
    const bus = await startLocalBus({ onFunctionRun: (n) => notices.push(n) });
    const { events, logs } = clientsFor(bus.url, REGION);
    try {
      loadTemplate(bus.region(REGION), readFileSync(TEMPLATE, 'utf8'), TEMPLATE, {
        region: REGION,
        accountId: bus.accountId,
      });
      await events.send(
        new PutEventsCommand({ Entries: [{ Source: 'fixture.esm', DetailType: 'd', Detail: '{"x":1}' }] }),
      );
      const lines = await logLines(logs, UNDELIVERED_LOG_GROUP, (ls) => ls.length > 0, 'the undelivered line');
      const record = JSON.parse(lines[0].message) as { reason: string; target: string; input: string };
      assert.match(record.reason, /running functions is off/);
      assert.equal(record.target, `arn:aws:lambda:${REGION}:${bus.accountId}:function:fixture-esm`);
      assert.equal((JSON.parse(record.input) as { detail: { x: number } }).detail.x, 1);
      const own = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/fixture-esm' }));
      assert.deepEqual(own.events, []);
      assert.deepEqual(notices, []);
      assert.equal(bus.functions.activeRuns, 0);
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });
});

void describe('local bus: what a function cannot do to the bus', () => {
  const inline = (name: string, runtime: string, text: string) => ({
    name,
    arn: `arn:aws:lambda:${REGION}:000000000000:function:${name}`,
    runtime,
    handler: 'index.handler',
    code: { kind: 'inline' as const, text },
    environment: {},
    timeoutSeconds: 3,
    memorySize: 128,
    declaredIn: 'test',
  });

  void it('keeps a bounded number of log events from one run', async () => {
    const bus = await startLocalBus({ runFunctions: true });
    const { events, logs } = clientsFor(bus.url, REGION);
    try {
      const fn = inline(
        'chatty',
        'nodejs20.x',
        "exports.handler = async () => { process.stdout.write('line\\n'.repeat(10050)); };",
      );
      bus.region(REGION).lambda.put(fn);
      await events.send(new PutRuleCommand({ Name: 'to-chatty', EventPattern: '{"source":["chatty"]}' }));
      await events.send(new PutTargetsCommand({ Rule: 'to-chatty', Targets: [{ Id: 'fn', Arn: fn.arn }] }));
      await events.send(new PutEventsCommand({ Entries: [{ Source: 'chatty', DetailType: 'd', Detail: '{}' }] }));
      const stream = await pollFor(() => {
        const group = bus.region(REGION).logs.groups.get('/aws/lambda/chatty');
        const s = group && [...group.streams.values()][0];
        return Promise.resolve(s?.events.some((e) => e.message.startsWith('REPORT ')) ? s : undefined);
      }, 'the end of the run');
      const lines = stream.events.filter((e) => e.message === 'line').length;
      assert.equal(lines, 10_000);
      assert.ok(stream.events.some((e) => e.message.includes("the rest of this run's output is dropped")));
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });

  void it('says so in the undelivered group when the runtime cannot be started', async () => {
    const warnings: string[] = [];
    const bus = await startLocalBus({
      runFunctions: true,
      onWarning: (w) => warnings.push(w),
      functions: { pythonExecutable: join(FIXTURES, 'no-such-python3') },
    });
    const { events, logs } = clientsFor(bus.url, REGION);
    try {
      const fn = inline('pyfn', 'python3.12', 'def handler(event, context):\n    print(event)\n');
      bus.region(REGION).lambda.put(fn);
      await events.send(new PutRuleCommand({ Name: 'to-py', EventPattern: '{"source":["py"]}' }));
      await events.send(new PutTargetsCommand({ Rule: 'to-py', Targets: [{ Id: 'fn', Arn: fn.arn }] }));
      await events.send(new PutEventsCommand({ Entries: [{ Source: 'py', DetailType: 'd', Detail: '{}' }] }));
      const lines = await logLines(logs, UNDELIVERED_LOG_GROUP, (ls) => ls.length > 0, 'the undelivered line');
      const record = JSON.parse(lines[0].message) as { reason: string };
      assert.match(record.reason, /function pyfn could not be started: no Python 3 interpreter was found/);
      assert.ok(
        warnings.some((w) => w.startsWith('rule to-py: function pyfn could not be started')),
        warnings.join('\n'),
      );
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });
});

void describe('local bus: handler errors as each runtime reports them', () => {
  void it('logs a Python exception, a missing Node.js handler, and runs an .mjs module', async () => {
    const bus = await startLocalBus({ runFunctions: true, functions: { functionRetryDelaysMs: [0] } });
    const { events, logs } = clientsFor(bus.url, REGION);
    const dir = mkdtempSync(join(tmpdir(), 'local-bus-mjs-'));
    try {
      writeFileSync(
        join(dir, 'main.mjs'),
        "export const handler = async (event) => { console.log('mjs', event.detail.n); };\n",
      );
      const region = bus.region(REGION);
      const functions: LambdaFunction[] = [
        {
          ...base('py-raises', 'python3.12', 'index.handler'),
          code: { kind: 'inline', text: "def handler(event, context):\n    raise ValueError('no such order')\n" },
        },
        {
          ...base('no-handler', 'nodejs20.x', 'index.nothing'),
          code: { kind: 'inline', text: 'exports.handler = async () => {};' },
        },
        { ...base('mjs', 'nodejs22.x', 'main.handler'), code: { kind: 'directory', path: dir } },
      ];
      await events.send(new PutRuleCommand({ Name: 'to-all', EventPattern: '{"source":["all"]}' }));
      for (const fn of functions) region.lambda.put(fn);
      await events.send(
        new PutTargetsCommand({ Rule: 'to-all', Targets: functions.map((f) => ({ Id: f.name, Arn: f.arn })) }),
      );
      await events.send(new PutEventsCommand({ Entries: [{ Source: 'all', DetailType: 'd', Detail: '{"n":5}' }] }));

      const py = await logLines(logs, '/aws/lambda/py-raises', reports(1), 'the Python run');
      const pyError = py.find((l) => l.message.startsWith('[ERROR] '));
      assert.ok(pyError, py.map((l) => l.message).join('\n'));
      assert.match(
        pyError.message,
        /^\[ERROR\] ValueError: no such order\nTraceback \(most recent call last\):\n {2}File ".*index\.py", line 2, in handler/,
      );
      const missing = await logLines(logs, '/aws/lambda/no-handler', reports(1), 'the run without a handler');
      const invokeError = missing.find((l) => l.message.includes('\tERROR\t'));
      assert.match(
        invokeError?.message ?? '',
        /"errorType":"Runtime\.HandlerNotFound","errorMessage":"index\.nothing is undefined or not exported"/,
      );
      const mjs = await logLines(logs, '/aws/lambda/mjs', reports(1), 'the .mjs run');
      assert.ok(mjs.some((l) => l.message.endsWith('\tINFO\tmjs 5')));
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function base(name: string, runtime: string, handler: string): Omit<LambdaFunction, 'code'> {
  return {
    name,
    arn: `arn:aws:lambda:${REGION}:000000000000:function:${name}`,
    runtime,
    handler,
    environment: {},
    timeoutSeconds: 3,
    memorySize: 128,
    maximumRetryAttempts: 0,
    declaredIn: 'test',
  };
}

void describe('local bus: a hung handler', () => {
  void it('does not hold up the bus, and close() kills it', async () => {
    const bus = await startLocalBus({ runFunctions: true });
    const { events, logs } = clientsFor(bus.url, REGION);
    try {
      const region = bus.region(REGION);
      const fnArn = `arn:aws:lambda:${REGION}:${bus.accountId}:function:hung`;
      region.lambda.put({
        name: 'hung',
        arn: fnArn,
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        code: { kind: 'inline', text: "exports.handler = async () => { console.log('hanging'); for (;;) {} };" },
        environment: {},
        timeoutSeconds: 900,
        memorySize: 128,
        declaredIn: 'test',
      });
      await events.send(new PutRuleCommand({ Name: 'to-hung', EventPattern: '{"source":["hung"]}' }));
      await events.send(new PutTargetsCommand({ Rule: 'to-hung', Targets: [{ Id: 'fn', Arn: fnArn }] }));
      await events.send(new PutEventsCommand({ Entries: [{ Source: 'hung', DetailType: 'd', Detail: '{}' }] }));
      await logLines(
        logs,
        '/aws/lambda/hung',
        (ls) => ls.some((l) => l.message.endsWith('\tINFO\thanging')),
        'the hung handler to start',
      );
      // The bus still answers while the handler spins.
      const again = await events.send(
        new PutEventsCommand({ Entries: [{ Source: 'other', DetailType: 'd', Detail: '{}' }] }),
      );
      assert.equal(again.FailedEntryCount, 0);
      assert.equal(bus.functions.activeRuns, 1);
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
    assert.equal(bus.functions.activeRuns, 0);
  });
});
