// Many rules, one event: every sub-rule of every pattern is compiled into one trie whose edges are (field path,
// condition), as event-ruler does. Rules that start alike share nodes, and each node indexes its outgoing
// conditions by value (one hash table for every exact value in the set, per-length maps for prefixes and
// suffixes, sorted intervals for numeric ranges), so an event visits only the nodes its values reach: the cost per
// event grows with what matches, not with the number of rules.
//
// The trie is built with maps and objects, then frozen into flat typed arrays: with 10,000 rules an event's walk
// touches a few cache lines instead of chasing pointers through tens of megabytes of small objects, which is where
// the time went. Events are read only along the paths some rule uses, by direct key lookups, into reused arrays.
// The reference matcher (../matcher.ts) stays the definition; the differential tests hold this one to its answers.

import type { CompiledPattern, FieldCondition, Matcher, SubRule } from '../patternModel';
import { matchValue } from '../matcher';
import type { EventValue, Trail } from '../eventModel';
import { comparableNumber } from '../numbers';
import { parseJson } from '../jsonParser';
import type { AstNode } from '../jsonAst';

/** A value as the compiled matcher sees it: the JS value plus, for numbers from text, the spelling. */
type Scalar = string | number | boolean | null;

// ---- building ---------------------------------------------------------------------------------------------

interface Interval {
  readonly lo: number;
  readonly loIn: boolean;
  readonly hi: number;
  readonly hiIn: boolean;
  readonly next: number;
}

/** The conditions on one path leaving one node, while building. Node lists hold node ids. */
class BuildEdges {
  // Each index exists only when some condition needs it: most edge sets hold one exact value.
  strings: Map<string, number[]> | undefined;
  /** Exact numbers by value. */
  numbers: Map<number, number[]> | undefined;
  /** Exact numbers by spelling (the only way to match numbers that are not doubles). */
  numberTexts: Map<string, number[]> | undefined;
  literals: Map<'true' | 'false' | 'null', number[]> | undefined;
  /** Prefixes grouped by length: value.slice(0, len) → nodes. */
  prefixes: Map<number, Map<string, number[]>> | undefined;
  suffixes: Map<number, Map<string, number[]>> | undefined;
  intervals: Interval[] | undefined;
  /** Conditions checked one by one (anything-but, wildcard, cidr, ignore-case, ...). */
  others: { matcher: Matcher; next: number }[] | undefined;
  /** `exists: true`. */
  present: number[] | undefined;
  /** `exists: false`. */
  absent: number[] | undefined;
}

class BuildNode {
  /**
   * Children by single exact string, per path id: the commonest condition gets nodes shared without building a
   * condition key, and its edge entry is made straight from this map when the trie is frozen.
   */
  exact: Map<number, Map<string, number>> | undefined;
  /** Children by condition key, for every other condition. */
  children: Map<string, number> | undefined;
  /** Outgoing edges of the other conditions, per path id. */
  edges: Map<number, BuildEdges> | undefined;
  /** Rules (indices) whose last field ends here. */
  accepts: number[] | undefined;
}

/** What is left per edge once exact values and `exists` move to the flat tables: checked by `stepSlow`. */
class SlowEdges {
  numberTexts: Map<string, number[]> | undefined;
  literals: Map<'true' | 'false' | 'null', number[]> | undefined;
  prefixLens: number[] = [];
  prefixMaps: Map<string, number[]>[] = [];
  suffixLens: number[] = [];
  suffixMaps: Map<string, number[]>[] = [];
  /** Sorted distinct interval bounds, and the nodes of the intervals covering each elementary segment. */
  bounds: number[] = [];
  segments: number[][] = [];
  others: { matcher: Matcher; next: number }[] | undefined;

  constructor(e: BuildEdges) {
    this.numberTexts = e.numberTexts;
    this.literals = e.literals;
    for (const [len, map] of e.prefixes ?? []) {
      this.prefixLens.push(len);
      this.prefixMaps.push(map);
    }
    for (const [len, map] of e.suffixes ?? []) {
      this.suffixLens.push(len);
      this.suffixMaps.push(map);
    }
    this.others = e.others;
    if (e.intervals) this.indexIntervals(e.intervals);
  }

  static needed(e: BuildEdges): boolean {
    return !!(e.numberTexts || e.literals || e.prefixes || e.suffixes || e.intervals || e.others);
  }

  private indexIntervals(intervals: readonly Interval[]): void {
    // Elementary segments between sorted distinct bounds: below every bound; then for each bound k, the point
    // pts[k] and the open gap (pts[k], pts[k+1]); then above every bound. Each holds the nodes of every interval
    // covering it.
    const pts = [...new Set(intervals.flatMap((i) => [i.lo, i.hi]))].sort((a, b) => a - b);
    const atPoint = (x: number): number[] =>
      intervals
        .filter((iv) => (iv.loIn ? x >= iv.lo : x > iv.lo) && (iv.hiIn ? x <= iv.hi : x < iv.hi))
        .map((iv) => iv.next);
    const inGap = (a: number, b: number): number[] =>
      intervals.filter((iv) => iv.lo <= a && iv.hi >= b).map((iv) => iv.next);
    const segs: number[][] = [intervals.filter((iv) => iv.lo === -Infinity).map((iv) => iv.next)];
    for (let k = 0; k < pts.length; k++) {
      segs.push(atPoint(pts[k]));
      if (k + 1 < pts.length) segs.push(inGap(pts[k], pts[k + 1]));
    }
    segs.push(intervals.filter((iv) => iv.hi === Infinity).map((iv) => iv.next));
    this.bounds = pts;
    this.segments = segs;
  }

