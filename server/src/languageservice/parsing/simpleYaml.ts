// A reader for the YAML that templates are mostly written in, straight into the house AST. The yaml library reads
// any YAML, but through a token stream, a syntax tree, a document of its own nodes and then a conversion to ours: about
// 0.3 ms per resource, 1.4 s for a 5,000-resource template, most of an open and of every region parsed again after an
// edit. This reader takes the common subset on one pass over the characters and gives exactly the tree the library's
// reading gives (documentParser.ts), spans included; on anything outside the subset, or anything that could be an
// error, it declines (undefined) and the library reads the text. simpleYaml.test.ts holds the two readings equal.
//
// The subset:
// - block mappings and sequences (zero-indented sequences under a key, compact mappings in sequence items), indented
//   with spaces; comments on their own lines and after values; blank lines;
// - keys: plain (no flow indicators, at most 1,000 characters) or quoted on one line;
// - values: plain scalars on one line (typed as YAML 1.2's core schema types them; numbers only when JSON spells them),
//   single- and double-quoted scalars on one line (double quotes with the JSON escapes), flow sequences and mappings
//   on one line, block scalars (`|`, `|-`, `>`, `>-`), and CloudFormation's short-form tags (`!Ref X`, `!Sub` over a
//   block sequence...).
// Declined: tabs, carriage returns and other control characters, a byte-order mark, anchors and aliases, block scalars
// that keep their final line breaks (`|+`) or have an indentation indicator, `?` keys, other tags, directives and
// document markers, multi-line plain, quoted or flow scalars, empty sequence items, trailing commas, anything nested
// deeper than MAX_DEPTH.

import type { ArrayNode, AstNode, ObjectNode, PropertyNode, StringNode } from '../../engine/jsonAst';
import { INTRINSIC_TAGS, isIntrinsicKey } from '../../cfn/intrinsics';
import type { IntrinsicNode, ParsedDocument, SourcedStringNode } from './parsedDocument';
import { intrinsicDescription, isIntrinsicNode, JSON_NUMBER, linkAllParents, truncate } from './parsedDocument';

/** The text leaves the subset: the yaml library reads it. */
const DECLINE = new Error('outside the simple YAML subset');

/** Nesting beyond this is left to the library (which reports nesting it does not analyse). */
const MAX_DEPTH = 64;
/** The yaml library refuses implicit keys longer than 1,024 characters. */
const MAX_KEY_LENGTH = 1000;
/** Plain integers longer than this may round differently in the library (parseInt) and here (Number). */
const MAX_NUMBER_LENGTH = 15;

const LONG_FORM_BY_TAG: ReadonlyMap<string, string> = new Map(INTRINSIC_TAGS.map((t) => [t.tag, t.longForm]));

/** Characters the subset never holds (the library gives them meanings or errors of their own). */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const OUTSIDE_SUBSET = /[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]/;

/** What YAML 1.2's core schema reads as a number, other than what JSON_NUMBER accepts: left to the library. */
const CORE_NUMBER =
  /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

const SPACE = 0x20;
const NEWLINE = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const COMMA = 0x2c;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BANG = 0x21;
const PIPE = 0x7c;
const GREATER = 0x3e;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** The tree of a text in the subset, as the yaml library would read it; undefined when the text leaves the subset. */
export function readSimpleYaml(text: string): ParsedDocument | undefined {
  if (OUTSIDE_SUBSET.test(text)) return undefined;
  let root: AstNode;
  try {
    root = new SimpleYamlReader(text).document();
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  }
  linkAllParents(root);
  return { root, syntaxErrors: [] };
}

/** A flow indicator or a character that starts something other than a plain scalar. */
function isIndicator(c: number): boolean {
  switch (c) {
    case 0x2c: // ,
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case 0x23: // #
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case 0x27: // '
    case 0x22: // "
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
    case 0x3f: // ?
    case 0x3a: // :
    case 0x2d: // -
      return true;
    default:
      return false;
  }
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === OPEN_BRACKET || c === CLOSE_BRACKET || c === OPEN_BRACE || c === CLOSE_BRACE;
}

/**
 * A folded block scalar's lines (without the content's indentation, '' for an empty line) as one text: a line break
 * between two lines of text folds into a space, and is dropped before empty lines, each of which stands for one; line
 * breaks next to a more indented line are kept. Empty lines before the first line of text are line breaks.
 */
