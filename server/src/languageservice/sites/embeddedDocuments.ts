// The features inside a template nested in a string (a StackSet's `TemplateBody`): the nested text is a document of
// its own (documentAnalysis.ts analyses it), the features run on it as they run on any document, and what they return
// is mapped back to the outer document here. Ranges go through the string's source map (escapes, block indentation);
// an edit is written in the string's own syntax (escaped in a JSON or double-quoted string, indented in a block
// scalar) and kept only when the string, decoded again after it, reads as the nested text with the edit applied. An
// edit that cannot be written so is dropped (with its completion item or code action): never a wrong edit.

import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  CodeActionContext,
  CodeLens,
  CompletionItem,
  CompletionList,
  Diagnostic,
  Hover,
  Position,
  Range,
  TextEdit,
} from 'vscode-languageserver-types';
import { stringStyleOf, type SourcedStringNode } from '../parsing/documentParser';
import type { DocumentAnalysis, EmbeddedDocument } from './documentAnalysis';
import { decodeStringSource, type StringStyle } from '../parsing/stringSourceMap';

const INSERT_TEXT_FORMAT_SNIPPET = 2;
const INSERT_TEXT_MODE_AS_IS = 1;
const INSERT_TEXT_MODE_ADJUST_INDENTATION = 2;

/** The nested template whose text holds a document offset. */
export function embeddedAt(doc: DocumentAnalysis, offset: number): EmbeddedDocument | undefined {
  return doc.embedded.find((e) => offset >= e.offsets[0] && offset <= e.offsets[e.offsets.length - 1]);
}

/** A nested template seen from its outer document: its text as a document, and the maps both ways. */
export class EmbeddedView {
  readonly document: TextDocument;
  private readonly style: StringStyle | undefined;

  constructor(
    private readonly outer: TextDocument,
    private readonly embedded: EmbeddedDocument,
  ) {
    const analysis = embedded.analysis;
    this.document = TextDocument.create(embedded.uri, analysis.languageId, outer.version, analysis.text);
    this.style = stringStyleOf(embedded.node) ?? (outer.getText()[embedded.node.offset] === '"' ? 'json' : undefined);
  }

  /** The outer offset of a nested offset. */
  toOuterOffset(offset: number): number {
    const offsets = this.embedded.offsets;
    return offsets[Math.max(0, Math.min(offsets.length - 1, offset))];
  }

  /** The nested offset of an outer offset: the last character whose source starts at or before it. */
  toInnerOffset(outerOffset: number): number {
    const offsets = this.embedded.offsets;
    let lo = 0;
    let hi = offsets.length - 1;
    if (outerOffset <= offsets[0]) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid] <= outerOffset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  toOuterRange(range: Range): Range {
    const start = this.toOuterOffset(this.document.offsetAt(range.start));
    const end = Math.max(start, this.toOuterOffset(this.document.offsetAt(range.end)));
    return { start: this.outer.positionAt(start), end: this.outer.positionAt(end) };
  }

  toInnerPosition(position: Position): Position {
    return this.document.positionAt(this.toInnerOffset(this.outer.offsetAt(position)));
  }

  toInnerRange(range: Range): Range {
    return { start: this.toInnerPosition(range.start), end: this.toInnerPosition(range.end) };
  }

  /** Whether an outer range lies in the nested text. */
  contains(range: Range): boolean {
    const offsets = this.embedded.offsets;
    const start = this.outer.offsetAt(range.start);
    const end = this.outer.offsetAt(range.end);
    return start >= offsets[0] && end <= offsets[offsets.length - 1];
  }

  toOuterDiagnostic(d: Diagnostic): Diagnostic {
    return { ...d, range: this.toOuterRange(d.range) };
  }

  toInnerDiagnostic(d: Diagnostic): Diagnostic {
    return { ...d, range: this.toInnerRange(d.range) };
  }

  toOuterHover(hover: Hover): Hover {
    return hover.range ? { ...hover, range: this.toOuterRange(hover.range) } : hover;
  }

  /** The items whose edits can be written in the string; the others are left out. */
  toOuterCompletionList(list: CompletionList): CompletionList {
    const items: CompletionItem[] = [];
    for (const item of list.items) {
      const mapped = this.toOuterCompletionItem(item);
      if (mapped) items.push(mapped);
    }
    return { ...list, items };
  }

  /** Actions whose every edit can be written in the string; the others are left out. */
  toOuterCodeActions(actions: readonly CodeAction[]): CodeAction[] {
    const out: CodeAction[] = [];
    for (const action of actions) {
      const mapped = this.toOuterCodeAction(action);
      if (mapped) out.push(mapped);
    }
    return out;
  }

  toInnerCodeActionContext(context: CodeActionContext): CodeActionContext {
    return {
      ...context,
      diagnostics: context.diagnostics.filter((d) => this.contains(d.range)).map((d) => this.toInnerDiagnostic(d)),
    };
  }

