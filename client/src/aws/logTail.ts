// Tailing CloudWatch Logs log groups: the recent events first (FilterLogEvents), then new ones as they arrive, through
// StartLiveTail when the endpoint supports it and by polling FilterLogEvents when it does not (or stops working).
// No `vscode` here: the caller gets events through `onEvents` and renders them.
import {
  FilterLogEventsCommand,
  StartLiveTailCommand,
  type CloudWatchLogsClient,
  type FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogGroupRef } from './arns';

export interface TailedEvent {
  readonly logGroupName: string;
  readonly logStreamName?: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** When CloudWatch Logs stored it (ms); absent for live tail events. */
  readonly ingestionTime?: number;
  readonly message: string;
}

export type TailMode = 'live' | 'poll';

export interface TailOptions {
  readonly logs: CloudWatchLogsClient;
  readonly logGroups: readonly LogGroupRef[];
  readonly signal: AbortSignal;
  readonly onEvents: (events: readonly TailedEvent[]) => void;
  /** Told when the tail changes mode or meets a problem (a line for the output). */
  readonly onStatus?: (message: string, mode?: TailMode) => void;
  /** Skip StartLiveTail and poll from the start. */
  readonly forcePolling?: boolean;
  /** How far back "recent" reaches (default 15 minutes); 0 skips the recent events. */
  readonly recentMs?: number;
  readonly recentLimit?: number;
  readonly pollIntervalMs?: number;
  readonly now?: () => number;
}

export interface TailOutcome {
  /** The mode the tail ended in. */
  readonly mode: TailMode;
  readonly delivered: number;
}

const DEFAULT_RECENT_MS = 15 * 60_000;
const DEFAULT_RECENT_LIMIT = 50;
const DEFAULT_POLL_MS = 2000;
/**
 * An event's timestamp is its `time` (whole seconds, or whatever PutEvents set), which may precede its arrival: polls
 * reach this far behind the window, and new events are told apart by ingestion time instead.
 */
const TIMESTAMP_SLACK_MS = 5 * 60_000;
/** Clock difference tolerated between this machine and the service when comparing ingestion times. */
const INGESTION_SLACK_MS = 2000;
/** StartLiveTail takes at most 10 log groups. */
export const LIVE_TAIL_MAX_GROUPS = 10;

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A key for an event seen both by the recent fetch and by live tail (which carries no event id). */
function eventKey(e: TailedEvent): string {
  return `${e.logGroupName}\u0000${e.logStreamName ?? ''}\u0000${e.timestamp}\u0000${e.message}`;
}

/** Keeps the keys of recently delivered events, so overlapping fetches deliver each event once. Bounded. */
class SeenEvents {
  private readonly keys = new Set<string>();
  constructor(private readonly max = 20_000) {}
  /** True the first time. */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.max) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return true;
  }
}

async function filterEvents(
  logs: CloudWatchLogsClient,
  group: LogGroupRef,
  startTime: number,
  signal: AbortSignal,
  limit?: number,
): Promise<TailedEvent[]> {
  const out: TailedEvent[] = [];
  let nextToken: string | undefined;
  // Pages may be partial or empty; the end is a page without nextToken (PROTOCOL.md section 5).
  for (let page = 0; page < 100 && !signal.aborted; page++) {
    const response = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: group.name,
        startTime,
        ...(nextToken ? { nextToken } : {}),
        ...(limit ? { limit } : {}),
      }),
      { abortSignal: signal },
    );
    for (const e of response.events ?? []) out.push(fromFiltered(group, e));
    nextToken = response.nextToken;
    if (!nextToken || (limit !== undefined && out.length >= limit)) break;
  }
  return out;
}

function fromFiltered(group: LogGroupRef, e: FilteredLogEvent): TailedEvent {
  return {
    logGroupName: group.name,
    ...(e.logStreamName ? { logStreamName: e.logStreamName } : {}),
    timestamp: e.timestamp ?? 0,
    ...(e.ingestionTime !== undefined ? { ingestionTime: e.ingestionTime } : {}),
    message: e.message ?? '',
  };
}

function byTime(a: TailedEvent, b: TailedEvent): number {
  return a.timestamp - b.timestamp;
}

/**
 * Tails the log groups until `signal` aborts. Resolves then (never rejects because of the abort); rejects when even
 * FilterLogEvents fails, since there is nothing left to fall back to.
 */
