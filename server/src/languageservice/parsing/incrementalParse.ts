// Re-parses only the parts of a template that changed, and splices them into the previous AST: the yaml parser takes
// about a second on a 5,000-resource template, far too long to run on every keystroke. The previous text and the new
// one are compared region by region (diffByRegions), so every changed place is found however many there are and
// however far apart (a multi-cursor edit, a Replace All, typing in two places before the analysis runs), and each is
// re-parsed on its own as a "region": a `Resources` entry (the last one runs to the end of `Resources`), or a
// top-level property other than `Resources` (Parameters, Outputs...; the last one runs to the end of the document),
// or several neighbouring regions when a change spans them (whole entries selected and deleted). The re-parsed
// regions may hold several properties (a resource typed after the last one, entries pasted), never none: when a
// change leaves none, a neighbouring region is re-parsed with them. The result must be exactly what a full parse
// gives; whenever that is not certain, this returns undefined and the caller parses the whole document. Tested
// against full parses after random edits and batches of them (incrementalAnalysis.test.ts).
//
// Left to a full parse, because the result depends on text outside the regions:
// - changes of `Resources:` itself or between it and its first entry, and of anything outside the top-level mapping
//   (a document marker, a second document); deleting every entry of `Resources`;
// - syntax errors that cannot be kept inside their regions. A template with syntax errors is read region by region
//   when its cut is well defined (yamlRegions.ts, jsonRegions.ts), so a region parsed with errors is spliced when the
//   regions of the new text, cut by its lines, are the previous ones but for the changed ones. JSON read whole (a
//   template on one line, say) keeps errors inside a region as the whole parse does: jsonc-parser is a recursive
//   descent parser whose state at a region's first key is always the same (in the enclosing object's loop, about to
//   read a property), so a region parsed alone from that state, and reaching the next key (a sentinel) in that state
//   again, parses as it would in the document. A comma missing between two entries is reported at the next entry's
//   key, the boundary, and leaves the parser in that same state: the two regions are then re-parsed together (and
//   again on later edits of either, as long as the error is there), so the error always lies inside a re-parsed span.
//   A YAML region whose quoted string is still open at its end is not kept either: in the whole text the string runs
//   on to the next quote and may close there without an error, and then a full parse reads the text whole.
//
// The previous AST is updated in place (nodes after a change are shifted, the changed regions replaced): the analysis
// it belonged to must not be used afterwards.

import type { AstNode, ObjectNode, PropertyNode } from '../../engine/jsonAst';
import {
  JSON_COMMA_EXPECTED,
  MAX_NESTING_DEPTH,
  MAX_YAML_NESTING_ESTIMATE,
  parseJsonText,
  parseYamlLeniently,
  parseYamlText,
  type DocumentLanguageId,
  type ParsedDocument,
  type SyntaxProblem,
} from './documentParser';
import {
  bracketBalance,
  bracketDepth,
  frameDepths,
  frameText,
  jsonIsolatedRoots,
  jsonRegionFacts,
  parseJsonRegionAlone,
  splitJsonRegions,
  structureAtMost,
  type JsonRegionFacts,
} from './jsonRegions';
import {
  hasAnchorOrAlias,
  detachedSlice,
  hasDocumentMarker,
  MAX_REGION_STRUCTURE,
  parseYamlRegionAlone,
  regionLocalErrorRoots,
  shiftNodes,
  splitYamlRegions,
} from './yamlRegions';

export interface PreviousParse {
  readonly text: string;
  readonly languageId: DocumentLanguageId;
  readonly root: AstNode | undefined;
  readonly syntaxErrors: readonly SyntaxProblem[];
}

/** A region parsed again, in offsets of the previous text. */
export interface SplicedRegion {
  /** The replaced region in the previous text: [start, end). */
  readonly start: number;
  readonly end: number;
  /** How much longer its new text is. */
  readonly delta: number;
  /**
   * The re-parsed properties, spliced in (the only new nodes; every other is the previous one, moved): entries of
   * `Resources`, or top-level properties when `topLevel`.
   */
  readonly properties: readonly PropertyNode[];
  readonly topLevel: boolean;
}

export interface IncrementalParse {
  readonly parsed: ParsedDocument;
  /**
   * In document order. Everything between them is the previous nodes, moved by the deltas of the regions before.
   */
  readonly regions: readonly SplicedRegion[];
}

/**
 * Roots whose syntax errors all come from parses of single regions (a region-isolated parse, or JSON regions parsed
 * here): a change in another region keeps them (moved), a change in theirs replaces them. Errors of a whole parse
 * are not known to be local.
 */
const localErrors = regionLocalErrorRoots;

/** The properties of one level (the entries of `Resources`, or the top level) and where the last one's region ends. */
interface Level {
  readonly container: ObjectNode;
  readonly properties: PropertyNode[];
  /** The end of the last property's region in the previous text (for JSON, the container's closing brace). */
  readonly end: number;
  readonly topLevel: boolean;
}

/** A changed span: the previous text's [start, oldEnd) is the new text's [newStart, newEnd). */
export interface Span {
  readonly start: number;
  readonly oldEnd: number;
  readonly newStart: number;
  readonly newEnd: number;
}

/** The regions `k` to `m` of one level, re-parsed together for the spans in them. */
interface Group {
  readonly level: Level;
  k: number;
  m: number;
  /** How much longer the regions' text got. */
  delta: number;
  spans: Span[];
  /** The regions in the previous text, and in the new one. */
  from: number;
  to: number;
  newFrom: number;
  newTo: number;
  /**
   * 'yamlErrors': parsed with errors, to be read region by region; 'uncontained': JSON errors that a whole parse
   * would not keep inside.
   */
  result: ParsedRegion | 'yamlErrors' | 'uncontained';
  /** The region starts of the new text's line cut that fall in the group (when the text is read region by region). */
  cutStarts: readonly number[];
}

