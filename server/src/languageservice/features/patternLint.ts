// Warnings AWS gives none for: patterns that deploy fine but silently never match what the author meant.
// Each rule returns problems in the pattern's own offsets (mapped by the caller).

import type { Problem } from '../../engine';
import type { AnalyzedSite, DocumentAnalysis } from '../sites/documentAnalysis';

export type LintProblem = Pick<Problem, 'code' | 'message' | 'severity' | 'offset' | 'length' | 'fromAws'>;

/**
 * A lint rule. Its problems must follow from the site (and the catalog) alone, not from the rest of the document
 * (except in a pattern file, whose one site is never carried over): validation keeps each site's problems while the
 * site is carried over unchanged from version to version (SiteProblemCache). The service's rules are listed where it
 * is built (languageService.ts).
 */
export type LintRule = (site: AnalyzedSite, doc: DocumentAnalysis) => LintProblem[];

export function lintSite(site: AnalyzedSite, doc: DocumentAnalysis, rules: readonly LintRule[]): LintProblem[] {
  const out: LintProblem[] = [];
  for (const rule of rules) {
    try {
      out.push(...rule(site, doc));
    } catch {
      // A lint rule must never take validation down with it.
    }
  }
  return out;
}
