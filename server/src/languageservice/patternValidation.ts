// Diagnostics: every problem of every pattern site, at its exact range in the document, with a stable code, AWS's
// wording and a link to the docs; plus the problems of the site itself (a string where AWS wants an object...).

import type { Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ProblemCode, problemDocUrl, type Problem, type Severity } from '../engine';
import type { AnalyzedSite, DocumentAnalysis } from './documentAnalysis';
import type { LanguageServiceSettings, ProblemCategory, SeverityLevel } from './settings';
import { lintSite } from './patternLint';

const DiagnosticSeverity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;

/** Codes of problems about the site rather than the pattern's content. */
export enum SiteProblemCode {
  StringPatternNotAllowed = 'EB420',
  ObjectPatternNotAllowed = 'EB421',
  DocumentSyntax = 'EB430',
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

/** Where a problem is shown: its own range, or the whole pattern when it concerns the pattern as a whole. */
export function problemSpan(s: AnalyzedSite, p: Pick<Problem, 'offset' | 'length'>): { offset: number; length: number } {
  if (p.length === 0 && p.offset === 0) return s.site.range;
  const mapped = s.toDocument(p.offset, p.length);
  return mapped.length === 0 && p.length === 0 ? { offset: mapped.offset, length: 1 } : mapped;
}

export function validateDocument(
  document: TextDocument,
  doc: DocumentAnalysis,
  settings: LanguageServiceSettings,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const push = (d: Diagnostic | undefined): void => {
    if (d) out.push(d);
  };
  for (const s of doc.sites) {
    if (s.site.marker === 'stringPatternNotAllowed') {
      push(
        diagnostic(document, s.site.range, {
          code: SiteProblemCode.StringPatternNotAllowed,
          message: 'An archive\'s EventPattern must be a JSON object here, not a string: write the pattern as YAML/JSON structure',
          severity: 'error',
          fromAws: false,
        }, settings),
      );
    } else if (s.site.marker === 'objectPatternNotAllowed') {
      push(
        diagnostic(document, s.site.range, {
          code: SiteProblemCode.ObjectPatternNotAllowed,
          message: 'A filter Pattern must be a string holding JSON text, not an object: quote the pattern (or wrap it in Fn::ToJsonString)',
          severity: 'error',
          fromAws: false,
        }, settings),
      );
    }
    for (const p of s.analysis.problems) push(diagnostic(document, problemSpan(s, p), p, settings));
    for (const p of lintSite(s, doc)) push(diagnostic(document, problemSpan(s, p), p, settings));
  }
  return out;
}
