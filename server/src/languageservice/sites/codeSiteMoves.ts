// Moving a pattern site of a code document in place, for the next version of the document when the site's code did
// not change but text before it did (see codeSites.ts): its range, every house AST node it holds, and for a string
// site the map from the pattern's text to the document. Cheaper by far than reading the site again from the tree.

import type { AstNode, PropertyNode } from '../../engine/jsonAst';
import { detachedSlice, shiftNodes } from '../parsing/yamlRegions';
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

/** V8 copies shorter slices; longer ones are views that keep the whole string they were cut from alive. */
const SLICE_MIN_LENGTH = 13;

/** Every string field of an object longer than a copied slice, made a copy of its own (see detachedSlice). */
function detachFields(o: Record<string, unknown>): void {
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (typeof v === 'string' && v.length >= SLICE_MIN_LENGTH) o[key] = detachedSlice(v, 0, v.length);
  }
}

/**
 * Makes the strings a freshly read site holds (values, keys, descriptions of unknown values, its name) copies of their
 * own. A reader cuts them out of the document's text, and V8 keeps a slice of a long string as a view of it: a site
 * carried over through many versions would keep the text of the version it was read in alive, one text per site
 * read again (tens of MB on a 5,000-line file after a few hundred edits).
 */
export function detachCodeSite(site: PatternSite): void {
  detachFields(site as unknown as Record<string, unknown>);
  if (site.form === 'string') for (const s of site.substitutions) detachFields(s as unknown as Record<string, unknown>);
  if (site.invalidSnsScope) detachFields(site.invalidSnsScope);
  const seen = new Set<object>();
  const stack: (AstNode | PropertyNode)[] = [site.node, site.valueNode];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    detachFields(node as unknown as Record<string, unknown>);
    switch (node.type) {
      case 'property':
        stack.push(node.key);
        if (node.value) stack.push(node.value);
        break;
      case 'object':
        stack.push(...node.properties);
        break;
      case 'array':
        stack.push(...node.items);
        break;
      case 'unknown': {
        const argument = (node as { argument?: AstNode }).argument;
        if (argument) stack.push(argument);
        break;
      }
    }
  }
}
