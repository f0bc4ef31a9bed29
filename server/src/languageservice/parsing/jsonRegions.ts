// The "region-isolated" reading of a JSON template with syntax errors, as yamlRegions.ts is YAML's: the entries of
// `Resources` are cut apart by their lines, each entry is parsed on its own, the rest of the template (the "frame":
// the text before the first entry, and from the brace that closes `Resources` on) is parsed as one document with
// `Resources` empty, and the results are put together. jsonc-parser's recovery from an error can reach far past it (an
// unclosed string or a brace too many in one resource swallows or cuts off every resource after it); read this way,
// an error stays inside its entry, the problems of the other resources are still reported, and an edit that breaks one
// entry only needs that entry parsed again (incrementalParse.ts) to give the same result.
//
// It is used only when a parse of the whole document has syntax errors (a valid document is read as a whole), and
// only when the cut is well defined by the lines of the text (pretty-printed JSON; a template on one line is read
// whole):
// - one line `"Resources": {` (after indentation, or after the root's `{`), ending there;
// - after it, the first line that is neither blank nor a `//` comment starts with `"`, indented deeper than that line:
//   the first entry. Every line indented as much that starts with `"` starts an entry (at the quote); deeper lines and
//   lines indented as much that start otherwise (`},`, a comment) belong to the entry before; the first line indented
//   less must start with the `}` that closes `Resources`;
// - no block comment (`/*` outside strings: it can span lines, and so entries), and no entry with so much structure
//   (brackets) that the depth limit of a whole parse might be reached in it;
// - each entry, parsed alone as `{` + its text + `}`, gives one property keyed where the entry starts; the frame gives
//   a root object whose only `Resources` is that one, empty and closed by that brace.
// Otherwise the whole parse stands.
//
// An entry's problems stay in it: one the parser puts past its end is moved to its last character (the last entry
// ends at the brace that closes `Resources`, which it includes), so which entry a problem belongs to is known from its
// offset. A closing bracket too many (or a `]` missing, with the recovery that follows) can end the entry, or the
// wrapping object, early: what follows in the entry is reported (JSON_ENTRY_ENDED_EARLY) and not read. A comma missing
// after an entry is reported just after its value (a whole parse reports it at the next entry's key).

import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { AstNode, PropertyNode } from '../../engine/jsonAst';
import type { ParsedDocument, SyntaxProblem } from './parsedDocument';
import { MAX_REGION_STRUCTURE, regionLocalErrorRoots, shiftNodes } from './yamlRegions';

/** The message of a comma missing after an entry (as jsonc-parser words it). */
const COMMA_EXPECTED = 'Comma expected';
/** jsonc-parser's message for text after the end of the document: inside an entry, the entry ended early. */
const END_OF_FILE_EXPECTED = 'End of file expected';
export const JSON_ENTRY_ENDED_EARLY =
  'The entry ended before this point: a bracket is missing, or one too many, before it';

/** Roots of a region-isolated JSON reading (here, or spliced by incrementalParse in the same way). */
export const jsonIsolatedRoots = new WeakSet<AstNode>();

/**
 * What the incremental parse needs to know of an entry parsed with problems (kept under the entry's property):
 * how its brackets change the nesting depth, and whether a parse of the whole document is certain to have a problem
 * because of it (see parseJsonRegionAlone).
 */
export interface JsonRegionFacts {
  /** Brackets opened minus closed over the entry's text, and the lowest that difference gets (0 or less). */
  readonly net: number;
  readonly low: number;
  /**
   * A problem lies at a token of the entry's own text (or at the brace after the last entry, or is a missing comma
   * after an entry that is otherwise fine): a whole parse that reaches the entry where it starts reports it too.
   */
  readonly certain: boolean;
}

export const jsonRegionFacts = new WeakMap<PropertyNode, JsonRegionFacts>();

