// The client's AWS logic with the REAL SDK clients built by clients.ts, against the local bus on 127.0.0.1 (run in
// this process, so the test can look inside it): profiles and dummy keys from temporary AWS config/credentials files,
// PutEvents → rule → log group → the tail (live and polling), rule discovery, TestEventPattern, and real SDK errors
// turned into messages. Never contacts AWS. (The bus as the extension runs it, a child process: localBusHost.test.ts.)
import '../hermeticAws';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutEventsCommand, ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadTemplate, startLocalBus, type LocalBus } from '../../../server/src/localbus';
import { getLanguageService, ruleAt, testPatternAt } from '../../../server/src/languageservice/languageService';
import { createAwsClients, resolveConnection, type AwsClients } from '../../../client/src/aws/clients';
import { describeAwsError } from '../../../client/src/aws/errors';
import { formatTailedEvent, tailLogGroups, type TailedEvent, type TailMode } from '../../../client/src/aws/logTail';
import { compareWithAws } from '../../../client/src/aws/patternTesting';
import { loadProfiles, type AwsConfigFiles } from '../../../client/src/aws/profiles';
import { listEventBuses, listRules, listTargets, logTargetsOf } from '../../../client/src/aws/ruleTargets';
import type { LogGroupRef } from '../../../client/src/aws/arns';

const REGION = 'eu-west-1';
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  ShopLog:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /aws/events/shop-test
  OrdersBus:
    Type: AWS::Events::EventBus
    Properties:
      Name: orders
  AllShop:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [shop]
      Targets:
        - Id: log
          Arn: !GetAtt ShopLog.Arn
  BigOrders:
    Type: AWS::Events::Rule
    Properties:
      Name: big-orders
      EventBusName: !Ref OrdersBus
      EventPattern:
        source: [shop]
        detail:
          total: [{ numeric: ['>=', 100] }]
      Targets:
        - Id: log
          Arn: !GetAtt ShopLog.Arn
        - Id: queue
          Arn: arn:aws:sqs:eu-west-1:000000000000:orders
