// A pattern written from an event: the event's leaf fields, the operators that fit each value, and the pattern made of
// the fields chosen, each with its operator. Whatever is built is compiled and run against the event with the engine
// before it is returned, so a pattern that does not match its own event is never handed out: the caller gets the
// reason instead. Merging into an existing pattern follows one rule (mergePatternInto) and is checked the same way.

import type { Dialect } from './patternModel';
import { compilePattern, explainEvent, matchesEvent, matchesEventNode, parseEventText } from './index';
import { looksLikeIp, parseCidr, parseIp } from './ipAddress';
import { compileWildcard, matchWildcard } from './wildcard';
import { endsWithIgnoreCase, equalsIgnoreCase, startsWithIgnoreCase } from './ignoreCase';
import { comparableNumber } from './numbers';
import { DIALECTS } from './dialects';

/** The operators a generated condition can use. */
export const PATTERN_OPERATORS = [
  'exact',
  'prefix',
  'suffix',
  'equals-ignore-case',
  'prefix-ignore-case',
  'suffix-ignore-case',
  'wildcard',
  'numeric',
  'cidr',
  'anything-but',
  'exists',
] as const;

export type PatternOperator = (typeof PATTERN_OPERATORS)[number];

export function isPatternOperator(s: string): s is PatternOperator {
  return (PATTERN_OPERATORS as readonly string[]).includes(s);
}

/** What each operator writes and what its argument (when it takes one) is, for pickers and usage texts. */
export const OPERATOR_DESCRIPTIONS: Readonly<Record<PatternOperator, string>> = {
  exact: 'the value itself',
  prefix: 'starts with (argument: the prefix; default: up to the last separator)',
  suffix: 'ends with (argument: the suffix; default: from the last separator)',
  'equals-ignore-case': 'the value, in any case',
  'prefix-ignore-case': 'starts with, in any case (argument: the prefix)',
  'suffix-ignore-case': 'ends with, in any case (argument: the suffix)',
  wildcard: 'a wildcard expression (argument: the expression; default: the prefix then *)',
  numeric: 'a numeric range around the value (argument: LOW..HIGH, inclusive, either side may be left out)',
  cidr: 'the IP address range (argument: a CIDR block or /bits; default: /24 for IPv4, /64 for IPv6)',
  'anything-but': 'any value but these (argument: the values to exclude, comma-separated or a JSON array)',
  exists: 'the field is present, whatever its value',
};

export type EventScalar = string | number | boolean | null;

/** One occurrence of a leaf in the event. */
export interface EventLeaf {
  readonly value: EventScalar;
  /** Keys and array indices from the event's top to the leaf. */
  readonly location: readonly (string | number)[];
}

export interface EventField {
  /** The dotted path a pattern uses for it (`detail.object.key`); a field inside arrays has one path for all elements. */
  readonly path: string;
  /** The keys of the path (a key may hold a dot: the pattern then nests on the keys, which the engine reads alike). */
  readonly keys: readonly string[];
  /** Every occurrence, in document order (more than one inside arrays). */
  readonly leaves: readonly EventLeaf[];
  /** The operators that fit the first occurrence's value, the most specific first. */
  readonly operators: readonly PatternOperator[];
}

/** The envelope fields listed first (and chosen when nothing else is). */
export const DEFAULT_EVENT_FIELDS: readonly string[] = ['source', 'detail-type'];

/**
 * Every leaf field of an event (an object), by dotted path: source and detail-type first, then the others in
 * document order. A field inside an array of objects is one path, matched by any element, as EventBridge matches it.
 */
