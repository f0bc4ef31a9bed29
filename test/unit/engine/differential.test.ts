// Differential, property-based test: the engine and an independent simple matcher (simpleMatcher.ts) must give the
// same answer on thousands of generated pattern/event pairs. Patterns are valid by construction (every operator,
// nesting, `$or`, dotted keys); events are built from the pattern's own paths and values, then mutated (case,
// numbers, dropped fields, arrays, arrays of objects, nulls, type swaps, dotted keys, number spellings) so that
// roughly half of the pairs match. Seeded, so CI is deterministic; FC_SEED / FC_RUNS explore further locally.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compilePattern, matchesEvent, matchesEventNode, parseEventText } from '../../../server/src/engine/index';
import { CompiledRuleSet } from '../../../server/src/engine/compiled/ruleSet';
import { parseIpLike, simpleMatches } from './simpleMatcher';

// ------------------------------------------------------------------------------------------------------------
// The implementations under comparison, each `(patternText, eventText) => boolean`. The first is the reference;
// a new matcher is one more entry.

export interface MatchImplementation {
  readonly name: string;
  readonly matches: (patternText: string, eventText: string) => boolean;
}

function engineCompile(patternText: string) {
  const compiled = compilePattern(patternText);
  if (!compiled.ok) throw new Error(`the engine rejects a generated pattern: ${compiled.error.message}`);
  return compiled.pattern;
}

const IMPLEMENTATIONS: readonly MatchImplementation[] = [
  { name: 'simple matcher', matches: (p, e) => simpleMatches(JSON.parse(p), JSON.parse(e)) },
  { name: 'engine matchesEvent (parsed value)', matches: (p, e) => matchesEvent(engineCompile(p), JSON.parse(e)) },
  {
    name: 'engine matchesEventNode (event text)',
    matches: (p, e) => {
      const parsed = parseEventText(e);
      if (!parsed.ok) throw new Error(`generated event does not parse: ${parsed.message}`);
      return matchesEventNode(engineCompile(p), parsed.event);
    },
  },
  {
    name: 'compiled rule set (one rule, event text)',
    matches: (p, e) => CompiledRuleSet.compile([{ name: 'rule', pattern: engineCompile(p) }]).matchText(e).length > 0,
  },
];

const SEED = Number(process.env['FC_SEED'] ?? 20261127);
const RUNS = Number(process.env['FC_RUNS'] ?? 4000);
// A failure's shrinking can be slow on big patterns: stop then and report the smallest case found so far.
const TIME_LIMIT = { interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true };

// ------------------------------------------------------------------------------------------------------------
// Values

type Leaf = string | number | boolean | null;

// Letters (and the legal empty key): dotted paths then sort the same segment by segment as whole (§3.8).
const KEYS = ['a', 'b', 'c', 'd', 'A', ''] as const;
// Includes letters whose case forms differ in length or map oddly (ß→SS, ẞ→ß, İ→i̇, Kelvin sign K→k, Σ/σ/ς).
// Left out on purpose: title-case letters such as ǅ and characters outside the BMP, where the engine deliberately
// departs from event-ruler's per-UTF-16-unit rule (§3.5): there a character matches only its lower/upper forms.
const STRING_UNITS = [
  'a',
  'b',
  'A',
  'B',
  'c',
  '-',
  '.',
  ' ',
  '0',
  '1',
  'é',
  'É',
  'ß',
  'ẞ',
  'İ',
  'i',
  '\u212a',
  'σ',
  'Σ',
  'ς',
];

const plainString = fc.oneof(
  fc.constantFrom('', 'a', 'ab', 'Abc', 'abc', 'x-y', 'é', 'É', 'ß', 'SS', 'a.b', 'a*b', 'a\\b'),
  fc.string({ unit: fc.constantFrom(...STRING_UNITS), maxLength: 5 }),
);
const nonEmptyString = plainString.filter((s) => s !== '');
const ipString = fc.constantFrom(
  '10.0.0.1',
  '192.168.1.20',
  '0.0.0.0',
  '255.255.255.255',
  '2001:db8::1',
  '::1',
  '2001:DB8:0:0:0:0:0:1',
  'fe80::a:b',
  '::',
);
// "Nice" numbers: exactly representable, shortest spelling round-trips (§3.2), no -0.
const niceNumber = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.constantFrom(0.5, -2.5, 0.1, 3.75, 100, 300, 1e9, -5e9, 0.001, 123456789, 6e9),
);