export function reparseIncrementally(previous: PreviousParse, text: string): IncrementalParse | undefined {
  const root = previous.root;
  if (!root || root.type !== 'object') return undefined;
  // YAML warnings (an unresolved tag, say) are each a node's: a region parsed alone reports its own.
  const onlyWarnings = previous.syntaxErrors.every((e) => e.severity === 'warning');
  if (previous.syntaxErrors.length > 0 && !onlyWarnings && !localErrors.has(root)) return undefined;
  const old = previous.text;
  if (old === text) return undefined;
  const yaml = previous.languageId === 'yaml';

  const resourcesProperties = root.properties.filter((p) => p.key.value === 'Resources');
  if (resourcesProperties.length !== 1) return undefined;
  const resourcesProperty = resourcesProperties[0];
  const resources = resourcesProperty.value;
  if (resources?.type !== 'object' || resources.properties.length === 0) return undefined;
  const regionStart = (p: PropertyNode): number => (yaml ? lineStart(old, p.key.offset) : p.key.offset);
  // JSON regions end at the closing brace, which must be there.
  const closingBrace = (o: ObjectNode): number | undefined =>
    o.closed && old.charCodeAt(o.offset + o.length - 1) === 0x7d ? o.offset + o.length - 1 : undefined;
  const rootProperties = root.properties;
  const resourcesIndex = rootProperties.indexOf(resourcesProperty);
  const entries = resources.properties;
  const afterResources = rootProperties[resourcesIndex + 1] as PropertyNode | undefined;
  const entriesEnd = yaml ? (afterResources ? regionStart(afterResources) : old.length) : closingBrace(resources);
  const rootEnd = yaml ? old.length : closingBrace(root);
  const entryLevel: Level | undefined =
    entriesEnd === undefined
      ? undefined
      : { container: resources, properties: entries, end: entriesEnd, topLevel: false };
  const topLevel: Level | undefined =
    rootEnd === undefined ? undefined : { container: root, properties: rootProperties, end: rootEnd, topLevel: true };
  const spanEnd = (level: Level, j: number): number =>
    j === level.properties.length - 1 ? level.end : regionStart(level.properties[j + 1]);
  const isResources = (level: Level, j: number): boolean => level.topLevel && level.properties[j] === resourcesProperty;

  // Where the texts differ: spans, resynchronised at region starts.
  const regionStartsWithin = (lo: number, hi: number): number[] => {
    const out: number[] = [];
    const add = (b: number | undefined): void => {
      if (b !== undefined && b > lo && b < hi) out.push(b);
    };
    for (const p of rootProperties) add(regionStart(p));
    add(entriesEnd);
    add(rootEnd);
    let a = 0;
    let b = entries.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (regionStart(entries[mid]) > lo) b = mid;
      else a = mid + 1;
    }
    for (let j = a; j < entries.length; j++) {
      const s = regionStart(entries[j]);
      if (s >= hi) break;
      out.push(s);
    }
    out.sort((x, y) => x - y);
    return out.filter((x, i) => i === 0 || x !== out[i - 1]);
  };
  const spans = diffByRegions(old, text, regionStartsWithin);

  // The regions each span touches: from the last one starting at or before its start to the one its end falls in (a
  // span ending where a region starts ends in the one before). Spans in the same or neighbouring regions make one
  // group.
  const groups: Group[] = [];
  for (const span of spans) {
    const level =
      entryLevel && span.start >= regionStart(entries[0]) && span.oldEnd <= entryLevel.end ? entryLevel : topLevel;
    if (!level) return undefined;
    const properties = level.properties;
    if (regionStart(properties[0]) > span.start) return undefined;
    let lo = 0;
    let hi = properties.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (regionStart(properties[mid]) <= span.start) lo = mid;
      else hi = mid - 1;
    }
    const k = lo;
    let m = k;
    while (m + 1 < properties.length && regionStart(properties[m + 1]) < span.oldEnd) m++;
    if (level.topLevel && k <= resourcesIndex && resourcesIndex <= m) return undefined;
    if (span.oldEnd > spanEnd(level, m) || regionStart(properties[k]) >= spanEnd(level, m)) return undefined;
    const delta = span.newEnd - span.newStart - (span.oldEnd - span.start);
    const before = groups[groups.length - 1] as Group | undefined;
    // Neighbouring regions too: parsed together, they cost one parse (a Replace All that changes every entry).
    if (before && before.level === level && k <= before.m + 1) {
      before.m = Math.max(before.m, m);
      before.delta += delta;
      before.spans.push(span);
    } else {
      groups.push({
        level,
        k,
        m,
        delta,
        spans: [span],
        from: 0,
        to: 0,
        newFrom: 0,
        newTo: 0,
        result: 'uncontained',
        cutStarts: [],
      });
    }
  }
  if (groups.length === 0) return undefined;

  // Each group's new text, parsed alone. When it holds no property (the change deleted the regions' entries), a
  // neighbour is re-parsed with it: the one before (its region now runs over what is left, and a JSON comma it ends
  // with may now be dangling), or for the first the one after (it becomes the first). So at least one property is
  // spliced in. JSON read whole: a missing comma is reported at the key after it, so a group never ends or starts
  // there: the regions on both sides of it are re-parsed together. A group that reaches another one takes it in.
  const commaMissingAt = (offset: number): boolean =>
    !yaml && previous.syntaxErrors.some((e) => e.offset === offset && e.message === JSON_COMMA_EXPECTED);
  const done: Group[] = [];
  const pending = groups.reverse();
  let shift = 0;
  while (pending.length > 0) {
    const g = pending.pop()!;
    const properties = g.level.properties;
    for (;;) {
      const last = g.m === properties.length - 1;
      g.from = regionStart(properties[g.k]);
      g.to = spanEnd(g.level, g.m);
      g.newFrom = g.from + shift;
      g.newTo = g.to + shift + g.delta;
      let result: ParsedRegion | 'errors' | 'empty' | 'missingComma' | 'uncontained' | undefined;
      if (!yaml && g.k > 0 && commaMissingAt(g.from)) result = 'missingComma';
      else if (!yaml && !last && commaMissingAt(g.to)) result = 'missingComma';
      else {
        const newRegion = detachedSlice(text, g.newFrom, g.newTo);
        result = yaml
          ? parseYamlRegion(old, properties, g.k, g.m, last && g.to === old.length, old.slice(g.from, g.to), newRegion)
          : parseJsonRegion(newRegion, last);
      }
      if (result === undefined) return undefined;
      let back: boolean;
      if (result === 'empty') back = g.k > 0 && !isResources(g.level, g.k - 1);
      else if (result === 'missingComma') {
        back = g.k > 0 && commaMissingAt(g.from);
        if (back && isResources(g.level, g.k - 1)) return undefined;
      } else {
        g.result = result === 'errors' ? 'yamlErrors' : result;
        break;
      }
      if (back) {
        g.k--;
        const before = done[done.length - 1] as Group | undefined;
        if (before && before.level === g.level && before.m >= g.k) {
          done.pop();
          shift -= before.delta;
          g.k = before.k;
          g.delta += before.delta;
          g.spans = [...before.spans, ...g.spans];
        }
      } else if (!last && !isResources(g.level, g.m + 1)) {
        g.m++;
        const after = pending[pending.length - 1] as Group | undefined;
        if (after && after.level === g.level && after.k <= g.m) {
          pending.pop();
          g.m = Math.max(g.m, after.m);
          g.delta += after.delta;
          g.spans.push(...after.spans);
        }
      } else return undefined;
    }
    done.push(g);
    shift += g.delta;
  }

  // How far a previous offset outside the groups moves: the deltas of the groups that end at or before it.
  const groupEnds = done.map((g) => g.to);
  const deltaSums: number[] = [];
  done.reduce((sum, g, i) => (deltaSums[i] = sum + g.delta), 0);
  const deltaBefore = (offset: number): number => {
    let lo = 0;
    let hi = groupEnds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (groupEnds[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : deltaSums[lo - 1];
  };
  // The group a previous problem belongs to: one inside its regions (a YAML region's problems lie in [from, to), or
  // from `from` on for one that ends the text; a last JSON region's include those at the closing brace).
  const ownerOf = (offset: number): Group | undefined => {
    let lo = 0;
    let hi = done.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (done[mid].from <= offset) lo = mid + 1;
      else hi = mid;
    }
    const g = done[lo - 1] as Group | undefined;
    if (!g) return undefined;
    if (offset < g.to) return g;
    if (yaml) return g.to === old.length ? g : undefined;
    return offset === g.to && g.m === g.level.properties.length - 1 ? g : undefined;
  };
  const kept = previous.syntaxErrors.filter((e) => !ownerOf(e.offset));

  // Problems in the new text: read as a full parse reads them.
  const hasErrors = (g: Group): boolean => typeof g.result === 'string' || g.result.errors.length > 0;
  let isolatedJson = false;
  if (yaml) {
    // Errors kept from other regions come from a region-isolated parse: the new text must still be cut the same
    // way (a key edited into one a region cannot start with, say), or a full parse reads it whole.
    if (done.some((g) => g.result === 'yamlErrors') || kept.some((e) => e.severity === 'error')) {
      if (!readYamlGroupsByRegions(text, done, entries.map(regionStart), rootProperties.map(regionStart), deltaBefore))
        return undefined;
    }
  } else if (kept.length > 0 || done.some(hasErrors)) {
    if (entriesEnd === undefined) return undefined;
    const cut = splitJsonRegions(text);
    if (cut) {
      // Read region by region (jsonRegions.ts): the unchanged regions must have been read so too, or be clean.
      if (!jsonIsolatedRoots.has(root) && kept.length > 0) return undefined;
      const entriesStart = regionStart(entries[0]);
      const frameErrors = kept.some((e) => e.offset < entriesStart || e.offset > entriesEnd);
      for (const g of done) if (g.level.topLevel && (frameErrors || hasErrors(g))) return undefined;
      if (
        cut.resourcesKey !== resourcesProperty.key.offset + deltaBefore(resourcesProperty.key.offset) ||
        cut.open !== resources.offset + deltaBefore(resources.offset) ||
        cut.close !== entriesEnd + deltaBefore(entriesEnd)
      )
        return undefined;
      const entryGroups = done.filter((g) => !g.level.topLevel);
      if (!matchCut(cut.entries, entries.map(regionStart), entryGroups, deltaBefore)) return undefined;
      for (const g of entryGroups) {
        const properties: PropertyNode[] = [];
        const errors: SyntaxProblem[] = [];
        for (let i = 0; i < g.cutStarts.length; i++) {
          const last = i === g.cutStarts.length - 1;
          const end = last ? g.newTo : g.cutStarts[i + 1];
          const region = parseJsonRegionAlone(text, g.cutStarts[i], end, last && g.newTo === cut.close, parseJsonText);
          if (!region) return undefined;
          properties.push(region.property);
          for (const e of region.errors) errors.push({ ...e, offset: e.offset - g.newFrom });
        }
        shiftNodes(properties, -g.newFrom);
        g.result = { properties, wrapperOffset: 0, end: 0, errors };
      }
      isolatedJson = true;
    } else {
      // Read whole: the errors must be kept inside their regions as a whole parse keeps them.
      if (jsonIsolatedRoots.has(root) && kept.length > 0) return undefined;
      for (const g of done) {
        if (typeof g.result === 'string') return undefined;
        if (g.result.errors.length === 0 || g.level.topLevel) continue;
        const facts: JsonRegionFacts = { ...bracketBalance(text.slice(g.newFrom, g.newTo)), certain: false };
        for (const p of g.result.properties) jsonRegionFacts.set(p, facts);
      }
    }
  }

  // Check what can still refuse before the previous tree is touched.
  const parsedRegion = (g: Group): ParsedRegion => g.result as ParsedRegion;
  for (const g of done) {
    // Another `Resources` would change which one a full parse reads.
    if (g.level.topLevel && parsedRegion(g).properties.some((p) => p.key.value === 'Resources')) return undefined;
  }
  // A YAML block mapping starts at its first key, so lines put before the first key (a comment, say) move the start
  // of the mapping too; when it starts anywhere else (a tag before it...), leave that to a full parse.
  const movedStart = new Map<Level, number>();
  const firstKeys = done.map(
    (g) => g.newFrom - parsedRegion(g).wrapperOffset + parsedRegion(g).properties[0].key.offset,
  );
  done.forEach((g, i) => {
    if (!yaml || g.k !== 0) return;
    const first = g.level.properties[0];
    if (firstKeys[i] === first.key.offset + (g.newFrom - g.from)) return;
    movedStart.set(g.level, firstKeys[i]);
  });
  for (const [level] of movedStart) if (level.container.offset !== level.properties[0].key.offset) return undefined;
  // Enclosing nodes that end after a region move their end; one that ends inside one (the region is its last) ends
  // where the region's mapping ends (YAML; JSON regions end before the closing brace).
  const enclosing: Mutable<{ offset: number; length: number }>[] = [root, resourcesProperty, resources];
  const newSpans: { offset: number; end: number }[] = [];
  for (const node of enclosing) {
    const end = node.offset + node.length;
    const inside = done.find((g) => g.from < end && end <= g.to);
    if (inside && !yaml) return undefined; // not expected: a JSON container ends at its brace, after its regions
    const moved =
      node === root ? movedStart.get(topLevel!) : node === resources ? movedStart.get(entryLevel!) : undefined;
    newSpans.push({
      offset: moved ?? node.offset + deltaBefore(node.offset),
      end: inside
        ? inside.newFrom - parsedRegion(inside).wrapperOffset + parsedRegion(inside).end
        : end + deltaBefore(end - 1),
    });
  }
  const syntaxErrors = spliceErrors(previous.syntaxErrors, done, ownerOf, deltaBefore);

  // Certain now (but for the nesting bounds, checked below on the spliced tree): splice. Offsets of the regions'
  // parses are relative to their own text.
  for (const g of done) {
    const region = parsedRegion(g);
    shiftNodes(region.properties, g.newFrom - region.wrapperOffset);
    for (const p of region.properties) p.parent = g.level.container;
  }
  // Resources itself moves as a header: its entries move each by its own delta.
  const resourcesShift = deltaBefore(resourcesProperty.offset);
  if (resourcesShift !== 0) {
    const header = resourcesProperty as Mutable<PropertyNode>;
    header.offset += resourcesShift;
    (header.key as Mutable<PropertyNode['key']>).offset += resourcesShift;
    if (header.colonOffset >= 0) header.colonOffset += resourcesShift;
  }
  const precedingOf = new Map<Group, PropertyNode | undefined>();
  const replaced: PropertyNode[] = [];
  for (const properties of [rootProperties, entries]) {
    const levelGroups = done.filter((g) => g.level.properties === properties);
    const out: PropertyNode[] = [];
    let run: PropertyNode[] = [];
    let runShift = 0;
    const flush = (): void => {
      shiftNodes(run, runShift);
      run = [];
    };
    let j = 0;
    const keep = (until: number): void => {
      for (; j < until; j++) {
        const p = properties[j];
        out.push(p);
        if (p === resourcesProperty) continue;
        const d = deltaBefore(p.offset);
        if (d !== runShift) {
          flush();
          runShift = d;
        }
        run.push(p);
      }
    };
    for (const g of levelGroups) {
      keep(g.k);
      precedingOf.set(g, out[out.length - 1]);
      for (let i = g.k; i <= g.m; i++) replaced.push(properties[i]);
      out.push(...parsedRegion(g).properties);
      j = g.m + 1;
    }
    keep(properties.length);
    flush();
    if (levelGroups.length > 0) {
      properties.length = 0;
      for (const p of out) properties.push(p);
    }
  }
  enclosing.forEach((node, i) => {
    node.offset = newSpans[i].offset;
    node.length = newSpans[i].end - newSpans[i].offset;
  });

  if (yaml) {
    // Summaries of spans whose text changed (see the nesting estimate below).
    done.forEach((g, i) => {
      if (g.level.topLevel) nestingSummaries.delete(g.k < resourcesIndex ? root : resources);
      else {
        if (lineStart(text, firstKeys[i]) !== g.newFrom) nestingSummaries.delete(precedingOf.get(g) ?? root);
        if (g.to === entriesEnd) nestingSummaries.delete(resources);
      }
    });
    for (const p of replaced) nestingSummaries.delete(p);
    // A full parse refuses a document above the nesting bound, so the spliced one must be refused too.
    const keeps = done.every((g) =>
      g.spans.every((s) =>
        keepsNestingEstimate(old, s.start, old.slice(s.start, s.oldEnd), text.slice(s.newStart, s.newEnd)),
      ),
    );
    if (!keeps && documentNestingEstimate(text, root, resources) > MAX_YAML_NESTING_ESTIMATE) return undefined;
  } else {
    if (done.some((g) => g.level.topLevel)) frameDepths.delete(root);
    if (syntaxErrors.length > 0 && !jsonErrorsBounded(root, resources, text, syntaxErrors, isolatedJson))
      return undefined;
  }

  if (syntaxErrors.length > 0) localErrors.add(root);
  if (isolatedJson) jsonIsolatedRoots.add(root);
  else jsonIsolatedRoots.delete(root);
  return {
    parsed: { root, syntaxErrors },
    regions: done.map((g) => ({
      start: g.from,
      end: g.to,
      delta: g.delta,
      properties: parsedRegion(g).properties,
      topLevel: g.level.topLevel,
    })),
  };
}

