// How the server's copy of a document takes a `didChange`. Each content change is relative to the text the changes
// before it left, and TextDocument.update applies them one by one, copying the whole text for each: a Replace All's
// thousands of changes on a 5 MB template cost seconds before any analysis starts. Editors send the edits of one
// operation (a Replace All, a multi-cursor edit) from the last in the text to the first, so that every range is
// also a range of the text as it was: such changes are applied in one pass. Others go one by one, as before.

import type { TextDocumentsConfiguration } from 'vscode-languageserver';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

type Position = { readonly line: number; readonly character: number };

const before = (a: Position, b: Position): boolean =>
  a.line < b.line || (a.line === b.line && a.character < b.character);

/** Applies a `didChange`'s content changes to a document (see the header). */
export function applyContentChanges(
  document: TextDocument,
  changes: readonly TextDocumentContentChangeEvent[],
  version: number,
): TextDocument {
  if (changes.length > 1 && fromLastToFirst(changes)) {
    const edits = changes.map((c) => ({
      range: (c as { range: { start: Position; end: Position } }).range,
      newText: c.text,
    }));
    const text = TextDocument.applyEdits(document, edits);
    return TextDocument.create(document.uri, document.languageId, version, text);
  }
  return TextDocument.update(document, changes as TextDocumentContentChangeEvent[], version);
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
export const DOCUMENT_UPDATES: TextDocumentsConfiguration<TextDocument> = {
  create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
  update: applyContentChanges,
};
