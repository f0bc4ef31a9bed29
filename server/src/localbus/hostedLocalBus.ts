// `local-bus --ipc`: the local bus as the child process of the editor extension (client/src/aws/localBusHost.ts says
// why a process). It tells its parent where it listens, loads the templates the parent sends (with their unsaved
// text) into the regions asked for, passes its warnings on, and stops when told to, or when the parent goes away: a
// bus must not outlive the editor that started it. The messages are declared in shared/localBus.ts.
import type { LocalBusReport, LocalBusRequest, TemplateFile } from '../../../shared';
import type { EventEnvelope } from '../eventbridge';
import type { LocalBus } from './localBusServer';
import { TemplateParseError, loadTemplate } from './templateLoader';

/** The IPC channel to the parent process. */
export interface ParentChannel {
  send(report: LocalBusReport): void;
  onMessage(listener: (message: unknown) => void): void;
  onDisconnect(listener: () => void): void;
  readonly connected: boolean;
  /** Closes the channel, so that the process can end. */
  close(): void;
}

/** This process's channel to its parent, when it was started with one (`child_process.fork`). */
export function processChannel(): ParentChannel | undefined {
  if (!process.send || !process.connected) return undefined;
  return {
    send: (report) => {
      if (process.connected) process.send?.(report);
    },
    onMessage: (listener) => process.on('message', listener),
    onDisconnect: (listener) => process.on('disconnect', listener),
    get connected() {
      return process.connected;
    },
    close: () => {
      if (process.connected) process.disconnect();
    },
  };
}

/** Serves the parent: says where the bus listens, then answers until told to stop or disconnected. */
export function serveParent(bus: LocalBus, parent: ParentChannel): Promise<void> {
  parent.send({ type: 'listening', url: bus.url, port: bus.port, accountId: bus.accountId });
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      parent.close();
      resolve();
    };
    parent.onDisconnect(finish);
    if (!parent.connected) finish();
    parent.onMessage((message) => {
      const request = message as Partial<LocalBusRequest> | null;
      if (request?.type === 'stop') finish();
      else if (request?.type === 'load') parent.send(loadTemplates(bus, request));
      else if (request?.type === 'scheduled-rules')
        parent.send({ type: 'scheduled-rules', id: requestId(request), rules: bus.scheduledRules() });
      else if (request?.type === 'fire-rule') parent.send(fireRule(bus, request));
    });
  });
}

/**
 * Which accepted events are passed to the parent: the first `perPair` of each (source, detail-type), for at most
 * `pairs` of them, each at most `maxEventChars` of JSON. The editor learns a schema from a few samples; a script
 * putting thousands of events must not flood the IPC channel with copies.
 */
export const REPORTED_EVENT_LIMITS = { perPair: 50, pairs: 500, maxEventChars: 64 * 1024 } as const;

/** Reports accepted events to the parent, within REPORTED_EVENT_LIMITS. */
export function acceptedEventReporter(
  parent: Pick<ParentChannel, 'send'>,
  limits: { readonly perPair: number; readonly pairs: number; readonly maxEventChars: number } = REPORTED_EVENT_LIMITS,
): (event: EventEnvelope) => void {
  const counts = new Map<string, number>();
  return (event) => {
    const key = `${event.source}\u0000${event['detail-type']}`;
    const count = counts.get(key);
    if (count === undefined && counts.size >= limits.pairs) return;
    if ((count ?? 0) >= limits.perPair) return;
    if (JSON.stringify(event).length > limits.maxEventChars) return;
    counts.set(key, (count ?? 0) + 1);
    parent.send({ type: 'event', event: { ...event } });
  };
}

const REGION_NAME = /^[a-z]{2}(-[a-z0-9]+){1,4}$/;

function requestId(request: { id?: unknown }): number {
  return typeof request.id === 'number' ? request.id : -1;
}

/** Fires a scheduled rule now, for the editor's "Fire Scheduled Rule Now"; what went wrong is the answer's `error`. */
export function fireRule(bus: LocalBus, request: Partial<LocalBusRequest & { type: 'fire-rule' }>): LocalBusReport {
  const id = requestId(request);
  const { region, ruleName } = request;
  if (typeof region !== 'string' || !REGION_NAME.test(region))
    return { type: 'fired', id, targets: 0, failures: [], error: `${String(region)} is not a region name` };
  if (typeof ruleName !== 'string' || ruleName === '')
    return { type: 'fired', id, targets: 0, failures: [], error: 'ruleName must be a rule name' };
  try {
    const firing = bus.fireScheduledRule(region, ruleName);
    return {
      type: 'fired',
      id,
      eventId: firing.event.id,
      time: firing.event.time,
      targets: firing.targets,
      failures: firing.failures,
    };
  } catch (e) {
    return { type: 'fired', id, targets: 0, failures: [], error: e instanceof Error ? e.message : String(e) };
  }
}

function isTemplateFile(v: unknown): v is TemplateFile {
  const f = v as Partial<TemplateFile> | null;
  return typeof f?.path === 'string' && typeof f.text === 'string';
}

/**
 * Loads templates into a region. A template that does not parse is a warning and is skipped; anything else that goes
 * wrong is the answer's `error`.
 */
export function loadTemplates(bus: LocalBus, request: Partial<LocalBusRequest & { type: 'load' }>): LocalBusReport {
  const id = requestId(request);
  const loaded: string[] = [];
  const warnings: string[] = [];
  const { region, templates } = request;
  if (typeof region !== 'string' || !REGION_NAME.test(region))
    return { type: 'loaded', id, loaded, warnings, error: `${String(region)} is not a region name` };
  if (!Array.isArray(templates) || !templates.every(isTemplateFile))
    return { type: 'loaded', id, loaded, warnings, error: 'templates must be a list of {path, text}' };
  try {
    const state = bus.region(region);
    for (const file of templates) {
      try {
        warnings.push(...loadTemplate(state, file.text, file.path, { region, accountId: bus.accountId }));
        loaded.push(file.path);
      } catch (e) {
        if (!(e instanceof TemplateParseError)) throw e;
        warnings.push(e.message);
      }
    }
    return { type: 'loaded', id, loaded, warnings };
  } catch (e) {
    return { type: 'loaded', id, loaded, warnings, error: e instanceof Error ? e.message : String(e) };
  }
}