  /** Nodes of intervals containing x. */
  intervalHits(x: number): readonly number[] {
    const b = this.bounds;
    if (b.length === 0) return NO_IDS;
    if (x < b[0]) return this.segments[0];
    if (x > b[b.length - 1]) return this.segments[this.segments.length - 1];
    let lo = 0;
    let hi = b.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (b[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    // b[lo] <= x
    return x === b[lo] ? this.segments[1 + 2 * lo] : this.segments[2 + 2 * lo];
  }
}

const NO_IDS: readonly number[] = [];
const NO_EDGES = new BuildEdges();

/** Node lists and exact-table entries (edge, value key, offset, length) as the trie is frozen. */
interface FreezeOutput {
  readonly targets: number[];
  readonly entries: number[];
}

/** A trie over the event's keys, for reading only the paths rules use. */
class PathTrie {
  /** Keys to look up in an object at this level (single segments and dotted runs), with the trie below. */
  readonly keys = new Map<string, PathTrie>();
  pathId = -1;
  /** The keys as arrays (refreshed when a path is added). */
  keyList: string[] = [];
  childList: PathTrie[] = [];
  /** Keys an object inherits (`constructor`, `__proto__`...): only own properties count. */
  inherited: boolean[] = [];
}

function pushTo<K>(map: Map<K, number[]>, key: K, node: number): Map<K, number[]> {
  const list = map.get(key);
  if (list) {
    if (!list.includes(node)) list.push(node);
  } else map.set(key, [node]);
  return map;
}

/** A string that is equal for equal matchers (used to share trie nodes between rules). */
function matcherKey(m: Matcher): string {
  switch (m.kind) {
    case 'exact-string':
      return `s${m.value}`;
    case 'exact-number':
      return `n${m.text}`;
    case 'exact-literal':
      return `l${m.value}`;
    case 'ip':
    case 'cidr':
      return `${m.kind}${m.text}`;
    case 'prefix':
    case 'suffix':
      return `${m.kind}${m.ignoreCase ? 'i' : ''}:${m.value}`;
    case 'equals-ignore-case':
    case 'wildcard':
      return `${m.kind}:${m.value}`;
    case 'numeric':
      return `r${m.lower ? `${m.lower.inclusive ? '[' : '('}${m.lower.value}` : '-'},${m.upper ? `${m.upper.value}${m.upper.inclusive ? ']' : ')'}` : '+'}`;
    case 'exists':
      return m.exists ? 'e1' : 'e0';
    case 'anything-but':
      return `ab${JSON.stringify(m.strings)}${JSON.stringify(m.numbers)}`;
    default:
      return `${m.kind}${JSON.stringify(m.values)}`;
  }
}

function conditionKey(field: FieldCondition): string {
  const ms = field.matchers;
  if (ms.length === 1) return `${field.path}\u0000${matcherKey(ms[0].matcher)}`;
  const keys = ms.map(({ matcher }) => matcherKey(matcher)).sort();
  return `${field.path}\u0000${keys.join('\u0001')}`;
}

// ---- the frozen form --------------------------------------------------------------------------------------

const EDGE_STRINGS = 1;
const EDGE_NUMBERS = 2;
const EDGE_SLOW = 4;
/** A leaf whose interned value id has not been looked up yet. */
const SID_UNKNOWN = -2;
/** Per-event arrays grown past this many entries by a large event are released before the next one. */
const MAX_KEPT_LEAVES = 1 << 16;
/** More needles than this and the raw-text prefilter would cost more than it saves. */
const MAX_NEEDLES = 4;

export interface NamedPattern {
  readonly name: string;
  readonly pattern: CompiledPattern;
}

export class CompiledRuleSet {
  private readonly names: string[] = [];
  private readonly pathIds = new Map<string, number>();
  private readonly pathTrie = new PathTrie();
  private sealed = false;
  /** True when some exact number is not a double: such matches need the event's number spellings. */
  private needsNumberText = false;

  // Building (dropped by seal).
  private build: BuildNode[] = [new BuildNode()];
  /**
   * Raw-text prefilter: every sub-rule has a field that needs one of a few exact strings (or prefixes), so an
   * event whose text holds none of their JSON spellings, and no escapes, cannot match. Undefined once some
   * sub-rule has no such field.
   */
  private needles: Set<string> | undefined = new Set();

  // Frozen trie. Node 0 is the root; node n's accepted rules are acceptList[acceptStart[n] .. acceptStart[n+1])
  // and its edges are edge ids edgeStart[n] .. edgeStart[n+1]. Node lists are ranges of `targets`.
  private acceptStart = new Int32Array(2);
  private acceptList = new Int32Array(0);
  private edgeStart = new Int32Array(2);
  private edgePath = new Int32Array(0);
  private edgeFlags = new Uint8Array(0);
  private presentOff = new Int32Array(0);
  private presentLen = new Int32Array(0);
  private absentOff = new Int32Array(0);
  private absentLen = new Int32Array(0);
  private slow: (SlowEdges | undefined)[] = [];
  private targets = new Int32Array(0);
  /** Interned exact values: every exact string / number any rule names gets a small id. */
  private readonly stringIds = new Map<string, number>();
  private readonly numberIds = new Map<number, number>();
  /**
   * Open-addressing table over (edge id, value key) → a range of targets, four ints per slot: edge (-1: empty),
   * value key (string id × 2, or number id × 2 + 1), offset, length.
   */
  private exact = new Int32Array(4).fill(-1);
  private exactMask = 0;

  // Per-event scratch, reused. Leaves are parallel arrays; each path's leaves form a list through leafNext.
  private epoch = 0;
  private nodeEpoch = new Int32Array(1);
  private pathEpoch = new Int32Array(0);
  private pathHead = new Int32Array(0);
  private ruleStamp = new Int32Array(0);
  private leafCount = 0;
  private leafV: Scalar[] = [];
  private leafText: (string | undefined)[] = [];
  private leafTrail: (Trail | undefined)[] = [];
  private leafNext = new Int32Array(0);
  private leafSid = new Int32Array(0);
  private constrained = false;
  private nextArrayId = 0;
  private queue = new Int32Array(1);
  private queueLength = 0;
  private hits: number[] = [];
  private stackV: unknown[] = [];
  private stackTrie: PathTrie[] = [];
  private stackTrail: (Trail | undefined)[] = [];

  static compile(rules: readonly NamedPattern[]): CompiledRuleSet {
    const set = new CompiledRuleSet();
    for (const r of rules) set.add(r.name, r.pattern);
    set.seal();
    return set;
  }

  get size(): number {
    return this.names.length;
  }

  add(name: string, pattern: CompiledPattern): void {
    if (this.sealed) throw new Error('CompiledRuleSet is sealed');
    const index = this.names.length;
    this.names.push(name);
    for (const sub of pattern.rules) this.addSubRule(index, sub);
  }

  private pathId(path: string): number {
    let id = this.pathIds.get(path);
    if (id === undefined) {
      id = this.pathIds.size;
      this.pathIds.set(path, id);
      // Register every way the path can be spelled in an event: each split into dotted runs.
      const segs = path.split('.');
      const insert = (trie: PathTrie, from: number): void => {
        for (let to = from + 1; to <= segs.length; to++) {
          const key = segs.slice(from, to).join('.');
          let child = trie.keys.get(key);
          if (!child) {
            child = new PathTrie();
            trie.keys.set(key, child);
            trie.keyList = [...trie.keys.keys()];
            trie.childList = [...trie.keys.values()];
            trie.inherited = trie.keyList.map((k) => k in Object.prototype);
          }
          if (to === segs.length) child.pathId = id!;
          else insert(child, to);
        }
      };
      insert(this.pathTrie, 0);
    }
    return id;
  }

  private addSubRule(ruleIndex: number, sub: SubRule): void {
    this.addNeedles(sub);
    // Rules that start alike share nodes: a node's child is found by its condition.
    let node = 0;
    for (const field of orderFields(sub)) {
      const b = this.build[node];
      const only = field.matchers.length === 1 ? field.matchers[0].matcher : undefined;
      let next: number | undefined;
      if (only?.kind === 'exact-string') {
        const pid = this.pathId(field.path);
        b.exact ??= new Map();
        let byValue = b.exact.get(pid);
        if (!byValue) b.exact.set(pid, (byValue = new Map<string, number>()));
        next = byValue.get(only.value);
        if (next === undefined) {
          next = this.newNode();
          byValue.set(only.value, next);
        }
      } else {
        const key = conditionKey(field);
        b.children ??= new Map();
        next = b.children.get(key);
        if (next === undefined) {
          next = this.newNode();
          b.children.set(key, next);
          this.addEdges(b, field, next);
        }
      }
      node = next;
    }
    const b = this.build[node];
    if (!b.accepts) b.accepts = [ruleIndex];
    else if (!b.accepts.includes(ruleIndex)) b.accepts.push(ruleIndex);
  }

  private newNode(): number {
    this.build.push(new BuildNode());
    return this.build.length - 1;
  }

  /** Picks the sub-rule's field with the fewest exact strings or prefixes, for the raw-text prefilter. */
  private addNeedles(sub: SubRule): void {
    if (!this.needles) return;
    let best: string[] | undefined;
    for (const field of sub) {
      const spellings: string[] = [];
      for (const { matcher: m } of field.matchers) {
        // Raw, not JSON-escaped: the prefilter only rejects texts without escapes, where values are spelled raw.
        if (m.kind === 'exact-string') spellings.push(`"${m.value}"`);
        else if (m.kind === 'prefix' && !m.ignoreCase) spellings.push(`"${m.value}`);
        else {
          spellings.length = 0;
          break;
        }
      }
      if (spellings.length === 0) continue;
      const shortest = (xs: string[]): number => xs.reduce((min, x) => Math.min(min, x.length), Infinity);
      if (!best || spellings.length < best.length || (spellings.length === best.length && shortest(spellings) > shortest(best))) {
        best = spellings;
      }
    }
    if (!best) this.needles = undefined;
    else {
      for (const s of best) this.needles.add(s);
      if (this.needles.size > MAX_NEEDLES) this.needles = undefined;
    }
  }

  private addEdges(from: BuildNode, field: FieldCondition, next: number): void {
    const id = this.pathId(field.path);
    from.edges ??= new Map();
    let edges = from.edges.get(id);
    if (!edges) {
      edges = new BuildEdges();
      from.edges.set(id, edges);
    }
    for (const { matcher: m } of field.matchers) {
      switch (m.kind) {
        case 'exact-string':
          edges.strings = pushTo(edges.strings ?? new Map<string, number[]>(), m.value, next);
          break;
        case 'exact-number':
          if (m.value !== undefined) edges.numbers = pushTo(edges.numbers ?? new Map<number, number[]>(), m.value, next);
          edges.numberTexts = pushTo(edges.numberTexts ?? new Map<string, number[]>(), m.text, next);
          if (m.value === undefined) this.needsNumberText = true;
          break;
        case 'exact-literal':
          edges.literals = pushTo(edges.literals ?? new Map<'true' | 'false' | 'null', number[]>(), m.value, next);
          break;
        case 'prefix':
        case 'suffix': {
          if (m.ignoreCase) {
            (edges.others ??= []).push({ matcher: m, next });
            break;
          }
          const byLen =
            m.kind === 'prefix'
              ? (edges.prefixes ??= new Map<number, Map<string, number[]>>())
              : (edges.suffixes ??= new Map<number, Map<string, number[]>>());
          let map = byLen.get(m.value.length);
          if (!map) {
            map = new Map<string, number[]>();
            byLen.set(m.value.length, map);
          }
          pushTo(map, m.value, next);
          break;
        }
        case 'numeric':
          (edges.intervals ??= []).push({
            lo: m.lower ? m.lower.value : -Infinity,
            loIn: m.lower ? m.lower.inclusive : true,
            hi: m.upper ? m.upper.value : Infinity,
            hiIn: m.upper ? m.upper.inclusive : true,
            next,
          });
          break;
        case 'exists':
          if (m.exists) (edges.present ??= []).push(next);
          else (edges.absent ??= []).push(next);
          break;
        default:
          (edges.others ??= []).push({ matcher: m, next });
      }
    }
  }

  /** Freezes the trie into flat arrays and drops the building structures. */
  seal(): void {
    if (this.sealed) return;
    const nodes = this.build;
    const n = nodes.length;
    let edgeCount = 0;
    let acceptCount = 0;
    for (const b of nodes) {
      edgeCount += b.edges?.size ?? 0;
      if (b.exact) for (const pid of b.exact.keys()) if (!b.edges?.has(pid)) edgeCount++;
      acceptCount += b.accepts?.length ?? 0;
    }
    this.acceptStart = new Int32Array(n + 1);
    this.acceptList = new Int32Array(acceptCount);
    this.edgeStart = new Int32Array(n + 1);
    this.edgePath = new Int32Array(edgeCount);
    this.edgeFlags = new Uint8Array(edgeCount);
    this.presentOff = new Int32Array(edgeCount);
    this.presentLen = new Int32Array(edgeCount);
    this.absentOff = new Int32Array(edgeCount);
    this.absentLen = new Int32Array(edgeCount);
    this.slow = new Array<SlowEdges | undefined>(edgeCount).fill(undefined);
    const out: FreezeOutput = { targets: [], entries: [] };
    let e = 0;
    let a = 0;
    for (let id = 0; id < n; id++) {
      const b = nodes[id];
      this.acceptStart[id] = a;
      if (b.accepts) for (const r of b.accepts) this.acceptList[a++] = r;
      this.edgeStart[id] = e;
      if (b.exact) for (const [pathId, fast] of b.exact) this.freezeEdge(e++, pathId, b.edges?.get(pathId) ?? NO_EDGES, fast, out);
      if (b.edges) {
        for (const [pathId, edges] of b.edges) if (!b.exact?.has(pathId)) this.freezeEdge(e++, pathId, edges, undefined, out);
      }
    }
    const { targets, entries } = out;
    this.acceptStart[n] = a;
    this.edgeStart[n] = e;
    this.targets = Int32Array.from(targets);
    // The exact table at most half full, so probes stay short.
    let cap = 4;
    while (cap < (entries.length / 4) * 2) cap *= 2;
    this.exact = new Int32Array(cap * 4).fill(-1);
    this.exactMask = cap - 1;
    for (let i = 0; i < entries.length; i += 4) {
      let slot = exactHash(entries[i], entries[i + 1]) & this.exactMask;
      while (this.exact[slot * 4] !== -1) slot = (slot + 1) & this.exactMask;
      for (let j = 0; j < 4; j++) this.exact[slot * 4 + j] = entries[i + j];
    }
    this.nodeEpoch = new Int32Array(n);
    this.queue = new Int32Array(n);
    this.pathEpoch = new Int32Array(this.pathIds.size);
    this.pathHead = new Int32Array(this.pathIds.size);
    this.ruleStamp = new Int32Array(this.names.length);
    this.growLeaves(64);
    if (this.needles?.size === 0) this.needles = undefined;
    this.build = [];
    this.sealed = true;
  }

  /** Freezes the conditions on one path leaving one node into edge `e`. */
  private freezeEdge(e: number, pathId: number, edges: BuildEdges, fast: Map<string, number> | undefined, out: FreezeOutput): void {
    const { targets, entries } = out;
    const addRange = (list: readonly number[]): number => {
      const off = targets.length;
      for (let i = 0; i < list.length; i++) targets.push(list[i]);
      return off;
    };
    const stringEntry = (value: string, off: number, len: number): void => {
      let sid = this.stringIds.get(value);
      if (sid === undefined) this.stringIds.set(value, (sid = this.stringIds.size));
      entries.push(e, sid * 2, off, len);
    };
    this.edgePath[e] = pathId;
    let flags = 0;
    if (fast) {
      flags |= EDGE_STRINGS;
      const more = edges.strings;
      fast.forEach((child, value) => {
        const off = targets.length;
        targets.push(child);
        const others = more?.get(value);
        if (others) for (const t of others) if (t !== child) targets.push(t);
        stringEntry(value, off, targets.length - off);
      });
    }
    if (edges.strings) {
      flags |= EDGE_STRINGS;
      edges.strings.forEach((list, value) => {
        if (!fast?.has(value)) stringEntry(value, addRange(list), list.length);
      });
    }
    if (edges.numbers) {
      flags |= EDGE_NUMBERS;
      edges.numbers.forEach((list, value) => {
        let nid = this.numberIds.get(value);
        if (nid === undefined) this.numberIds.set(value, (nid = this.numberIds.size));
        entries.push(e, nid * 2 + 1, addRange(list), list.length);
      });
    }
    if (edges.present) {
      this.presentOff[e] = addRange(edges.present);
      this.presentLen[e] = edges.present.length;
    }
    if (edges.absent) {
      this.absentOff[e] = addRange(edges.absent);
      this.absentLen[e] = edges.absent.length;
    }
    if (SlowEdges.needed(edges)) {
      flags |= EDGE_SLOW;
      this.slow[e] = new SlowEdges(edges);
    }
    this.edgeFlags[e] = flags;
  }

  // ---- matching -------------------------------------------------------------------------------------------

  /** Names of the rules matching an event given as JSON text (none when the text is not JSON). */
  matchText(text: string): string[] {
    if (!this.sealed) this.seal();
    if (this.needles && !this.mayMatchText(text)) return [];
    if (this.needsNumberText) {
      const parsed = parseJson(text, { maxErrors: 1 });
      if (parsed.errors.length > 0 || !parsed.root) return [];
      return this.matchNode(parsed.root);
    }
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      return [];
    }
    return this.matchValue(event);
  }

  /**
   * The prefilter: when the text has no backslash, each JSON string in it is spelled exactly as its value is, so
   * a rule needing value "x" can only match text containing `"x"`. A scan for a few needles costs a fraction of
   * parsing; with escapes present, or a needle found, the event is parsed and matched.
   */
  private mayMatchText(text: string): boolean {
    for (const needle of this.needles!) if (text.includes(needle)) return true;
    return text.includes('\\');
  }

  /**
   * Names of the rules matching an event the caller has already parsed from `text` with JSON.parse (to report bad
   * input, say): the parsed value serves unless some rule needs number spellings, which only the text keeps.
   */
  matchParsed(text: string, parsed: unknown): string[] {
    if (!this.sealed) this.seal();
    return this.needsNumberText ? this.matchText(text) : this.matchValue(parsed);
  }

  /** Names of the rules matching an already-parsed event. */
  matchValue(event: unknown): string[] {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return [];
    if (!this.sealed) this.seal();
    this.begin();
    this.collect(event as Record<string, unknown>);
    return this.run();
  }

  /** Names of the rules matching an event parsed by our parser (keeps number spellings). */
  matchNode(event: AstNode): string[] {
    if (event.type !== 'object') return [];
    if (!this.sealed) this.seal();
    this.begin();
    this.collectNode(event);
    return this.run();
  }

  private begin(): void {
    if (++this.epoch === 0x7fffffff) {
      this.epoch = 1;
      this.nodeEpoch.fill(0);
      this.pathEpoch.fill(0);
      this.ruleStamp.fill(0);
    }
    // A huge event grew the leaf arrays: give that memory back rather than keep it for the set's lifetime.
    if (this.leafNext.length > MAX_KEPT_LEAVES) {
      this.leafNext = new Int32Array(0);
      this.leafSid = new Int32Array(0);
      this.leafV = [];
      this.leafText = [];
      this.leafTrail = [];
      this.growLeaves(64);
    }
    if (this.stackV.length > MAX_KEPT_LEAVES) {
      this.stackV = [];
      this.stackTrie = [];
      this.stackTrail = [];
    }
    this.leafCount = 0;
    this.constrained = false;
    this.nextArrayId = 0;
  }

  private growLeaves(min: number): void {
    const cap = Math.max(min, this.leafNext.length * 2);
    const next = new Int32Array(cap);
    next.set(this.leafNext);
    this.leafNext = next;
    const sid = new Int32Array(cap);
    sid.set(this.leafSid);
    this.leafSid = sid;
    while (this.leafV.length < cap) {
      this.leafV.push(null);
      this.leafText.push(undefined);
      this.leafTrail.push(undefined);
    }
  }

  private addLeaf(id: number, v: Scalar, text: string | undefined, trail: Trail | undefined): void {
    const l = this.leafCount++;
    if (l >= this.leafNext.length) this.growLeaves(l + 1);
    this.leafV[l] = v;
    this.leafText[l] = text;
    this.leafTrail[l] = trail;
    this.leafSid[l] = SID_UNKNOWN;
    if (trail !== undefined) this.constrained = true;
    if (this.pathEpoch[id] !== this.epoch) {
      this.pathEpoch[id] = this.epoch;
      this.leafNext[l] = -1;
    } else this.leafNext[l] = this.pathHead[id];
    this.pathHead[id] = l;
  }

  /** Reads the wanted paths of a parsed event into the leaf lists (iterative: events can nest very deep). */
  private collect(root: Record<string, unknown>): void {
    const sv = this.stackV;
    const st = this.stackTrie;
    const str = this.stackTrail;
    let sp = this.pushKeys(root, this.pathTrie, undefined, 0);
    while (sp > 0) {
      sp--;
      const v = sv[sp];
      const t = st[sp];
      const tr = str[sp];
      sv[sp] = undefined;
      if (Array.isArray(v)) {
        const id = this.nextArrayId++;
        for (let i = v.length - 1; i >= 0; i--) {
          const el: unknown = v[i];
          if (el !== null && typeof el === 'object') {
            sv[sp] = el;
            st[sp] = t;
            str[sp++] = { arrayId: id, index: i, parent: tr };
          } else if (t.pathId >= 0 && isScalar(el)) this.addLeaf(t.pathId, el, undefined, tr);
        }
      } else if (t.keyList.length > 0) sp = this.pushKeys(v as Record<string, unknown>, t, tr, sp);
    }
  }

  /** Scalars of `o` under the trie's keys become leaves; containers go on the stack. Returns the new top. */
  private pushKeys(o: Record<string, unknown>, t: PathTrie, tr: Trail | undefined, sp: number): number {
    const keys = t.keyList;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const v = o[key];
      if (v === undefined || (t.inherited[i] && !Object.prototype.hasOwnProperty.call(o, key))) continue;
      const child = t.childList[i];
      if (v !== null && typeof v === 'object') {
        this.stackV[sp] = v;
        this.stackTrie[sp] = child;
        this.stackTrail[sp++] = tr;
      } else if (child.pathId >= 0 && isScalar(v)) this.addLeaf(child.pathId, v, undefined, tr);
    }
    return sp;
  }

