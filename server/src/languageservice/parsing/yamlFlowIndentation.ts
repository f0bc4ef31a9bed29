// YAML that CloudFormation reads but the YAML 1.2 spec (and so the yaml parser) does not: a flow collection or a
// quoted string that runs over several lines with a line indented no more than the key that holds it.
//
//   Schema: {"type": "object",
//   "title": "Stats"}                    <- as indented as `Schema`
//   PolicyDocument: !Sub '{
//     "Version": "2012-10-17"
//   }'                                   <- as indented as `PolicyDocument`
//
// Inside brackets and quotes the structure does not depend on indentation, and the parsers CloudFormation templates
// are commonly read with (PyYAML, SnakeYAML) accept such lines; public sample templates that deploy have them. When
// the yaml parser reports errors, the document is read again with those lines indented one column more than the line
// where their bracket or quote opened (only spaces at line starts are added: decoded strings do not change, since
// continuation lines lose their leading white space), and when that reading has no errors it is the one used, with
// every offset moved back to the text as written and a warning for each such construct.

import type { AstNode, PropertyNode } from '../../engine/jsonAst';
import type { ParsedDocument, SyntaxProblem } from './parsedDocument';

/** Spaces inserted at the start of a line (at an offset of the text as written). */
interface Insertion {
  readonly at: number;
  readonly count: number;
}

interface RelaxedText {
  readonly text: string;
  /** In increasing order of `at`. */
  readonly insertions: readonly Insertion[];
  /** Where each construct with under-indented lines starts (its first under-indented line), in the text as written. */
  readonly constructs: readonly { readonly offset: number; readonly length: number }[];
}

/**
 * The document read with under-indented lines of flow collections and quoted strings indented (see the header), or
 * undefined when there are none, or when that reading has errors too. `parse` reads a whole YAML text (undefined when
 * it refuses to).
 */
export function parseWithRelaxedFlowIndentation(
  text: string,
  parse: (text: string) => ParsedDocument | undefined,
): ParsedDocument | undefined {
  const relaxed = relaxFlowIndentation(text);
  if (!relaxed) return undefined;
  const parsed = parse(relaxed.text);
  if (!parsed || parsed.syntaxErrors.some((e) => e.severity === 'error')) return undefined;
  const toOriginal = originalOffsetMap(relaxed.insertions);
  if (parsed.root) remapNodes(parsed.root, toOriginal);
  const syntaxErrors: SyntaxProblem[] = parsed.syntaxErrors.map((e) => {
    const start = toOriginal(e.offset);
    return { ...e, offset: start, length: Math.max(0, toOriginal(e.offset + e.length) - start) };
  });
  for (const c of relaxed.constructs) {
    syntaxErrors.push({
      ...c,
      message:
        'This line of a flow collection or quoted string is not indented more than the key that holds it: YAML 1.2 ' +
        'requires it, CloudFormation does not',
      severity: 'warning',
      code: 'FLOW_INDENTATION',
    });
  }
  syntaxErrors.sort((a, b) => a.offset - b.offset);
  return { root: parsed.root, syntaxErrors };
}

/** What the scanner is inside at a point of the text. */
interface ScanState {
  /** Open `[` and `{`. */
  depth: number;
  /** The quote of a quoted scalar being read. */
  quote: '"' | "'" | undefined;
  /** The column continuation lines need (one more than where the line that opened the construct has its content). */
  required: number;
  /** The under-indented lines of the construct being read, kept only if it closes (see relaxFlowIndentation). */
  pending: Insertion[];
  /** Its first under-indented line. */
  first: { offset: number; length: number } | undefined;
  /** False once one of its under-indented lines looks like block structure. */
  relaxable: boolean;
}

/** A line that reads as block structure: a plain key and its `:`, or a `- ` sequence entry. */
const BLOCK_LINE = /^\s*(?:-(?:\s|$)|[A-Za-z_][\w.-]*[ \t]*:(?:\s|$))/;

/**
 * Where spaces go to indent under-indented continuation lines of flow collections and quoted scalars, or undefined
 * when there are none. A lexical scan that only has to be right for text the yaml parser then reads without errors.
 * A construct counts only when it closes, and when none of its under-indented lines reads as block structure: a
 * bracket or quote left open (while typing, say) runs on over the lines after it, which are no flow lines of its own.
 */
