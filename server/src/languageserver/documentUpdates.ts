// How the server's copy of a document takes a `didChange`. Each content change is relative to the text the changes
// before it left, and TextDocument.update applies them one by one, copying the whole text for each: a Replace All's
// thousands of changes on a 5 MB template cost seconds before any analysis starts. Editors send the edits of one
// operation (a Replace All, a multi-cursor edit) from the last in the text to the first, so that every range is
// also a range of the text as it was: such changes are applied in one pass. Others go one by one, as before.
//
// The documents are our own TextDocument (EditedDocument), which carries its line starts through the edits: every
// position of a change is read against them, and computing them again for the whole text after a batch cost 10-13 ms
// on a 5 MB template (a fifth of a Replace All's validation). Like TextDocument.update, an update changes the
// document in place, its line starts too (a copy per keystroke was 1.4 MB more garbage on that template). Texts with
// carriage returns, where an edit next to a `\r\n` can split or join a line break, have theirs computed again when
// first needed.

import type { TextDocumentsConfiguration } from 'vscode-languageserver';
import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/** One edit in offsets of the text it applies to. */
interface OffsetEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const before = (a: Position, b: Position): boolean =>
  a.line < b.line || (a.line === b.line && a.character < b.character);

/** A document's text with its line starts, computed once and then carried through edits (see the header). */
export class EditedDocument implements TextDocument {
  private content: string;
  private currentVersion: number;
  private starts: number[] | undefined;
  /** Whether the text has a carriage return; undefined until asked. */
  private carriageReturn: boolean | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    version: number,
    content: string,
  ) {
    this.content = content;
    this.currentVersion = version;
  }

  get version(): number {
    return this.currentVersion;
  }

  getText(range?: Range): string {
    if (!range) return this.content;
    return this.content.substring(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  /** A position past the end of its line means the end of the line (before its line break). */
  offsetAt(position: Position): number {
    const starts = this.lineStarts();
    if (position.line >= starts.length) return this.content.length;
    if (position.line < 0) return 0;
    const lineStart = starts[position.line];
    if (position.character <= 0) return lineStart;
    const next = position.line + 1 < starts.length ? starts[position.line + 1] : this.content.length;
    return this.beforeLineBreak(Math.min(lineStart + position.character, next), lineStart);
  }

  positionAt(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.content.length));
    const starts = this.lineStarts();
    const line = firstAfter(starts, at) - 1; // the last line starting at or before `at`
    return { line, character: this.beforeLineBreak(at, starts[line]) - starts[line] };
  }

  /** A line without its line break; past the last line, what the last line holds. */
  getLineRange(line: number): Range {
    const starts = this.lineStarts();
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (line >= starts.length) {
      const last = starts.length - 1;
      return {
        start: { line: last, character: 0 },
        end: { line: last, character: this.content.length - starts[last] },
      };
    }
    const next = line + 1 < starts.length ? starts[line + 1] : this.content.length;
    return {
      start: { line, character: 0 },
      end: { line, character: this.beforeLineBreak(next, starts[line]) - starts[line] },
    };
  }

  /** A line's line break (`\n`, `\r\n`, `\r`, or nothing for the last line and lines out of range). */
  getEOLCharacters(line: number): string {
    const starts = this.lineStarts();
    if (line < 0 || line >= starts.length) return '';
    const next = line + 1 < starts.length ? starts[line + 1] : this.content.length;
    return this.content.substring(this.beforeLineBreak(next, starts[line]), next);
  }

  /** Applies `edits` (in increasing order, none overlapping) in place, as `version`. */
  apply(edits: readonly OffsetEdit[], version: number): void {
    const pieces: string[] = [];
    let at = 0;
    for (const e of edits) {
      pieces.push(this.content.slice(at, e.start), e.text);
      at = e.end;
    }
    pieces.push(this.content.slice(at));
    const insertsCarriageReturn = edits.some((e) => e.text.includes('\r'));
    if (this.starts && !insertsCarriageReturn && !this.hasCarriageReturn()) {
      if (edits.length !== 1 || !moveLineStartsInPlace(this.starts, edits[0])) {
        this.starts = movedLineStarts(this.starts, edits);
      }
    } else {
      this.starts = undefined;
    }
    if (insertsCarriageReturn) this.carriageReturn = true;
    else if (this.carriageReturn === true) this.carriageReturn = undefined; // one may have been removed
    this.content = pieces.join('');
    this.currentVersion = version;
  }

  /** The whole text replaced, as `version`. */
  replace(text: string, version: number): void {
    this.content = text;
    this.currentVersion = version;
    this.starts = undefined;
    this.carriageReturn = undefined;
  }

  private hasCarriageReturn(): boolean {
    return (this.carriageReturn ??= this.content.includes('\r'));
  }

  private lineStarts(): number[] {
    return (this.starts ??= lineStartsOf(this.content));
  }

  /** Moves an offset inside or after a line break back to before it (the break belongs to no column). */
  private beforeLineBreak(offset: number, lineStart: number): number {
    let at = offset;
    while (at > lineStart) {
      const c = this.content.charCodeAt(at - 1);
      if (c !== 0x0a && c !== 0x0d) break;
      at--;
    }
    return at;
  }
}

