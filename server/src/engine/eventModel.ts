// What a pattern sees of an event: its leaf values (strings, numbers, true/false/null) keyed by dotted path, each
// with its array membership (which element of which array of objects it sits in), so that fields of one pattern
// object can be required to come from the same array element. Objects and arrays themselves are structure: an
// empty array or object produces no field.

import type { AstNode } from './jsonAst';
import { comparableNumber } from './numbers';

export type EventValue =
  | { readonly t: 's'; readonly v: string }
  | { readonly t: 'n'; readonly text: string; readonly num: number | undefined }
  | { readonly t: 'b'; readonly v: boolean }
  | { readonly t: 'null' };

/**
 * Which element of which array a leaf sits in, innermost first: a persistent list, so entering an array costs
 * O(1) however deep arrays nest (copying arrays of pairs made 200,000 nested arrays quadratic).
 */
export interface Trail {
  readonly arrayId: number;
  readonly index: number;
  readonly parent: Trail | undefined;
}

/** Calls `f` on every (array id, element index) of a trail. */
export function forEachMembership(trail: Trail | undefined, f: (arrayId: number, index: number) => void): void {
  for (let t = trail; t; t = t.parent) f(t.arrayId, t.index);
}

export interface Leaf {
  readonly path: string;
  readonly value: EventValue;
  /** The arrays of containers on the way to this leaf, with the element taken in each (undefined: none). */
  readonly trail: Trail | undefined;
  /** The leaf in the event's AST, when the event came from text. */
  readonly node?: AstNode;
}

export interface FlatEvent {
  readonly leaves: ReadonlyMap<string, readonly Leaf[]>;
}

/** Dot-boundary prefixes of the given paths: `a.b.c` gives `a`, `a.b`, `a.b.c`. */
export function pathPrefixes(paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    let i = p.indexOf('.');
    while (i >= 0) {
      out.add(p.slice(0, i));
      i = p.indexOf('.', i + 1);
    }
    out.add(p);
  }
  return out;
}

// A work item's `path` is null at the event's top: '' cannot mark it, because the empty string is a legal key
// (`{"": "x"}` has a field at path "", `{"": {"b": 1}}` one at ".b").
interface Work {
  readonly value: unknown;
  readonly path: string | null;
  readonly trail: Trail | undefined;
}

/**
 * Flattens a parsed JSON value (JSON.parse output). Numbers have no original spelling here, so their text is
 * JavaScript's. `wanted` (from pathPrefixes) skips subtrees no pattern looks at.
 */
export function flattenValue(event: unknown, wanted?: ReadonlySet<string>): FlatEvent {
  const leaves = new Map<string, Leaf[]>();
  let nextArrayId = 0;
  const stack: Work[] = [{ value: event, path: null, trail: undefined }];
  while (stack.length > 0) {
    const { value, path, trail } = stack.pop()!;
    if (value === null || typeof value !== 'object') {
      if (path === null) continue;
      const ev = scalarOf(value);
      if (ev) push(leaves, { path, value: ev, trail });
      continue;
    }
    if (Array.isArray(value)) {
      const id = nextArrayId++;
      for (let i = value.length - 1; i >= 0; i--) {
        const el: unknown = value[i];
        const container = el !== null && typeof el === 'object';
        stack.push({ value: el, path, trail: container ? { arrayId: id, index: i, parent: trail } : trail });
      }
      continue;
    }
    const keys = Object.keys(value);
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k];
      const childPath = path === null ? key : `${path}.${key}`;
      if (wanted && !wanted.has(childPath)) continue;
      stack.push({ value: (value as Record<string, unknown>)[key], path: childPath, trail });
    }
  }
  return { leaves };
}

function scalarOf(v: unknown): EventValue | undefined {
  switch (typeof v) {
    case 'string':
      return { t: 's', v };
    case 'number': {
      const text = String(v);
      return { t: 'n', text, num: comparableNumber(text) ?? (Number.isFinite(v) ? v : undefined) };
    }
    case 'boolean':
      return { t: 'b', v };
    default:
      return v === null ? { t: 'null' } : undefined;
  }
}

interface NodeWork {
  readonly node: AstNode;
  readonly path: string | null;
  readonly trail: Trail | undefined;
}

/** Flattens an event parsed by our JSON parser: numbers keep their spelling, duplicate keys all count. */
export function flattenNode(root: AstNode, wanted?: ReadonlySet<string>): FlatEvent {
  const leaves = new Map<string, Leaf[]>();
  let nextArrayId = 0;
  const stack: NodeWork[] = [{ node: root, path: null, trail: undefined }];
  while (stack.length > 0) {
    const { node, path, trail } = stack.pop()!;
    switch (node.type) {
      case 'object':
        for (let k = node.properties.length - 1; k >= 0; k--) {
          const prop = node.properties[k];
          if (!prop.value) continue;
          const childPath = path === null ? prop.key.value : `${path}.${prop.key.value}`;
          if (wanted && !wanted.has(childPath)) continue;
          stack.push({ node: prop.value, path: childPath, trail });
        }
        break;
      case 'array': {
        const id = nextArrayId++;
        for (let i = node.items.length - 1; i >= 0; i--) {
          const el = node.items[i];
          const container = el.type === 'object' || el.type === 'array';
          stack.push({ node: el, path, trail: container ? { arrayId: id, index: i, parent: trail } : trail });
        }
        break;
      }
      case 'string':
        if (path !== null) push(leaves, { path, value: { t: 's', v: node.value }, trail, node });
        break;
      case 'number':
        if (path !== null)
          push(leaves, { path, value: { t: 'n', text: node.text, num: comparableNumber(node.text) }, trail, node });
        break;
      case 'boolean':
        if (path !== null) push(leaves, { path, value: { t: 'b', v: node.value }, trail, node });
        break;
      case 'null':
        if (path !== null) push(leaves, { path, value: { t: 'null' }, trail, node });
        break;
      case 'unknown':
        break;
    }
  }
  return { leaves };
}

function push(map: Map<string, Leaf[]>, leaf: Leaf): void {
  const list = map.get(leaf.path);
  if (list) list.push(leaf);
  else map.set(leaf.path, [leaf]);
}

/** Renders an event value as it appears in JSON, for explanations. */
export function formatEventValue(v: EventValue): string {
  switch (v.t) {
    case 's':
      return JSON.stringify(v.v);
    case 'n':
      return v.text;
    case 'b':
      return String(v.v);
    case 'null':
      return 'null';
  }
}