/** How a JSON template is cut into regions, in text offsets. */
export interface JsonRegions {
  /** The `"Resources"` key. */
  readonly resourcesKey: number;
  /** The `{` that opens its value. */
  readonly open: number;
  /** The key of each entry: where its region starts. */
  readonly entries: readonly number[];
  /** The `}` that closes `Resources`: where the last region ends. */
  readonly close: number;
}

const HEADER_LINE = /^([ \t]*)(?:\{[ \t]*)?"Resources"[ \t]*:[ \t]*\{[ \t]*\r?$/;

/** Cuts a JSON template into regions (see the header); undefined when it cannot be. */
export function splitJsonRegions(text: string): JsonRegions | undefined {
  if (hasBlockComment(text)) return undefined;
  const n = text.length;
  let resourcesKey = -1;
  let open = -1;
  let headerIndent = 0;
  let headerEnd = -1;
  for (let at = text.indexOf('"Resources"'); at >= 0; at = text.indexOf('"Resources"', at + 11)) {
    const start = text.lastIndexOf('\n', at - 1) + 1;
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = n;
    const match = HEADER_LINE.exec(text.slice(start, eol));
    if (!match) continue;
    if (resourcesKey >= 0) return undefined; // two: leave it to the whole parse
    resourcesKey = at;
    open = text.lastIndexOf('{', eol);
    headerIndent = match[1].length;
    headerEnd = eol;
  }
  if (resourcesKey < 0 || headerEnd >= n) return undefined;
  const entries: number[] = [];
  let indent = -1;
  let close = -1;
  for (let i = headerEnd + 1; i < n;) {
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = n;
    let j = i;
    for (let c = text.charCodeAt(j); j < eol && (c === 0x20 || c === 0x09); c = text.charCodeAt(++j));
    const c = j < eol ? text.charCodeAt(j) : -1;
    if (c !== -1 && c !== 0x0d) {
      const column = j - i;
      if (indent < 0) {
        const comment = c === 0x2f && text.charCodeAt(j + 1) === 0x2f;
        if (!comment) {
          if (c !== 0x22 || column <= headerIndent) return undefined;
          indent = column;
          entries.push(j);
        }
      } else if (column < indent) {
        if (c !== 0x7d) return undefined;
        close = j;
        break;
      } else if (column === indent && c === 0x22) {
        entries.push(j);
      }
    }
    i = eol + 1;
  }
  if (close < 0 || entries.length === 0) return undefined;
  for (let e = 0; e < entries.length; e++)
    if (!structureAtMost(text, entries[e], e + 1 < entries.length ? entries[e + 1] : close, MAX_REGION_STRUCTURE))
      return undefined;
  return { resourcesKey, open, entries, close };
}

/**
 * True when a block comment starts somewhere: a `/*` outside strings and line comments. JSON strings end at the end
 * of their line, so each line starts outside one (unless in a block comment, which would have started before).
 */
function hasBlockComment(text: string): boolean {
  for (let at = text.indexOf('/*'); at >= 0; at = text.indexOf('/*', at + 2)) {
    let inString = false;
    let comment = false;
    for (let i = text.lastIndexOf('\n', at - 1) + 1; i < at && !comment; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 0x5c)
          i++; // an escape: skip the next character
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
      else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) comment = true;
    }
    if (!inString && !comment) return true;
  }
  return false;
}

/**
 * True when `text[start, end)` nests at most `max` brackets deep: by its opening brackets (a cheap bound), or, when it
 * has more (a policy naming 1,000 queues is one line of 2,000 brackets), by the depth its brackets reach outside
 * strings and comments. A string that runs past its line, or a block comment left open, leaves only the count.
 */
export function structureAtMost(text: string, start: number, end: number, max: number): boolean {
  return openingsAtMost(text, start, end, max) || bracketDepthAtMost(text, start, end, max);
}

