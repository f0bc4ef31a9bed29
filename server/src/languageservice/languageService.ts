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
import { analyzeDocument, documentLanguage, outerUriOf, type DocumentAnalysis } from './sites/documentAnalysis';
import { prepareCodeDocument } from './sites/codeSites';
import { isGrammarLoaded } from './parsing/codeGrammars';
import { prepareIncrementalParse } from './parsing/incrementalParse';
import { embeddedAt, EmbeddedView } from './sites/embeddedDocuments';
import { createSiteProblemCache, validateDocument } from './features/patternValidation';
import { doCodeActions } from './features/patternCodeActions';
import { doCodeLenses } from './features/patternCodeLens';
import { eventCodeActions } from './features/patternFromEvent';
import { doComplete } from './features/patternCompletion';
import { doHover } from './features/patternHover';
import type { LintRule } from './features/patternLint';
import { lintPatternSite } from './features/patternLintRules';
import { doRuleCodeActions } from './features/ruleCodeActions';
import { doRuleCodeLenses, doRuleHover } from './features/ruleHover';
import { learnedHintDiagnostics } from './features/learnedFieldHints';
import { DEFAULT_LANGUAGE_SERVICE_SETTINGS, type LanguageServiceSettings } from './settings';

export { documentLanguage };

export interface LanguageService {
  configure(settings: Partial<LanguageServiceSettings>): void;
  readonly settings: LanguageServiceSettings;
  /** The lint rules validation runs (quick fixes read the same). */
  readonly lintRules: readonly LintRule[];
  /** The shared analysis of a document (cached per version). */
  analyze(document: TextDocument): DocumentAnalysis;
  /**
   * Loads what reading a document needs before its patterns can be found: the grammar of a code document (AWS CDK,
   * Terraform) that may hold patterns. Resolves at once for JSON and YAML, and for code that names no pattern
   * construct. Until it has resolved, a code document reads as having no patterns.
   */
  prepare(document: TextDocument): Promise<void>;
  /**
   * Computes ahead, for a document just opened and validated, what the first incremental analysis after an edit
   * would otherwise compute first (see prepareIncrementalParse). Changes no result.
   */
  prepareForEdits(document: TextDocument): void;
  doValidation(document: TextDocument): Diagnostic[];
  doComplete(document: TextDocument, position: Position): CompletionList | null;
  doHover(document: TextDocument, position: Position): Hover | null;
  doCodeActions(document: TextDocument, range: Range, context: CodeActionContext): CodeAction[];
  doCodeLens(document: TextDocument): CodeLens[];
}

/**
 * What a language service is made of: its features and the lint rules its validation runs. `getLanguageService`
 * builds the standard set below; tests may hand it other parts.
 */
export interface LanguageServiceParts {
  complete(service: LanguageService, document: TextDocument, position: Position): CompletionList | null;
  hover(service: LanguageService, document: TextDocument, position: Position): Hover | null;
  codeActions(service: LanguageService, document: TextDocument, range: Range, context: CodeActionContext): CodeAction[];
  codeLenses(service: LanguageService, document: TextDocument): CodeLens[];
  readonly lintRules: readonly LintRule[];
}

/** The standard language service: every feature and lint rule of this folder, in one place. */
export const STANDARD_PARTS: LanguageServiceParts = {
  complete: doComplete,
  // A pattern's own hover first; outside patterns, the rest of the rule (schedules, what targets receive).
  hover: (service, document, position) =>
    doHover(service, document, position) ?? doRuleHover(service, document, position),
  codeActions: (service, document, range, context) => [
    ...doCodeActions(service, document, range, context),
    ...doRuleCodeActions(service, document, range, context),
    ...eventCodeActions(service, document, range, context),
  ],
  codeLenses: (service, document) => [...doCodeLenses(service, document), ...doRuleCodeLenses(service, document)],
  lintRules: [lintPatternSite],
};