export function relaxFlowIndentation(text: string): RelaxedText | undefined {
  const insertions: Insertion[] = [];
  const constructs: { offset: number; length: number }[] = [];
  const state: ScanState = { depth: 0, quote: undefined, required: 0, pending: [], first: undefined, relaxable: true };
  const commit = (): void => {
    if (state.first && state.relaxable) {
      insertions.push(...state.pending);
      constructs.push(state.first);
    }
    state.pending = [];
    state.first = undefined;
    state.relaxable = true;
  };
  let blockScalarParent = -1; // while >= 0: the lines of a block scalar whose header line's content is at this column
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    // Outside every construct, a line without quotes or block scalar indicators whose brackets close on it leaves
    // none open: most lines of a template, passed over without being cut out of the text (this scan runs at each
    // edit while a YAML template has a syntax error).
    if (
      blockScalarParent < 0 &&
      state.depth === 0 &&
      state.quote === undefined &&
      leavesNothingOpen(text, lineStart, lineEnd)
    ) {
      lineStart = lineEnd + 1;
      continue;
    }
    const line = text.slice(lineStart, lineEnd > lineStart && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd);
    let indent = 0;
    while (indent < line.length && line.charCodeAt(indent) === 0x20) indent++;
    const blank = indent === line.length || line.trim() === '';
    if (blockScalarParent >= 0) {
      if (blank || indent > blockScalarParent) {
        lineStart = lineEnd + 1;
        continue;
      }
      blockScalarParent = -1;
    }
    const inFlow = state.depth > 0 || state.quote !== undefined;
    if (inFlow && !blank && indent < state.required && line[indent] !== '#') {
      state.pending.push({ at: lineStart, count: state.required - indent });
      state.first ??= { offset: lineStart + indent, length: Math.max(1, line.trimEnd().length - indent) };
      if (BLOCK_LINE.test(line)) state.relaxable = false;
    }
    if (!inFlow) blockScalarParent = scanBlockLine(line, state, commit);
    else scanFrom(line, 0, state, contentColumn(line), commit);
    if (state.depth === 0 && state.quote === undefined) commit();
    lineStart = lineEnd + 1;
  }
  if (insertions.length === 0) return undefined;
  let out = '';
  let at = 0;
  for (const ins of insertions) {
    out += text.slice(at, ins.at) + ' '.repeat(ins.count);
    at = ins.at;
  }
  return { text: out + text.slice(at), insertions, constructs };
}

/**
 * Whether the line `text[start, end)`, read outside every construct, certainly ends outside every construct too: no
 * quote before its comment, no block scalar indicator, and its brackets close in order. (A bracket the scan would not
 * count, one inside a word, counts here too: whatever this cannot tell is left to the scan.)
 */
function leavesNothingOpen(text: string, start: number, end: number): boolean {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) {
      if (--depth < 0) return false;
    } else if (c === 0x22 || c === 0x27 || c === 0x7c || c === 0x3e) return false;
    else if (c === 0x23) {
      const before = i === start ? 0x20 : text.charCodeAt(i - 1);
      if (before === 0x20 || before === 0x09) {
        // A comment; the scan reads a line ending in `|` or `>` as a block scalar header, comment or not.
        for (let j = i + 1; j < end; j++) {
          const d = text.charCodeAt(j);
          if (d === 0x7c || d === 0x3e) return false;
        }
        break;
      }
    }
  }
  return depth === 0;
}

/** The column of a line's content, after its indentation and any `- ` / `? ` indicators. */
function contentColumn(line: string): number {
  let i = 0;
  for (;;) {
    while (i < line.length && line.charCodeAt(i) === 0x20) i++;
    const c = line[i];
    if ((c === '-' || c === '?') && (i + 1 === line.length || line[i + 1] === ' ')) i++;
    else return i;
  }
}

/**
 * Scans a line that starts in block context; returns the column of its content when it ends with a block scalar
 * header (its lines follow), else -1.
 */