/** Where each line starts: after `\n`, after `\r\n`, and after a `\r` alone. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    } else if (c === 0x0a) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * The line starts of a text without carriage returns after `edits` (increasing, not overlapping): starts before an
 * edit stay, those whose line break it removed go, its own line breaks add starts, and those after it move.
 */
function movedLineStarts(starts: readonly number[], edits: readonly OffsetEdit[]): number[] {
  const moved = [0];
  let delta = 0;
  let i = 1;
  for (const e of edits) {
    while (i < starts.length && starts[i] <= e.start) moved.push(starts[i++] + delta);
    while (i < starts.length && starts[i] <= e.end) i++;
    const base = e.start + delta + 1;
    for (let j = e.text.indexOf('\n'); j >= 0; j = e.text.indexOf('\n', j + 1)) moved.push(base + j);
    delta += e.text.length - (e.end - e.start);
  }
  while (i < starts.length) moved.push(starts[i++] + delta);
  return moved;
}

/**
 * `movedLineStarts` for one edit, in place; false (and nothing changed) for an edit that adds so many lines that they
 * are better put in a new array.
 */
function moveLineStartsInPlace(starts: number[], e: OffsetEdit): boolean {
  const added: number[] = [];
  for (let j = e.text.indexOf('\n'); j >= 0; j = e.text.indexOf('\n', j + 1)) {
    if (added.length === 10_000) return false;
    added.push(e.start + j + 1);
  }
  // The lines whose break the edit removed: those starting in (start, end].
  const first = firstAfter(starts, e.start);
  starts.splice(first, firstAfter(starts, e.end) - first, ...added);
  const delta = e.text.length - (e.end - e.start);
  if (delta !== 0) for (let i = first + added.length; i < starts.length; i++) starts[i] += delta;
  return true;
}

/** The index of the first line start after `offset` (binary search). */
function firstAfter(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (starts[middle] > offset) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Applies a `didChange`'s content changes to a document (see the header). */
export function applyContentChanges(
  document: TextDocument,
  changes: readonly TextDocumentContentChangeEvent[],
  version: number,
): EditedDocument {
  const edited =
    document instanceof EditedDocument
      ? document
      : new EditedDocument(document.uri, document.languageId, document.version, document.getText());
  if (changes.length > 1 && fromLastToFirst(changes)) {
    const edits: OffsetEdit[] = [];
    for (let k = changes.length - 1; k >= 0; k--) {
      const { range } = changes[k] as { range: Range };
      edits.push({ start: edited.offsetAt(range.start), end: edited.offsetAt(range.end), text: changes[k].text });
    }
    edited.apply(edits, version);
    return edited;
  }
  for (const change of changes) {
    if (!('range' in change) || !change.range) {
      edited.replace(change.text, version);
      continue;
    }
    const start = edited.offsetAt(change.range.start);
    const end = edited.offsetAt(change.range.end);
    edited.apply([{ start: Math.min(start, end), end: Math.max(start, end), text: change.text }], version);
  }
  if (edited.version !== version) edited.replace(edited.getText(), version);
  return edited;
}

/**
 * True when every change has a range and ends strictly before the one before it starts: each range then means the
 * same in the text before all of them (the changes after it in the list lie before it in the text).
 */
function fromLastToFirst(changes: readonly TextDocumentContentChangeEvent[]): boolean {
  let previous: Position | undefined;
  for (const c of changes) {
    if (!('range' in c) || !c.range) return false;
    const { start, end } = c.range;
    if (before(end, start)) return false;
    if (previous && !before(end, previous)) return false;
    previous = start;
  }
  return true;
}

/** The documents' configuration for TextDocuments. */
export const DOCUMENT_UPDATES: TextDocumentsConfiguration<EditedDocument> = {
  create: (uri, languageId, version, content) => new EditedDocument(uri, languageId, version, content),
  update: applyContentChanges,
};
