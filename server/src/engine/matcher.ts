// The reference matcher: one compiled pattern against one event, by the definition. Simple on purpose; the
// compiled many-rule matcher is held to the same answers by the differential tests.
//
// A sub-rule matches when every field finds a leaf value, all chosen leaves being array-consistent (no two from
// different elements of the same array). Fields are tried in sorted path order, as EventBridge walks them: this
// matters for `exists: false`, which is judged against the leaves chosen before it.

import type { CompiledPattern, FieldCondition, Matcher, NumericBound, SubRule } from './patternModel';
import { flattenNode, flattenValue, pathPrefixes, type EventValue, type FlatEvent, type Leaf, type Trail } from './eventModel';
import { ipInRange } from './ipAddress';
import { matchWildcard } from './wildcard';
import { endsWithIgnoreCase, equalsIgnoreCase, startsWithIgnoreCase } from './ignoreCase';
import type { AstNode } from './jsonAst';

/** Thrown when an event/pattern pair would need more than MATCH_STEP_BUDGET steps (hostile input). */
export class MatchBudgetExceeded extends Error {
  constructor() {
    super(`matching needed more than ${MATCH_STEP_BUDGET} steps (the event has too many array elements for this pattern)`);
  }
}

/** Bound on the search for array-consistent leaves, per sub-rule and event. */
export const MATCH_STEP_BUDGET = 2_000_000;

const exclusionSets = new WeakMap<object, Set<string | number>>();

/** Large anything-but lists are looked up in a Set (built once per matcher). */
function excluded(m: { readonly strings: readonly string[]; readonly numbers: readonly number[] }, v: string | number): boolean {
  const list = typeof v === 'string' ? m.strings : m.numbers;
  if (list.length < 16) return (list as readonly (string | number)[]).includes(v);
  let set = exclusionSets.get(m);
  if (!set) {
    set = new Set<string | number>([...m.strings, ...m.numbers]);
    exclusionSets.set(m, set);
  }
  return set.has(v);
}

function withinBound(v: number, lower: NumericBound | undefined, upper: NumericBound | undefined): boolean {
  if (lower && !(lower.inclusive ? v >= lower.value : v > lower.value)) return false;
  if (upper && !(upper.inclusive ? v <= upper.value : v < upper.value)) return false;
  return true;
}

/** Whether one leaf value satisfies one (non-`exists`) matcher. */
export function matchValue(m: Matcher, v: EventValue): boolean {
  switch (m.kind) {
    case 'exact-string':
      return v.t === 's' && v.v === m.value;
    case 'exact-number':
      return v.t === 'n' && (v.text === m.text || (m.value !== undefined && v.num !== undefined && v.num === m.value));
    case 'exact-literal':
      return m.value === 'null' ? v.t === 'null' : v.t === 'b' && String(v.v) === m.value;
    case 'ip':
    case 'cidr':
      return v.t === 's' && ipInRange(v.v, m.range);
    case 'prefix':
      return v.t === 's' && (m.ignoreCase ? startsWithIgnoreCase(v.v, m.value) : v.v.startsWith(m.value));
    case 'suffix':
      return v.t === 's' && (m.ignoreCase ? endsWithIgnoreCase(v.v, m.value) : v.v.endsWith(m.value));
    case 'equals-ignore-case':
      return v.t === 's' && equalsIgnoreCase(m.value, v.v);
    case 'wildcard':
      return v.t === 's' && matchWildcard(m.pattern, v.v);
    case 'numeric':
      return v.t === 'n' && v.num !== undefined && withinBound(v.num, m.lower, m.upper);
    case 'exists':
      return m.exists;
    case 'anything-but':
      if (v.t === 's') return !excluded(m, v.v);
      if (v.t === 'n') return v.num === undefined || !excluded(m, v.num);
      return true;
    case 'anything-but-prefix':
      return v.t !== 's' || !m.values.some((p) => v.v.startsWith(p));
    case 'anything-but-suffix':
      return v.t !== 's' || !m.values.some((p) => v.v.endsWith(p));
    case 'anything-but-equals-ignore-case':
      return v.t !== 's' || !m.values.some((p) => equalsIgnoreCase(p, v.v));
    case 'anything-but-wildcard':
      return v.t !== 's' || !m.patterns.some((p) => matchWildcard(p, v.v));
  }
}

