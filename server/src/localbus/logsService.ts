// CloudWatch Logs, in memory: log groups, streams and events for one region, and the JSON 1.1 operations over them.
import {
  AwsServiceError,
  InputReader,
  arn,
  compact,
  decodePageToken,
  encodePageToken,
  pageByOffset,
} from './awsJsonProtocol';
import { FilterPatternError, compileFilterPattern, type LogFilter } from './logFilterPattern';

export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
  /** Unique, increasing in ingestion order inside the store: breaks timestamp ties and names the event. */
  readonly seq: number;
}

export interface LogStream {
  readonly name: string;
  readonly creationTime: number;
  /** Sorted by (timestamp, seq). */
  events: LogEvent[];
  lastIngestionTime?: number;
  storedBytes: number;
}

export interface LogGroup {
  readonly name: string;
  readonly creationTime: number;
  readonly logGroupClass: string;
  readonly streams: Map<string, LogStream>;
}

/** Told about every stored event, e.g. by a live tail session. */
export type IngestListener = (group: LogGroup, stream: LogStream, events: readonly LogEvent[]) => void;

export interface LogsStoreLimits {
  /** Events kept over all streams of the region; the oldest ingested are dropped first. */
  readonly maxRetainedEvents: number;
  readonly maxLogGroups: number;
  readonly maxLogStreamsPerGroup: number;
}

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const STREAM_NAME = /^[^:*]*$/;
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_EVENTS_PER_CALL = 10_000;
const FILTER_RESPONSE_MAX_BYTES = 1_048_576;
/** startFromHead=false means newest first only from here on (PROTOCOL.md section 5). */
const NEWEST_FIRST_FROM = Date.UTC(2024, 0, 1);

export class LogsStore {
  readonly groups = new Map<string, LogGroup>();
  private readonly listeners = new Set<IngestListener>();
  private seq = 0;
  /** One entry per retained event, in ingestion order: which stream to drop from when the bound is reached. */
  private readonly retention: LogStream[] = [];
  private retentionHead = 0;

  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly limits: LogsStoreLimits,
    private readonly now: () => number = Date.now,
  ) {}

  groupArn(name: string): string {
    return arn('logs', this.region, this.accountId, `log-group:${name}`);
  }

  onIngest(listener: IngestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  createGroup(name: string, logGroupClass = 'STANDARD'): LogGroup {
    if (this.groups.has(name))
      throw new AwsServiceError('ResourceAlreadyExistsException', 'The specified log group already exists');
    if (this.groups.size >= this.limits.maxLogGroups)
      throw new AwsServiceError('LimitExceededException', 'Resource limit exceeded.');
    const group: LogGroup = { name, creationTime: this.now(), logGroupClass, streams: new Map() };
    this.groups.set(name, group);
    return group;
  }

  group(name: string): LogGroup {
    const group = this.groups.get(name);
    if (!group) throw new AwsServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  createStream(group: LogGroup, name: string): LogStream {
    if (group.streams.has(name))
      throw new AwsServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    if (group.streams.size >= this.limits.maxLogStreamsPerGroup)
      throw new AwsServiceError('LimitExceededException', 'Resource limit exceeded.');
    const stream: LogStream = { name, creationTime: this.now(), events: [], storedBytes: 0 };
    group.streams.set(name, stream);
    return stream;
  }

  /** Stores events (any order) in a stream, keeps the retention bound, and tells the listeners. */
  append(group: LogGroup, stream: LogStream, entries: readonly { timestamp: number; message: string }[]): LogEvent[] {
    const ingestionTime = this.now();
    const stored = entries.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime, seq: ++this.seq }));
    if (stored.length === 0) return stored;
    const last = stream.events[stream.events.length - 1];
    stream.events.push(...stored);
    if (last && stored.some((e) => e.timestamp < last.timestamp)) stream.events.sort(compareEvents);
    stream.lastIngestionTime = ingestionTime;
    for (const e of stored) {
      stream.storedBytes += Buffer.byteLength(e.message, 'utf8');
      this.retention.push(stream);
    }
    this.enforceRetention();
    for (const listener of this.listeners) listener(group, stream, stored);
    return stored;
  }

  private enforceRetention(): void {
    while (this.retention.length - this.retentionHead > this.limits.maxRetainedEvents) {
      const stream = this.retention[this.retentionHead++];
      // Dropping the stream's earliest event keeps every stream's count equal to its entries here.
      const dropped = stream.events.shift();
      if (dropped) stream.storedBytes -= Buffer.byteLength(dropped.message, 'utf8');
    }
    if (this.retentionHead > 4096 && this.retentionHead * 2 > this.retention.length) {
      this.retention.splice(0, this.retentionHead);
      this.retentionHead = 0;
    }
  }
}

