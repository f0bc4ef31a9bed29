// Credentials and trust in a real VS Code. A fake AWS endpoint on 127.0.0.1 (never AWS) stands in for EventBridge,
// and a fake ~/.aws holds a production profile whose keys and session token look real: sending through it asks
// first (auto-answered by the command's argument), cancelling sends nothing, and when the endpoint answers with an
// error that echoes the request's credentials, neither the command's answer nor the "EventBridge Patterns" log holds
// any of them. (The test window's workspace is trusted: the launcher turns trust off, so the untrusted side is covered
// by the unit tests of trust.ts.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeApi, fixturePath, waitFor } from './helpers';

const KEY_ID = 'ASIAE2ETRUSTFAKE7Q3Z';
const SECRET = 'Zq8Rk2mXv7LpT4sWn9YbH3jCf6GdZ1aEeUo5iNr0';
const SESSION_TOKEN =
  'IQoJb3JpZ2luX2VjEKfake//////////wEaCWV1LXdlc3QtMSJHMEUCIQDe2eTrustFakeToken0123456789abcdefXYZ+/fakeend';

interface SendResult {
  eventIds: (string | undefined)[];
  failures: unknown[];
  error?: string;
  cancelled?: boolean;
}

interface Received {
  target: string;
  headers: IncomingHttpHeaders;
}

