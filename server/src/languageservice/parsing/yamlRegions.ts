// The "region-isolated" reading of a YAML template with syntax errors: the template is cut into regions by its lines
// (each top-level property; `Resources` into its header line and one region per entry), each region is parsed on its
// own, and the results are put together. The yaml parser's recovery from an error can reach far past the error (an
// unclosed `[` inside one resource swallows every resource after it, up to the next top-level key); parsed this way an
// error stays inside its region, so the problems of the other resources are still reported, and an edit that breaks
// one resource only needs that resource parsed again (incrementalParse.ts) to give the same result.
//
// A valid document is read so too (the same tree as a whole parse, sooner: see parseValidYamlByRegions); one with
// problems only when a parse of the whole text has syntax errors too; and only when the cut is certain to be well
// defined. Left to the whole-document parse:
// - anchors and aliases (an alias may refer to another region), document markers and directives (several documents);
// - no `Resources:` line of its own (`Resources:` followed by nothing or a comment) with at least one entry, or more
//   than one; anything but comments before the first top-level key; a line starting with a tab; a key at a region's
//   indentation that does not start with a letter, digit or `_` (a tag, a quote, `- `, `? `...);
// - a region that does not parse alone as one block mapping with one key, at its first line and the region's
//   indentation (a region starting with `- `, a key erased to `  :`...);
// - a region with so much structure that the depth limits of a whole parse might be reached in it;
// - a document whose regions all parse without errors (the errors were between regions: the whole parse's stand).
//
// Syntax problems of a region stay in it: one the parser puts at the region's end (the next region's first
// character) is moved to its last character, so that which region a problem belongs to is known from its offset.

import type { AstNode, ObjectNode, PropertyNode, StringNode } from '../../engine/jsonAst';
import type { ParsedDocument, SyntaxProblem } from './parsedDocument';

/**
 * Roots whose syntax errors all come from parses of single regions (a region-isolated YAML parse, or JSON regions
 * parsed by incrementalParse): an edit in another region keeps them (moved), an edit in theirs replaces them.
 */
export const regionLocalErrorRoots = new WeakSet<AstNode>();

/**
 * Structure (brackets, indentation) in one region beyond which the depth limits of a full parse might be reached. Tags
 * are not counted: a tag adds no level to the yaml composer, and an intrinsic tag wraps one node, a scalar or a
 * collection that brackets or indentation already count, so it at most doubles the depth of the house AST (which
 * the nesting estimate's factor 2 allows for). Counting them kept a resource with a list of 400 `!Ref`s (a policy
 * naming its queues) out of the region cut, and the whole template with it.
 */
export const MAX_REGION_STRUCTURE = 400;

/** How a YAML template is cut into regions: line starts, in text offsets. */
export interface YamlRegions {
  /** The line of each top-level key. */
  readonly topLevel: readonly number[];
  /** Which of them is `Resources`. */
  readonly resourcesIndex: number;
  /** The line of each `Resources` entry's key. */
  readonly entries: readonly number[];
  /** The indentation of the entries. */
  readonly entryIndent: number;
}

/**
 * Whether the text has an `&anchor` or `*alias` where YAML would read one (after white space, a flow indicator or `:`,
 * or at the start, and followed by a character that can be part of a name); over-approximated, which only costs the
 * region-isolated reading. Written as a scan of the occurrences of `&` and `*` rather than a regular expression: it
 * runs over the whole text at each edit that leaves a syntax error, and the expression tried every position of 3 MB.
 */
export function hasAnchorOrAlias(text: string): boolean {
  for (const indicator of ['&', '*']) {
    for (let i = text.indexOf(indicator); i >= 0; i = text.indexOf(indicator, i + 1)) {
      if (i > 0 && !BEFORE_ANCHOR.test(text[i - 1])) continue;
      if (i + 1 < text.length && !NOT_IN_NAME.test(text[i + 1])) return true;
    }
  }
  return false;
}

const BEFORE_ANCHOR = /[\s[\]{},:]/;
const NOT_IN_NAME = /[\s[\]{},]/;