/**
 * YAML: groups parsed with problems are read as a region-isolated parse reads them (yamlRegions.ts): the new text must
 * be cut into the same regions as the previous one but for the groups' (which may now hold more or fewer), and each
 * region of a group is parsed alone. A group parsed without problems must hold one property per region of the cut.
 */
function readYamlGroupsByRegions(
  text: string,
  groups: readonly Group[],
  entryStarts: readonly number[],
  topStarts: readonly number[],
  deltaBefore: (offset: number) => number,
): boolean {
  const regions = splitYamlRegions(text);
  if (!regions) return false;
  const entryGroups = groups.filter((g) => !g.level.topLevel);
  const topGroups = groups.filter((g) => g.level.topLevel);
  if (!matchCut(regions.entries, entryStarts, entryGroups, deltaBefore)) return false;
  if (!matchCut(regions.topLevel, topStarts, topGroups, deltaBefore)) return false;
  for (const g of groups) {
    if (g.result === 'uncontained') return false;
    if (g.result !== 'yamlErrors') {
      if (g.cutStarts.length !== g.result.properties.length) return false;
      continue;
    }
    const indent = g.level.topLevel ? 0 : regions.entryIndent;
    const properties: PropertyNode[] = [];
    const errors: SyntaxProblem[] = [];
    let end = 0;
    for (let i = 0; i < g.cutStarts.length; i++) {
      const regionEnd = i + 1 < g.cutStarts.length ? g.cutStarts[i + 1] : g.newTo;
      const parsed = parseYamlRegionAlone(text, g.cutStarts[i], regionEnd, indent, parseYamlLeniently);
      if (!parsed) return false;
      // A quoted string still open at the region's end runs on in the whole text, up to the next such quote, where
      // it may close without any error: only a full parse knows (it then reads the text whole, not region by region).
      if (parsed.errors.some((e) => UNCLOSED_QUOTE.test(e.message))) return false;
      properties.push(parsed.property);
      for (const e of parsed.errors) errors.push({ ...e, offset: e.offset - g.newFrom });
      end = parsed.mappingEnd - g.newFrom;
    }
    shiftNodes(properties, -g.newFrom);
    g.result = { properties, wrapperOffset: 0, end, errors };
  }
  return true;
}

