// Re-parses only the part of a template an edit falls in, and splices it into the previous AST: the yaml parser takes
// about a second on a 5,000-resource template, far too long to run on every keystroke. The part is one "region": a
// `Resources` entry (the last one runs to the end of `Resources`), or a top-level property other than `Resources`
// (Parameters, Outputs...; the last one runs to the end of the document), or several neighbouring regions when the
// edit spans them (whole entries selected and deleted). The re-parsed regions may hold several properties (a resource
// typed after the last one, entries pasted), never none: when the edit leaves none, a neighbouring region is re-parsed
// with them. The result must be exactly what a full parse gives; whenever that is not certain, this returns undefined
// and the caller parses the whole document. Tested against full parses after random edits
// (incrementalAnalysis.test.ts).
//
// Left to a full parse, because the result depends on text outside the regions:
// - edits of `Resources:` itself or between it and its first entry, and of anything outside the top-level mapping
//   (a document marker, a second document); deleting every entry of `Resources`;
// - YAML syntax errors that cannot be kept inside their region (see yamlRegions.ts: a YAML template with syntax errors
//   is read region by region, so a region parsed with errors is spliced when the regions of the new text, cut by its
//   lines, are the previous ones but for the edited one);
// - JSON errors at a region's boundary other than a missing comma.
//   JSON errors inside a region are kept: jsonc-parser is a recursive descent parser whose state at a region's first
//   key is always the same (in the enclosing object's loop, about to read a property), so a region parsed alone from
//   that state, and reaching the next key (a sentinel) in that state again, parses as it would in the document. A
//   comma missing between two entries is reported at the next entry's key, the boundary, and leaves the parser in
//   that same state: the two regions are then re-parsed together (and again on later edits of either, as long as the
//   error is there), so the error always lies inside a re-parsed span.
//
// The previous AST is updated in place (nodes after the edit are shifted, the edited region replaced): the analysis
// it belonged to must not be used afterwards.

import type { AstNode, ObjectNode, PropertyNode } from '../../engine/jsonAst';
import {
  JSON_COMMA_EXPECTED,
  MAX_YAML_NESTING_ESTIMATE,
  parseDocument,
  parseYamlText,
  type DocumentLanguageId,
  type ParsedDocument,
  type SyntaxProblem,
} from './documentParser';
import {
  ANCHOR_OR_ALIAS,
  DOCUMENT_MARKER,
  MAX_REGION_STRUCTURE,
  parseYamlRegionAlone,
  regionLocalErrorRoots,
  shiftNodes,
  splitYamlRegions,
} from './yamlRegions';

export interface PreviousParse {
  readonly text: string;
  readonly languageId: DocumentLanguageId;
  readonly root: AstNode | undefined;
  readonly syntaxErrors: readonly SyntaxProblem[];
}

/** Where the edit fell, in offsets of the previous text. */
export interface SplicedRegion {
  /** The replaced region in the previous text: [start, end). */
  readonly start: number;
  readonly end: number;
  /** How much longer the new text is. */
  readonly delta: number;
}

export interface IncrementalParse {
  readonly parsed: ParsedDocument;
  readonly region: SplicedRegion;
  /**
   * The re-parsed properties, spliced in (the only new nodes; every other is the previous one, moved): entries of
   * `Resources`, or top-level properties when `topLevel`.
   */
  readonly entries: readonly PropertyNode[];
  readonly topLevel: boolean;
}

/**
 * Roots whose syntax errors all come from parses of single regions (JSON regions parsed here; a region-isolated YAML
 * parse): an edit in another region keeps them (moved), an edit in theirs replaces them. Errors of a full parse are
 * not known to be local.
 */
const localErrors = regionLocalErrorRoots;

/** The properties of one level (the entries of `Resources`, or the top level) and where the last one's region ends. */
interface Level {
  readonly container: ObjectNode;
  readonly properties: PropertyNode[];
  /** The end of the last property's region in the previous text (for JSON, the container's closing brace). */
  readonly end: number;
  readonly topLevel: boolean;
}