function bracketDepthAtMost(text: string, start: number, end: number, max: number): boolean {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return false;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    } else if (c === 0x22) {
      // To the closing quote, on this line.
      for (i++; i < end; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
        else if (d === 0x0a || d === 0x0d) return false;
      }
      if (i >= end) return false;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      while (i < end && text.charCodeAt(i) !== 0x0a) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0 || close + 2 > end) return false;
      i = close + 1;
    }
  }
  return true;
}

/** True when `text[start, end)` holds at most `max` opening brackets (a cheap bound of how deep it nests). */
function openingsAtMost(text: string, start: number, end: number, max: number): boolean {
  if (end - start <= max) return true;
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket, start); i >= 0 && i < end; i = text.indexOf(bracket, i + 1))
      if (++count > max) return false;
  }
  return true;
}

/** One entry parsed alone: its property and problems, in offsets of the text it was cut from. */
export interface ParsedJsonRegion {
  readonly property: PropertyNode;
  readonly errors: SyntaxProblem[];
  /** Set when there are errors. */
  readonly facts: JsonRegionFacts | undefined;
}

/**
 * Parses the entry `text[start, end)` alone (with `parse`, a parse of a whole JSON text without this module), as `{`
 * + entry + `}`; for the last entry the `}` stands for the brace that closes `Resources`, at `end`. It must give one
 * property, keyed at `start`. Offsets are moved to those of `text`.
 */
export function parseJsonRegionAlone(
  text: string,
  start: number,
  end: number,
  last: boolean,
  parse: (text: string) => ParsedDocument,
): ParsedJsonRegion | undefined {
  const region = text.slice(start, end);
  const parsed = parse(`{${region}}`);
  const wrapper = parsed.root;
  if (wrapper?.type !== 'object' || wrapper.offset !== 0 || wrapper.properties.length === 0) return undefined;
  const property = wrapper.properties[0];
  if (property.key.offset !== 1) return undefined;
  // More properties: two entries on one line (left to the whole parse), or, with errors, what the recovery read
  // after it closed the entry early: not entries, not read.
  const after = wrapper.properties[1] as PropertyNode | undefined;
  if (after && parsed.syntaxErrors.length === 0) return undefined;
  // Where problems past the entry go (offsets in the region): its last character, or the brace after the last entry.
  const limit = last ? region.length : lastNonSpace(region);
  const errors: SyntaxProblem[] = [];
  let certain = false;
  const problems = after
    ? [
        ...parsed.syntaxErrors.filter((e) => e.offset < after.key.offset),
        { offset: after.key.offset, length: 0, message: END_OF_FILE_EXPECTED, severity: 'error' as const },
        ...parsed.syntaxErrors.filter((e) => e.offset >= after.key.offset),
      ]
    : parsed.syntaxErrors;
  for (const e of problems) {
    let offset = e.offset - 1;
    if (offset < (last ? region.length + 1 : region.length)) certain = true;
    if (offset > limit) offset = limit;
    const length = Math.max(0, Math.min(e.length, limit + 1 - offset));
    const message = e.message === END_OF_FILE_EXPECTED ? JSON_ENTRY_ENDED_EARLY : e.message;
    errors.push({ offset: offset + start, length, message, severity: e.severity });
  }
  // A comma missing after an entry that ends inside its text (nothing but blanks and comments after it).
  const valueEnd = property.offset + property.length - 1;
  if (!last && valueEnd < region.length && onlyBlanksAndComments(region, valueEnd)) {
    if (errors.length === 0) certain = true;
    errors.push({ offset: valueEnd + start, length: 0, message: COMMA_EXPECTED, severity: 'error' });
  }
  shiftNodes([property], start - 1);
  property.parent = undefined;
  const facts = errors.length > 0 ? { ...bracketBalance(region), certain } : undefined;
  if (facts) jsonRegionFacts.set(property, facts);
  return { property, errors, facts };
}

function lastNonSpace(s: string): number {
  let i = s.length - 1;
  while (i > 0 && /\s/.test(s[i])) i--;
  return i;
}

