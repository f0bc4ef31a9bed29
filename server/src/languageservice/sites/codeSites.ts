// Patterns written in code: AWS CDK in TypeScript/JavaScript (cdkTypeScriptSites.ts) and Python, and Terraform. Each
// language has a reader that walks the file's tree-sitter tree and returns ordinary pattern sites whose nodes are house
// AST nodes built from the code, with document offsets, and whose `syntax` (codeSyntax.ts) says how the features write
// text there. Everything after the reading (validation, completion, hover, quick fixes, code lenses, lint,
// match-rules) is the same code as for templates.
//
// After an edit, the previous version's tree is re-parsed incrementally (parsing/codeReparse.ts), and a reader that
// knows how (PartialCodeReader) reads only the parts of the file the changes touched: the previous version's sites
// elsewhere are kept, moved in place (codeSiteMoves.ts), with their analyses. A reader says which part of the code
// each site came from (its holder: the construct, call or block), and which file-wide facts its reading depended on
// (imports, locals): when those change, the file is read whole.
//
// A grammar is loaded on the first document that needs it (loadGrammar is asynchronous); until then the document
// reads as having no sites and the reading says which grammar it waits for, so that the server can load it and
// validate again. A file that mentions nothing a pattern could come from is not even parsed.

import type { Tree } from 'web-tree-sitter';
import { isGrammarLoaded, loadGrammar, parseCode, type GrammarId } from '../parsing/codeGrammars';
import { reparseCode, type TextEdit } from '../parsing/codeReparse';
import type { CodeLanguageId, SyntaxProblem } from '../parsing/parsedDocument';
import type { PatternSite, TextSpan } from './patternSites';
import { findCdkTypeScriptSites, readCdkTypeScriptParts } from './cdkTypeScriptSites';
import { findCdkPythonSites } from './cdkPythonSites';
import { canMoveCodeSite, detachCodeSite, moveCodeSite } from './codeSiteMoves';
import { findTerraformSites, readTerraformParts } from './terraformSites';

/** What a reader finds in a code document. */
export interface CodeReading {
  readonly sites: PatternSite[];
  /** Syntax problems the reader wants shown (an editor shows the language's own syntax errors already: often none). */
  readonly syntaxErrors: SyntaxProblem[];
  /**
   * For a reader that can read a file in parts (PartialCodeReader): each site's holder, the code it was read from (a
   * construct or call, a block), whose change means the site must be read again. Parallel to `sites`.
   */
  readonly holders?: readonly TextSpan[];
  /** With `holders`: the file-wide facts the reading depended on (see PartialCodeReader.readParts). */
  readonly context?: string;
}

/** Reads the pattern sites of a parsed code document. Offsets are the document's (UTF-16 code units). */
export type CodeReader = (tree: Tree, text: string, uri: string) => CodeReading;

/** The sites a reader found in the parts of a file it read again, and which parts those were. */
export interface PartReading {
  /**
   * The spans read again, in new offsets (each the whole of the units the changes touch, so that a site whose holder
   * overlaps one lies inside it): the previous version's sites whose holders overlap them are replaced by `sites`.
   */
  readonly regions: readonly { readonly start: number; readonly end: number }[];
  readonly sites: PatternSite[];
  /** Parallel to `sites`. */
  readonly holders: readonly TextSpan[];
  readonly context: string;
}

/** A reader that can read again only the parts of a file that changed (see the header). */
export interface PartialCodeReader {
  /**
   * Reads the parts of `tree` that `changed` (new offsets, see CodeReparse.changed) touch; undefined when the file
   * must be read whole: its file-wide facts differ from `previousContext`, or the changes are beyond reading in parts.
   */
  readParts(
    tree: Tree,
    text: string,
    uri: string,
    changed: readonly { readonly start: number; readonly end: number }[],
    previousContext: string,
  ): PartReading | undefined;
  /**
   * The order of a whole reading's sites: by their ranges, or by their holders (then, within one holder, as the
   * reader found them).
   */
  readonly order: 'site' | 'holder';
}

interface CodeLanguage {
  /** The reader; undefined while the language is not read yet (its documents have no sites). */
  readonly reader: CodeReader | undefined;
  /** When the reader can read a file in parts (else every version is read whole, from an incremental parse). */
  readonly parts?: PartialCodeReader;
  /**
   * A quick look at the text before any parse: false when the file cannot hold a pattern (it names none of the
   * constructs or properties patterns are given to), so most source files cost one regular expression.
   */
  readonly mayHoldPatterns: RegExp;
}

