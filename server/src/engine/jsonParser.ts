// A tolerant JSON parser that builds the house AST and reports syntax errors the way EventBridge does.
//
// EventBridge parses patterns with Jackson's streaming parser, so its syntax messages are Jackson's
// ("Unexpected character ('3' (code 51)): was expecting comma to separate Array entries"). We reproduce those
// texts for the first error and keep going after it (the editor shows every problem), recovering at the next
// comma or closing bracket. Number spellings and duplicate keys are kept: EventBridge matches `3.0e2` and lets the
// last duplicate key win, so both must survive parsing.
//
// Iterative, not recursive: a pattern nested 20,000 deep must not overflow the stack.

import type { ArrayNode, AstNode, ObjectNode, PropertyNode, StringNode } from './jsonAst';
import { linkParents } from './jsonAst';

export interface SyntaxProblem {
  /** Jackson's message, exactly as EventBridge reports it after "Reason: ". */
  readonly message: string;
  readonly offset: number;
  readonly length: number;
}

export interface JsonParseResult {
  readonly root: AstNode | undefined;
  readonly errors: SyntaxProblem[];
  /** Offset of the first non-blank character after the root value, if any (Jackson stops reading there). */
  readonly trailingOffset: number | undefined;
}

export interface JsonParseOptions {
  /** Stop collecting errors after this many (the first is what EventBridge reports). Default 100. */
  readonly maxErrors?: number;
  /** Set each node's `parent` (default true). Off when only the values matter: linking is a tenth of compiling. */
  readonly linkParents?: boolean;
  /**
   * The text messages quote (the source in locations, tokens, characters) when it differs from the text parsed, at
   * the same offsets: a template's `${...}` where the parsed text holds same-length stand-ins. Ignored unless it
   * has the same length.
   */
  readonly displayText?: string;
}

const VALID_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
/** Jackson quotes the source document in locations, cut at 500 characters. */
const SOURCE_QUOTE_LIMIT = 500;

/** Describes a character as Jackson does in its messages: `'x' (code 120)`, `(CTRL-CHAR, code 10)`. */
export function jacksonCharDesc(code: number): string {
  const ch = String.fromCharCode(code);
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `(CTRL-CHAR, code ${code})`;
  if (code > 255) return `'${ch}' (code ${code} / 0x${code.toString(16)})`;
  return `'${ch}' (code ${code})`;
}

function isJavaIdentifierPart(code: number): boolean {
  // Close enough to Character.isJavaIdentifierPart for the token names Jackson echoes back.
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f ||
    code === 0x24 ||
    (code > 0x7f && /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}\p{Sc}]/u.test(String.fromCharCode(code)))
  );
}

function isJavaIdentifierStart(code: number): boolean {
  return isJavaIdentifierPart(code) && !(code >= 0x30 && code <= 0x39);
}

class ParseAbort extends Error {}

const NO_PROPERTIES: readonly PropertyNode[] = Object.freeze([]);
const NO_ITEMS: readonly AstNode[] = Object.freeze([]);


interface Frame {
  readonly kind: 'object' | 'array';
  readonly start: number;
  readonly properties: PropertyNode[];
  readonly items: AstNode[];
  /** For objects: the key being filled, once read. */
  pendingKey?: StringNode;
  pendingColon: number;
  /** Whether at least one member has been read (then a comma is expected before the next). */
  hasMember: boolean;
}

export function parseJson(text: string, options: JsonParseOptions = {}): JsonParseResult {
  const shown = options.displayText?.length === text.length ? options.displayText : text;
  return new JacksonLikeParser(text, options.maxErrors ?? 100, options.linkParents ?? true, shown).parse();
}

class JacksonLikeParser {
  private pos = 0;
  private readonly errors: SyntaxProblem[] = [];

  constructor(
    private readonly text: string,
    private readonly maxErrors: number,
    private readonly link: boolean,
    /** What messages quote: `text`, or the template text it stands for (same length). */
    private readonly shown: string,
  ) {}

