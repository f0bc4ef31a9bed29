// Diagnostics: every problem of every pattern site, at its exact range in the document, with a stable code, AWS's
// wording and a link to the docs; plus the problems of the site itself (a string where AWS wants an object...).

import type { Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ProblemCode, problemDocUrl, type Problem, type Severity } from '../engine';
import type { AnalyzedSite, DocumentAnalysis, SiteLineage } from './documentAnalysis';
import type { SyntaxProblem } from './documentParser';
import type { LanguageServiceSettings, ProblemCategory, SeverityLevel } from './settings';
import { lintRuleCount, lintSite } from './patternLint';

const DiagnosticSeverity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;

/** Codes of problems about the site or the document rather than the pattern's content. */
export enum SiteProblemCode {
  StringPatternNotAllowed = 'EB420',
  ObjectPatternNotAllowed = 'EB421',
  /** A JSON or YAML syntax error in a document we read. */
  DocumentSyntax = 'EB430',
  /** A warning of the YAML parser (an unknown tag, say): the document still reads. */
  DocumentSyntaxWarning = 'EB431',
  /** A document (or part of one) nested too deeply to analyse. */
  DocumentNotAnalysed = 'EB432',
}

export function categoryOf(p: Pick<Problem, 'code' | 'fromAws'>): ProblemCategory {
  if (p.fromAws) return 'aws';
  const n = Number(p.code.slice(2));
  if (n >= 410 && n < 430) return 'dialect';
  // 500-599 are lint rules (patternLintRules.ts); the size warning among them is a limit.
  if (n >= 500 && n < 600) return p.code === ProblemCode.PatternNearSizeLimit ? 'limits' : 'lint';
  if (n >= 400 || p.code === ProblemCode.WildcardNearlyTooComplex) return 'limits';
  return 'lint';
}

function toLspSeverity(own: Severity, level: SeverityLevel): 1 | 2 | 3 | 4 | undefined {
  switch (level) {
    case 'off':
      return undefined;
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
    default:
      return own === 'error' ? DiagnosticSeverity.Error : own === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
  }
}

export function diagnostic(
  document: TextDocument,
  span: { offset: number; length: number },
  p: { code: string; message: string; severity: Severity; fromAws: boolean },
  settings: LanguageServiceSettings,
): Diagnostic | undefined {
  const severity = toLspSeverity(p.severity, settings.severity[categoryOf({ code: p.code as ProblemCode, fromAws: p.fromAws })]);
  if (severity === undefined) return undefined;
  return {
    range: { start: document.positionAt(span.offset), end: document.positionAt(span.offset + Math.max(span.length, 0)) },
    severity,
    code: p.code,
    codeDescription: { href: problemDocUrl(p.code as ProblemCode) },
    source: 'EventBridge',
    message: p.message,
  };
}

/**
 * Where a problem is shown: its own range, or the whole pattern when it concerns the pattern as a whole. A JSON
 * syntax error that says something is missing starts where it is missing (see syntaxErrorSpan).
 */
export function problemSpan(
  s: AnalyzedSite,
  p: Pick<Problem, 'offset' | 'length'> & Partial<Pick<Problem, 'code' | 'message'>>,
  documentText?: string,
): { offset: number; length: number } {
  if (p.length === 0 && p.offset === 0) return s.site.range;
  let own: { offset: number; length: number } = p;
  if (p.code === ProblemCode.JsonSyntax && p.message !== undefined && JACKSON_MISSING.test(p.message)) {
    // The text the engine read: a string pattern's, or a JSON pattern file's own (read whole, in document offsets).
    const patternText = s.site.form === 'string' ? s.site.text : documentText;
    if (patternText !== undefined) own = gapSpan(patternText, p, 'json') ?? own;
  }
  const mapped = s.toDocument(own.offset, own.length);
  return mapped.length === 0 && own.length === 0 ? { offset: mapped.offset, length: 1 } : mapped;
}

/** EventBridge's (Jackson's) messages for a missing `,`, `:`, `]` or `}`. */
const JACKSON_MISSING =
  /was expecting comma to separate|was expecting a colon to separate|Unexpected close marker '.': expected '.'|expected close marker for/;

/** A problem placed in the document, before the severity settings and line/character positions are applied. */
interface PlacedProblem {
  readonly offset: number;
  readonly length: number;
  readonly code: string;
  readonly message: string;
  readonly severity: Severity;
  readonly fromAws: boolean;
}

/** A site's problems as of the validation that computed them, placed where the site was then. */
interface KeptSiteProblems {
  readonly siteOffset: number;
  /** The number of lint rules registered then (see lintRuleCount). */
  readonly lintRules: number;
  readonly problems: readonly PlacedProblem[];
}

/**
 * The problems of each site from earlier validations of a document, under the site's lineage: a site whose analysis
 * the incremental analysis carried over (same node and text, only moved) gets them back, moved with it, instead of
 * running the engine's mapping and every lint rule again. That keeps an edit's validation proportional to what it
 * changed. Lint rules read only the site and the (fixed) catalog; severity settings are applied after the cache,
 * and the facade starts a new cache when the settings change all the same.
 */
export type SiteProblemCache = WeakMap<SiteLineage, KeptSiteProblems>;

export function createSiteProblemCache(): SiteProblemCache {
  return new WeakMap();
}

