// What AWS CDK does with an event pattern, whatever language the app is written in (TypeScript, JavaScript, Python):
// which constructs take one, how `EventPattern`'s camelCase envelope keys become EventBridge's, and what the `Match`
// (aws-events) and `FilterRule` (aws-lambda) helpers produce. The readers of each language (cdkTypeScriptSites.ts,
// and Python's) find the calls; this module builds the synthesized pattern's house AST from them, with the code's
// offsets, so diagnostics land on the characters that produce each part.
//
// From aws-cdk-lib's sources (aws-events/lib/event-pattern.ts, util.ts; aws-lambda/lib/event-source-filter.ts): a
// `Rule`, `addEventPattern` and an `Archive` rename `detailType` to `detail-type` and keep every other key as written
// (a plain scalar is not wrapped: `Rule` refuses it at synth, "All fields must be arrays"); every `Match` helper is a
// list (`Match.prefix('a')` is `[{"prefix": "a"}]`); `CfnRule`, Pipes' `FilterPattern.fromObject` and Lambda's
// `FilterCriteria.filter` take EventBridge's own key names.
//
// SNS subscription filter policies (aws-sns/lib/subscription.ts, subscription-filter.ts, aws-sns-subscriptions): a
// `Subscription`'s and every `aws-sns-subscriptions` class's `filterPolicy` maps attribute names to
// `SubscriptionFilter`s, each rendered as its list of conditions (scope MessageAttributes); `filterPolicyWithMessageBody`
// maps property names to `FilterOrPolicy.filter(...)` (a list) or `FilterOrPolicy.policy({...})` (a nested policy),
// scope MessageBody; `CfnSubscription` takes the policy as JSON with its `filterPolicyScope`. Keys are kept as written.

import type { ArrayNode, AstNode, ObjectNode, PropertyNode, StringNode, UnknownNode } from '../../engine/jsonAst';
import type { PatternDialect, PatternSiteKind, SnsPolicyScope, TextSpan } from './patternSites';

/** The CDK modules whose constructs hold patterns (`subs`: aws-sns-subscriptions). */
export type CdkModule = 'events' | 'pipes' | 'lambda' | 'sns' | 'subs';

/** Module names (npm, and the `aws_cdk` Python module's) of each CDK module. */
export const CDK_MODULE_NAMES: Readonly<Record<string, CdkModule>> = {
  'aws-cdk-lib/aws-events': 'events',
  '@aws-cdk/aws-events': 'events',
  'aws-cdk-lib/aws-lambda': 'lambda',
  '@aws-cdk/aws-lambda': 'lambda',
  '@aws-cdk/aws-pipes-alpha': 'pipes',
  'aws_cdk.aws_events': 'events',
  'aws_cdk.aws_lambda': 'lambda',
  'aws_cdk.aws_pipes_alpha': 'pipes',
  'aws-cdk-lib/aws-sns': 'sns',
  '@aws-cdk/aws-sns': 'sns',
  'aws-cdk-lib/aws-sns-subscriptions': 'subs',
  '@aws-cdk/aws-sns-subscriptions': 'subs',
  'aws_cdk.aws_sns': 'sns',
  'aws_cdk.aws_sns_subscriptions': 'subs',
};

/** The submodule names under `aws-cdk-lib` (`import { aws_events as events } from 'aws-cdk-lib'`, `cdk.aws_events`). */
export const CDK_SUBMODULES: Readonly<Record<string, CdkModule>> = {
  aws_events: 'events',
  aws_lambda: 'lambda',
  aws_sns: 'sns',
  aws_sns_subscriptions: 'subs',
};

/** What a construct or function does with the pattern it is given. */
export interface PatternTaker {
  readonly kind: PatternSiteKind;
  readonly dialect: PatternDialect;
  /** Envelope keys written in `EventPattern`'s camelCase (`detailType`), else EventBridge's own names. */
  readonly camelCase: boolean;
}

