// One analysis of a document that every feature shares: the house AST, the pattern sites in it, and for each
// site the engine's analysis with offsets mapped back to the document. Features (validation, completion, hover,
// code actions, code lenses) never parse on their own.

import { createScanner, SyntaxKind } from 'jsonc-parser';
import { analyzePatternNode, analyzePatternText, type PatternAnalysis, type Problem } from '../../engine';
import type { AstNode, ObjectNode, StringNode } from '../../engine/jsonAst';
import { plainJsonLength } from '../../engine/jsonAst';
import { parseDocument, type DocumentLanguageId, type SyntaxProblem } from '../parsing/documentParser';
import { reparseIncrementally, type IncrementalParse, type SplicedRegion } from '../parsing/incrementalParse';
import { analyzeSubstitutedText } from './substitutedPatterns';
import { relaxFlowIndentation } from '../parsing/yamlFlowIndentation';
import { isCodeLanguage, type CodeLanguageId } from '../parsing/parsedDocument';
import type { GrammarId } from '../parsing/codeGrammars';
import { codeLanguageOf, readCodeDocument, type CodeState } from './codeSites';
import {
  decodeStringNode,
  decodeStringNodeExactly,
  documentKind,
  findEmbeddedTemplates,
  findPatternSites,
  findResourceSites,
  isPatternFile,
  STACK_SET_TYPE,
  type DocumentKind,
  templateResources,
  toDocumentSpan,
  type PatternSite,
  type PatternSiteOptions,
  type StringPatternSite,
  type TextSpan,
} from './patternSites';

export interface AnalyzedSite {
  readonly site: PatternSite;
  readonly analysis: PatternAnalysis;
  /**
   * The pattern's root node. For object-form sites its offsets are document offsets; for string-form sites they
   * are offsets in the pattern text (map them with `toDocument`).
   */
  readonly patternRoot: AstNode | undefined;
  /** Maps a span in the pattern's own offsets to the document. */
  toDocument(offset: number, length: number): { offset: number; length: number };
  /** Maps a document offset into the pattern's own offsets, or undefined when it lies outside the pattern. */
  fromDocument(offset: number): number | undefined;
  /**
   * The same object as the previous version's site when this site's analysis was carried over from it (same node,
   * moved but not re-parsed; see carrySites and reusableAnalyses), a new one otherwise. Whatever is derived from the site alone
   * (its diagnostics, say) can be kept under it and moved by how far `site.range` moved.
   */
  readonly lineage: SiteLineage;
}

/** An opaque identity shared by a site's analyses across versions of a document (AnalyzedSite.lineage). */
export type SiteLineage = object;

/** What a site of the new version takes over from the same site of the previous version. */
interface CarriedOver {
  readonly analysis: PatternAnalysis;
  readonly lineage: SiteLineage;
}

export interface DocumentAnalysis {
  readonly uri: string;
  readonly languageId: DocumentLanguageId;
  readonly text: string;
  readonly root: AstNode | undefined;
  readonly syntaxErrors: readonly SyntaxProblem[];
  readonly sites: readonly AnalyzedSite[];
  /** What the document is read as (undefined: a document without patterns, whose syntax is not our business). */
  readonly readAs?: DocumentKind;
  /** The templates nested in strings of the document (StackSet `TemplateBody`s), each analysed as a document. */
  readonly embedded: readonly EmbeddedDocument[];
  /**
   * The template's `Resources` when every site lies in one of its entries (see templateResources): the analysis of
   * the next version then looks for sites in the re-parsed entry only.
   */
  readonly templateResources?: ObjectNode;
  /**
   * For a code document read before its grammar was loaded: the grammar. It has no sites until then; the language
   * service reads it again once the grammar is loaded (see prepareCodeDocument).
   */
  readonly waitsFor?: GrammarId;
  /** For a code document: what its next version is read from (see readCodeDocument). */
  readonly codeState?: CodeState;
}

/**
 * A template written as text in a string of a document (a StackSet's `TemplateBody`), analysed as a document of its
 * own: `analysis` is in offsets of the nested text, `offsets` maps them to the outer document.
 */