/** Whether the text has a line that is a document marker (`---`, `...`) or a directive (`%`). */
export function hasDocumentMarker(text: string): boolean {
  for (const marker of ['---', '...', '%']) {
    for (let i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) {
      if (i > 0 && !LINE_TERMINATOR.test(text[i - 1])) continue;
      const after = i + marker.length;
      if (marker === '%' || after >= text.length || /\s/.test(text[after])) return true;
    }
  }
  return false;
}

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const RESOURCES_LINE = /^Resources[ \t]*:[ \t]*(?:#.*)?$/;

/** Cuts a YAML template into regions (see the header); undefined when it cannot be. */
export function splitYamlRegions(text: string): YamlRegions | undefined {
  if (hasAnchorOrAlias(text) || hasDocumentMarker(text)) return undefined;
  const topLevel: number[] = [];
  const entries: number[] = [];
  let resourcesIndex = -1;
  let entryIndent = -1;
  let inResources = false;
  // Structure of the current region (see MAX_REGION_STRUCTURE).
  let structure = 0;
  let maxIndent = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const start = i;
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = n;
    let column = 0;
    while (i < eol && text.charCodeAt(i) === 0x20) {
      i++;
      column++;
    }
    const c = i < eol ? text.charCodeAt(i) : -1;
    const blank = c === -1 || c === 0x0d || c === 0x23; // an empty line, or a comment
    if (c === 0x09) return undefined; // a tab: leave it to the whole parse
    if (!blank) {
      let regionStart = false;
      if (column === 0) {
        if (inResources && entries.length === 0) return undefined; // `Resources` without entries
        inResources = false;
        topLevel.push(start);
        regionStart = true;
        if (RESOURCES_LINE.test(text.slice(start, eol).replace(/\r$/, ''))) {
          if (resourcesIndex >= 0) return undefined;
          resourcesIndex = topLevel.length - 1;
          inResources = true;
        } else if (text.startsWith('Resources', start) && /^Resources\s*:/.test(text.slice(start, eol))) {
          return undefined; // `Resources: {...}`, say
        }
      } else if (topLevel.length === 0) {
        return undefined; // indented text before the first key
      } else if (inResources) {
        if (entryIndent < 0) entryIndent = column;
        if (column === entryIndent) {
          entries.push(start);
          regionStart = true;
        }
      }
      if (regionStart) {
        // A plain key (a logical ID, a section name): a tag, anchor, quote or indicator there is left to the whole
        // parse, so that every region of a document the whole parse reads without errors parses alone as its part.
        if (!isPlainKeyStart(c)) return undefined;
        if (structure + maxIndent > MAX_REGION_STRUCTURE) return undefined;
        structure = 0;
        maxIndent = 0;
      }
    }
    // Structure, counted as incrementalParse counts a region's (indentation and indicators as columns).
    let j = i;
    let lead = column;
    for (; j < eol; j++) {
      const ch = text.charCodeAt(j);
      if (ch !== 0x20 && ch !== 0x2d && ch !== 0x3f && ch !== 0x3a) break;
      lead++;
    }
    if (lead > maxIndent) maxIndent = lead;
    for (; j < eol; j++) {
      const ch = text.charCodeAt(j);
      if (ch === 0x5b || ch === 0x7b) structure++; // [ {
    }
    i = eol + 1;
  }
  if (structure + maxIndent > MAX_REGION_STRUCTURE) return undefined;
  if (resourcesIndex < 0 || entries.length === 0) return undefined;
  return { topLevel, resourcesIndex, entries, entryIndent };
}

function isPlainKeyStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** One region parsed alone: its property, in offsets of the text it was cut from. */
export interface ParsedYamlRegion {
  readonly property: PropertyNode;
  /** The region's block mapping: where it ends, whether it counts as closed. */
  readonly mappingEnd: number;
  readonly closed: boolean;
  readonly errors: SyntaxProblem[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Parses `text[start, end)` alone (with `parse`, a parse of a whole YAML document without this module): it must be one
 * block mapping with one key, on the region's first line at `indent`. Offsets are moved to those of `text`.
 */
export function parseYamlRegionAlone(
  text: string,
  start: number,
  end: number,
  indent: number,
  parse: (text: string) => ParsedDocument,
): ParsedYamlRegion | undefined {
  const regionText = detachedSlice(text, start, end);
  const parsed = parse(regionText);
  const mapping = parsed.root;
  if (mapping?.type !== 'object' || mapping.properties.length !== 1) return undefined;
  const property = mapping.properties[0];
  if (property.key.length === 0 || property.key.offset !== indent) return undefined;
  for (let i = 0; i < indent; i++) if (regionText.charCodeAt(i) !== 0x20) return undefined;
  const errors: SyntaxProblem[] = [];
  const atEnd = end === text.length;
  for (const e of parsed.syntaxErrors) {
    // Keep a problem inside its region (see the header).
    const offset = atEnd ? e.offset : Math.min(e.offset, regionText.length - 1);
    const length = atEnd ? e.length : Math.min(e.length, regionText.length - offset);
    errors.push({ ...e, offset: offset + start, length });
  }
  shiftNodes([property], start);
  property.parent = undefined;
  return { property, mappingEnd: start + mapping.offset + mapping.length, closed: mapping.closed, errors };
}

/**
 * A valid YAML template read region by region: the same tree as a parse of the whole text, sooner (the yaml composer
 * never holds one mapping of thousands of entries: about a fifth less time on a 5,000-resource template, and the
 * garbage of each region's parse dies young). Undefined when the template cannot be cut into regions, or when a
 * region has a problem (then the whole parse decides, as for any document with errors).
 */
export function parseValidYamlByRegions(
  text: string,
  parse: (text: string) => ParsedDocument,
): ParsedDocument | undefined {
  const read = readYamlRegions(text, parse);
  return read && read.syntaxErrors.length === 0 ? read : undefined;
}

/**
 * The region-isolated reading of a YAML template (see the header), with or without problems; undefined when the cut
 * is not defined.
 */
export function readYamlRegions(text: string, parse: (text: string) => ParsedDocument): ParsedDocument | undefined {
  const regions = splitYamlRegions(text);
  if (!regions) return undefined;
  const { topLevel, resourcesIndex, entries, entryIndent } = regions;
  const parsedTopLevel: ParsedYamlRegion[] = [];
  const syntaxErrors: SyntaxProblem[] = [];
  let resourcesValue: ObjectNode | undefined;
  let end = 0;
  for (let t = 0; t < topLevel.length; t++) {
    const regionEnd = t + 1 < topLevel.length ? topLevel[t + 1] : text.length;
    if (t !== resourcesIndex) {
      const region = parseYamlRegionAlone(text, topLevel[t], regionEnd, 0, parse);
      if (!region) return undefined;
      parsedTopLevel.push(region);
      syntaxErrors.push(...region.errors);
      end = region.mappingEnd;
      continue;
    }
    // `Resources:` alone, then each entry; the entries become its value.
    const header = parseYamlRegionAlone(text, topLevel[t], entries[0], 0, parse);
    if (!header || header.errors.length > 0) return undefined;
    const properties: PropertyNode[] = [];
    let closed = true;
    for (let e = 0; e < entries.length; e++) {
      const entryEnd = e + 1 < entries.length ? entries[e + 1] : regionEnd;
      const entry = parseYamlRegionAlone(text, entries[e], entryEnd, entryIndent, parse);
      if (!entry) return undefined;
      if (e === 0) closed = entry.closed;
      properties.push(entry.property);
      syntaxErrors.push(...entry.errors);
      end = entry.mappingEnd;
    }
    const offset = properties[0].key.offset;
    resourcesValue = { type: 'object', offset, length: end - offset, properties, closed };
    const resources = header.property as Mutable<PropertyNode>;
    resources.value = resourcesValue;
    resources.length = Math.max(end, resources.key.offset + resources.key.length) - resources.offset;
    parsedTopLevel.push(header);
  }
  const rootProperties = parsedTopLevel.map((r) => r.property);
  const rootOffset = rootProperties[0].key.offset;
  const root: ObjectNode = {
    type: 'object',
    offset: rootOffset,
    length: end - rootOffset,
    properties: rootProperties,
    closed: parsedTopLevel[0].closed,
  };
  linkParents(root, resourcesValue);
  if (syntaxErrors.length > 0) regionLocalErrorRoots.add(root);
  return { root, syntaxErrors };
}

/** The parent links the assembly made (those inside each region come from its parse). */
function linkParents(root: ObjectNode, resources: ObjectNode | undefined): void {
  for (const p of root.properties) p.parent = root;
  if (!resources) return;
  resources.parent = root.properties.find((p) => p.value === resources);
  for (const p of resources.properties) p.parent = resources;
}

/**
 * A copy of a slice of a text that does not keep the text alive. V8 makes a slice of a long string a view of it, and
 * the parser's values are slices of what it parses: nodes of a region parsed from a plain slice would keep the whole
 * text of that version in memory (a template's worth per edit). Concatenation then slicing makes V8 copy the slice.
 */
export function detachedSlice(text: string, start: number, end: number): string {
  return (' ' + text.slice(start, end)).slice(1);
}

/**
 * Moves nodes (and everything below them) by `delta`. It visits every node after an edit, the bulk of an
 * incremental analysis's time: keys move with their property instead of being visited, and the stack is indexed
 * rather than pushed and popped.
 */
export function shiftNodes(nodes: readonly (AstNode | PropertyNode)[], delta: number): void {
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
        // An intrinsic (IntrinsicNode): its argument is part of the document.
        if (typeof (node as { intrinsic?: unknown }).intrinsic === 'string') {
          const argument = (node as { argument?: AstNode }).argument;
          if (argument) stack[top++] = argument;
        }
        break;
    }
  }
}
