// The document's own problems as diagnostics: JSON and YAML syntax errors (EB430), YAML warnings (EB431), parts too
// deeply nested to analyse (EB432), for the documents we read. The parsers report where they noticed a problem; a
// missing `,`, `]`, `}` or quote is noticed at the token after it, often on a later line, so the range is moved to
// start where the fix goes: the line a user (and `lint`'s `file:line`) looks at is the one to change.

import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { problemDocUrl, type ProblemCode } from '../../engine';
import type { DocumentAnalysis } from '../sites/documentAnalysis';
import type { DocumentLanguageId, SyntaxProblem } from '../parsing/documentParser';
import type { LanguageServiceSettings } from '../settings';

/** Codes of problems about the document itself. */
export enum DocumentProblemCode {
  /** A JSON or YAML syntax error in a document we read. */
  DocumentSyntax = 'EB430',
  /** A YAML warning (an unknown tag, a flow line indented as CloudFormation accepts): the document still reads. */
  DocumentSyntaxWarning = 'EB431',
  /** A document (or part of one) nested too deeply to analyse. */
  DocumentNotAnalysed = 'EB432',
}

const ERROR = 1;
const WARNING = 2;

/** How a message names each language's syntax. */
const LANGUAGE_NAMES: Readonly<Record<DocumentLanguageId, string>> = {
  json: 'JSON',
  yaml: 'YAML',
  terraform: 'Terraform (HCL)',
  typescript: 'TypeScript',
  javascript: 'JavaScript',
  python: 'Python',
};

function isCodeLanguage(language: DocumentLanguageId): boolean {
  return language !== 'json' && language !== 'yaml';
}

/**
 * Whether a document's syntax errors are shown: only in documents we read (templates, Serverless files, pattern
 * files: the syntax of other JSON and YAML files is not our business), and only where no one else shows them (see
 * SyntaxErrorSettings). A template nested in a string always gets them. A JSON pattern file is read by EventBridge's
 * own parser, whose errors (EB100, in Jackson's words) are the pattern's problems already.
 */
export function reportsSyntaxErrors(
  document: TextDocument,
  doc: DocumentAnalysis,
  settings: LanguageServiceSettings,
  embedded: boolean,
): boolean {
  if (embedded) return true;
  if (doc.readAs === undefined || (doc.readAs === 'patternFile' && doc.languageId === 'json')) return false;
  switch (document.languageId) {
    case 'json':
    case 'jsonc':
      return settings.syntaxErrors.jsonLanguage;
    case 'yaml':
      return settings.syntaxErrors.yamlLanguage;
    default:
      return isCodeLanguage(doc.languageId) ? settings.syntaxErrors.codeLanguages === true : true;
  }
}

/**
 * The syntax errors, YAML warnings and refusals to analyse of a document, as diagnostics. The parsers often report
 * one mistake several times at one place (`Comma expected` and `Value expected`; a `}` expected for every container
 * left open at the end): only the first problem at a place is shown, the cause more often than not.
 */
export function syntaxDiagnostics(document: TextDocument, doc: DocumentAnalysis): Diagnostic[] {
  const shownAt = new Set<number>();
  const out: Diagnostic[] = [];
  const problems =
    doc.languageId === 'json'
      ? [...doc.syntaxErrors, ...strictJsonProblems(doc.text)].sort((a, b) => a.offset - b.offset)
      : doc.syntaxErrors;
  let errors = 0;
  for (const [i, e] of problems.entries()) {
    if (e.severity !== 'error' && (isPreprocessorTag(e) || !insidePattern(doc, e.offset))) continue;
    const { span, note } = placeSyntaxProblem(doc, e);
    if (e.severity === 'error') {
      if (shownAt.has(e.offset) || shownAt.has(span.offset)) continue;
      shownAt.add(e.offset);
      shownAt.add(span.offset);
      if (++errors > MAX_SYNTAX_ERRORS) {
        // One unclosed quote can make a parser report every line after it: past the first few, say how many follow.
        const rest = problems.slice(i).filter((p) => p.severity === 'error').length;
        out.push({
          range: { start: document.positionAt(span.offset), end: document.positionAt(span.offset + span.length) },
          severity: ERROR,
          code: DocumentProblemCode.DocumentSyntax,
          codeDescription: { href: problemDocUrl(DocumentProblemCode.DocumentSyntax as string as ProblemCode) },
          source: 'EventBridge',
          message: `${rest} more syntax errors from here on, most likely following from the ones above: fix those first`,
        });
        break;
      }
    }
    const refusal = isRefusal(e);
    const code = refusal
      ? DocumentProblemCode.DocumentNotAnalysed
      : e.severity === 'error'
        ? DocumentProblemCode.DocumentSyntax
        : DocumentProblemCode.DocumentSyntaxWarning;
    const language = LANGUAGE_NAMES[doc.languageId];
    const message = refusal
      ? e.message
      : e.severity === 'error'
        ? `${language} syntax error: ${e.message}${note ?? ''}`
        : `${language} warning: ${e.message}`;
    out.push({
      range: { start: document.positionAt(span.offset), end: document.positionAt(span.offset + span.length) },
      severity: e.severity === 'error' ? ERROR : WARNING,
      code,
      codeDescription: { href: problemDocUrl(code as string as ProblemCode) },
      source: 'EventBridge',
      message,
    });
  }
  return out;
}