function onlyBlanksAndComments(s: string, from: number): boolean {
  let i = from;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x2f && s.charCodeAt(i + 1) === 0x2f) {
      const eol = s.indexOf('\n', i);
      i = eol < 0 ? s.length : eol + 1;
    } else return false;
  }
  return true;
}

/** Brackets opened minus closed over a text (tokens outside strings and comments), and the lowest that gets. */
export function bracketBalance(text: string): { net: number; low: number } {
  const scanner = createScanner(text, true);
  let net = 0;
  let low = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) net++;
    else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      net--;
      if (net < low) low = net;
    }
  }
  return { net, low };
}

/**
 * The deepest bracket nesting of a text, as jsonc-parser's scanner sees the brackets (not in strings or comments):
 * documentParser's depth check, run before every parse. A loop over the characters, about ten times faster than the
 * scanner, which makes a token of everything (a test holds the two to the same answers).
 */
export function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) max = depth;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth > 0) depth--;
    } else if (c === 0x22 /* " */) {
      // A string ends at its closing quote, or unterminated at a line break; an escape takes the next character.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x22 || d === 0x0a || d === 0x0d) break;
        if (d === 0x5c /* \ */) i++;
      }
    } else if (c === 0x2f /* / */ && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d === 0x2f) {
        for (i += 2; i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d; i++);
      } else if (d === 0x2a /* * */) {
        const close = text.indexOf('*/', i + 2);
        i = close < 0 ? n : close + 1;
      }
    }
  }
  return max;
}

/** The frame's text: the template without its entries (`Resources` empty). */
export function frameText(text: string, firstEntry: number, close: number): string {
  return text.slice(0, firstEntry) + text.slice(close);
}

/** Frame depths already measured, under the root (valid while the frame's text is unchanged). */
export const frameDepths = new WeakMap<AstNode, number>();

/**
 * The region-isolated reading of a JSON template (see the header); undefined when it is not defined, or when it
 * finds no problem.
 */
export function parseJsonRegions(text: string, parse: (text: string) => ParsedDocument): ParsedDocument | undefined {
  const cut = splitJsonRegions(text);
  if (!cut) return undefined;
  const { entries, close } = cut;
  const first = entries[0];
  const removed = close - first;
  const frame = parse(frameText(text, first, close));
  const root = frame.root;
  if (root?.type !== 'object') return undefined;
  const named = root.properties.filter((p) => p.key.value === 'Resources');
  const resources = named.length === 1 ? named[0] : undefined;
  const value = resources?.value;
  if (
    !resources ||
    resources.key.offset !== cut.resourcesKey ||
    value?.type !== 'object' ||
    value.offset !== cut.open ||
    !value.closed ||
    value.properties.length > 0 ||
    value.offset + value.length !== first + 1
  )
    return undefined;
  // The brace that closes `Resources` belongs to the last entry's region.
  if (frame.syntaxErrors.some((e) => e.offset === first)) return undefined;

  // The frame after the cut moves to where it is in the text.
  shiftNodes(root.properties.slice(root.properties.indexOf(resources) + 1), removed);
  for (const node of [root, resources, value] as Mutable<{ length: number }>[]) node.length += removed;
  const head: SyntaxProblem[] = [];
  const tail: SyntaxProblem[] = [];
  for (const e of frame.syntaxErrors) {
    if (e.offset < first) head.push(e);
    else tail.push({ ...e, offset: e.offset + removed });
  }

  const errors: SyntaxProblem[] = [];
  for (let i = 0; i < entries.length; i++) {
    const last = i === entries.length - 1;
    const entry = parseJsonRegionAlone(text, entries[i], last ? close : entries[i + 1], last, parse);
    if (!entry) return undefined;
    entry.property.parent = value;
    value.properties.push(entry.property);
    errors.push(...entry.errors);
  }
  if (head.length + errors.length + tail.length === 0) return undefined;
  regionLocalErrorRoots.add(root);
  jsonIsolatedRoots.add(root);
  return { root, syntaxErrors: [...head, ...errors, ...tail] };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
