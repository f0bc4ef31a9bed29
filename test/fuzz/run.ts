// `npm run fuzz -- [--iterations N] [--seed S]`: a long fuzz run (the test suite runs a short one).
import { fuzz, loadCorpus } from './fuzzCore';
import { join } from 'node:path';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const iterations = arg('iterations', 50_000);
const seed = arg('seed', Date.now() % 1_000_000);
const corpus = loadCorpus(join(__dirname, '../../..'));
const t0 = Date.now();
console.log(`fuzz: ${iterations} iterations, seed ${seed}`);
try {
  const s = fuzz(corpus, iterations, seed);
  console.log(
    `fuzz: ok in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${s.patterns} patterns, ${s.matches} matcher comparisons, ${s.documents} documents; slowest input ${s.slowestMs.toFixed(1)} ms`,
  );
} catch (e) {
  console.error(`fuzz: FAILED\n${(e as Error).message}`);
  process.exitCode = 1;
}