export function eventFields(event: unknown, dialect: Dialect = 'eventbus'): EventField[] {
  const byPath = new Map<string, { keys: string[]; leaves: EventLeaf[] }>();
  const walk = (value: unknown, keys: string[], location: (string | number)[]): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, keys, [...location, i]));
      return;
    }
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, [...keys, k], [...location, k]);
      return;
    }
    if (keys.length === 0 || !isScalar(value)) return;
    const path = keys.join('.');
    let entry = byPath.get(path);
    if (!entry) byPath.set(path, (entry = { keys, leaves: [] }));
    entry.leaves.push({ value, location });
  };
  if (event !== null && typeof event === 'object' && !Array.isArray(event)) walk(event, [], []);
  const fields = [...byPath.entries()].map(([path, { keys, leaves }]) => ({
    path,
    keys,
    leaves,
    operators: operatorsFor(leaves[0].value, dialect),
  }));
  const rank = (f: EventField): number => {
    const i = DEFAULT_EVENT_FIELDS.indexOf(f.path);
    return i < 0 ? DEFAULT_EVENT_FIELDS.length : i;
  };
  return fields
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
}

function isScalar(v: unknown): v is EventScalar {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** The operators that fit a value (and that the dialect supports). */
export function operatorsFor(value: EventScalar, dialect: Dialect = 'eventbus'): PatternOperator[] {
  let ops: PatternOperator[];
  if (typeof value === 'string') {
    ops = ['exact', 'prefix', 'suffix', 'equals-ignore-case', 'prefix-ignore-case', 'suffix-ignore-case', 'wildcard'];
    if (parseIp(value) !== undefined) ops.splice(1, 0, 'cidr');
    ops.push('anything-but', 'exists');
  } else if (typeof value === 'number') {
    ops = comparableNumber(String(value)) !== undefined ? ['exact', 'numeric', 'anything-but', 'exists'] : ['exists'];
  } else {
    ops = ['exact', 'exists'];
  }
  const unsupported = DIALECTS[dialect].operators;
  return ops.filter((op) => unsupported[operatorName(op)] !== 'unsupported');
}

/** The operator's name in the dialect tables (dialects.ts). */
function operatorName(op: PatternOperator): string {
  switch (op) {
    case 'prefix-ignore-case':
      return 'prefix';
    case 'suffix-ignore-case':
      return 'suffix';
    default:
      return op;
  }
}

/** One field to put in the pattern. */
export interface FieldChoice {
  readonly path: string;
  /** Default `exact`. */
  readonly operator?: PatternOperator;
  /** The operator's argument as text (see OPERATOR_DESCRIPTIONS); default: one made from the value. */
  readonly argument?: string;
  /** Which occurrence of the field to build on (inside arrays); default: the first consistent with the fields before. */
  readonly occurrence?: number;
}

export interface PatternFromEventOptions {
  readonly dialect?: Dialect;
  /**
   * The event's JSON text, when there is one: the pattern is also run against it as written, since a number beyond a
   * double's precision matches only its own spelling there (EventBridge reads the text, not a parsed value).
   */
  readonly eventText?: string;
}

export type PatternResult =
  { readonly ok: true; readonly pattern: Record<string, unknown> } | { readonly ok: false; readonly message: string };

/**
 * The pattern of the chosen fields of an event, each with its operator; checked to match the event (compiled and run
 * with the engine) before it is returned. Without choices: source and detail-type, exactly.
 */
export function patternFromEvent(
  event: unknown,
  choices: readonly FieldChoice[] = DEFAULT_EVENT_FIELDS.map((path) => ({ path })),
  options: PatternFromEventOptions = {},
): PatternResult {
  if (event === null || typeof event !== 'object' || Array.isArray(event))
    return { ok: false, message: 'The event must be a JSON object.' };
  if (choices.length === 0) return { ok: false, message: 'Choose at least one field.' };
  const fields = new Map(eventFields(event, options.dialect).map((f) => [f.path, f]));
  const pattern: Record<string, unknown> = {};
  const chosen: EventLeaf[] = [];
  for (const choice of choices) {
    const field = fields.get(choice.path);
    if (!field) return { ok: false, message: missingFieldMessage(event, choice.path) };
    const leaf = pickLeaf(field, choice.occurrence, chosen);
    if (typeof leaf === 'string') return { ok: false, message: leaf };
    chosen.push(leaf);
    const operator = choice.operator ?? 'exact';
    const made = conditionFor(choice.path, leaf.value, operator, choice.argument);
    if ('refused' in made) return { ok: false, message: made.refused };
    const placed = addCondition(pattern, field.keys, [made.condition]);
    if (placed) return { ok: false, message: placed };
  }
  return checked(pattern, event, options);
}

function missingFieldMessage(event: object, path: string): string {
  const known = eventFields(event).map((f) => f.path);
  const near = known.filter((p) => p.startsWith(`${path}.`));
  if (near.length > 0)
    return `${path} is not a leaf of the event: choose one of its fields (${near.slice(0, 3).join(', ')}).`;
  return `The event has no field ${path}.`;
}

/** The occurrence asked for, else the first that can sit in one array element with the leaves already chosen. */
function pickLeaf(field: EventField, occurrence: number | undefined, chosen: readonly EventLeaf[]): EventLeaf | string {
  if (occurrence !== undefined) {
    const leaf = field.leaves[occurrence];
    return leaf ?? `${field.path} has ${field.leaves.length} occurrence(s): there is no occurrence ${occurrence}.`;
  }
  return field.leaves.find((l) => chosen.every((c) => sameElements(l.location, c.location))) ?? field.leaves[0];
}

/**
 * Whether two leaves can be matched together: wherever their locations go through the same array, they take the same
 * element (EventBridge requires the fields of one pattern object to come from one element of an array of objects).
 */
function sameElements(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    // Different elements of one array: a conflict unless one of them is a scalar element (the leaf itself).
    return !(typeof a[i] === 'number' && typeof b[i] === 'number' && i < a.length - 1 && i < b.length - 1);
  }
  return true;
}