/** Every problem of one site, in document offsets: the site's own, the engine's, then the lint rules'. */
function siteProblems(s: AnalyzedSite, doc: DocumentAnalysis): PlacedProblem[] {
  const out: PlacedProblem[] = [];
  const place = (span: { offset: number; length: number }, p: Omit<PlacedProblem, 'offset' | 'length'>): void => {
    out.push({
      offset: span.offset,
      length: span.length,
      code: p.code,
      message: p.message,
      severity: p.severity,
      fromAws: p.fromAws,
    });
  };
  if (s.site.marker === 'stringPatternNotAllowed') {
    place(s.site.range, {
      code: SiteProblemCode.StringPatternNotAllowed,
      message:
        "An archive's EventPattern must be a JSON object here, not a string: write the pattern as YAML/JSON structure",
      severity: 'error',
      fromAws: false,
    });
  } else if (s.site.marker === 'objectPatternNotAllowed') {
    place(s.site.range, {
      code: SiteProblemCode.ObjectPatternNotAllowed,
      message:
        'A filter Pattern must be a string holding JSON text, not an object: quote the pattern (or wrap it in Fn::ToJsonString)',
      severity: 'error',
      fromAws: false,
    });
  }
  for (const p of s.analysis.problems) place(problemSpan(s, p, doc.text), p);
  for (const p of lintSite(s, doc)) place(problemSpan(s, p, doc.text), p);
  return out;
}

/**
 * The diagnostics of a document. With `cache`, sites carried over from an earlier version reuse the problems
 * computed then (see SiteProblemCache); the result is the same as without it.
 */
export function validateDocument(
  document: TextDocument,
  doc: DocumentAnalysis,
  settings: LanguageServiceSettings,
  cache?: SiteProblemCache,
  options: { readonly embedded?: boolean } = {},
): Diagnostic[] {
  const out: Diagnostic[] = reportsSyntaxErrors(document, doc, settings, options.embedded === true)
    ? syntaxDiagnostics(document, doc)
    : [];
  const lintRules = lintRuleCount();
  for (const s of doc.sites) {
    const siteOffset = s.site.range.offset;
    const kept = cache?.get(s.lineage);
    let problems: readonly PlacedProblem[];
    let shift = 0;
    if (kept && kept.lintRules === lintRules) {
      problems = kept.problems;
      shift = siteOffset - kept.siteOffset;
    } else {
      problems = siteProblems(s, doc);
      cache?.set(s.lineage, { siteOffset, lintRules, problems });
    }
    for (const p of problems) {
      const d = diagnostic(document, shift === 0 ? p : { offset: p.offset + shift, length: p.length }, p, settings);
      if (d) out.push(d);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Syntax errors of the document

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
  if (doc.syntaxErrors.length === 0) return false;
  if (embedded) return true;
  if (doc.readAs === undefined || (doc.readAs === 'patternFile' && doc.languageId === 'json')) return false;
  switch (document.languageId) {
    case 'json':
    case 'jsonc':
      return settings.syntaxErrors.jsonLanguage;
    case 'yaml':
      return settings.syntaxErrors.yamlLanguage;
    default:
      return true;
  }
}

/**
 * The syntax errors (EB430), YAML warnings (EB431) and refusals to analyse (EB432) of a document, as diagnostics. The
 * parsers often report one mistake several times at one place (`Comma expected` and `Value expected`; a `}` expected
 * for every container left open at the end): only the first problem at a place is shown, the cause more often than not.
 */
export function syntaxDiagnostics(document: TextDocument, doc: DocumentAnalysis): Diagnostic[] {
  const shownAt = new Set<number>();
  const firstAtEachPlace = doc.syntaxErrors.filter((e) => {
    if (e.severity !== 'error') return !isPreprocessorTag(e);
    if (shownAt.has(e.offset)) return false;
    shownAt.add(e.offset);
    return true;
  });
  return firstAtEachPlace.map((e) => {
    const span = syntaxErrorSpan(doc.text, e, doc.languageId);
    const refusal = isRefusal(e);
    const code = refusal
      ? SiteProblemCode.DocumentNotAnalysed
      : e.severity === 'error'
        ? SiteProblemCode.DocumentSyntax
        : SiteProblemCode.DocumentSyntaxWarning;
    const language = doc.languageId === 'json' ? 'JSON' : 'YAML';
    const message = refusal
      ? e.message
      : e.severity === 'error'
        ? `${language} syntax error: ${e.message}`
        : `${language} warning: ${e.message}`;
    return {
      range: { start: document.positionAt(span.offset), end: document.positionAt(span.offset + span.length) },
      severity: e.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      code,
      codeDescription: { href: problemDocUrl(code as string as ProblemCode) },
      source: 'EventBridge',
      message,
    };
  });
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

/**
 * Where a syntax error is shown. Something missing (a `,` or `]` at the end of a line, say) is noticed at the next
 * token, which is often on the next line (or at the end of the file): the range then starts where the missing
 * character belongs, at the end of the content before, and runs to the token where it was noticed. So the error is
 * on the line that needs the fix (the one `lint` prints), and still shows what the parser stumbled on.
 */
export function syntaxErrorSpan(
  text: string,
  e: SyntaxProblem,
  languageId: 'json' | 'yaml',
): { offset: number; length: number } {
  const own = { offset: e.offset, length: e.length };
  if (e.severity !== 'error') return own;
  // A YAML quote left open runs on until the parser gives up: the range starts at the opening quote.
  const quote =
    languageId === 'yaml' && e.code === 'MISSING_CHAR' ? /^Missing closing (["'])quote/.exec(e.message) : null;
  if (quote) {
    const opening = openingQuoteBefore(text, e.offset, quote[1]);
    return opening === undefined ? own : { offset: opening, length: e.offset + e.length - opening };
  }
  const missing = languageId === 'json' ? JSON_MISSING.has(e.message) : isYamlMissing(e);
  if (!missing) return own;
  return gapSpan(text, own, languageId) ?? own;
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

/**
 * For a problem noticed at the first token of a line (or at the end of the text): the span from the end of the
 * content before it to the end of the problem. Undefined when the problem is not at such a place.
 */
function gapSpan(
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
