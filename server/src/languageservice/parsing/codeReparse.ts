// Re-parses a code document (Terraform, AWS CDK) after edits with tree-sitter's incremental parse: the previous
// version's tree is told where the text changed (`Tree.edit`) and handed to the parser, which reuses every subtree the
// edits did not touch. A full parse of a 5,000-line stack takes 50–100 ms; re-parsing after a keystroke a few.
//
// The editor's content changes are not at hand here (the language service sees versions of a text), so the edits
// are found by comparing the previous text with the new one, piece by piece (diffByRegions, as the template path
// does): however many places changed and however far apart, each is an edit of its own.

import type { Point, Tree } from 'web-tree-sitter';
import { parseCode, type GrammarId } from './codeGrammars';
import { diffByRegions, type Span } from './incrementalParse';

/** A changed place: the previous text's [start, oldEnd) is the new text's [newStart, newEnd). */
export type TextEdit = Span;

export interface CodeReparse {
  /** The new tree (the caller deletes it when done with it). */
  readonly tree: Tree;
  /** The edits from the previous text to the new one, in document order. */
  readonly edits: readonly TextEdit[];
  /**
   * Where the new text differs from the previous one or parses differently (tree-sitter's changed ranges), in new
   * offsets, in document order, possibly overlapping. Anything outside them is the previous tree's, moved.
   */
  readonly changed: readonly { readonly start: number; readonly end: number }[];
}

/**
 * Parses `text` reusing `previous`, the tree of `oldText`. `pieceStarts(lo, hi)` gives offsets of `oldText` in
 * [lo, hi) where a piece of code likely to come through an edit unchanged starts (see diffByRegions): it only
 * decides how well far-apart edits are told apart. `previous` is edited in place and must be deleted by the caller
 * afterwards whatever this returns. Undefined when the grammar is not loaded or the parser gives up.
 */
export function reparseCode(
  grammar: GrammarId,
  previous: Tree,
  oldText: string,
  text: string,
  pieceStarts: (lo: number, hi: number) => number[],
): CodeReparse | undefined {
  const edits = diffByRegions(oldText, text, pieceStarts);
  const points = pointsOf(oldText, edits);
  // From the last to the first: the offsets of each edit are then those of the previous text.
  for (let i = edits.length - 1; i >= 0; i--) {
    const e = edits[i];
    const startPosition = points[2 * i];
    previous.edit({
      startIndex: e.start,
      oldEndIndex: e.oldEnd,
      newEndIndex: e.start + (e.newEnd - e.newStart),
      startPosition,
      oldEndPosition: points[2 * i + 1],
      newEndPosition: advance(startPosition, text, e.newStart, e.newEnd),
    });
  }
  const tree = parseCode(grammar, text, previous);
  if (!tree) return undefined;
  const changed: { start: number; end: number }[] = edits.map((e) => ({ start: e.newStart, end: e.newEnd }));
  for (const r of previous.getChangedRanges(tree)) changed.push({ start: r.startIndex, end: r.endIndex });
  changed.sort((a, b) => a.start - b.start || a.end - b.end);
  return { tree, edits, changed };
}

/** The points of every edit's start and old end in `text` (UTF-16 columns, as the parser reads the text). */
function pointsOf(text: string, edits: readonly TextEdit[]): Point[] {
  const points: Point[] = [];
  let row = 0;
  let lineStart = 0;
  let at = 0;
  for (const e of edits) {
    for (const offset of [e.start, e.oldEnd]) {
      for (let nl = text.indexOf('\n', at); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
        row++;
        lineStart = nl + 1;
      }
      at = Math.max(at, lineStart);
      points.push({ row, column: offset - lineStart });
    }
  }
  return points;
}

/** `from` moved past `text[start, end)`. */
function advance(from: Point, text: string, start: number, end: number): Point {
  let row = from.row;
  let column = from.column;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      row++;
      column = 0;
    } else {
      column++;
    }
  }
  return { row, column };
}