function foldedText(lines: readonly string[]): string {
  let value = '';
  let previous: 'text' | 'indented' | undefined;
  let empty = 0;
  for (const line of lines) {
    if (line === '') {
      empty++;
      continue;
    }
    const kind = line.charCodeAt(0) === SPACE ? 'indented' : 'text';
    if (previous === undefined) value += '\n'.repeat(empty);
    else if (previous === 'text' && kind === 'text') value += empty === 0 ? ' ' : '\n'.repeat(empty);
    else value += '\n'.repeat(empty + 1);
    value += line;
    previous = kind;
    empty = 0;
  }
  return value;
}

/** A mapping entry: from its key to the end of its value (or of its key). */
function property(key: StringNode, value: AstNode, colonOffset: number): PropertyNode {
  const end = Math.max(value.offset + value.length, key.offset + key.length);
  return { type: 'property', offset: key.offset, length: end - key.offset, key, value, colonOffset, parent: undefined };
}

/** A plain scalar read as a string: `text[offset, end)`. */
function plainString(text: string, offset: number, end: number): SourcedStringNode {
  return {
    type: 'string',
    offset,
    length: end - offset,
    value: text.slice(offset, end),
    style: 'plain',
    parent: undefined,
  };
}

/** `end` moved back over the spaces before it. */
function beforeSpaces(text: string, end: number): number {
  let at = end;
  while (at > 0 && text.charCodeAt(at - 1) === SPACE) at--;
  return at;
}

class SimpleYamlReader {
  /** Where reading is: a content line's first character after nextLine. */
  private pos = 0;
  /** The indentation of the content line at `pos`; -1 at the end of the text. */
  private indent = -1;
  /** The start of the line `pos` is on. */
  private lineStart = 0;
  /** The end (after the last non-space character, a trailing comment included) of the last content line read. */
  private lastEnd = 0;
  /** The comment lines between the last content line read and the next one: indentation and end of each. */
  private readonly gapIndents: number[] = [];
  private readonly gapEnds: number[] = [];
  /** Counts the gaps read; `closedGap` is the last one at which a collection was closed. */
  private gap = 0;
  private closedGap = -1;
  /**
   * What the last value read was, where it matters to the gap's comments: an empty value (`key:` and nothing) takes
   * them all, a block scalar none.
   */
  private lastValue: 'empty' | 'block scalar' | undefined;
  /** At the gap being closed: where its comment-only trailing item starts (gapIndents.length: none, or placed). */
  private trailingFrom = 0;
  /** At the gap being closed: the `range[2]` of the collection closed last. */
  private carriedEnd = 0;
  private readonly n: number;

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  document(): AstNode {
    this.skipGap(0);
    if (this.indent < 0) throw DECLINE; // empty, or comments only
    const root = this.blockNode(0);
    if (this.indent >= 0) throw DECLINE; // something after the root collection
    return root;
  }

  /** From a line start: skips blank and comment lines to the next content line (or the end). */
  private skipGap(from: number): void {
    const text = this.text;
    const n = this.n;
    this.gapIndents.length = 0;
    this.gapEnds.length = 0;
    this.gap++;
    this.lastValue = undefined;
    let p = from;
    while (p < n) {
      const lineStart = p;
      while (p < n && text.charCodeAt(p) === SPACE) p++;
      if (p >= n) break;
      const c = text.charCodeAt(p);
      if (c === NEWLINE) {
        p++;
        continue;
      }
      if (c === HASH) {
        const indent = p - lineStart;
        let eol = text.indexOf('\n', p);
        if (eol < 0) eol = n;
        this.gapIndents.push(indent);
        this.gapEnds.push(beforeSpaces(text, eol));
        p = eol + 1;
        continue;
      }
      this.lineStart = lineStart;
      this.indent = p - lineStart;
      this.pos = p;
      return;
    }
    this.indent = -1;
    this.pos = n;
  }

  /**
   * After a line's content (at `pos`): only spaces and a comment may follow on the line; then on to the next content
   * line.
   */
  private nextLine(): void {
    const text = this.text;
    const n = this.n;
    let p = this.pos;
    while (p < n && text.charCodeAt(p) === SPACE) p++;
    if (p < n && text.charCodeAt(p) === HASH) {
      if (p > 0 && text.charCodeAt(p - 1) !== SPACE) throw DECLINE;
      p = text.indexOf('\n', p);
      if (p < 0) p = n;
    } else if (p < n && text.charCodeAt(p) !== NEWLINE) {
      throw DECLINE;
    }
    this.lastEnd = beforeSpaces(text, p);
    this.skipGap(p + 1);
  }