  toOuterCodeLens(lens: CodeLens): CodeLens {
    const mapped: CodeLens = { ...lens, range: this.toOuterRange(lens.range) };
    if (lens.command) {
      // Arguments that point into the nested text (a pattern's uri and range) point into the outer document instead.
      const args = lens.command.arguments?.map((a: unknown) => this.toOuterArgument(a));
      mapped.command = { ...lens.command, ...(args ? { arguments: args } : {}) };
    }
    return mapped;
  }

  private toOuterArgument(argument: unknown): unknown {
    if (typeof argument !== 'object' || argument === null) return argument;
    const a = argument as { uri?: unknown; range?: Range };
    if (a.uri !== this.embedded.uri) return argument;
    return { ...a, uri: this.outer.uri, ...(a.range ? { range: this.toOuterRange(a.range) } : {}) };
  }

  private toOuterCompletionItem(item: CompletionItem): CompletionItem | undefined {
    const { textEdit } = item;
    // Our items always carry an edit; without one the editor would insert unescaped text.
    if (!textEdit || !('range' in textEdit)) return undefined;
    const snippet = item.insertTextFormat === INSERT_TEXT_FORMAT_SNIPPET;
    const adjust = item.insertTextMode === INSERT_TEXT_MODE_ADJUST_INDENTATION;
    const edit = this.toOuterEdit(textEdit, snippet, adjust);
    if (!edit) return undefined;
    const additional: TextEdit[] = [];
    for (const e of item.additionalTextEdits ?? []) {
      const mapped = this.toOuterEdit(e, false, false);
      if (!mapped) return undefined;
      additional.push(mapped);
    }
    const mapped: CompletionItem = { ...item, textEdit: edit };
    if (item.additionalTextEdits) mapped.additionalTextEdits = additional;
    if (item.insertTextMode !== undefined || edit.newText.includes('\n')) {
      // Indentation is written out already (the nested line's, then the string's own).
      mapped.insertTextMode = INSERT_TEXT_MODE_AS_IS;
    }
    if (item.filterText !== undefined) {
      // The editor filters against the outer text: escaped as the string writes it.
      const filter = this.encode(item.filterText, false, '');
      if (filter === undefined) delete mapped.filterText;
      else mapped.filterText = filter.text;
    }
    return mapped;
  }

  private toOuterCodeAction(action: CodeAction): CodeAction | undefined {
    const mapped: CodeAction = { ...action };
    if (action.diagnostics) mapped.diagnostics = action.diagnostics.map((d) => this.toOuterDiagnostic(d));
    if (action.edit) {
      if (action.edit.documentChanges) return undefined; // not produced by our features; not mapped
      const changes: Record<string, TextEdit[]> = {};
      for (const [uri, edits] of Object.entries(action.edit.changes ?? {})) {
        if (uri !== this.embedded.uri) return undefined;
        const outerEdits: TextEdit[] = [];
        for (const e of edits) {
          const m = this.toOuterEdit(e, false, false);
          if (!m) return undefined;
          outerEdits.push(m);
        }
        changes[this.outer.uri] = outerEdits;
      }
      mapped.edit = { ...action.edit, changes };
    }
    return mapped;
  }

  /**
   * An edit of the nested text as an edit of the outer document, or undefined when it cannot be written there (the
   * map is not exact, the string's style cannot hold the text, or the string would not read back as intended).
   */
  toOuterEdit(edit: TextEdit, snippet: boolean, adjustIndentation: boolean): TextEdit | undefined {
    if (!this.embedded.exact || this.style === undefined) return undefined;
    const inner = this.document.getText();
    const start = this.document.offsetAt(edit.range.start);
    const end = this.document.offsetAt(edit.range.end);
    const lineStart = inner.lastIndexOf('\n', start - 1) + 1;
    const innerIndent = adjustIndentation ? /^[ \t]*/.exec(inner.slice(lineStart, start))![0] : '';
    const encoded = this.encode(edit.newText, snippet, innerIndent);
    if (!encoded) return undefined;
    const outerStart = this.toOuterOffset(start);
    const outerEnd = this.toOuterOffset(end);
    const outerText = this.outer.getText();
    const node = this.embedded.node;
    const after = outerText.slice(0, outerStart) + encoded.expanded + outerText.slice(outerEnd);
    const delta = encoded.expanded.length - (outerEnd - outerStart);
    const decoded = decodeStringSource(
      after,
      this.style,
      node.offset,
      node.offset + node.length + delta,
      (node as Partial<SourcedStringNode>).blockParentIndent,
    );
    if (decoded.value !== inner.slice(0, start) + encoded.innerExpanded + inner.slice(end)) return undefined;
    // The decoder reads the range it is given; a block scalar also ends at a line indented less than its own lines.
    if (
      (this.style === 'literal' || this.style === 'folded') &&
      !this.keepsBlockIndentation(after, outerStart, outerStart + encoded.expanded.length)
    ) {
      return undefined;
    }
    return {
      range: { start: this.outer.positionAt(outerStart), end: this.outer.positionAt(outerEnd) },
      newText: encoded.text,
    };
  }