export interface EmbeddedDocument {
  /** A URI of its own (see embeddedUri), under which the features see it. */
  readonly uri: string;
  readonly resourceId: string;
  /** The string holding the text, in the outer document. */
  readonly node: StringNode;
  readonly analysis: DocumentAnalysis;
  /** `offsets[i]`: the outer offset of the source of the nested text's `i`th code unit; `offsets[length]`: its end. */
  readonly offsets: Int32Array;
  /** The decoder agrees with the parser, so the map is exact and edits can be written back; else ranges only. */
  readonly exact: boolean;
}

/** What marks a nested template's URI: the outer document's URI, this, and the resource's logical ID. */
const EMBEDDED_URI_MARK = '#TemplateBody:';

export function embeddedUri(outerUri: string, resourceId: string): string {
  return `${outerUri}${EMBEDDED_URI_MARK}${encodeURIComponent(resourceId)}`;
}

export function isEmbeddedUri(uri: string): boolean {
  return uri.includes(EMBEDDED_URI_MARK);
}

/** The outer document's URI of a nested template's URI. */
export function outerUriOf(uri: string): string | undefined {
  const at = uri.lastIndexOf(EMBEDDED_URI_MARK);
  return at < 0 ? undefined : uri.slice(0, at);
}

/**
 * The StackSet template bodies of a document, each read as a template (one level: a body's own StackSets are not
 * read). Its language is sniffed from its text, as for a `.template` file.
 */
function analyzeEmbeddedTemplates(
  root: AstNode | undefined,
  text: string,
  uri: string,
  options: PatternSiteOptions,
): EmbeddedDocument[] {
  return findEmbeddedTemplates(root, uri, options).map(({ resourceId, node }) => {
    const exactly = decodeStringNodeExactly(node, text);
    const decoded = exactly ?? decodeStringNode(node, text);
    const nestedUri = embeddedUri(uri, resourceId);
    return {
      uri: nestedUri,
      resourceId,
      node,
      analysis: analyzeDocument(node.value, nestedUri, undefined, options),
      offsets: decoded.offsets,
      exact: exactly !== undefined,
    };
  });
}

/**
 * The language a document is read as. The extension decides when it says: `.yaml`/`.yml` is YAML, `.json`/`.jsonc`
 * JSON. Other names (`.template`, none, an untitled document) are read by their content when it is given (see
 * sniffLanguage): CloudFormation takes either language whatever the name. Without the text, a yaml languageId means
 * YAML and anything else JSON.
 */
export function documentLanguage(uri: string, languageId?: string, text?: string): DocumentLanguageId {
  const code = codeLanguageOf(uri, languageId);
  if (code) return code;
  if (/\.ya?ml$/i.test(uri)) return 'yaml';
  if (/\.jsonc?$/i.test(uri)) return 'json';
  return (text !== undefined ? sniffLanguage(text) : undefined) ?? (languageId === 'yaml' ? 'yaml' : 'json');
}

/** How much of a text sniffLanguage reads: a YAML flow document shows an unquoted word long before. */
const SNIFF_LENGTH = 64 * 1024;

/**
 * JSON or YAML, by content: JSON starts with `{` or `[` (after white space and comments) and holds only JSON tokens;
 * YAML is anything else, including YAML's flow style (`{Resources: {R: {Type: AWS::Events::Rule}}}`), whose unquoted
 * words and single quotes JSON does not have. Only the first SNIFF_LENGTH characters are read. Undefined for a text of
 * nothing but white space and comments.
 */
export function sniffLanguage(text: string): DocumentLanguageId | undefined {
  const scanner = createScanner(text.length > SNIFF_LENGTH ? text.slice(0, SNIFF_LENGTH) : text, false);
  let first = true;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    switch (token) {
      case SyntaxKind.Trivia:
      case SyntaxKind.LineBreakTrivia:
      case SyntaxKind.LineCommentTrivia:
      case SyntaxKind.BlockCommentTrivia:
        continue;
      case SyntaxKind.Unknown:
        return 'yaml';
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken:
        first = false;
        continue;
      default:
        if (first) return 'yaml';
    }
  }
  return first ? undefined : 'json';
}