  /**
   * Where a block collection at indentation `indent` ends (the library's `range[1]`, its last value's `range[2]`), now
   * that reading has left it at a gap; called for each collection the gap closes, innermost first. The library gives
   * the gap's comment lines to the innermost collection: after an empty value, all of them belong to that value;
   * after a scalar or flow collection, those indented deeper than the collection do, up to the first one that is not,
   * and the rest form a comment-only item at the collection's end. Each collection that closes passes that item to
   * its parent unless it is indented (a collection at column 0 always passes it, and so does one deeper than every
   * comment of the item); where it stays, it ends the collection's `range[2]`, and so the end of the next one out.
   */
  private collectionEnd(indent: number): number {
    const indents = this.gapIndents;
    const ends = this.gapEnds;
    let rangeEnd: number;
    if (this.closedGap !== this.gap) {
      // The innermost collection: which comments its last value takes, which form its trailing item.
      this.closedGap = this.gap;
      let taken = 0;
      if (this.lastValue === 'empty') taken = indents.length;
      else if (this.lastValue !== 'block scalar') while (taken < indents.length && indents[taken] > indent) taken++;
      rangeEnd = taken > 0 ? ends[taken - 1] : this.lastEnd;
      this.trailingFrom = taken;
      this.carriedEnd = rangeEnd;
    } else {
      rangeEnd = this.carriedEnd;
    }
    if (this.trailingFrom < indents.length) {
      let deepest = 0;
      for (let k = this.trailingFrom; k < indents.length; k++) if (indents[k] > deepest) deepest = indents[k];
      if (indent !== 0 && deepest >= indent) {
        // The trailing comments stay in this collection: they end its range[2].
        this.carriedEnd = ends[ends.length - 1];
        this.trailingFrom = indents.length;
      }
    }
    return rangeEnd;
  }

  private isSequenceIndicator(p: number): boolean {
    if (this.text.charCodeAt(p) !== DASH) return false;
    const next = this.text.charCodeAt(p + 1);
    return p + 1 >= this.n || next === SPACE || next === NEWLINE;
  }