/** The yaml library's message for a quoted string that reaches the end of the text. */
const UNCLOSED_QUOTE = /Missing closing ["']quote/;

/**
 * True when the region starts of the new text's line cut (`cut`, one level) are the previous ones (`starts`) moved,
 * but inside the groups of that level, where there must be at least one, at the group's start. Records the starts
 * that fall in each group.
 */
function matchCut(
  cut: readonly number[],
  starts: readonly number[],
  groups: readonly Group[],
  deltaBefore: (offset: number) => number,
): boolean {
  let n = 0;
  let gi = 0;
  for (let j = 0; j < starts.length;) {
    const g = groups[gi] as Group | undefined;
    if (g && j === g.k) {
      if (cut[n] !== g.newFrom) return false;
      const first = n;
      while (n < cut.length && cut[n] < g.newTo) n++;
      g.cutStarts = cut.slice(first, n);
      j = g.m + 1;
      gi++;
    } else {
      if (cut[n] !== starts[j] + deltaBefore(starts[j])) return false;
      n++;
      j++;
    }
  }
  return n === cut.length;
}

/**
 * The problems of the spliced document: the previous ones outside the groups (moved) and each group's, in document
 * order. Every previous problem came from the parse of one region (see localErrors), so offsets tell which.
 */
function spliceErrors(
  previous: readonly SyntaxProblem[],
  groups: readonly Group[],
  ownerOf: (offset: number) => Group | undefined,
  deltaBefore: (offset: number) => number,
): SyntaxProblem[] {
  const regionErrors = (g: Group): readonly SyntaxProblem[] => (g.result as ParsedRegion).errors;
  if (previous.length === 0 && groups.every((g) => regionErrors(g).length === 0)) return [];
  // The previous problems between groups: gaps[i] lie before groups[i] (and after the one before).
  const gaps: SyntaxProblem[][] = [[]];
  for (let i = 0; i < groups.length; i++) gaps.push([]);
  for (const e of previous) {
    if (ownerOf(e.offset)) continue;
    let lo = 0;
    let hi = groups.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (groups[mid].from <= e.offset) lo = mid + 1;
      else hi = mid;
    }
    const d = deltaBefore(e.offset);
    gaps[lo].push(d === 0 ? e : { ...e, offset: e.offset + d });
  }
  const out = gaps[0];
  groups.forEach((g, i) => {
    const offsetDelta = g.newFrom - (g.result as ParsedRegion).wrapperOffset;
    for (const e of regionErrors(g)) out.push({ ...e, offset: e.offset + offsetDelta });
    for (const e of gaps[i + 1]) out.push(e);
  });
  return out;
}