  /** The same for an event parsed by our parser (number spellings kept). */
  private collectNode(root: AstNode): void {
    const stack: { node: AstNode; trie: PathTrie; trail: Trail | undefined }[] = [
      { node: root, trie: this.pathTrie, trail: undefined },
    ];
    while (stack.length > 0) {
      const { node, trie, trail } = stack.pop()!;
      switch (node.type) {
        case 'object':
          if (trie.keys.size === 0) break;
          for (const p of node.properties) {
            const child = trie.keys.get(p.key.value);
            if (child && p.value) stack.push({ node: p.value, trie: child, trail });
          }
          break;
        case 'array': {
          const id = this.nextArrayId++;
          for (let i = node.items.length - 1; i >= 0; i--) {
            const el = node.items[i];
            const container = el.type === 'object' || el.type === 'array';
            stack.push({ node: el, trie, trail: container ? { arrayId: id, index: i, parent: trail } : trail });
          }
          break;
        }
        case 'unknown':
          break;
        default:
          if (trie.pathId < 0) break;
          this.addLeaf(trie.pathId, node.type === 'null' ? null : node.value, node.type === 'number' ? node.text : undefined, trail);
      }
    }
  }

  private run(): string[] {
    this.hits.length = 0;
    if (!this.constrained) this.walkFree();
    else {
      // Some leaf lies inside an array of objects: the walk must keep one element per array.
      const matched = new Set<number>();
      this.walkConstrained(0, new Map(), matched, { steps: 0 });
      for (const r of matched) this.accept(r);
    }
    const hits = this.hits;
    if (hits.length === 0) return [];
    if (hits.length > 1) hits.sort((a, b) => a - b);
    const names = new Array<string>(hits.length);
    for (let i = 0; i < hits.length; i++) names[i] = this.names[hits[i]];
    return names;
  }

