// Shared by the local bus tests: real SDK clients pointed at a bus on 127.0.0.1, never at AWS.
import '../hermeticAws';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

export const DUMMY_CREDENTIALS = { accessKeyId: 'AKIDLOCALBUSTEST', secretAccessKey: 'local-bus-test-secret' };
export const FIXTURES = resolve(__dirname, '../../../../test/fixtures/localbus');

export function clientsFor(
  endpoint: string,
  region = 'eu-west-1',
): { events: EventBridgeClient; logs: CloudWatchLogsClient } {
  return {
    events: new EventBridgeClient({ region, endpoint, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 }),
    // StartLiveTail carries a `stream-` host prefix that must not be put in front of 127.0.0.1.
    logs: new CloudWatchLogsClient({
      region,
      endpoint,
      credentials: DUMMY_CREDENTIALS,
      maxAttempts: 1,
      disableHostPrefix: true,
    }),
  };
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function pollFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The error code the SDK surfaced (its `name`), for assert.rejects. */
export function withCode(code: string): (e: unknown) => boolean {
  return (e) => {
    if ((e as { name?: unknown }).name !== code)
      throw new Error(`expected ${code}, got ${(e as { name?: unknown }).name as string}: ${(e as Error).message}`);
    return true;
  };
}

/** Runs the installed AWS CLI against the local bus with nothing from the developer's AWS setup. */
export function awsCli(
  args: string[],
  region = 'eu-west-1',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'aws',
      args,
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: tmpdir(),
          AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
          AWS_DEFAULT_REGION: region,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        // A CLI that is not installed is a broken machine, not a reason to skip.
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT')
          reject(new Error('the AWS CLI (`aws`) is not installed or not on PATH'));
        else resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
