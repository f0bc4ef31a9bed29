// Many rules, one event: every sub-rule of every pattern is compiled into one trie whose edges are (field path,
// condition) in sorted path order, as event-ruler does. Rules that start alike share nodes, and each node indexes
// its outgoing conditions by value (hash maps for exact values, per-length maps for prefixes and suffixes, sorted
// intervals for numeric ranges), so an event visits only the nodes its values reach: the cost per event grows
// with what matches, not with the number of rules.
//
// Events are read only along the paths some rule uses, by direct key lookups. The reference matcher
// (../matcher.ts) stays the definition; the differential tests hold this one to its answers.

import type { CompiledPattern, FieldCondition, Matcher, SubRule } from '../patternModel';
import { matchValue } from '../matcher';
import type { EventValue, Trail } from '../eventModel';
import { comparableNumber } from '../numbers';
import { parseJson } from '../jsonParser';
import type { AstNode } from '../jsonAst';

/** A value as the compiled matcher sees it: the JS value plus, for numbers from text, the spelling. */
type Scalar = string | number | boolean | null;

interface Leaf {
  readonly v: Scalar;
  /** The number's spelling when known (from our parser), for text-only number matchers. */
  readonly text: string | undefined;
  /** The arrays of containers on the way to the leaf (undefined: none); see Trail in ../eventModel. */
  readonly trail: Trail | undefined;
}



const NO_ACCEPTS: number[] = [];
const NO_NUMBERS: number[] = [];
// Declared before PathEdges is; only its identity (an empty array) is used.
const NO_EDGES: never[] = [];

class Node {
  /** The event during which this node was last reached (saves a Set per event). */
  epoch = 0;
  /** Outgoing edges, per path id (while building; dropped by seal). */
  edges: Map<number, PathEdges> | undefined;
  /** The same, as parallel arrays once sealed (faster to walk than a Map). */
  edgeIds: number[] = NO_NUMBERS;
  edgeSets: PathEdges[] = NO_EDGES;
  /** Rules (indices) whose last field ends here. */
  accepts: number[] = NO_ACCEPTS;
  /** A number unique in the set (keys the child index while building). */
  constructor(readonly id: number) {}
}

interface Interval {
  readonly lo: number;
  readonly loIn: boolean;
  readonly hi: number;
  readonly hiIn: boolean;
  readonly next: Node;
}

class PathEdges {
  // Each index exists only when some condition needs it: most edge sets hold one exact value, and thousands of
  // rules make tens of thousands of them.
  /** Exact strings → next nodes. */
  strings: Map<string, Node[]> | undefined;
  /** Exact numbers by value. */
  numbers: Map<number, Node[]> | undefined;
  /** Exact numbers by spelling (the only way to match numbers that are not doubles). */
  numberTexts: Map<string, Node[]> | undefined;
  literals: Map<'true' | 'false' | 'null', Node[]> | undefined;
  /** Prefixes grouped by length: value.slice(0, len) → nodes. */
  prefixes: Map<number, Map<string, Node[]>> | undefined;
  suffixes: Map<number, Map<string, Node[]>> | undefined;
  intervals: Interval[] | undefined;
  /** Sorted interval index, built by seal(). */
  private bounds: number[] = NO_NUMBERS;
  private segments: Node[][] = [];
  /** Conditions checked one by one (anything-but, wildcard, cidr, ignore-case, ...). */
  others: { matcher: Matcher; next: Node }[] | undefined;
  /** `exists: true`. */
  present: Node[] | undefined;
  /** `exists: false`. */
  absent: Node[] | undefined;

  /** Calls `f` on every next node (for walking the trie at seal time). */
  forEachNext(f: (n: Node) => void): void {
    const all = (ns: readonly Node[]): void => {
      for (const n of ns) f(n);
    };
    if (this.strings) for (const ns of this.strings.values()) all(ns);
    if (this.numbers) for (const ns of this.numbers.values()) all(ns);
    if (this.numberTexts) for (const ns of this.numberTexts.values()) all(ns);
    if (this.literals) for (const ns of this.literals.values()) all(ns);
    if (this.prefixes) for (const m of this.prefixes.values()) for (const ns of m.values()) all(ns);
    if (this.suffixes) for (const m of this.suffixes.values()) for (const ns of m.values()) all(ns);
    for (const iv of this.intervals ?? []) f(iv.next);
    for (const o of this.others ?? []) f(o.next);
    if (this.present) all(this.present);
    if (this.absent) all(this.absent);
  }