export async function tailLogGroups(options: TailOptions): Promise<TailOutcome> {
  const { logs, logGroups, signal } = options;
  const now = options.now ?? Date.now;
  const started = now();
  const recentMs = options.recentMs ?? DEFAULT_RECENT_MS;
  const seen = new SeenEvents();
  let delivered = 0;
  const deliver = (events: TailedEvent[]): void => {
    const fresh = events.filter((e) => seen.add(eventKey(e))).sort(byTime);
    if (fresh.length === 0 || signal.aborted) return;
    delivered += fresh.length;
    options.onEvents(fresh);
  };
  if (logGroups.length === 0) throw new Error('no log groups to tail');

  // Live tail first, so nothing that arrives while the recent events load is lost; it resolves on sessionStart.
  let live: AsyncIterable<unknown> | undefined;
  const liveAbort = new AbortController();
  const stopLive = (): void => liveAbort.abort();
  signal.addEventListener('abort', stopLive, { once: true });
  try {
    if (!options.forcePolling) {
      if (logGroups.length > LIVE_TAIL_MAX_GROUPS)
        options.onStatus?.(`StartLiveTail takes at most ${LIVE_TAIL_MAX_GROUPS} log groups: polling instead`, 'poll');
      else live = await startLive(logs, logGroups, liveAbort.signal, options);
    }
    if (signal.aborted) return { mode: live ? 'live' : 'poll', delivered };

    if (recentMs > 0) {
      const recent: TailedEvent[] = [];
      for (const group of logGroups)
        recent.push(
          ...(await filterEvents(logs, group, started - recentMs, signal, options.recentLimit ?? DEFAULT_RECENT_LIMIT)),
        );
      deliver(recent);
    }

    while (live && !signal.aborted) {
      const ended = await readLive(live, logGroups, deliver, options);
      if (signal.aborted) break;
      if (ended === 'timeout') {
        // A session lasts at most 3 hours: start another one.
        options.onStatus?.('The live tail session timed out: starting a new one', 'live');
        live = await startLive(logs, logGroups, liveAbort.signal, options);
      } else {
        options.onStatus?.(`Live tail stopped (${ended}): polling instead`, 'poll');
        live = undefined;
      }
    }
    if (signal.aborted) return { mode: 'live', delivered };

    // Polling: FilterLogEvents over a window reaching a little behind, delivering only what is new: ingested since
    // the tail started (or within the recent window), and not delivered before.
    options.onStatus?.('Polling FilterLogEvents for new events', 'poll');
    const interval = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    const lookback = Math.max(recentMs, 60_000) + TIMESTAMP_SLACK_MS;
    const oldestIngestion = started - recentMs - INGESTION_SLACK_MS;
    while (!signal.aborted) {
      const from = Math.max(started - recentMs - TIMESTAMP_SLACK_MS, now() - lookback);
      const batch: TailedEvent[] = [];
      for (const group of logGroups) batch.push(...(await filterEvents(logs, group, from, signal)));
      deliver(batch.filter((e) => (e.ingestionTime ?? e.timestamp) >= oldestIngestion));
      await sleep(interval, signal);
    }
    return { mode: 'poll', delivered };
  } catch (e) {
    if (signal.aborted) return { mode: live ? 'live' : 'poll', delivered };
    throw e;
  } finally {
    signal.removeEventListener('abort', stopLive);
    liveAbort.abort();
  }
}

async function startLive(
  logs: CloudWatchLogsClient,
  logGroups: readonly LogGroupRef[],
  signal: AbortSignal,
  options: TailOptions,
): Promise<AsyncIterable<unknown> | undefined> {
  try {
    const response = await logs.send(new StartLiveTailCommand({ logGroupIdentifiers: logGroups.map((g) => g.arn) }), {
      abortSignal: signal,
    });
    if (!response.responseStream) {
      options.onStatus?.('StartLiveTail returned no stream: polling instead', 'poll');
      return undefined;
    }
    options.onStatus?.('Live tail started (StartLiveTail)', 'live');
    return response.responseStream;
  } catch (e) {
    if (signal.aborted) return undefined;
    const name = (e as { name?: string }).name ?? 'Error';
    const message = e instanceof Error ? e.message : String(e);
    options.onStatus?.(`StartLiveTail is not available (${name}: ${message}): polling FilterLogEvents instead`, 'poll');
    return undefined;
  }
}

interface LiveFrame {
  sessionStart?: unknown;
  sessionUpdate?: {
    sessionResults?: { logGroupIdentifier?: string; logStreamName?: string; timestamp?: number; message?: string }[];
  };
  SessionTimeoutException?: { message?: string };
  SessionStreamingException?: { message?: string };
}

/** Reads a live tail stream until it ends; says why (`timeout` when the session timed out). */
async function readLive(
  stream: AsyncIterable<unknown>,
  logGroups: readonly LogGroupRef[],
  deliver: (events: TailedEvent[]) => void,
  options: TailOptions,
): Promise<string> {
  const groupName = (identifier: string | undefined): string => {
    const g = logGroups.find((x) => x.arn === identifier || x.name === identifier || `${x.arn}:*` === identifier);
    return g?.name ?? identifier ?? '(unknown log group)';
  };
  try {
    for await (const raw of stream) {
      const frame = raw as LiveFrame;
      if (frame.SessionTimeoutException) return 'timeout';
      if (frame.SessionStreamingException)
        return `SessionStreamingException: ${frame.SessionStreamingException.message ?? ''}`;
      const results = frame.sessionUpdate?.sessionResults;
      if (results && results.length > 0)
        deliver(
          results.map((r) => ({
            logGroupName: groupName(r.logGroupIdentifier),
            ...(r.logStreamName ? { logStreamName: r.logStreamName } : {}),
            timestamp: r.timestamp ?? 0,
            message: r.message ?? '',
          })),
        );
    }
    return 'the stream ended';
  } catch (e) {
    if (options.signal.aborted) return 'stopped';
    const name = (e as { name?: string }).name ?? 'Error';
    if (name === 'SessionTimeoutException') return 'timeout';
    return `${name}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** An event as lines for the output: a header, then its message as indented JSON when it is JSON. */
export function formatTailedEvent(e: TailedEvent): string {
  const time = new Date(e.timestamp).toISOString();
  const header = `── ${time}  ${e.logGroupName}${e.logStreamName ? `  ${e.logStreamName}` : ''}`;
  let body = e.message;
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      body = JSON.stringify(JSON.parse(trimmed), null, 2);
    } catch {
      // not JSON after all: show as written
    }
  }
  return `${header}\n${body}`;
}
