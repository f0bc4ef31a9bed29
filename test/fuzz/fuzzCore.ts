// Fuzzing: mutated patterns, events and documents (seeded from the conformance cases and the fixture templates)
// against the engine, the compiled matcher and the language service. Invariants: no exception escapes; the
// compiled matcher and the reference engine agree; the CLI-facing first error is one of the reported problems.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analyzePatternText,
  compilePattern,
  matchesEventNode,
  parseEventText,
  explainEvent,
  MatchBudgetExceeded,
  type CompiledPattern,
} from '../../server/src/engine';
import { CompiledRuleSet } from '../../server/src/engine/compiled/ruleSet';
import { getLanguageService } from '../../server/src/languageservice/languageService';

/** A small deterministic PRNG (mulberry32), so failures reproduce from the seed. */
export function rng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = ['{', '}', '[', ']', ',', ':', '"', '\\', '*', '**', '$or', 'prefix', 'suffix', 'numeric', 'anything-but', 'exists', 'wildcard', 'cidr', 'equals-ignore-case', '1e400', '-0', 'NaN', 'null', 'true', '\uD800', '\u0000', '\n', '  ', '!Ref ', '!Sub ', '&a', '*a', '<<: ', '- ', '"$or":[{"a":["1"]},{"b":["2"]}]', '[{"numeric":[">",0,"<=",5]}]', '10.0.0.0/8', '::1'];

/** One random edit: insert a token, delete a run, duplicate a slice, or swap two slices. */
export function mutate(text: string, r: () => number): string {
  const pos = Math.floor(r() * (text.length + 1));
  switch (Math.floor(r() * 5)) {
    case 0:
      return text.slice(0, pos) + TOKENS[Math.floor(r() * TOKENS.length)] + text.slice(pos);
    case 1:
      return text.slice(0, pos) + text.slice(pos + 1 + Math.floor(r() * 8));
    case 2: {
      const len = Math.floor(r() * 40);
      return text.slice(0, pos) + text.slice(pos, pos + len) + text.slice(pos);
    }
    case 3:
      return text.slice(0, pos) + String.fromCharCode(Math.floor(r() * 0x10000)) + text.slice(pos + 1);
    default: {
      const other = Math.floor(r() * (text.length + 1));
      const [a, b] = pos < other ? [pos, other] : [other, pos];
      return text.slice(0, a) + text.slice(b) + text.slice(a, b);
    }
  }
}

export interface Corpus {
  readonly patterns: string[];
  readonly events: string[];
  readonly documents: { name: string; text: string }[];
}

export function loadCorpus(repoRoot: string): Corpus {
  const cases = ['aws-recorded.json', 'event-ruler.json'].flatMap(
    (f) => JSON.parse(readFileSync(join(repoRoot, 'test/conformance', f), 'utf8')) as { patternText: string; eventText: string }[],
  );
  const dir = join(repoRoot, 'test/fixtures/templates');
  const documents = readdirSync(dir).map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
  return {
    patterns: [...new Set(cases.map((c) => c.patternText))],
    events: [...new Set(cases.map((c) => c.eventText))],
    documents,
  };
}

export interface FuzzStats {
  patterns: number;
  matches: number;
  documents: number;
  slowestMs: number;
  slowestInput: string;
}

/** Runs `iterations` rounds; throws (with the seed and input) on the first broken invariant. */
export function fuzz(corpus: Corpus, iterations: number, seed: number): FuzzStats {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const stats: FuzzStats = { patterns: 0, matches: 0, documents: 0, slowestMs: 0, slowestInput: '' };
  const ls = getLanguageService();
  const timed = (input: string, f: () => void): void => {
    const t0 = process.hrtime.bigint();
    f();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms > stats.slowestMs) {
      stats.slowestMs = ms;
      stats.slowestInput = input.slice(0, 200);
    }
  };
  for (let i = 0; i < iterations; i++) {
    let pattern = pick(corpus.patterns);
    for (let k = Math.floor(r() * 4); k > 0; k--) pattern = mutate(pattern, r);
    let event = pick(corpus.events);
    for (let k = Math.floor(r() * 3); k > 0; k--) event = mutate(event, r);
    const where = `seed ${seed}, iteration ${i}: pattern ${JSON.stringify(pattern)} event ${JSON.stringify(event)}`;
    try {
      timed(pattern, () => {
        const a = analyzePatternText(pattern);
        stats.patterns++;
        if (a.awsError && !a.problems.includes(a.awsError)) throw new Error('the AWS error is not among the problems');
        const c = compilePattern(pattern);
        if (c.ok !== (a.pattern !== undefined && !a.problems.some((p) => p.severity === 'error'))) {
          throw new Error('compilePattern and analyzePatternText disagree on validity');
        }
        const ev = parseEventText(event);
        if (c.ok && ev.ok) {
          checkAgreement(c.pattern, ev.event, where);
          stats.matches++;
        }
      });
      if (i % 4 === 0) {
        const doc = pick(corpus.documents);
        let text = doc.text;
        for (let k = 1 + Math.floor(r() * 5); k > 0; k--) text = mutate(text, r);
        timed(text, () => {
          const d = TextDocument.create(`file:///fuzz/${doc.name}`, doc.name.endsWith('.json') ? 'json' : 'yaml', i, text);
          ls.doValidation(d);
          const at = d.positionAt(Math.floor(r() * (text.length + 1)));
          ls.doComplete(d, at);
          ls.doHover(d, at);
          ls.doCodeActions(d, { start: at, end: at }, { diagnostics: [] });
          ls.doCodeLens(d);
          stats.documents++;
        });
      }
    } catch (e) {
      if (e instanceof MatchBudgetExceeded) continue; // a bounded refusal is an answer
      throw new Error(`${(e as Error).message}\n  at ${where}\n${(e as Error).stack ?? ''}`);
    }
  }
  return stats;
}

function checkAgreement(pattern: CompiledPattern, event: ReturnType<typeof parseEventText> extends infer R ? (R extends { ok: true; event: infer E } ? E : never) : never, where: string): void {
  const reference = matchesEventNode(pattern, event);
  const set = CompiledRuleSet.compile([{ name: 'p', pattern }]);
  const compiled = set.matchNode(event).length === 1;
  if (reference !== compiled) throw new Error(`reference says ${reference}, compiled matcher says ${compiled} (${where})`);
  const explained = explainEvent(pattern, event);
  if (explained.matched !== reference) throw new Error(`explanation says ${explained.matched}, matcher says ${reference}`);
}