  private skipSpaces(p: number): number {
    while (this.text.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /** True at the end of a line's content: a line break, the end of the text or a comment. */
  private atLineEnd(p: number): boolean {
    if (p >= this.n) return true;
    const c = this.text.charCodeAt(p);
    return c === NEWLINE || c === HASH;
  }

  /** A block collection starting at `pos`, on a content line. */
  private blockNode(depth: number): AstNode {
    if (depth > MAX_DEPTH) throw DECLINE;
    const column = this.pos - this.lineStart;
    return this.isSequenceIndicator(this.pos)
      ? this.blockSequence(column, depth, false)
      : this.blockMapping(column, depth);
  }

  private blockMapping(indent: number, depth: number): AstNode {
    const offset = this.pos;
    const properties: PropertyNode[] = [];
    for (;;) {
      const key = this.key();
      const colonOffset = this.pos;
      const value = this.entryValue(indent, depth);
      properties.push(property(key, value, colonOffset));
      if (this.indent === indent) {
        if (this.isSequenceIndicator(this.pos)) throw DECLINE;
        continue;
      }
      if (this.indent > indent) throw DECLINE;
      break;
    }
    return this.mapping(offset, this.collectionEnd(indent) - offset, properties);
  }

  /** A mapping's node: an intrinsic function call when its one key is a long-form name (documentParser's rule). */
  private mapping(offset: number, length: number, properties: PropertyNode[]): AstNode {
    const only = properties.length === 1 ? properties[0] : undefined;
    if (only && only.key.value !== 'Condition' && isIntrinsicKey(only.key.value)) {
      const value = only.value!;
      // `Ref` must hold a string: untagged, or a tagged scalar (whose argument is its text).
      const stringValue =
        value.type === 'string' ||
        (isIntrinsicNode(value) && value.tag?.startsWith('!') === true && value.argument?.type === 'string');
      if (only.key.value !== 'Ref' || stringValue) {
        // The library describes it by its value's text, which starts after a tag.
        const valueStart = isIntrinsicNode(value) && value.tag?.startsWith('!') ? value.argument!.offset : value.offset;
        const intrinsic: IntrinsicNode = {
          type: 'unknown',
          offset,
          length,
          tag: only.key.value,
          intrinsic: only.key.value,
          description: truncate(`${only.key.value} ${this.text.slice(valueStart, value.offset + value.length)}`),
          argument: value,
          parent: undefined,
        };
        return intrinsic;
      }
    }
    const object: ObjectNode = { type: 'object', offset, length, properties, closed: true, parent: undefined };
    return object;
  }

  /** A mapping key at `pos`, on one line; leaves `pos` at its `:`. */
  private key(): StringNode {
    const text = this.text;
    const p = this.pos;
    const c = text.charCodeAt(p);
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
      const key = this.quoted(p);
      const colon = this.skipSpaces(this.pos);
      if (text.charCodeAt(colon) !== COLON || !this.separatesValue(colon + 1)) throw DECLINE;
      this.pos = colon;
      return key;
    }
    if (isIndicator(c)) throw DECLINE;
    let q = p;
    for (;;) {
      if (q >= this.n) throw DECLINE;
      const ch = text.charCodeAt(q);
      if (ch === COLON && this.separatesValue(q + 1)) break;
      if (ch === NEWLINE || isFlowIndicator(ch)) throw DECLINE;
      if (ch === HASH && text.charCodeAt(q - 1) === SPACE) throw DECLINE;
      q++;
    }
    if (q - p > MAX_KEY_LENGTH) throw DECLINE;
    this.pos = q;
    return plainString(text, p, beforeSpaces(text, q));
  }

  /** After a `:` (at `p`): a space, a line break or the end of the text, as a mapping indicator needs. */
  private separatesValue(p: number): boolean {
    if (p >= this.n) return true;
    const c = this.text.charCodeAt(p);
    return c === SPACE || c === NEWLINE;
  }

  /** The value of a block mapping entry whose `:` is at `pos`; leaves reading at the next content line. */
  private entryValue(indent: number, depth: number): AstNode {
    const p = this.skipSpaces(this.pos + 1);
    if (this.atLineEnd(p)) {
      this.pos = p;
      this.nextLine();
      if (this.indent > indent) return this.blockNode(depth + 1);
      if (this.indent === indent && this.isSequenceIndicator(this.pos))
        return this.blockSequence(indent, depth + 1, true);
      this.lastValue = 'empty';
      return { type: 'null', offset: p, length: 0, parent: undefined };
    }
    if (this.text.charCodeAt(p) === BANG) return this.tagged(p, indent, depth + 1, true);
    if (this.text.charCodeAt(p) === PIPE || this.text.charCodeAt(p) === GREATER) return this.blockScalar(p, indent);
    const value = this.inlineValue(p, depth + 1, false);
    this.nextLine();
    return value;
  }

  private blockSequence(indent: number, depth: number, underKey: boolean): ArrayNode {
    if (depth > MAX_DEPTH) throw DECLINE;
    const offset = this.pos;
    const items: AstNode[] = [];
    for (;;) {
      const p = this.skipSpaces(this.pos + 1);
      let item: AstNode;
      if (this.atLineEnd(p)) {
        this.pos = p;
        this.nextLine();
        if (this.indent <= indent) throw DECLINE; // an empty item
        item = this.blockNode(depth + 1);
      } else {
        const c = this.text.charCodeAt(p);
        if (c === BANG) {
          item = this.tagged(p, indent, depth + 1, true);
        } else if (c === PIPE || c === GREATER) {
          item = this.blockScalar(p, indent);
        } else if (this.startsKey(p)) {
          this.pos = p;
          item = this.blockMapping(p - this.lineStart, depth + 1);
        } else {
          item = this.inlineValue(p, depth + 1, false);
          this.nextLine();
        }
      }
      items.push(item);
      if (this.indent === indent && this.isSequenceIndicator(this.pos)) continue;
      if (this.indent > indent || (this.indent === indent && !underKey)) throw DECLINE;
      break;
    }
    const end = this.collectionEnd(indent);
    return { type: 'array', offset, length: end - offset, items, closed: true, parent: undefined };
  }

  /** Whether a sequence item's content at `p` is a compact mapping (`- key: value`). */
  private startsKey(p: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(p);
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
      const saved = this.pos;
      this.quoted(p);
      const after = this.skipSpaces(this.pos);
      this.pos = saved;
      return text.charCodeAt(after) === COLON && this.separatesValue(after + 1);
    }
    if (isIndicator(c)) return false;
    for (let q = p; q < this.n; q++) {
      const ch = text.charCodeAt(q);
      if (ch === NEWLINE) return false;
      if (ch === COLON && this.separatesValue(q + 1)) return true;
      if (ch === HASH && text.charCodeAt(q - 1) === SPACE) return false;
    }
    return false;
  }

