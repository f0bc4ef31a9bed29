// Shared by the local bus tests: real SDK clients pointed at a bus on 127.0.0.1, never at AWS.
import '../hermeticAws';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
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