export function getLanguageService(
  initial: Partial<LanguageServiceSettings> = {},
  parts: LanguageServiceParts = STANDARD_PARTS,
): LanguageService {
  let settings: LanguageServiceSettings = {
    ...DEFAULT_LANGUAGE_SERVICE_SETTINGS,
    ...initial,
    syntaxErrors: { ...DEFAULT_LANGUAGE_SERVICE_SETTINGS.syntaxErrors, ...(initial.syntaxErrors ?? {}) },
  };
  const cache = new Map<string, { version: number; text: string; analysis: DocumentAnalysis }>();
  // Each site's problems, kept for the sites the next version's analysis carries over (weak: they go with the sites).
  let siteProblems = createSiteProblemCache();
  const service: LanguageService = {
    lintRules: parts.lintRules,
    get settings() {
      return settings;
    },
    configure(next) {
      settings = {
        ...settings,
        ...next,
        severity: { ...settings.severity, ...(next.severity ?? {}) },
        syntaxErrors: { ...settings.syntaxErrors, ...(next.syntaxErrors ?? {}) },
      };
      cache.clear();
      siteProblems = createSiteProblemCache();
    },
    analyze(document) {
      const text = document.getText();
      // A template nested in a string (embeddedDocuments.ts) is analysed with its outer document.
      const nested = embeddedAnalysis(document.uri, text);
      if (nested) return nested;
      let hit = cache.get(document.uri);
      // Read before its grammar was loaded: read it again once it is.
      if (hit?.analysis.waitsFor && isGrammarLoaded(hit.analysis.waitsFor)) hit = undefined;
      if (hit && hit.version === document.version && hit.text === text) return hit.analysis;
      // A new version with the same text (an undo back to it, say): the analysis still holds.
      if (
        hit &&
        hit.text === text &&
        hit.analysis.languageId === documentLanguage(document.uri, document.languageId, text)
      ) {
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
    prepareForEdits(document) {
      const doc = service.analyze(document);
      prepareIncrementalParse(doc.text, doc.languageId, doc.root);
    },
    prepare(document) {
      return prepareCodeDocument(document.getText(), document.uri, document.languageId);
    },
    doValidation(document) {
      const doc = service.analyze(document);
      const diagnostics = validateDocument(document, doc, settings, parts.lintRules, siteProblems);
      // What the user's own sample events show (EB520): not cached with the sites, since the samples change.
      diagnostics.push(...learnedHintDiagnostics(service, document, doc, settings));
      for (const e of doc.embedded) {
        const view = new EmbeddedView(document, e);
        for (const d of validateDocument(view.document, e.analysis, settings, parts.lintRules, siteProblems, {
          embedded: true,
        }))
          diagnostics.push(view.toOuterDiagnostic(d));
        for (const d of learnedHintDiagnostics(service, view.document, e.analysis, settings))
          diagnostics.push(view.toOuterDiagnostic(d));
      }
      return diagnostics;
    },
    doComplete(document, position) {
      const view = viewAt(document, position);
      if (view) {
        const list = parts.complete(service, view.document, view.toInnerPosition(position));
        return list ? view.toOuterCompletionList(list) : null;
      }
      return parts.complete(service, document, position);
    },
    doHover(document, position) {
      const view = viewAt(document, position);
      if (view) {
        const hover = parts.hover(service, view.document, view.toInnerPosition(position));
        return hover ? view.toOuterHover(hover) : null;
      }
      return parts.hover(service, document, position);
    },
    doCodeActions(document, range, context) {
      const view = viewAt(document, range.start);
      if (view) {
        if (!view.contains(range)) return [];
        const inner = parts.codeActions(
          service,
          view.document,
          view.toInnerRange(range),
          view.toInnerCodeActionContext(context),
        );
        return view.toOuterCodeActions(inner);
      }
      return parts.codeActions(service, document, range, context);
    },
    doCodeLens(document) {
      const lenses = parts.codeLenses(service, document);
      for (const e of service.analyze(document).embedded) {
        const view = new EmbeddedView(document, e);
        for (const lens of parts.codeLenses(service, view.document)) lenses.push(view.toOuterCodeLens(lens));
      }
      return lenses;
    },
  };

  /** The nested template at a position of a document, if any. */
  function viewAt(document: TextDocument, position: Position): EmbeddedView | undefined {
    const doc = service.analyze(document);
    if (doc.embedded.length === 0) return undefined;
    const e = embeddedAt(doc, document.offsetAt(position));
    return e ? new EmbeddedView(document, e) : undefined;
  }

  /** The analysis of a nested template, from its outer document's (undefined for any other document). */
  function embeddedAnalysis(uri: string, text: string): DocumentAnalysis | undefined {
    const outer = outerUriOf(uri);
    if (outer === undefined) return undefined;
    return cache.get(outer)?.analysis.embedded.find((e) => e.uri === uri && e.analysis.text === text)?.analysis;
  }

  return service;
}

// What the client asks about documents and events (shared/requests.ts), answered from the same analysis.
export { generateEventsAt, patternAt, patternSamplesAt, testPatternAt } from './features/patternAtCursor';
export { ruleAt } from './features/templateRules';
export { matchWorkspaceRules, type TemplateText } from './features/workspaceRules';
export { catalogSample, catalogSources, preloadCatalog } from './features/patternSamples';
export { codeEventGrammar, eventsAt } from './features/documentEvents';
export { eventFieldsOf, patternFromEventEdit, ruleLogicalId } from './features/patternFromEvent';
export {
  addObservedEvents,
  customSourcesOf,
  learnedSchemas,
  setRegistrySchemas,
  OBSERVED_EVENT_LIMITS,
} from './features/learnedSchemas';
export { learnedHintsOfSite, MIN_SAMPLES_FOR_HINT } from './features/learnedFieldHints';
export { isCodeFile, readCodeRules, type CodeRule } from './features/codeRules';
export {
  findPatternFileReferences,
  mayReferencePatternFiles,
  validateReferencedPatternFile,
  type PatternFileReference,
} from './features/referencedPatternFiles';