`;

interface Scenario {
  dir: string;
  files: AwsConfigFiles;
  bus: LocalBus;
  clients: AwsClients;
  logGroup: LogGroupRef;
}

let s: Scenario;
/** Tails still open when a test fails are ended before the bus closes. */
const openTails: { abort: AbortController; done: Promise<unknown> }[] = [];

function writeAwsFiles(dir: string, config: string, credentials: string): AwsConfigFiles {
  mkdirSync(join(dir, '.aws'), { recursive: true });
  const files = { configPath: join(dir, '.aws', 'config'), credentialsPath: join(dir, '.aws', 'credentials') };
  writeFileSync(files.configPath, config);
  writeFileSync(files.credentialsPath, credentials);
  return files;
}

async function clientsForProfile(files: AwsConfigFiles, profile: string, localBusUrl?: string): Promise<AwsClients> {
  const set = await loadProfiles(files);
  const resolved = resolveConnection({ profile }, set, localBusUrl, {});
  if (!resolved.ok) throw new Error(resolved.reason);
  return createAwsClients(resolved.connection, { files });
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function putShopEvent(clients: AwsClients, marker: string, bus = 'default', total = 1): Promise<string> {
  const r = await clients.events.send(
    new PutEventsCommand({
      Entries: [
        { Source: 'shop', DetailType: 'OrderCreated', Detail: JSON.stringify({ marker, total }), EventBusName: bus },
      ],
    }),
  );
  assert.equal(r.FailedEntryCount, 0, JSON.stringify(r.Entries));
  return r.Entries![0].EventId!;
}

/** Runs a tail in the background, collecting events and status lines. */
function startTail(
  clients: AwsClients,
  groups: LogGroupRef[],
  options: { forcePolling?: boolean; recentMs?: number } = {},
) {
  const events: TailedEvent[] = [];
  const statuses: { message: string; mode?: TailMode }[] = [];
  const abort = new AbortController();
  const done = tailLogGroups({
    logs: clients.logs,
    logGroups: groups,
    signal: abort.signal,
    recentMs: options.recentMs ?? 0,
    pollIntervalMs: 100,
    ...(options.forcePolling ? { forcePolling: true } : {}),
    onEvents: (batch) => events.push(...batch),
    onStatus: (message, mode) => statuses.push({ message, ...(mode ? { mode } : {}) }),
  });
  openTails.push({ abort, done });
  return { events, statuses, abort, done };
}

function withMarker(events: readonly TailedEvent[], marker: string): TailedEvent | undefined {
  return events.find((e) => e.message.includes(marker));
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eventbridge-client-it-'));
  const templatePath = join(dir, 'orders.yaml');
  writeFileSync(templatePath, TEMPLATE);
  const bus = await startLocalBus({ port: 0 });
  assert.deepEqual(
    loadTemplate(bus.region(REGION), TEMPLATE, templatePath, { region: REGION, accountId: bus.accountId }),
    [],
  );
  const files = writeAwsFiles(
    dir,
    `[profile localtest]\nregion = ${REGION}\nendpoint_url = ${bus.url}\n`,
    '[localtest]\naws_access_key_id = AKIDLOCALINTEGRATION\naws_secret_access_key = local-integration-secret\n',
  );
  const clients = await clientsForProfile(files, 'localtest');
  assert.equal(clients.connection.endpoints.cloudwatch_logs, bus.url, 'endpoint_url of the profile is used');
  s = {
    dir,
    files,
    bus,
    clients,
    logGroup: {
      name: '/aws/events/shop-test',
      arn: `arn:aws:logs:${REGION}:000000000000:log-group:/aws/events/shop-test`,
      region: REGION,
      accountId: '000000000000',
    },
  };
});

after(async () => {
  for (const t of openTails) t.abort.abort();
  await Promise.allSettled(openTails.map((t) => t.done));
  s?.clients.destroy();
  await s?.bus.close();
  if (s) rmSync(s.dir, { recursive: true, force: true });
});

describe('the real SDK clients from clients.ts against the local bus', () => {
  it('find the buses, the rules and their log-group targets loaded from the template', async () => {
    assert.deepEqual(await listEventBuses(s.clients.events), ['default', 'orders']);
    const onOrders = await listRules(s.clients.events, 'orders');
    assert.deepEqual(
      onOrders.map((r) => r.Name),
      ['big-orders'],
    );
    const targets = logTargetsOf(await listTargets(s.clients.events, { name: 'big-orders', eventBusName: 'orders' }));
    assert.deepEqual(targets.logGroups, [s.logGroup]);
    assert.deepEqual(targets.others, ['queue (arn:aws:sqs:eu-west-1:000000000000:orders)']);
  });

  it("name the rule under the cursor (the language server's answer) as the local bus named it", async () => {
    const service = getLanguageService();
    const document = TextDocument.create(`file://${join(s.dir, 'orders.yaml')}`, 'yaml', 1, TEMPLATE);
    const context = { region: REGION, accountId: '000000000000' };
    const r = ruleAt(
      service,
      document,
      document.positionAt(TEMPLATE.indexOf('source: [shop]')),
      join(s.dir, 'orders.yaml'),
      context,
    );
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.equal(r.rule.logicalId, 'AllShop');
    const onDefault = (await listRules(s.clients.events, 'default')).map((x) => x.Name);
    assert.ok(onDefault.includes(r.rule.localName), `${r.rule.localName} in ${onDefault.join(', ')}`);
    const named = ruleAt(
      service,
      document,
      document.positionAt(TEMPLATE.indexOf('numeric')),
      join(s.dir, 'orders.yaml'),
      context,
    );
    assert.ok(named.ok);
    const onOrders = (await listRules(s.clients.events, named.rule.eventBusName)).map((x) => x.Name);
    assert.ok(onOrders.includes(named.rule.localName), `${named.rule.localName} in ${onOrders.join(', ')}`);
  });

  it('tail a rule target with StartLiveTail: an event sent after the start arrives as JSON', async () => {
    const tail = startTail(s.clients, [s.logGroup]);
    await waitFor(() => tail.statuses.find((x) => x.mode === 'live'), 'the live tail to start');
    const marker = `live-${Date.now()}`;
    const id = await putShopEvent(s.clients, marker);
    const got = await waitFor(() => withMarker(tail.events, marker), 'the event through live tail');
    tail.abort.abort();
    const outcome = await tail.done;
    assert.equal(outcome.mode, 'live');
    assert.equal(got.logGroupName, '/aws/events/shop-test');
    const envelope = JSON.parse(got.message) as { id: string; source: string; detail: { marker: string } };
    assert.equal(envelope.id, id);
    assert.equal(envelope.detail.marker, marker);
    assert.ok(!tail.statuses.some((x) => x.mode === 'poll'), JSON.stringify(tail.statuses));
  });

  it('tail by polling FilterLogEvents: each event once, custom bus included', async () => {
    const tail = startTail(s.clients, [s.logGroup], { forcePolling: true });
    await waitFor(() => tail.statuses.find((x) => x.mode === 'poll'), 'polling to start');
    const marker = `poll-${Date.now()}`;
    await putShopEvent(s.clients, marker, 'orders', 150);
    await waitFor(() => withMarker(tail.events, marker), 'the event through polling');
    // A few more polls must not deliver it again.
    await new Promise((r) => setTimeout(r, 350));
    tail.abort.abort();
    assert.equal((await tail.done).mode, 'poll');
    assert.equal(tail.events.filter((e) => e.message.includes(marker)).length, 1);
    assert.match(withMarker(tail.events, marker)!.logStreamName ?? '', /big-orders/);
  });

  it('falls back to polling when StartLiveTail fails, and still delivers', async () => {
    const clients = await clientsForProfile(s.files, 'localtest');
    // The endpoint refuses StartLiveTail, as moto does (500) or an account without the permission would.
    clients.logs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'StartLiveTailCommand')
          throw Object.assign(new Error('StartLiveTail is not implemented here'), { name: 'InternalFailure' });
        return next(args);
      },
      { step: 'initialize', name: 'refuseLiveTail' },
    );
    try {
      const tail = startTail(clients, [s.logGroup]);
      await waitFor(() => tail.statuses.find((x) => x.mode === 'poll'), 'the fallback to polling');
      assert.match(
        tail.statuses[0].message,
        /StartLiveTail is not available \(InternalFailure: StartLiveTail is not implemented here\)/,
      );
      const marker = `fallback-${Date.now()}`;
      await putShopEvent(s.clients, marker);
      await waitFor(() => withMarker(tail.events, marker), 'the event after the fallback');
      tail.abort.abort();
      assert.equal((await tail.done).mode, 'poll');
    } finally {
      clients.destroy();
    }
  });

  it('shows recent events first (FilterLogEvents), then new ones without repeating', async () => {
    const before = `recent-${Date.now()}`;
    await putShopEvent(s.clients, before);
    const tail = startTail(s.clients, [s.logGroup], { recentMs: 60_000 });
    await waitFor(() => withMarker(tail.events, before), 'the recent event');
    const afterMarker = `after-${Date.now()}`;
    await putShopEvent(s.clients, afterMarker);
    await waitFor(() => withMarker(tail.events, afterMarker), 'the new event');
    tail.abort.abort();
    await tail.done;
    assert.equal(tail.events.filter((e) => e.message.includes(before)).length, 1);
    const order = tail.events.map((e) => e.message);
    assert.ok(order.findIndex((m) => m.includes(before)) < order.findIndex((m) => m.includes(afterMarker)));
  });

  it('stops promptly when aborted, even with nothing arriving', async () => {
    const tail = startTail(s.clients, [s.logGroup]);
    await waitFor(() => tail.statuses.find((x) => x.mode === 'live'), 'the live tail to start');
    const started = Date.now();
    tail.abort.abort();
    await tail.done;
    assert.ok(Date.now() - started < 2000);
    await waitFor(() => (s.bus.activeLiveTails === 0 ? true : undefined), 'the session to end on the bus');
  });

  it('report per-entry PutEvents errors with code and message', async () => {
    const r = await s.clients.events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'shop', DetailType: 'x', Detail: '{}' },
          { Source: 'shop', DetailType: 'x', Detail: '[1]' },
        ],
      }),
    );
    assert.equal(r.FailedEntryCount, 1);
    assert.ok(r.Entries?.[0].EventId);
    assert.equal(r.Entries?.[1].ErrorCode, 'MalformedDetail');
  });

  it("compare the engine's answers (from the language server) with TestEventPattern and agree", async () => {
    const patternText = '{"source":["shop"],"detail":{"total":[{"numeric":[">=",100]}]}}';
    const envelope = (total: number): string =>
      JSON.stringify({
        version: '0',
        id: '1',
        'detail-type': 'x',
        source: 'shop',
        account: '000000000000',
        time: '2026-01-01T00:00:00Z',
        region: REGION,
        resources: [],
        detail: { total },
      });
    const inputs = [
      { label: 'big', text: envelope(150) },
      { label: 'small', text: envelope(5) },
      { label: 'incomplete', text: '{"source":"shop"}' },
    ];
    const document = TextDocument.create('file:///w/shop.eventpattern.json', 'json', 1, patternText);
    const tested = testPatternAt(getLanguageService(), document, { line: 0, character: 1 }, inputs);
    assert.ok(tested.ok);
    assert.equal(tested.pattern.text, patternText);
    const local = tested.results;
    const compared = await compareWithAws(
      s.clients.events,
      tested.pattern.text,
      inputs,
      local,
      (e) => describeAwsError(e).code,
    );
    assert.deepEqual(compared[0].aws, { matched: true });
    assert.deepEqual(compared[1].aws, { matched: false });
    assert.deepEqual(compared[2].aws, { error: 'ValidationException' });
    assert.equal(compared[0].matched, true);
    assert.equal(compared[1].matched, false);
  });
});

