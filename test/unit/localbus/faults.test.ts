// Injected faults, seen through the real SDK clients: what clients must cope with on a bad day.
import '../hermeticAws';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBridgeClient, PutEventsCommand, ListEventBusesCommand, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { CreateLogGroupCommand, StartLiveTailCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startLocalBus } from '../../../server/src/localbus/localBusServer';
import { parseFaultSpec } from '../../../server/src/localbus/faults';
import { runLocalBusCommand } from '../../../server/src/localbus/localBusCommand';
import { clientsFor, DUMMY_CREDENTIALS, withCode } from './localBusTestSupport';

const entry = (n: number) => ({ Source: 'app', DetailType: 't', Detail: JSON.stringify({ n }) });

test('throttling: the SDK retries a bounded number of times, then reports ThrottlingException', async () => {
  const bus = await startLocalBus({ port: 0 });
  try {
    let attempts = 0;
    const client = new EventBridgeClient({ region: 'us-east-1', endpoint: bus.url, credentials: DUMMY_CREDENTIALS, maxAttempts: 3 });
    client.middlewareStack.add((next) => (args) => {
      attempts++;
      return next(args);
    }, { step: 'finalizeRequest', name: 'countAttempts' });
    bus.faults.add({ kind: 'throttle', operation: 'ListEventBuses', times: 5 });
    await assert.rejects(client.send(new ListEventBusesCommand({})), withCode('ThrottlingException'));
    assert.equal(attempts, 3, 'maxAttempts bounds the retries');
    // Two throttles left: the next call succeeds on its third attempt.
    attempts = 0;
    const ok = await client.send(new ListEventBusesCommand({}));
    assert.equal(attempts, 3);
    assert.ok(ok.EventBuses?.some((b) => b.Name === 'default'));
  } finally {
    await bus.close();
  }
});

test('expired credentials are not retried and carry the SDK error name', async () => {
  const bus = await startLocalBus({ port: 0, faults: [{ kind: 'expired-credentials' }] });
  try {
    const { events } = clientsFor(bus.url);
    await assert.rejects(events.send(new ListEventBusesCommand({})), withCode('ExpiredTokenException'));
    await events.send(new ListEventBusesCommand({})); // used up
  } finally {
    await bus.close();
  }
});

test('a dropped connection surfaces as a network error, and the bus keeps serving', async () => {
  const bus = await startLocalBus({ port: 0, faults: [{ kind: 'drop-connection', operation: 'PutEvents' }] });
  try {
    const { events } = clientsFor(bus.url);
    await assert.rejects(events.send(new PutEventsCommand({ Entries: [entry(1)] })), (e: Error) => /socket hang up|ECONNRESET|closed/i.test(`${e.name} ${e.message}`));
    const r = await events.send(new PutEventsCommand({ Entries: [entry(2)] }));
    assert.equal(r.FailedEntryCount, 0);
  } finally {
    await bus.close();
  }
});

test('partial PutEvents failure: per-entry error codes, in request order', async () => {
  const bus = await startLocalBus({ port: 0, faults: [{ kind: 'partial-put-events' }] });
  try {
    const { events } = clientsFor(bus.url);
    const r = await events.send(new PutEventsCommand({ Entries: [entry(1), entry(2), entry(3)] }));
    assert.equal(r.FailedEntryCount, 2);
    assert.deepEqual(r.Entries?.map((e) => e.ErrorCode ?? 'ok'), ['InternalFailure', 'ok', 'InternalFailure']);
    assert.ok(r.Entries?.[1]?.EventId);
  } finally {
    await bus.close();
  }
});

test('a Live Tail stream that ends reports SessionStreamingException to the reader', async () => {
  const bus = await startLocalBus({ port: 0, liveTail: { updateIntervalMs: 50 }, faults: [{ kind: 'end-live-tail', afterUpdates: 2 }] });
  try {
    const { logs } = clientsFor(bus.url);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    const resp = await logs.send(new StartLiveTailCommand({ logGroupIdentifiers: ['arn:aws:logs:eu-west-1:000000000000:log-group:g'] }));
    let updates = 0;
    await assert.rejects(
      (async () => {
        for await (const ev of resp.responseStream!) if (ev.sessionUpdate) updates++;
      })(),
      (e: Error) => e.name === 'SessionStreamingException',
    );
    assert.equal(updates, 2);
  } finally {
    await bus.close();
  }
});

test('faults from the command line: --fault kind[:operation[:times]]', async () => {
  assert.deepEqual(parseFaultSpec('throttle:PutEvents:3'), { kind: 'throttle', operation: 'PutEvents', times: 3 });
  assert.throws(() => parseFaultSpec('explode'), /unknown fault kind "explode"/);
  const lines: string[] = [];
  const errors: string[] = [];
  const controller = new AbortController();
  const done = runLocalBusCommand(['--port', '0', '--fault', 'throttle:ListRules:1'], {
    stdout: (l) => lines.push(l),
    stderr: (l) => errors.push(l),
    signal: controller.signal,
  });
  for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  const url = /listening on (\S+)/.exec(lines[0] ?? '')?.[1];
  assert.ok(url, 'the bus printed its URL');
  const { events } = clientsFor(url);
  await assert.rejects(events.send(new ListRulesCommand({})), withCode('ThrottlingException'));
  assert.deepEqual((await events.send(new ListRulesCommand({}))).Rules, []);
  controller.abort();
  assert.equal(await done, 0);
  const bad = await runLocalBusCommand(['--port', '0', '--fault', 'nope'], { stdout: () => {}, stderr: (l) => errors.push(l) });
  assert.equal(bad, 2);
  assert.ok(errors.some((l) => /unknown fault kind "nope"/.test(l)));
});