  private accept(rule: number): void {
    if (this.ruleStamp[rule] !== this.epoch) {
      this.ruleStamp[rule] = this.epoch;
      this.hits.push(rule);
    }
  }

  /** Nodes targets[off .. off+len): enqueued once each, or pushed to `out`. */
  private emit(off: number, len: number, out: number[] | null): void {
    const targets = this.targets;
    if (out) {
      for (let i = off; i < off + len; i++) out.push(targets[i]);
      return;
    }
    const epoch = this.epoch;
    const nodeEpoch = this.nodeEpoch;
    for (let i = off; i < off + len; i++) {
      const n = targets[i];
      if (nodeEpoch[n] !== epoch) {
        nodeEpoch[n] = epoch;
        this.queue[this.queueLength++] = n;
      }
    }
  }

  private emitList(list: readonly number[], out: number[] | null): void {
    if (out) {
      for (let i = 0; i < list.length; i++) out.push(list[i]);
      return;
    }
    const epoch = this.epoch;
    for (let i = 0; i < list.length; i++) {
      const n = list[i];
      if (this.nodeEpoch[n] !== epoch) {
        this.nodeEpoch[n] = epoch;
        this.queue[this.queueLength++] = n;
      }
    }
  }

  /** Breadth-first over distinct nodes (valid when array consistency cannot apply). */
  private walkFree(): void {
    const epoch = this.epoch;
    const { acceptStart, acceptList, edgeStart, edgePath, pathEpoch, pathHead, leafNext, queue } = this;
    this.nodeEpoch[0] = epoch;
    queue[0] = 0;
    this.queueLength = 1;
    for (let qi = 0; qi < this.queueLength; qi++) {
      const node = queue[qi];
      for (let a = acceptStart[node]; a < acceptStart[node + 1]; a++) this.accept(acceptList[a]);
      for (let k = edgeStart[node]; k < edgeStart[node + 1]; k++) {
        const pid = edgePath[k];
        if (pathEpoch[pid] !== epoch) {
          if (this.absentLen[k] > 0) this.emit(this.absentOff[k], this.absentLen[k], null);
          continue;
        }
        if (this.presentLen[k] > 0) this.emit(this.presentOff[k], this.presentLen[k], null);
        for (let l = pathHead[pid]; l >= 0; l = leafNext[l]) this.step(k, l, null);
      }
    }
  }