/**
 * With `previous` (the analysis of an earlier version of the same document, same options), only the regions (a
 * `Resources` entry, or a top-level property) the changes fall in are parsed again when that is certain to give the
 * same result (see incrementalParse.ts), and sites outside them keep their pattern analyses. In a template, sites are
 * only looked for in those entries, and the others are carried over: the same objects, moved in place. `previous`
 * must not be used afterwards.
 */
export function analyzeDocument(
  text: string,
  uri: string,
  languageId?: string,
  options: PatternSiteOptions = {},
  previous?: DocumentAnalysis,
): DocumentAnalysis {
  const lang = documentLanguage(uri, languageId, text);
  if (isCodeLanguage(lang))
    return analyzeCodeDocument(
      text,
      uri,
      lang,
      languageId,
      previous && previous.uri === uri && previous.languageId === lang ? previous : undefined,
    );
  // The incremental parse does not know templates nested in strings: a document with a StackSet is parsed whole.
  let incremental =
    previous &&
    previous.uri === uri &&
    previous.languageId === lang &&
    !isPatternFile(uri, options) &&
    previous.embedded.length === 0 &&
    !text.includes(STACK_SET_TYPE)
      ? reparseIncrementally(previous, text)
      : undefined;
  // Nor does it know the reading of flow lines indented as CloudFormation accepts, which a whole parse with errors
  // tries (yamlFlowIndentation.ts): where that reading might apply, the document is parsed whole.
  if (
    incremental &&
    lang === 'yaml' &&
    incremental.parsed.syntaxErrors.some((e) => e.severity === 'error') &&
    relaxFlowIndentation(text) !== undefined
  ) {
    incremental = undefined;
  }
  const parsed = incremental?.parsed ?? parseDocument(text, lang);
  const resources = templateResources(parsed.root, uri, options);
  const readAs = documentKind(parsed.root, uri, options, parsed.syntaxErrors.length > 0 ? text : undefined);
  const analysis = {
    uri,
    languageId: lang,
    text,
    root: parsed.root,
    syntaxErrors: parsed.syntaxErrors,
    ...(readAs ? { readAs } : {}),
    embedded: readAs && !isEmbeddedUri(uri) ? analyzeEmbeddedTemplates(parsed.root, text, uri, options) : [],
    ...(resources ? { templateResources: resources } : {}),
  };
  // The same `Resources` node (an incremental parse keeps it) of a template both times: only the entry changed.
  const carried =
    incremental && resources && previous?.templateResources === resources
      ? carrySites(previous.sites, incremental, text)
      : undefined;
  if (carried) return { ...analysis, sites: carried };
  const sites = parsed.root ? findPatternSites(parsed.root, text, uri, options) : [];
  const reusable = incremental && previous ? reusableAnalyses(previous, incremental.regions) : undefined;
  return {
    ...analysis,
    sites: sites.map((site) =>
      // A JSON pattern file is sent to AWS as its own text: read it with EventBridge's parser (comments and all
      // count), not through the tolerant document parser.
      site.kind === 'patternFile' && lang === 'json'
        ? analyzeWholeText(site, text)
        : analyzeSite(site, reusable?.(site)),
    ),
  };
}

/**
 * A document in a programming language (AWS CDK, Terraform): its sites come from its language's reader (codeSites.ts),
 * each analysed like a template's. It has no house AST of its own. With `previous`, only what the edits touched is
 * parsed and read again (see readCodeDocument), and the sites carried over keep their analyses, moved.
 */
