// Events made from a pattern: events that match it, near misses that fail exactly one of its conditions at its
// boundary, and, when no event can match, why. Works on the compiled pattern, whose `$or` combinations are already
// expanded and whose repeated keys are already overridden, so each sub-rule is an AND of conditions on distinct paths.
//
// Every event is checked with the matcher before it is returned: a matching event must match, a near miss must not,
// and the matching event it was made from differs from it at the named field only.
//
// Why each condition can be satisfied on its own: fields of a sub-rule live at distinct dotted paths, and an event
// can hold a leaf at any path, also beside a leaf at a shorter one (`{"a": 1, "a.b": 2}` gives `a` and `a.b`, as
// EventBridge joins event keys with dots too). So a sub-rule is impossible only when one of its conditions accepts
// no value and does not accept absence, and a pattern only when every sub-rule is.

import type { CompiledPattern, Dialect, FieldCondition, Matcher, NumericBound, SubRule } from './patternModel';
import { leafSatisfies, matchesNode } from './matcher';
import { parseJson } from './jsonParser';
import { flattenNode, formatEventValue, type EventValue, type FlatEvent } from './eventModel';
import { comparableNumber } from './numbers';
import type { WildcardPattern } from './wildcard';
import type { IpRange } from './ipAddress';

/** A number written with its own spelling (`12345678901234567890` matches only itself, as text). */
export class NumberText {
  constructor(readonly text: string) {}
}

/** A generated event's values: JSON, with numbers that must keep their spelling as NumberText. */
export type EventJson = null | boolean | number | string | NumberText | EventJson[] | { [key: string]: EventJson };

export interface GeneratedEvent {
  /** The event as a plain value (a NumberText's number is JavaScript's here; `text` keeps its spelling). */
  readonly event: Record<string, unknown>;
  /** The event's JSON text, pretty-printed with two spaces: what was checked with the matcher. */
  readonly text: string;
  /** The event's JSON text on one line. */
  readonly line: string;
}

export interface NearMiss extends GeneratedEvent {
  /** The dotted path of the one condition the event fails. */
  readonly fails: string;
  /** How it fails, in words (`one character short of the prefix "ab"`). */
  readonly why: string;
  /** The matching event it was made from (it differs from it at `fails` only). */
  readonly from: GeneratedEvent;
}

/** A pattern no event can match, and why. */
export interface Impossibility {
  readonly reason: string;
  /** The conditions that can never hold, one per sub-rule (the same field may stand in several). */
  readonly fields: readonly FieldCondition[];
}

/** The catalog's sample event for a source and detail-type, if there is one. Passed in: the engine reads no catalog. */
export type SampleLookup = (source: string, detailType: string) => Record<string, unknown> | undefined;

export interface GenerateOptions {
  readonly lookup?: SampleLookup;
  /** How many distinct matching events to make (default 1). */
  readonly count?: number;
  /** Also make near misses (default false). */
  readonly nearMisses?: boolean;
  /** At most this many near misses (default 100). */
  readonly maxNearMisses?: number;
  /** Envelope values (event buses and archives). */
  readonly region?: string;
  readonly accountId?: string;
  readonly time?: string;
  readonly id?: string;
}

export type GenerateResult =
  | { readonly ok: true; readonly matching: readonly GeneratedEvent[]; readonly nearMisses: readonly NearMiss[] }
  | { readonly ok: false; readonly impossible: Impossibility }
  /** Should not happen: no candidate passed the matcher (reported rather than guessed). */
  | { readonly ok: false; readonly impossible?: undefined; readonly reason: string };

/** Envelope fields every event on a bus carries, always as a string. */
const ALWAYS_PRESENT_ENVELOPE: ReadonlySet<string> = new Set([
  'version',
  'id',
  'detail-type',
  'source',
  'account',
  'time',
  'region',
]);

/** Event buses and archives see EventBridge envelopes; Pipes and Lambda filters see records of other shapes. */
export function seesEnvelope(dialect: Dialect): boolean {
  return dialect === 'eventbus' || dialect === 'archive';
}

// ---- numbers ----------------------------------------------------------------------------------------------------

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The next double above x (x finite); +Infinity above the largest. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  u64[0] = x > 0 ? u64[0] + 1n : u64[0] - 1n;
  return f64[0];
}