describe('real SDK errors become messages with a next step', () => {
  it('a profile without credentials: CredentialsProviderError naming the profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventbridge-client-nocreds-'));
    try {
      const files = writeAwsFiles(dir, `[profile empty]\nregion = ${REGION}\nendpoint_url = ${s.bus.url}\n`, '');
      const clients = await clientsForProfile(files, 'empty');
      const error = await clients.events.send(new ListEventBusesCommand({})).then(
        () => assert.fail('expected no credentials'),
        (e: unknown) => e,
      );
      clients.destroy();
      const r = describeAwsError(error, { profile: 'empty' });
      assert.equal(r.code, 'CredentialsProviderError');
      assert.match(r.nextStep ?? '', /profile empty/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an SSO profile without a valid token: run aws sso login --profile X', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventbridge-client-sso-'));
    const home = process.env.HOME;
    try {
      const files = writeAwsFiles(
        dir,
        `[profile corp]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = ${REGION}\nendpoint_url = ${s.bus.url}\n[sso-session corp]\nsso_start_url = https://example.invalid/start\nsso_region = ${REGION}\n`,
        '',
      );
      // The SSO token cache is under HOME/.aws/sso/cache: an empty HOME has none.
      process.env.HOME = dir;
      const clients = await clientsForProfile(files, 'corp');
      const error = await clients.events.send(new ListEventBusesCommand({})).then(
        () => assert.fail('expected an SSO error'),
        (e: unknown) => e,
      );
      clients.destroy();
      const r = describeAwsError(error, { profile: 'corp' });
      assert.equal(r.code, 'ExpiredSsoToken', `${(error as Error).name}: ${(error as Error).message}`);
      assert.match(r.nextStep ?? '', /aws sso login --profile corp/);
    } finally {
      process.env.HOME = home;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a stopped local bus: ECONNREFUSED, "is the local bus running?"', async () => {
    const other = await startLocalBus({ port: 0 });
    const url = other.url;
    await other.close();
    const dir = mkdtempSync(join(tmpdir(), 'eventbridge-client-refused-'));
    try {
      const files = writeAwsFiles(dir, '', '');
      const resolved = resolveConnection({}, await loadProfiles(files), url, {});
      assert.ok(resolved.ok && resolved.connection.localBus);
      const clients = createAwsClients(resolved.connection, { files });
      const error = await clients.events.send(new ListEventBusesCommand({})).then(
        () => assert.fail('expected a refused connection'),
        (e: unknown) => e,
      );
      clients.destroy();
      const r = describeAwsError(error, { endpoint: url, localBus: true });
      assert.equal(r.code, 'ECONNREFUSED');
      assert.match(r.nextStep ?? '', /Is the local bus running\?/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('formatTailedEvent', () => {
  it('shows a header and the message as indented JSON, or as written when not JSON', () => {
    const json = formatTailedEvent({ logGroupName: 'g', logStreamName: 's', timestamp: 0, message: '{"a":{"b":1}}' });
    assert.equal(json, '── 1970-01-01T00:00:00.000Z  g  s\n{\n  "a": {\n    "b": 1\n  }\n}');
    assert.equal(
      formatTailedEvent({ logGroupName: 'g', timestamp: 0, message: '{not json' }),
      '── 1970-01-01T00:00:00.000Z  g\n{not json',
    );
  });
});