/** Syntax errors shown per document before the rest are summed up in one. */
export const MAX_SYNTAX_ERRORS = 20;

/**
 * Whether an offset lies inside a pattern site. YAML warnings (a flow line indented as CloudFormation accepts, an
 * unknown tag) only matter to us where a pattern is read; elsewhere in a template they are another tool's business.
 */
function insidePattern(doc: DocumentAnalysis, offset: number): boolean {
  return doc.sites.some((s) => offset >= s.site.range.offset && offset < s.site.range.offset + s.site.range.length);
}

/**
 * What the document parser tolerates in JSON (it reads JSON with comments, as editors do) but CloudFormation's JSON
 * parser does not: comments and trailing commas.
 */
function strictJsonProblems(text: string): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const scanner = createScanner(text, false);
  let comma: { offset: number; length: number } | undefined;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    switch (token) {
      case SyntaxKind.LineCommentTrivia:
      case SyntaxKind.BlockCommentTrivia:
        problems.push({
          offset: scanner.getTokenOffset(),
          length: scanner.getTokenLength(),
          message: 'Comments are not allowed in JSON (CloudFormation reads strict JSON)',
          severity: 'error',
        });
        continue;
      case SyntaxKind.Trivia:
      case SyntaxKind.LineBreakTrivia:
        continue;
      case SyntaxKind.CommaToken:
        comma = { offset: scanner.getTokenOffset(), length: 1 };
        continue;
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken:
        if (comma) problems.push({ ...comma, message: 'Trailing comma', severity: 'error' });
        break;
    }
    comma = undefined;
  }
  return problems;
}

/**
 * A tag of a template preprocessor (`!Rain::Embed`, `!Rain::Module`: namespaced with `::`), which expands it before
 * CloudFormation reads the template: not worth a warning. Other unknown tags are (`!Subb`, say).
 */
function isPreprocessorTag(e: SyntaxProblem): boolean {
  return e.code === 'TAG_RESOLVE_FAILED' && /^Unresolved tag: !\w+::/.test(e.message);
}

/** The parsers' own bounds (documentParser: nesting too deep to analyse), which are no syntax errors. */
function isRefusal(e: SyntaxProblem): boolean {
  return e.code === undefined && /^(?:The document is nested|Nesting deeper than)/.test(e.message);
}

/** JSON errors that say something is missing (jsonc-parser reports them at the token after the gap). */
const JSON_MISSING = new Set([
  'Comma expected',
  'Colon expected',
  'Value expected',
  'Property name expected',
  'Closing brace expected',
  'Closing bracket expected',
]);

/** YAML errors that say something is missing, reported where the parser noticed: an unclosed flow collection... */
function isYamlMissing(e: SyntaxProblem): boolean {
  return e.code === 'MISSING_CHAR' || (e.code === 'BAD_INDENT' && /\bend with an? [\]}]/.test(e.message));
}

interface PlacedSyntaxProblem {
  readonly span: { offset: number; length: number };
  /** Said after the message (which container is left open). */
  readonly note?: string;
}

