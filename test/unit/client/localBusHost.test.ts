// The local bus as the extension runs it: a child process of dist/cli.js, spoken to over IPC (localBusHost.ts). It
// starts with the templates it is given, loads them into another region when asked, passes its warnings on, says when
// it dies, and ends with its parent: when stopped, and when the parent goes away without stopping it.
import '../hermeticAws';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { EventBridgeClient, ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { LOCAL_DEFAULT_ACCOUNT_ID } from '../../../client/src/aws/clients';
import { startLocalBusProcess, type EmbeddedLocalBus } from '../../../client/src/aws/localBusHost';
import { DEFAULT_ACCOUNT_ID } from '../../../server/src/localbus';
import { cliBundle, repoRoot } from '../repoPaths';

const TEMPLATE = `Resources:
  OrdersBus:
    Type: AWS::Events::EventBus
    Properties:
      Name: orders
  Placed:
    Type: AWS::Events::Rule
    Properties:
      Name: placed
      EventBusName: !Ref OrdersBus
      EventPattern:
        source: [shop]
      Targets:
        - Id: log
          Arn: arn:aws:logs:eu-west-1:000000000000:log-group:/nowhere
`;

const started: EmbeddedLocalBus[] = [];
after(async () => {
  await Promise.allSettled(started.map((b) => b.close()));
});

function eventsClient(url: string, region: string): EventBridgeClient {
  return new EventBridgeClient({
    region,
    endpoint: url,
    credentials: { accessKeyId: 'AKIDLOCALHOSTTEST', secretAccessKey: 'local-host-test-secret' },
    maxAttempts: 1,
  });
}

/** Whether a process runs (a zombie nobody reaped yet does not). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    if (existsSync('/proc/self/stat')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the local bus process', () => {
  it('starts with the templates that look like templates, in the region asked, and says which it loaded', async () => {
    const warnings: string[] = [];
    const bus = await startLocalBusProcess({
      cliPath: cliBundle,
      region: 'eu-west-1',
      templates: [
        { path: '/w/orders.yaml', text: TEMPLATE },
        { path: '/w/package.json', text: '{"name": "x"}' },
        { path: '/w/broken.yaml', text: 'Resources: [\n  AWS::Events::Rule' },
      ],
      onWarning: (w) => warnings.push(w),
    });
    started.push(bus);
    assert.match(bus.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(bus.port, Number(new URL(bus.url).port));
    assert.equal(bus.accountId, DEFAULT_ACCOUNT_ID);
    assert.equal(LOCAL_DEFAULT_ACCOUNT_ID, DEFAULT_ACCOUNT_ID, "the client's idea of the bus's account is the bus's");
    assert.deepEqual(bus.loaded, ['/w/orders.yaml']);
    assert.ok(
      warnings.some((w) => w.startsWith('/w/broken.yaml: not valid YAML')),
      warnings.join('\n'),
    );
    assert.ok(bus.pid !== undefined && bus.pid !== process.pid && isAlive(bus.pid));

    const events = eventsClient(bus.url, 'eu-west-1');
    try {
      const rules = await events.send(new ListRulesCommand({ EventBusName: 'orders' }));
      assert.deepEqual(
        rules.Rules?.map((r) => r.Name),
        ['placed'],
      );
      // A delivery that fails (the log group does not exist) comes back as a warning.
      await events.send(
        new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'd', Detail: '{}', EventBusName: 'orders' }] }),
      );
      await waitFor(() => warnings.some((w) => w.includes('/nowhere')), 'the delivery warning');
    } finally {
      events.destroy();
    }

    // Another region gets the templates once.
    const again = await bus.ensureRegion('ap-south-1');
    assert.ok(
      again.some((w) => w.startsWith('/w/broken.yaml: not valid YAML')),
      again.join('\n'),
    );
    assert.deepEqual(await bus.ensureRegion('ap-south-1'), [], 'only once');
    const elsewhere = eventsClient(bus.url, 'ap-south-1');
    try {
      const rules = await elsewhere.send(new ListRulesCommand({ EventBusName: 'orders' }));
      assert.deepEqual(
        rules.Rules?.map((r) => r.Name),
        ['placed'],
      );
    } finally {
      elsewhere.destroy();
    }

    const pid = bus.pid;
    await bus.close();
    assert.equal(isAlive(pid), false, 'the process has ended');
    await assert.rejects(fetch(`${bus.url}/`), 'nothing listens any more');
    await bus.close(); // a second close does nothing
  });

  it('passes on the events PutEvents accepts, a few of each source and detail-type, for learning', async () => {
    const seen: Readonly<Record<string, unknown>>[] = [];
    const bus = await startLocalBusProcess({
      cliPath: cliBundle,
      region: 'us-east-1',
      templates: [],
      onEvent: (e) => seen.push(e),
    });
    started.push(bus);
    const events = eventsClient(bus.url, 'us-east-1');
    try {
      // 60 events of one pair: only the first 50 are passed on; the other pair's come through all the same.
      for (let batch = 0; batch < 6; batch++)
        await events.send(
          new PutEventsCommand({
            Entries: Array.from({ length: 10 }, (_, i) => ({
              Source: 'com.example.orders',
              DetailType: 'Order Placed',
              Detail: JSON.stringify({ n: batch * 10 + i }),
            })),
          }),
        );
      await events.send(
        new PutEventsCommand({
          Entries: [{ Source: 'com.example.payments', DetailType: 'Payment Authorized', Detail: '{"amount": "4.20"}' }],
        }),
      );
      await waitFor(() => seen.some((e) => e.source === 'com.example.payments'), 'the payment event');
    } finally {
      events.destroy();
    }
    const orders = seen.filter((e) => e.source === 'com.example.orders');
    assert.equal(orders.length, 50);
    assert.deepEqual(orders[0].detail, { n: 0 });
    const payment = seen.find((e) => e.source === 'com.example.payments')!;
    assert.equal(payment['detail-type'], 'Payment Authorized');
    assert.deepEqual(payment.detail, { amount: '4.20' });
    assert.equal(payment.account, DEFAULT_ACCOUNT_ID);
    await bus.close();
  });

  it('says why it did not start: the port is taken, the tool is missing', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await assert.rejects(
        startLocalBusProcess({ cliPath: cliBundle, port, region: 'us-east-1', templates: [] }),
        (e: Error) => e.message.includes(`cannot listen on 127.0.0.1:${port}`) && /EADDRINUSE/.test(e.message),
      );
    } finally {
      taken.close();
    }
    await assert.rejects(
      startLocalBusProcess({ cliPath: join(repoRoot, 'no-such-cli.js'), region: 'us-east-1', templates: [] }),
      /no-such-cli\.js is missing: run `npm run build`/,
    );
  });

  it('says when the process dies without being stopped', async () => {
    let died: string | undefined;
    const bus = await startLocalBusProcess({
      cliPath: cliBundle,
      region: 'us-east-1',
      templates: [],
      onUnexpectedExit: (reason) => (died = reason),
    });
    started.push(bus);
    process.kill(bus.pid!, 'SIGKILL');
    assert.match(
      await waitFor(() => died, 'the exit to be reported'),
      /the local bus process ended \(signal SIGKILL\)/,
    );
    assert.deepEqual(await bus.ensureRegion('eu-west-1'), ['the local bus is not running']);
  });

  it('ends when its parent goes away without stopping it', async () => {
    // A parent process that starts a bus, prints its process id and exits at once.
    const script = `
      const { startLocalBusProcess } = require(${JSON.stringify(join(repoRoot, 'out', 'client', 'src', 'aws', 'localBusHost.js'))});
      startLocalBusProcess({ cliPath: ${JSON.stringify(cliBundle)}, region: 'us-east-1', templates: [] }).then((bus) => {
        process.stdout.write(String(bus.pid) + '\\n', () => process.exit(0));
      });`;
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => parent.on('exit', resolve));
    assert.equal(code, 0);
    const pid = Number(out.trim());
    assert.ok(pid > 0, out);
    await waitFor(() => !isAlive(pid), `the orphaned bus ${pid} to end`);
  });
});

describe('the local bus process and Lambda targets', () => {
  const functionsTemplate = join(repoRoot, 'test', 'fixtures', 'localbus', 'functions', 'template.yaml');

  it('runs handlers only when the extension says so, and tells it the first time a handler runs', async () => {
    for (const runFunctions of [false, true]) {
      const runs: string[] = [];
      const bus = await startLocalBusProcess({
        cliPath: cliBundle,
        region: 'eu-west-1',
        templates: [{ path: functionsTemplate, text: readFileSync(functionsTemplate, 'utf8') }],
        runFunctions,
        onFunctionRun: (message) => runs.push(message),
      });
      started.push(bus);
      const events = eventsClient(bus.url, 'eu-west-1');
      const logs = new CloudWatchLogsClient({
        region: 'eu-west-1',
        endpoint: bus.url,
        credentials: { accessKeyId: 'AKIDLOCALHOSTTEST', secretAccessKey: 'local-host-test-secret' },
        maxAttempts: 1,
      });
      try {
        for (let i = 0; i < 2; i++)
          await events.send(
            new PutEventsCommand({ Entries: [{ Source: 'fixture.esm', DetailType: 'd', Detail: '{}' }] }),
          );
        if (runFunctions) {
          await waitFor(() => runs.length > 0, 'the first-run message');
          assert.deepEqual(runs, [
            `Running handler src/app.handler of function fixture-esm (nodejs20.x) for rule fixture-esm-rule, from ${join(repoRoot, 'test', 'fixtures', 'localbus', 'functions', 'esm')}`,
          ]);
        } else {
          // Both invocations are written down as undelivered, saying why, while PutEvents is answered.
          const out = await logs.send(
            new FilterLogEventsCommand({ logGroupName: '/eventbridge-patterns/local-bus/undelivered' }),
          );
          assert.equal(out.events?.length, 2);
          assert.match(out.events[0].message ?? '', /running functions is off/);
          assert.deepEqual(runs, []);
        }
      } finally {
        events.destroy();
        logs.destroy();
        await bus.close();
      }
    }
  });
});