/** Constructs (`new events.Rule(scope, id, { eventPattern })`) whose props' `eventPattern` is a pattern. */
export const PATTERN_CONSTRUCTS: Readonly<Record<string, PatternTaker>> = {
  'events.Rule': { kind: 'eventsRule', dialect: 'eventbus', camelCase: true },
  'events.Archive': { kind: 'eventsArchive', dialect: 'archive', camelCase: true },
  'events.CfnRule': { kind: 'eventsRule', dialect: 'eventbus', camelCase: false },
  'events.CfnArchive': { kind: 'eventsArchive', dialect: 'archive', camelCase: false },
};

/** The props key of PATTERN_CONSTRUCTS, as TypeScript writes it (Python: `event_pattern`). */
export const EVENT_PATTERN_PROP = 'eventPattern';

/** Static functions whose one argument is a pattern object. */
export const PATTERN_FUNCTIONS: Readonly<Record<string, PatternTaker>> = {
  'pipes.FilterPattern.fromObject': { kind: 'pipeFilter', dialect: 'pipes', camelCase: false },
  'lambda.FilterCriteria.filter': { kind: 'eventSourceMappingFilter', dialect: 'lambda', camelCase: false },
};

/** `rule.addEventPattern({...})`: a method of `Rule`, read wherever it is called (the name is CDK's own). */
export const ADD_EVENT_PATTERN: PatternTaker = { kind: 'eventsRule', dialect: 'eventbus', camelCase: true };

/** The type of a pattern object (`const p: events.EventPattern = {...}`). */
export const EVENT_PATTERN_TYPE = 'events.EventPattern';
export const EVENT_PATTERN_TAKER: PatternTaker = { kind: 'eventsRule', dialect: 'eventbus', camelCase: true };

/** A policy prop of an SNS subscription construct, and the scope SNS applies it in. */
export interface SnsPolicyProp {
  /** As TypeScript writes it (Python: snake_case). */
  readonly prop: string;
  /** The scope, or `fromProp`: the construct's `filterPolicyScope` prop says (CfnSubscription; absent: MessageAttributes). */
  readonly scope: SnsPolicyScope | 'fromProp';
}

/** A construct that takes SNS filter policies in its props. */
export interface SnsPolicyTaker {
  /** Which constructor argument holds the props (`new sns.Subscription(scope, id, props)`: 2). */
  readonly propsIndex: number;
  /** Which argument is a name for the subscription, if any (the construct id). */
  readonly idIndex?: number;
  readonly policies: readonly SnsPolicyProp[];
}

const L2_POLICIES: readonly SnsPolicyProp[] = [
  { prop: 'filterPolicy', scope: 'MessageAttributes' },
  { prop: 'filterPolicyWithMessageBody', scope: 'MessageBody' },
];

/** The props key holding a CfnSubscription's scope. */
export const SNS_SCOPE_PROP = 'filterPolicyScope';

/** Subscriptions with filter policies: `sns.Subscription`, `sns.CfnSubscription` and aws-sns-subscriptions' classes. */
export const SNS_POLICY_CONSTRUCTS: Readonly<Record<string, SnsPolicyTaker>> = {
  'sns.Subscription': { propsIndex: 2, idIndex: 1, policies: L2_POLICIES },
  'sns.CfnSubscription': { propsIndex: 2, idIndex: 1, policies: [{ prop: 'filterPolicy', scope: 'fromProp' }] },
  'subs.SqsSubscription': { propsIndex: 1, policies: L2_POLICIES },
  'subs.LambdaSubscription': { propsIndex: 1, policies: L2_POLICIES },
  'subs.UrlSubscription': { propsIndex: 1, policies: L2_POLICIES },
  'subs.EmailSubscription': { propsIndex: 1, policies: L2_POLICIES },
  'subs.SmsSubscription': { propsIndex: 1, policies: L2_POLICIES },
  'subs.FirehoseSubscription': { propsIndex: 1, policies: L2_POLICIES },
};

/** SNS policies keep their keys as written, like CfnRule's patterns. */
export const SNS_POLICY_TAKER: PatternTaker = { kind: 'snsSubscription', dialect: 'sns', camelCase: false };

