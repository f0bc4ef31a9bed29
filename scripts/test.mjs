// `npm test`: builds, runs the unit tests (node:test on the compiled output) and, unless --unit is given, the
// end-to-end tests in a real VS Code; ends with one plain line `N passed, N failed` over everything that ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const env = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' };

function run(cmd, cmdArgs, extraEnv = {}) {
  return spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } }).status ?? 1;
}

if (run(process.execPath, ['scripts/build.mjs']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

mkdirSync(join(root, 'out'), { recursive: true });
const tap = join(root, 'out', 'unit-results.tap');
const unitStatus = run(process.execPath, [
  '--test',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tap}`,
  'out/test/unit/',
]);
let passed = 0;
let failed = 0;
const tapText = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
passed += Number(/^# pass (\d+)/m.exec(tapText)?.[1] ?? 0);
failed += Number(/^# fail (\d+)/m.exec(tapText)?.[1] ?? 0);
if (unitStatus !== 0 && failed === 0) failed = 1;

let e2eStatus = 0;
if (!args.has('--unit') && existsSync(join(root, 'scripts/test-e2e.mjs'))) {
  const results = join(root, 'out', 'e2e-results.json');
  e2eStatus = run(process.execPath, ['scripts/test-e2e.mjs', '--results', results]);
  if (existsSync(results)) {
    const r = JSON.parse(readFileSync(results, 'utf8'));
    passed += r.passed;
    failed += r.failed;
  }
  if (e2eStatus !== 0 && !existsSync(results)) failed += 1;
}
let uiStatus = 0;
if (!args.has('--unit') && existsSync(join(root, 'test/vscode-kit/node_modules/code-server'))) {
  // UI-level checks drive the packaged extension in the workbench.
  const results = join(root, 'out', 'ui-results.json');
  uiStatus = run(process.execPath, ['scripts/package.mjs']);
  if (uiStatus === 0) {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    uiStatus = run(process.execPath, ['test/ui/workbench.ui.mjs', `${pkg.name}-${pkg.version}.vsix`, '--results', results]);
  }
  if (existsSync(results)) {
    const r = JSON.parse(readFileSync(results, 'utf8'));
    passed += r.passed;
    failed += r.failed;
  } else if (uiStatus !== 0) failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(unitStatus !== 0 || e2eStatus !== 0 || uiStatus !== 0 || failed > 0 ? 1 : 0);