/**
 * JSON with problems, spliced: true when a full parse reads it so. Read region by region (`isolated`), a full parse
 * does so only if a parse of the whole text has problems too (jsonRegions.ts); that is certain when the first problem
 * lies in the frame before the entries, or in an entry at a token of its own text (the whole parse reaches that entry
 * in the state the entry's own parse starts in, and meets the same token), or after every entry; or when the brackets
 * of the entries do not balance (valid JSON balances them). And the text must stay below the depth at which a full
 * parse refuses it: an entry raises the depth at most by its brackets left open (net - low), and reaches at most
 * MAX_REGION_STRUCTURE deeper inside, so the frame's depth, those, and that bound it.
 */
function jsonErrorsBounded(
  root: AstNode,
  resources: ObjectNode,
  text: string,
  errors: readonly SyntaxProblem[],
  isolated: boolean,
): boolean {
  const entries = resources.properties;
  const first = entries[0].key.offset;
  const close = resources.offset + resources.length - 1;
  const broken: PropertyNode[] = [];
  let frameProblems = false;
  for (const e of errors) {
    if (e.offset < first || e.offset > close) {
      frameProblems = true;
      continue;
    }
    let lo = 0;
    let hi = entries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (entries[mid].key.offset <= e.offset) lo = mid;
      else hi = mid - 1;
    }
    if (!broken.includes(entries[lo])) broken.push(entries[lo]);
  }
  const facts: JsonRegionFacts[] = [];
  for (const p of broken) {
    const f = jsonRegionFacts.get(p);
    if (!f) return false;
    facts.push(f);
  }
  if (isolated) {
    const certain =
      errors[0].offset < first ||
      facts.length === 0 ||
      facts[0].certain ||
      (!frameProblems && facts.reduce((sum, f) => sum + f.net, 0) !== 0);
    if (!certain) return false;
  }
  let depth = frameDepths.get(root);
  if (depth === undefined) {
    depth = bracketDepth(frameText(text, first, close));
    frameDepths.set(root, depth);
  }
  const rise = facts.reduce((sum, f) => sum + f.net - f.low, 0);
  return depth + rise + MAX_REGION_STRUCTURE <= MAX_NESTING_DEPTH;
}