function analyzeCodeDocument(
  text: string,
  uri: string,
  lang: CodeLanguageId,
  languageId?: string,
  previous?: DocumentAnalysis,
): DocumentAnalysis {
  const reading = readCodeDocument(
    text,
    uri,
    lang,
    languageId,
    previous?.codeState
      ? { state: previous.codeState, text: previous.text, sites: previous.sites.map((s) => s.site) }
      : undefined,
  );
  return {
    uri,
    languageId: lang,
    text,
    root: undefined,
    syntaxErrors: reading.syntaxErrors,
    ...(reading.sites.length > 0 || reading.syntaxErrors.length > 0 ? { readAs: 'code' as const } : {}),
    embedded: [],
    sites: reading.sites.map((site, i) => {
      const carried = reading.carried?.[i];
      // A carried site was moved by the reading (codeSiteMoves.ts); its object-form problems move with it.
      if (carried && previous) return carryCodeSite(previous.sites[carried.index], carried.delta);
      return analyzeSite(site);
    }),
    ...(reading.waitsFor ? { waitsFor: reading.waitsFor } : {}),
    ...(reading.state ? { codeState: reading.state } : {}),
  };
}

/** A code site's analysis carried over, its site already moved in place by `delta`. */
function carryCodeSite(s: AnalyzedSite, delta: number): AnalyzedSite {
  if (delta !== 0 && s.site.form === 'object') (s as Mutable<AnalyzedSite>).analysis = moveAnalysis(s.analysis, delta);
  return s;
}

/**
 * The sites of a template after edits inside some regions (see incrementalParse.ts): the previous version's sites
 * outside the regions as they are, moved in place by the lengths the regions before them gained, and the sites of the
 * re-parsed `Resources` entries (a re-parsed top-level property holds none: every site of a template is in a
 * `Resources` entry), in document order. Undefined when the previous sites do not fall cleanly before, inside or
 * after each region (never expected; the caller then looks for sites everywhere).
 */
function carrySites(
  previous: readonly AnalyzedSite[],
  incremental: IncrementalParse,
  text: string,
): AnalyzedSite[] | undefined {
  const endOf = (s: AnalyzedSite): number => s.site.range.offset + s.site.range.length;
  const sites: AnalyzedSite[] = [];
  let i = 0;
  let delta = 0;
  for (const region of incremental.regions) {
    const { start, end } = region;
    for (; i < previous.length && endOf(previous[i]) <= start; i++) sites.push(moveSite(previous[i], delta));
    while (i < previous.length && previous[i].site.range.offset >= start && endOf(previous[i]) <= end) i++;
    if (i < previous.length && previous[i].site.range.offset < end) return undefined;
    if (!region.topLevel)
      for (const entry of region.properties)
        for (const site of findResourceSites(entry, text)) sites.push(analyzeSite(site));
    delta += region.delta;
  }
  for (; i < previous.length; i++) sites.push(moveSite(previous[i], delta));
  return sites;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Moves a carried-over site (whose nodes the incremental parse already moved) in place. */
function moveSite(s: AnalyzedSite, delta: number): AnalyzedSite {
  if (delta === 0) return s;
  (s.site.range as Mutable<TextSpan>).offset += delta;
  // Object-form problems are in document offsets; a string pattern's are in its own text's.
  if (s.site.form === 'object') (s as Mutable<AnalyzedSite>).analysis = moveAnalysis(s.analysis, delta);
  return s;
}

/**
 * The pattern analyses of the previous version's sites outside the re-parsed region, for the same sites found
 * again: same node (moved, not re-parsed), same kind and dialect, same text for string patterns. Offsets of
 * object-form problems are document offsets, so they move with the node.
 */
function reusableAnalyses(
  previous: DocumentAnalysis,
  regions: readonly SplicedRegion[],
): (site: PatternSite) => CarriedOver | undefined {
  const byNode = new Map<AstNode, AnalyzedSite>();
  for (const s of previous.sites) {
    const r = s.site.range;
    // Outside every region: the first region ending after the site's start must start at or after its end.
    let lo = 0;
    let hi = regions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (regions[mid].end <= r.offset) lo = mid + 1;
      else hi = mid;
    }
    if (lo === regions.length || regions[lo].start >= r.offset + r.length) byNode.set(s.site.node, s);
  }
  return (site) => {
    const old = byNode.get(site.node);
    if (!old) return undefined;
    const was = old.site;
    const sameSite =
      was.kind === site.kind &&
      was.dialect === site.dialect &&
      was.form === site.form &&
      was.marker === site.marker &&
      was.snsScope === site.snsScope;
    if (!sameSite) return undefined;
    if (was.form === 'string' && site.form === 'string') {
      const sameText =
        was.text === site.text &&
        was.viaSub === site.viaSub &&
        JSON.stringify(was.substitutions) === JSON.stringify(site.substitutions);
      return sameText ? { analysis: old.analysis, lineage: old.lineage } : undefined;
    }
    return { analysis: moveAnalysis(old.analysis, site.range.offset - was.range.offset), lineage: old.lineage };
  };
}