/** `EventPattern`'s keys, by the EventBridge name each becomes. */
export const CAMEL_ENVELOPE_KEYS: Readonly<Record<string, string>> = {
  source: 'source',
  detailType: 'detail-type',
  account: 'account',
  region: 'region',
  time: 'time',
  id: 'id',
  resources: 'resources',
  version: 'version',
  detail: 'detail',
};

/** EventBridge's envelope name → `EventPattern`'s key. */
export const ENVELOPE_KEYS_IN_CAMEL_CASE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(CAMEL_ENVELOPE_KEYS).map(([camel, name]) => [name, camel]),
);

/** `detail_type` → `detailType`: Python's names of the helpers and keys are TypeScript's in snake_case. */
export function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

// ---------------------------------------------------------------------------------------------------------------
// Building the synthesized pattern's nodes

/**
 * Makes house AST nodes for a pattern read from code, remembering which ones the code does not write literally (a
 * helper's list and operator object, the key it implies): see CodeSyntax.isLiteral.
 */
export class CodeNodes {
  private readonly madeUp = new WeakSet<object>();

  isLiteral(node: object): boolean {
    return !this.madeUp.has(node);
  }

  private mark<T extends object>(node: T, literal: boolean): T {
    if (!literal) this.madeUp.add(node);
    return node;
  }

  string(value: string, span: TextSpan, literal = true): StringNode {
    return this.mark({ type: 'string', value, offset: span.offset, length: span.length }, literal);
  }

  number(value: number, text: string, span: TextSpan, literal = true): AstNode {
    return this.mark({ type: 'number', value, text, offset: span.offset, length: span.length }, literal);
  }

  boolean(value: boolean, span: TextSpan, literal = true): AstNode {
    return this.mark({ type: 'boolean', value, offset: span.offset, length: span.length }, literal);
  }

  null(span: TextSpan, literal = true): AstNode {
    return this.mark({ type: 'null', offset: span.offset, length: span.length }, literal);
  }

  unknown(description: string, span: TextSpan): UnknownNode {
    return { type: 'unknown', description, offset: span.offset, length: span.length };
  }

  array(items: AstNode[], span: TextSpan, literal = true, closed = true): ArrayNode {
    return this.mark({ type: 'array', items, closed, offset: span.offset, length: span.length }, literal);
  }

  object(properties: PropertyNode[], span: TextSpan, literal = true, closed = true): ObjectNode {
    return this.mark({ type: 'object', properties, closed, offset: span.offset, length: span.length }, literal);
  }

  property(key: StringNode, value: AstNode | undefined, span: TextSpan, colonOffset: number): PropertyNode {
    return { type: 'property', key, value, colonOffset, offset: span.offset, length: span.length };
  }

  /** `[{ key: value }]` made up around a helper's operand: key at `name`, the list and object over the whole call. */
  operator(key: string, value: AstNode, call: TextSpan, name: TextSpan): ArrayNode {
    const k = this.string(key, name, false);
    const object = this.object([this.property(k, value, call, -1)], call, false);
    return this.array([object], call, false);
  }
}

/** A helper call as a reader sees it: its arguments (already read as nodes) and where it is. */
export interface HelperCall {
  readonly args: readonly AstNode[];
  /** The whole call expression. */
  readonly call: TextSpan;
  /** The helper's name (`prefix` of `events.Match.prefix`). */
  readonly name: TextSpan;
  /** The span of the arguments, from the first one's start to the last one's end (the call's, when none). */
  readonly argsSpan: TextSpan;
}

type HelperBuilder = (nodes: CodeNodes, c: HelperCall) => AstNode | undefined;

const first = (nodes: CodeNodes, c: HelperCall): AstNode => c.args[0] ?? nodes.unknown('(no argument)', c.call);

const single =
  (op: string): HelperBuilder =>
  (nodes, c) =>
    nodes.operator(op, first(nodes, c), c.call, c.name);

const nested =
  (op: string, inner: string): HelperBuilder =>
  (nodes, c) => {
    const k = nodes.string(inner, c.name, false);
    const value = nodes.object([nodes.property(k, first(nodes, c), c.call, -1)], c.call, false);
    return nodes.operator(op, value, c.call, c.name);
  };