/** How much of a region's start is looked for to find the region again in the new text. */
const ANCHOR_LENGTH = 64;

/**
 * The spans where `old` and `text` differ, in document order. After their common prefix and suffix, the middle of
 * the previous text is walked region by region (`regionStarts` gives the starts inside it): each region is looked for
 * in the new text (its first characters, then the whole of it), after where the one before was found; one found
 * unchanged ends the span before it, and the regions after it that are unchanged at the same shift are passed with a
 * comparison each. The search is bounded in all (about two scans of the text): past that, the rest of the middle is
 * one span. Spans start and end where the texts differ.
 */
export function diffByRegions(old: string, text: string, regionStarts: (lo: number, hi: number) => number[]): Span[] {
  const p = commonPrefix(old, text);
  if (p === old.length && p === text.length) return [];
  const s = commonSuffix(old, text, Math.min(old.length, text.length) - p);
  const oldMid = old.length - s;
  const newMid = text.length - s;
  const bounds = [...regionStarts(p, oldMid), oldMid];
  const spans: Span[] = [];
  const push = (start: number, oldEnd: number, newStart: number, newEnd: number): void => {
    while (oldEnd > start && newEnd > newStart && old.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
      oldEnd--;
      newEnd--;
    }
    spans.push({ start, oldEnd, newStart, newEnd });
  };
  let budget = 2 * text.length + 65_536;
  let spanOld = p;
  let spanNew = p;
  // The piece [bounds[i], bounds[i + 1]) is the next one looked for.
  let i = 0;
  const window = text.slice(0, newMid);
  for (;;) {
    let found = -1;
    let foundAt = -1;
    let searchFrom = spanNew;
    for (; i < bounds.length - 1 && budget > 0; i++) {
      const piece = old.slice(bounds[i], bounds[i + 1]);
      // A region starts with its key: look for the text up to the key's colon (a Replace All seldom changes keys).
      const colon = piece.indexOf(':');
      const anchor = piece.slice(0, colon >= 0 && colon < ANCHOR_LENGTH ? colon + 1 : ANCHOR_LENGTH);
      const at = window.indexOf(anchor, searchFrom);
      if (at < 0 || at + piece.length > newMid) {
        budget -= newMid - searchFrom;
        continue;
      }
      budget -= at - searchFrom + piece.length;
      // Not found unchanged there: changed (or found too early; then it is only re-parsed).
      searchFrom = at + 1;
      if (text.startsWith(piece, at)) {
        found = i;
        foundAt = at;
      }
      if (found >= 0) break;
    }
    if (found < 0) {
      push(spanOld, oldMid, spanNew, newMid);
      break;
    }
    push(spanOld, bounds[found], spanNew, foundAt);
    // Pass the pieces unchanged at this shift.
    const d = foundAt - bounds[found];
    let mismatch = -1;
    for (i = found + 1; i < bounds.length - 1; i++) {
      const lo = bounds[i];
      const hi = bounds[i + 1];
      if (hi + d <= newMid && old.slice(lo, hi) === text.slice(lo + d, hi + d)) continue;
      mismatch = lo;
      while (mismatch < hi && mismatch + d < newMid && old.charCodeAt(mismatch) === text.charCodeAt(mismatch + d))
        mismatch++;
      break;
    }
    if (mismatch < 0) {
      // The rest of the new middle was inserted where the previous one ends.
      if (oldMid + d < newMid) spans.push({ start: oldMid, oldEnd: oldMid, newStart: oldMid + d, newEnd: newMid });
      break;
    }
    spanOld = mismatch;
    spanNew = mismatch + d;
    i++;
  }
  return spans;
}

