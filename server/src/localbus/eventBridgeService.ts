// EventBridge, in memory: event buses, rules and targets for one region, and the JSON 1.1 operations over them.
import { envelopeFromPutEventsEntry, putEventsEntrySize, type EventEnvelope } from '../eventbridge/envelope';
import { readScheduleExpression } from '../eventbridge';
import { randomUUID } from 'node:crypto';
import { AwsServiceError, InputReader, arn, compact, pageByOffset } from './awsJsonProtocol';
import {
  TEST_EVENT_KEYS,
  compileEventPattern,
  compileRuleSet,
  eventMatches,
  type CompiledEventPattern,
  type RuleSetMatcher,
} from './patternMatching';

export interface Target {
  readonly Id: string;
  readonly Arn: string;
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  readonly RoleArn?: string;
  /** For FIFO queue targets: the message group of every message sent. */
  readonly SqsParameters?: { MessageGroupId?: string };
  /** Where deliveries that fail for good go (a queue ARN). */
  readonly DeadLetterConfig?: { Arn?: string };
  readonly RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
}

export interface Rule {
  readonly name: string;
  readonly eventBusName: string;
  readonly arn: string;
  readonly eventPattern?: string;
  readonly compiled?: CompiledEventPattern;
  readonly scheduleExpression?: string;
  readonly state: string;
  readonly description?: string;
  readonly roleArn?: string;
  readonly targets: Map<string, Target>;
}

export interface EventBus {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly creationTime: number;
  readonly rules: Map<string, Rule>;
}

export type { EventEnvelope };

/** Hands a matched event to one target; it may throw, PutEvents never fails because of it. */
export type DeliverToTarget = (delivery: {
  bus: EventBus;
  rule: Rule;
  target: Target;
  event: EventEnvelope;
  eventTimeMs: number;
  /** The ARNs of the buses the event passed through before `bus` (bus-to-bus targets). */
  path: readonly string[];
}) => void;

export interface EventBridgeLimits {
  /** PutEvents: the summed entry size must not exceed this (256 KiB per the model docs; reportedly 1 MB since 2026). */
  readonly putEventsMaxBytes: number;
  /** Rules per bus and buses per region, so a runaway client cannot grow the process without bound. */
  readonly maxRulesPerBus: number;
  readonly maxBusesPerRegion: number;
}

