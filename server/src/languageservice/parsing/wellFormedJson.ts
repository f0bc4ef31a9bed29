// A fast reader for JSON documents that are well formed, which most are most of the time: one pass over the
// characters that builds the house AST, parent links included, without jsonc-parser's tokens and callbacks. Opening a
// 5,000-resource JSON template spent most of its parse there.
//
// It reads strict JSON only. Whatever jsonc-parser would report or tolerate (a syntax error, a comment, a trailing
// comma, a byte order mark, nesting beyond MAX_NESTING_DEPTH, an empty document) makes it give up, and the tolerant
// parse (documentParser.parseJsonText) reads the text instead. For the texts it accepts, both give the same tree (a
// property test holds them to it), so which one ran is never visible.

import type { ArrayNode, AstNode, NumberNode, ObjectNode, PropertyNode } from '../../engine/jsonAst';
import type { IntrinsicNode, SourcedStringNode } from './parsedDocument';

/** How the document parser describes intrinsics and decides which one-key objects are intrinsic calls. */
export interface IntrinsicReading {
  isLongFormIntrinsic(key: string, value: AstNode | undefined): boolean;
  describe(name: string, argument: AstNode | undefined, text: string): string;
}

interface Frame {
  readonly object: boolean;
  readonly offset: number;
  readonly properties: PropertyNode[];
  readonly items: AstNode[];
  /** In an object: the key read, waiting for its value. */
  key: SourcedStringNode | undefined;
  colonOffset: number;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const ESCAPES: Readonly<Record<number, string>> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

/** Thrown inside the reader when the text is not well-formed JSON; never escapes it. */
class NotWellFormed extends Error {}
const GIVE_UP = new NotWellFormed();

/**
 * The tree of a well-formed JSON text, or undefined when the text is anything else (the caller then parses it with
 * jsonc-parser).
 */
export function readWellFormedJson(text: string, maxDepth: number, intrinsics: IntrinsicReading): AstNode | undefined {
  try {
    return read(text, maxDepth, intrinsics);
  } catch (e) {
    if (e instanceof NotWellFormed) return undefined;
    throw e;
  }
}

function read(text: string, maxDepth: number, intrinsics: IntrinsicReading): AstNode | undefined {
  const n = text.length;
  let i = 0;
  const stack: Frame[] = [];
  let root: AstNode | undefined;

  const skipSpace = (): void => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) return;
    }
  };

  const readString = (): SourcedStringNode => {
    const start = i;
    i++;
    let from = i;
    let value = '';
    for (;;) {
      if (i >= n) throw GIVE_UP;
      const c = text.charCodeAt(i);
      if (c === QUOTE) break;
      if (c < 0x20) throw GIVE_UP;
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      value += text.slice(from, i);
      const e = text.charCodeAt(i + 1);
      if (e === 0x75 /* u */) {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw GIVE_UP;
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else {
        const escaped = ESCAPES[e];
        if (escaped === undefined) throw GIVE_UP;
        value += escaped;
        i += 2;
      }
      from = i;
    }
    value = from === start + 1 ? text.slice(from, i) : value + text.slice(from, i);
    i++;
    return { type: 'string', offset: start, length: i - start, value, style: 'json', parent: undefined };
  };

  const readNumber = (): NumberNode => {
    const start = i;
    if (text.charCodeAt(i) === MINUS) i++;
    const first = text.charCodeAt(i);
    if (first === ZERO) i++;
    else if (first > ZERO && first <= NINE) while (isDigit(text.charCodeAt(i))) i++;
    else throw GIVE_UP;
    if (text.charCodeAt(i) === DOT) {
      i++;
      if (!isDigit(text.charCodeAt(i))) throw GIVE_UP;
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 0x2b || sign === MINUS) i++;
      if (!isDigit(text.charCodeAt(i))) throw GIVE_UP;
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const source = text.slice(start, i);
    return { type: 'number', offset: start, length: i - start, value: Number(source), text: source, parent: undefined };
  };

  const readWord = (word: string): void => {
    if (!text.startsWith(word, i)) throw GIVE_UP;
    i += word.length;
    // jsonc-parser reads `truex` as one unknown word: only a word that ends here is the literal.
    const next = text.charCodeAt(i);
    if (i < n && !isDelimiter(next)) throw GIVE_UP;
  };

  /** Puts a finished value where it belongs: the root, an array's items, or the pending key's property. */
  const attach = (node: AstNode): void => {
    const frame = stack[stack.length - 1];
    if (!frame) {
      root = node;
      return;
    }
    if (!frame.object) {
      frame.items.push(node);
      return;
    }
    const key = frame.key!;
    const property: PropertyNode = {
      type: 'property',
      offset: key.offset,
      length: node.offset + node.length - key.offset,
      key,
      value: node,
      colonOffset: frame.colonOffset,
      parent: undefined,
    };
    key.parent = property;
    node.parent = property;
    frame.properties.push(property);
    frame.key = undefined;
  };

  const close = (end: number): AstNode => {
    const frame = stack.pop()!;
    const length = end + 1 - frame.offset;
    if (!frame.object) {
      const array: ArrayNode = {
        type: 'array',
        offset: frame.offset,
        length,
        items: frame.items,
        closed: true,
        parent: undefined,
      };
      for (const item of frame.items) item.parent = array;
      return array;
    }
    const only = frame.properties.length === 1 ? frame.properties[0] : undefined;
    if (only && intrinsics.isLongFormIntrinsic(only.key.value, only.value)) {
      const name = only.key.value;
      const intrinsic: IntrinsicNode = {
        type: 'unknown',
        offset: frame.offset,
        length,
        tag: name,
        intrinsic: name,
        description: intrinsics.describe(name, only.value, text),
        argument: only.value,
        parent: undefined,
      };
      if (only.value) only.value.parent = intrinsic;
      return intrinsic;
    }
    const object: ObjectNode = {
      type: 'object',
      offset: frame.offset,
      length,
      properties: frame.properties,
      closed: true,
      parent: undefined,
    };
    for (const p of frame.properties) p.parent = object;
    return object;
  };

  skipSpace();
  if (i >= n) throw GIVE_UP; // empty: the tolerant parse decides
  for (;;) {
    // A value starts here.
    skipSpace();
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (stack.length >= maxDepth) throw GIVE_UP;
      const object = c === OPEN_BRACE;
      stack.push({ object, offset: i, properties: [], items: [], key: undefined, colonOffset: -1 });
      i++;
      skipSpace();
      const closer = text.charCodeAt(i);
      if (closer === (object ? CLOSE_BRACE : CLOSE_BRACKET)) {
        attach(close(i));
        i++;
      } else if (object) {
        readKey();
        continue;
      } else {
        continue;
      }
    } else {
      if (c === QUOTE) attach(readString());
      else if (c === MINUS || isDigit(c)) attach(readNumber());
      else if (c === 0x74 /* t */) {
        const start = i;
        readWord('true');
        attach({ type: 'boolean', offset: start, length: 4, value: true, parent: undefined });
      } else if (c === 0x66 /* f */) {
        const start = i;
        readWord('false');
        attach({ type: 'boolean', offset: start, length: 5, value: false, parent: undefined });
      } else if (c === 0x6e /* n */) {
        const start = i;
        readWord('null');
        attach({ type: 'null', offset: start, length: 4, parent: undefined });
      } else throw GIVE_UP;
    }
    // After a value: a separator or closers, until the next value starts (or the text ends).
    for (;;) {
      skipSpace();
      const frame = stack[stack.length - 1];
      if (!frame) {
        if (i < n) throw GIVE_UP; // text after the root value
        return root;
      }
      const d = text.charCodeAt(i);
      if (d === COMMA) {
        i++;
        skipSpace();
        const next = text.charCodeAt(i);
        if (next === CLOSE_BRACE || next === CLOSE_BRACKET) throw GIVE_UP; // a trailing comma
        if (frame.object) readKey();
        break;
      }
      if (d === (frame.object ? CLOSE_BRACE : CLOSE_BRACKET)) {
        attach(close(i));
        i++;
        continue;
      }
      throw GIVE_UP;
    }
  }

  function readKey(): void {
    if (text.charCodeAt(i) !== QUOTE) throw GIVE_UP;
    const frame = stack[stack.length - 1];
    frame.key = readString();
    skipSpace();
    if (text.charCodeAt(i) !== COLON) throw GIVE_UP;
    frame.colonOffset = i;
    i++;
  }
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** What may follow a literal word in JSON: whitespace, a separator, a closer. */
function isDelimiter(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET;
}