/** The next double below x. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/** The least double a bound lets through from below, or undefined when none (above the largest double). */
function lowestAbove(b: NumericBound): number | undefined {
  const v = b.inclusive ? b.value : nextUp(b.value);
  return Number.isFinite(v) ? v : undefined;
}

function highestBelow(b: NumericBound): number | undefined {
  const v = b.inclusive ? b.value : nextDown(b.value);
  return Number.isFinite(v) ? v : undefined;
}

function boundText(m: { lower?: NumericBound; upper?: NumericBound }): string {
  const parts: string[] = [];
  if (m.lower && m.upper && m.lower.inclusive && m.upper.inclusive && m.lower.value === m.upper.value)
    return `= ${m.lower.value}`;
  if (m.lower) parts.push(`${m.lower.inclusive ? '>=' : '>'} ${m.lower.value}`);
  if (m.upper) parts.push(`${m.upper.inclusive ? '<=' : '<'} ${m.upper.value}`);
  return parts.join(' and ');
}

/** Why no event number satisfies a numeric matcher, or undefined when one does. */
function emptyNumericRange(m: { lower?: NumericBound; upper?: NumericBound }): string | undefined {
  const low = m.lower ? lowestAbove(m.lower) : -Number.MAX_VALUE;
  const high = m.upper ? highestBelow(m.upper) : Number.MAX_VALUE;
  if (low === undefined)
    return `no number is ${boundText(m)} (an event's numbers are doubles, the largest is ${Number.MAX_VALUE})`;
  if (high === undefined)
    return `no number is ${boundText(m)} (an event's numbers are doubles, the least is ${-Number.MAX_VALUE})`;
  if (low > high) {
    const neighbours = m.lower && m.upper && nextUp(m.lower.value) === m.upper.value;
    return `no number is ${boundText(m)}${neighbours ? ` (${m.lower!.value} and ${m.upper!.value} are neighbouring doubles)` : ''}`;
  }
  return undefined;
}

/** Numbers inside a numeric matcher, plain ones first. */
function numbersWithin(m: { lower?: NumericBound; upper?: NumericBound }): number[] {
  const out: number[] = [];
  const l = m.lower?.value;
  const u = m.upper?.value;
  if (l !== undefined && u !== undefined) {
    out.push(Math.floor(l) + 1, Math.ceil(u) - 1, (l + u) / 2, l, u, nextUp(l), nextDown(u));
  } else if (l !== undefined) {
    out.push(Math.floor(l) + 1, l, l + 10, nextUp(l));
  } else if (u !== undefined) {
    out.push(Math.ceil(u) - 1, u, u - 10, nextDown(u));
  } else out.push(0);
  const inside = (x: number): boolean =>
    Number.isFinite(x) &&
    (!m.lower || (m.lower.inclusive ? x >= m.lower.value : x > m.lower.value)) &&
    (!m.upper || (m.upper.inclusive ? x <= m.upper.value : x < m.upper.value));
  return [...new Set(out.filter(inside).map((x) => (x === 0 ? 0 : x)))];
}

// ---- IP addresses ------------------------------------------------------------------------------------------------