  /**
   * A short-form intrinsic at `p` (its tag); with `block`, its argument may be a block collection on the next lines
   * (indented deeper than `indent`), and reading goes on to the next content line.
   */
  private tagged(p: number, indent: number, depth: number, block: boolean): IntrinsicNode {
    const text = this.text;
    let q = p;
    while (q < this.n) {
      const c = text.charCodeAt(q);
      if (c === SPACE || c === NEWLINE || (!block && isFlowIndicator(c))) break;
      q++;
    }
    const tag = text.slice(p, q);
    const longForm = LONG_FORM_BY_TAG.get(tag);
    if (longForm === undefined) throw DECLINE;
    const r = this.skipSpaces(q);
    let argument: AstNode;
    if (block && this.atLineEnd(r)) {
      // A comment after the tag would be read by the library as what comes before the argument.
      if (r < this.n && text.charCodeAt(r) === HASH) throw DECLINE;
      this.pos = r;
      this.nextLine();
      // The library finds the tag by reading back from the argument, over white space only.
      if (this.indent <= indent || this.gapIndents.length > 0) throw DECLINE;
      argument = this.blockNode(depth + 1);
    } else {
      if (r === q) throw DECLINE;
      if (block && (text.charCodeAt(r) === PIPE || text.charCodeAt(r) === GREATER)) {
        argument = this.blockScalar(r, indent);
      } else {
        argument = this.inlineValue(r, depth + 1, !block, true);
        if (block) this.nextLine();
      }
    }
    const end = argument.offset + argument.length;
    const description = intrinsicDescription(tag, argument, text);
    return {
      type: 'unknown',
      offset: p,
      length: end - p,
      tag,
      intrinsic: longForm,
      description,
      argument,
      parent: undefined,
    };
  }