const RULE_NAME = /^[.\-_A-Za-z0-9]+$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]+$/;
const TARGET_ID = /^[.\-_A-Za-z0-9]+$/;
const MAX_TARGETS_PER_RULE = 5;
const RULE_STATES = new Set(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']);

export class EventBridgeStore {
  readonly buses = new Map<string, EventBus>();
  /** Told after a rule is created, replaced, deleted, enabled or disabled (the scheduler re-reads its rules). */
  onRulesChanged: ((store: EventBridgeStore) => void) | undefined;
  /** Each bus's enabled rules as one compiled matcher, built on the first event after its rules change. */
  private readonly matchers = new WeakMap<EventBus, RuleSetMatcher>();

  constructor(
    readonly region: string,
    readonly accountId: string,
    readonly limits: EventBridgeLimits,
    readonly deliver: DeliverToTarget,
    private readonly now: () => number = Date.now,
  ) {
    this.createBus('default');
  }

  createBus(name: string, description?: string): EventBus {
    if (this.buses.has(name))
      throw new AwsServiceError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    if (this.buses.size >= this.limits.maxBusesPerRegion)
      throw new AwsServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
    const bus: EventBus = compact({
      name,
      arn: arn('events', this.region, this.accountId, `event-bus/${name}`),
      description,
      creationTime: this.now() / 1000,
      rules: new Map<string, Rule>(),
    });
    this.buses.set(name, bus);
    return bus;
  }

  /** A bus by name or ARN; undefined means `default`. */
  bus(nameOrArn: string | undefined): EventBus {
    const name = busNameOf(nameOrArn ?? 'default');
    const bus = this.buses.get(name);
    if (!bus) throw new AwsServiceError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return bus;
  }

  rule(bus: EventBus, name: string): Rule {
    const rule = bus.rules.get(name);
    if (!rule)
      throw new AwsServiceError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus.name}.`);
    return rule;
  }

  /** Creates or replaces a rule (keeping its targets, as PutRule does). */
  putRule(
    bus: EventBus,
    spec: {
      name: string;
      eventPattern?: string;
      scheduleExpression?: string;
      state?: string;
      description?: string;
      roleArn?: string;
    },
  ): Rule {
    let compiled: CompiledEventPattern | undefined;
    if (spec.eventPattern !== undefined) {
      const result = compileEventPattern(spec.eventPattern);
      if (!result.ok) throw new AwsServiceError(result.code, result.message);
      compiled = result.pattern;
    }
    const existing = bus.rules.get(spec.name);
    if (!existing && bus.rules.size >= this.limits.maxRulesPerBus)
      throw new AwsServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
    const rule: Rule = compact({
      name: spec.name,
      eventBusName: bus.name,
      arn: arn(
        'events',
        this.region,
        this.accountId,
        bus.name === 'default' ? `rule/${spec.name}` : `rule/${bus.name}/${spec.name}`,
      ),
      eventPattern: spec.eventPattern,
      compiled,
      scheduleExpression: spec.scheduleExpression,
      state: spec.state ?? 'ENABLED',
      description: spec.description,
      roleArn: spec.roleArn,
      targets: existing?.targets ?? new Map<string, Target>(),
    });
    bus.rules.set(spec.name, rule);
    this.matchers.delete(bus);
    this.onRulesChanged?.(this);
    return rule;
  }

  /** Deletes a rule (DeleteRule has checked it may go). */
  deleteRule(bus: EventBus, name: string): void {
    bus.rules.delete(name);
    this.matchers.delete(bus);
    this.onRulesChanged?.(this);
  }

  /** EnableRule / DisableRule: the same rule (targets and all) in another state. */
  setRuleState(bus: EventBus, name: string, state: 'ENABLED' | 'DISABLED'): void {
    const rule = this.rule(bus, name);
    if (rule.state === state) return;
    bus.rules.set(name, { ...rule, state });
    this.matchers.delete(bus);
    this.onRulesChanged?.(this);
  }

  private matcherFor(bus: EventBus): RuleSetMatcher {
    let matcher = this.matchers.get(bus);
    if (!matcher) {
      const enabled: { name: string; pattern: CompiledEventPattern }[] = [];
      for (const rule of bus.rules.values()) {
        if (rule.compiled && rule.state.startsWith('ENABLED'))
          enabled.push({ name: rule.name, pattern: rule.compiled });
      }
      matcher = compileRuleSet(enabled);
      this.matchers.set(bus, matcher);
    }
    return matcher;
  }

  /** The enabled rules an event matches, in the bus's rule order; a rule whose matching fails goes to `onError`. */
  private matchingRules(bus: EventBus, event: EventEnvelope, onError: (error: unknown) => void): Rule[] {
    let names: ReadonlySet<string> | undefined;
    try {
      names = new Set(this.matcherFor(bus)(event));
    } catch {
      // Too costly for the whole set at once: ask rule by rule, so only the rules at fault are lost.
    }
    const matched: Rule[] = [];
    for (const rule of bus.rules.values()) {
      if (!rule.compiled || !rule.state.startsWith('ENABLED')) continue;
      if (names) {
        if (names.has(rule.name)) matched.push(rule);
        continue;
      }
      try {
        if (eventMatches(rule.compiled, event)) matched.push(rule);
      } catch (e) {
        onError(e);
      }
    }
    return matched;
  }

  putTargets(rule: Rule, targets: readonly Target[]): void {
    const ids = new Set([...rule.targets.keys(), ...targets.map((t) => t.Id)]);
    if (ids.size > MAX_TARGETS_PER_RULE)
      throw new AwsServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
    for (const t of targets) rule.targets.set(t.Id, t);
  }

  /**
   * Runs one accepted event through every enabled rule of its bus; delivery problems go to `onDeliveryError`.
   * `path` lists the buses the event passed through before this one, when another bus forwarded it.
   */
  route(
    bus: EventBus,
    event: EventEnvelope,
    eventTimeMs: number,
    onDeliveryError: (error: unknown) => void,
    path: readonly string[] = [],
  ): void {
    for (const rule of this.matchingRules(bus, event, onDeliveryError)) {
      for (const target of rule.targets.values()) {
        try {
          this.deliver({ bus, rule, target, event, eventTimeMs, path });
        } catch (e) {
          onDeliveryError(e);
        }
      }
    }
  }
}

/** `arn:aws:events:r:a:event-bus/NAME` → `NAME`; a plain name is returned as is. */
export function busNameOf(nameOrArn: string): string {
  const m = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn);
  return m ? m[1] : nameOrArn;
}

export { putEventsEntrySize };

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

function describeBus(bus: EventBus): Output {
  return compact({
    Name: bus.name,
    Arn: bus.arn,
    Description: bus.description,
    CreationTime: bus.creationTime,
    LastModifiedTime: bus.creationTime,
  });
}

function describeRule(rule: Rule): Output {
  return compact({
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    EventBusName: rule.eventBusName,
  });
}

function readTarget(r: InputReader, raw: unknown): Target {
  const t = raw as Record<string, unknown> | null;
  if (!t || typeof t !== 'object') r.fail('Each target must be an object.');
  const tr: InputReader = new InputReader(t, 'ValidationException');
  const Id = tr.string('Id', 64, TARGET_ID);
  const Arn = tr.string('Arn', 1600);
  if (!/^arn:[^:]+:[^:]+:/.test(Arn))
    r.fail(`Parameter ${Arn} is not valid. Reason: Provided Arn is not in correct format.`);
  const transformer = t.InputTransformer as Target['InputTransformer'] | undefined;
  if (
    transformer !== undefined &&
    (typeof transformer !== 'object' || transformer === null || typeof transformer.InputTemplate !== 'string')
  ) {
    r.fail('InputTransformer needs an InputTemplate.');
  }
  const target: Target = compact({
    Id,
    Arn,
    Input: tr.optionalString('Input', 8192),
    InputPath: tr.optionalString('InputPath', 256),
    InputTransformer: transformer,
    RoleArn: tr.optionalString('RoleArn', 1600),
    SqsParameters: objectMember(r, t, 'SqsParameters'),
    DeadLetterConfig: objectMember(r, t, 'DeadLetterConfig'),
    RetryPolicy: objectMember(r, t, 'RetryPolicy'),
  });
  if ([target.Input, target.InputPath, target.InputTransformer].filter((x) => x !== undefined).length > 1) {
    r.fail('Only one of Input, InputPath, or InputTransformer can be specified.');
  }
  return target;
}

/** A structure member kept as given (its inner members are read where they are used). */
function objectMember(r: InputReader, t: Record<string, unknown>, name: string): object | undefined {
  const v = t[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) r.fail(`Parameter ${name} must be a structure.`);
  return v;
}

/** The JSON 1.1 operations of `AWSEvents`. */
export const eventBridgeOperations: Record<
  string,
  (
    store: EventBridgeStore,
    input: Input,
    context: {
      onDeliveryError: (e: unknown) => void;
      /** Injected faults: entries to fail. */ failEntry?: (index: number) => boolean;
      /** Told about every event PutEvents accepts (the editor learns custom sources' schemas from them). */
      onAccepted?: (event: EventEnvelope) => void;
    },
  ) => Output
> = {
  CreateEventBus(store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const name = r.string('Name', 256, BUS_NAME);
    if (name.includes('/')) r.fail(`Event bus name ${name} is not valid: custom event bus names cannot contain '/'.`);
    const bus = store.createBus(name, r.optionalString('Description', 512));
    return { EventBusArn: bus.arn };
  },

  DescribeEventBus(store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    return describeBus(store.bus(r.optionalString('Name', 1600)));
  },

  ListEventBuses(store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const prefix = r.optionalString('NamePrefix', 256) ?? '';
    const limit = r.optionalNumber('Limit', 1, 100) ?? 100;
    const buses = [...store.buses.values()]
      .filter((b) => b.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const { page, nextToken } = pageByOffset(
      buses,
      r.optionalString('NextToken'),
      limit,
      'ListEventBuses',
      'ValidationException',
    );
    return compact({ EventBuses: page.map(describeBus), NextToken: nextToken });
  },

  PutRule(store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const name = r.string('Name', 64, RULE_NAME);
    const eventPattern = r.optionalString('EventPattern', 4096);
    const scheduleExpression = r.optionalString('ScheduleExpression', 256);
    const state = r.optionalString('State');
    if (state !== undefined && !RULE_STATES.has(state))
      r.fail(
        `1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]`,
      );
    if (eventPattern === undefined && scheduleExpression === undefined)
      r.fail('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    const bus = store.bus(r.optionalString('EventBusName', 1600));
    if (scheduleExpression !== undefined && bus.name !== 'default')
      r.fail('ScheduleExpression is supported only on the default event bus.');
    if (scheduleExpression !== undefined && 'problem' in readScheduleExpression(scheduleExpression, 'rule'))
      r.fail('Parameter ScheduleExpression is not valid.');
    const rule = store.putRule(bus, {
      name,
      eventPattern,
      scheduleExpression,
      state,
      description: r.optionalString('Description', 512),
      roleArn: r.optionalString('RoleArn', 1600),
    });
    return { RuleArn: rule.arn };
  },

  DescribeRule(store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const name = r.string('Name', 64);
    const bus = store.bus(r.optionalString('EventBusName', 1600));
    return { ...describeRule(store.rule(bus, name)), CreatedBy: store.accountId };
  },

  ListRules(store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const prefix = r.optionalString('NamePrefix', 64) ?? '';
    const bus = store.bus(r.optionalString('EventBusName', 1600));
    const limit = r.optionalNumber('Limit', 1, 100) ?? 100;
    const rules = [...bus.rules.values()]
      .filter((x) => x.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const { page, nextToken } = pageByOffset(
      rules,
      r.optionalString('NextToken'),
      limit,
      `ListRules:${bus.name}`,
      'ValidationException',
    );
    return compact({ Rules: page.map(describeRule), NextToken: nextToken });
  },

  EnableRule(store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const name = r.string('Name', 64);
    store.setRuleState(store.bus(r.optionalString('EventBusName', 1600)), name, 'ENABLED');
    return {};
  },

  DisableRule(store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const name = r.string('Name', 64);
    store.setRuleState(store.bus(r.optionalString('EventBusName', 1600)), name, 'DISABLED');
    return {};
  },

  DeleteRule(store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const name = r.string('Name', 64);
    const bus = store.bus(r.optionalString('EventBusName', 1600));
    const rule = bus.rules.get(name);
    // Deleting a rule that is not there succeeds: the docs promise repeated calls all succeed.
    if (!rule) return {};
    if (rule.targets.size > 0) r.fail("Rule can't be deleted since it has targets.");
    store.deleteRule(bus, name);
    return {};
  },

  PutTargets(store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const ruleName = r.string('Rule', 64);
    const bus = store.bus(r.optionalString('EventBusName', 1600));
    const raw = r.optionalArray('Targets', 1, 100, 'Target');
    if (!raw)
      r.fail(
        "1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null",
      );
    const targets = raw.map((t) => readTarget(r, t));
    store.putTargets(store.rule(bus, ruleName), targets);
    return { FailedEntryCount: 0, FailedEntries: [] };
  },

  ListTargetsByRule(store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const ruleName = r.string('Rule', 64);
    const bus = store.bus(r.optionalString('EventBusName', 1600));
    const rule = store.rule(bus, ruleName);
    const limit = r.optionalNumber('Limit', 1, 100) ?? 100;
    const { page, nextToken } = pageByOffset(
      [...rule.targets.values()],
      r.optionalString('NextToken'),
      limit,
      `ListTargetsByRule:${bus.name}/${rule.name}`,
      'ValidationException',
    );
    return compact({ Targets: page, NextToken: nextToken });
  },

  RemoveTargets(store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const ruleName = r.string('Rule', 64);
    const bus = store.bus(r.optionalString('EventBusName', 1600));
    const ids = r.optionalStringArray('Ids', 1, 100);
    if (!ids)
      r.fail("1 validation error detected: Value null at 'ids' failed to satisfy constraint: Member must not be null");
    const rule = store.rule(bus, ruleName);
    for (const id of ids) rule.targets.delete(id);
    return { FailedEntryCount: 0, FailedEntries: [] };
  },

  PutEvents(store, input, context) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const entries = r.optionalArray('Entries', 1, 10, 'PutEventsRequestEntry');
    if (!entries)
      r.fail(
        "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
      );
    const records = entries.map((e) =>
      e && typeof e === 'object' && !Array.isArray(e) ? (e as Record<string, unknown>) : {},
    );
    const total = records.reduce((n, e) => n + putEventsEntrySize(e), 0);
    if (total > store.limits.putEventsMaxBytes) r.fail('Total size of the entries in the request is over the limit.');
    // An entry lacking Source, DetailType or Detail fails alone, even when every entry lacks one (moto does the same;
    // the model docs say the whole request fails then, which is unverified).
    // Resolve every bus first, so an unknown bus fails the call before any event is routed (as moto does).
    const buses = records.map((e) =>
      store.bus(typeof e.EventBusName === 'string' && e.EventBusName !== '' ? e.EventBusName : undefined),
    );
    let failed = 0;
    const results = records.map((entry, i) => {
      const result = context.failEntry?.(i)
        ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure (injected by the local bus).' }
        : acceptEntry(store, buses[i], entry, context.onDeliveryError, context.onAccepted);
      if ('ErrorCode' in result) failed++;
      return result;
    });
    return { FailedEntryCount: failed, Entries: results };
  },

  TestEventPattern(_store, input) {
    const r: InputReader = new InputReader(input, 'ValidationException');
    const patternText = r.string('EventPattern', 4096);
    const eventText = r.string('Event');
    let event: unknown;
    try {
      event = JSON.parse(eventText);
    } catch {
      r.fail('Parameter Event is not valid.');
    }
    if (!event || typeof event !== 'object' || Array.isArray(event) || !TEST_EVENT_KEYS.every((k) => k in event))
      r.fail('Parameter Event is not valid.');
    const compiled = compileEventPattern(patternText);
    if (!compiled.ok) throw new AwsServiceError(compiled.code, compiled.message);
    return { Result: eventMatches(compiled.pattern, event) };
  },
};

function acceptEntry(
  store: EventBridgeStore,
  bus: EventBus,
  entry: Record<string, unknown>,
  onDeliveryError: (e: unknown) => void,
  onAccepted?: (event: EventEnvelope) => void,
): Output {
  const built = envelopeFromPutEventsEntry(entry, {
    accountId: store.accountId,
    region: store.region,
    newId: randomUUID,
    nowSeconds: () => Date.now() / 1000,
  });
  if ('ErrorCode' in built) return { ErrorCode: built.ErrorCode, ErrorMessage: built.ErrorMessage };
  store.route(bus, built.event, Math.floor(built.timeSeconds) * 1000, onDeliveryError);
  onAccepted?.(built.event);
  return { EventId: built.event.id };
}
