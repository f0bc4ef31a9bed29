// `wildcard` patterns: `*` matches any run of characters (including none), `\*` a literal star, `\\` a
// backslash. Matching is by literal segments, never by backtracking, so hostile patterns stay linear-ish.

export interface WildcardPattern {
  /** The literal pieces between stars, decoded. */
  readonly segments: readonly string[];
  readonly startsWithStar: boolean;
  readonly endsWithStar: boolean;
  /** Total number of unescaped stars. */
  readonly stars: number;
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * Validates and compiles a wildcard value. Error positions are as EventBridge reports them: the UTF-8 byte offset
 * of the offending character in the value wrapped in quotes.
 */
export function compileWildcard(value: string): { ok: true; pattern: WildcardPattern } | { ok: false; message: string } {
  const segments: string[] = [];
  let current = '';
  let stars = 0;
  let lastWasStar = false;
  let startsWithStar = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      const next = value[i + 1];
      if (next !== '*' && next !== '\\') {
        return { ok: false, message: `Invalid escape character at pos ${utf8Length(value.slice(0, i)) + 1}` };
      }
      current += next;
      i++;
      lastWasStar = false;
      continue;
    }
    if (c === '*') {
      if (lastWasStar) {
        return { ok: false, message: `Consecutive wildcard characters at pos ${utf8Length(value.slice(0, i - 1)) + 1}` };
      }
      if (i === 0) startsWithStar = true;
      segments.push(current);
      current = '';
      stars++;
      lastWasStar = true;
      continue;
    }
    current += c;
    lastWasStar = false;
  }
  segments.push(current);
  return { ok: true, pattern: { segments, startsWithStar, endsWithStar: lastWasStar, stars } };
}

export function matchWildcard(p: WildcardPattern, s: string): boolean {
  const segs = p.segments;
  if (segs.length === 1) return s === segs[0];
  const first = segs[0];
  const last = segs[segs.length - 1];
  if (s.length < first.length + last.length) return false;
  if (!s.startsWith(first) || !s.endsWith(last)) return false;
  let pos = first.length;
  const limit = s.length - last.length;
  for (let i = 1; i < segs.length - 1; i++) {
    const seg = segs[i];
    const at = s.indexOf(seg, pos);
    if (at < 0 || at + seg.length > limit) return false;
    pos = at + seg.length;
  }
  return true;
}

/**
 * How many positions of the wildcard patterns of one field can be alive at once for a worst-case input: the
 * quantity EventBridge bounds ("Rule is too complex"). We simulate the patterns' NFA over every input symbol that
 * matters (each literal character, plus one standing for all others) and take the largest set of live positions.
 * Capped at `cap` so hostile patterns stay cheap.
 */
export function wildcardComplexity(patterns: readonly WildcardPattern[], cap = 64): number {
  const starred = patterns.filter((p) => p.stars > 0);
  if (starred.length === 1 && starred[0].stars === 1) return Math.min(cap, singleStarComplexity(starred[0]));
  return simulatedComplexity(patterns, cap);
}

/**
 * The measure for one pattern with one star, the common case, without simulating: before the star one position is
 * live at a time; after it, the star's position (counted twice) and every position j of the segment after it whose
 * first j characters end the input so far. Those j are the longest such one and its borders (prefixes that are also
 * suffixes), so the largest set is the longest chain of borders of a prefix of that segment (KMP's failure
 * function). Equal to simulatedComplexity for such patterns (a test holds them to it).
 */
function singleStarComplexity(p: WildcardPattern): number {
  // The engine sees the value wrapped in quotes; characters as the simulation reads them (code points).
  const after = Array.from(p.segments[1] + '"');
  const fail = new Array<number>(after.length + 1).fill(0);
  const chain = new Array<number>(after.length + 1).fill(0);
  let longest = 0;
  for (let m = 1; m <= after.length; m++) {
    if (m > 1) {
      let k = fail[m - 1];
      while (k > 0 && after[k] !== after[m - 1]) k = fail[k];
      fail[m] = after[k] === after[m - 1] ? k + 1 : 0;
    }
    chain[m] = 1 + chain[fail[m]];
    if (chain[m] > longest) longest = chain[m];
  }
  return 2 + longest;
}

/** The measure by simulating the patterns' automaton over every input symbol that matters (see wildcardComplexity). */
export function simulatedComplexity(patterns: readonly WildcardPattern[], cap = 64): number {
  // Each pattern is a list of literal characters; loops[i] is true when a star precedes literal i (or ends it).
  interface Nfa {
    chars: string[];
    loops: boolean[];
  }
  const nfas: Nfa[] = [];
  const alphabet = new Set<string>();
  for (const p of patterns) {
    if (p.stars === 0) continue;
    const chars: string[] = [];
    const loops: boolean[] = [];
    // The engine sees the value wrapped in quotes.
    const pieces = ['"' + p.segments[0], ...p.segments.slice(1, -1), p.segments[p.segments.length - 1] + '"'];
    pieces.forEach((piece, idx) => {
      if (idx > 0) loops[chars.length] = true;
      for (const ch of piece) {
        chars.push(ch);
        alphabet.add(ch);
      }
    });
    for (let i = 0; i <= chars.length; i++) loops[i] = loops[i] ?? false;
    nfas.push({ chars, loops });
  }
  if (nfas.length === 0) return 0;
  const symbols = [...alphabet, '\u0000other'];
  const keyOf = (sets: number[][]): string => sets.map((s) => s.join(',')).join('|');
  const start = nfas.map(() => [0]);
  const seen = new Set<string>([keyOf(start)]);
  const queue: number[][][] = [start];
  let best = 0;
  const maxSubsets = 20000;
  while (queue.length > 0 && seen.size <= maxSubsets) {
    const state = queue.shift()!;
    // Live positions that have consumed at least one symbol and can still reach a wildcard match.
    // A live position right after a star counts twice, as in EventBridge's own measure: the position itself and
    // the star's any-character loop are separate transitions there.
    const size = state.reduce((n, s, k) => n + s.reduce((m, pos) => m + (nfas[k].loops[pos] ? 2 : 1), 0), 0);
    best = Math.max(best, size);
    if (best >= cap) return cap;
    for (const sym of symbols) {
      const next = state.map((positions, k) => {
        const nfa = nfas[k];
        const out = new Set<number>();
        for (const pos of positions) {
          if (nfa.loops[pos]) out.add(pos);
          if (pos < nfa.chars.length && nfa.chars[pos] === sym) out.add(pos + 1);
        }
        return [...out].sort((a, b) => a - b);
      });
      const key = keyOf(next);
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(next);
      }
    }
  }
  return best;
}
