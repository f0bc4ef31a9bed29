// `node out/server/src/bench/terraformBench.js [--rules N] [--edits N]`: the cost of reading a generated Terraform
// file's patterns after one edit (a letter changed inside a pattern): tree-sitter's full parse against its incremental
// re-parse of the edited tree (`Tree.edit`), each followed by finding the sites. Prints p50/p95; never a test.

import type { Point, Tree } from 'web-tree-sitter';
import { findTerraformSites, loadGrammar, parseCode } from '../languageservice';
import { generateTerraformFile } from './terraformWorkload';
import { percentile } from './lspSession';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function pointAt(text: string, offset: number): Point {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { row: before.split('\n').length - 1, column: offset - lastBreak - 1 };
}

async function main(): Promise<void> {
  const rules = option('rules', 200);
  const edits = option('edits', 200);
  await loadGrammar('terraform');
  let text = generateTerraformFile({ rules });
  const lines = text.split('\n').length;
  let tree: Tree = parseCode('terraform', text)!;
  const sites = findTerraformSites(tree, text, 'file:///bench/main.tf').sites.length;
  const full: number[] = [];
  const incremental: number[] = [];
  const findOnly: number[] = [];
  // The edits: the digit in "Detail Type N" of a rule spread over the file, changed to another digit.
  const anchors = [...text.matchAll(/Detail Type (\d)/g)].map((m) => m.index + 'Detail Type '.length);
  for (let n = 0; n < edits; n++) {
    const at = anchors[(n * 7919) % anchors.length];
    const digit = String((Number(text[at]) + 1) % 10);
    const next = text.slice(0, at) + digit + text.slice(at + 1);

    let start = performance.now();
    const fresh = parseCode('terraform', next)!;
    findTerraformSites(fresh, next, 'file:///bench/main.tf');
    full.push(performance.now() - start);
    fresh.delete();

    start = performance.now();
    tree.edit({
      startIndex: at,
      oldEndIndex: at + 1,
      newEndIndex: at + 1,
      startPosition: pointAt(text, at),
      oldEndPosition: pointAt(text, at + 1),
      newEndPosition: pointAt(next, at + 1),
    });
    const reparsed = parseCode('terraform', next, tree)!;
    const parsedAt = performance.now();
    findTerraformSites(reparsed, next, 'file:///bench/main.tf');
    const end = performance.now();
    incremental.push(end - start);
    findOnly.push(end - parsedAt);
    tree.delete();
    tree = reparsed;
    text = next;
  }
  const row = (name: string, values: number[]): string =>
    `${name.padEnd(42)} p50 ${percentile(values, 0.5).toFixed(1).padStart(6)} ms   p95 ${percentile(values, 0.95).toFixed(1).padStart(6)} ms`;
  console.log(`Terraform file: ${lines} lines, ${text.length} characters, ${sites} pattern sites; ${edits} edits`);
  console.log(row('full parse + find sites', full));
  console.log(row('incremental parse (Tree.edit) + find sites', incremental));
  console.log(row('  of which finding the sites', findOnly));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