export function reparseIncrementally(previous: PreviousParse, text: string): IncrementalParse | undefined {
  const root = previous.root;
  if (!root || root.type !== 'object') return undefined;
  if (previous.syntaxErrors.length > 0 && !localErrors.has(root)) return undefined;
  const old = previous.text;
  if (old === text) return undefined;

  const { start, oldEnd, newEnd } = changedSpan(old, text);
  const delta = text.length - old.length;

  const resourcesProperties = root.properties.filter((p) => p.key.value === 'Resources');
  if (resourcesProperties.length !== 1) return undefined;
  const resourcesProperty = resourcesProperties[0];
  const resources = resourcesProperty.value;
  if (resources?.type !== 'object' || resources.properties.length === 0) return undefined;
  const yaml = previous.languageId === 'yaml';
  const regionStart = (p: PropertyNode): number => (yaml ? lineStart(old, p.key.offset) : p.key.offset);
  // JSON regions end at the closing brace, which must be there.
  const closingBrace = (o: ObjectNode): number | undefined =>
    o.closed && old.charCodeAt(o.offset + o.length - 1) === 0x7d ? o.offset + o.length - 1 : undefined;
  const rootProperties = root.properties;
  const resourcesIndex = rootProperties.indexOf(resourcesProperty);

  // The level the edit falls in: inside the entries of `Resources`, or else in a top-level property.
  const afterResources = rootProperties[resourcesIndex + 1] as PropertyNode | undefined;
  const entriesEnd = yaml ? (afterResources ? regionStart(afterResources) : old.length) : closingBrace(resources);
  const rootEnd = yaml ? old.length : closingBrace(root);
  let level: Level;
  if (entriesEnd !== undefined && start >= regionStart(resources.properties[0]) && oldEnd <= entriesEnd) {
    level = { container: resources, properties: resources.properties, end: entriesEnd, topLevel: false };
  } else if (rootEnd !== undefined) {
    level = { container: root, properties: rootProperties, end: rootEnd, topLevel: true };
  } else {
    return undefined;
  }
  const { properties, container, topLevel } = level;

  // The regions the edit touches: from the last one starting at or before its start to the one its end falls in (an
  // edit ending where a region starts ends in the one before). Several when whole entries are deleted, say.
  if (regionStart(properties[0]) > start) return undefined;
  let lo = 0;
  let hi = properties.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (regionStart(properties[mid]) <= start) lo = mid;
    else hi = mid - 1;
  }
  let k = lo;
  let m = k;
  while (m + 1 < properties.length && regionStart(properties[m + 1]) < oldEnd) m++;
  if (topLevel && properties.slice(k, m + 1).includes(resourcesProperty)) return undefined;
  const spanEnd = (j: number): number => (j === properties.length - 1 ? level.end : regionStart(properties[j + 1]));
  if (oldEnd > spanEnd(m) || regionStart(properties[k]) >= spanEnd(m)) return undefined;

  // The regions' new text. When it holds no property (the edit deleted the regions' entries), a neighbour is
  // re-parsed with it: the one before (its region now runs over what is left, and a JSON comma it ends with may now
  // be dangling), or for the first the one after (it becomes the first). So at least one property is spliced in.
  // JSON: a missing comma is reported at the key after it, so a span never ends or starts there: the regions on both
  // sides of it are re-parsed together.
  const commaMissingAt = (offset: number): boolean =>
    previous.syntaxErrors.some((e) => e.offset === offset && e.message === JSON_COMMA_EXPECTED);
  const isResources = (j: number): boolean => topLevel && properties[j] === resourcesProperty;
  let region: ParsedRegion | 'errors' | 'empty' | 'missingComma' | undefined;
  let from: number;
  let to: number;
  for (;;) {
    const last = m === properties.length - 1;
    from = regionStart(properties[k]);
    to = spanEnd(m);
    if (!yaml && k > 0 && commaMissingAt(from)) region = 'missingComma';
    else if (!yaml && !last && commaMissingAt(to)) region = 'missingComma';
    else {
      const newRegion = text.slice(from, to + delta);
      region = yaml
        ? parseYamlRegion(old, properties, k, m, last && to === old.length, old.slice(from, to), newRegion)
        : parseJsonRegion(newRegion, last);
    }
    if (region === 'empty') {
      if (k > 0 && !isResources(k - 1)) k--;
      else if (!last && !isResources(m + 1)) m++;
      else return undefined;
    } else if (region === 'missingComma') {
      if (k > 0 && commaMissingAt(from)) {
        if (isResources(k - 1)) return undefined;
        k--;
      } else if (!last && !isResources(m + 1)) m++;
      else return undefined;
    } else break;
  }
  const last = m === properties.length - 1;
  if (region === 'errors') {
    const oldStarts = { entries: resources.properties.map(regionStart), topLevel: rootProperties.map(regionStart) };
    region = parseYamlRegionsWithErrors(text, oldStarts, topLevel, k, m, from, to, delta);
  }
  if (!region) return undefined;
  const parsedProperties = region.properties;
  // Another `Resources` would change which one a full parse reads.
  if (topLevel && parsedProperties.some((p) => p.key.value === 'Resources')) return undefined;
  const offsetDelta = from - region.wrapperOffset;
  // A YAML block mapping starts at its first key, so lines put before the first key (a comment, say) move the start
  // of the mapping too; when it starts anywhere else (a tag before it...), leave that to a full parse.
  const firstKey = offsetDelta + parsedProperties[0].key.offset;
  const movesStart = yaml && k === 0 && firstKey !== properties[0].key.offset;
  if (movesStart && container.offset !== properties[0].key.offset) return undefined;

  // Certain now (but for the YAML nesting bound, checked below on the spliced tree): splice. Offsets of the
  // isolated parse are relative to its own text.
  shiftNodes(parsedProperties, offsetDelta);
  for (const p of parsedProperties) p.parent = container;
  const afterTopLevel = rootProperties.slice(resourcesIndex + 1);
  const shifted = topLevel ? rootProperties.slice(m + 1) : [...properties.slice(m + 1), ...afterTopLevel];
  shiftNodes(shifted, delta);
  const replaced = properties.splice(k, m - k + 1, ...parsedProperties);
  // Enclosing nodes that end after the region move their end; one that ends inside it (the region is its last) ends
  // where the isolated parse's mapping ends (YAML; JSON regions end before the closing brace).
  const enclosing: Mutable<{ offset: number; length: number }>[] = topLevel
    ? [root]
    : [root, resourcesProperty, resources];
  const isolatedEnd = offsetDelta + region.end;
  for (const node of enclosing) {
    if (node.offset + node.length > to) node.length += delta;
    else if (yaml) node.length = isolatedEnd - node.offset;
    else return undefined; // not expected: a JSON container ends at its brace, after the region
  }
  if (movesStart) {
    const end = container.offset + container.length;
    (container as Mutable<ObjectNode>).offset = firstKey;
    (container as Mutable<ObjectNode>).length = end - firstKey;
  }

  if (yaml) {
    // Summaries of spans whose text changed (see the nesting estimate below).
    if (topLevel) nestingSummaries.delete(k < resourcesIndex ? root : resources);
    else {
      if (lineStart(text, firstKey) !== from) nestingSummaries.delete(k === 0 ? root : properties[k - 1]);
      if (last) nestingSummaries.delete(resources);
    }
    for (const p of replaced) nestingSummaries.delete(p);
    // A full parse refuses a document above the nesting bound, so the spliced one must be refused too.
    if (!keepsNestingEstimate(old, start, old.slice(start, oldEnd), text.slice(start, newEnd))) {
      if (documentNestingEstimate(text, root, resources) > MAX_YAML_NESTING_ESTIMATE) return undefined;
    }
  }

  const syntaxErrors = yaml
    ? // A YAML region's problems lie in [start, end) of the region, or [start, end] for one that ends the text.
      spliceErrors(previous.syntaxErrors, region.errors, from, offsetDelta, delta, (o) => to < old.length && o >= to)
    : // A last JSON region's errors include those at the closing brace.
      spliceErrors(
        previous.syntaxErrors,
        region.errors,
        from,
        offsetDelta,
        delta,
        (o) => o > to || (o === to && !last),
      );
  // YAML problems are local only in a region-isolated parse, which a document gets only with an error.
  if (yaml && syntaxErrors.length > 0 && !syntaxErrors.some((e) => e.severity === 'error')) return undefined;
  if (syntaxErrors.length > 0) localErrors.add(root);
  return {
    parsed: { root, syntaxErrors },
    region: { start: from, end: to, delta },
    entries: parsedProperties,
    topLevel,
  };
}

