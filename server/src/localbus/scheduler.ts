// Scheduled rules: while the local bus runs, every enabled rule with a ScheduleExpression on a region's default bus
// fires at its times, as EventBridge fires it: `rate(N unit)` every N units from when the rule was created (or
// enabled, or its expression changed; AWS's first run comes within one period of creation), `cron(...)` at the next
// times of the shared evaluator (../eventbridge/schedule.ts), read in UTC. One timer waits for the soonest time of all
// rules; it is unref()ed, so a bus embedded in a process does not keep it alive, and close() clears it.
import { randomUUID } from 'node:crypto';
import { eventTimeText, nextCronTimes, readScheduleExpression, type Schedule } from '../eventbridge';
import type { EventBridgeStore, EventEnvelope, Rule } from './eventBridgeService';

/** Time for the scheduler: the system's, or a fake one that tests advance. */
export interface SchedulerClock {
  now(): number;
  /** Calls `callback` once after `delayMs`; the timer must not keep the process alive. */
  setTimer(callback: () => void, delayMs: number): { cancel(): void };
}

export const SYSTEM_CLOCK: SchedulerClock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

/** The event EventBridge sends for a scheduled rule, at `timeMs`. */
export function scheduledEvent(store: EventBridgeStore, rule: Rule, timeMs: number): EventEnvelope {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: store.accountId,
    time: eventTimeText(timeMs / 1000),
    region: store.region,
    resources: [rule.arn],
    detail: {},
  };
}

const MINUTE_MS = 60_000;
const UNIT_MS = { minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 24 * 60 * MINUTE_MS } as const;
/** setTimeout's longest delay; a later time is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Entry {
  readonly store: EventBridgeStore;
  readonly ruleName: string;
  readonly expression: string;
  readonly schedule: Exclude<Schedule, { kind: 'at' }>;
  /** Epoch ms of the next fire; undefined when the schedule has ended. */
  next: number | undefined;
}

export interface RuleSchedulerOptions {
  readonly clock?: SchedulerClock;
  /** Fires `rule` of `store` at `timeMs` (delivers the scheduled event to its targets). */
  readonly fire: (store: EventBridgeStore, rule: Rule, timeMs: number) => void;
  readonly warn: (message: string) => void;
}

export class RuleScheduler {
  /** By rule ARN. */
  private readonly entries = new Map<string, Entry>();
  /** Warnings already given (an invalid expression, a schedule off the default bus), so each is said once. */
  private readonly warned = new Set<string>();
  private timer: { cancel(): void } | undefined;
  private closed = false;
  readonly clock: SchedulerClock;

  constructor(private readonly options: RuleSchedulerOptions) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** Reads the scheduled rules of `store` again (after PutRule, DeleteRule, a state change, a template load). */
  sync(store: EventBridgeStore): void {
    if (this.closed) return;
    const wanted = new Map<string, Rule>();
    for (const bus of store.buses.values()) {
      for (const rule of bus.rules.values()) {
        if (rule.scheduleExpression === undefined) continue;
        if (bus.name !== 'default') {
          this.warnOnce(
            `bus:${rule.arn}`,
            `rule ${rule.name} on event bus ${bus.name} has a ScheduleExpression: EventBridge runs schedules only on the default bus, so it does not fire`,
          );
          continue;
        }
        if (rule.state.startsWith('ENABLED')) wanted.set(rule.arn, rule);
      }
    }
    for (const [arn, entry] of this.entries) {
      if (entry.store !== store) continue;
      const rule = wanted.get(arn);
      if (!rule || rule.scheduleExpression !== entry.expression) this.entries.delete(arn);
    }
    const now = this.clock.now();
    for (const [arn, rule] of wanted) {
      if (this.entries.has(arn)) continue;
      const expression = rule.scheduleExpression as string;
      const reading = readScheduleExpression(expression, 'rule');
      if ('problem' in reading) {
        this.warnOnce(
          `expr:${arn}:${expression}`,
          `scheduled rule ${rule.name} (${store.region}) does not fire: ${expression}: ${reading.problem.message}`,
        );
        continue;
      }
      if (reading.schedule.kind === 'at') continue;
      const entry: Entry = { store, ruleName: rule.name, expression, schedule: reading.schedule, next: undefined };
      entry.next = this.firstTime(entry, now);
      this.entries.set(arn, entry);
    }
    this.arm();
  }

  /** The next time the rule `ruleArn` fires, if it is armed. */
  nextFireTime(ruleArn: string): number | undefined {
    return this.entries.get(ruleArn)?.next;
  }

  /** Why `expression` does not fire, or undefined when it is valid. */
  static problemOf(expression: string): string | undefined {
    const reading = readScheduleExpression(expression, 'rule');
    return 'problem' in reading ? reading.problem.message : undefined;
  }

  /** Stops firing; nothing is armed again. */
  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.entries.clear();
  }

  /** Whether a timer is waiting (for tests: close() leaves none). */
  get armed(): boolean {
    return this.timer !== undefined;
  }

  private firstTime(entry: Entry, now: number): number | undefined {
    const s = entry.schedule;
    return s.kind === 'rate' ? now + s.value * UNIT_MS[s.unit] : nextCronTimes(s, now, 1)[0];
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.warn(message);
  }

  /** One timer, for the soonest time of all rules. */
  private arm(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.closed) return;
    let soonest: number | undefined;
    for (const entry of this.entries.values())
      if (entry.next !== undefined && (soonest === undefined || entry.next < soonest)) soonest = entry.next;
    if (soonest === undefined) return;
    const delay = Math.min(Math.max(0, soonest - this.clock.now()), MAX_TIMER_MS);
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.fireDue();
    }, delay);
  }

  /** Fires every rule whose time has come, each once (times missed while the process slept are not made up). */
  private fireDue(): void {
    if (this.closed) return;
    const now = this.clock.now();
    const due = [...this.entries.entries()]
      .filter(([, e]) => e.next !== undefined && e.next <= now)
      .sort(([, a], [, b]) => (a.next as number) - (b.next as number));
    for (const [arn, entry] of due) {
      const at = entry.next as number;
      const s = entry.schedule;
      if (s.kind === 'rate') {
        const period = s.value * UNIT_MS[s.unit];
        let next = at + period;
        if (next <= now) next += Math.ceil((now - next + 1) / period) * period;
        entry.next = next;
      } else {
        entry.next = nextCronTimes(s, now, 1)[0];
      }
      const rule = entry.store.buses.get('default')?.rules.get(entry.ruleName);
      if (!rule || rule.arn !== arn) continue;
      try {
        this.options.fire(entry.store, rule, at);
      } catch (e) {
        this.options.warn(
          `scheduled rule ${entry.ruleName} (${entry.store.region}) failed to fire: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      if (this.closed) return;
    }
    this.arm();
  }
}