/** The length of the common prefix, compared a block at a time first (string equality is fast). */
function commonPrefix(a: string, b: string): number {
  const BLOCK = 4096;
  const shorter = Math.min(a.length, b.length);
  let n = 0;
  while (n + BLOCK <= shorter && a.slice(n, n + BLOCK) === b.slice(n, n + BLOCK)) n += BLOCK;
  while (n < shorter && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/** The length of the common suffix, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  const BLOCK = 4096;
  let n = 0;
  while (
    n + BLOCK <= max &&
    a.slice(a.length - n - BLOCK, a.length - n) === b.slice(b.length - n - BLOCK, b.length - n)
  )
    n += BLOCK;
  while (n < max && a.charCodeAt(a.length - n - 1) === b.charCodeAt(b.length - n - 1)) n++;
  return n;
}

/**
 * True when an edit cannot change the YAML nesting estimate of any line: it adds or removes no bracket or line
 * break, and starts after the line's leading indentation and indicators (which the estimate counts as columns).
 * The previous text passed the check (it parsed without errors), so the new one does too.
 */
function keepsNestingEstimate(old: string, start: number, removed: string, inserted: string): boolean {
  if (/[[\]{}\n\r]/.test(removed) || /[[\]{}\n\r]/.test(inserted)) return false;
  for (let i = lineStart(old, start); i < start; i++) {
    const c = old.charCodeAt(i);
    if (c !== 0x20 && c !== 0x2d && c !== 0x3f && c !== 0x3a) return true; // not space, -, ?, :
  }
  return false;
}

interface ParsedRegion {
  /** The region's properties, in offsets of the isolated parse. */
  readonly properties: PropertyNode[];
  /** Added to offsets of the isolated parse before the region's start is: 1 for JSON's wrapping `{`. */
  readonly wrapperOffset: number;
  /** YAML: where the isolated mapping ends (where the enclosing mapping ends when the region is its last). */
  readonly end: number;
  /** Syntax problems inside the region, in offsets of the isolated parse. */
  readonly errors: readonly SyntaxProblem[];
}

/**
 * YAML: the region runs from the line of the property's key to the line of the next key (or, for the last one, to
 * the line of the next top-level key or the end of the text); regions `k` to `m` are re-parsed together. Parsed
 * alone the new text must be one block mapping, every key at the siblings' indentation, with nothing that could reach
 * outside: no errors, anchors, aliases, document markers or directives, and what follows must still start on a line
 * of its own. 'empty' when it is blank lines and comments only.
 */
function parseYamlRegion(
  old: string,
  properties: readonly PropertyNode[],
  k: number,
  m: number,
  atEnd: boolean,
  oldRegion: string,
  newRegion: string,
): ParsedRegion | 'errors' | 'empty' | undefined {
  const indent = keyIndent(old, properties[k].key.offset);
  if (indent === undefined) return undefined;
  if (m + 1 < properties.length && keyIndent(old, properties[m + 1].key.offset) !== indent) return undefined;
  if (!atEnd && newRegion !== '' && !newRegion.endsWith('\n')) return undefined;
  if (hasAnchorOrAlias(oldRegion) || hasAnchorOrAlias(newRegion) || hasDocumentMarker(newRegion)) return undefined;
  if (BLANK_OR_COMMENT_LINES.test(newRegion)) return 'empty';
  if (structureCount(newRegion) + maxIndent(newRegion) > MAX_REGION_STRUCTURE) return undefined;
  const parsed = parseYamlText(newRegion);
  // With problems, the region is read as a region-isolated parse reads it (see parseYamlRegionsWithErrors).
  if (parsed.syntaxErrors.some((e) => e.severity === 'error')) return 'errors';
  const mapping = parsed.root;
  if (mapping?.type !== 'object' || mapping.properties.length === 0) return undefined;
  // An empty key (`  :`) is placed differently by a parse of the whole document: leave it to one.
  for (const p of mapping.properties)
    if (p.key.length === 0 || keyIndent(newRegion, p.key.offset) !== indent) return undefined;
  // Warnings (an unresolved tag...) are the region's own, as in a parse of the whole document.
  const end = mapping.offset + mapping.length;
  return { properties: mapping.properties, wrapperOffset: 0, end, errors: parsed.syntaxErrors };
}

/** Text of blank lines and comment lines only (nothing, too). */
const BLANK_OR_COMMENT_LINES = /^(?:[ \t\r]*(?:#[^\n]*)?\n)*[ \t\r]*(?:#[^\n]*)?$/;

/**
 * JSON: the region runs from the property's key to the next key, the separating comma included, or for the last one
 * to the closing brace. Parsed as `{` + region + `"":0}` (or `{` + region + `}`) it must give the region's properties
 * and the sentinel (or the closing brace) exactly where they are, with no error at the sentinel or at a property's
 * key after the first (a missing comma shows up there): the parser then reads the region as it does in the document.
 * Errors inside the region are kept. 'empty' when the region holds no property (whitespace, a stray comma...);
 * 'missingComma' when the only error at the sentinel is a missing comma (the region must be re-parsed with the next);
 * 'uncontained' when errors reach past the region (only a region-by-region reading keeps them there).
 */
function parseJsonRegion(
  newRegion: string,
  last: boolean,
): ParsedRegion | 'empty' | 'missingComma' | 'uncontained' | undefined {
  if (!structureAtMost(newRegion, 0, newRegion.length, MAX_REGION_STRUCTURE)) return undefined;
  const wrapped = last ? `{${newRegion}}` : `{${newRegion}"":0}`;
  const parsed = parseJsonText(wrapped);
  const wrapper = parsed.root;
  if (wrapper?.type !== 'object' || wrapper.offset !== 0 || wrapper.length !== wrapped.length) return 'uncontained';
  const properties = wrapper.properties.slice();
  const boundary = newRegion.length + 1;
  if (last) {
    if (!wrapper.closed) return 'uncontained';
  } else {
    const sentinel = properties.pop();
    if (sentinel?.key.value !== '' || sentinel.key.offset !== boundary || sentinel.value?.type !== 'number')
      return 'uncontained';
  }
  if (properties.length === 0) return 'empty';
  if (properties[0].key.offset !== 1) return 'uncontained';
  const keys = new Set(properties.slice(1).map((p) => p.key.offset));
  // A comma missing before the sentinel: the document's next key gets the error.
  const atSentinel = last ? [] : parsed.syntaxErrors.filter((e) => e.offset === boundary);
  if (atSentinel.length > 0)
    return atSentinel.length === 1 && atSentinel[0].message === JSON_COMMA_EXPECTED ? 'missingComma' : 'uncontained';
  // Errors up to the sentinel (excluded) or the closing brace (included: the document's brace gets the same ones);
  // at a key after the first only a missing comma's.
  const limit = last ? boundary + 1 : boundary;
  for (const e of parsed.syntaxErrors)
    if (
      e.offset < 1 ||
      e.offset + e.length > limit ||
      (!last && e.offset >= boundary) ||
      (keys.has(e.offset) && e.message !== JSON_COMMA_EXPECTED)
    )
      return 'uncontained';
  return { properties, wrapperOffset: 1, end: 0, errors: parsed.syntaxErrors };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The column of a key written at the start of its line after spaces only; undefined otherwise. */
function keyIndent(text: string, keyOffset: number): number | undefined {
  const from = lineStart(text, keyOffset);
  for (let i = from; i < keyOffset; i++) if (text.charCodeAt(i) !== 0x20) return undefined;
  return keyOffset - from;
}

function structureCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) n++; // [ { (tags are not counted: see MAX_REGION_STRUCTURE)
  }
  return n;
}

function maxIndent(text: string): number {
  let max = 0;
  let column = 0;
  let leading = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      column = 0;
      leading = true;
    } else if (leading && (c === 0x20 || c === 0x2d || c === 0x3f || c === 0x3a)) {
      column++;
      if (column > max) max = column;
    } else {
      leading = false;
    }
  }
  return max;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// ---------------------------------------------------------------------------------------------------------------
// The YAML nesting estimate (documentParser's yamlNestingEstimate) of a spliced document, without reading all of it.
//
// The estimate scans lines, carrying one number from line to line: how many flow collections are open, where a
// closing bracket never takes it below zero. So a span of whole lines acts on it in a fixed way, summarised by four
// numbers (NestingSummary), and the estimate of a document is a fold of the summaries of its spans. The spans of a
// template are the text before the first `Resources` entry, each entry from its key's line to the next key's line,
// and the last entry to the end; their summaries are kept under the nodes an incremental parse keeps (the root, the
// entries, `Resources`), so after an edit only the spans it touched are scanned again.

/** How a span of whole lines acts on the estimate's running state; see foldNesting. */
export interface NestingSummary {
  /** Brackets opened minus brackets closed over the span. */
  readonly net: number;
  /** The lowest value that difference reaches along the span, 0 or less. */
  readonly low: number;
  /** The span's largest value is max(2 * open + `rise`, `peak`), entered with `open` collections open. */
  readonly rise: number;
  readonly peak: number;
}

/**
 * Summarises `text[start, end)`, which must start at a line start and end at one (or at the end of the text). It
 * follows yamlNestingEstimate step by step, with the count of open collections on entry left as a variable: after
 * a prefix of the span whose difference of opened and closed brackets is `s` and lowest difference `low`, that count
 * is max(open + s, s - low) (a closing bracket at zero is ignored).
 */
export function nestingSummary(text: string, start: number, end: number): NestingSummary {
  let s = 0;
  let low = 0;
  let rise = -Infinity;
  let peak = -Infinity;
  let i = start;
  while (i < end) {
    let column = 0;
    while (i < end && text.charCodeAt(i) === 0x20) {
      i++;
      column++;
    }
    // Compact nested entries (`- - x`, `? a`, `- a: b`) start deeper on the same line.
    while (i < end) {
      const c = text.charCodeAt(i);
      const next = text.charCodeAt(i + 1);
      if (!((c === 0x2d || c === 0x3f || c === 0x3a) && (next === 0x20 || next === 0x0a))) break;
      i++;
      column++;
      while (i < end && text.charCodeAt(i) === 0x20) {
        i++;
        column++;
      }
    }
    rise = Math.max(rise, 2 * column + 2 * s);
    peak = Math.max(peak, 2 * column + 2 * (s - low));
    for (; i < end && text.charCodeAt(i) !== 0x0a; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5b || c === 0x7b) {
        s++;
        rise = Math.max(rise, 2 * column + 2 * s);
        peak = Math.max(peak, 2 * column + 2 * (s - low));
      } else if (c === 0x5d || c === 0x7d) {
        s--;
        if (s < low) low = s;
      }
    }
    i++;
  }
  return { net: s, low, rise, peak };
}