/** Where a syntax problem is shown (see the header), and what to add to its message. */
function placeSyntaxProblem(doc: DocumentAnalysis, e: SyntaxProblem): PlacedSyntaxProblem {
  const text = doc.text;
  const own = { offset: e.offset, length: e.length };
  if (e.severity !== 'error') return { span: own };
  if (doc.languageId === 'yaml') {
    // A quote left open runs on until the parser gives up: the range starts at the opening quote.
    const quote = e.code === 'MISSING_CHAR' ? /^Missing closing (["'])quote/.exec(e.message) : null;
    if (quote) {
      const opening = openingQuoteBefore(text, e.offset, quote[1]);
      return { span: opening === undefined ? own : { offset: opening, length: e.offset + e.length - opening } };
    }
    return { span: isYamlMissing(e) ? (gapSpan(text, own, 'yaml') ?? own) : own };
  }
  if (!JSON_MISSING.has(e.message)) return { span: own };
  // A key where a value was expected (`["a",` then `"b": [...]` on the next line): the `]` belonged before the key.
  const noticed = text[e.offset] === ':' ? (keyBefore(text, e.offset) ?? own) : own;
  const gap = gapSpan(text, noticed, 'json');
  const placed = gap ? { offset: gap.offset, length: Math.max(gap.length, e.offset + e.length - gap.offset) } : own;
  // A closer left out further up, which the parser read past (the lines after it parse as members): the layout
  // shows where.
  const unclosed = unclosedContainerPlace(text, e.offset);
  return unclosed && lineStartOf(text, unclosed.span.offset) < lineStartOf(text, placed.offset)
    ? unclosed
    : { span: placed };
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The string token just before a `:` on the same line. */
function keyBefore(text: string, colon: number): { offset: number; length: number } | undefined {
  let end = colon;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  if (text[end - 1] !== '"') return undefined;
  let start = end - 2;
  while (start >= 0 && text[start] !== '"' && text[start] !== '\n') start--;
  return start >= 0 && text[start] === '"' ? { offset: start, length: end - start } : undefined;
}

/**
 * Where the closer of a JSON container left open belongs, when the parser only noticed at the end (its recovery
 * takes the lines after the gap in as members). Read from the layout, for a text with one member per line: a
 * container's members are indented more than the line it opens on, and the line that closes it starts with its
 * closer. The first line that breaks this (before the error) is where a closer is missing: for a container written
 * on its opening line (`"source": ["a", "b"`), at the end of the content before that line; for one whose members
 * start on the next lines, on that line.
 */
function unclosedContainerPlace(text: string, errorOffset: number): PlacedSyntaxProblem | undefined {
  const open: { offset: number; indent: number; inline: boolean }[] = [];
  let lineStart = 0;
  let i = 0;
  while (i < errorOffset && i < text.length) {
    if (i === lineStart) {
      const indent = indentationAt(text, i);
      const first = i + indent;
      const top = open[open.length - 1];
      const c = text[first];
      const blank = first >= text.length || c === '\n' || c === '\r' || text.startsWith('//', first);
      if (top && !blank && indent <= top.indent && c !== (text[top.offset] === '{' ? '}' : ']')) {
        const note = ` (the ${text[top.offset]} on line ${lineNumber(text, top.offset)} is not closed)`;
        const gap = top.inline ? gapSpan(text, { offset: first, length: 0 }, 'json') : undefined;
        return { span: gap ? { offset: gap.offset, length: 0 } : { offset: first, length: 1 }, note };
      }
    }
    const c = text[i];
    if (c === '"') {
      i = endOfJsonString(text, i);
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      i = lineEnd(text, i);
      continue;
    }
    if (c === '{' || c === '[') {
      const rest = text.slice(i + 1, lineEnd(text, i)).trim();
      open.push({ offset: i, indent: indentationAt(text, lineStart), inline: rest !== '' && !rest.startsWith('//') });
    } else if (c === '}' || c === ']') {
      open.pop();
    } else if (c === '\n') {
      lineStart = i + 1;
    }
    i++;
  }
  return undefined;
}

/** The offset after a JSON string starting at `start` (or the end of its line, when it is not closed there). */
function endOfJsonString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if (c === '\n') return i;
  }
  return text.length;
}

function indentationAt(text: string, lineStart: number): number {
  let i = lineStart;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i - lineStart;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end;
}

function lineNumber(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * For a problem noticed at the first token of a line (or at the end of the text): the span from the end of the
 * content before it to the end of the problem. Undefined when the problem is not at such a place.
 */
export function gapSpan(
  text: string,
  problem: { offset: number; length: number },
  languageId: 'json' | 'yaml',
): { offset: number; length: number } | undefined {
  const lineStart = text.lastIndexOf('\n', problem.offset - 1) + 1;
  if (!/^[ \t\r]*$/.test(text.slice(lineStart, problem.offset))) return undefined; // noticed on the line to fix
  const before = endOfContentBefore(text, lineStart, languageId);
  if (before === undefined) return undefined;
  return { offset: before, length: Math.max(problem.offset + problem.length, before) - before };
}

/** The end of the last line with content (not white space, not a whole-line comment) ending before `lineStart`. */
function endOfContentBefore(text: string, lineStart: number, languageId: 'json' | 'yaml'): number | undefined {
  let end = lineStart - 1; // the line break before
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    const content = line.trimStart();
    const comment = languageId === 'yaml' ? content.startsWith('#') : content.startsWith('//');
    if (content.trim() !== '' && !comment) return start + line.trimEnd().length;
    end = start - 1;
  }
  return undefined;
}

/**
 * The opening quote of a YAML quoted scalar that runs to `end`: the last `"` before it that is not escaped (`\"`), or
 * the last `'` that is not half of a doubled one (`''`).
 */
function openingQuoteBefore(text: string, end: number, quote: string): number | undefined {
  for (let i = end - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    if (quote === "'" && text[i - 1] === "'") {
      i--; // `''` is a quote inside the scalar
      continue;
    }
    if (quote === '"') {
      let backslashes = 0;
      while (text[i - 1 - backslashes] === '\\') backslashes++;
      if (backslashes % 2 === 1) continue;
    }
    return i;
  }
  return undefined;
}