function moveAnalysis(analysis: PatternAnalysis, delta: number): PatternAnalysis {
  if (delta === 0 || (analysis.problems.length === 0 && !analysis.awsError)) return analysis;
  const move = (p: Problem): Problem => ({ ...p, offset: p.offset + delta, detectAt: p.detectAt + delta });
  const moved = analysis.problems.map(move);
  // The AWS error is one of the problems: keep it so.
  const awsIndex = analysis.awsError ? analysis.problems.indexOf(analysis.awsError) : -1;
  const awsError = awsIndex >= 0 ? moved[awsIndex] : analysis.awsError && move(analysis.awsError);
  return { ...analysis, problems: moved, awsError };
}

function analyzeWholeText(site: PatternSite, text: string): AnalyzedSite {
  const analysis = analyzePatternText(text, { dialect: site.dialect });
  return {
    site,
    analysis,
    patternRoot: analysis.ast,
    toDocument: (offset, length) => ({ offset, length }),
    fromDocument: (offset) => offset,
    lineage: {},
  };
}

/** Lengths of object patterns as sent to AWS, measured once per node (the analysis and the lint rules both ask). */
const patternLengths = new WeakMap<AstNode, number>();

/**
 * The length of an object-form pattern as AWS receives it (JSON without spaces). A node's values never change once
 * parsed (an edit re-parses its region into new nodes), so the length is kept with it.
 */
export function objectPatternLength(node: AstNode): number {
  let length = patternLengths.get(node);
  if (length === undefined) {
    length = plainJsonLength(node);
    patternLengths.set(node, length);
  }
  return length;
}

function analyzeSite(site: PatternSite, carried?: CarriedOver): AnalyzedSite {
  const lineage = carried?.lineage ?? {};
  const reused = carried?.analysis;
  if (site.form === 'object') {
    return {
      site,
      lineage,
      analysis:
        reused ??
        analyzePatternNode(site.node, {
          dialect: site.dialect,
          ...(site.snsScope ? { scope: site.snsScope } : {}),
          patternLength: objectPatternLength(site.node),
        }),
      patternRoot: site.node,
      toDocument: (offset, length) => ({ offset, length }),
      fromDocument: (offset) =>
        offset >= site.node.offset && offset <= site.node.offset + site.node.length ? offset : undefined,
    };
  }
  const merged = reused ?? analyzeStringSite(site);
  return {
    site,
    lineage,
    analysis: merged,
    patternRoot: merged.ast,
    toDocument: (offset, length) => toDocumentSpan(site, { offset, length }),
    fromDocument: (docOffset) => {
      const start = site.toDocumentOffset(0);
      const end = site.toDocumentOffset(site.text.length);
      if (docOffset < start || docOffset > end) return undefined;
      // Offsets grow with i: binary search for the last character at or before docOffset.
      let lo = 0;
      let hi = site.text.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (site.toDocumentOffset(mid) <= docOffset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
  };
}

function analyzeStringSite(site: StringPatternSite): PatternAnalysis {
  // `${Name}` in an Fn::Sub template: values (and keys) it touches are unknown until deploy.
  return analyzeSubstitutedText(site.text, site.substitutions, site.dialect, site.snsScope);
}

/** The site whose pattern contains a document offset (the innermost, when sites nest). */
export function siteAt(doc: DocumentAnalysis, offset: number): AnalyzedSite | undefined {
  let best: AnalyzedSite | undefined;
  for (const s of doc.sites) {
    const r = s.site.range;
    if (offset >= r.offset && offset <= r.offset + r.length && (!best || r.length < best.site.range.length)) best = s;
  }
  return best;
}

export type { StringNode };