/** The match condition for a value with an operator (and its argument), or why it cannot be made. */
export function conditionFor(
  path: string,
  value: EventScalar,
  operator: PatternOperator,
  argument?: string,
): { readonly condition: unknown } | { readonly refused: string } {
  const made = makeCondition(path, value, operator, argument);
  return made instanceof Refusal ? { refused: made.message } : { condition: made };
}

/** Why a condition cannot be made (a class, so that no match value can be mistaken for it). */
class Refusal {
  constructor(readonly message: string) {}
}

function makeCondition(path: string, value: EventScalar, operator: PatternOperator, argument?: string): unknown {
  const arg = argument === undefined || argument === '' ? undefined : argument;
  const shown = JSON.stringify(value);
  const needString = (): Refusal =>
    new Refusal(`${path}: ${operator} applies to strings; the event's value is ${shown}.`);
  switch (operator) {
    case 'exact':
      return value;
    case 'exists':
      return { exists: true };
    case 'equals-ignore-case': {
      if (typeof value !== 'string') return needString();
      const text = arg ?? value;
      if (!equalsIgnoreCase(text, value))
        return new Refusal(`${path}: ${JSON.stringify(text)} is not ${shown} in any case.`);
      return { 'equals-ignore-case': text };
    }
    case 'prefix':
    case 'prefix-ignore-case': {
      if (typeof value !== 'string') return needString();
      const ignoreCase = operator === 'prefix-ignore-case';
      const text = arg ?? defaultPrefix(value);
      if (!(ignoreCase ? startsWithIgnoreCase(value, text) : value.startsWith(text)))
        return new Refusal(
          `${path}: ${shown} does not start with ${JSON.stringify(text)}${ignoreCase ? ' in any case' : ''}.`,
        );
      return { prefix: ignoreCase ? { 'equals-ignore-case': text } : text };
    }
    case 'suffix':
    case 'suffix-ignore-case': {
      if (typeof value !== 'string') return needString();
      const ignoreCase = operator === 'suffix-ignore-case';
      const text = arg ?? defaultSuffix(value);
      if (!(ignoreCase ? endsWithIgnoreCase(value, text) : value.endsWith(text)))
        return new Refusal(
          `${path}: ${shown} does not end with ${JSON.stringify(text)}${ignoreCase ? ' in any case' : ''}.`,
        );
      return { suffix: ignoreCase ? { 'equals-ignore-case': text } : text };
    }
    case 'wildcard': {
      if (typeof value !== 'string') return needString();
      const text = arg ?? defaultWildcard(value);
      const compiled = compileWildcard(text);
      if (!compiled.ok)
        return new Refusal(`${path}: the wildcard ${JSON.stringify(text)} is not valid: ${compiled.message}.`);
      if (!matchWildcard(compiled.pattern, value))
        return new Refusal(`${path}: the wildcard ${JSON.stringify(text)} does not match ${shown}.`);
      return { wildcard: text };
    }
    case 'numeric': {
      if (typeof value !== 'number' || comparableNumber(String(value)) === undefined)
        return new Refusal(`${path}: numeric applies to numbers; the event's value is ${shown}.`);
      const range = arg === undefined ? defaultRange(value) : parseRange(arg);
      if (typeof range === 'string') return new Refusal(`${path}: ${range}`);
      if (range.low === undefined && range.high === undefined)
        return new Refusal(`${path}: give at least one bound (LOW..HIGH).`);
      const below = range.low !== undefined && value < range.low;
      const above = range.high !== undefined && (range.highExclusive ? value >= range.high : value > range.high);
      if (below || above) return new Refusal(`${path}: ${shown} is outside the range ${arg ?? ''}.`);
      if (range.low !== undefined && range.low === range.high) return { numeric: ['=', range.low] };
      const expression: unknown[] = [];
      if (range.low !== undefined) expression.push('>=', range.low);
      if (range.high !== undefined) expression.push(range.highExclusive ? '<' : '<=', range.high);
      return { numeric: expression };
    }
    case 'cidr': {
      if (typeof value !== 'string' || !looksLikeIp(value) || !parseIp(value))
        return new Refusal(`${path}: cidr applies to IP addresses; the event's value is ${shown}.`);
      const block = cidrBlock(value, arg);
      const parsed = parseCidr(block);
      if (!parsed.ok) return new Refusal(`${path}: ${block} is not a CIDR block: ${parsed.message}.`);
      return { cidr: block };
    }
    case 'anything-but': {
      if (typeof value !== 'string' && typeof value !== 'number')
        return new Refusal(`${path}: anything-but applies to strings and numbers; the event's value is ${shown}.`);
      if (arg === undefined)
        return new Refusal(
          `${path}: anything-but needs the values to exclude (${path}:anything-but=a,b), and ${shown} must not be one.`,
        );
      const excluded = parseExcluded(arg, typeof value === 'string' ? 'string' : 'number');
      if (typeof excluded === 'string') return new Refusal(`${path}: ${excluded}`);
      if (excluded.includes(value))
        return new Refusal(`${path}: the event's value ${shown} is among the excluded values.`);
      return { 'anything-but': excluded.length === 1 ? excluded[0] : excluded };
    }
  }
}

