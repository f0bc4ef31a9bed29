// Decodes a string literal as written in a JSON or YAML document and keeps, for every UTF-16 code unit of the
// decoded value, the document offset it came from. Patterns are often written as JSON inside a string (Pipes and
// Lambda filters, `EventPattern: !Sub '...'`), and a problem found in the decoded JSON must be shown on the
// character the user typed, through escapes, quote doubling, line folding and block indentation.

/** How a string scalar is written in its document. */
export type StringStyle = 'json' | 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface DecodedString {
  readonly value: string;
  /**
   * `offsets[i]` is the document offset of the source of `value[i]` (the start of its escape sequence, or the line
   * break a folded space or newline came from); `offsets[value.length]` is the end of the content.
   */
  readonly offsets: Int32Array;
}

/** Accumulates decoded code units and their source offsets. */
class DecodedBuilder {
  private readonly units: string[] = [];
  private readonly sources: number[] = [];

  push(chars: string, sourceOffset: number): void {
    for (let k = 0; k < chars.length; k++) {
      this.units.push(chars[k]);
      this.sources.push(sourceOffset);
    }
  }

  get length(): number {
    return this.units.length;
  }

  lastSource(): number {
    return this.sources[this.sources.length - 1] ?? 0;
  }

  lastChar(): string | undefined {
    return this.units[this.units.length - 1];
  }

  /** Removes trailing code units while `predicate` holds (YAML chomping). */
  trimEnd(predicate: (unit: string) => boolean): void {
    while (this.units.length > 0 && predicate(this.units[this.units.length - 1])) {
      this.units.pop();
      this.sources.pop();
    }
  }