/** Whether a leaf satisfies a field (any of its value matchers, `exists: true` included). */
export function leafSatisfies(field: FieldCondition, leaf: Leaf): boolean {
  for (const { matcher } of field.matchers) {
    if (matcher.kind === 'exists') {
      if (matcher.exists) return true;
      continue;
    }
    if (matchValue(matcher, leaf.value)) return true;
  }
  return false;
}

export function allowsAbsence(field: FieldCondition): boolean {
  return field.matchers.some(({ matcher }) => matcher.kind === 'exists' && !matcher.exists);
}

/** Array constraints chosen so far: array id → element index. */
type Constraints = Map<number, number>;

function consistent(trail: Trail | undefined, c: Constraints): boolean {
  for (let t = trail; t; t = t.parent) {
    const idx = c.get(t.arrayId);
    if (idx !== undefined && idx !== t.index) return false;
  }
  return true;
}

/** Does one sub-rule match? */
export function matchSubRule(rule: SubRule, event: FlatEvent): boolean {
  // Candidate leaves per field, filtered by value first (cheap, and most fields fail here).
  const candidates: Leaf[][] = [];
  for (const field of rule) {
    const leaves = event.leaves.get(field.path) ?? [];
    const ok = leaves.filter((l) => leafSatisfies(field, l));
    if (ok.length === 0 && !allowsAbsence(field)) return false;
    candidates.push(ok);
  }
  let steps = 0;
  const failed = new Set<string>();
  const constraints: Constraints = new Map();
  const keyOf = (i: number): string => {
    let k = `${i}`;
    for (const [a, idx] of constraints) k += `|${a}:${idx}`;
    return k;
  };
  const search = (i: number): boolean => {
    if (++steps > MATCH_STEP_BUDGET) throw new MatchBudgetExceeded();
    if (i === rule.length) return true;
    const field = rule[i];
    const memo = constraints.size > 0 ? keyOf(i) : undefined;
    if (memo !== undefined && failed.has(memo)) return false;
    for (const leaf of candidates[i]) {
      if (!consistent(leaf.trail, constraints)) continue;
      const added: number[] = [];
      for (let t = leaf.trail; t; t = t.parent) {
        if (!constraints.has(t.arrayId)) {
          constraints.set(t.arrayId, t.index);
          added.push(t.arrayId);
        }
      }
      const ok = search(i + 1);
      for (const a of added) constraints.delete(a);
      if (ok) return true;
    }
    if (allowsAbsence(field)) {
      const present = (event.leaves.get(field.path) ?? []).some((l) => consistent(l.trail, constraints));
      if (!present && search(i + 1)) return true;
    }
    if (memo !== undefined) failed.add(memo);
    return false;
  };
  return search(0);
}

export function matchFlat(pattern: CompiledPattern, event: FlatEvent): boolean {
  return pattern.rules.some((rule) => matchSubRule(rule, event));
}

const prefixCache = new WeakMap<CompiledPattern, Set<string>>();

export function wantedPaths(pattern: CompiledPattern): Set<string> {
  let set = prefixCache.get(pattern);
  if (!set) {
    set = pathPrefixes(pattern.paths);
    prefixCache.set(pattern, set);
  }
  return set;
}

/** Matches an already-parsed event (JSON.parse output). */
export function matchesValue(pattern: CompiledPattern, event: unknown): boolean {
  return matchFlat(pattern, flattenValue(event, wantedPaths(pattern)));
}

/** Matches an event parsed by our JSON parser (keeps number spellings and duplicate keys). */
export function matchesNode(pattern: CompiledPattern, event: AstNode): boolean {
  return matchFlat(pattern, flattenNode(event, wantedPaths(pattern)));
}