// Separators tried in turn: a path's folder before a name's dots, an extension before a path's folder.
const PREFIX_SEPARATORS = ['/', ':', '.-_@#| '];
const SUFFIX_SEPARATORS = ['.', '/', ':', '-_@#| '];

/** Up to and including the last separator that is not the last character (the whole value when there is none). */
export function defaultPrefix(value: string): string {
  for (const group of PREFIX_SEPARATORS)
    for (let i = value.length - 2; i >= 0; i--) if (group.includes(value[i])) return value.slice(0, i + 1);
  return value;
}

/** From the last separator that is not the first character (the whole value when there is none). */
export function defaultSuffix(value: string): string {
  for (const group of SUFFIX_SEPARATORS)
    for (let i = value.length - 1; i >= 1; i--) if (group.includes(value[i])) return value.slice(i);
  return value;
}

function escapeWildcard(text: string): string {
  return text.replace(/[\\*]/g, (c) => `\\${c}`);
}

export function defaultWildcard(value: string): string {
  const prefix = defaultPrefix(value);
  return prefix.length < value.length ? `${escapeWildcard(prefix)}*` : escapeWildcard(value);
}

interface NumericRange {
  readonly low?: number;
  readonly high?: number;
  readonly highExclusive?: boolean;
}

/** The power-of-ten step the value sits in: 1234 → [1000, 2000), 0.25 → [0.2, 0.3), -5 → [-5, -4), 0 → [0, 1). */
function defaultRange(value: number): NumericRange {
  if (value === 0) return { low: 0, high: 1, highExclusive: true };
  const step = 10 ** Math.floor(Math.log10(Math.abs(value)));
  const round = (x: number): number => Number(x.toPrecision(12));
  let low = round(Math.floor(value / step) * step);
  if (low > value) low = round(low - step);
  let high = round(low + step);
  if (high <= value) high = round(high + step);
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low <= value && value < high))
    return { low: value, high: value };
  return { low, high, highExclusive: true };
}

