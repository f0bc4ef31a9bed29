// Patterns Terraform reads from files of their own: `event_pattern = file("rule.json")` or
// `templatefile("rule.json.tpl", {...})` (and `"${file(...)}"` in `.tf.json`). `lint` checks each such file as a
// pattern of the dialect (and SNS scope) of the place that reads it: a plain file as the JSON text AWS is given, a
// template with its `${...}` and `%{...}` unknown until plan. Problems are the file's own, on its own lines.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { isGrammarLoaded, loadGrammar, parseCode } from '../parsing/codeGrammars';
import { parseDocument } from '../parsing/documentParser';
import { analyzeSubstitutedText } from '../sites/substitutedPatterns';
import { findTerraformSites, type ReferencedPatternFile } from '../sites/terraformSites';
import { decodeTemplateText, findTerraformJsonPatternFiles, isTerraformJsonFile } from '../sites/terraformJsonSites';
import { toDocumentSpan, type StringPatternSite } from '../sites/patternSites';
import type { AnalyzedSite, DocumentAnalysis } from '../sites/documentAnalysis';
import type { LanguageService } from '../languageService';
import { validateDocument } from './patternValidation';

/** A pattern file a Terraform file names, and how the place naming it reads it. */
export type PatternFileReference = ReferencedPatternFile;

/** Whether a file may name pattern files (`.tf`, `.tf.json`). */
export function mayReferencePatternFiles(uri: string): boolean {
  return /\.tf$/i.test(uri.replace(/[?#].*$/, '')) || isTerraformJsonFile(uri);
}

/** The pattern files a Terraform file names (its grammar is loaded first); none for any other file. */
export async function findPatternFileReferences(text: string, uri: string): Promise<PatternFileReference[]> {
  if (isTerraformJsonFile(uri)) return findTerraformJsonPatternFiles(parseDocument(text, 'json').root, text);
  if (!mayReferencePatternFiles(uri)) return [];
  if (!isGrammarLoaded('terraform')) await loadGrammar('terraform');
  const tree = parseCode('terraform', text);
  if (!tree) return [];
  try {
    return findTerraformSites(tree, text, uri).referencedPatternFiles;
  } finally {
    tree.delete();
  }
}

/**
 * The diagnostics of a pattern file as the reference reads it (its dialect and scope; a template's `${...}` unknown),
 * in the file's own positions. `document` is the referenced file.
 */
export function validateReferencedPatternFile(
  service: LanguageService,
  document: TextDocument,
  reference: Pick<PatternFileReference, 'templated' | 'kind' | 'dialect' | 'resourceId' | 'snsScope'>,
): Diagnostic[] {
  const source = document.getText();
  const identity = Array.from({ length: source.length + 1 }, (_, i) => i);
  const template = reference.templated
    ? decodeTemplateText(source, identity)
    : { value: source, offsets: identity, substitutions: [] };
  const { value, offsets, substitutions } = template;
  const node = { type: 'string' as const, offset: 0, length: source.length, value };
  const site: StringPatternSite = {
    form: 'string',
    kind: reference.kind,
    dialect: reference.dialect,
    resourceId: reference.resourceId,
    conditions: [],
    range: { offset: 0, length: source.length },
    valueNode: node,
    node,
    text: value,
    toDocumentOffset: (i: number) => offsets[Math.max(0, Math.min(value.length, Math.trunc(i)))],
    substitutions,
    viaSub: false,
    ...(reference.snsScope ? { snsScope: reference.snsScope } : {}),
  };
  const analysis = analyzeSubstitutedText(value, substitutions, site.dialect, site.snsScope);
  const analyzed: AnalyzedSite = {
    site,
    analysis,
    patternRoot: analysis.ast,
    toDocument: (offset, length) => toDocumentSpan(site, { offset, length }),
    fromDocument: () => undefined,
    lineage: {},
  };
  const doc: DocumentAnalysis = {
    uri: document.uri,
    languageId: 'json',
    text: source,
    root: undefined,
    syntaxErrors: [],
    sites: [analyzed],
    readAs: 'patternFile',
    embedded: [],
  };
  return validateDocument(document, doc, service.settings, service.lintRules);
}