  /** Depth-first with array constraints (the reference's semantics). */
  private walkConstrained(node: number, c: Map<number, number>, matched: Set<number>, budget: { steps: number }): void {
    if (++budget.steps > 2_000_000) throw new Error('compiled matching exceeded its step budget');
    for (let a = this.acceptStart[node]; a < this.acceptStart[node + 1]; a++) matched.add(this.acceptList[a]);
    for (let k = this.edgeStart[node]; k < this.edgeStart[node + 1]; k++) {
      const pid = this.edgePath[k];
      const usable: number[] = [];
      if (this.pathEpoch[pid] === this.epoch) {
        for (let l = this.pathHead[pid]; l >= 0; l = this.leafNext[l]) if (consistent(this.leafTrail[l], c)) usable.push(l);
      }
      if (usable.length === 0) {
        const off = this.absentOff[k];
        for (let i = off; i < off + this.absentLen[k]; i++) this.walkConstrained(this.targets[i], c, matched, budget);
        continue;
      }
      for (const l of usable) {
        const nexts: number[] = [];
        this.emit(this.presentOff[k], this.presentLen[k], nexts);
        this.step(k, l, nexts);
        if (nexts.length === 0) continue;
        const added: number[] = [];
        for (let t = this.leafTrail[l]; t; t = t.parent) {
          if (!c.has(t.arrayId)) {
            c.set(t.arrayId, t.index);
            added.push(t.arrayId);
          }
        }
        for (const n of new Set(nexts)) this.walkConstrained(n, c, matched, budget);
        for (const id of added) c.delete(id);
      }
    }
  }