/** `LOW..HIGH` (inclusive), `LOW..`, `..HIGH`, or one number (that value only). */
export function parseRange(text: string): NumericRange | string {
  const num = (t: string): number | string => {
    const n = Number(t);
    if (t === '' || !Number.isFinite(n) || comparableNumber(String(n)) === undefined)
      return `${JSON.stringify(t)} is not a number.`;
    return n;
  };
  const dots = text.indexOf('..');
  if (dots < 0) {
    const n = num(text.trim());
    return typeof n === 'string' ? `the range ${JSON.stringify(text)} is not LOW..HIGH: ${n}` : { low: n, high: n };
  }
  const lowText = text.slice(0, dots).trim();
  const highText = text.slice(dots + 2).trim();
  const low = lowText === '' ? undefined : num(lowText);
  const high = highText === '' ? undefined : num(highText);
  if (typeof low === 'string') return `the range's low bound ${low}`;
  if (typeof high === 'string') return `the range's high bound ${high}`;
  if (low !== undefined && high !== undefined && low > high) return `the range ${text} is empty (LOW is above HIGH).`;
  return { ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}) };
}

/** The CIDR block for an address: the argument (a block, `/bits` or `bits`), else /24 or /64 around it. */
export function cidrBlock(address: string, arg?: string): string {
  const ip = parseIp(address)!;
  const bits = ip.version === 4 ? 32 : 128;
  if (arg !== undefined && arg.includes('.') !== arg.includes(':') && arg.includes('/') && !arg.startsWith('/'))
    return arg;
  const maskText = arg === undefined ? String(ip.version === 4 ? 24 : 64) : arg.replace(/^\//, '');
  const mask = Number(maskText);
  if (!/^\d+$/.test(maskText) || mask >= bits) return `${address}/${maskText}`; // parseCidr says what is wrong
  const hostMask = (1n << BigInt(bits - mask)) - 1n;
  const network = ip.value & ~hostMask;
  return `${ip.version === 4 ? ipv4Text(network) : ipv6Text(network)}/${mask}`;
}

function ipv4Text(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
}

function ipv6Text(v: bigint): string {
  const groups = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((v >> s) & 0xffffn).toString(16));
  // The longest run of zero groups (two or more) becomes `::`.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** `a,b` or a JSON array; numbers for a number field, strings otherwise. */
function parseExcluded(text: string, type: 'string' | 'number'): (string | number)[] | string {
  let items: unknown[];
  if (text.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) return `${text} is not a JSON array.`;
      items = parsed;
    } catch {
      return `${text} is not a JSON array.`;
    }
  } else items = text.split(',').map((s) => s.trim());
  const out: (string | number)[] = [];
  for (const item of items) {
    if (type === 'string') {
      if (typeof item !== 'string')
        return `anything-but of a string field excludes strings, not ${JSON.stringify(item)}.`;
      out.push(item);
    } else {
      const n = typeof item === 'number' ? item : typeof item === 'string' && item !== '' ? Number(item) : NaN;
      if (!Number.isFinite(n) || comparableNumber(String(n)) === undefined)
        return `anything-but of a number field excludes numbers, not ${JSON.stringify(item)}.`;
      out.push(n);
    }
  }
  return out.length > 0 ? out : 'anything-but needs at least one value to exclude.';
}

// ---- the pattern as a value ----------------------------------------------------------------------------------------

