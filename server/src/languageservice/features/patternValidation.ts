// Diagnostics: every problem of every pattern site, at its exact range in the document, with a stable code, AWS's
// wording and a link to the docs; plus the problems of the site itself (a string where AWS wants an object...).

import type { Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ProblemCode, problemDocUrl, snsScopeProblem, type Problem, type Severity } from '../../engine';
import type { AnalyzedSite, DocumentAnalysis, SiteLineage } from '../sites/documentAnalysis';
import { gapSpan, reportsSyntaxErrors, syntaxDiagnostics } from './syntaxDiagnostics';
import type { LanguageServiceSettings, ProblemCategory, SeverityLevel } from '../settings';
import { lintSite, type LintRule } from './patternLint';
import { misplacedPatternKeys } from './misplacedPatternKeys';
import { ruleChecks } from './ruleChecks';

const DiagnosticSeverity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;

/** Codes of problems about the site rather than the pattern's content (the document's own: syntaxDiagnostics.ts). */
export enum SiteProblemCode {
  StringPatternNotAllowed = 'EB420',
  ObjectPatternNotAllowed = 'EB421',
}

export function categoryOf(p: Pick<Problem, 'code' | 'fromAws'>): ProblemCategory {
  if (p.fromAws) return 'aws';
  const n = Number(p.code.slice(2));
  // 600-699: the rest of the rule (ruleChecks.ts): what AWS does not refuse is lint.
  if (n >= 600 && n < 700) return 'lint';
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
      return own === 'error'
        ? DiagnosticSeverity.Error
        : own === 'warning'
          ? DiagnosticSeverity.Warning
          : DiagnosticSeverity.Information;
  }
}

export function diagnostic(
  document: TextDocument,
  span: { offset: number; length: number },
  p: { code: string; message: string; severity: Severity; fromAws: boolean },
  settings: LanguageServiceSettings,
): Diagnostic | undefined {
  const severity = toLspSeverity(
    p.severity,
    settings.severity[categoryOf({ code: p.code as ProblemCode, fromAws: p.fromAws })],
  );
  if (severity === undefined) return undefined;
  return {
    range: {
      start: document.positionAt(span.offset),
      end: document.positionAt(span.offset + Math.max(span.length, 0)),
    },
    severity,
    code: p.code,
    codeDescription: { href: problemDocUrl(p.code as ProblemCode) },
    source: 'EventBridge',
    message: p.message,
  };
}

/**
 * Where a problem is shown: its own range, or the whole pattern when it concerns the pattern as a whole. A JSON
 * syntax error that says something is missing starts where it is missing (see syntaxDiagnostics.ts).
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
  readonly problems: readonly PlacedProblem[];
}

/**
 * The problems of each site from earlier validations of a document, under the site's lineage: a site whose analysis
 * the incremental analysis carried over (same node and text, only moved) gets them back, moved with it, instead of
 * running the engine's mapping and every lint rule again. That keeps an edit's validation proportional to what it
 * changed. Lint rules read only the site and the (fixed) catalog; severity settings are applied after the cache,
 * and the facade starts a new cache when the settings change all the same. One cache serves one set of lint rules
 * (one language service).
 */
export type SiteProblemCache = WeakMap<SiteLineage, KeptSiteProblems>;

export function createSiteProblemCache(): SiteProblemCache {
  return new WeakMap();
}

/** Every problem of one site, in document offsets: the site's own, the engine's, then the lint rules'. */
function siteProblems(s: AnalyzedSite, doc: DocumentAnalysis, lintRules: readonly LintRule[]): PlacedProblem[] {
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
  if (s.site.invalidSnsScope) {
    const scope = s.site.invalidSnsScope;
    place(scope, snsScopeProblem(scope.value, scope.offset, scope.length));
  }
  for (const p of s.analysis.problems) place(problemSpan(s, p, doc.text), p);
  for (const p of lintSite(s, doc, lintRules)) place(problemSpan(s, p, doc.text), p);
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
  lintRules: readonly LintRule[],
  cache?: SiteProblemCache,
  options: { readonly embedded?: boolean } = {},
): Diagnostic[] {
  const out: Diagnostic[] = reportsSyntaxErrors(document, doc, settings, options.embedded === true)
    ? syntaxDiagnostics(document, doc)
    : [];
  for (const p of [...misplacedPatternKeys(doc), ...ruleChecks(doc)]) {
    const d = diagnostic(document, p, p, settings);
    if (d) out.push(d);
  }
  const broken = syntaxErrorOffsets(doc);
  for (const s of doc.sites) {
    // A pattern with a syntax error in it is a guess of the parser's recovery: its problems would be invented. Only
    // EventBridge's own syntax messages stay (EB100: a JSON pattern file's syntax errors in Jackson's words).
    if (broken.length > 0 && holdsOffset(broken, s.site.range)) {
      for (const p of siteProblems(s, doc, [])) {
        if (p.code !== (ProblemCode.JsonSyntax as string)) continue;
        const d = diagnostic(document, p, p, settings);
        if (d) out.push(d);
      }
      continue;
    }
    const siteOffset = s.site.range.offset;
    const kept = cache?.get(s.lineage);
    let problems: readonly PlacedProblem[];
    let shift = 0;
    if (kept) {
      problems = kept.problems;
      shift = siteOffset - kept.siteOffset;
    } else {
      problems = siteProblems(s, doc, lintRules);
      cache?.set(s.lineage, { siteOffset, problems });
    }
    for (const p of problems) {
      const d = diagnostic(document, shift === 0 ? p : { offset: p.offset + shift, length: p.length }, p, settings);
      if (d) out.push(d);
    }
  }
  return out;
}

/** The offsets of the document's syntax errors (not warnings), sorted. */
function syntaxErrorOffsets(doc: DocumentAnalysis): number[] {
  const offsets: number[] = [];
  for (const e of doc.syntaxErrors) if (e.severity === 'error') offsets.push(e.offset);
  return offsets.sort((a, b) => a - b);
}

/** True when one of the sorted offsets lies in the span. */
function holdsOffset(sorted: readonly number[], span: { offset: number; length: number }): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < span.offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] < span.offset + span.length;
}