function compareEvents(a: LogEvent, b: LogEvent): number {
  return a.timestamp - b.timestamp || a.ingestionTime - b.ingestionTime || a.seq - b.seq;
}

export function eventId(e: LogEvent): string {
  return `${String(e.timestamp).padStart(15, '0')}${String(e.seq).padStart(12, '0')}`;
}

/** A log group named directly or by ARN (with or without the trailing `:*`). */
export function logGroupNameFromIdentifier(identifier: string): string {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(identifier);
  return m ? m[1] : identifier;
}

export function compileFilterOrThrow(pattern: string | undefined): LogFilter {
  try {
    return compileFilterPattern(pattern);
  } catch (e) {
    if (e instanceof FilterPatternError) throw new AwsServiceError('InvalidParameterException', e.message);
    throw e;
  }
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

/** The JSON 1.1 operations of `Logs_20140328` (StartLiveTail streams, see liveTail.ts). */
export const logsOperations: Record<string, (store: LogsStore, input: Input) => Output> = {
  CreateLogGroup(store, input) {
    const r: InputReader = new InputReader(input, 'InvalidParameterException');
    const name = r.string('logGroupName', 512, GROUP_NAME);
    if (name.startsWith('aws/')) r.fail('Log group names cannot start with "aws/".');
    const logGroupClass = r.optionalString('logGroupClass');
    store.createGroup(name, logGroupClass ?? 'STANDARD');
    return {};
  },

  CreateLogStream(store, input) {
    const r: InputReader = new InputReader(input, 'InvalidParameterException');
    const group = store.group(r.string('logGroupName', 512));
    store.createStream(group, r.string('logStreamName', 512, STREAM_NAME));
    return {};
  },

  DescribeLogGroups(store, input) {
    const r: InputReader = new InputReader(input, 'InvalidParameterException');
    const prefix = r.optionalString('logGroupNamePrefix', 512);
    const pattern = r.optionalString('logGroupNamePattern', 512);
    const identifiers = r.optionalStringArray('logGroupIdentifiers', 1, 50);
    if (prefix !== undefined && pattern !== undefined)
      r.fail('LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.');
    const limit = r.optionalNumber('limit', 1, 50) ?? 50;
    const wanted = identifiers ? new Set(identifiers.map(logGroupNameFromIdentifier)) : undefined;
    const groups = [...store.groups.values()]
      .filter(
        (g) =>
          (prefix === undefined || g.name.startsWith(prefix)) &&
          (pattern === undefined || g.name.toLowerCase().includes(pattern.toLowerCase())) &&
          (!wanted || wanted.has(g.name)),
      )
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const { page, nextToken } = pageByOffset(
      groups,
      r.optionalString('nextToken'),
      limit,
      'DescribeLogGroups',
      'InvalidParameterException',
    );
    return compact({
      logGroups: page.map((g) => ({
        logGroupName: g.name,
        creationTime: g.creationTime,
        metricFilterCount: 0,
        arn: `${store.groupArn(g.name)}:*`,
        logGroupArn: store.groupArn(g.name),
        storedBytes: [...g.streams.values()].reduce((n, s) => n + s.storedBytes, 0),
        logGroupClass: g.logGroupClass,
      })),
      nextToken,
    });
  },

  DescribeLogStreams(store, input) {
    const r: InputReader = new InputReader(input, 'InvalidParameterException');
    const group = store.group(groupNameFromInput(r));
    const prefix = r.optionalString('logStreamNamePrefix', 512);
    const orderBy = r.optionalString('orderBy') ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') r.fail(`Invalid orderBy: ${orderBy}.`);
    if (prefix !== undefined && orderBy === 'LastEventTime')
      r.fail('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const descending = r.optionalBoolean('descending') ?? false;
    const limit = r.optionalNumber('limit', 1, 50) ?? 50;
    const lastEventTime = (s: LogStream): number => s.events[s.events.length - 1]?.timestamp ?? 0;
    const streams = [...group.streams.values()]
      .filter((s) => prefix === undefined || s.name.startsWith(prefix))
      .sort((a, b) => {
        const order =
          orderBy === 'LastEventTime'
            ? lastEventTime(a) - lastEventTime(b) || (a.name < b.name ? -1 : 1)
            : a.name < b.name
              ? -1
              : a.name > b.name
                ? 1
                : 0;
        return descending ? -order : order;
      });
    const { page, nextToken } = pageByOffset(
      streams,
      r.optionalString('nextToken'),
      limit,
      `DescribeLogStreams:${group.name}`,
      'InvalidParameterException',
    );
    return compact({
      logStreams: page.map((s) =>
        compact({
          logStreamName: s.name,
          creationTime: s.creationTime,
          firstEventTimestamp: s.events[0]?.timestamp,
          lastEventTimestamp: s.events[s.events.length - 1]?.timestamp,
          lastIngestionTime: s.lastIngestionTime,
          arn: `${store.groupArn(group.name)}:log-stream:${s.name}`,
          storedBytes: 0,
        }),
      ),
      nextToken,
    });
  },

  PutLogEvents(store, input) {
    const r: InputReader = new InputReader(input, 'InvalidParameterException');
    const group = store.group(r.string('logGroupName', 512));
    const stream = group.streams.get(r.string('logStreamName', 512));
    if (!stream) throw new AwsServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const raw = r.optionalArray('logEvents', 1, MAX_EVENTS_PER_CALL, 'InputLogEvent');
    if (!raw)
      r.fail(
        "1 validation error detected: Value null at 'logEvents' failed to satisfy constraint: Member must not be null",
      );
    const events = raw.map((e) => {
      const ev = e as { timestamp?: unknown; message?: unknown } | null;
      if (
        !ev ||
        typeof ev.timestamp !== 'number' ||
        !Number.isFinite(ev.timestamp) ||
        typeof ev.message !== 'string' ||
        ev.message === ''
      ) {
        return r.fail('Each log event needs a timestamp (milliseconds) and a non-empty message.');
      }
      return { timestamp: Math.trunc(ev.timestamp), message: ev.message };
    });
    const bytes = events.reduce((n, e) => n + Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES, 0);
    if (bytes > MAX_BATCH_BYTES) r.fail(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
    for (let i = 1; i < events.length; i++) {
      if (events[i].timestamp < events[i - 1].timestamp)
        r.fail('Log events in a single PutLogEvents request must be in chronological order.');
    }
    if (events.length > 1 && events[events.length - 1].timestamp - events[0].timestamp > DAY_MS) {
      r.fail('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    }
    const now = Date.now();
    let tooOldEnd = -1;
    let tooNewStart = -1;
    events.forEach((e, i) => {
      if (e.timestamp < now - 14 * DAY_MS) tooOldEnd = i;
      else if (e.timestamp > now + 2 * HOUR_MS && tooNewStart < 0) tooNewStart = i;
    });
    const accepted = events.filter((_e, i) => i > tooOldEnd && (tooNewStart < 0 || i < tooNewStart));
    store.append(group, stream, accepted);
    const rejected = compact({
      tooOldLogEventEndIndex: tooOldEnd >= 0 ? tooOldEnd : undefined,
      tooNewLogEventStartIndex: tooNewStart >= 0 ? tooNewStart : undefined,
    });
    return compact({
      nextSequenceToken: String(Date.now()),
      rejectedLogEventsInfo: Object.keys(rejected).length > 0 ? rejected : undefined,
    });
  },

  GetLogEvents(store, input) {
    const r: InputReader = new InputReader(input, 'InvalidParameterException');
    const group = store.group(groupNameFromInput(r));
    const stream = group.streams.get(r.string('logStreamName', 512));
    if (!stream) throw new AwsServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const startTime = r.optionalNumber('startTime', 0);
    const endTime = r.optionalNumber('endTime', 0);
    const limit = r.optionalNumber('limit', 1, MAX_EVENTS_PER_CALL) ?? MAX_EVENTS_PER_CALL;
    const token = r.optionalString('nextToken');
    const inRange = stream.events.filter(
      (e) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime),
    );
    // Tokens are positions in that list: `f/N` = the page starting at N, `b/N` = the page ending before N.
    let start: number;
    let end: number;
    if (token !== undefined) {
      const m = /^([fb])\/(\d{1,15})$/.exec(token);
      if (!m) r.fail('The specified nextToken is invalid.');
      const at = Math.min(Number(m[2]), inRange.length);
      [start, end] = m[1] === 'f' ? [at, Math.min(at + limit, inRange.length)] : [Math.max(0, at - limit), at];
    } else if (r.optionalBoolean('startFromHead') === true) {
      [start, end] = [0, Math.min(limit, inRange.length)];
    } else {
      [start, end] = [Math.max(0, inRange.length - limit), inRange.length];
    }
    // Over 1 MB, keep the events nearest the token: the first ones going forward, the last ones going back.
    const backward =
      token?.startsWith('b/') === true || (token === undefined && r.optionalBoolean('startFromHead') !== true);
    const page = backward
      ? limitBytes(inRange.slice(start, end).reverse()).reverse()
      : limitBytes(inRange.slice(start, end));
    if (backward) start = end - page.length;
    else end = start + page.length;
    return {
      events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: `f/${end}`,
      nextBackwardToken: `b/${start}`,
    };
  },

  FilterLogEvents(store, input) {
    const r: InputReader = new InputReader(input, 'InvalidParameterException');
    const group = store.group(groupNameFromInput(r));
    const names = r.optionalStringArray('logStreamNames', 1, 100);
    const prefix = r.optionalString('logStreamNamePrefix', 512);
    if (names && prefix !== undefined)
      r.fail('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
    const startTime = r.optionalNumber('startTime', 0);
    const endTime = r.optionalNumber('endTime', 0);
    const limit = r.optionalNumber('limit', 1, MAX_EVENTS_PER_CALL) ?? MAX_EVENTS_PER_CALL;
    const filter = compileFilterOrThrow(r.optionalString('filterPattern', 1024));
    const newestFirst =
      r.optionalBoolean('startFromHead') === false && startTime !== undefined && startTime >= NEWEST_FIRST_FROM;
    const token = r.optionalString('nextToken');
    // The token is the last event returned, so events stored meanwhile are neither repeated nor skipped.
    let after: { t: number; i: number; s: number } | undefined;
    if (token !== undefined) {
      const p = decodePageToken(token, `FilterLogEvents:${group.name}`, 'InvalidParameterException') as {
        t?: unknown;
        i?: unknown;
        s?: unknown;
      } | null;
      if (!p || typeof p.t !== 'number' || typeof p.i !== 'number' || typeof p.s !== 'number')
        r.fail('The specified nextToken is invalid.');
      after = { t: p.t, i: p.i, s: p.s };
    }
    const wantedStream = (s: LogStream): boolean =>
      names ? names.includes(s.name) : prefix === undefined || s.name.startsWith(prefix);
    const matched: { stream: LogStream; event: LogEvent }[] = [];
    for (const stream of group.streams.values()) {
      if (!wantedStream(stream)) continue;
      for (const event of stream.events) {
        if (startTime !== undefined && event.timestamp < startTime) continue;
        if (endTime !== undefined && event.timestamp > endTime) continue;
        if (after) {
          const order = compareEvents(event, { timestamp: after.t, ingestionTime: after.i, seq: after.s, message: '' });
          if (newestFirst ? order >= 0 : order <= 0) continue;
        }
        if (filter(event.message)) matched.push({ stream, event });
      }
    }
    matched.sort((a, b) => (newestFirst ? -1 : 1) * compareEvents(a.event, b.event));
    const page = limitBytes(matched.slice(0, limit), (m) => m.event);
    const last = page[page.length - 1]?.event;
    const more = page.length < matched.length;
    return compact({
      events: page.map(({ stream, event }) => ({
        logStreamName: stream.name,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: eventId(event),
      })),
      searchedLogStreams: [],
      nextToken:
        more && last
          ? encodePageToken(`FilterLogEvents:${group.name}`, { t: last.timestamp, i: last.ingestionTime, s: last.seq })
          : undefined,
    });
  },
};

/** `logGroupName` or `logGroupIdentifier` (a name or ARN), exactly one of them. */
function groupNameFromInput(r: InputReader): string {
  const name = r.optionalString('logGroupName', 512);
  const identifier = r.optionalString('logGroupIdentifier', 2048);
  if (name !== undefined && identifier !== undefined)
    r.fail('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  if (name === undefined && identifier === undefined)
    r.fail('Either logGroupName or logGroupIdentifier must be specified.');
  return name ?? logGroupNameFromIdentifier(identifier!);
}

/** The leading items whose messages fit in one 1 MB response (at least one). */
function limitBytes<T>(items: T[], eventOf: (item: T) => LogEvent = (item) => item as unknown as LogEvent): T[] {
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    bytes += Buffer.byteLength(eventOf(items[i]).message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (bytes > FILTER_RESPONSE_MAX_BYTES && i > 0) return items.slice(0, i);
  }
  return items;
}