  /** Every node edge `k` leads to on leaf `l`'s value: pushed to `out`, or enqueued when `out` is null. */
  private step(k: number, l: number, out: number[] | null): void {
    const v = this.leafV[l];
    const flags = this.edgeFlags[k];
    if (typeof v === 'string') {
      if (flags & EDGE_STRINGS) {
        let sid = this.leafSid[l];
        if (sid === SID_UNKNOWN) {
          sid = this.stringIds.get(v) ?? -1;
          this.leafSid[l] = sid;
        }
        if (sid >= 0) this.emitExact(k, sid * 2, out);
      }
    } else if (typeof v === 'number' && flags & EDGE_NUMBERS) {
      const text = this.leafText[l];
      const num = text === undefined ? (Number.isFinite(v) ? v : undefined) : comparableNumber(text);
      const nid = num === undefined ? undefined : this.numberIds.get(num);
      if (nid !== undefined) this.emitExact(k, nid * 2 + 1, out);
    }
    if (flags & EDGE_SLOW) this.stepSlow(this.slow[k]!, v, this.leafText[l], out);
  }

  private emitExact(k: number, key: number, out: number[] | null): void {
    const table = this.exact;
    const mask = this.exactMask;
    let slot = exactHash(k, key) & mask;
    for (;;) {
      const at = slot * 4;
      const edge = table[at];
      if (edge === -1) return;
      if (edge === k && table[at + 1] === key) {
        this.emit(table[at + 2], table[at + 3], out);
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  private stepSlow(edges: SlowEdges, v: Scalar, text: string | undefined, out: number[] | null): void {
    if (typeof v === 'string') {
      for (let i = 0; i < edges.prefixLens.length; i++) {
        const len = edges.prefixLens[i];
        if (len > v.length) continue;
        const hit = edges.prefixMaps[i].get(len === v.length ? v : v.slice(0, len));
        if (hit) this.emitList(hit, out);
      }
      for (let i = 0; i < edges.suffixLens.length; i++) {
        const len = edges.suffixLens[i];
        if (len > v.length) continue;
        const hit = edges.suffixMaps[i].get(len === v.length ? v : v.slice(v.length - len));
        if (hit) this.emitList(hit, out);
      }
    } else if (typeof v === 'number') {
      if (edges.bounds.length > 0) {
        const num = text === undefined ? (Number.isFinite(v) ? v : undefined) : comparableNumber(text);
        if (num !== undefined) this.emitList(edges.intervalHits(num), out);
      }
      if (edges.numberTexts) {
        const byText = edges.numberTexts.get(text ?? String(v));
        if (byText) this.emitList(byText, out);
      }
    } else if (edges.literals) {
      const lit = edges.literals.get(v === null ? 'null' : v ? 'true' : 'false');
      if (lit) this.emitList(lit, out);
    }
    if (edges.others) {
      const ev = toEventValue(v, text);
      for (const o of edges.others) if (matchValue(o.matcher, ev)) this.emitList([o.next], out);
    }
  }
}

function exactHash(edge: number, key: number): number {
  let h = Math.imul(edge, 0x9e3779b1) ^ Math.imul(key + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}

function isScalar(v: unknown): v is Scalar {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

const MAX_RANK = 4;

/** How early a field should be tested (0 to MAX_RANK): exact values narrow most, anything-but least. */
function fieldRank(field: FieldCondition): number {
  let rank = 0;
  for (const { matcher } of field.matchers) {
    const r =
      matcher.kind === 'exact-string' || matcher.kind === 'exact-number' || matcher.kind === 'exact-literal' || matcher.kind === 'ip'
        ? 0
        : matcher.kind === 'prefix' || matcher.kind === 'suffix' || matcher.kind === 'equals-ignore-case'
          ? 1
          : matcher.kind === 'numeric' || matcher.kind === 'cidr' || matcher.kind === 'wildcard'
            ? 2
            : matcher.kind === 'exists'
              ? 3
              : 4;
    rank = Math.max(rank, r);
  }
  return rank;
}

/**
 * The order in which a sub-rule's fields become trie edges. EventBridge walks fields in sorted path order, and
 * that order only changes answers when `exists: false` meets arrays of objects; other rules are reordered so
 * the most selective fields come first, which keeps the nodes an event reaches few.
 */
function orderFields(sub: SubRule): readonly FieldCondition[] {
  if (sub.length < 2) return sub;
  const ranks = new Array<number>(sub.length);
  let inOrder = true;
  for (let i = 0; i < sub.length; i++) {
    for (const { matcher } of sub[i].matchers) if (matcher.kind === 'exists' && !matcher.exists) return sub;
    ranks[i] = fieldRank(sub[i]);
    if (i > 0 && ranks[i] < ranks[i - 1]) inOrder = false;
  }
  if (inOrder) return sub;
  // Sub-rules come sorted by path: taking the fields rank by rank keeps path order within a rank.
  const out: FieldCondition[] = [];
  for (let r = 0; r <= MAX_RANK; r++) for (let i = 0; i < sub.length; i++) if (ranks[i] === r) out.push(sub[i]);
  return out;
}

function consistent(trail: Trail | undefined, c: Map<number, number>): boolean {
  for (let t = trail; t; t = t.parent) {
    const idx = c.get(t.arrayId);
    if (idx !== undefined && idx !== t.index) return false;
  }
  return true;
}

function toEventValue(v: Scalar, text: string | undefined): EventValue {
  if (typeof v === 'string') return { t: 's', v };
  if (typeof v === 'number') {
    const spelled = text ?? String(v);
    return { t: 'n', text: spelled, num: text === undefined ? v : comparableNumber(spelled) };
  }
  if (typeof v === 'boolean') return { t: 'b', v };
  return { t: 'null' };
}
