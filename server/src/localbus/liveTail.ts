// StartLiveTail: one HTTP response that stays open and carries event-stream frames. `sessionStart` goes out at
// once (the SDK's send() resolves only on the first frame), then a `sessionUpdate` every second with the events
// ingested since, until the client goes away or the session times out.
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { AwsServiceError, InputReader } from './awsJsonProtocol';
import { encodeJsonEvent, encodeJsonException } from './eventStreamEncoding';
import { compileFilterOrThrow, logGroupNameFromIdentifier, type LogsStore } from './logsService';

export interface LiveTailOptions {
  readonly updateIntervalMs: number;
  /** The documented session length is 3 hours. */
  readonly maxSessionMs: number;
  /** End the session with a SessionStreamingException after this many updates (an injected fault). */
  readonly endAfterUpdates?: number;
}

const MAX_RESULTS_PER_UPDATE = 500;
const MAX_BUFFERED_EVENTS = 5000;

interface PendingResult {
  logStreamName: string;
  logGroupIdentifier: string;
  message: string;
  timestamp: number;
  ingestionTime: number;
}

/** A running session; `end()` stops it (idempotent). */
export interface LiveTailSession {
  end(): void;
}

/** Validates the request (throwing AwsServiceError before anything is written), then starts streaming. */
export function startLiveTail(
  store: LogsStore,
  input: Record<string, unknown>,
  res: ServerResponse,
  requestId: string,
  options: LiveTailOptions,
  onEnd: () => void,
): LiveTailSession {
  const r: InputReader = new InputReader(input, 'InvalidParameterException');
  const identifiers = r.optionalStringArray('logGroupIdentifiers', 1, 10);
  if (!identifiers)
    r.fail(
      "1 validation error detected: Value null at 'logGroupIdentifiers' failed to satisfy constraint: Member must not be null",
    );
  const streamNames = r.optionalStringArray('logStreamNames', 1, 100);
  const streamPrefixes = r.optionalStringArray('logStreamNamePrefixes', 1, 100);
  if (streamNames && streamPrefixes)
    r.fail('logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.');
  if ((streamNames || streamPrefixes) && identifiers.length !== 1)
    r.fail('logStreamNames and logStreamNamePrefixes can be used only with exactly one log group.');
  const filterPattern = r.optionalString('logEventFilterPattern', 1024);
  const filter = compileFilterOrThrow(filterPattern);
  const identifierByGroup = new Map<string, string>();
  for (const identifier of identifiers) {
    if (identifier.endsWith('*')) r.fail('Log group identifiers must not end with a wildcard.');
    const name = logGroupNameFromIdentifier(identifier);
    if (!store.groups.has(name))
      throw new AwsServiceError('ResourceNotFoundException', `The specified log group does not exist: ${identifier}`);
    identifierByGroup.set(name, identifier);
  }

  let pending: PendingResult[] = [];
  let sampled = false;
  let ended = false;
  const unsubscribe = store.onIngest((group, stream, events) => {
    const identifier = identifierByGroup.get(group.name);
    if (identifier === undefined) return;
    if (streamNames && !streamNames.includes(stream.name)) return;
    if (streamPrefixes && !streamPrefixes.some((p) => stream.name.startsWith(p))) return;
    for (const e of events) {
      if (!filter(e.message)) continue;
      // Bounded like the service: a reader that falls behind gets a sample, flagged as such.
      if (pending.length >= MAX_BUFFERED_EVENTS) {
        sampled = true;
        continue;
      }
      pending.push({
        logStreamName: stream.name,
        logGroupIdentifier: identifier,
        message: e.message,
        timestamp: e.timestamp,
        ingestionTime: e.ingestionTime,
      });
    }
  });

  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': requestId });
  res.write(
    encodeJsonEvent('sessionStart', {
      requestId,
      sessionId: randomUUID(),
      logGroupIdentifiers: identifiers,
      ...(streamNames ? { logStreamNames: streamNames } : {}),
      ...(streamPrefixes ? { logStreamNamePrefixes: streamPrefixes } : {}),
      ...(filterPattern !== undefined ? { logEventFilterPattern: filterPattern } : {}),
    }),
  );

  let updates = 0;
  const ticker = setInterval(() => {
    const batch = pending.slice(0, MAX_RESULTS_PER_UPDATE);
    const wasSampled = sampled || pending.length > MAX_RESULTS_PER_UPDATE;
    pending = [];
    sampled = false;
    res.write(encodeJsonEvent('sessionUpdate', { sessionMetadata: { sampled: wasSampled }, sessionResults: batch }));
    // An injected fault: the stream breaks off as a service-side streaming error would.
    if (options.endAfterUpdates !== undefined && ++updates >= options.endAfterUpdates) {
      res.write(encodeJsonException('SessionStreamingException', 'The live tail stream ended (injected by the local bus).'));
      session.end();
    }
  }, options.updateIntervalMs);
  const timeout = setTimeout(() => {
    if (!ended) res.write(encodeJsonException('SessionTimeoutException', 'Session timed out.'));
    session.end();
  }, options.maxSessionMs);

  const session: LiveTailSession = {
    end() {
      if (ended) return;
      ended = true;
      clearInterval(ticker);
      clearTimeout(timeout);
      unsubscribe();
      pending = [];
      if (!res.writableEnded) res.end();
      onEnd();
    },
  };
  res.on('close', () => session.end());
  return session;
}