  /**
   * Text to insert into the nested text, written in the string's syntax: `text` (a snippet keeps its syntax, its
   * literal characters are written), `expanded` (what the snippet inserts, written) and `innerExpanded` (what it
   * inserts into the nested text). With `indent`, each line break is followed by it (the editor's adjustIndentation,
   * done here). Undefined when the style cannot hold a character (a line break in a single-quoted string, say).
   */
  private encode(
    text: string,
    snippet: boolean,
    indent: string,
  ): { text: string; expanded: string; innerExpanded: string } | undefined {
    const char = this.charEncoder();
    if (!char) return undefined;
    let out = '';
    let expanded = '';
    let innerExpanded = '';
    const literal = (c: string, escapeFor: RegExp | undefined, inExpansion: boolean): boolean => {
      const units = c === '\n' ? `\n${indent}` : c;
      for (const u of units) {
        const written = char(u);
        if (written === undefined) return false;
        out += escapeFor ? written.replace(escapeFor, '\\$&') : written;
        if (inExpansion) {
          expanded += written;
          innerExpanded += u;
        }
      }
      return true;
    };
    if (!snippet) {
      for (const c of text) if (!literal(c, undefined, true)) return undefined;
      return { text: out, expanded, innerExpanded };
    }
    // Snippet syntax: `$1`, `${1}`, `${1:default}` (nested), `${1|a,b|}`; `\` escapes `$`, `}` and `\`.
    let open = 0;
    for (let i = 0; i < text.length;) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length && '$}\\'.includes(text[i + 1])) {
        if (!literal(text[i + 1], SNIPPET_LITERAL, true)) return undefined;
        i += 2;
        continue;
      }
      if (c === '$') {
        const tab = /^\$(\d+)|^\$\{(\d+)\}/.exec(text.slice(i));
        if (tab) {
          out += tab[0];
          i += tab[0].length;
          continue;
        }
        const placeholder = /^\$\{\d+:/.exec(text.slice(i));
        if (placeholder) {
          out += placeholder[0];
          open++;
          i += placeholder[0].length;
          continue;
        }
        const choice = /^\$\{(\d+)\|((?:[^|\\]|\\.)*)\|\}/.exec(text.slice(i));
        if (choice) {
          const options = choice[2].split(/(?<!\\),/).map((o) => o.replace(/\\(.)/g, '$1'));
          out += `\${${choice[1]}|`;
          for (let k = 0; k < options.length; k++) {
            if (k > 0) out += ',';
            for (const u of options[k]) if (!literal(u, SNIPPET_CHOICE, k === 0)) return undefined;
          }
          out += '|}';
          i += choice[0].length;
          continue;
        }
        return undefined; // a variable, or a `$` the snippet syntax does not allow
      }
      if (c === '}' && open > 0) {
        out += '}';
        open--;
        i++;
        continue;
      }
      if (!literal(c, SNIPPET_LITERAL, true)) return undefined;
      i++;
    }
    return { text: out, expanded, innerExpanded };
  }

  /** How one character is written in the string's style; undefined when it cannot be. */
  private charEncoder(): ((c: string) => string | undefined) | undefined {
    switch (this.style) {
      case 'json':
      case 'double':
        return (c) => JSON.stringify(c).slice(1, -1);
      case 'single':
        return (c) => (c === '\n' || c === '\r' ? undefined : c === "'" ? "''" : c);
      case 'literal': {
        const indent = ' '.repeat(this.blockIndent());
        return (c) => (c === '\r' ? undefined : c === '\n' ? `\n${indent}` : c);
      }
      case 'folded':
        return (c) => (c === '\n' || c === '\r' ? undefined : c);
      default:
        // A plain scalar ends at `: `, ` #` and more, which decoding it again would not notice (and cannot hold a
        // template anyway).
        return undefined;
    }
  }

  /** Every line with content from `from` to `to` of the edited text is indented as much as the block's lines. */
  private keepsBlockIndentation(text: string, from: number, to: number): boolean {
    const indent = this.blockIndent();
    let lineStart = text.lastIndexOf('\n', from - 1) + 1;
    while (lineStart <= to && lineStart < text.length) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = text.length;
      const line = text.slice(lineStart, lineEnd);
      if (line.trim() !== '' && /^ */.exec(line)![0].length < indent) return false;
      lineStart = lineEnd + 1;
    }
    return true;
  }

  /**
   * The indentation of a block scalar's lines: the column of the first nested line with content (a line's
   * first character, extra indentation included, comes from that column; an empty line maps to its line break).
   */
  private blockIndent(): number {
    const outer = this.outer.getText();
    const inner = this.embedded.analysis.text;
    // Empty lines are skipped one character at a time; the first other character returns.
    for (let i = 0; i < inner.length; i++) {
      if (inner[i] === '\n') continue;
      const at = this.embedded.offsets[i];
      return at - (outer.lastIndexOf('\n', at - 1) + 1);
    }
    return 0;
  }
}

// Characters a snippet's literal text, and a choice's option, escape with `\`.
const SNIPPET_LITERAL = /[$}\\]/g;
const SNIPPET_CHOICE = /[$}\\,|]/g;