/** A valid wildcard: literals, `*` (never two in a row), `\*` and `\\`. */
const wildcardText = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('a', 'b', 'A', '.', '-', 'é', 'ß') },
      { weight: 3, arbitrary: fc.constant('*') },
      { weight: 1, arbitrary: fc.constantFrom('\\*', '\\\\') },
    ),
    { maxLength: 6 },
  )
  .map((tokens) => tokens.filter((t, i) => !(t === '*' && tokens[i - 1] === '*')).join(''));

const ipv4Value = fc.oneof(
  fc.constantFrom(0x0a000001n, 0xc0a80114n, 0n, 0xffffffffn, 0x7f000001n),
  fc.bigInt({ min: 0n, max: 0xffffffffn }),
);
const ipv6Value = fc.oneof(
  fc.constantFrom(0x20010db8000000000000000000000001n, 1n, 0n, 0xfe80000000000000000000000000000an),
  fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
);

function formatIpv4(value: bigint, leadingZeros = false): string {
  const parts = [24n, 16n, 8n, 0n].map((s) => String(Number((value >> s) & 255n)));
  return parts.map((p, i) => (leadingZeros && i === 3 ? `0${p}` : p)).join('.');
}

type Ipv6Style = 'compressed' | 'full' | 'padded' | 'upper';