const anythingBut =
  (inner?: string): HelperBuilder =>
  (nodes, c) => {
    const list = nodes.array([...c.args], c.argsSpan, false);
    if (!inner) return nodes.operator('anything-but', list, c.call, c.name);
    const k = nodes.string(inner, c.name, false);
    return nodes.operator(
      'anything-but',
      nodes.object([nodes.property(k, list, c.call, -1)], c.call, false),
      c.call,
      c.name,
    );
  };

/** `[{"numeric": [op, a, op2, b]}]`, the comparison operators made up at the helper's name. */
const numeric =
  (...ops: string[]): HelperBuilder =>
  (nodes, c) => {
    const items: AstNode[] = [];
    ops.forEach((op, i) =>
      items.push(nodes.string(op, c.name, false), c.args[i] ?? nodes.unknown('(no argument)', c.call)),
    );
    return nodes.operator('numeric', nodes.array(items, c.argsSpan, false), c.call, c.name);
  };

const list =
  (build: (nodes: CodeNodes, c: HelperCall) => AstNode[]): HelperBuilder =>
  (nodes, c) =>
    nodes.array(build(nodes, c), c.call, false);

/** The items of a helper's list (`Match.anyOf(Match.prefix('a'), 'b')` → `{"prefix": "a"}`, `"b"`). */
function flatten(args: readonly AstNode[]): AstNode[] {
  return args.flatMap((a) => (a.type === 'array' ? a.items : [a]));
}

/** `Match.allOf`: numeric matchers only, merged into one (CDK refuses anything else). */
const allOf: HelperBuilder = (nodes, c) => {
  const items: AstNode[] = [];
  for (const a of flatten(c.args)) {
    const numericList = a.type === 'object' && a.properties.length === 1 ? a.properties[0] : undefined;
    if (numericList?.key.value !== 'numeric' || numericList.value?.type !== 'array') return undefined;
    items.push(...numericList.value.items);
  }
  return nodes.operator('numeric', nodes.array(items, c.argsSpan, false), c.call, c.name);
};

/** `events.Match`'s static helpers (camelCase names), each as the list CDK renders. */
export const MATCH_HELPERS: Readonly<Record<string, HelperBuilder>> = {
  nullValue: list((nodes, c) => [nodes.null(c.call, false)]),
  exists: list((nodes, c) => [
    nodes.object(
      [nodes.property(nodes.string('exists', c.name, false), nodes.boolean(true, c.name, false), c.call, -1)],
      c.call,
      false,
    ),
  ]),
  doesNotExist: list((nodes, c) => [
    nodes.object(
      [nodes.property(nodes.string('exists', c.name, false), nodes.boolean(false, c.name, false), c.call, -1)],
      c.call,
      false,
    ),
  ]),
  exactString: list((nodes, c) => [first(nodes, c)]),
  equalsIgnoreCase: single('equals-ignore-case'),
  prefix: single('prefix'),
  suffix: single('suffix'),
  prefixEqualsIgnoreCase: nested('prefix', 'equals-ignore-case'),
  suffixEqualsIgnoreCase: nested('suffix', 'equals-ignore-case'),
  wildcard: single('wildcard'),
  cidr: single('cidr'),
  ipAddressRange: single('cidr'),
  anythingBut: anythingBut(),
  anythingButPrefix: anythingBut('prefix'),
  anythingButSuffix: anythingBut('suffix'),
  anythingButWildcard: anythingBut('wildcard'),
  anythingButEqualsIgnoreCase: anythingBut('equals-ignore-case'),
  greaterThan: numeric('>'),
  greaterThanOrEqual: numeric('>='),
  lessThan: numeric('<'),
  lessThanOrEqual: numeric('<='),
  equal: numeric('='),
  interval: numeric('>=', '<='),
  anyOf: list((_nodes, c) => flatten(c.args)),
  allOf,
};