  parse(): JsonParseResult {
    let root: AstNode | undefined;
    try {
      root = this.parseRoot();
    } catch (e) {
      if (!(e instanceof ParseAbort)) throw e;
    }
    if (root && this.link) linkParents(root);
    let trailingOffset: number | undefined;
    if (root) {
      const save = this.pos;
      this.pos = root.offset + root.length;
      const next = this.skipBlanksQuietly();
      if (next < this.text.length) trailingOffset = next;
      this.pos = save;
    }
    return { root, errors: this.errors, trailingOffset };
  }

  // ---- errors ---------------------------------------------------------------------------------------------

  private error(message: string, offset: number, length = 1): void {
    if (this.errors.length < this.maxErrors) this.errors.push({ message, offset, length });
    if (this.errors.length >= this.maxErrors) throw new ParseAbort();
  }

  /** `line: L, column: C` as Jackson counts them (1-based). */
  private location(offset: number): string {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 10 || (c === 13 && this.text.charCodeAt(i + 1) !== 10)) {
        line++;
        lineStart = i + 1;
      }
    }
    let quoted = this.shown;
    if (quoted.length > SOURCE_QUOTE_LIMIT) {
      quoted = `${quoted.slice(0, SOURCE_QUOTE_LIMIT)}"[truncated ${this.text.length - SOURCE_QUOTE_LIMIT} chars]`;
      return `[Source: (String)"${quoted}; line: ${line}, column: ${offset - lineStart + 1}]`;
    }
    return `[Source: (String)"${quoted}"; line: ${line}, column: ${offset - lineStart + 1}]`;
  }

  /** The character at `offset` as Jackson describes it, from the text messages quote. */
  private desc(offset: number): string {
    return jacksonCharDesc(this.shown.charCodeAt(offset));
  }

  private typeDesc(frame: Frame | undefined): string {
    return frame ? (frame.kind === 'object' ? 'Object' : 'Array') : 'root';
  }

  // ---- lexing ---------------------------------------------------------------------------------------------

  /** Skips white space; reports Jackson's error for other control characters and comments. Returns the offset. */
  private skipBlanks(): number {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
        this.pos++;
        continue;
      }
      if (c < 0x20) {
        this.error(
          `Illegal character (${this.desc(this.pos)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`,
          this.pos,
        );
        this.pos++;
        continue;
      }
      if (c === 0x2f /* / */) {
        this.error(
          `Unexpected character (${this.desc(this.pos)}): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)`,
          this.pos,
        );
        this.skipComment();
        continue;
      }
      break;
    }
    return this.pos;
  }

  /** After reporting a comment, skip it so recovery is sensible. */
  private skipComment(): void {
    const t = this.text;
    if (t.startsWith('//', this.pos)) {
      const nl = t.indexOf('\n', this.pos);
      this.pos = nl < 0 ? t.length : nl + 1;
    } else if (t.startsWith('/*', this.pos)) {
      const end = t.indexOf('*/', this.pos + 2);
      this.pos = end < 0 ? t.length : end + 2;
    } else {
      this.pos++;
    }
  }

  private skipBlanksQuietly(): number {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
    return this.pos;
  }

  /** Reads a string literal starting at the opening quote. */
  private readString(inName: boolean): StringNode {
    const t = this.text;
    const start = this.pos;
    this.pos++; // opening quote
    let value = '';
    let chunkStart = this.pos;
    for (;;) {
      if (this.pos >= t.length) {
        value += t.slice(chunkStart, this.pos);
        this.error(
          inName
            ? 'Unexpected end-of-input in field name'
            : 'Unexpected end-of-input: was expecting closing quote for a string value',
          t.length,
          0,
        );
        return { type: 'string', value, offset: start, length: t.length - start, parent: undefined };
      }
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        value += t.slice(chunkStart, this.pos);
        this.pos++;
        return { type: 'string', value, offset: start, length: this.pos - start, parent: undefined };
      }
      if (c === 0x5c) {
        value += t.slice(chunkStart, this.pos);
        value += this.readEscape();
        chunkStart = this.pos;
        continue;
      }
      if (c < 0x20) {
        this.error(
          `Illegal unquoted character (${this.desc(this.pos)}): has to be escaped using backslash to be included in ${inName ? 'name' : 'string value'}`,
          this.pos,
        );
      }
      this.pos++;
    }
  }

  private readEscape(): string {
    const t = this.text;
    const at = this.pos;
    this.pos++; // backslash
    if (this.pos >= t.length) {
      this.error('Unexpected end-of-input in character escape sequence', t.length, 0);
      return '';
    }
    const c = t.charCodeAt(this.pos);
    this.pos++;
    switch (c) {
      case 0x22:
        return '"';
      case 0x5c:
        return '\\';
      case 0x2f:
        return '/';
      case 0x62:
        return '\b';
      case 0x66:
        return '\f';
      case 0x6e:
        return '\n';
      case 0x72:
        return '\r';
      case 0x74:
        return '\t';
      case 0x75: {
        let code = 0;
        for (let i = 0; i < 4; i++) {
          if (this.pos >= t.length) {
            this.error('Unexpected end-of-input in character escape sequence', t.length, 0);
            return '';
          }
          const h = t.charCodeAt(this.pos);
          const d = hexValue(h);
          if (d < 0) {
            this.error(
              `Unexpected character (${this.desc(this.pos)}): expected a hex-digit for character escape sequence`,
              this.pos,
            );
            return '';
          }
          code = code * 16 + d;
          this.pos++;
        }
        return String.fromCharCode(code);
      }
      default:
        this.error(`Unrecognized character escape ${this.desc(at + 1)}`, at, 2);
        return String.fromCharCode(c);
    }
  }

  /** Reads a number; returns undefined (after reporting) when malformed. */
  private readNumber(): AstNode | undefined {
    const t = this.text;
    const start = this.pos;
    let p = this.pos;
    if (t.charCodeAt(p) === 0x2d) {
      p++;
      const d = t.charCodeAt(p);
      if (!(d >= 0x30 && d <= 0x39)) {
        if (p >= t.length) {
          this.error('Unexpected end-of-input in a Number value', p, 0);
        } else if (t.startsWith('Infinity', p)) {
          this.error(
            "Non-standard token '-Infinity': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow",
            start,
            9,
          );
          this.pos = p + 8;
          return undefined;
        } else {
          this.error(
            `Unexpected character (${this.desc(p)}) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value`,
            p,
          );
        }
        this.pos = p;
        return undefined;
      }
    }
    const intStart = p;
    while (p < t.length && isDigit(t.charCodeAt(p))) p++;
    if (t.charCodeAt(intStart) === 0x30 && p - intStart > 1) {
      this.error('Invalid numeric value: Leading zeroes not allowed', intStart, p - intStart);
      this.pos = p;
      return undefined;
    }
    if (t.charCodeAt(p) === 0x2e) {
      p++;
      const fracStart = p;
      while (p < t.length && isDigit(t.charCodeAt(p))) p++;
      if (p === fracStart) {
        if (p >= t.length) this.error('Unexpected end-of-input in a Number value', p, 0);
        else
          this.error(
            `Unexpected character (${this.desc(p)}) in numeric value: Decimal point not followed by a digit`,
            p,
          );
        this.pos = p;
        return undefined;
      }
    }
    const e = t.charCodeAt(p);
    if (e === 0x65 || e === 0x45) {
      p++;
      const s = t.charCodeAt(p);
      if (s === 0x2b || s === 0x2d) p++;
      const expStart = p;
      while (p < t.length && isDigit(t.charCodeAt(p))) p++;
      if (p === expStart) {
        if (p >= t.length) this.error('Unexpected end-of-input in a Number value', p, 0);
        else
          this.error(
            `Unexpected character (${this.desc(p)}) in numeric value: Exponent indicator not followed by a digit`,
            p,
          );
        this.pos = p;
        return undefined;
      }
    }
    this.pos = p;
    const numText = t.slice(start, p);
    return { type: 'number', text: numText, value: Number(numText), offset: start, length: p - start, parent: undefined };
  }

  /** The identifier-like run Jackson echoes in "Unrecognized token '...'" messages. */
  private tokenRun(from: number): string {
    const t = this.text;
    let p = from;
    while (p < t.length && p - from < 256 && isJavaIdentifierPart(t.charCodeAt(p))) p++;
    return t.slice(from, Math.max(p, from + 1));
  }

  private readLiteral(): AstNode | undefined {
    const t = this.text;
    const start = this.pos;
    const c = t.charCodeAt(start);
    const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : undefined;
    if (word === undefined) return undefined;
    let i = 1;
    while (i < word.length && t.charCodeAt(start + i) === word.charCodeAt(i)) i++;
    if (i === word.length && !(start + i < t.length && isJavaIdentifierPart(t.charCodeAt(start + i)))) {
      this.pos = start + i;
      return c === 0x6e
        ? { type: 'null', offset: start, length: i, parent: undefined }
        : { type: 'boolean', value: c === 0x74, offset: start, length: i, parent: undefined };
    }
    const run = this.tokenRun(start);
    this.error(`Unrecognized token '${this.shown.slice(start, start + run.length)}': was expecting ${VALID_VALUES}`, start, run.length);
    this.pos = start + run.length;
    return undefined;
  }

  /**
   * Reads a scalar value or reports why none is there. Returns 'open-object' / 'open-array' when a container
   * starts (the caller pushes a frame), a node for scalars, or undefined after an error.
   */
  private readValueStart(frame: Frame | undefined): AstNode | 'open-object' | 'open-array' | undefined {
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    switch (c) {
      case 0x7b:
        return 'open-object';
      case 0x5b:
        return 'open-array';
      case 0x22:
        return this.readString(false);
      case 0x74:
      case 0x66:
      case 0x6e:
        return this.readLiteral();
      case 0x2d:
        return this.readNumber();
      default:
        if (isDigit(c)) return this.readNumber();
    }
    if (c === 0x4e && t.startsWith('NaN', this.pos) && !isJavaIdentifierPart(t.charCodeAt(this.pos + 3))) {
      this.error("Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow", this.pos, 3);
      this.pos += 3;
      return undefined;
    }
    if (c === 0x49 && t.startsWith('Infinity', this.pos) && !isJavaIdentifierPart(t.charCodeAt(this.pos + 8))) {
      this.error(
        "Non-standard token 'Infinity': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow",
        this.pos,
        8,
      );
      this.pos += 8;
      return undefined;
    }
    if (isJavaIdentifierStart(c)) {
      const run = this.tokenRun(this.pos);
      const shownRun = this.shown.slice(this.pos, this.pos + run.length);
      this.error(`Unrecognized token '${shownRun}': was expecting ${VALID_VALUES}`, this.pos, run.length);
      this.pos += run.length;
      return undefined;
    }
    void frame;
    this.error(`Unexpected character (${this.desc(this.pos)}): expected a valid value ${VALID_VALUES}`, this.pos);
    return undefined;
  }

  // ---- structure ------------------------------------------------------------------------------------------

  private parseRoot(): AstNode | undefined {
    this.skipBlanks();
    if (this.pos >= this.text.length) return undefined;
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x5d || c === 0x7d) {
      this.error(
        `Unexpected close marker '${String.fromCharCode(c)}': expected '${c === 0x5d ? '}' : ']'}' (for root starting at ${this.location(0).replace(/column: \d+\]$/, 'column: 0]')})`,
        this.pos,
      );
      return undefined;
    }
    const first = this.readValueStart(undefined);
    if (first === undefined || typeof first === 'object') return first;
    return this.parseContainer(first);
  }

  /** Parses a container whose opening bracket is at this.pos, without recursion. */
  private parseContainer(kind: 'open-object' | 'open-array'): AstNode {
    const t = this.text;
    const stack: Frame[] = [];
    const open = (k: 'open-object' | 'open-array'): void => {
      // Only the member list of the frame's kind is ever pushed to: the other one is a shared empty array.
      const isObject = k === 'open-object';
      stack.push({
        kind: isObject ? 'object' : 'array',
        start: this.pos,
        properties: isObject ? [] : (NO_PROPERTIES as PropertyNode[]),
        items: isObject ? (NO_ITEMS as AstNode[]) : [],
        pendingKey: undefined,
        pendingColon: -1,
        hasMember: false,
      });
      this.pos++;
    };
    open(kind);
    let finished: AstNode | undefined;

    /** Closes the top frame (closed=false when the input ended first) and attaches it to its parent. */
    const close = (closed: boolean): void => {
      const f = stack.pop()!;
      const end = closed ? this.pos + 1 : t.length;
      const node: ObjectNode | ArrayNode =
        f.kind === 'object'
          ? { type: 'object', properties: f.properties, closed, offset: f.start, length: end - f.start, parent: undefined }
          : { type: 'array', items: f.items, closed, offset: f.start, length: end - f.start, parent: undefined };
      if (closed) this.pos++;
      attach(node);
    };
    const attach = (node: AstNode | undefined): void => {
      const parent = stack[stack.length - 1];
      if (!parent) {
        finished = node;
        return;
      }
      parent.hasMember = true;
      if (parent.kind === 'array') {
        if (node) parent.items.push(node);
      } else if (parent.pendingKey) {
        const key = parent.pendingKey;
        const end = node ? node.offset + node.length : Math.max(this.pos, key.offset + key.length);
        parent.properties.push({
          type: 'property',
          key,
          value: node,
          colonOffset: parent.pendingColon,
          offset: key.offset,
          length: end - key.offset,
          parent: undefined,
        });
        parent.pendingKey = undefined;
        parent.pendingColon = -1;
      }
    };

    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      this.skipBlanks();
      if (this.pos >= t.length) {
        if (frame.kind === 'object' && frame.pendingKey) {
          this.error(`Unexpected end-of-input within/between Object entries`, t.length, 0);
          attach(undefined);
        } else {
          this.error(
            `Unexpected end-of-input: expected close marker for ${this.typeDesc(frame)} (start marker at ${this.location(frame.start)})`,
            t.length,
            0,
          );
        }
        while (stack.length > 0) close(false);
        break;
      }
      const c = t.charCodeAt(this.pos);

      // A value is expected after a key's colon.
      if (frame.kind === 'object' && frame.pendingKey) {
        if (c === 0x7d || c === 0x5d) {
          this.reportCloseOrMissingValue(frame, c);
          continue;
        }
        this.readMemberValue(open, attach);
        continue;
      }

      if (c === 0x5d || c === 0x7d) {
        const wanted = frame.kind === 'array' ? 0x5d : 0x7d;
        if (c === wanted) {
          close(true);
        } else {
          this.error(
            `Unexpected close marker '${String.fromCharCode(c)}': expected '${String.fromCharCode(wanted)}' (for ${this.typeDesc(frame)} starting at ${this.location(frame.start)})`,
            this.pos,
          );
          // Recover: if an enclosing frame wants this marker, close up to it; otherwise skip it.
          const idx = findLastIndex(stack, (f) => (f.kind === 'array' ? 0x5d : 0x7d) === c);
          if (idx >= 0) {
            while (stack.length - 1 > idx) close(false);
            close(true);
          } else {
            this.pos++;
          }
        }
        continue;
      }

      if (frame.hasMember) {
        if (c !== 0x2c) {
          this.error(
            `Unexpected character (${this.desc(this.pos)}): was expecting comma to separate ${this.typeDesc(frame)} entries`,
            this.pos,
          );
          // Recover by treating it as if a comma were there (the common case is a forgotten comma).
        } else {
          this.pos++;
          this.skipBlanks();
          if (this.pos >= t.length) {
            this.error(`Unexpected end-of-input within/between ${this.typeDesc(frame)} entries`, t.length, 0);
            while (stack.length > 0) close(false);
            break;
          }
        }
      }
      const d = t.charCodeAt(this.pos);
      if (frame.kind === 'object') {
        if (d !== 0x22) {
          this.error(`Unexpected character (${this.desc(this.pos)}): was expecting double-quote to start field name`, this.pos);
          this.recoverInObject();
          continue;
        }
        const key = this.readString(true);
        this.skipBlanks();
        if (this.pos >= t.length) {
          this.error('Unexpected end-of-input within/between Object entries', t.length, 0);
          frame.pendingKey = key;
          attach(undefined);
          continue;
        }
        const colon = t.charCodeAt(this.pos);
        if (colon !== 0x3a) {
          this.error(
            `Unexpected character (${this.desc(this.pos)}): was expecting a colon to separate field name and value`,
            this.pos,
          );
          frame.pendingKey = key;
          frame.pendingColon = -1;
          continue;
        }
        frame.pendingKey = key;
        frame.pendingColon = this.pos;
        this.pos++;
        this.skipBlanks();
        if (this.pos >= t.length) {
          this.error('Unexpected end-of-input within/between Object entries', t.length, 0);
          attach(undefined);
        }
        continue;
      }
      // Array element.
      if (d === 0x5d || d === 0x7d) {
        // `[1,]`: Jackson wants a value after the comma.
        if (frame.hasMember) {
          this.error(`Unexpected character (${this.desc(this.pos)}): expected a valid value ${VALID_VALUES}`, this.pos);
          if (d === 0x5d) close(true);
          else this.pos++;
        }
        continue;
      }
      const before = this.pos;
      const v = this.readValueStart(frame);
      if (v === 'open-object' || v === 'open-array') {
        frame.hasMember = true;
        open(v);
        continue;
      }
      if (v) attach(v);
      else {
        frame.hasMember = true;
        if (this.pos === before) this.pos++;
      }
    }
    return finished!;
  }

  private readMemberValue(
    open: (k: 'open-object' | 'open-array') => void,
    attach: (node: AstNode | undefined) => void,
  ): void {
    const before = this.pos;
    const v = this.readValueStart(undefined);
    if (v === 'open-object' || v === 'open-array') {
      // The property is attached when the container closes.
      open(v);
      return;
    }
    attach(v);
    if (!v && this.pos === before) this.pos++;
  }

  /** `{"a": }` or `{"a": ]`: report the missing value; close markers are handled on the next turn. */
  private reportCloseOrMissingValue(frame: Frame, c: number): void {
    this.error(`Unexpected character (${jacksonCharDesc(c)}): expected a valid value ${VALID_VALUES}`, this.pos);
    const key = frame.pendingKey!;
    frame.properties.push({
      type: 'property',
      key,
      value: undefined,
      colonOffset: frame.pendingColon,
      offset: key.offset,
      length: this.pos - key.offset,
      parent: undefined,
    });
    frame.pendingKey = undefined;
    frame.hasMember = true;
  }

  /** After a bad field-name start, skip to the next comma or closing brace at this level. */
  private recoverInObject(): void {
    const t = this.text;
    let depth = 0;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        const save = this.errors.length;
        this.readString(false);
        this.errors.length = Math.min(this.errors.length, save);
        continue;
      }
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (depth === 0) return;
        depth--;
      } else if (c === 0x2c && depth === 0) return;
      this.pos++;
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

function findLastIndex<T>(arr: T[], pred: (x: T) => boolean): number {
  for (let i = arr.length - 1; i >= 0; i--) if (pred(arr[i])) return i;
  return -1;
}