function formatIpv6(value: bigint, style: Ipv6Style): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  if (style === 'full') return groups.join(':');
  if (style === 'padded') return groups.map((g) => g.padStart(4, '0')).join(':');
  // Compress the longest run of two or more zero groups.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const text =
    bestStart < 0
      ? groups.join(':')
      : `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
  return style === 'upper' ? text.toUpperCase() : text;
}

const cidr = fc.oneof(
  fc.tuple(ipv4Value, fc.integer({ min: 0, max: 31 })).map(([v, m]) => `${formatIpv4(v)}/${m}`),
  fc
    .tuple(ipv6Value, fc.integer({ min: 0, max: 127 }), fc.constantFrom<Ipv6Style>('compressed', 'full', 'upper'))
    .map(([v, m, style]) => `${formatIpv6(v, style)}/${m}`),
);

// ------------------------------------------------------------------------------------------------------------
// Pattern conditions (match-array elements), each valid by SEMANTICS §3

const oneOrList = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | T[]> =>
  fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 3 }));

const numericExpression = fc.oneof(
  fc.tuple(fc.constantFrom('=', '<', '<=', '>', '>='), niceNumber).map(([op, n]) => [op, n]),
  fc
    .tuple(fc.constantFrom('>', '>='), niceNumber, fc.constantFrom('<', '<='), niceNumber)
    .filter(([, lo, , hi]) => lo !== hi)
    .map(([gt, lo, lt, hi]) => [gt, Math.min(lo, hi), lt, Math.max(lo, hi)]),
);

const anythingBut = fc.oneof(
  plainString,
  niceNumber,
  fc.array(plainString, { minLength: 1, maxLength: 3 }),
  fc.array(niceNumber, { minLength: 1, maxLength: 3 }),
  oneOrList(nonEmptyString).map((v) => ({ prefix: v })),
  oneOrList(nonEmptyString).map((v) => ({ suffix: v })),
  oneOrList(nonEmptyString).map((v) => ({ 'equals-ignore-case': v })),
  oneOrList(wildcardText).map((v) => ({ wildcard: v })),
);

const condition: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: plainString },
  { weight: 1, arbitrary: ipString },
  { weight: 2, arbitrary: niceNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: plainString.map((s) => ({ prefix: s })) },
  { weight: 1, arbitrary: nonEmptyString.map((s) => ({ prefix: { 'equals-ignore-case': s } })) },
  { weight: 1, arbitrary: plainString.map((s) => ({ suffix: s })) },
  { weight: 1, arbitrary: nonEmptyString.map((s) => ({ suffix: { 'equals-ignore-case': s } })) },
  { weight: 1, arbitrary: plainString.map((s) => ({ 'equals-ignore-case': s })) },
  { weight: 2, arbitrary: wildcardText.map((w) => ({ wildcard: w })) },
  { weight: 3, arbitrary: anythingBut.map((v) => ({ 'anything-but': v })) },
  { weight: 3, arbitrary: numericExpression.map((e) => ({ numeric: e })) },
  { weight: 2, arbitrary: fc.boolean().map((b) => ({ exists: b })) },
  { weight: 2, arbitrary: cidr.map((c) => ({ cidr: c })) },
);

const conditions = fc.array(condition, { minLength: 1, maxLength: 3 });

// ------------------------------------------------------------------------------------------------------------
// Pattern structure: a tree with optional `$or` per object and optional dotted rendering of nested objects

interface GenNode {
  readonly entries: readonly GenEntry[];
  readonly or: readonly GenNode[] | null;
}
interface GenEntry {
  readonly key: string;
  readonly value: unknown[] | GenNode;
  /** Render `{"k": {"x": …}}` as `{"k.x": …}` (keys the nested object's `$or` keeps under `k`). */
  readonly dotted: boolean;
}

const nodeArbs = new Map<number, fc.Arbitrary<GenNode>>();
function genNode(depth: number): fc.Arbitrary<GenNode> {
  let arb = nodeArbs.get(depth);
  if (!arb) {
    const value: fc.Arbitrary<unknown[] | GenNode> =
      depth === 0
        ? conditions
        : fc.oneof({ weight: 2, arbitrary: conditions }, { weight: 1, arbitrary: genNode(depth - 1) });
    const entry = fc.record({ key: fc.constantFrom(...KEYS), value, dotted: fc.boolean() });
    arb = fc.record({
      entries: fc.uniqueArray(entry, { minLength: 1, maxLength: depth === 3 ? 3 : 2, selector: (e) => e.key }),
      or:
        depth === 0
          ? fc.constant(null)
          : fc.option(fc.array(genNode(depth - 1), { minLength: 2, maxLength: 3 }), { freq: 3 }),
    });
    nodeArbs.set(depth, arb);
  }
  return arb;
}

/** A field of the pattern as the event generator sees it: its path segments and match array. */
interface PatternLeaf {
  readonly segments: readonly string[];
  readonly conditions: readonly unknown[];
}

interface GeneratedPattern {
  readonly json: Record<string, unknown>;
  readonly leaves: readonly PatternLeaf[];
}

const isWildcard = (c: unknown): boolean => c !== null && typeof c === 'object' && 'wildcard' in c;

/**
 * Renders the tree as pattern JSON, dropping any field whose path repeats one of the same sub-rule (duplicate paths
 * are outside what the generator promises; `a` beside `a.b` is fine), empty objects and `$or`s left with fewer than
 * two branches. `used` collects every path this subtree can contribute, across all `$or` branches.
 */
function renderPattern(
  node: GenNode,
  prefix: readonly string[],
  used: Set<string>,
  leaves: PatternLeaf[],
  wildcardPaths: Set<string>,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const entry of node.entries) {
    const segments = [...prefix, entry.key];
    if (Array.isArray(entry.value)) {
      const path = segments.join('.');
      if (used.has(path)) continue;
      // Several wildcards on one path soon exceed AWS's wildcard-complexity limit (§3.6): keep one per path.
      const conds = entry.value.filter((c) => {
        if (!isWildcard(c)) return true;
        if (wildcardPaths.has(path)) return false;
        wildcardPaths.add(path);
        return true;
      });
      if (conds.length === 0) continue;
      used.add(path);
      leaves.push({ segments, conditions: conds });
      out[entry.key] = conds;
    } else {
      const child = renderPattern(entry.value, segments, used, leaves, wildcardPaths);
      if (!child) continue;
      if (!entry.dotted) {
        out[entry.key] = child;
        continue;
      }
      const { $or, ...fields } = child;
      for (const [k, v] of Object.entries(fields)) out[`${entry.key}.${k}`] = v;
      if ($or !== undefined) out[entry.key] = { $or };
    }
  }
  if (node.or) {
    const before = new Set(used);
    const branches: Record<string, unknown>[] = [];
    for (const branchNode of node.or) {
      const branchUsed = new Set(before);
      const branch = renderPattern(branchNode, prefix, branchUsed, leaves, wildcardPaths);
      branchUsed.forEach((p) => used.add(p));
      if (branch) branches.push(branch);
    }
    if (branches.length >= 2) out['$or'] = branches;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** How many sub-rules `$or` expands into (AWS allows at most 1000, §2.3). */
function combinations(node: Record<string, unknown>): number {
  let n = 1;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$or') n *= (value as Record<string, unknown>[]).reduce((sum, b) => sum + combinations(b), 0);
    else if (!Array.isArray(value)) n *= combinations(value as Record<string, unknown>);
  }
  return n;
}

const patternArb: fc.Arbitrary<GeneratedPattern> = genNode(3)
  .map((node) => {
    const leaves: PatternLeaf[] = [];
    const json = renderPattern(node, [], new Set(), leaves, new Set());
    return json ? { json, leaves } : { json: { a: ['x'] }, leaves: [{ segments: ['a'], conditions: ['x'] }] };
  })
  // AWS limits: 1000 sub-rules, 4096 characters (kept well below: big patterns only slow the search down).
  .filter((p) => combinations(p.json) <= 1000 && JSON.stringify(p.json).length <= 1500);

// ------------------------------------------------------------------------------------------------------------
// Events built from the pattern by a seeded generator (deterministic for a given pattern and seed, so shrinking
// the pattern keeps the event's shape decisions)

class Rng {
  private state: number;
  /**
   * @param mutationRate how often the builder deviates from a matching event (low: mostly matches)
   * @param label an event path: each place in the event draws from its own stream, so the event barely changes
   *   when shrinking removes other parts of the pattern
   */
  constructor(
    seed: number,
    readonly mutationRate: number,
    label = '',
  ) {
    let h = 0x811c9dc5 ^ seed;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    this.base = this.state = h >>> 0;
  }
  private readonly base: number;
  /** A fresh stream for a place below this one; independent of how much this stream has been used. */
  fork(label: string): Rng {
    return new Rng(this.base, this.mutationRate, label);
  }
  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  mutate(): boolean {
    return this.chance(this.mutationRate);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

const TAILS = ['', 'x', 'Ab', 'ß', '1'];
const RANDOM_LEAVES: readonly Leaf[] = ['a', 'x', '', 'A', 0, 5, 2.5, -1, true, false, null, '10.0.0.1', '5'];

function randomCase(s: string, rng: Rng): string {
  const mixed = [...s].map((c) => (rng.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join('');
  // Casing twice reaches forms one step does not (ß → SS → ss), which per-character case folding must reject.
  return rng.chance(0.2) ? randomCase(mixed, rng) : mixed;
}

/** Other spellings of an IP-looking string: the same address (exact IP matching, §3.1), or a neighbour. */
function ipSpellings(text: string, same: boolean): string[] {
  const ip = parseIpLike(text);
  if (!ip) return [];
  const value = same ? ip.value : ip.value ^ 1n;
  if (ip.family === 4) return same ? [formatIpv4(value), formatIpv4(value, true)] : [formatIpv4(value)];
  return (['compressed', 'full', 'padded', 'upper'] as const).map((s) => formatIpv6(value, s));
}

/** An instance of a wildcard: stars become short strings, escapes become their characters. */
function instantiateWildcard(w: string, rng: Rng): string {
  let out = '';
  for (let i = 0; i < w.length; i++) {
    if (w[i] === '\\') out += w[++i];
    else if (w[i] === '*') out += rng.pick(['', 'a', 'xy', '*', 'ß']);
    else out += w[i];
  }
  return out;
}

function cidrWitness(text: string, rng: Rng, faithful: boolean): Leaf {
  const [base, bits] = text.split('/') as [string, string];
  const ip = parseIpLike(base)!;
  const hostBits = BigInt((ip.family === 4 ? 32 : 128) - Number(bits));
  let value = ((ip.value >> hostBits) << hostBits) | (BigInt(rng.int(1 << 30)) & ((1n << hostBits) - 1n));
  const miss = faithful ? 'none' : rng.pick(['outside', 'outside', 'family', 'text'] as const);
  if (miss === 'outside' && Number(bits) > 0) {
    value ^= 1n << (hostBits + BigInt(rng.chance(0.5) ? 0 : rng.int(Number(bits)))); // just outside, often by one bit
  }
  if (miss === 'text') return rng.pick([base.replace(/[.:][^.:]*$/, ''), `${base}x`, 'abc']);
  // The other family with the same number: IPv4 and IPv6 are separate spaces (§3.9).
  if ((ip.family === 4) !== (miss === 'family')) return formatIpv4(value & 0xffffffffn, rng.chance(0.1));
  return formatIpv6(value, rng.pick(['compressed', 'full', 'padded', 'upper'] as const));
}

function numericWitness(expression: readonly unknown[], rng: Rng, faithful: boolean): Leaf {
  const [op, bound, , upper] = expression as [string, number, string?, number?];
  if (!faithful) {
    const b = rng.pick(upper === undefined ? [bound] : [bound, upper]);
    return rng.pick<Leaf>([b, b + 0.5, b - 0.5, b + 1, b - 1, String(b), null]);
  }
  if (upper !== undefined) return rng.pick([(bound + upper) / 2, op === '>=' ? bound : upper]);
  const offsets: Record<string, number[]> = { '=': [0], '<': [-1, -0.5], '<=': [0, -1], '>': [1, 0.5], '>=': [0, 2] };
  return bound + rng.pick(offsets[op]);
}

/** An event value for one condition: a matching one when `faithful`, else a near miss (which may still match). */
function witness(cond: unknown, rng: Rng, faithful: boolean): Leaf {
  const tail = rng.pick(TAILS);
  if (typeof cond === 'string') {
    if (faithful) return rng.pick([cond, ...ipSpellings(cond, true)]);
    return rng.pick([
      randomCase(cond, rng),
      cond.toUpperCase(),
      cond + tail,
      cond.slice(1),
      ...ipSpellings(cond, false),
    ]);
  }
  if (typeof cond === 'number') {
    return faithful ? cond : rng.pick<Leaf>([cond + 1, cond - 1, cond + 0.5, cond - 0.5, String(cond), -cond || 0]);
  }
  if (cond === null || typeof cond === 'boolean')
    return faithful ? cond : rng.pick<Leaf>([!cond, String(cond), null, 0]);
  const [name, operand] = Object.entries(cond as Record<string, unknown>)[0];
  switch (name) {
    case 'prefix':
    case 'suffix': {
      const ignoreCase = typeof operand !== 'string';
      const s = ignoreCase ? (operand as Record<string, string>)['equals-ignore-case'] : operand;
      const body = ignoreCase ? randomCase(s, rng) : s;
      if (faithful) return name === 'prefix' ? body + tail : tail + body;
      return rng.pick<Leaf>([
        name === 'prefix' ? `x${body}` : `${body}x`,
        name === 'prefix' ? body.slice(0, -1) + tail : tail + body.slice(1),
        randomCase(s, rng) + tail,
        7,
        null,
      ]);
    }
    case 'equals-ignore-case': {
      const s = operand as string;
      return faithful
        ? rng.pick([randomCase(s, rng), s.toUpperCase()])
        : rng.pick<Leaf>([`${s}x`, s.slice(1), `x${s}`, 5]);
    }
    case 'wildcard': {
      const instance = instantiateWildcard(operand as string, rng);
      return faithful ? instance : rng.pick<Leaf>([`${instance}q`, randomCase(instance, rng), instance.slice(1), 3]);
    }
    case 'numeric':
      return numericWitness(operand as unknown[], rng, faithful);
    case 'exists':
      return rng.pick(RANDOM_LEAVES);
    case 'cidr':
      return cidrWitness(operand as string, rng, faithful);
    case 'anything-but': {
      // A near miss of an excluded value is usually not excluded, and vice versa.
      if (faithful && rng.chance(0.3)) return rng.pick(RANDOM_LEAVES);
      if (operand !== null && typeof operand === 'object' && !Array.isArray(operand)) {
        const [inner, listed] = Object.entries(operand as Record<string, unknown>)[0];
        const one = Array.isArray(listed) ? (rng.pick(listed) as string) : (listed as string);
        return witness({ [inner]: one }, rng, !faithful);
      }
      return witness(rng.pick(Array.isArray(operand) ? operand : [operand]), rng, !faithful);
    }
    default:
      throw new Error(`no witness for ${name}`);
  }
}

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  conditions: unknown[] | undefined; // set on the pattern's leaves (noise leaves have none)
}

function leafValue(node: TrieNode, rng: Rng): Leaf {
  const conds = node.conditions;
  return conds && conds.length > 0 ? witness(rng.pick(conds), rng, !rng.mutate()) : rng.pick(RANDOM_LEAVES);
}

/** A leaf position: the value, or the value among others in an array; mutated: empty structures, null, objects. */
function renderLeaf(node: TrieNode, rng: Rng): unknown {
  const v = leafValue(node, rng);
  if (!rng.mutate()) {
    const r = rng.next();
    if (r < 0.6) return v;
    if (r < 0.75) return [v, leafValue(node, rng)];
    if (r < 0.85) return [leafValue(node, rng), v];
    if (r < 0.9) return [v];
    if (r < 0.95) return [[v, leafValue(node, rng)]];
    return [v, { z: v }];
  }
  return rng.pick([[], {}, { z: v }, null, [leafValue(node, rng)], leafValue(node, rng)]);
}

/** A place that is both a leaf and an object (pattern paths `a` and `a.b`): a scalar and an object in one array. */
function renderNode(node: TrieNode, rng: Rng): unknown {
  if (node.children.size === 0) return renderLeaf(node, rng);
  if (node.conditions === undefined) return renderObject(node, rng);
  const both = [renderLeaf(node, rng), renderObject(node, rng.fork('object'))];
  return rng.chance(0.5) ? both : both.reverse();
}

function renderObject(node: TrieNode, parentRng: Rng): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of node.children) {
    const rng = parentRng.fork(key);
    if (child.children.size === 0) {
      out[key] = renderLeaf(child, rng);
    } else if (child.conditions !== undefined) {
      if (rng.chance(0.5)) {
        out[key] = renderNode(child, rng);
      } else {
        out[key] = renderLeaf(child, rng); // `a` holds the value, `a.b` keys the fields below it
        for (const [k, v] of Object.entries(renderObject(child, rng.fork('object')))) out[`${key}.${k}`] = v;
      }
    } else if (rng.chance(0.4)) {
      // An array of objects, which is what array consistency (§2.4) is about: the fields go together into one
      // element, or (scattered) each into any element; other elements get some fields with fresh values.
      const elements: Record<string, unknown>[] = Array.from({ length: 1 + rng.int(3) }, () => ({}));
      const main = rng.int(elements.length);
      const scattered = rng.chance(0.3);
      for (const [k, grandchild] of child.children) {
        const home = scattered ? rng.int(elements.length) : main;
        elements.forEach((element, i) => {
          if (i === home || rng.chance(0.3)) element[k] = renderNode(grandchild, rng.fork(`${i}.${k}`));
        });
      }
      out[key] = elements;
    } else if (rng.chance(0.2)) {
      for (const [k, v] of Object.entries(renderObject(child, rng))) out[`${key}.${k}`] = v; // dotted event keys
    } else {
      out[key] = renderObject(child, rng);
    }
  }
  return out;
}

function insertPath(root: TrieNode, segments: readonly string[], conds: readonly unknown[] | undefined): void {
  let node = root;
  for (let i = 0; i < segments.length; i++) {
    let next = node.children.get(segments[i]);
    if (!next) {
      next = { children: new Map(), conditions: undefined };
      node.children.set(segments[i], next);
    }
    node = next;
  }
  node.conditions = [...(node.conditions ?? []), ...(conds ?? [])]; // noise leaves: no conditions
}

/** A JSON string literal, sometimes with `\uXXXX` escapes: the parsers must decode them. */
function stringText(s: string, rng: Rng): string {
  if (!rng.chance(0.1)) return JSON.stringify(s);
  const body = [...s].map((c) =>
    rng.chance(0.5) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(c).slice(1, -1),
  );
  return `"${body.join('')}"`;
}

/**
 * JSON text with some numbers re-spelt (300 → 300.0, 3e2 …; the engine must match numbers by value, §3.1) and some
 * strings escaped.
 */
function toJsonText(value: unknown, rng: Rng): string {
  if (typeof value === 'number') {
    const s = String(value);
    if (!rng.chance(0.2)) return s;
    const variants = s.includes('e') ? [s.replace('e', 'E')] : [`${s}e0`, `${s}E0`];
    variants.push(Number.isInteger(value) ? `${s}.0` : `${s}0`);
    return rng.pick(variants);
  }
  if (Array.isArray(value)) return `[${value.map((v) => toJsonText(v, rng)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${stringText(k, rng)}:${toJsonText(v, rng)}`)
      .join(',')}}`;
  }
  return typeof value === 'string' ? stringText(value, rng) : JSON.stringify(value);
}

const allowsAbsence = (conds: readonly unknown[]): boolean =>
  conds.some((c) => c !== null && typeof c === 'object' && (c as Record<string, unknown>)['exists'] === false);

function buildEventText(pattern: GeneratedPattern, seed: number): string {
  const rng = new Rng(seed, new Rng(seed, 0).pick([0.02, 0.06, 0.15, 0.4]));
  const root: TrieNode = { children: new Map(), conditions: undefined };
  for (const leaf of pattern.leaves) {
    const leafRng = rng.fork(leaf.segments.join('.'));
    const absent = allowsAbsence(leaf.conditions)
      ? leafRng.chance(0.5) !== leafRng.mutate()
      : leafRng.mutate() && leafRng.chance(0.5);
    if (!absent) insertPath(root, leaf.segments, leaf.conditions);
  }
  const noise = rng.int(3);
  for (let i = 0; i < noise; i++) {
    insertPath(
      root,
      Array.from({ length: 1 + rng.int(3) }, () => rng.pick([...KEYS, 'z'])),
      undefined,
    );
  }
  return toJsonText(renderObject(root, rng), rng);
}

interface GeneratedCase {
  readonly patternText: string;
  readonly eventText: string;
}

const caseArb: fc.Arbitrary<GeneratedCase> = fc.tuple(patternArb, fc.integer()).map(([pattern, seed]) => {
  const respelt = toJsonText(pattern.json, new Rng(seed, 0, 'pattern text'));
  return {
    patternText: respelt.length <= 4096 ? respelt : JSON.stringify(pattern.json),
    eventText: buildEventText(pattern, seed),
  };
});

// ------------------------------------------------------------------------------------------------------------

/** Worked examples from SEMANTICS.md, which every implementation (the reference above all) must get right. */
const WORKED_EXAMPLES: readonly [pattern: string, event: string, matches: boolean][] = [
  // §2.4 array consistency; §3.8 exists:false is checked in sorted path order
  ['{"d":{"a":["1"],"b":["2"]}}', '{"d":[{"a":"1"},{"b":"2"}]}', false],
  ['{"d":{"a":["1"],"b":["2"]}}', '{"d":[{"a":"1","b":"2"}]}', true],
  ['{"d":{"a":[{"exists":false}],"b":[{"exists":true}]}}', '{"d":[{"a":1},{"b":2}]}', false],
  ['{"d":{"z":[{"exists":false}],"b":[{"exists":true}]}}', '{"d":[{"z":1},{"b":2}]}', true],
  // §2.2 dotted keys, both ways
  ['{"a.b":["x"]}', '{"a":{"b":"x"}}', true],
  ['{"a":{"b":["x"]}}', '{"a.b":"x"}', true],
  // §3.1 numbers by value, IP-looking strings by address
  ['{"n":[300]}', '{"n":3.0e2}', true],
  ['{"ip":["2001:db8::1"]}', '{"ip":"2001:0db8:0:0:0:0:0:1"}', true],
  ['{"ip":["10.0.0.1"]}', '{"ip":"10.0.0.01"}', true],
  // §3.3-3.6 string operators
  ['{"s":[{"prefix":""}]}', '{"s":5}', false],
  ['{"s":[{"wildcard":"*"}]}', '{"s":""}', true],
  ['{"s":[{"wildcard":""}]}', '{"s":"a"}', false],
  ['{"s":[{"wildcard":"a\\\\*b"}]}', '{"s":"a*b"}', true],
  ['{"s":[{"wildcard":"a\\\\*b"}]}', '{"s":"axb"}', false],
  ['{"s":[{"equals-ignore-case":"ß"}]}', '{"s":"SS"}', true],
  ['{"s":[{"equals-ignore-case":"ß"}]}', '{"s":"ss"}', false],
  // §3.7 anything-but
  ['{"s":[{"anything-but":["x"]}]}', '{"s":["x","y"]}', true],
  ['{"s":[{"anything-but":["x","y"]}]}', '{"s":["x","y"]}', false],
  ['{"s":[{"anything-but":"x"}]}', '{"t":"y"}', false],
  ['{"s":[{"anything-but":"x"}]}', '{"s":null}', true],
  ['{"s":[{"anything-but":123}]}', '{"s":"123"}', true],
  ['{"s":[{"anything-but":{"wildcard":""}}]}', '{"s":"a"}', true],
  // §3.2 numeric, §3.8 exists, §3.9 cidr
  ['{"n":[{"numeric":[">",6e9]}]}', '{"n":7e9}', true],
  ['{"n":[{"numeric":[">",1]}]}', '{"n":"5"}', false],
  ['{"e":[{"exists":true}]}', '{"e":{}}', false],
  ['{"e":[{"exists":true}]}', '{"e":[]}', false],
  ['{"e":[{"exists":true}]}', '{"e":null}', true],
  ['{"e":[{"exists":false}]}', '{"e":{"f":1}}', true],
  ['{"ip":[{"cidr":"10.0.0.0/24"}]}', '{"ip":"10.0.0.255"}', true],
  ['{"ip":[{"cidr":"10.0.0.0/24"}]}', '{"ip":"10.0.1.0"}', false],
  ['{"ip":[{"cidr":"0.0.0.0/0"}]}', '{"ip":"::a00:1"}', false],
];

void describe('engine vs. the simple matcher (differential, property-based)', () => {
  void it('every implementation gets the worked examples of SEMANTICS.md right', () => {
    for (const [pattern, event, expected] of WORKED_EXAMPLES) {
      for (const impl of IMPLEMENTATIONS) {
        assert.equal(impl.matches(pattern, event), expected, `${impl.name}: ${pattern} vs ${event}`);
      }
    }
  });

  void it('every generated pattern compiles', () => {
    fc.assert(
      fc.property(patternArb, (p) => {
        const compiled = compilePattern(JSON.stringify(p.json));
        assert.ok(compiled.ok, compiled.ok ? '' : compiled.error.message);
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 4), includeErrorInReport: true, ...TIME_LIMIT },
    );
  });

  void it('generated pairs are a fair mix of matches and non-matches', (t) => {
    const sample = fc.sample(caseArb, { seed: SEED + 1, numRuns: 1000 });
    const matched = sample.filter((c) => simpleMatches(JSON.parse(c.patternText), JSON.parse(c.eventText))).length;
    t.diagnostic(`${matched} of ${sample.length} sampled pairs match`);
    assert.ok(matched > 300 && matched < 700, `${matched} of 1000 match`);
  });

  void it(`all implementations agree on ${RUNS} generated pairs`, () => {
    fc.assert(
      fc.property(caseArb, ({ patternText, eventText }) => {
        const answers = IMPLEMENTATIONS.map((impl) => ({
          name: impl.name,
          answer: impl.matches(patternText, eventText),
        }));
        const reference = answers[0];
        for (const other of answers.slice(1)) {
          assert.equal(
            other.answer,
            reference.answer,
            `${other.name} says ${other.answer}, ${reference.name} says ${reference.answer}`,
          );
        }
      }),
      { seed: SEED, numRuns: RUNS, includeErrorInReport: true, ...TIME_LIMIT },
    );
  });

  // One rule per set above; here many generated rules share one set (shared nodes, one value table, merged
  // edges), and every event is matched against all of them at once.
  void it(`a compiled set of many generated rules names exactly the rules the simple matcher matches`, () => {
    fc.assert(
      fc.property(fc.array(caseArb, { minLength: 2, maxLength: 24 }), (cases) => {
        const set = CompiledRuleSet.compile(cases.map((c, i) => ({ name: `r${i}`, pattern: engineCompile(c.patternText) })));
        for (const { eventText } of cases) {
          const event: unknown = JSON.parse(eventText);
          const want = cases.flatMap((c, i) => (simpleMatches(JSON.parse(c.patternText), event) ? [`r${i}`] : []));
          assert.deepEqual(set.matchText(eventText), want, eventText);
        }
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 20), includeErrorInReport: true, ...TIME_LIMIT },
    );
  });
});
