// "Did you mean …?" for misspelt sources, detail-types and field names.

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. Stops early and
 * returns `limit + 1` once the distance is known to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  if (s === t) return 0;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prevPrev[j - 2] + 1);
      row.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[t.length];
}

/** The default tolerance: one edit per three characters, at least one. */
export function defaultMaxDistance(name: string): number {
  return Math.max(1, Math.floor(name.length / 3));
}

/**
 * The candidate closest to `name` (case-insensitive edit distance), if one is within `maxDistance`. A candidate equal
 * to `name` is never suggested, since the caller only asks when `name` was not found; one differing only in case is.
 * Ties go to the earliest candidate.
 */
export function suggest(
  name: string,
  candidates: Iterable<string>,
  maxDistance: number = defaultMaxDistance(name),
): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name, c, bestDistance - 1);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      if (d === 0) break;
    }
  }
  return best;
}
