// Re-parses only the top-level `Resources` entry an edit falls in, and splices it into the previous AST: the yaml
// parser takes about a second on a 5,000-resource template, far too long to run on every keystroke. The result
// must be exactly what a full parse gives; whenever that is not certain, this returns undefined and the caller
// parses the whole document. Tested against full parses after random edits (incrementalAnalysis.test.ts).
//
// The previous AST is updated in place (nodes after the edit are shifted, the edited entry replaced): the analysis
// it belonged to must not be used afterwards.

import type { AstNode, ObjectNode, PropertyNode, StringNode } from '../engine/jsonAst';
import {
  isIntrinsicNode,
  MAX_YAML_NESTING_ESTIMATE,
  parseDocument,
  type DocumentLanguageId,
  type ParsedDocument,
} from './documentParser';

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
  /** The re-parsed `Resources` entry, spliced in (the only new node; every other is the previous one, moved). */
  readonly entry: PropertyNode;
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
  // A YAML block mapping starts at its first key, so lines put before the first entry's key (a comment, say) move
  // the start of `Resources` too; when it starts anywhere else (a tag before it...), leave that to a full parse.
  const firstKey = from - entry.wrapperOffset + entry.property.key.offset;
  const movesStart = k === 0 && firstKey !== entries[0].key.offset;
  if (movesStart && resources.offset !== entries[0].key.offset) return undefined;
  if (yaml) {
    // A full parse refuses a document above the nesting bound, so the spliced one must be refused too.
    const keyLineStart = from + lineStart(newRegion, entry.property.key.offset);
    // Lines before the new key now belong to the span before it: its summary no longer holds.
    if (keyLineStart !== from) nestingSummaries.delete(k === 0 ? root : entries[k - 1]);
    if (!keepsNestingEstimate(old, start, old.slice(start, oldEnd), text.slice(start, newEnd))) {
      const estimate = splicedNestingEstimate(old, text, root, resources, k, entry.property, keyLineStart, delta);
      if (estimate > MAX_YAML_NESTING_ESTIMATE) return undefined;
    }
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
  if (movesStart) {
    const end = resources.offset + resources.length;
    (resources as Mutable<ObjectNode>).offset = firstKey;
    (resources as Mutable<ObjectNode>).length = end - firstKey;
  }
  return { parsed: { root, syntaxErrors: [] }, region: { start: from, end: to, delta }, entry: entry.property };
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
  // An empty key (`  :`) is placed differently by a parse of the whole document: leave it to one.
  if (property.key.length === 0 || keyIndent(newRegion, property.key.offset) !== indent) return undefined;
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

/**
 * Moves nodes (and everything below them) by `delta`. It visits every node after the edit, the bulk of an
 * incremental analysis's time: keys move with their property instead of being visited, and the stack is indexed
 * rather than pushed and popped.
 */
function shiftNodes(nodes: readonly (AstNode | PropertyNode)[], delta: number): void {
  if (delta === 0) return;
  const stack: (AstNode | PropertyNode)[] = nodes.slice();
  let top = stack.length;
  while (top > 0) {
    const node = stack[--top];
    (node as Mutable<AstNode | PropertyNode>).offset += delta;
    switch (node.type) {
      case 'property':
        if (node.colonOffset >= 0) (node as Mutable<PropertyNode>).colonOffset += delta;
        (node.key as Mutable<StringNode>).offset += delta;
        if (node.value) stack[top++] = node.value;
        break;
      case 'object':
        for (const p of node.properties) stack[top++] = p;
        break;
      case 'array':
        for (const item of node.items) stack[top++] = item;
        break;
      case 'unknown':
        if (isIntrinsicNode(node) && node.argument) stack[top++] = node.argument;
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The YAML nesting estimate (documentParser's yamlNestingEstimate) of a spliced document, without reading all of it.
//
// The estimate scans lines, carrying one number from line to line: how many flow collections are open, where a
// closing bracket never takes it below zero. So a span of whole lines acts on it in a fixed way, summarised by four
// numbers (NestingSummary), and the estimate of a document is a fold of the summaries of its spans. The spans of a
// template are the text before the first `Resources` entry, each entry from its key's line to the next key's line,
// and the last entry to the end; their summaries are kept under the nodes an incremental parse keeps (the root, the
// entries, `Resources`), so after an edit only the spans it touched are scanned again.

/** How a span of whole lines acts on the estimate's running state; see foldNesting. */
export interface NestingSummary {
  /** Brackets opened minus brackets closed over the span. */
  readonly net: number;
  /** The lowest value that difference reaches along the span, 0 or less. */
  readonly low: number;
  /** The span's largest value is max(2 * open + `rise`, `peak`), entered with `open` collections open. */
  readonly rise: number;
  readonly peak: number;
}

/**
 * Summarises `text[start, end)`, which must start at a line start and end at one (or at the end of the text). It
 * follows yamlNestingEstimate step by step, with the count of open collections on entry left as a variable: after
 * a prefix of the span whose difference of opened and closed brackets is `s` and lowest difference `low`, that count
 * is max(open + s, s - low) (a closing bracket at zero is ignored).
 */
export function nestingSummary(text: string, start: number, end: number): NestingSummary {
  let s = 0;
  let low = 0;
  let rise = -Infinity;
  let peak = -Infinity;
  let i = start;
  while (i < end) {
    let column = 0;
    while (i < end && text.charCodeAt(i) === 0x20) {
      i++;
      column++;
    }
    // Compact nested entries (`- - x`, `? a`, `- a: b`) start deeper on the same line.
    while (i < end) {
      const c = text.charCodeAt(i);
      const next = text.charCodeAt(i + 1);
      if (!((c === 0x2d || c === 0x3f || c === 0x3a) && (next === 0x20 || next === 0x0a))) break;
      i++;
      column++;
      while (i < end && text.charCodeAt(i) === 0x20) {
        i++;
        column++;
      }
    }
    rise = Math.max(rise, 2 * column + 2 * s);
    peak = Math.max(peak, 2 * column + 2 * (s - low));
    for (; i < end && text.charCodeAt(i) !== 0x0a; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5b || c === 0x7b) {
        s++;
        rise = Math.max(rise, 2 * column + 2 * s);
        peak = Math.max(peak, 2 * column + 2 * (s - low));
      } else if (c === 0x5d || c === 0x7d) {
        s--;
        if (s < low) low = s;
      }
    }
    i++;
  }
  return { net: s, low, rise, peak };
}

/** The estimate of a text made of spans with these summaries, in order. */
export function foldNesting(summaries: Iterable<NestingSummary>): number {
  let estimate = 0;
  let open = 0;
  for (const { net, low, rise, peak } of summaries) {
    estimate = Math.max(estimate, 2 * open + rise, peak);
    open = Math.max(open + net, net - low);
  }
  return estimate;
}

/** Summaries of a template's spans, under the node each span starts with (see above). */
const nestingSummaries = new WeakMap<object, NestingSummary>();

/**
 * The estimate of `text`: `old` with entry `k` of `resources` replaced by `entry`, whose key's line starts at
 * `keyLineStart`. Spans after the entry are read in `old` (same text, before the move).
 */
function splicedNestingEstimate(
  old: string,
  text: string,
  root: ObjectNode,
  resources: ObjectNode,
  k: number,
  entry: PropertyNode,
  keyLineStart: number,
  delta: number,
): number {
  const entries = resources.properties;
  const last = entries.length - 1;
  // Where each span starts: in `text` up to the new entry, in `old` after it.
  const spanStart = (i: number): number => (i === k ? keyLineStart : lineStart(old, entries[i].key.offset));
  // A kept summary is taken as it is; a span is only located and scanned when its summary is missing.
  const summaryOf = (node: object, scan: () => NestingSummary): NestingSummary => {
    let s = nestingSummaries.get(node);
    if (!s) {
      s = scan();
      nestingSummaries.set(node, s);
    }
    return s;
  };
  const summaries: NestingSummary[] = [summaryOf(root, () => nestingSummary(text, 0, spanStart(0)))];
  for (let i = 0; i < last; i++) {
    const node = i === k ? entry : entries[i];
    const kept = nestingSummaries.get(node);
    if (kept) {
      summaries.push(kept);
      continue;
    }
    const end = i === k - 1 ? keyLineStart : i === k ? spanStart(k + 1) + delta : spanStart(i + 1);
    const scanned = nestingSummary(i === k - 1 || i === k ? text : old, spanStart(i), end);
    nestingSummaries.set(node, scanned);
    summaries.push(scanned);
  }
  summaries.push(summaryOf(resources, () => nestingSummary(old, spanStart(last), old.length)));
  return foldNesting(summaries);
}