/** What a TypeScript or JavaScript file names when it may hold a CDK pattern. */
const CDK_MENTIONS =
  /aws-events|aws_events|aws-pipes|aws-lambda|aws_lambda|eventPattern|EventPattern|FilterPattern|FilterCriteria|aws-sns|aws_sns|filterPolicy/;

/**
 * The readers, by language. Adding a language's reader is one line here (and its grammar in grammarOf).
 */
const CODE_LANGUAGES: Readonly<Record<CodeLanguageId, CodeLanguage>> = {
  typescript: { reader: findCdkTypeScriptSites, parts: readCdkTypeScriptParts, mayHoldPatterns: CDK_MENTIONS },
  javascript: { reader: findCdkTypeScriptSites, parts: readCdkTypeScriptParts, mayHoldPatterns: CDK_MENTIONS },
  // Read whole at each version (still from the incremental parse): no `parts` yet.
  python: {
    reader: findCdkPythonSites,
    mayHoldPatterns: /aws_events|aws_pipes|event_pattern|EventPattern|FilterCriteria|aws_sns|filter_policy/,
  },
  terraform: {
    reader: findTerraformSites,
    parts: readTerraformParts,
    mayHoldPatterns: /event_pattern|filter_criteria|filter_policy/,
  },
};

/** The code language of a document, from its file name first, then its editor language; undefined for other files. */
export function codeLanguageOf(uri: string, languageId?: string): CodeLanguageId | undefined {
  const path = uri.replace(/[?#].*$/, '');
  if (/\.[mc]?tsx?$/i.test(path)) return /\.d\.[mc]?ts$/i.test(path) ? undefined : 'typescript';
  if (/\.(?:[mc]?js|jsx)$/i.test(path)) return 'javascript';
  if (/\.py$/i.test(path)) return 'python';
  if (/\.tf$/i.test(path)) return 'terraform';
  switch (languageId) {
    case 'typescript':
    case 'typescriptreact':
      return 'typescript';
    case 'javascript':
    case 'javascriptreact':
      return 'javascript';
    case 'python':
      return 'python';
    case 'terraform':
      return 'terraform';
    default:
      return undefined;
  }
}

/**
 * The grammar a code document is parsed with: `.ts` (and `.mts`, `.cts`) with TypeScript's, where `<T>x` is a type
 * assertion; `.tsx` and every JavaScript file with TSX's, which reads JSX and plain JavaScript alike.
 */
export function grammarOf(uri: string, language: CodeLanguageId, languageId?: string): GrammarId {
  switch (language) {
    case 'typescript': {
      const path = uri.replace(/[?#].*$/, '');
      if (/\.tsx$/i.test(path)) return 'tsx';
      return /\.[mc]?ts$/i.test(path) || languageId !== 'typescriptreact' ? 'typescript' : 'tsx';
    }
    case 'javascript':
      return 'tsx';
    case 'python':
      return 'python';
    case 'terraform':
      return 'terraform';
  }
}

/** What reading a code document gave, and the grammar it still waits for (then it has no sites yet). */
export interface CodeDocumentReading extends CodeReading {
  readonly waitsFor?: GrammarId;
  /** What the next version's reading starts from (see readCodeDocument). */
  readonly state?: CodeState;
  /**
   * When the document was read in parts: for each site, where it comes from in the previous version (its index in
   * the previous sites, and how far it moved), or undefined for a site read now. The carried sites are the previous
   * version's objects, already moved.
   */
  readonly carried?: readonly (CarriedSite | undefined)[];
}

export interface CarriedSite {
  readonly index: number;
  readonly delta: number;
}

/**
 * What the next version of a code document is read from: the tree of this one (kept in WebAssembly memory while it
 * may be needed: see keepTree), and where each site came from.
 */
export interface CodeState {
  readonly grammar: GrammarId;
  /** Undefined once handed over to the next version's parse, or dropped (see MAX_KEPT_TREES). */
  tree: Tree | undefined;
  readonly holders?: readonly TextSpan[];
  readonly context?: string;
}

/** The previous version of a code document, as readCodeDocument takes it. */
export interface PreviousCodeReading {
  readonly state: CodeState;
  readonly text: string;
  /** Its sites, in the order it gave them. */
  readonly sites: readonly PatternSite[];
}

/**
 * How many trees are kept for the next versions of their documents. A tree lives in WebAssembly memory, which the
 * garbage collector does not free: each is deleted when it is handed over, or when newer ones push it out of this
 * bound (an analysis nobody edits further, a document closed), so memory does not grow with versions or documents.
 * A document whose tree was dropped is parsed whole on its next edit.
 */
const MAX_KEPT_TREES = 8;
const keptTrees: CodeState[] = [];

function keepTree(state: CodeState): void {
  keptTrees.push(state);
  while (keptTrees.length > MAX_KEPT_TREES) dropTree(keptTrees.shift()!);
}

function dropTree(state: CodeState): void {
  const at = keptTrees.indexOf(state);
  if (at >= 0) keptTrees.splice(at, 1);
  state.tree?.delete();
  state.tree = undefined;
}

/** How many trees are kept now (for tests: it never exceeds MAX_KEPT_TREES). */
export function keptTreeCount(): number {
  return keptTrees.length;
}

const NOTHING: CodeDocumentReading = { sites: [], syntaxErrors: [] };

/**
 * The grammar a document needs before its patterns can be read, if it is a code document that may hold patterns (a
 * language without a reader, or a file that names nothing patterns come from, needs none).
 */
export function grammarNeeded(text: string, uri: string, languageId?: string): GrammarId | undefined {
  const language = codeLanguageOf(uri, languageId);
  if (!language) return undefined;
  const entry = CODE_LANGUAGES[language];
  if (!entry.reader || !entry.mayHoldPatterns.test(text)) return undefined;
  return grammarOf(uri, language, languageId);
}

/** Loads the grammar a document needs, if any (see grammarNeeded); resolves at once when there is none to load. */
export async function prepareCodeDocument(text: string, uri: string, languageId?: string): Promise<void> {
  const grammar = grammarNeeded(text, uri, languageId);
  if (grammar && !isGrammarLoaded(grammar)) await loadGrammar(grammar);
}

/**
 * Reads a code document's pattern sites with its language's reader (none until its grammar is loaded). With
 * `previous` (an earlier version of the same document, read by this function), its tree is re-parsed incrementally
 * and, when the reader can, only the parts the changes touched are read (see the header); `previous` must not be
 * used afterwards (its tree is handed over, its carried sites moved).
 */
export function readCodeDocument(
  text: string,
  uri: string,
  language: CodeLanguageId,
  languageId?: string,
  previous?: PreviousCodeReading,
): CodeDocumentReading {
  const entry = CODE_LANGUAGES[language];
  const old = previous?.state;
  if (!entry.reader || !entry.mayHoldPatterns.test(text)) {
    if (old) dropTree(old);
    return NOTHING;
  }
  const grammar = grammarOf(uri, language, languageId);
  let tree: Tree | undefined;
  let reparse: ReturnType<typeof reparseCode>;
  if (old?.tree && old.grammar === grammar && previous) {
    const holders = old.holders ?? [];
    reparse = reparseCode(grammar, old.tree, previous.text, text, (lo, hi) => startsWithin(holders, lo, hi));
    tree = reparse?.tree;
  }
  if (old) dropTree(old);
  tree ??= parseCode(grammar, text);
  if (!tree) return { ...NOTHING, waitsFor: grammar };
  const state: CodeState = { grammar, tree };
  try {
    const parts =
      reparse && entry.parts && previous && old?.holders && old.context !== undefined
        ? readInParts(entry.parts, reparse.tree, text, uri, reparse.edits, reparse.changed, previous, old)
        : undefined;
    const reading = parts ?? entry.reader(tree, text, uri);
    reading.sites.forEach((site, i) => {
      if (!parts?.carried?.[i]) detachCodeSite(site);
    });
    keepTree(Object.assign(state, { holders: reading.holders, context: reading.context }));
    return { ...reading, state };
  } catch (error) {
    tree.delete();
    throw error;
  }
}

/** The starts of the holders in [lo, hi), where the text is cut into pieces when the edits are looked for. */
function startsWithin(holders: readonly TextSpan[], lo: number, hi: number): number[] {
  const starts: number[] = [];
  let last = -1;
  for (const h of holders) {
    // Holders may nest: only increasing starts cut pieces.
    if (h.offset > lo && h.offset < hi && h.offset > last) starts.push(h.offset);
    if (h.offset > last) last = h.offset;
  }
  return starts;
}

/**
 * A reading in parts: the reader reads what the changes touch, the previous sites elsewhere are moved. Undefined when
 * the file must be read whole (see PartialCodeReader), or when a previous site does not fall cleanly inside or outside
 * the parts read again (never expected).
 */
function readInParts(
  reader: PartialCodeReader,
  tree: Tree,
  text: string,
  uri: string,
  edits: readonly TextEdit[],
  changed: readonly { readonly start: number; readonly end: number }[],
  previous: PreviousCodeReading,
  old: CodeState,
): CodeDocumentReading | undefined {
  const oldHolders = old.holders!;
  if (oldHolders.length !== previous.sites.length) return undefined;
  const part = reader.readParts(tree, text, uri, changed, old.context!);
  if (!part) return undefined;
  const regions = mergeSpans(part.regions);
  // Each previous site: replaced (its holder overlaps a region read again, and then lies inside it) or kept (its
  // holder holds no edit; moved by what the edits before it added).
  const kept: { index: number; delta: number; holder: TextSpan }[] = [];
  let e = 0;
  let delta = 0;
  const order = oldHolders.map((_, i) => i).sort((a, b) => oldHolders[a].offset - oldHolders[b].offset);
  const deltaAt = new Array<number>(oldHolders.length);
  for (const i of order) {
    const h = oldHolders[i];
    while (e < edits.length && edits[e].oldEnd <= h.offset) {
      delta += edits[e].newEnd - edits[e].newStart - (edits[e].oldEnd - edits[e].start);
      e++;
    }
    // An edit reaching into the holder: it overlaps a region (regions hold the edits), so it is read again.
    deltaAt[i] = e < edits.length && edits[e].start < h.offset + h.length ? NaN : delta;
  }
  for (let i = 0; i < oldHolders.length; i++) {
    const h = oldHolders[i];
    const d = deltaAt[i];
    if (Number.isNaN(d)) {
      if (!overlapsAny(regions, mapOffset(h.offset, edits), mapOffset(h.offset + h.length, edits))) return undefined;
      if (!insideAny(regions, mapOffset(h.offset, edits), mapOffset(h.offset + h.length, edits))) return undefined;
      continue;
    }
    const start = h.offset + d;
    const end = start + h.length;
    if (overlapsAny(regions, start, end)) {
      if (!insideAny(regions, start, end)) return undefined;
      continue;
    }
    if (!canMoveCodeSite(previous.sites[i])) return undefined;
    kept.push({ index: i, delta: d, holder: { offset: start, length: h.length } });
  }
  // Every holder read now lies in a region (else the reader broke its contract).
  for (const h of part.holders) if (!insideAny(regions, h.offset, h.offset + h.length)) return undefined;
  type Entry = { site: PatternSite; holder: TextSpan; carried?: CarriedSite; seq: number };
  const entries: Entry[] = [];
  let seq = 0;
  for (const k of kept) {
    entries.push({
      site: previous.sites[k.index],
      holder: k.holder,
      carried: { index: k.index, delta: k.delta },
      seq: 0,
    });
  }
  // Previous sites in their order, then the new ones in theirs: a stable sort keeps each holder's sites as read.
  for (const entry of entries) entry.seq = seq++;
  part.sites.forEach((site, i) => entries.push({ site, holder: part.holders[i], seq: seq++ }));
  const keyOf = (x: Entry): number =>
    reader.order === 'site' ? x.site.range.offset + (x.carried?.delta ?? 0) : x.holder.offset;
  entries.sort((a, b) => keyOf(a) - keyOf(b) || a.seq - b.seq);
  for (const x of entries) if (x.carried) moveCodeSite(x.site, x.carried.delta);
  return {
    sites: entries.map((x) => x.site),
    holders: entries.map((x) => x.holder),
    carried: entries.map((x) => x.carried),
    context: part.context,
    syntaxErrors: [],
  };
}

/** An offset of the previous text in the new one (an offset inside an edit goes to the edit's new end). */
function mapOffset(offset: number, edits: readonly TextEdit[]): number {
  let delta = 0;
  for (const e of edits) {
    if (e.oldEnd <= offset) delta += e.newEnd - e.newStart - (e.oldEnd - e.start);
    else if (e.start < offset) return e.newEnd;
    else break;
  }
  return offset + delta;
}

/** Sorted, overlapping or touching spans joined. */
function mergeSpans(
  spans: readonly { readonly start: number; readonly end: number }[],
): { start: number; end: number }[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

function overlapsAny(regions: readonly { start: number; end: number }[], start: number, end: number): boolean {
  return regions.some((r) => start < r.end && r.start < end);
}

function insideAny(regions: readonly { start: number; end: number }[], start: number, end: number): boolean {
  return regions.some((r) => r.start <= start && end <= r.end);
}