  seal(): void {
    if (!this.intervals) return;
    const intervals = this.intervals;
    // Elementary segments between sorted distinct bounds; each stores the nodes of every interval covering it.
    const pts = [...new Set(intervals.flatMap((i) => [i.lo, i.hi]))].sort((a, b) => a - b);
    this.bounds = pts;
    // Segments, in order: below every bound; then for each bound k, the point pts[k] and the open gap
    // (pts[k], pts[k+1]); then above every bound. Each holds the nodes of the intervals covering it.
    const atPoint = (x: number): Node[] =>
      intervals
        .filter((iv) => (iv.loIn ? x >= iv.lo : x > iv.lo) && (iv.hiIn ? x <= iv.hi : x < iv.hi))
        .map((iv) => iv.next);
    const inGap = (a: number, b: number): Node[] =>
      intervals.filter((iv) => iv.lo <= a && iv.hi >= b).map((iv) => iv.next);
    const segs: Node[][] = [intervals.filter((iv) => iv.lo === -Infinity).map((iv) => iv.next)];
    for (let k = 0; k < pts.length; k++) {
      segs.push(atPoint(pts[k]));
      if (k + 1 < pts.length) segs.push(inGap(pts[k], pts[k + 1]));
    }
    segs.push(intervals.filter((iv) => iv.hi === Infinity).map((iv) => iv.next));
    this.segments = segs;
  }

  /** Nodes of intervals containing x. */
  intervalHits(x: number): Node[] {
    const b = this.bounds;
    if (b.length === 0) return NO_NODES;
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

const NO_NODES: Node[] = [];

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

function pushTo<K>(map: Map<K, Node[]>, key: K, node: Node): Map<K, Node[]> {
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
  const keys = field.matchers.map(({ matcher }) => matcherKey(matcher));
  if (keys.length > 1) keys.sort();
  return `${field.path}\u0000${keys.join('\u0001')}`;
}

export interface NamedPattern {
  readonly name: string;
  readonly pattern: CompiledPattern;
}

export class CompiledRuleSet {
  private nodeCount = 0;
  private readonly root = new Node(this.nodeCount++);
  private readonly names: string[] = [];
  private readonly pathIds = new Map<string, number>();
  private readonly pathTrie = new PathTrie();
  /** Next node by (node id, condition key), so rules that start alike share nodes; dropped by seal. */
  private childByKey = new Map<string, Node>();
  /** True when some exact number is not a double: such matches need the event's number spellings. */
  private needsNumberText = false;
  private sealed = false;

  // Per-event scratch: leaves per path id, reset after each event.
  private leaves: Leaf[][] = [];
  private touched: number[] = [];
  private nextArrayId = 0;

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
      this.leaves.push([]);
      // Register every way the path can be spelled in an event: each split into dotted runs.
      const segs = path.split('.');
      const insert = (trie: PathTrie, from: number): void => {
        for (let to = from + 1; to <= segs.length; to++) {
          const key = segs.slice(from, to).join('.');
          let child = trie.keys.get(key);
          if (!child) {
            child = new PathTrie();
            trie.keys.set(key, child);
          }
          if (to === segs.length) child.pathId = id!;
          else insert(child, to);
          trie.keyList = [...trie.keys.keys()];
          trie.childList = [...trie.keys.values()];
          trie.inherited = trie.keyList.map((k) => k in Object.prototype);
        }
      };
      insert(this.pathTrie, 0);
    }
    return id;
  }