function formatIp(version: 4 | 6, value: bigint): string {
  if (version === 4) {
    const parts: number[] = [];
    for (let i = 3; i >= 0; i--) parts.push(Number((value >> BigInt(i * 8)) & 0xffn));
    return parts.join('.');
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(':');
}

function ipMax(version: 4 | 6): bigint {
  return version === 4 ? 0xffffffffn : (1n << 128n) - 1n;
}

/** An address of the range: a host inside it where there is room, else its one address. */
function addressIn(range: IpRange, k: number): string[] {
  const out = [range.low < range.high ? range.low + 1n : range.low, range.low, range.high];
  if (k > 0 && range.high - range.low > BigInt(k + 1)) out.unshift(range.low + BigInt(k + 1));
  return out.map((v) => formatIp(range.version, v));
}

/** Addresses just outside a range, each with how it misses. */
function addressesOutside(range: IpRange): { value: string; why: string }[] {
  const out: { value: string; why: string }[] = [];
  if (range.low > 0n)
    out.push({ value: formatIp(range.version, range.low - 1n), why: 'the address just below the range' });
  if (range.high < ipMax(range.version))
    out.push({ value: formatIp(range.version, range.high + 1n), why: 'the address just above the range' });
  if (out.length === 0)
    out.push(
      range.version === 4
        ? { value: '::1', why: 'an IPv6 address (the range holds every IPv4 address)' }
        : { value: '127.0.0.1', why: 'an IPv4 address (the range holds every IPv6 address)' },
    );
  return out;
}

// ---- strings -----------------------------------------------------------------------------------------------------

function swapCase(s: string): string {
  let out = '';
  for (const ch of s) {
    const lower = ch.toLowerCase();
    out += ch === lower ? ch.toUpperCase() : lower;
  }
  return out;
}

/** Drops the last code point. */
function dropLast(s: string): string {
  const chars = [...s];
  return chars.slice(0, -1).join('');
}

function dropFirst(s: string): string {
  return [...s].slice(1).join('');
}

/** A string the wildcard matches: every star becomes `fill`. */
function wildcardExample(p: WildcardPattern, fill: string): string {
  return p.segments.join(fill);
}

// ---- values ------------------------------------------------------------------------------------------------------

/** Marks a field to leave out of the event. */
const ABSENT = Symbol('absent');
type Choice = EventJson | typeof ABSENT;

function eventValueOf(v: EventJson): EventValue | undefined {
  if (v === null) return { t: 'null' };
  if (typeof v === 'string') return { t: 's', v };
  if (typeof v === 'boolean') return { t: 'b', v };
  if (typeof v === 'number') {
    const text = numberText(v);
    return { t: 'n', text, num: comparableNumber(text) };
  }
  if (v instanceof NumberText) return { t: 'n', text: v.text, num: comparableNumber(v.text) };
  return undefined;
}

function numberText(v: number): string {
  return Object.is(v, -0) ? '0' : String(v);
}

function satisfies(field: FieldCondition, v: EventJson): boolean {
  const ev = eventValueOf(v);
  return ev !== undefined && leafSatisfies(field, { path: field.path, value: ev, trail: undefined });
}

/** Values one matcher accepts, plainest first; `k` asks for a different one where there are several. */
function valuesFor(m: Matcher, k: number, current: EventJson | undefined): EventJson[] {
  const n = k === 0 ? '' : `-${k + 1}`;
  const currentString = typeof current === 'string' ? current : undefined;
  switch (m.kind) {
    case 'exact-string':
      return [m.value];
    case 'exact-number':
      return m.value !== undefined ? [m.value, new NumberText(m.text)] : [new NumberText(m.text)];
    case 'exact-literal':
      return [m.value === 'null' ? null : m.value === 'true'];
    case 'ip':
      return [m.text, formatIp(m.range.version, m.range.low)];
    case 'prefix':
      return [
        ...(k === 0 && currentString !== undefined ? [currentString] : []),
        `${m.value}sample${n}`,
        `${m.value}${n}`,
        m.value,
      ];
    case 'suffix':
      return [...(k === 0 && currentString !== undefined ? [currentString] : []), `sample${n}${m.value}`, m.value];
    case 'equals-ignore-case':
      return [[m.value, swapCase(m.value), m.value.toUpperCase(), m.value.toLowerCase()][k % 4], m.value];
    case 'wildcard':
      return [wildcardExample(m.pattern, k === 0 ? 'x' : k === 1 ? '' : `x${k}`), wildcardExample(m.pattern, '')];
    case 'numeric': {
      const inside = numbersWithin(m);
      return inside.length === 0 ? [] : [inside[k % inside.length], ...inside];
    }
    case 'exists':
      if (!m.exists) return [];
      return [...(k === 0 && current !== undefined && !isContainer(current) ? [current] : []), `sample${n}`];
    case 'cidr':
      return addressIn(m.range, k);
    case 'anything-but': {
      if (m.strings.length === 0 && m.numbers.length > 0) {
        const top = Math.max(...m.numbers.filter(Number.isFinite));
        return [Number.isFinite(top) ? Math.floor(top) + 1 + k : k, 0, `other${n}`];
      }
      return [`other-value${n}`, `other-value${n}-x`, `zz-other${n}`, 0, null];
    }
    case 'anything-but-prefix':
    case 'anything-but-suffix':
    case 'anything-but-equals-ignore-case':
    case 'anything-but-wildcard':
      return [`sample${n}`, `zz-other${n}`, `0-other${n}`, 0, null];
  }
}

function isContainer(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !(v instanceof NumberText);
}

/** The value a field gets in variant `k` (which matcher, and which of its values), or undefined when none is found. */
function choose(
  field: FieldCondition,
  k: number,
  current: EventJson | undefined,
  mustBePresent: boolean,
): Choice | undefined {
  if (k === 0 && current !== undefined && !isContainer(current) && satisfies(field, current)) return current;
  const ms = field.matchers;
  if (ms.length === 0) return undefined;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[(k + i) % ms.length].matcher;
    if (m.kind === 'exists' && !m.exists) {
      if (mustBePresent) continue;
      return ABSENT;
    }
    const variant = Math.floor(k / ms.length);
    for (const v of valuesFor(m, variant, current)) if (satisfies(field, v)) return v;
  }
  return undefined;
}