/** EventBridge as far as PutEvents goes; `fail` makes it answer like AWS rejecting the credentials, echoing them. */
function fakeEventBridge(): { server: Server; received: Received[]; mode: { fail: boolean } } {
  const received: Received[] = [];
  const mode = { fail: false };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      received.push({ target, headers: req.headers });
      const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${received.length}` };
      if (mode.fail) {
        // The worst an endpoint could do: put the request's credentials, and the secret key, in its message.
        res.writeHead(400, headers);
        res.end(
          JSON.stringify({
            __type: 'UnrecognizedClientException',
            message: `The security token included in the request is invalid. authorization: ${String(req.headers.authorization)} x-amz-security-token: ${String(req.headers['x-amz-security-token'])} aws_secret_access_key = ${SECRET}`,
          }),
        );
        return;
      }
      res.writeHead(200, headers);
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: [{ EventId: `fake-event-${received.length}` }] }));
    });
  });
  return { server, received, mode };
}

function setting(key: string, value: unknown): Thenable<void> {
  return vscode.workspace.getConfiguration('eventbridgePatterns').update(key, value, vscode.ConfigurationTarget.Global);
}

/** The "EventBridge Patterns" log as VS Code shows it (a document of the `output` scheme once shown). */
function logText(): string | undefined {
  return vscode.workspace.textDocuments
    .find((d) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.toString()).includes('EventBridge Patterns'))
    ?.getText();
}

const EVENT = JSON.stringify({ source: 'shop.e2e', 'detail-type': 'OrderCreated', detail: { orderId: 'trust-1' } });

describe('credentials and trust', function () {
  this.timeout(60_000);
  const savedEnv: Record<string, string | undefined> = {};
  const envKeys = [
    'HOME',
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_PROFILE',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
  ];
  let home: string;
  let fake: ReturnType<typeof fakeEventBridge>;
  let endpoint: string;

  before(async () => {
    for (const key of envKeys) savedEnv[key] = process.env[key];
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'eventbridge-e2e-trust-home-'));
    fs.mkdirSync(path.join(home, '.aws'));
    fs.writeFileSync(
      path.join(home, '.aws', 'config'),
      '[profile shop-prod]\nregion = eu-west-1\n\n[profile shop-dev]\nregion = eu-west-1\n',
    );
    fs.writeFileSync(
      path.join(home, '.aws', 'credentials'),
      `[shop-prod]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\naws_session_token = ${SESSION_TOKEN}\n\n[shop-dev]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\naws_session_token = ${SESSION_TOKEN}\n`,
    );
    process.env.HOME = home;
    for (const key of envKeys.slice(1)) delete process.env[key];
    fake = fakeEventBridge();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(fixturePath('sample.eventpattern.json')),
    );
    await activeApi();
    await setting('aws.endpoint', endpoint);
    await setting('aws.profile', 'shop-prod');
    await setting('aws.productionProfiles', ['*-prod']);
  });

  after(async () => {
    for (const key of ['aws.profile', 'aws.endpoint', 'aws.productionProfiles', 'aws.confirmProduction'])
      await setting(key, undefined);
    await new Promise<void>((resolve) => fake.server.close(() => resolve()));
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('the test window is trusted, so the AWS commands may run', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });

  it('a production profile: declining the confirmation sends nothing', async () => {
    const before = fake.received.length;
    const result = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'orders',
      text: EVENT,
      productionAnswer: 'cancel',
    });
    assert.equal(result.cancelled, true, JSON.stringify(result));
    assert.deepEqual(result.eventIds, []);
    assert.equal(fake.received.length, before, 'no request reached the endpoint');
    await vscode.commands.executeCommand('eventbridge.showOutput');
    await waitFor(
      () =>
        logText()?.includes(
          'Production confirmation (answered by the caller): Send 1 event to the event bus orders with the production profile shop-prod (region eu-west-1)? Declined',
        ),
      'the declined confirmation, naming the profile, region and bus, in the log',
    );
  });

  it('a production profile: confirming sends, signed with the profile from ~/.aws', async () => {
    const result = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'orders',
      text: EVENT,
      productionAnswer: 'send',
    });
    assert.deepEqual(result.failures, [], JSON.stringify(result));
    assert.equal(result.eventIds.length, 1);
    const last = fake.received.at(-1);
    assert.equal(last?.target, 'AWSEvents.PutEvents');
    // The secrets were really in play: the request carried the session token and the key id.
    assert.equal(last?.headers['x-amz-security-token'], SESSION_TOKEN);
    assert.ok(String(last?.headers.authorization).includes(`Credential=${KEY_ID}/`));
  });

  it('a profile not marked as production, or with confirmation off, sends without asking', async () => {
    await setting('aws.profile', 'shop-dev');
    const dev = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'orders',
      text: EVENT,
    });
    assert.equal(dev.eventIds.length, 1, JSON.stringify(dev));
    await setting('aws.profile', 'shop-prod');
    await setting('aws.confirmProduction', false);
    const unconfirmed = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'orders',
      text: EVENT,
    });
    assert.equal(unconfirmed.eventIds.length, 1, JSON.stringify(unconfirmed));
    await setting('aws.confirmProduction', undefined);
  });

  it('an error echoing the credentials reaches neither the answer nor the log', async () => {
    fake.mode.fail = true;
    try {
      const result = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
        eventBusName: 'orders',
        text: EVENT,
        productionAnswer: 'send',
      });
      assert.ok(result.error, JSON.stringify(result));
      assert.match(result.error, /UnrecognizedClientException/);
      assert.ok(String(fake.received.at(-1)?.headers['x-amz-security-token']) === SESSION_TOKEN);
      await vscode.commands.executeCommand('eventbridge.showOutput');
      const log = await waitFor(() => {
        const text = logText();
        return text?.includes('PutEvents failed: UnrecognizedClientException') ? text : undefined;
      }, 'the failed call in the "EventBridge Patterns" log');
      for (const [what, text] of [
        ['the command result', result.error],
        ['the log', log],
      ] as const) {
        for (const secret of [SECRET, SESSION_TOKEN, KEY_ID, SESSION_TOKEN.slice(0, 24), SECRET.slice(0, 16)])
          assert.ok(!text.includes(secret), `${what} holds ${secret.slice(0, 8)}…`);
      }
      assert.match(log, /Credential=\[redacted\]/, 'the echoed header is there, redacted');
    } finally {
      fake.mode.fail = false;
    }
  });
});
