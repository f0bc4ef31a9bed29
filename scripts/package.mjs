// `npm run package`: production bundles + the event catalog, packaged by @vscode/vsce into
// eventbridge-patterns-<version>.vsix. Checks what ships: only the whitelisted files (.vscodeignore starts with
// `**`), no dependencies (everything is bundled), under 5 MB.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${pkg.name}-${pkg.version}.vsix`);
const MAX_BYTES = 5 * 1024 * 1024;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(process.execPath, ['scripts/build-catalog.mjs']);
run(process.execPath, ['scripts/build.mjs', '--bundles-only', '--production']);
run(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', out]);

const listing = spawnSync('unzip', ['-Z1', out], { encoding: 'utf8' });
const files = listing.status === 0 ? listing.stdout.split('\n').filter(Boolean) : [];
const allowed = /^(extension\.vsixmanifest|\[Content_Types\]\.xml|extension\/(package\.json|readme\.md|changelog\.md|LICENSE(\.txt)?|dist\/(extension|server|cli)\.js|dist\/grammars\/tree-sitter(-[a-z]+)?\.wasm|server\/generated\/catalog\.json|syntaxes\/.+|snippets\/.+|media\/.+))$/i;
const unexpected = files.filter((f) => !allowed.test(f));
const size = statSync(out).size;
console.log(`package: ${out} (${(size / 1024).toFixed(0)} KiB, ${files.length} files)`);
if (files.length === 0) console.log('package: unzip not available; contents not checked');
if (unexpected.length > 0) {
  console.error(`package: files that should not ship:\n  ${unexpected.join('\n  ')}`);
  process.exit(1);
}
if (size > MAX_BYTES) {
  console.error(`package: ${size} bytes is over the ${MAX_BYTES}-byte budget`);
  process.exit(1);
}
