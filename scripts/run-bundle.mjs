// `npm run cli|server|bench`: runs a bundle, rebuilding it first when a source file is newer than the bundle,
// so a fresh checkout works right after `npm ci`.
import { statSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { buildBundles } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...rest] = process.argv.slice(2);
const out = join(root, 'dist', `${name}.js`);

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const srcTime = Math.max(newest(join(root, 'server/src')), statSync(join(root, 'package.json')).mtimeMs);
// The LSP benchmark starts the language server bundle, so that one must be fresh too.
const needed = name === 'lspBench' ? [name, 'server'] : [name];
const stale = needed.filter((b) => {
  const file = join(root, 'dist', `${b}.js`);
  return !existsSync(file) || statSync(file).mtimeMs < srcTime;
});
if (stale.length > 0 && existsSync(join(root, 'scripts/build-catalog.mjs'))) {
  const { spawnSync } = await import('node:child_process');
  spawnSync(process.execPath, [join(root, 'scripts/build-catalog.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
}
for (const b of stale) await buildBundles(b);
const child = spawn(process.execPath, [out, ...rest], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