function scanBlockLine(line: string, state: ScanState, commit: () => void): number {
  const column = contentColumn(line);
  scanFrom(line, column, state, column, commit);
  if (
    state.depth === 0 &&
    state.quote === undefined &&
    (line.includes('|') || line.includes('>')) &&
    /(?:^|[\s:])[|>][-+0-9]*[ \t]*(?:#.*)?$/.test(line)
  ) {
    return column;
  }
  return -1;
}

/**
 * Updates the state over `line` from column `from`; `column` is where the line's content starts. A construct that
 * closes is committed before another one opens.
 */
function scanFrom(line: string, from: number, state: ScanState, column: number, commit: () => void): void {
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (state.quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') state.quote = undefined;
      continue;
    }
    if (state.quote === "'") {
      if (c === "'" && line[i + 1] === "'") i++;
      else if (c === "'") state.quote = undefined;
      continue;
    }
    if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return; // a comment
    if ((c === '"' || c === "'") && (i === 0 || atTokenStart(line, i, state.depth > 0))) {
      if (state.depth === 0) openConstruct(state, column, commit);
      state.quote = c;
    } else if ((c === '[' || c === '{') && (i === 0 || state.depth > 0 || atTokenStart(line, i, false))) {
      if (state.depth === 0) openConstruct(state, column, commit);
      state.depth++;
    } else if ((c === ']' || c === '}') && state.depth > 0) {
      state.depth--;
    }
  }
}

function openConstruct(state: ScanState, column: number, commit: () => void): void {
  commit();
  state.required = column + 1;
}

/**
 * Whether a token may start at `i`: after white space that follows an indicator (`:`, `-`, `?`, `,`, `[`, `{`), a
 * tag or an anchor, or, inside a flow collection (`inFlow`), right after `[`, `{` or `,`. A quote or bracket inside a
 * plain scalar (`it's`, `A[[B`: in block context those brackets are text, not indicators) starts nothing.
 */
function atTokenStart(line: string, i: number, inFlow: boolean): boolean {
  let j = i - 1;
  if (j >= 0 && /[[{,]/.test(line[j])) return inFlow;
  while (j >= 0 && (line[j] === ' ' || line[j] === '\t')) j--;
  if (j < 0) return true;
  if (j === i - 1) return false; // no white space before: inside a word
  if (/[:\-?,[{]/.test(line[j])) return true;
  // A tag or an anchor just before (`!Sub '`, `&a [`).
  let k = j;
  while (k >= 0 && !/\s/.test(line[k])) k--;
  return /^[!&]/.test(line.slice(k + 1, j + 1));
}

/** Maps an offset of the relaxed text to the text as written. */
function originalOffsetMap(insertions: readonly Insertion[]): (offset: number) => number {
  // Relaxed offsets where each insertion's spaces start, and how many were inserted before it.
  const starts: number[] = [];
  const before: number[] = [];
  let inserted = 0;
  for (const ins of insertions) {
    starts.push(ins.at + inserted);
    before.push(inserted);
    inserted += ins.count;
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= offset) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k < 0) return offset;
    // Inside inserted spaces: where they were inserted.
    const insertedHere = Math.min(insertions[k].count, offset - starts[k]);
    return offset - before[k] - insertedHere;
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Moves every node's offsets through `map` (start and end each), in place. */
function remapNodes(root: AstNode, map: (offset: number) => number): void {
  const span = (n: { offset: number; length: number }): void => {
    const start = map(n.offset);
    const end = map(n.offset + n.length);
    (n as Mutable<typeof n>).offset = start;
    (n as Mutable<typeof n>).length = Math.max(0, end - start);
  };
  const stack: (AstNode | PropertyNode)[] = [root];
  const seen = new Set<AstNode | PropertyNode>();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue; // moved once only
    seen.add(node);
    span(node);
    switch (node.type) {
      case 'property':
        span(node.key);
        if (node.colonOffset >= 0) (node as Mutable<PropertyNode>).colonOffset = map(node.colonOffset);
        if (node.value) stack.push(node.value);
        break;
      case 'object':
        for (const p of node.properties) stack.push(p);
        break;
      case 'array':
        for (const item of node.items) stack.push(item);
        break;
      case 'unknown': {
        // An intrinsic's argument (IntrinsicNode) is part of the document.
        const argument = (node as { argument?: AstNode }).argument;
        if (argument && argument !== node) stack.push(argument);
        break;
      }
    }
  }
}