/**
 * The errors of the spliced document: the previous ones before the region, the region's, and the previous ones after
 * it (moved). Every previous error came from the parse of one region (see localErrors), so offsets tell which;
 * `after` says which previous offsets lie after the region (YAML and JSON regions end differently).
 */
function spliceErrors(
  previous: readonly SyntaxProblem[],
  regionErrors: readonly SyntaxProblem[],
  from: number,
  offsetDelta: number,
  delta: number,
  after: (offset: number) => boolean,
): SyntaxProblem[] {
  if (previous.length === 0 && regionErrors.length === 0) return [];
  const out: SyntaxProblem[] = previous.filter((e) => e.offset < from);
  for (const e of regionErrors) out.push({ ...e, offset: e.offset + offsetDelta });
  for (const e of previous) if (after(e.offset)) out.push(delta === 0 ? e : { ...e, offset: e.offset + delta });
  return out;
}

/**
 * YAML: the edited region parsed with problems. It is read as a region-isolated parse of the whole new text reads it
 * (yamlRegions.ts): the new text must be cut into the same regions as the previous one but for the edited region
 * (which may now be several), and each of those is parsed alone. The properties and problems are returned in offsets
 * of the new region's text, as parseYamlRegion's.
 */
function parseYamlRegionsWithErrors(
  text: string,
  oldStarts: { readonly entries: readonly number[]; readonly topLevel: readonly number[] },
  topLevel: boolean,
  k: number,
  m: number,
  from: number,
  to: number,
  delta: number,
): ParsedRegion | undefined {
  const regions = splitYamlRegions(text);
  if (!regions) return undefined;
  const newTo = to + delta;
  // The level of the edit: the same starts before the region and after it (moved), and at least one in it, at its start.
  const [edited, other] = topLevel
    ? [
        [regions.topLevel, oldStarts.topLevel],
        [regions.entries, oldStarts.entries],
      ]
    : [
        [regions.entries, oldStarts.entries],
        [regions.topLevel, oldStarts.topLevel],
      ];
  const [newStarts, previousStarts] = edited;
  const replaced = m - k + 1;
  const inside = newStarts.length - (previousStarts.length - replaced);
  if (inside < 1 || newStarts[k] !== from) return undefined;
  for (let j = 0; j < k; j++) if (newStarts[j] !== previousStarts[j]) return undefined;
  for (let j = m + 1; j < previousStarts.length; j++)
    if (newStarts[j - replaced + inside] !== previousStarts[j] + delta) return undefined;
  if (k + inside < newStarts.length && newStarts[k + inside] !== newTo) return undefined;
  // The other level lies wholly before or after the region.
  const [otherNew, otherPrevious] = other;
  if (otherNew.length !== otherPrevious.length) return undefined;
  for (let j = 0; j < otherNew.length; j++) {
    const p = otherPrevious[j];
    if (otherNew[j] !== (p < from ? p : p + delta)) return undefined;
  }
  const indent = topLevel ? 0 : regions.entryIndent;
  const properties: PropertyNode[] = [];
  const errors: SyntaxProblem[] = [];
  let end = 0;
  for (let j = k; j < k + inside; j++) {
    const regionEnd = j + 1 < k + inside ? newStarts[j + 1] : newTo;
    const parsed = parseYamlRegionAlone(text, newStarts[j], regionEnd, indent, parseYamlText);
    if (!parsed) return undefined;
    properties.push(parsed.property);
    for (const e of parsed.errors) errors.push({ ...e, offset: e.offset - from });
    end = parsed.mappingEnd - from;
  }
  shiftNodes(properties, -from);
  return { properties, wrapperOffset: 0, end, errors };
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

interface ParsedRegion {
  /** The region's properties, in offsets of the isolated parse. */
  readonly properties: PropertyNode[];
  /** Added to offsets of the isolated parse before the region's start is: 1 for JSON's wrapping `{`. */
  readonly wrapperOffset: number;
  /** YAML: where the isolated mapping ends (where the enclosing mapping ends when the region is its last). */
  readonly end: number;
  /** Syntax problems inside the region, in offsets of the isolated parse. */
  readonly errors: readonly SyntaxProblem[];
}

/**
 * YAML: the region runs from the line of the property's key to the line of the next key (or, for the last one, to
 * the line of the next top-level key or the end of the text); regions `k` to `m` are re-parsed together. Parsed
 * alone the new text must be one block mapping, every key at the siblings' indentation, with nothing that could reach
 * outside: no errors, anchors, aliases, document markers or directives, and what follows must still start on a line
 * of its own. 'empty' when it is blank lines and comments only.
 */
function parseYamlRegion(
  old: string,
  properties: readonly PropertyNode[],
  k: number,
  m: number,
  atEnd: boolean,
  oldRegion: string,
  newRegion: string,
): ParsedRegion | 'errors' | 'empty' | undefined {
  const indent = keyIndent(old, properties[k].key.offset);
  if (indent === undefined) return undefined;
  if (m + 1 < properties.length && keyIndent(old, properties[m + 1].key.offset) !== indent) return undefined;
  if (!atEnd && newRegion !== '' && !newRegion.endsWith('\n')) return undefined;
  if (ANCHOR_OR_ALIAS.test(oldRegion) || ANCHOR_OR_ALIAS.test(newRegion) || DOCUMENT_MARKER.test(newRegion))
    return undefined;
  if (BLANK_OR_COMMENT_LINES.test(newRegion)) return 'empty';
  if (structureCount(newRegion) + maxIndent(newRegion) > MAX_REGION_STRUCTURE) return undefined;
  const parsed = parseYamlText(newRegion);
  // With problems, the region is read as a region-isolated parse reads it (see parseYamlRegionsWithErrors).
  if (parsed.syntaxErrors.length > 0) return 'errors';
  const mapping = parsed.root;
  if (mapping?.type !== 'object' || mapping.properties.length === 0) return undefined;
  // An empty key (`  :`) is placed differently by a parse of the whole document: leave it to one.
  for (const p of mapping.properties)
    if (p.key.length === 0 || keyIndent(newRegion, p.key.offset) !== indent) return undefined;
  return { properties: mapping.properties, wrapperOffset: 0, end: mapping.offset + mapping.length, errors: [] };
}

/** Text of blank lines and comment lines only (nothing, too). */
const BLANK_OR_COMMENT_LINES = /^(?:[ \t\r]*(?:#[^\n]*)?\n)*[ \t\r]*(?:#[^\n]*)?$/;

/**
 * JSON: the region runs from the property's key to the next key, the separating comma included, or for the last one
 * to the closing brace. Parsed as `{` + region + `"":0}` (or `{` + region + `}`) it must give the region's properties
 * and the sentinel (or the closing brace) exactly where they are, with no error at the sentinel or at a property's
 * key after the first (a missing comma shows up there): the parser then reads the region as it does in the document.
 * Errors inside the region are kept. 'empty' when the region holds no property (whitespace, a stray comma...);
 * 'missingComma' when the only error at the sentinel is a missing comma (the region must be re-parsed with the next).
 */
function parseJsonRegion(newRegion: string, last: boolean): ParsedRegion | 'empty' | 'missingComma' | undefined {
  if (structureCount(newRegion) > MAX_REGION_STRUCTURE) return undefined;
  const wrapped = last ? `{${newRegion}}` : `{${newRegion}"":0}`;
  const parsed = parseDocument(wrapped, 'json');
  const wrapper = parsed.root;
  if (wrapper?.type !== 'object' || wrapper.offset !== 0 || wrapper.length !== wrapped.length) return undefined;
  const properties = wrapper.properties.slice();
  const boundary = newRegion.length + 1;
  if (last) {
    if (!wrapper.closed) return undefined;
  } else {
    const sentinel = properties.pop();
    if (sentinel?.key.value !== '' || sentinel.key.offset !== boundary || sentinel.value?.type !== 'number')
      return undefined;
  }
  if (properties.length === 0) return 'empty';
  if (properties[0].key.offset !== 1) return undefined;
  const keys = new Set(properties.slice(1).map((p) => p.key.offset));
  // A comma missing before the sentinel: the document's next key gets the error.
  const atSentinel = last ? [] : parsed.syntaxErrors.filter((e) => e.offset === boundary);
  if (atSentinel.length > 0)
    return atSentinel.length === 1 && atSentinel[0].message === JSON_COMMA_EXPECTED ? 'missingComma' : undefined;
  // Errors up to the sentinel (excluded) or the closing brace (included: the document's brace gets the same ones);
  // at a key after the first only a missing comma's.
  const limit = last ? boundary + 1 : boundary;
  for (const e of parsed.syntaxErrors)
    if (
      e.offset < 1 ||
      e.offset + e.length > limit ||
      (!last && e.offset >= boundary) ||
      (keys.has(e.offset) && e.message !== JSON_COMMA_EXPECTED)
    )
      return undefined;
  return { properties, wrapperOffset: 1, end: 0, errors: parsed.syntaxErrors };
}

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
 * The nesting estimate of a template's text from the summaries of its spans: the text before the first `Resources`
 * entry (kept under the root), each entry but the last (under the entry), and the last entry to the end of the text
 * (under `Resources`). A span whose summary is missing is scanned; the splice deletes those whose text it changed.
 */
function documentNestingEstimate(text: string, root: ObjectNode, resources: ObjectNode): number {
  const entries = resources.properties;
  const last = entries.length - 1;
  const spanStart = (i: number): number => lineStart(text, entries[i].key.offset);
  const summaryOf = (node: object, start: () => number, end: () => number): NestingSummary => {
    let s = nestingSummaries.get(node);
    if (!s) {
      s = nestingSummary(text, start(), end());
      nestingSummaries.set(node, s);
    }
    return s;
  };
  const summaries: NestingSummary[] = [
    summaryOf(
      root,
      () => 0,
      () => spanStart(0),
    ),
  ];
  for (let i = 0; i < last; i++) {
    summaries.push(
      summaryOf(
        entries[i],
        () => spanStart(i),
        () => spanStart(i + 1),
      ),
    );
  }
  summaries.push(
    summaryOf(
      resources,
      () => spanStart(last),
      () => text.length,
    ),
  );
  return foldNesting(summaries);
}