/** Why a field accepts no value and no absence; undefined when it accepts something (or might). */
export function unsatisfiable(field: FieldCondition, envelope: boolean): string | undefined {
  const alwaysPresent = envelope && ALWAYS_PRESENT_ENVELOPE.has(field.path);
  const reasons: string[] = [];
  for (const { matcher } of field.matchers) {
    if (matcher.kind === 'exists') {
      if (matcher.exists) return undefined;
      if (!alwaysPresent) return undefined;
      reasons.push(`every event on an event bus has a ${field.path}, so \`exists: false\` never holds`);
      continue;
    }
    if (matcher.kind === 'numeric') {
      const why = emptyNumericRange(matcher);
      if (why === undefined) return undefined;
      reasons.push(why);
      continue;
    }
    return undefined;
  }
  if (reasons.length === 0) return undefined;
  return `${field.path}: ${reasons.join('; ')}`;
}

/** Why no event can match a sub-rule, or undefined. */
function subRuleImpossibility(
  rule: readonly FieldCondition[],
  envelope: boolean,
): { field: FieldCondition; reason: string } | undefined {
  for (const field of rule) {
    const reason = unsatisfiable(field, envelope);
    if (reason !== undefined) return { field, reason };
  }
  return undefined;
}

/**
 * Why no event can match the pattern, when that is certain: every `$or` combination has a condition that accepts
 * no value (an empty numeric range, say) and not absence either. Sub-rules are given as their conditions, so a
 * lint rule can leave out conditions it cannot judge.
 */
export function patternImpossibility(
  rules: readonly (readonly FieldCondition[])[],
  dialect: Dialect,
): Impossibility | undefined {
  if (rules.length === 0) return undefined;
  const envelope = seesEnvelope(dialect);
  const found: { field: FieldCondition; reason: string }[] = [];
  for (const rule of rules) {
    const why = subRuleImpossibility(rule, envelope);
    if (!why) return undefined;
    found.push(why);
  }
  const reasons = [...new Set(found.map((f) => f.reason))];
  const reason =
    rules.length === 1
      ? `No event can match this pattern: ${reasons[0]}`
      : `No event can match this pattern: none of its ${rules.length} $or combinations can (${reasons.join('; ')})`;
  return { reason, fields: found.map((f) => f.field) };
}

// ---- building events -----------------------------------------------------------------------------------------------

type Obj = { [key: string]: EventJson };

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof NumberText);
}

const has = (o: Obj, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Sets a key as data (a key `__proto__` included). */
function put(o: Obj, k: string, v: EventJson): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function clone(v: unknown): EventJson {
  if (v instanceof NumberText) return v;
  if (Array.isArray(v)) return v.map(clone);
  if (v !== null && typeof v === 'object') {
    const o: Obj = {};
    for (const [k, x] of Object.entries(v)) put(o, k, clone(x));
    return o;
  }
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return null;
}

/** The value at a path, walking nested objects (and the first element of arrays of objects). */
function valueAt(root: Obj, segments: readonly string[]): EventJson | undefined {
  let cur: EventJson | undefined = root;
  for (const seg of segments) {
    if (Array.isArray(cur)) cur = cur.find(isObj);
    if (!isObj(cur) || !has(cur, seg)) return undefined;
    cur = cur[seg];
  }
  return Array.isArray(cur) ? cur.find((x) => !isContainer(x)) : cur;
}

/**
 * Puts a value (or absence) at a dotted path. Objects on the way are entered (an array of objects becomes its first
 * element alone, so that no other element holds a value the pattern looks at); where the way is blocked by a value
 * some condition put there, the rest of the path is written as one dotted key.
 */
function place(root: Obj, path: string, choice: Choice, placed: ReadonlySet<string>): void {
  const segments = path.split('.');
  let obj = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i];
    const prefix = segments.slice(0, i + 1).join('.');
    let next = has(obj, seg) ? obj[seg] : undefined;
    if (Array.isArray(next)) {
      const first = next.find(isObj);
      if (first !== undefined || !placed.has(prefix)) {
        next = [first ?? {}];
        put(obj, seg, next);
        next = next[0];
      }
    }
    if (next === undefined) {
      if (choice === ABSENT) return;
      next = {};
      put(obj, seg, next);
    } else if (!isObj(next)) {
      if (placed.has(prefix)) {
        // `a` holds a value a condition asked for: `a.b` goes beside it, as the key "a.b".
        setLeaf(obj, segments.slice(i).join('.'), choice);
        return;
      }
      if (choice === ABSENT) return;
      next = {};
      put(obj, seg, next);
    }
    obj = next;
  }
  setLeaf(obj, segments[segments.length - 1], choice);
}

