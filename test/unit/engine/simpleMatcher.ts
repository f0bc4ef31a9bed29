// A deliberately simple, brute-force matcher for ONE pattern against ONE event, written from
// ../shared/conformance/SEMANTICS.md without looking at the engine. It exists only to be compared with the engine
// (differential.test.ts), so it favours obviousness over speed: flatten the event into leaves, expand `$or` into
// sub-rules, then try every array-consistent choice of leaves.
//
// Inputs are plain JS values: the pattern as JSON.parse of a VALID pattern (no validation happens here) and the
// event as JSON.parse of an event. Numbers are compared by value, which is right for numbers that are exactly
// representable as doubles (SEMANTICS §3.1/§3.2); callers generate only such numbers.

type Leaf = string | number | boolean | null;

/** One leaf value of the event with the array elements it sits in (array id → element index). */
interface EventField {
  readonly value: Leaf;
  readonly arrays: ReadonlyMap<number, number>;
}

/** One field of a sub-rule: the dotted path and the match array (OR of its elements). */
interface RuleField {
  readonly path: string;
  readonly conditions: readonly unknown[];
}

export function simpleMatches(pattern: unknown, event: unknown): boolean {
  const fields = flattenEvent(event);
  return expandRules(pattern, undefined).some((rule) => matchesRule(rule, fields));
}

// ---- the event (§2.4) ----------------------------------------------------------------------------------------

function flattenEvent(event: unknown): Map<string, EventField[]> {
  const out = new Map<string, EventField[]>();
  let nextArrayId = 0;
  // `path` is undefined at the top: the empty string is a legal key (§2.2).
  const walk = (value: unknown, path: string | undefined, arrays: ReadonlyMap<number, number>): void => {
    if (Array.isArray(value)) {
      const id = nextArrayId++;
      // Only structure inside an array records which element it is in: scalars of one array do not constrain
      // each other (§2.4).
      value.forEach((element, index) =>
        walk(
          element,
          path,
          element !== null && typeof element === 'object' ? new Map([...arrays, [id, index]]) : arrays,
        ),
      );
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value))
        walk(child, path === undefined ? key : `${path}.${key}`, arrays);
    } else if (path !== undefined) {
      const list = out.get(path) ?? [];
      list.push({ value: value as Leaf, arrays });
      out.set(path, list);
    }
  };
  walk(event, undefined, new Map());
  return out;
}

/** Two leaves can be used together unless they sit in different elements of the same array. */
function consistent(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): boolean {
  for (const [id, index] of a) {
    const other = b.get(id);
    if (other !== undefined && other !== index) return false;
  }
  return true;
}

// ---- the pattern (§2.2, §2.3) ----------------------------------------------------------------------------------

/** Expands `$or` into sub-rules (each an AND of fields); nested keys are joined with dots. */
function expandRules(node: unknown, prefix: string | undefined): RuleField[][] {
  let rules: RuleField[][] = [[]];
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    let alternatives: RuleField[][];
    if (key === '$or') {
      alternatives = (value as unknown[]).flatMap((branch) => expandRules(branch, prefix));
    } else {
      const path = prefix === undefined ? key : `${prefix}.${key}`;
      alternatives = Array.isArray(value) ? [[{ path, conditions: value }]] : expandRules(value, path);
    }
    rules = rules.flatMap((rule) => alternatives.map((alt) => [...rule, ...alt]));
  }
  return rules;
}

/**
 * Tries every array-consistent choice of one leaf per field, visiting fields in sorted path order. An
 * `exists:false` field is satisfied when no leaf of its path is consistent with the leaves chosen so far, which is
 * the order-dependent behaviour SEMANTICS §3.8 describes.
 */
function matchesRule(rule: readonly RuleField[], fields: ReadonlyMap<string, EventField[]>): boolean {
  const sorted = [...rule].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const search = (i: number, chosen: ReadonlyMap<number, number>): boolean => {
    if (i === sorted.length) return true;
    const { path, conditions } = sorted[i];
    const candidates = (fields.get(path) ?? []).filter((f) => consistent(f.arrays, chosen));
    for (const field of candidates) {
      if (conditions.some((c) => conditionMatches(c, field.value))) {
        if (search(i + 1, new Map([...chosen, ...field.arrays]))) return true;
      }
    }
    const allowsAbsence = conditions.some((c) => isObject(c) && c['exists'] === false);
    return allowsAbsence && candidates.length === 0 && search(i + 1, chosen);
  };
  return search(0, new Map());
}

// ---- one match-array element against one leaf value (§3) --------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function conditionMatches(condition: unknown, value: Leaf): boolean {
  if (!isObject(condition)) return exactMatches(condition as Leaf, value);
  const [name, operand] = Object.entries(condition)[0];
  switch (name) {
    case 'exactly':
      return value === operand;
    case 'prefix':
      return typeof value === 'string' && prefixMatches(operand, value);
    case 'suffix':
      return typeof value === 'string' && suffixMatches(operand, value);
    case 'equals-ignore-case':
      return typeof value === 'string' && ignoreCaseRegExp(operand as string, '^', '$').test(value);
    case 'wildcard':
      return typeof value === 'string' && wildcardRegExp(operand as string).test(value);
    case 'numeric':
      return typeof value === 'number' && numericMatches(operand as unknown[], value);
    case 'exists':
      return operand === true; // a leaf is there; `exists:false` is handled by absence in matchesRule
    case 'cidr':
      return typeof value === 'string' && cidrMatches(operand as string, value);
    case 'anything-but':
      return !anythingButExcludes(operand, value);
    default:
      throw new Error(`simpleMatcher: unknown operator ${name}`);
  }
}

