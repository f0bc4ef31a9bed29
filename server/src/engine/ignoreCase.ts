// Case-insensitive comparison as EventBridge does it: each character of the pattern matches its lower-case or its
// upper-case form (so "ß" matches "SS"), compared character by character, not by folding whole strings.

function variants(ch: string): string[] {
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  return lower === upper ? [lower] : ch === lower || ch === upper ? [lower, upper] : [ch, lower, upper];
}

const cache = new Map<string, string[][]>();

function alternatives(pattern: string): string[][] {
  let alts = cache.get(pattern);
  if (!alts) {
    alts = [...pattern].map(variants);
    if (cache.size > 10000) cache.clear();
    cache.set(pattern, alts);
  }
  return alts;
}

/** Positions in `s` reachable after matching all of `pattern` from `start` (forwards). */
function forward(pattern: string, s: string, start: number): Set<number> {
  let positions = new Set<number>([start]);
  for (const alts of alternatives(pattern)) {
    const next = new Set<number>();
    for (const p of positions) for (const a of alts) if (s.startsWith(a, p)) next.add(p + a.length);
    if (next.size === 0) return next;
    positions = next;
  }
  return positions;
}

export function equalsIgnoreCase(pattern: string, s: string): boolean {
  return forward(pattern, s, 0).has(s.length);
}

export function startsWithIgnoreCase(s: string, prefix: string): boolean {
  return forward(prefix, s, 0).size > 0;
}

export function endsWithIgnoreCase(s: string, suffix: string): boolean {
  const alts = alternatives(suffix);
  let positions = new Set<number>([s.length]);
  for (let i = alts.length - 1; i >= 0; i--) {
    const next = new Set<number>();
    for (const p of positions)
      for (const a of alts[i]) if (p >= a.length && s.startsWith(a, p - a.length)) next.add(p - a.length);
    if (next.size === 0) return false;
    positions = next;
  }
  return true;
}
