// Builds everything: type-checked output for the tests (tsc -> out/) and the shipped bundles (esbuild -> dist/).
// Safe to run again at any time.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

export async function buildBundles(only) {
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
