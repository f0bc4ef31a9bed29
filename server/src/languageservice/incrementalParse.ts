// Re-parses only the top-level `Resources` entry an edit falls in, and splices it into the previous AST: the yaml
// parser takes about a second on a 5,000-resource template, far too long to run on every keystroke. The result
// must be exactly what a full parse gives; whenever that is not certain, this returns undefined and the caller
// parses the whole document. Tested against full parses after random edits (incrementalAnalysis.test.ts).
//
// The previous AST is updated in place (nodes after the edit are shifted, the edited entry replaced): the analysis
// it belonged to must not be used afterwards.

import type { AstNode, PropertyNode } from '../engine/jsonAst';
import { isIntrinsicNode, parseDocument, type DocumentLanguageId, type ParsedDocument } from './documentParser';

export interface PreviousParse {
  readonly text: string;
  readonly languageId: DocumentLanguageId;
  readonly root: AstNode | undefined;
  readonly syntaxErrors: readonly unknown[];
}

/** Where the edit fell, in offsets of the previous text. */
export interface SplicedRegion {
  /** The replaced entry's region in the previous text: [start, end). */
  readonly start: number;
  readonly end: number;
  /** How much longer the new text is. */
  readonly delta: number;
}

export interface IncrementalParse {
  readonly parsed: ParsedDocument;
  readonly region: SplicedRegion;
}

/** Structure (brackets, tags) in one entry beyond which the depth limits of a full parse might be reached. */
const MAX_ENTRY_STRUCTURE = 400;

export function reparseIncrementally(previous: PreviousParse, text: string): IncrementalParse | undefined {
  const root = previous.root;
  if (!root || root.type !== 'object' || previous.syntaxErrors.length > 0) return undefined;
  const old = previous.text;
  if (old === text) return undefined;

  const { start, oldEnd, newEnd } = changedSpan(old, text);
  const delta = text.length - old.length;

  const resourcesProperties = root.properties.filter((p) => p.key.value === 'Resources');
  if (resourcesProperties.length !== 1) return undefined;
  const resourcesProperty = resourcesProperties[0];
  const resources = resourcesProperty.value;
  if (resources?.type !== 'object') return undefined;
  const entries = resources.properties;
  const yaml = previous.languageId === 'yaml';
  const regionStart = (i: number): number => (yaml ? lineStart(old, entries[i].key.offset) : entries[i].key.offset);

  // The last entry whose region starts at or before the edit; never the last entry (its end is not delimited by a
  // sibling), and the edit must end before the next entry starts.
  let lo = 0;
  let hi = entries.length - 1;
  if (hi < 1 || regionStart(0) > start) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (regionStart(mid) <= start) lo = mid;
    else hi = mid - 1;
  }
  const k = lo;
  if (k >= entries.length - 1) return undefined;
  const from = regionStart(k);
  const to = regionStart(k + 1);
  if (oldEnd > to || from >= to) return undefined;
  const oldRegion = old.slice(from, to);
  const newRegion = text.slice(from, to + delta);

  const entry = yaml ? parseYamlEntry(old, entries, k, oldRegion, newRegion) : parseJsonEntry(newRegion);
  if (!entry) return undefined;
  if (yaml && !keepsNestingEstimate(old, start, old.slice(start, oldEnd), text.slice(start, newEnd))) {
    if (yamlNestingEstimate(text) > MAX_YAML_NESTING_ESTIMATE) return undefined;
  }

  // Certain now: splice. Offsets of the isolated parse are relative to its own text.
  shiftNodes([entry.property], from - entry.wrapperOffset);
  entry.property.parent = resources;
  const afterEntries = entries.slice(k + 1);
  const afterTopLevel = root.properties.slice(root.properties.indexOf(resourcesProperty) + 1);
  shiftNodes([...afterEntries, ...afterTopLevel], delta);
  entries[k] = entry.property;
  for (const enclosing of [root, resourcesProperty, resources] as Mutable<{ length: number }>[])
    enclosing.length += delta;
  return { parsed: { root, syntaxErrors: [] }, region: { start: from, end: to, delta } };
}