  /**
   * A value on one line at `p`: a flow collection, a quoted or a plain scalar (a string when `untyped`, as a tag's
   * argument is). Leaves `pos` after it.
   */
  private inlineValue(p: number, depth: number, flow: boolean, untyped = false): AstNode {
    if (depth > MAX_DEPTH) throw DECLINE;
    const c = this.text.charCodeAt(p);
    if (c === OPEN_BRACKET) return this.flowSequence(p, depth);
    if (c === OPEN_BRACE) return this.flowMapping(p, depth);
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) return this.quoted(p);
    if (c === BANG) {
      if (!flow) throw DECLINE;
      return this.tagged(p, -1, depth, false);
    }
    if (isIndicator(c)) {
      // `-1`, `-x`, `:x`: a plain scalar may start with these when a non-space follows (not in flow context).
      const next = this.text.charCodeAt(p + 1);
      if (c !== DASH || p + 1 >= this.n || next === SPACE || next === NEWLINE || flow) throw DECLINE;
    }
    return this.plain(p, flow, untyped);
  }

  private plain(p: number, flow: boolean, untyped: boolean): AstNode {
    const text = this.text;
    let q = p;
    for (; q < this.n; q++) {
      const ch = text.charCodeAt(q);
      if (ch === NEWLINE) break;
      if (ch === HASH && text.charCodeAt(q - 1) === SPACE) break;
      if (ch === COLON) {
        const next = text.charCodeAt(q + 1);
        if (q + 1 >= this.n || next === SPACE || next === NEWLINE || (flow && isFlowIndicator(next))) throw DECLINE;
      }
      if (flow && isFlowIndicator(ch)) break;
    }
    if (flow && q < this.n && text.charCodeAt(q) === NEWLINE) throw DECLINE; // a flow collection over lines
    const end = beforeSpaces(text, q);
    this.pos = end;
    return untyped ? plainString(text, p, end) : this.typedPlain(text.slice(p, end), p, end - p);
  }

  /** A plain scalar as YAML 1.2's core schema reads it. */
  private typedPlain(source: string, offset: number, length: number): AstNode {
    switch (source) {
      case '~':
      case 'null':
      case 'Null':
      case 'NULL':
        return { type: 'null', offset, length, parent: undefined };
      case 'true':
      case 'True':
      case 'TRUE':
        return { type: 'boolean', offset, length, value: true, parent: undefined };
      case 'false':
      case 'False':
      case 'FALSE':
        return { type: 'boolean', offset, length, value: false, parent: undefined };
    }
    const c = source.charCodeAt(0);
    if ((c >= 0x30 && c <= 0x39) || c === DASH || c === 0x2b || c === 0x2e) {
      if (source.length <= MAX_NUMBER_LENGTH && JSON_NUMBER.test(source)) {
        return { type: 'number', offset, length, value: Number(source), text: source, parent: undefined };
      }
      if (CORE_NUMBER.test(source)) throw DECLINE;
    }
    const s: SourcedStringNode = { type: 'string', offset, length, value: source, style: 'plain', parent: undefined };
    return s;
  }

  /**
   * A block scalar at `p` (`|`, `|-`, `>` or `>-`; its content indented deeper than `parentIndent`, the indentation of
   * the collection it is in); leaves reading at the next content line after it. Declined: indentation indicators,
   * keeping chomping (`+`), lines of spaces only, an empty scalar.
   */
  private blockScalar(p: number, parentIndent: number): SourcedStringNode {
    const text = this.text;
    const n = this.n;
    const folded = text.charCodeAt(p) === GREATER;
    let q = p + 1;
    const strip = text.charCodeAt(q) === DASH;
    if (strip) q++;
    const r = this.skipSpaces(q);
    if (r < n && text.charCodeAt(r) !== NEWLINE && (text.charCodeAt(r) !== HASH || r === q)) throw DECLINE;
    const headerEnd = text.indexOf('\n', r);
    if (headerEnd < 0) throw DECLINE;
    /** The content lines without the content's indentation; '' for an empty line. */
    const lines: string[] = [];
    let contentIndent = -1;
    let emptyLines = 0;
    let lastLineEnd = -1;
    let at = headerEnd + 1;
    while (at < n) {
      let lineEnd = text.indexOf('\n', at);
      if (lineEnd < 0) lineEnd = n;
      let i = at;
      while (i < lineEnd && text.charCodeAt(i) === SPACE) i++;
      if (i === lineEnd) {
        if (i !== at) throw DECLINE; // a line of spaces only
        emptyLines++;
        at = lineEnd + 1;
        continue;
      }
      const indent = i - at;
      if (contentIndent < 0) {
        if (indent <= parentIndent) break;
        contentIndent = indent;
      } else if (indent < contentIndent) {
        break;
      }
      for (; emptyLines > 0; emptyLines--) lines.push('');
      lines.push(text.slice(at + contentIndent, lineEnd));
      lastLineEnd = lineEnd;
      at = lineEnd + 1;
    }
    if (contentIndent < 0) throw DECLINE;
    this.lastEnd = beforeSpaces(text, lastLineEnd);
    this.skipGap(lastLineEnd + 1);
    this.lastValue = 'block scalar';
    const value = (folded ? foldedText(lines) : lines.join('\n')) + (strip ? '' : '\n');
    return {
      type: 'string',
      offset: p,
      length: Math.min(lastLineEnd + 1, n) - p,
      value,
      style: folded ? 'folded' : 'literal',
      blockParentIndent: parentIndent,
      parent: undefined,
    };
  }

  /** A quoted scalar on one line at `p`; leaves `pos` after its closing quote. */
  private quoted(p: number): SourcedStringNode {
    const text = this.text;
    const quote = text.charCodeAt(p);
    let value = '';
    let from = p + 1;
    let q = p + 1;
    for (;;) {
      if (q >= this.n) throw DECLINE;
      const ch = text.charCodeAt(q);
      if (ch === NEWLINE) throw DECLINE;
      if (ch === quote) {
        if (quote === SINGLE_QUOTE && text.charCodeAt(q + 1) === SINGLE_QUOTE) {
          value += text.slice(from, q + 1);
          q += 2;
          from = q;
          continue;
        }
        break;
      }
      if (ch === 0x5c && quote === DOUBLE_QUOTE) {
        value += text.slice(from, q);
        const e = text.charCodeAt(q + 1);
        let decoded: string;
        let used = 2;
        switch (e) {
          case 0x5c: // \\
          case DOUBLE_QUOTE:
          case 0x2f: // \/
            decoded = String.fromCharCode(e);
            break;
          case 0x6e: // \n
            decoded = '\n';
            break;
          case 0x74: // \t
            decoded = '\t';
            break;
          case 0x72: // \r
            decoded = '\r';
            break;
          case 0x62: // \b
            decoded = '\b';
            break;
          case 0x66: // \f
            decoded = '\f';
            break;
          case 0x75: {
            // \uXXXX
            const hex = text.slice(q + 2, q + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw DECLINE;
            decoded = String.fromCharCode(parseInt(hex, 16));
            used = 6;
            break;
          }
          default:
            throw DECLINE;
        }
        value += decoded;
        q += used;
        from = q;
        continue;
      }
      q++;
    }
    value += text.slice(from, q);
    this.pos = q + 1;
    return {
      type: 'string',
      offset: p,
      length: q + 1 - p,
      value,
      style: quote === SINGLE_QUOTE ? 'single' : 'double',
      parent: undefined,
    };
  }

  private flowSequence(p: number, depth: number): ArrayNode {
    const text = this.text;
    const items: AstNode[] = [];
    let q = this.skipSpaces(p + 1);
    if (text.charCodeAt(q) !== CLOSE_BRACKET) {
      for (;;) {
        const c = text.charCodeAt(q);
        if (c === COMMA || c === CLOSE_BRACKET) throw DECLINE;
        const item = this.inlineValue(q, depth + 1, true);
        q = this.skipSpaces(this.pos);
        // A quoted scalar or a collection followed by `:` is a key (a one-pair mapping in the sequence).
        const next = text.charCodeAt(q);
        if (next === COMMA) {
          q = this.skipSpaces(q + 1);
          if (text.charCodeAt(q) === CLOSE_BRACKET) throw DECLINE;
          items.push(item);
          continue;
        }
        if (next !== CLOSE_BRACKET) throw DECLINE;
        items.push(item);
        break;
      }
    }
    this.pos = q + 1;
    return { type: 'array', offset: p, length: q + 1 - p, items, closed: true, parent: undefined };
  }

  private flowMapping(p: number, depth: number): AstNode {
    const text = this.text;
    const properties: PropertyNode[] = [];
    let q = this.skipSpaces(p + 1);
    if (text.charCodeAt(q) !== CLOSE_BRACE) {
      for (;;) {
        const key = this.flowKey(q);
        const colonOffset = this.pos;
        const v = this.skipSpaces(colonOffset + 1);
        const c = text.charCodeAt(v);
        if (c === COMMA || c === CLOSE_BRACE) throw DECLINE;
        const value = this.inlineValue(v, depth + 1, true);
        properties.push(property(key, value, colonOffset));
        q = this.skipSpaces(this.pos);
        const next = text.charCodeAt(q);
        if (next === COMMA) {
          q = this.skipSpaces(q + 1);
          if (text.charCodeAt(q) === CLOSE_BRACE) throw DECLINE;
          continue;
        }
        if (next !== CLOSE_BRACE) throw DECLINE;
        break;
      }
    }
    this.pos = q + 1;
    return this.mapping(p, q + 1 - p, properties);
  }

  /** A flow mapping's key at `p` followed by `: `; leaves `pos` at the `:`. */
  private flowKey(p: number): StringNode {
    const text = this.text;
    const c = text.charCodeAt(p);
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
      const key = this.quoted(p);
      const colon = this.skipSpaces(this.pos);
      if (text.charCodeAt(colon) !== COLON || text.charCodeAt(colon + 1) !== SPACE) throw DECLINE;
      this.pos = colon;
      return key;
    }
    if (isIndicator(c)) throw DECLINE;
    let q = p;
    for (;;) {
      if (q >= this.n) throw DECLINE;
      const ch = text.charCodeAt(q);
      if (ch === COLON) {
        if (text.charCodeAt(q + 1) === SPACE) break;
        throw DECLINE;
      }
      if (ch === NEWLINE || ch === HASH || isFlowIndicator(ch)) throw DECLINE;
      q++;
    }
    const end = beforeSpaces(text, q);
    if (end - p > MAX_KEY_LENGTH) throw DECLINE;
    this.pos = q;
    return plainString(text, p, end);
  }
}
