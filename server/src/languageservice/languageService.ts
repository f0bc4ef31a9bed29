// The language service facade: pure functions of a document, returning LSP types. The LSP wiring
// (../languageserver/) only adapts it to a connection; tests drive it directly.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  CodeActionContext,
  CodeLens,
  CompletionList,
  Diagnostic,
  Hover,
  Position,
  Range,
} from 'vscode-languageserver-types';
import { analyzeDocument, documentLanguage, type DocumentAnalysis } from './documentAnalysis';
import { createSiteProblemCache, validateDocument } from './patternValidation';
import { DEFAULT_LANGUAGE_SERVICE_SETTINGS, type LanguageServiceSettings } from './settings';

export interface LanguageService {
  configure(settings: Partial<LanguageServiceSettings>): void;
  readonly settings: LanguageServiceSettings;
  /** The shared analysis of a document (cached per version). */
  analyze(document: TextDocument): DocumentAnalysis;
  doValidation(document: TextDocument): Diagnostic[];
  doComplete(document: TextDocument, position: Position): CompletionList | null;
  doHover(document: TextDocument, position: Position): Hover | null;
  doCodeActions(document: TextDocument, range: Range, context: CodeActionContext): CodeAction[];
  doCodeLens(document: TextDocument): CodeLens[];
}

/** Feature hooks, filled in by the feature modules (completion, hover, code actions, code lenses). */
export interface FeatureProviders {
  complete?(service: LanguageService, document: TextDocument, position: Position): CompletionList | null;
  hover?(service: LanguageService, document: TextDocument, position: Position): Hover | null;
  codeActions?(service: LanguageService, document: TextDocument, range: Range, context: CodeActionContext): CodeAction[];
  codeLenses?(service: LanguageService, document: TextDocument): CodeLens[];
}

const providers: FeatureProviders = {};

export function registerFeatures(p: FeatureProviders): void {
  Object.assign(providers, p);
}

export function getLanguageService(initial: Partial<LanguageServiceSettings> = {}): LanguageService {
  let settings: LanguageServiceSettings = { ...DEFAULT_LANGUAGE_SERVICE_SETTINGS, ...initial };
  const cache = new Map<string, { version: number; text: string; analysis: DocumentAnalysis }>();
  // Each site's problems, kept for the sites the next version's analysis carries over (weak: they go with the sites).
  let siteProblems = createSiteProblemCache();
  const service: LanguageService = {
    get settings() {
      return settings;
    },
    configure(next) {
      settings = { ...settings, ...next, severity: { ...settings.severity, ...(next.severity ?? {}) } };
      cache.clear();
      siteProblems = createSiteProblemCache();
    },
    analyze(document) {
      const text = document.getText();
      const hit = cache.get(document.uri);
      if (hit && hit.version === document.version && hit.text === text) return hit.analysis;
      // A new version with the same text (an undo back to it, say): the analysis still holds.
      if (hit && hit.text === text && hit.analysis.languageId === documentLanguage(document.uri, document.languageId)) {
        cache.set(document.uri, { ...hit, version: document.version });
        return hit.analysis;
      }
      // The previous version's analysis lets an edit inside one `Resources` entry re-parse only that entry (it is
      // consumed: only an older version's, which nobody asks for again, is handed over).
      const analysis = analyzeDocument(
        text,
        document.uri,
        document.languageId,
        { patternFileGlobs: settings.patternFileGlobs },
        hit && hit.version < document.version ? hit.analysis : undefined,
      );
      cache.set(document.uri, { version: document.version, text, analysis });
      if (cache.size > 64) cache.delete(cache.keys().next().value!);
      return analysis;
    },
    doValidation(document) {
      return validateDocument(document, service.analyze(document), settings, siteProblems);
    },
    doComplete(document, position) {
      return providers.complete?.(service, document, position) ?? null;
    },
    doHover(document, position) {
      return providers.hover?.(service, document, position) ?? null;
    },
    doCodeActions(document, range, context) {
      return providers.codeActions?.(service, document, range, context) ?? [];
    },
    doCodeLens(document) {
      return providers.codeLenses?.(service, document) ?? [];
    },
  };
  return service;
}

// What the client asks about documents and events (shared/requests.ts), answered from the same analysis.
export { patternAt, patternSamplesAt, testPatternAt } from './patternAtCursor';
export { ruleAt } from './templateRules';
export { matchWorkspaceRules, type TemplateText } from './workspaceRules';
export { catalogSample, catalogSources } from './patternSamples';