  finish(endOffset: number): DecodedString {
    const offsets = new Int32Array(this.sources.length + 1);
    for (let k = 0; k < this.sources.length; k++) offsets[k] = this.sources[k]!;
    offsets[this.sources.length] = endOffset;
    return { value: this.units.join(''), offsets };
  }
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** Length of the line break at `i` (`\r\n`, `\n` or `\r`), 0 when there is none. */
function breakLengthAt(text: string, i: number): number {
  const c = text[i];
  if (c === '\n') return 1;
  if (c === '\r') return text[i + 1] === '\n' ? 2 : 1;
  return 0;
}

function hexValue(text: string, from: number, digits: number): number | undefined {
  const hex = text.slice(from, from + digits);
  if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  return parseInt(hex, 16);
}

/**
 * A JSON string literal: `text[start]` is the opening quote, `end` is just past the closing quote (or where the
 * literal was cut short). Invalid escapes keep their characters, as jsonc-parser does.
 */
export function decodeJsonString(text: string, start: number, end: number): DecodedString {
  const out = new DecodedBuilder();
  let i = start + 1;
  const contentEnd =
    end > start + 1 && text[end - 1] === '"' && !isEscapedQuote(text, start + 1, end - 1) ? end - 1 : end;
  while (i < contentEnd) {
    const c = text[i];
    if (c !== '\\') {
      out.push(c, i);
      i++;
      continue;
    }
    const e = text[i + 1];
    const simple = e === undefined ? undefined : JSON_ESCAPES[e];
    if (simple !== undefined) {
      out.push(simple, i);
      i += 2;
    } else if (e === 'u') {
      const code = hexValue(text, i + 2, 4);
      if (code === undefined) {
        // jsonc-parser drops an invalid `\u` escape together with the hex digits it could read.
        let k = i + 2;
        while (k < i + 6 && k < contentEnd && /[0-9a-fA-F]/.test(text[k])) k++;
        i = k;
      } else {
        out.push(String.fromCharCode(code), i);
        i += 6;
      }
    } else {
      // jsonc-parser drops an invalid escape (backslash and character) from the value.
      i += e === undefined ? 1 : 2;
    }
  }
  return out.finish(contentEnd);
}

/** True when the quote at `quoteIndex` is preceded by an odd run of backslashes (so it is content). */
function isEscapedQuote(text: string, contentStart: number, quoteIndex: number): boolean {
  let backslashes = 0;
  for (let k = quoteIndex - 1; k >= contentStart && text[k] === '\\'; k--) backslashes++;
  return backslashes % 2 === 1;
}

const JSON_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const YAML_DOUBLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

/**
 * Folds the line break at `i` inside a flow scalar (plain, single- or double-quoted): the break and the next
 * line's leading white space become one space, or, when empty lines follow, one `\n` per empty line. Returns the
 * index of the first content character after the fold.
 */
function foldFlowBreak(text: string, i: number, end: number, out: DecodedBuilder): number {
  const firstBreak = i;
  let j = i + breakLengthAt(text, i);
  let emptyLines = 0;
  for (;;) {
    while (j < end && isBlank(text[j])) j++;
    const len = j < end ? breakLengthAt(text, j) : 0;
    if (len === 0) break;
    out.push('\n', j);
    emptyLines++;
    j += len;
  }
  if (emptyLines === 0) out.push(' ', firstBreak);
  return j;
}

/**
 * Drops the white space run at `i` when it ends in a line break (YAML strips trailing white space of a folded
 * line) or, for plain scalars, the scalar; otherwise copies it. Returns the index after the run.
 */
function copyOrDropTrailingBlanks(
  text: string,
  i: number,
  end: number,
  out: DecodedBuilder,
  dropAtEnd: boolean,
): number {
  let j = i;
  while (j < end && isBlank(text[j])) j++;
  const endsLine = j >= end ? dropAtEnd : breakLengthAt(text, j) > 0;
  if (!endsLine) for (let k = i; k < j; k++) out.push(text[k], k);
  return j;
}

/**
 * The flow-scalar loop the three YAML flow styles share: blanks before a line break are dropped (and at the very end
 * too when `dropAtEnd`), line breaks fold, other characters are copied. `escape`, when given, handles the style's own
 * escapes at `i`: it returns the offset after them, or undefined when `text[i]` is not one.
 */
function decodeFlowScalar(
  text: string,
  from: number,
  to: number,
  dropAtEnd: boolean,
  escape?: (i: number, out: DecodedBuilder) => number | undefined,
): DecodedString {
  const out = new DecodedBuilder();
  let i = from;
  while (i < to) {
    const escaped = escape?.(i, out);
    if (escaped !== undefined) {
      i = escaped;
      continue;
    }
    const c = text[i];
    if (isBlank(c)) {
      i = copyOrDropTrailingBlanks(text, i, to, out, dropAtEnd);
    } else if (breakLengthAt(text, i) > 0) {
      i = foldFlowBreak(text, i, to, out);
    } else {
      out.push(c, i);
      i++;
    }
  }
  return out.finish(to);
}

/** A plain (unquoted) YAML scalar occupying [start, end). */
export function decodeYamlPlain(text: string, start: number, end: number): DecodedString {
  return decodeFlowScalar(text, start, end, true);
}

/** A single-quoted YAML scalar: `text[start]` is the opening quote, `end` is past the closing one. */
export function decodeYamlSingleQuoted(text: string, start: number, end: number): DecodedString {
  const contentEnd = end - 1 > start && text[end - 1] === "'" ? end - 1 : end;
  return decodeFlowScalar(text, start + 1, contentEnd, false, (i, out) => {
    if (text[i] !== "'" || text[i + 1] !== "'") return undefined;
    out.push("'", i);
    return i + 2;
  });
}

/** A double-quoted YAML scalar: `text[start]` is the opening quote, `end` is past the closing one. */
export function decodeYamlDoubleQuoted(text: string, start: number, end: number): DecodedString {
  const contentEnd =
    end - 1 > start && text[end - 1] === '"' && !isEscapedQuote(text, start + 1, end - 1) ? end - 1 : end;
  return decodeFlowScalar(text, start + 1, contentEnd, false, (i, out) => {
    if (text[i] !== '\\') return undefined;
    const e = text[i + 1];
    if (e === undefined || i + 1 >= contentEnd) return i + 1;
    const breakLen = breakLengthAt(text, i + 1);
    if (breakLen > 0) {
      // An escaped line break joins the lines with nothing between them.
      let j = i + 1 + breakLen;
      while (j < contentEnd && isBlank(text[j])) j++;
      return j;
    }
    const simple = YAML_DOUBLE_ESCAPES[e];
    if (simple !== undefined) {
      out.push(simple, i);
      return i + 2;
    }
    const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const code = digits > 0 ? hexValue(text, i + 2, digits) : undefined;
    if (code !== undefined && code <= 0x10ffff) {
      out.push(String.fromCodePoint(code), i);
      return i + 2 + digits;
    }
    // The yaml parser reports an error and keeps the text as written.
    out.push(text.slice(i, i + 2), i);
    return i + 2;
  });
}

interface BlockLine {
  /** Offset of the line's first character. */
  readonly start: number;
  /** Number of leading spaces. */
  readonly indent: number;
  /** Offset where the content ends (before `\r\n` / `\n`). */
  readonly contentEnd: number;
  /** Offset of the line break ending the line, or `contentEnd` on a last line without one. */
  readonly breakOffset: number;
}

const contentStartOf = (line: BlockLine): number => line.start + line.indent;
const isEmptyContent = (line: BlockLine): boolean => contentStartOf(line) >= line.contentEnd;

/**
 * A block scalar (`|` literal or `>` folded): `start` is the header indicator, `end` is the end of its range.
 * `parentIndent` is the indentation of the node that holds it (an explicit indentation indicator is relative to
 * it). The rules follow the yaml package's resolution exactly (including its treatment of white-space-only
 * lines), since the decoded value must equal the parser's.
 */
export function decodeYamlBlock(text: string, start: number, end: number, parentIndent: number): DecodedString {
  const folded = text[start] === '>';
  let i = start + 1;
  let explicitIndent = 0;
  let chomping: 'clip' | 'strip' | 'keep' = 'clip';
  for (; i < end; i++) {
    const c = text[i];
    if (c === '-' && chomping === 'clip') chomping = 'strip';
    else if (c === '+' && chomping === 'clip') chomping = 'keep';
    else if (c >= '1' && c <= '9' && explicitIndent === 0) explicitIndent = c.charCodeAt(0) - 48;
    else break;
  }
  // The rest of the header line (white space, comment) and its line break.
  while (i < end && text[i] !== '\n') i++;
  if (i < end) i++;

  const lines = splitBlockLines(text, i, end);
  const out = new DecodedBuilder();
  const lastBreak = (): number => (lines.length > 0 ? lines[lines.length - 1].breakOffset : end);

  // Trailing lines with no content are chomping material.
  let chompStart = lines.length;
  while (chompStart > 0 && isEmptyContent(lines[chompStart - 1])) chompStart--;
  if (chompStart === 0) {
    if (chomping === 'keep' && lines.length > 0) {
      const count = Math.max(1, lines.length - 1);
      for (let k = 0; k < count; k++) out.push('\n', lines[Math.min(k, lines.length - 1)].breakOffset);
    }
    return out.finish(end);
  }

  // Indentation to strip: explicit, or that of the first content line (raised by longer leading empty lines).
  let trimIndent = parentIndent + explicitIndent;
  let contentStart = 0;
  for (let k = 0; k < chompStart; k++) {
    const line = lines[k];
    if (isEmptyContent(line)) {
      if (explicitIndent === 0 && line.indent > trimIndent) trimIndent = line.indent;
    } else {
      if (explicitIndent === 0) trimIndent = line.indent;
      contentStart = k;
      break;
    }
  }
  // Trailing empty lines indented beyond the content are content.
  for (let k = lines.length - 1; k >= chompStart; k--) {
    if (lines[k].indent > trimIndent) {
      chompStart = k + 1;
      break;
    }
  }

  const pushExtraIndent = (line: BlockLine): void => {
    for (let k = line.start + trimIndent; k < line.start + line.indent; k++) out.push(' ', k);
  };
  const pushContent = (line: BlockLine): void => {
    for (let k = contentStartOf(line); k < line.contentEnd; k++) out.push(text[k], k);
  };

  // Leading empty lines are kept as they are (beyond the indentation).
  for (let k = 0; k < contentStart; k++) {
    pushExtraIndent(lines[k]);
    out.push('\n', lines[k].breakOffset);
  }

  // The separator owed before the next content: a folded space or line breaks, each with its source break.
  let separator: { char: string; source: number }[] = [];
  let previousMoreIndented = false;
  for (let k = contentStart; k < chompStart; k++) {
    const line = lines[k];
    const previousBreak = k > 0 ? lines[k - 1].breakOffset : line.start;
    if (!folded) {
      for (const part of separator) out.push(part.char, part.source);
      pushExtraIndent(line);
      pushContent(line);
      separator = [{ char: '\n', source: line.breakOffset }];
      continue;
    }
    const moreIndented = line.indent > trimIndent || text[contentStartOf(line)] === '\t';
    if (moreIndented) {
      if (separator.length === 1 && separator[0].char === ' ') {
        separator = [{ char: '\n', source: separator[0].source }];
      } else if (!previousMoreIndented && separator.length === 1 && separator[0].char === '\n') {
        separator = [{ char: '\n', source: previousBreakBefore(lines, k, previousBreak) }, separator[0]];
      }
      for (const part of separator) out.push(part.char, part.source);
      pushExtraIndent(line);
      pushContent(line);
      separator = [{ char: '\n', source: line.breakOffset }];
      previousMoreIndented = true;
    } else if (isEmptyContent(line)) {
      // A further empty line: one more newline now; the owed one moves to this line's break (keeps order).
      if (separator.length === 1 && separator[0].char === '\n') out.push('\n', separator[0].source);
      separator = [{ char: '\n', source: line.breakOffset }];
    } else {
      for (const part of separator) out.push(part.char, part.source);
      pushContent(line);
      separator = [{ char: ' ', source: line.breakOffset }];
      previousMoreIndented = false;
    }
  }

  const lastContentBreak = lines[chompStart - 1].breakOffset;
  if (chomping === 'keep') {
    let breakSource = lastContentBreak;
    for (let k = chompStart; k < lines.length; k++) {
      out.push('\n', breakSource);
      pushExtraIndent(lines[k]);
      breakSource = lines[k].breakOffset;
    }
    if (out.lastChar() !== '\n') out.push('\n', chompStart < lines.length ? lastBreak() : lastContentBreak);
  } else if (chomping === 'clip') {
    out.push('\n', lastContentBreak);
  }
  return out.finish(Math.min(end, out.length > 0 ? out.lastSource() + 1 : end));
}

/** The break before the empty line(s) preceding line `k` (the first of the two `\n` yaml writes there). */
function previousBreakBefore(lines: readonly BlockLine[], k: number, fallback: number): number {
  let m = k - 1;
  while (m >= 0 && isEmptyContent(lines[m])) m--;
  return m >= 0 ? lines[m].breakOffset : fallback;
}

/** Splits block scalar content into lines as the yaml package does: at `\n`, leading spaces as indentation. */
function splitBlockLines(text: string, from: number, end: number): BlockLine[] {
  const lines: BlockLine[] = [];
  let i = from;
  for (;;) {
    let k = i;
    while (k < end && text[k] === ' ') k++;
    let nl = k;
    while (nl < end && text[nl] !== '\n') nl++;
    const contentEnd = nl > k && text[nl - 1] === '\r' && nl < end ? nl - 1 : nl;
    lines.push({
      start: i,
      indent: k - i,
      contentEnd: Math.max(contentEnd, k),
      breakOffset: nl < end ? contentEnd : nl,
    });
    if (nl >= end) break;
    i = nl + 1;
  }
  return lines;
}

/** Decodes a string scalar of the given style found at [start, end) in `text`. */
export function decodeStringSource(
  text: string,
  style: StringStyle,
  start: number,
  end: number,
  blockParentIndent = 0,
): DecodedString {
  switch (style) {
    case 'json':
      return decodeJsonString(text, start, end);
    case 'plain':
      return decodeYamlPlain(text, start, end);
    case 'single':
      return decodeYamlSingleQuoted(text, start, end);
    case 'double':
      return decodeYamlDoubleQuoted(text, start, end);
    case 'literal':
    case 'folded':
      return decodeYamlBlock(text, start, end, blockParentIndent);
  }
}

/**
 * A degraded map for when a decoder and the parser disagree: every code unit maps proportionally into the range,
 * so ranges stay inside the string even if they are not character-exact.
 */
export function approximateDecodedString(value: string, start: number, end: number): DecodedString {
  const offsets = new Int32Array(value.length + 1);
  const span = Math.max(0, end - start);
  for (let k = 0; k <= value.length; k++) {
    offsets[k] = start + (value.length === 0 ? 0 : Math.floor((k * span) / Math.max(1, value.length)));
  }
  offsets[value.length] = end;
  return { value, offsets };
}