  private addSubRule(ruleIndex: number, sub: SubRule): void {
    let node = this.root;
    for (const field of orderFields(sub)) {
      const key = `${node.id}\u0002${conditionKey(field)}`;
      let next = this.childByKey.get(key);
      if (!next) {
        next = new Node(this.nodeCount++);
        this.childByKey.set(key, next);
        this.addEdges(node, field, next);
      }
      node = next;
    }
    if (node.accepts === NO_ACCEPTS) node.accepts = [ruleIndex];
    else if (!node.accepts.includes(ruleIndex)) node.accepts.push(ruleIndex);
  }

  private addEdges(from: Node, field: FieldCondition, next: Node): void {
    const id = this.pathId(field.path);
    from.edges ??= new Map();
    let edges = from.edges.get(id);
    if (!edges) {
      edges = new PathEdges();
      from.edges.set(id, edges);
    }
    for (const { matcher: m } of field.matchers) {
      switch (m.kind) {
        case 'exact-string':
          edges.strings = pushTo(edges.strings ?? new Map<string, Node[]>(), m.value, next);
          break;
        case 'exact-number':
          if (m.value !== undefined) edges.numbers = pushTo(edges.numbers ?? new Map<number, Node[]>(), m.value, next);
          edges.numberTexts = pushTo(edges.numberTexts ?? new Map<string, Node[]>(), m.text, next);
          if (m.value === undefined) this.needsNumberText = true;
          break;
        case 'exact-literal':
          edges.literals = pushTo(edges.literals ?? new Map<'true' | 'false' | 'null', Node[]>(), m.value, next);
          break;
        case 'prefix':
        case 'suffix': {
          if (m.ignoreCase) {
            (edges.others ??= []).push({ matcher: m, next });
            break;
          }
          const byLen =
            m.kind === 'prefix'
              ? (edges.prefixes ??= new Map<number, Map<string, Node[]>>())
              : (edges.suffixes ??= new Map<number, Map<string, Node[]>>());
          let map = byLen.get(m.value.length);
          if (!map) {
            map = new Map<string, Node[]>();
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

  seal(): void {
    // Depth-first over the trie; a node is done once its edges are arrays (edges dropped).
    const stack: Node[] = [this.root];
    const visit = (n: Node): void => {
      if (n.edges) stack.push(n);
    };
    while (stack.length > 0) {
      const n = stack.pop()!;
      const edges = n.edges;
      if (!edges) continue;
      n.edges = undefined;
      n.edgeIds = [...edges.keys()];
      n.edgeSets = [...edges.values()];
      for (const e of n.edgeSets) {
        e.seal();
        e.forEachNext(visit);
      }
    }
    this.childByKey = new Map();
    this.sealed = true;
  }

  // ---- matching -------------------------------------------------------------------------------------------

  /** Names of the rules matching an event given as JSON text. */
  matchText(text: string): string[] {
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

  /** Names of the rules matching an already-parsed event. */
  matchValue(event: unknown): string[] {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return [];
    this.nextArrayId = 0;
    this.collect(event as Record<string, unknown>, this.pathTrie, undefined);
    try {
      return this.run();
    } finally {
      this.reset();
    }
  }

  /** Names of the rules matching an event parsed by our parser (keeps number spellings). */
  matchNode(event: AstNode): string[] {
    if (event.type !== 'object') return [];
    this.nextArrayId = 0;
    this.collectNode(event, this.pathTrie, undefined);
    try {
      return this.run();
    } finally {
      this.reset();
    }
  }

  private reset(): void {
    for (const id of this.touched) this.leaves[id].length = 0;
    this.touched.length = 0;
  }

  private addLeaf(id: number, leaf: Leaf): void {
    const list = this.leaves[id];
    if (list.length === 0) this.touched.push(id);
    list.push(leaf);
  }

  /** Reads the wanted paths of a parsed event into the leaf lists (iterative: events can nest very deep). */
  private collect(obj: Record<string, unknown>, trie: PathTrie, trail: Trail | undefined): void {
    const stack: { v: unknown; trie: PathTrie; trail: Trail | undefined }[] = [];
    const pushKeys = (o: Record<string, unknown>, t: PathTrie, tr: Trail | undefined): void => {
      const keys = t.keyList;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const v = o[key];
        if (v === undefined || (t.inherited[i] && !Object.prototype.hasOwnProperty.call(o, key))) continue;
        stack.push({ v, trie: t.childList[i], trail: tr });
      }
    };
    pushKeys(obj, trie, trail);
    while (stack.length > 0) {
      const { v, trie: t, trail: tr } = stack.pop()!;
      if (v === null || typeof v !== 'object') {
        if (t.pathId >= 0 && (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
          this.addLeaf(t.pathId, { v, text: undefined, trail: tr });
        }
      } else if (Array.isArray(v)) {
        const id = this.nextArrayId++;
        for (let i = v.length - 1; i >= 0; i--) {
          const el: unknown = v[i];
          stack.push({ v: el, trie: t, trail: el !== null && typeof el === 'object' ? { arrayId: id, index: i, parent: tr } : tr });
        }
      } else if (t.keyList.length > 0) {
        pushKeys(v as Record<string, unknown>, t, tr);
      }
    }
  }

  /** The same for an event parsed by our parser (number spellings kept). */
  private collectNode(root: AstNode, rootTrie: PathTrie, rootTrail: Trail | undefined): void {
    const stack: { node: AstNode; trie: PathTrie; trail: Trail | undefined }[] = [
      { node: root, trie: rootTrie, trail: rootTrail },
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
          this.addLeaf(trie.pathId, {
            v: node.type === 'null' ? null : node.value,
            text: node.type === 'number' ? node.text : undefined,
            trail,
          });
      }
    }
  }

  private epoch = 0;
  private ruleStamp = new Int32Array(0);
  private queue: Node[] = [];
  private hits: number[] = [];

  private run(): string[] {
    if (++this.epoch === 0x7fffffff) this.epoch = 1;
    if (this.ruleStamp.length < this.names.length) this.ruleStamp = new Int32Array(this.names.length);
    this.hits.length = 0;
    // Fast path: no leaf lies inside an array of objects, so no array constraints can arise.
    let constrained = false;
    for (const id of this.touched) {
      for (const l of this.leaves[id]) if (l.trail) constrained = true;
    }
    if (!constrained) this.walkFree();
    else {
      const matched = new Set<number>();
      this.walkConstrained(this.root, new Map(), matched, { steps: 0 });
      for (const r of matched) this.accept(r);
    }
    const hits = this.hits;
    if (hits.length === 0) return [];
    if (hits.length > 1) hits.sort((a, b) => a - b);
    return hits.map((i) => this.names[i]);
  }

  private accept(rule: number): void {
    if (this.ruleStamp[rule] !== this.epoch) {
      this.ruleStamp[rule] = this.epoch;
      this.hits.push(rule);
    }
  }

  private enqueue(nodes: readonly Node[]): void {
    const epoch = this.epoch;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      if (n.epoch !== epoch) {
        n.epoch = epoch;
        this.queue.push(n);
      }
    }
  }

  /** Breadth-first over distinct nodes (valid when array consistency cannot apply). */
  private walkFree(): void {
    const queue = this.queue;
    queue.length = 0;
    this.root.epoch = this.epoch;
    queue.push(this.root);
    const leavesById = this.leaves;
    for (let qi = 0; qi < queue.length; qi++) {
      const node = queue[qi];
      for (let a = 0; a < node.accepts.length; a++) this.accept(node.accepts[a]);
      const ids = node.edgeIds;
      for (let k = 0; k < ids.length; k++) {
        const edges = node.edgeSets[k];
        const leaves = leavesById[ids[k]];
        if (leaves.length === 0) {
          if (edges.absent) this.enqueue(edges.absent);
          continue;
        }
        if (edges.present) this.enqueue(edges.present);
        for (let l = 0; l < leaves.length; l++) this.step(edges, leaves[l], null);
      }
    }
  }

  /** Depth-first with array constraints, in sorted field order (the reference's semantics). */
  private walkConstrained(node: Node, c: Map<number, number>, matched: Set<number>, budget: { steps: number }): void {
    if (++budget.steps > 2_000_000) throw new Error('compiled matching exceeded its step budget');
    for (const r of node.accepts) matched.add(r);
    for (let k = 0; k < node.edgeIds.length; k++) {
      const edges = node.edgeSets[k];
      const leaves = this.leaves[node.edgeIds[k]];
      const usable = leaves.filter((l) => consistent(l.trail, c));
      if (usable.length === 0) {
        for (const n of edges.absent ?? []) this.walkConstrained(n, c, matched, budget);
        continue;
      }
      for (const leaf of usable) {
        const nexts: Node[] = [...(edges.present ?? [])];
        this.step(edges, leaf, nexts);
        if (nexts.length === 0) continue;
        const added: number[] = [];
        for (let t = leaf.trail; t; t = t.parent) {
          if (!c.has(t.arrayId)) {
            c.set(t.arrayId, t.index);
            added.push(t.arrayId);
          }
        }
        for (const n of new Set(nexts)) this.walkConstrained(n, c, matched, budget);
        for (const a of added) c.delete(a);
      }
    }
  }

  /** Every node an edge set leads to on this leaf's value: pushed to `out`, or enqueued when `out` is null. */
  private step(edges: PathEdges, leaf: Leaf, out: Node[] | null): void {
    const v = leaf.v;
    if (typeof v === 'string') {
      const exact = edges.strings?.get(v);
      if (exact) this.emit(exact, out);
      if (edges.prefixes) {
        for (const [len, map] of edges.prefixes) {
          if (len > v.length) continue;
          const hit = map.get(len === v.length ? v : v.slice(0, len));
          if (hit) this.emit(hit, out);
        }
      }
      if (edges.suffixes) {
        for (const [len, map] of edges.suffixes) {
          if (len > v.length) continue;
          const hit = map.get(len === v.length ? v : v.slice(v.length - len));
          if (hit) this.emit(hit, out);
        }
      }
    } else if (typeof v === 'number') {
      const num = leaf.text === undefined ? (Number.isFinite(v) ? v : undefined) : comparableNumber(leaf.text);
      if (num !== undefined) {
        const exact = edges.numbers?.get(num);
        if (exact) this.emit(exact, out);
        if (edges.intervals) this.emit(edges.intervalHits(num), out);
      }
      if (edges.numberTexts) {
        const byText = edges.numberTexts.get(leaf.text ?? String(v));
        if (byText) this.emit(byText, out);
      }
    } else if (edges.literals) {
      const lit = edges.literals.get(v === null ? 'null' : v ? 'true' : 'false');
      if (lit) this.emit(lit, out);
    }
    if (edges.others) {
      const ev = toEventValue(leaf);
      for (const o of edges.others) if (matchValue(o.matcher, ev)) this.emit([o.next], out);
    }
  }

  private emit(nodes: readonly Node[], out: Node[] | null): void {
    if (out) for (let i = 0; i < nodes.length; i++) out.push(nodes[i]);
    else this.enqueue(nodes);
  }
}

/** How early a field should be tested: exact values narrow most, anything-but least. */
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
  if (sub.some((f) => f.matchers.some(({ matcher }) => matcher.kind === 'exists' && !matcher.exists))) return sub;
  return [...sub].sort((a, b) => fieldRank(a) - fieldRank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function consistent(trail: Trail | undefined, c: Map<number, number>): boolean {
  for (let t = trail; t; t = t.parent) {
    const idx = c.get(t.arrayId);
    if (idx !== undefined && idx !== t.index) return false;
  }
  return true;
}

function toEventValue(leaf: Leaf): EventValue {
  const v = leaf.v;
  if (typeof v === 'string') return { t: 's', v };
  if (typeof v === 'number') {
    const text = leaf.text ?? String(v);
    return { t: 'n', text, num: leaf.text === undefined ? v : comparableNumber(text) };
  }
  if (typeof v === 'boolean') return { t: 'b', v };
  return { t: 'null' };
}