/** `lambda.FilterRule`'s static helpers, each as the list CDK renders. */
export const FILTER_RULE_HELPERS: Readonly<Record<string, HelperBuilder>> = {
  null: list((nodes, c) => [nodes.null(c.call, false)]),
  empty: list((nodes, c) => [nodes.string('', c.call, false)]),
  isEqual: (nodes, c) => {
    const v = first(nodes, c);
    return v.type === 'number' ? numeric('=')(nodes, c) : nodes.array([v], c.call, false);
  },
  or: list((_nodes, c) => [...c.args]),
  notEquals: (nodes, c) =>
    nodes.operator('anything-but', nodes.array([first(nodes, c)], c.argsSpan, false), c.call, c.name),
  between: numeric('>', '<='),
  exists: MATCH_HELPERS.exists,
  notExists: MATCH_HELPERS.doesNotExist,
  beginsWith: single('prefix'),
};

/** The property `name` of an options object a helper was given (`{ allowlist: [...] }`). */
function option(options: AstNode | undefined, name: string): PropertyNode | undefined {
  if (options?.type !== 'object') return undefined;
  let found: PropertyNode | undefined;
  for (const p of options.properties) if (p.key.value === name && !p.keyUnknown) found = p;
  return found;
}

/** The items of an option's list (`allowlist: ['a', 'b']`), or the value itself when it is not a written list. */
function optionItems(p: PropertyNode): AstNode[] {
  if (!p.value) return [];
  return p.value.type === 'array' ? p.value.items : [p.value];
}

/** `{ key: value }` made up over `span`, its key at the option's name. */
function madeUpOperator(nodes: CodeNodes, key: string, value: AstNode, p: PropertyNode, over: TextSpan): ObjectNode {
  return nodes.object([nodes.property(nodes.string(key, p.key, false), value, over, -1)], over, false);
}

/** Whether a helper's options are read: an object literal, every key written out. */
function readableOptions(options: AstNode | undefined): options is ObjectNode {
  return options?.type === 'object' && options.properties.every((p) => !p.keyUnknown);
}

/**
 * `SubscriptionFilter.stringFilter({...})`: the allowlist's values, `{"anything-but": denylist}`, a `{"prefix": p}`
 * per matchPrefixes item and a `{"suffix": s}` per matchSuffixes item, in that order (`whitelist`/`blacklist`, the
 * deprecated names, alike).
 */
const stringFilter: HelperBuilder = (nodes, c) => {
  const options = c.args[0];
  if (!readableOptions(options)) return undefined;
  const items: AstNode[] = [];
  const allow = option(options, 'allowlist') ?? option(options, 'whitelist');
  if (allow) items.push(...optionItems(allow));
  const deny = option(options, 'denylist') ?? option(options, 'blacklist');
  if (deny?.value) items.push(madeUpOperator(nodes, 'anything-but', deny.value, deny, deny));
  for (const [name, op] of [
    ['matchPrefixes', 'prefix'],
    ['matchSuffixes', 'suffix'],
  ] as const) {
    const p = option(options, name);
    if (!p?.value) continue;
    // A list from a variable: how many conditions it makes is unknown, the list stands for them.
    if (p.value.type !== 'array') items.push(p.value);
    else for (const v of p.value.items) items.push(madeUpOperator(nodes, op, v, p, v));
  }
  return nodes.array(items, c.call, false);
};

/**
 * `SubscriptionFilter.numericFilter({...})`: `{"numeric": ["=", v]}` per allowlist value, then `>`, `>=`, `<`, `<=`
 * for greaterThan, greaterThanOrEqualTo, lessThan, lessThanOrEqualTo, `[">=", start, "<=", stop]` for between and
 * `[">", start, "<", stop]` for betweenStrict.
 */