function setLeaf(obj: Obj, key: string, choice: Choice): void {
  const current = has(obj, key) ? obj[key] : undefined;
  if (choice === ABSENT) {
    // An object holds no value at its own path; anything else does.
    if (current !== undefined && !isObj(current)) delete obj[key];
    return;
  }
  if (isObj(current)) {
    // A value where an object stood: its fields stay where they were, as dotted keys beside it.
    for (const k of Object.keys(current)) put(obj, `${key}.${k}`, current[k]);
  }
  put(obj, key, Array.isArray(current) ? [choice] : choice);
}

/** The event's JSON text (numbers in NumberText keep their spelling). */
export function eventJsonText(v: EventJson, indent = ''): string {
  const step = indent === '' ? undefined : indent;
  const write = (x: EventJson, pad: string): string => {
    if (x instanceof NumberText) return x.text;
    if (typeof x === 'number') return numberText(x);
    if (x === null || typeof x !== 'object') return JSON.stringify(x);
    const inner = step === undefined ? '' : pad + step;
    const nl = step === undefined ? '' : '\n';
    const sep = step === undefined ? ':' : ': ';
    if (Array.isArray(x)) {
      if (x.length === 0) return '[]';
      return `[${nl}${x.map((e) => inner + write(e, inner)).join(`,${nl}`)}${nl}${pad}]`;
    }
    const keys = Object.keys(x);
    if (keys.length === 0) return '{}';
    return `{${nl}${keys.map((k) => `${inner}${JSON.stringify(k)}${sep}${write(x[k], inner)}`).join(`,${nl}`)}${nl}${pad}}`;
  };
  return write(v, '');
}

