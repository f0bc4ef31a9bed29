// Credentials never reach the log: every kind of secret the extension could meet, in the shapes it would meet them
// (SDK errors, SigV4 headers, the credentials file, SSO caches, endpoint URLs, environment dumps).
import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describeAwsError, formatAwsError, redactSecrets } from '../../../client/src/aws/errors';
import { parseProfiles } from '../../../client/src/aws/profiles';
import { redactingLog } from '../../../client/src/aws/redactingLog';
import { startLocalBus } from '../../../server/src/localbus/localBusServer';

// Fake, but shaped like the real thing.
const KEY_ID = 'AKIAQWERTYUIOPASDF12';
const TEMP_KEY_ID = 'ASIAZXCVBNMLKJHGFD34';
const SECRET = 'q8Rk2mXv7LpT4sWn9YbH3jCf6GdZ1aEeUo5iNrK0';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDfakefakefake1234567890abcdefABCDEF+/=';
const SIGNATURE = '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';
const SSO_TOKEN = 'aoaAAAAAGhvZ2ZkZmFrZXRva2VuZm9ydGVzdGluZ29ubHk6MEQCIFakeSsoTokenValue';

function assertNoSecret(text: string): void {
  for (const secret of [SECRET, SESSION_TOKEN, SIGNATURE, SSO_TOKEN, KEY_ID, TEMP_KEY_ID])
    assert.ok(!text.includes(secret), `${secret.slice(0, 12)}… leaked in: ${text}`);
  // Not even a long piece of one.
  for (const secret of [SECRET, SESSION_TOKEN, SSO_TOKEN])
    assert.ok(!text.includes(secret.slice(0, 16)), `part of ${secret.slice(0, 12)}… leaked in: ${text}`);
}

describe('redactSecrets: the shapes secrets come in', () => {
  it('a SigV4 Authorization header: key id, signature', () => {
    const header = `Authorization: AWS4-HMAC-SHA256 Credential=${KEY_ID}/20261127/eu-west-1/events/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=${SIGNATURE}`;
    const out = redactSecrets(header);
    assertNoSecret(out);
    assert.match(out, /Credential=\[redacted\]\/20261127\/eu-west-1\/events\/aws4_request/, 'the scope stays');
    assert.match(out, /Signature=\[redacted\]/);
  });

  it('a presigned URL and query parameters', () => {
    const url = `https://example.invalid/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${TEMP_KEY_ID}%2F20261127%2Feu-west-1&X-Amz-Security-Token=${encodeURIComponent(SESSION_TOKEN)}&X-Amz-Signature=${SIGNATURE}`;
    const out = redactSecrets(url);
    assertNoSecret(out);
    assert.ok(!out.includes(encodeURIComponent(SESSION_TOKEN).slice(0, 20)), out);
  });

  it('x-amz-security-token and session tokens as headers, JSON and settings', () => {
    for (const text of [
      `x-amz-security-token: ${SESSION_TOKEN}`,
      `{"sessionToken":"${SESSION_TOKEN}","accessKeyId":"${TEMP_KEY_ID}","secretAccessKey":"${SECRET}"}`,
      `{"Credentials":{"AccessKeyId":"${TEMP_KEY_ID}","SecretAccessKey":"${SECRET}","SessionToken":"${SESSION_TOKEN}"}}`,
      `aws_session_token=${SESSION_TOKEN}`,
    ])
      assertNoSecret(redactSecrets(text));
  });

  it('the credentials file, and environment dumps', () => {
    const file = `[prod]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\naws_session_token = ${SESSION_TOKEN}\n`;
    const out = redactSecrets(file);
    assertNoSecret(out);
    assert.match(out, /aws_secret_access_key = \[redacted\]/);
    const env = `AWS_ACCESS_KEY_ID=${KEY_ID} AWS_SECRET_ACCESS_KEY=${SECRET} AWS_SESSION_TOKEN=${SESSION_TOKEN}`;
    assertNoSecret(redactSecrets(env));
  });

  it('a secret key whatever its shape when named: short, with dashes', () => {
    assert.equal(redactSecrets('aws_secret_access_key = e2e-dummy-secret'), 'aws_secret_access_key = [redacted]');
    assert.equal(redactSecrets("secret_access_key: 'x-y-z'"), "secret_access_key: '[redacted]'");
  });

  it('SSO tokens: the cache file fields and a Bearer header', () => {
    assertNoSecret(
      redactSecrets(`{"accessToken": "${SSO_TOKEN}", "refreshToken": "${SSO_TOKEN}", "clientSecret": "${SSO_TOKEN}"}`),
    );
    const bearer = redactSecrets(`authorization: Bearer ${SSO_TOKEN}`);
    assertNoSecret(bearer);
    assert.equal(bearer, 'authorization: Bearer [redacted]');
  });

  it('a password in an endpoint URL', () => {
    assert.equal(
      redactSecrets('cannot reach https://admin:hunter2@proxy.example.invalid:8443 (ECONNREFUSED)'),
      'cannot reach https://[redacted]@proxy.example.invalid:8443 (ECONNREFUSED)',
    );
  });

  it('bare key ids and bare secrets', () => {
    assertNoSecret(redactSecrets(`keys ${KEY_ID} and ${TEMP_KEY_ID}, secret ${SECRET}, token ${SESSION_TOKEN}`));
  });

  it('is idempotent and leaves ordinary log lines alone', () => {
    const line = `Authorization: AWS4-HMAC-SHA256 Credential=${KEY_ID}/20261127/eu-west-1/events/aws4_request, Signature=${SIGNATURE}`;
    assert.equal(redactSecrets(redactSecrets(line)), redactSecrets(line));
    const ordinary =
      'Sent to default: entry 1 (shop.orders / OrderCreated) → event id 6a7e8feb-b491-4cf7-a9f1-bf3703467718; send events: using profile dev, eu-west-1, AWS';
    assert.equal(redactSecrets(ordinary), ordinary);
  });
});