const numericFilter: HelperBuilder = (nodes, c) => {
  const options = c.args[0];
  if (!readableOptions(options)) return undefined;
  const items: AstNode[] = [];
  const numeric = (p: PropertyNode, over: TextSpan, ...operands: [string, AstNode][]): void => {
    const list = nodes.array(
      operands.flatMap(([op, v]) => [nodes.string(op, p.key, false), v]),
      over,
      false,
    );
    items.push(madeUpOperator(nodes, 'numeric', list, p, over));
  };
  const allow = option(options, 'allowlist') ?? option(options, 'whitelist');
  if (allow?.value?.type === 'array') for (const v of allow.value.items) numeric(allow, v, ['=', v]);
  else if (allow?.value) items.push(allow.value);
  for (const [name, op] of [
    ['greaterThan', '>'],
    ['greaterThanOrEqualTo', '>='],
    ['lessThan', '<'],
    ['lessThanOrEqualTo', '<='],
  ] as const) {
    const p = option(options, name);
    if (p?.value) numeric(p, p, [op, p.value]);
  }
  for (const [name, low, high] of [
    ['between', '>=', '<='],
    ['betweenStrict', '>', '<'],
  ] as const) {
    const p = option(options, name);
    if (!p?.value) continue;
    const start = option(p.value, 'start')?.value;
    const stop = option(p.value, 'stop')?.value;
    if (start && stop) numeric(p, p, [low, start], [high, stop]);
    else items.push(nodes.unknown(`${name} from code`, p));
  }
  return nodes.array(items, c.call, false);
};

const existsCondition =
  (exists: boolean): HelperBuilder =>
  (nodes, c) =>
    nodes.array(
      [
        nodes.object(
          [nodes.property(nodes.string('exists', c.name, false), nodes.boolean(exists, c.name, false), c.call, -1)],
          c.call,
          false,
        ),
      ],
      c.call,
      false,
    );

/** `sns.SubscriptionFilter`'s static helpers, each as the list of conditions CDK renders. */
export const SUBSCRIPTION_FILTER_HELPERS: Readonly<Record<string, HelperBuilder>> = {
  stringFilter,
  numericFilter,
  existsFilter: existsCondition(true),
  notExistsFilter: existsCondition(false),
};

/**
 * `sns.FilterOrPolicy`: `filter(f)` is the subscription filter's list, `policy({...})` a nested policy: both render
 * as their argument.
 */
export const FILTER_OR_POLICY_HELPERS: Readonly<Record<string, HelperBuilder>> = {
  filter: (nodes, c) => first(nodes, c),
  policy: (nodes, c) => first(nodes, c),
};

/** `new sns.SubscriptionFilter([...])`: its conditions as written. */
export const SUBSCRIPTION_FILTER_CLASS = 'sns.SubscriptionFilter';

/**
 * Helpers whose one argument is an options struct (`stringFilter({ allowlist })`). Python's bindings lift a struct's
 * fields into keyword arguments (`string_filter(allowlist=[...], match_prefixes=[...])`): the reader gathers them
 * into that struct, camelCase names.
 */
export const HELPERS_TAKING_OPTIONS: ReadonlySet<string> = new Set([
  'sns.SubscriptionFilter.stringFilter',
  'sns.SubscriptionFilter.numericFilter',
]);

/**
 * Structs a helper reads the fields of, which Python writes as a call with keyword arguments
 * (`between=sns.BetweenCondition(start=1, stop=5)`, TypeScript's `between: { start: 1, stop: 5 }`).
 */
export const HELPER_STRUCTS: ReadonlySet<string> = new Set(['sns.BetweenCondition']);

/** The helper tables by the class that holds them. */
export const HELPER_CLASSES: Readonly<Record<string, Readonly<Record<string, HelperBuilder>>>> = {
  'events.Match': MATCH_HELPERS,
  'lambda.FilterRule': FILTER_RULE_HELPERS,
  'sns.SubscriptionFilter': SUBSCRIPTION_FILTER_HELPERS,
  'sns.FilterOrPolicy': FILTER_OR_POLICY_HELPERS,
};

/** Builds the synthesized value of a helper call, or undefined for an unknown helper (then the value is unknown). */
export function buildHelper(
  nodes: CodeNodes,
  helperClass: string,
  helper: string,
  call: HelperCall,
): AstNode | undefined {
  const builder = HELPER_CLASSES[helperClass]?.[helper];
  return builder ? builder(nodes, call) : undefined;
}