/** The estimate of a text made of spans with these summaries, in order. */
export function foldNesting(summaries: Iterable<NestingSummary>): number {
  let estimate = 0;
  let open = 0;
  for (const { net, low, rise, peak } of summaries) {
    estimate = Math.max(estimate, 2 * open + rise, peak);
    open = Math.max(open + net, net - low);
  }
  return estimate;
}

/** Summaries of a template's spans, under the node each span starts with (see above). */
const nestingSummaries = new WeakMap<object, NestingSummary>();

/**
 * The nesting estimate of a template's text from the summaries of its spans: the text before the first `Resources`
 * entry (kept under the root), each entry but the last (under the entry), and the last entry to the end of the text
 * (under `Resources`). A span whose summary is missing is scanned; the splice deletes those whose text it changed.
 */
/**
 * Computes ahead what the first incremental parse of a YAML template would compute first (the nesting summaries of
 * its entries: 20-25 ms for 5,000 resources), so that the first keystroke after an open does not wait for it. The
 * server runs it once it has published an opened document's diagnostics. Changes nothing a parse reads.
 */
export function prepareIncrementalParse(text: string, languageId: DocumentLanguageId, root: AstNode | undefined): void {
  if (languageId !== 'yaml' || root?.type !== 'object') return;
  const resourcesProperties = root.properties.filter((p) => p.key.value === 'Resources');
  const resources = resourcesProperties.length === 1 ? resourcesProperties[0].value : undefined;
  if (resources?.type !== 'object' || resources.properties.length === 0) return;
  documentNestingEstimate(text, root, resources);
}

function documentNestingEstimate(text: string, root: ObjectNode, resources: ObjectNode): number {
  const entries = resources.properties;
  const last = entries.length - 1;
  const spanStart = (i: number): number => lineStart(text, entries[i].key.offset);
  const summaryOf = (node: object, start: () => number, end: () => number): NestingSummary => {
    let s = nestingSummaries.get(node);
    if (!s) {
      s = nestingSummary(text, start(), end());
      nestingSummaries.set(node, s);
    }
    return s;
  };
  const summaries: NestingSummary[] = [
    summaryOf(
      root,
      () => 0,
      () => spanStart(0),
    ),
  ];
  for (let i = 0; i < last; i++) {
    summaries.push(
      summaryOf(
        entries[i],
        () => spanStart(i),
        () => spanStart(i + 1),
      ),
    );
  }
  summaries.push(
    summaryOf(
      resources,
      () => spanStart(last),
      () => text.length,
    ),
  );
  return foldNesting(summaries);
}