describe('errors on their way to the log and the notifications', () => {
  it('an SDK error quoting the request headers and the credentials comes out clean, code and next step kept', () => {
    const e = Object.assign(
      new Error(
        `The security token included in the request is invalid. Authorization: AWS4-HMAC-SHA256 Credential=${TEMP_KEY_ID}/20261127/eu-west-1/events/aws4_request, Signature=${SIGNATURE} x-amz-security-token: ${SESSION_TOKEN} (secret ${SECRET})`,
      ),
      { name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403, requestId: 'r-1' } },
    );
    const report = describeAwsError(e, {
      profile: 'prod',
      operation: 'PutEvents',
      endpoint: 'https://u:p4ss@x.invalid',
    });
    const text = redactSecrets(formatAwsError(report, 'PutEvents'));
    assertNoSecret(text);
    assert.ok(!text.includes('p4ss'), text);
    assert.match(text, /^PutEvents failed: UnrecognizedClientException: /);
    assert.match(text, /aws configure --profile prod/);
  });

  it('a credential chain error naming the file contents comes out clean', () => {
    const e = Object.assign(new Error(`Profile prod: could not parse aws_secret_access_key=${SECRET}`), {
      name: 'CredentialsProviderError',
    });
    assertNoSecret(formatAwsError(describeAwsError(e, { profile: 'prod' })));
  });

  it('profile problems never quote a line of the credentials file', () => {
    const set = parseProfiles(
      '',
      `[prod]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key ${SECRET}\n${SECRET}\n`,
    );
    assert.equal(set.problems.length, 2);
    for (const p of set.problems) {
      assertNoSecret(p.message);
      assert.ok(!p.message.includes(SECRET.slice(0, 8)), p.message);
    }
  });
});

describe('redactingLog', () => {
  it('redacts every line at every level before the output channel sees it', () => {
    const lines: string[] = [];
    let shown: boolean | undefined;
    const log = redactingLog({
      info: (m) => lines.push(`info ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
      error: (m) => lines.push(`error ${m}`),
      show: (preserveFocus) => (shown = preserveFocus),
    });
    log.info(`using aws_secret_access_key=${SECRET}`);
    log.warn(`local bus: refused a request with Host "x" Authorization: AWS4-HMAC-SHA256 Credential=${KEY_ID}/x`);
    log.error(`PutEvents failed: x-amz-security-token: ${SESSION_TOKEN}`);
    log.show(true);
    assert.equal(lines.length, 3);
    assert.deepEqual(
      lines.map((l) => l.split(' ')[0]),
      ['info', 'warn', 'error'],
    );
    for (const line of lines) assertNoSecret(line);
    assert.equal(shown, true);
  });
});

describe('the local bus never logs the credentials a request carries', () => {
  it('warnings and answers for refused, malformed and ordinary signed requests hold no secret', async () => {
    const warnings: string[] = [];
    const bus = await startLocalBus({ onWarning: (m) => warnings.push(m) });
    const signed = (host: string): Record<string, string> => ({
      host,
      'content-type': 'application/x-amz-json-1.1',
      authorization: `AWS4-HMAC-SHA256 Credential=${TEMP_KEY_ID}/20261127/eu-west-1/events/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=${SIGNATURE}`,
      'x-amz-security-token': SESSION_TOKEN,
      'x-amz-date': '20261127T091500Z',
      'x-amz-target': 'AWSEvents.PutEvents',
    });
    const send = (headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: bus.port,
            method: 'POST',
            path: '/',
            headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      const refused = await send(signed('rebind.example.invalid'), '{}');
      assert.equal(refused.status, 403);
      const malformed = await send(signed(`127.0.0.1:${bus.port}`), `{"x": "${SECRET}"`);
      assert.equal(malformed.status, 400);
      const ok = await send(
        signed(`127.0.0.1:${bus.port}`),
        JSON.stringify({ Entries: [{ Source: 'a.b', DetailType: 'c', Detail: '{}' }] }),
      );
      assert.equal(ok.status, 200, ok.text);
      assert.ok(
        warnings.some((w) => w.includes('refused a request with Host')),
        warnings.join('\n'),
      );
      for (const text of [...warnings, refused.text, malformed.text, ok.text]) assertNoSecret(text);
    } finally {
      await bus.close();
    }
  });
});
