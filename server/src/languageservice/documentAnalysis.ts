// One analysis of a document that every feature shares: the house AST, the pattern sites in it, and for each
// site the engine's analysis with offsets mapped back to the document. Features (validation, completion, hover,
// code actions, code lenses) never parse on their own.

import { analyzePatternNode, analyzePatternText, ProblemCode, type PatternAnalysis, type Problem } from '../engine';
import type { AstNode, ObjectNode, StringNode } from '../engine/jsonAst';
import { toPlainValue } from '../engine/jsonAst';
import { parseDocument, type DocumentLanguageId, type SyntaxProblem } from './documentParser';
import { reparseIncrementally, type IncrementalParse, type SplicedRegion } from './incrementalParse';
import {
  findPatternSites,
  findResourceSites,
  isPatternFile,
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
  /**
   * The template's `Resources` when every site lies in one of its entries (see templateResources): the analysis of
   * the next version then looks for sites in the re-parsed entry only.
   */
  readonly templateResources?: ObjectNode;
}

/** The language a document is read as: YAML for .yaml/.yml or a yaml languageId, JSON otherwise. */
export function documentLanguage(uri: string, languageId?: string): DocumentLanguageId {
  if (languageId === 'yaml' || /\.ya?ml$/i.test(uri)) return 'yaml';
  return 'json';
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
  const lang = documentLanguage(uri, languageId);
  const incremental =
    previous && previous.uri === uri && previous.languageId === lang && !isPatternFile(uri, options)
      ? reparseIncrementally(previous, text)
      : undefined;
  const parsed = incremental?.parsed ?? parseDocument(text, lang);
  const resources = templateResources(parsed.root, uri, options);
  const analysis = {
    uri,
    languageId: lang,
    text,
    root: parsed.root,
    syntaxErrors: parsed.syntaxErrors,
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
      was.kind === site.kind && was.dialect === site.dialect && was.form === site.form && was.marker === site.marker;
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
          patternLength: JSON.stringify(toPlainValue(site.node) ?? null).length,
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
  // `${Name}` in an Fn::Sub template: keep every offset, but read each substitution as a placeholder of the same
  // length, and treat whatever it touches as a value unknown until deploy.
  const text = blankSubstitutions(site.text, site.substitutions);
  const analysis = analyzePatternText(text, { dialect: site.dialect });
  if (site.substitutions.length > 0 && analysis.ast) markSubstituted(analysis.ast, site.substitutions);
  const reanalysed =
    site.substitutions.length > 0 && analysis.ast
      ? {
          ...analyzePatternNode(analysis.ast, { dialect: site.dialect, patternLength: text.length }),
          ast: analysis.ast,
        }
      : analysis;
  // Syntax errors still come from the text pass.
  const syntax = analysis.problems.filter((p) => p.code === ProblemCode.JsonSyntax);
  return reanalysed === analysis ? analysis : { ...reanalysed, problems: [...syntax, ...reanalysed.problems] };
}

const PLACEHOLDER_NUMBER = '0';

/** Replaces each `${...}` by a same-length stand-in: inside a JSON string by `x`s, elsewhere by a number. */
function blankSubstitutions(text: string, subs: readonly { offset: number; length: number }[]): string {
  if (subs.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of subs) {
    out += text.slice(at, s.offset);
    const inString = isInsideJsonString(text, s.offset);
    out += inString ? 'x'.repeat(s.length) : PLACEHOLDER_NUMBER + ' '.repeat(Math.max(0, s.length - 1));
    at = s.offset + s.length;
  }
  return out + text.slice(at);
}

function isInsideJsonString(text: string, offset: number): boolean {
  let inside = false;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c && inside) i++;
    else if (c === 0x22) inside = !inside;
  }
  return inside;
}

/** Turns every scalar that overlaps a substitution into an unknown value (in place). */
function markSubstituted(root: AstNode, subs: readonly { offset: number; length: number }[]): void {
  const overlaps = (n: { offset: number; length: number }): boolean =>
    subs.some((s) => s.offset < n.offset + n.length && n.offset < s.offset + s.length);
  const toUnknown = (n: AstNode): AstNode => ({
    type: 'unknown',
    offset: n.offset,
    length: n.length,
    description: 'a value substituted by Fn::Sub at deploy time',
    ...(n.parent ? { parent: n.parent } : {}),
  });
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'object') {
      for (const p of n.properties) {
        if (!p.value) continue;
        if (p.value.type !== 'object' && p.value.type !== 'array' && overlaps(p.value)) p.value = toUnknown(p.value);
        else stack.push(p.value);
      }
    } else if (n.type === 'array') {
      n.items.forEach((item, i) => {
        if (item.type !== 'object' && item.type !== 'array' && overlaps(item)) n.items[i] = toUnknown(item);
        else stack.push(item);
      });
    }
  }
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
