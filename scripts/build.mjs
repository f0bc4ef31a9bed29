// Builds everything: type-checked output for the tests (tsc -> out/) and the shipped bundles (esbuild -> dist/).
// Safe to run again at any time.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));

export const bundles = [
  // The banner stamps when the bundle starts evaluating, so activate() can report its whole activation time.
  { name: 'extension', entry: 'client/src/extension.ts', external: ['vscode'], banner: 'globalThis.__ebpLoadStart = Date.now();' },
  { name: 'server', entry: 'server/src/languageserver/main.ts' },
  // The package's bin (`eventbridge-patterns`): npm links it as an executable, so it starts with a shebang.
  { name: 'cli', entry: 'server/src/cli/main.ts', banner: '#!/usr/bin/env node' },
  { name: 'bench', entry: 'server/src/bench/main.ts' },
  { name: 'lspBench', entry: 'server/src/bench/lspBench.ts' },
];

/** The WebAssembly files of web-tree-sitter and the code grammars (server/src/languageservice/parsing/codeGrammars.ts). */
const GRAMMAR_FILES = [
  'web-tree-sitter/tree-sitter.wasm',
  'tree-sitter-typescript/tree-sitter-typescript.wasm',
  'tree-sitter-typescript/tree-sitter-tsx.wasm',
  'tree-sitter-python/tree-sitter-python.wasm',
  '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm',
];

/** Puts the grammars beside the bundles, where the server and the CLI look for them first. */
export function copyGrammars() {
  mkdirSync(join(root, 'dist', 'grammars'), { recursive: true });
  for (const file of GRAMMAR_FILES) {
    copyFileSync(join(root, 'node_modules', file), join(root, 'dist', 'grammars', file.split('/').pop()));
  }
}

export async function buildBundles(only) {
  copyGrammars();
  for (const b of bundles) {
    if (only && b.name !== only) continue;
    if (!existsSync(join(root, b.entry))) continue;
    await build({
      entryPoints: [join(root, b.entry)],
      outfile: join(root, 'dist', `${b.name}.js`),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // jsonc-parser's UMD build breaks bundling: prefer the ES module entry.
      mainFields: ['module', 'main'],
      // web-tree-sitter's ES module finds itself through import.meta.url, which a CommonJS bundle does not have.
      alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
      absWorkingDir: root,
      external: b.external ?? [],
      sourcemap: true,
      minify: args.has('--production'),
      ...(b.banner ? { banner: { js: b.banner } } : {}),
      logLevel: 'warning',
    });
  }
}

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (existsSync(join(root, 'scripts/build-catalog.mjs'))) run(process.execPath, ['scripts/build-catalog.mjs']);
  if (!args.has('--bundles-only')) run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', '.']);
  await buildBundles();
}