/** The span that differs: common prefix and suffix, compared a block at a time first (string equality is fast). */
function changedSpan(old: string, text: string): { start: number; oldEnd: number; newEnd: number } {
  const BLOCK = 4096;
  const shorter = Math.min(old.length, text.length);
  let start = 0;
  while (start + BLOCK <= shorter && old.slice(start, start + BLOCK) === text.slice(start, start + BLOCK))
    start += BLOCK;
  while (start < shorter && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let oldEnd = old.length;
  let newEnd = text.length;
  while (
    oldEnd - BLOCK >= start &&
    newEnd - BLOCK >= start &&
    old.slice(oldEnd - BLOCK, oldEnd) === text.slice(newEnd - BLOCK, newEnd)
  ) {
    oldEnd -= BLOCK;
    newEnd -= BLOCK;
  }
  while (oldEnd > start && newEnd > start && old.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/**
 * True when an edit cannot change the YAML nesting estimate of any line: it adds or removes no bracket or line
 * break, and starts after the line's leading indentation and indicators (which the estimate counts as columns).
 * The previous text passed the check (it parsed without errors), so the new one does too.
 */
function keepsNestingEstimate(old: string, start: number, removed: string, inserted: string): boolean {
  if (/[[\]{}\n\r]/.test(removed) || /[[\]{}\n\r]/.test(inserted)) return false;
  for (let i = lineStart(old, start); i < start; i++) {
    const c = old.charCodeAt(i);
    if (c !== 0x20 && c !== 0x2d && c !== 0x3f && c !== 0x3a) return true; // not space, -, ?, :
  }
  return false;
}

interface ParsedEntry {
  readonly property: PropertyNode;
  /** Added to offsets of the isolated parse before the region's start is: -1 for JSON's wrapping `{`. */
  readonly wrapperOffset: number;
}

/**
 * YAML: the region runs from the line of the entry's key to the line of the next key. Parsed alone it must be one
 * mapping pair at the siblings' indentation, with nothing that could reach outside: no errors, anchors, aliases,
 * document markers or directives, and the next entry must still start on a line of its own.
 */
function parseYamlEntry(
  old: string,
  entries: readonly PropertyNode[],
  k: number,
  oldRegion: string,
  newRegion: string,
): ParsedEntry | undefined {
  const indent = keyIndent(old, entries[k].key.offset);
  if (indent === undefined || keyIndent(old, entries[k + 1].key.offset) !== indent) return undefined;
  if (!newRegion.endsWith('\n')) return undefined;
  if (ANCHOR_OR_ALIAS.test(oldRegion) || ANCHOR_OR_ALIAS.test(newRegion) || DOCUMENT_MARKER.test(newRegion))
    return undefined;
  if (structureCount(newRegion) + maxIndent(newRegion) > MAX_ENTRY_STRUCTURE) return undefined;
  const parsed = parseDocument(newRegion, 'yaml');
  const entryRoot = parsed.root;
  if (parsed.syntaxErrors.length > 0 || entryRoot?.type !== 'object' || entryRoot.properties.length !== 1)
    return undefined;
  const property = entryRoot.properties[0];
  if (keyIndent(newRegion, property.key.offset) !== indent) return undefined;
  return { property, wrapperOffset: 0 };
}

/**
 * JSON: the region runs from the entry's key to the next key, the separating comma included. Parsed as
 * `{` + region + `"":0}` it must give exactly the entry and the sentinel, without errors: a missing comma, an
 * unterminated string or comment all show up as errors there.
 */
function parseJsonEntry(newRegion: string): ParsedEntry | undefined {
  if (structureCount(newRegion) > MAX_ENTRY_STRUCTURE) return undefined;
  const wrapped = `{${newRegion}"":0}`;
  const parsed = parseDocument(wrapped, 'json');
  const wrapper = parsed.root;
  if (parsed.syntaxErrors.length > 0 || wrapper?.type !== 'object' || wrapper.properties.length !== 2) return undefined;
  const [property, sentinel] = wrapper.properties as [PropertyNode, PropertyNode];
  if (property.key.offset !== 1 || sentinel.key.value !== '' || sentinel.key.offset !== newRegion.length + 1) {
    return undefined;
  }
  return { property, wrapperOffset: 1 };
}

// An `&anchor` or `*alias` where YAML would read one (after indentation, `- `, `: `, `? `, a flow indicator, or at
// a line start); over-approximated, which only costs a full parse.
const ANCHOR_OR_ALIAS = /(?:^|[\s[\]{},:])[&*][^\s[\]{},]/m;
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?:\s|$)|^%/m;

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The column of a key written at the start of its line after spaces only; undefined otherwise. */
function keyIndent(text: string, keyOffset: number): number | undefined {
  const from = lineStart(text, keyOffset);
  for (let i = from; i < keyOffset; i++) if (text.charCodeAt(i) !== 0x20) return undefined;
  return keyOffset - from;
}

function structureCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b || c === 0x21) n++; // [ { !
  }
  return n;
}

function maxIndent(text: string): number {
  let max = 0;
  let column = 0;
  let leading = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      column = 0;
      leading = true;
    } else if (leading && (c === 0x20 || c === 0x2d || c === 0x3f || c === 0x3a)) {
      column++;
      if (column > max) max = column;
    } else {
      leading = false;
    }
  }
  return max;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Moves nodes (and everything below them) by `delta`. */
function shiftNodes(nodes: readonly (AstNode | PropertyNode)[], delta: number): void {
  if (delta === 0) return;
  const stack: (AstNode | PropertyNode)[] = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop()!;
    (node as Mutable<AstNode | PropertyNode>).offset += delta;
    if (node.type === 'property') {
      if (node.colonOffset >= 0) (node as Mutable<PropertyNode>).colonOffset += delta;
      stack.push(node.key);
      if (node.value) stack.push(node.value);
    } else if (node.type === 'object') {
      for (const p of node.properties) stack.push(p);
    } else if (node.type === 'array') {
      for (const item of node.items) stack.push(item);
    } else if (isIntrinsicNode(node) && node.argument) {
      stack.push(node.argument);
    }
  }
}

// The same bound documentParser applies before parsing YAML (see yamlNestingEstimate there): a full parse refuses
// a document above it, so the spliced one must be refused too.
const MAX_YAML_NESTING_ESTIMATE = 1000;

function yamlNestingEstimate(text: string): number {
  let estimate = 0;
  let flow = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    let column = 0;
    while (i < n && text.charCodeAt(i) === 0x20) {
      i++;
      column++;
    }
    while (i < n) {
      const c = text.charCodeAt(i);
      const next = text.charCodeAt(i + 1);
      if (!((c === 0x2d || c === 0x3f || c === 0x3a) && (next === 0x20 || next === 0x0a))) break;
      i++;
      column++;
      while (i < n && text.charCodeAt(i) === 0x20) {
        i++;
        column++;
      }
    }
    if (2 * column + 2 * flow > estimate) estimate = 2 * column + 2 * flow;
    for (; i < n && text.charCodeAt(i) !== 0x0a; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5b || c === 0x7b) {
        flow++;
        if (2 * column + 2 * flow > estimate) estimate = 2 * column + 2 * flow;
      } else if ((c === 0x5d || c === 0x7d) && flow > 0) {
        flow--;
      }
    }
    i++;
  }
  return estimate;
}