function exactMatches(expected: Leaf, value: Leaf): boolean {
  if (typeof expected === 'string' && typeof value === 'string') {
    // An exact string that looks like an IP address matches any spelling of the same address (§3.1).
    const address = parseIpLike(expected);
    if (address) {
      const other = parseIpLike(value);
      return other !== undefined && other.family === address.family && other.value === address.value;
    }
  }
  return expected === value; // numbers by value, strings byte-wise, literals by identity
}

function prefixMatches(operand: unknown, value: string): boolean {
  if (typeof operand === 'string') return value.startsWith(operand);
  return ignoreCaseRegExp((operand as Record<string, string>)['equals-ignore-case'], '^', '').test(value);
}

function suffixMatches(operand: unknown, value: string): boolean {
  if (typeof operand === 'string') return value.endsWith(operand);
  return ignoreCaseRegExp((operand as Record<string, string>)['equals-ignore-case'], '', '$').test(value);
}

function numericMatches(expression: readonly unknown[], value: number): boolean {
  for (let i = 0; i < expression.length; i += 2) {
    const bound = expression[i + 1] as number;
    const ok = {
      '=': value === bound,
      '<': value < bound,
      '<=': value <= bound,
      '>': value > bound,
      '>=': value >= bound,
    }[expression[i] as '=' | '<' | '<=' | '>' | '>='];
    if (!ok) return false;
  }
  return true;
}

/** anything-but is type-blind: a value is excluded only by a listed value of the same kind (§3.7). */
function anythingButExcludes(operand: unknown, value: Leaf): boolean {
  if (!isObject(operand)) {
    const listed = Array.isArray(operand) ? operand : [operand];
    return listed.some((item) => item === value);
  }
  const [name, inner] = Object.entries(operand)[0];
  if (typeof value !== 'string') return false;
  const listed = (Array.isArray(inner) ? inner : [inner]) as string[];
  switch (name) {
    case 'prefix':
      return listed.some((p) => value.startsWith(p));
    case 'suffix':
      return listed.some((s) => value.endsWith(s));
    case 'equals-ignore-case':
      return listed.some((s) => ignoreCaseRegExp(s, '^', '$').test(value));
    case 'wildcard':
      return listed.some((w) => wildcardRegExp(w).test(value));
    default:
      throw new Error(`simpleMatcher: unknown anything-but operator ${name}`);
  }
}

// ---- strings: case folding and wildcards ------------------------------------------------------------------------

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Case-insensitive matching as event-ruler does it: each UTF-16 unit of the pattern matches its lower-case or its
 * upper-case form (so "ß" matches "ß" and "SS"). The regexp runs without the `u` flag, i.e. on UTF-16 units.
 */
function ignoreCaseRegExp(pattern: string, start: '^' | '', end: '$' | ''): RegExp {
  let body = '';
  for (let i = 0; i < pattern.length; i++) {
    const unit = pattern[i];
    const forms = [...new Set([unit.toLowerCase(), unit.toUpperCase()])].map(escapeRegExp);
    body += `(?:${forms.join('|')})`;
  }
  return new RegExp(`${start}${body}${end}`);
}

/** `*` is zero or more characters; `\*` and `\\` are a literal star and backslash (§3.6). */
function wildcardRegExp(pattern: string): RegExp {
  let body = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') body += escapeRegExp(pattern[++i]);
    else if (c === '*') body += '[\\s\\S]*';
    else body += escapeRegExp(c);
  }
  return new RegExp(`^${body}$`);
}

// ---- IP addresses (§3.1, §3.9) ----------------------------------------------------------------------------------

export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

const IPV4_LIKE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_LIKE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** Parses text of the two IP shapes SEMANTICS names; anything else (or an unparsable literal) is undefined. */
export function parseIpLike(text: string): IpAddress | undefined {
  if (IPV4_LIKE.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { family: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (IPV6_LIKE.test(text)) {
    const halves = text.split('::');
    if (halves.length > 2) return undefined;
    const groups = (half: string): string[] => (half === '' ? [] : half.split(':'));
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    const missing = 8 - head.length - tail.length;
    if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
    const all = [...head, ...Array<string>(missing).fill('0'), ...tail];
    if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return { family: 6, value: all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
  }
  return undefined;
}

function cidrMatches(cidr: string, value: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const network = parseIpLike(base)!;
  const address = parseIpLike(value);
  if (!address || address.family !== network.family) return false;
  const hostBits = BigInt((network.family === 4 ? 32 : 128) - Number(bits));
  return address.value >> hostBits === network.value >> hostBits;
}