function plain(v: EventJson): unknown {
  if (v instanceof NumberText) return Number(v.text);
  if (Array.isArray(v)) return v.map(plain);
  if (isObj(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v))
      Object.defineProperty(o, k, { value: plain(v[k]), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return v;
}

function finished(event: Obj): GeneratedEvent {
  return {
    event: plain(event) as Record<string, unknown>,
    text: eventJsonText(event, '  '),
    line: eventJsonText(event),
  };
}

/** Whether the pattern matches the event's text, read as the CLI and the code lens read events. */
export function textMatches(pattern: CompiledPattern, text: string): boolean {
  const parsed = parseJson(text, { maxErrors: 1 });
  if (parsed.errors.length > 0 || !parsed.root || parsed.root.type !== 'object') return false;
  return matchesNode(pattern, parsed.root);
}

/** Every leaf of an event's text as `path = value @ element indexes`, sorted, except those at one path. */
function leavesExcept(text: string, path: string): string[] {
  const parsed = parseJson(text, { maxErrors: 1 });
  if (!parsed.root) return [];
  const flat: FlatEvent = flattenNode(parsed.root);
  const out: string[] = [];
  for (const [p, leaves] of flat.leaves) {
    if (p === path) continue;
    for (const leaf of leaves) {
      const at: number[] = [];
      for (let t = leaf.trail; t; t = t.parent) at.push(t.index);
      out.push(`${JSON.stringify(p)}=${formatEventValue(leaf.value)}@${at.join(',')}`);
    }
  }
  return out.sort();
}

/** Whether two events' texts hold the same leaves everywhere but at `path`. */
export function differOnlyAt(a: string, b: string, path: string): boolean {
  const x = leavesExcept(a, path);
  const y = leavesExcept(b, path);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function firstExact(rule: SubRule, path: string): string | undefined {
  const field = rule.find((f) => f.path === path);
  const m = field?.matchers.find((p) => p.matcher.kind === 'exact-string')?.matcher;
  return m?.kind === 'exact-string' ? m.value : undefined;
}

function plainEnvelope(options: GenerateOptions): Obj {
  return {
    version: '0',
    id: options.id ?? '00000000-0000-0000-0000-000000000000',
    'detail-type': 'Sample Event',
    source: 'sample.source',
    account: options.accountId ?? '123456789012',
    time: options.time ?? '2026-01-01T00:00:00Z',
    region: options.region ?? 'us-east-1',
    resources: [],
    detail: {},
  };
}

/** The events a sub-rule's matching events start from: the catalog's sample, a plain envelope, or nothing. */
function bases(rule: SubRule, dialect: Dialect, options: GenerateOptions): Obj[] {
  if (!seesEnvelope(dialect)) return [{}];
  const out: Obj[] = [];
  const source = firstExact(rule, 'source');
  const detailType = firstExact(rule, 'detail-type');
  const sample = source !== undefined && detailType !== undefined ? options.lookup?.(source, detailType) : undefined;
  if (sample) {
    const fromSample = clone(sample);
    if (isObj(fromSample)) {
      // The envelope's keys are there even when the sample leaves some out.
      const base = plainEnvelope(options);
      for (const k of Object.keys(fromSample)) put(base, k, fromSample[k]);
      if (options.region !== undefined) put(base, 'region', options.region);
      if (options.accountId !== undefined) put(base, 'account', options.accountId);
      if (options.time !== undefined) put(base, 'time', options.time);
      if (options.id !== undefined) put(base, 'id', options.id);
      out.push(base);
    }
  }
  out.push(plainEnvelope(options));
  return out;
}

/** A matching event for a sub-rule (variant k), checked with the matcher; undefined when none was found. */
function matchingEvent(
  pattern: CompiledPattern,
  rule: SubRule,
  k: number,
  options: GenerateOptions,
): { event: GeneratedEvent; tree: Obj; choices: Map<string, Choice> } | undefined {
  const envelope = seesEnvelope(pattern.dialect);
  for (const base of bases(rule, pattern.dialect, options)) {
    const tree = clone(base) as Obj;
    const choices = new Map<string, Choice>();
    const placed = new Set<string>();
    let ok = true;
    // Variant k changes one field at a time, in turn, so that consecutive variants differ.
    for (let i = 0; i < rule.length; i++) {
      const field = rule[i];
      const fieldK = k === 0 ? 0 : (k - 1) % rule.length === i ? Math.floor((k - 1) / rule.length) + 1 : 0;
      const mustBePresent = envelope && ALWAYS_PRESENT_ENVELOPE.has(field.path);
      const choice = choose(field, fieldK, valueAt(tree, field.path.split('.')), mustBePresent);
      if (choice === undefined) {
        ok = false;
        break;
      }
      choices.set(field.path, choice);
      place(tree, field.path, choice, placed);
      if (choice !== ABSENT) placed.add(field.path);
    }
    if (!ok) continue;
    const event = finished(tree);
    if (textMatches(pattern, event.text)) return { event, tree, choices };
  }
  return undefined;
}

/** A long list of values would otherwise fill the near misses with one field's. */
const MAX_MISSES_PER_FIELD = 6;

/** Values that fail a field, each with how; checked against every matcher of the field. */
function failingValues(field: FieldCondition, mustBePresent: boolean): { choice: Choice; why: string }[] {
  const out: { choice: Choice; why: string }[] = [];
  const allowsAbsence = field.matchers.some(({ matcher: m }) => m.kind === 'exists' && !m.exists);
  const requiresNothing = field.matchers.some(({ matcher: m }) => m.kind === 'exists' && m.exists);
  if (requiresNothing && allowsAbsence) return [];
  const q = JSON.stringify;
  for (const { matcher: m } of field.matchers) {
    switch (m.kind) {
      case 'exact-string':
        if (swapCase(m.value) !== m.value)
          out.push({ choice: swapCase(m.value), why: `${q(m.value)} in another case` });
        out.push({ choice: m.value === '' ? 'x' : dropLast(m.value), why: `a wrong value (not ${q(m.value)})` });
        break;
      case 'exact-number':
        if (m.value !== undefined) {
          out.push({ choice: nextUp(m.value), why: `the next number above ${m.text}` });
          out.push({ choice: numberText(m.value), why: `${m.text} written as a string` });
        } else out.push({ choice: new NumberText(`${m.text}1`), why: `a number other than ${m.text}` });
        break;
      case 'exact-literal':
        out.push(
          m.value === 'null'
            ? { choice: 'null', why: 'the string "null" instead of null' }
            : { choice: m.value !== 'true', why: `${m.value === 'true' ? 'false' : 'true'} instead of ${m.value}` },
        );
        break;
      case 'ip':
        for (const o of addressesOutside(m.range)) out.push({ choice: o.value, why: `${o.why} (${m.text})` });
        break;
      case 'prefix':
        if (m.value === '') out.push({ choice: 0, why: 'a number (the empty prefix matches every string)' });
        else out.push({ choice: dropLast(m.value), why: `one character short of the prefix ${q(m.value)}` });
        if (!m.ignoreCase && swapCase(m.value) !== m.value)
          out.push({ choice: `${swapCase(m.value)}sample`, why: `the prefix ${q(m.value)} in another case` });
        break;
      case 'suffix':
        if (m.value === '') out.push({ choice: 0, why: 'a number (the empty suffix matches every string)' });
        else out.push({ choice: dropFirst(m.value), why: `one character short of the suffix ${q(m.value)}` });
        if (!m.ignoreCase && swapCase(m.value) !== m.value)
          out.push({ choice: `sample${swapCase(m.value)}`, why: `the suffix ${q(m.value)} in another case` });
        break;
      case 'equals-ignore-case':
        out.push({ choice: m.value === '' ? 'x' : dropLast(m.value), why: `not ${q(m.value)} in any case` });
        break;
      case 'wildcard': {
        const ex = wildcardExample(m.pattern, 'x');
        for (const c of [dropLast(ex), dropFirst(ex), `${ex}!`, `!${ex}`, ''])
          out.push({ choice: c, why: `a string the wildcard ${q(m.value)} does not match` });
        out.push({ choice: 0, why: 'a number (wildcards match strings only)' });
        break;
      }
      case 'numeric':
        if (m.lower) {
          const v = m.lower.inclusive ? nextDown(m.lower.value) : m.lower.value;
          if (Number.isFinite(v))
            out.push({ choice: v, why: `just outside the range (${boundText(m)}): ${numberText(v)}` });
        }
        if (m.upper) {
          const v = m.upper.inclusive ? nextUp(m.upper.value) : m.upper.value;
          if (Number.isFinite(v))
            out.push({ choice: v, why: `just outside the range (${boundText(m)}): ${numberText(v)}` });
        }
        break;
      case 'exists':
        if (m.exists) out.push({ choice: ABSENT, why: 'the field is missing (`exists: true`)' });
        else out.push({ choice: 'sample', why: 'the field is present (`exists: false`)' });
        break;
      case 'cidr':
        for (const o of addressesOutside(m.range)) out.push({ choice: o.value, why: `${o.why} ${m.text}` });
        break;
      case 'anything-but':
        for (const s of m.strings.slice(0, 3)) out.push({ choice: s, why: `the excluded value ${q(s)}` });
        for (const n of m.numbers.slice(0, 3)) out.push({ choice: n, why: `the excluded value ${numberText(n)}` });
        break;
      case 'anything-but-prefix':
        for (const s of m.values.slice(0, 3))
          out.push({ choice: `${s}sample`, why: `a value with the excluded prefix ${q(s)}` });
        break;
      case 'anything-but-suffix':
        for (const s of m.values.slice(0, 3))
          out.push({ choice: `sample${s}`, why: `a value with the excluded suffix ${q(s)}` });
        break;
      case 'anything-but-equals-ignore-case':
        for (const s of m.values.slice(0, 3))
          out.push({ choice: swapCase(s), why: `the excluded value ${q(s)} in another case` });
        break;
      case 'anything-but-wildcard':
        for (let i = 0; i < Math.min(3, m.patterns.length); i++)
          out.push({
            choice: wildcardExample(m.patterns[i], 'x'),
            why: `a value the excluded wildcard ${q(m.values[i])} matches`,
          });
        break;
    }
  }
  // The field must fail as a whole: no matcher may accept the value (nor absence, for a missing field). A field every
  // event has stays (an event without it is no event); a number stays a number JSON can write.
  const kept = out.filter(({ choice }) =>
    choice === ABSENT
      ? !allowsAbsence && !mustBePresent
      : !(typeof choice === 'number' && !Number.isFinite(choice)) && !satisfies(field, choice),
  );
  if (kept.length === 0 && !allowsAbsence && !requiresNothing && !mustBePresent)
    kept.push({ choice: ABSENT, why: 'the field is missing' });
  const seen = new Set<string>();
  return kept
    .filter(({ choice }) => {
      const key = choice === ABSENT ? 'absent' : eventJsonText(choice);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_MISSES_PER_FIELD);
}

/** Near misses of one matching event: each condition of its sub-rule failed in turn, at its boundary. */
function nearMissesOf(
  pattern: CompiledPattern,
  rule: SubRule,
  from: { event: GeneratedEvent; tree: Obj; choices: Map<string, Choice> },
  limit: number,
): NearMiss[] {
  const out: NearMiss[] = [];
  const envelope = seesEnvelope(pattern.dialect);
  for (const field of rule) {
    for (const { choice, why } of failingValues(field, envelope && ALWAYS_PRESENT_ENVELOPE.has(field.path))) {
      if (out.length >= limit) return out;
      const tree = clone(from.tree) as Obj;
      const placed = new Set([...from.choices].filter(([p, c]) => c !== ABSENT && p !== field.path).map(([p]) => p));
      place(tree, field.path, choice, placed);
      const event = finished(tree);
      if (event.text === from.event.text) continue;
      // It must not match (no other `$or` combination may take it either), and differ from the matching event at
      // this field only: restoring the field makes it match again.
      if (textMatches(pattern, event.text) || !differOnlyAt(event.text, from.event.text, field.path)) continue;
      out.push({ ...event, fails: field.path, why, from: from.event });
    }
  }
  return out;
}

/**
 * Events for a pattern: `count` distinct matching events (the `$or` combinations first, then other values of each
 * condition's list and operators), and on request near misses of each. A pattern no event can match gets the
 * reason instead.
 */
export function generateEvents(pattern: CompiledPattern, options: GenerateOptions = {}): GenerateResult {
  const impossible = patternImpossibility(pattern.rules, pattern.dialect);
  if (impossible) return { ok: false, impossible };
  const count = Math.max(1, Math.min(options.count ?? 1, 1000));
  const envelope = seesEnvelope(pattern.dialect);
  const possible = pattern.rules.filter((r) => !subRuleImpossibility(r, envelope));
  const matching: { event: GeneratedEvent; tree: Obj; choices: Map<string, Choice>; rule: SubRule }[] = [];
  const seen = new Set<string>();
  const add = (rule: SubRule, k: number): void => {
    const made = matchingEvent(pattern, rule, k, options);
    if (!made || seen.has(made.event.text)) return;
    seen.add(made.event.text);
    matching.push({ ...made, rule });
  };
  // Each combination once, then more variants of each in turn, until `count` or nothing new comes.
  const maxVariant = 1 + possible.reduce((n, r) => Math.max(n, r.length * 4), 0);
  for (let k = 0; k <= maxVariant && matching.length < count; k++) {
    for (const rule of possible) {
      if (matching.length >= count) break;
      add(rule, k);
    }
  }
  if (matching.length === 0) {
    return {
      ok: false,
      reason: 'No matching event could be made for this pattern (the generator found no value the matcher accepts).',
    };
  }
  const nearMisses: NearMiss[] = [];
  if (options.nearMisses) {
    const limit = options.maxNearMisses ?? 100;
    const seenMiss = new Set<string>();
    // Near misses of each combination's first matching event.
    const firsts = new Map<SubRule, (typeof matching)[number]>();
    for (const m of matching) if (!firsts.has(m.rule)) firsts.set(m.rule, m);
    for (const rule of possible) {
      let from = firsts.get(rule);
      if (!from) {
        const made = matchingEvent(pattern, rule, 0, options);
        if (!made) continue;
        from = { ...made, rule };
      }
      for (const miss of nearMissesOf(pattern, rule, from, limit - nearMisses.length)) {
        if (seenMiss.has(miss.text)) continue;
        seenMiss.add(miss.text);
        nearMisses.push(miss);
      }
      if (nearMisses.length >= limit) break;
    }
  }
  return {
    ok: true,
    matching: matching.map((m) => m.event),
    nearMisses,
  };
}