/** Adds match conditions at a path (nesting objects on the keys), after those already there; or why it cannot. */
function addCondition(
  pattern: Record<string, unknown>,
  keys: readonly string[],
  conditions: readonly unknown[],
): string | undefined {
  let at: Record<string, unknown> = pattern;
  let i = 0;
  // Follow what the pattern already has, also keys written with dots (`"detail.state"`), which the engine reads alike.
  while (i < keys.length) {
    let matched = false;
    for (let j = keys.length; j > i; j--) {
      const key = keys.slice(i, j).join('.');
      if (!Object.hasOwn(at, key)) continue;
      const next = at[key];
      if (j === keys.length) {
        if (!Array.isArray(next)) return `The pattern has ${keys.join('.')} as an object, not as a field with values.`;
        for (const c of conditions) if (!next.some((x) => sameJson(x, c))) next.push(c);
        return undefined;
      }
      if (next === null || typeof next !== 'object' || Array.isArray(next))
        return `The pattern matches ${keys.slice(0, j).join('.')} as a field, so it cannot hold ${keys.join('.')}.`;
      at = next as Record<string, unknown>;
      i = j;
      matched = true;
      break;
    }
    if (matched) continue;
    if (i === keys.length - 1) {
      at[keys[i]] = [...conditions];
      return undefined;
    }
    const child: Record<string, unknown> = {};
    at[keys[i]] = child;
    at = child;
    i++;
  }
  return `The path ${keys.join('.')} is empty.`;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Compiles a pattern and runs the event through it: the pattern when it matches, else why not. */
function checked(pattern: Record<string, unknown>, event: unknown, options: PatternFromEventOptions): PatternResult {
  const { dialect, eventText } = options;
  const compiled = compilePattern(JSON.stringify(pattern), dialect ? { dialect } : {});
  if (!compiled.ok) return { ok: false, message: compiled.error.message };
  if (!matchesEvent(compiled.pattern, event)) {
    const reasons = explainEvent(compiled.pattern, { value: event }).reasons;
    return {
      ok: false,
      message: `The pattern does not match the event${reasons.length ? `: ${reasons.join('; ')}` : ''}.`,
    };
  }
  const written = eventText === undefined ? undefined : parseEventText(eventText);
  if (written?.ok && !matchesEventNode(compiled.pattern, written.event)) {
    const reasons = explainEvent(compiled.pattern, written.event).reasons;
    return {
      ok: false,
      message: `The pattern does not match the event as written${reasons.length ? `: ${reasons.join('; ')}` : ''} (a number beyond a double's precision matches only its own spelling).`,
    };
  }
  return { ok: true, pattern };
}

/**
 * Merges the conditions of a pattern made from an event into an existing pattern, so that the result matches the
 * event and still matches, field by field, what the existing pattern matched:
 * - a field the existing pattern does not name is added (the event's condition joins the others: AND);
 * - a field it names gets the event's condition appended to its list (EventBridge reads a list as OR), unless the
 *   same condition is already there; conditions are never replaced.
 * The merged pattern is compiled and run against the event; when the existing pattern's other conditions (fields not
 * chosen, `$or` branches) reject the event, the answer says which, and nothing is merged.
 */
export function mergePatternInto(
  existing: unknown,
  generated: Record<string, unknown>,
  event: unknown,
  options: PatternFromEventOptions = {},
): PatternResult {
  if (existing === null || typeof existing !== 'object' || Array.isArray(existing))
    return { ok: false, message: 'The existing pattern is not a JSON object.' };
  const merged = structuredClone(existing) as Record<string, unknown>;
  for (const { keys, conditions } of conditionsOf(generated, [])) {
    const problem = addCondition(merged, keys, conditions);
    if (problem) return { ok: false, message: problem };
  }
  const result = checked(merged, event, options);
  if (result.ok) return result;
  return {
    ok: false,
    message: `${result.message} Choose the fields the existing pattern asks for too, so the event's values are added to them.`,
  };
}

/** The condition lists of a pattern value, with the keys leading to each. */
function conditionsOf(value: Record<string, unknown>, keys: string[]): { keys: string[]; conditions: unknown[] }[] {
  const out: { keys: string[]; conditions: unknown[] }[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) out.push({ keys: [...keys, k], conditions: v });
    else if (v !== null && typeof v === 'object') out.push(...conditionsOf(v as Record<string, unknown>, [...keys, k]));
  }
  return out;
}
