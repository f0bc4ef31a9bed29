// Moving a pattern site of a code document in place, for the next version of the document when the site's code did
// not change but text before it did (see codeSites.ts): its range, every house AST node it holds, and for a string
// site the map from the pattern's text to the document. Cheaper by far than reading the site again from the tree.

import type { AstNode, PropertyNode } from '../../engine/jsonAst';
import { shiftNodes } from '../parsing/yamlRegions';
import type { PatternSite, StringPatternSite, TextSpan } from './patternSites';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The document offsets behind a string site's `toDocumentOffset`, as its reader registered them (registerOffsets).
 * A string site whose reader registered none cannot be moved: it is read again.
 */
const stringSiteOffsets = new WeakMap<StringPatternSite, number[]>();

/** Says where a string site's `toDocumentOffset` reads its offsets, so that moveCodeSite can move them. */
export function registerOffsets(site: StringPatternSite, offsets: number[]): void {
  stringSiteOffsets.set(site, offsets);
}

/** True when moveCodeSite can move the site. */
export function canMoveCodeSite(site: PatternSite): boolean {
  return site.form === 'object' || stringSiteOffsets.has(site);
}

/** Moves a site of a code document by `delta` (see canMoveCodeSite). */
export function moveCodeSite(site: PatternSite, delta: number): void {
  if (delta === 0) return;
  (site.range as Mutable<TextSpan>).offset += delta;
  const roots: (AstNode | PropertyNode)[] = [site.node];
  if (site.valueNode !== site.node) roots.push(site.valueNode);
  shiftNodes(roots, delta);
  if (site.invalidSnsScope)
    (site.invalidSnsScope as Mutable<NonNullable<PatternSite['invalidSnsScope']>>).offset += delta;
  if (site.form === 'string') {
    const offsets = stringSiteOffsets.get(site);
    if (offsets) for (let i = 0; i < offsets.length; i++) offsets[i] += delta;
  }
}
