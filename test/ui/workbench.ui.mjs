// UI-level checks in the real workbench (code-server's VS Code in headless Chromium, driven by playwright-core):
// the packaged .vsix is installed; a broken pattern's diagnostic shows in the Problems panel; the command palette
// lists our commands; a screenshot is saved for people to look at. Prints `N passed, N failed` and writes
// {"passed","failed"} to the file given with --results.
//   node test/ui/workbench.ui.mjs <vsix> --results <file> [--screenshot <png>]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// Hermetic: the editor under test inherits this environment, so none of the developer's or CI's AWS_* settings
// (region, profile, endpoint, keys) may reach it; the tests set what they need themselves.
for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const kit = join(root, 'test/vscode-kit');
const { chromium } = createRequire(join(kit, 'package.json'))('playwright-core');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const vsix = resolve(args[0]);
const resultsFile = opt('--results', undefined);
const png = resolve(opt('--screenshot', join(root, 'test-artifacts/workbench-ui.png')));
const folder = join(root, 'test/fixtures/ui-workspace');
const entry = join(kit, 'node_modules/code-server/out/node/entry.js');

const ud = mkdtempSync(join(tmpdir(), 'ebp-ui-'));
writeFileSync(join(ud, 'config.yaml'), 'auth: none\ncert: false\n');
mkdirSync(join(ud, 'User'), { recursive: true });
writeFileSync(join(ud, 'User/settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false, 'security.workspace.trust.enabled': false, 'git.openRepositoryInParentFolders': 'never',
}));
const base = [entry, '--config', join(ud, 'config.yaml'), '--user-data-dir', ud, '--extensions-dir', join(ud, 'extensions')];
const results = [];
const record = (name, ok, detail = '') => {
  results.push(ok);
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? `: ${detail}` : ''}`);
};

const inst = spawnSync(process.execPath, [...base, '--install-extension', vsix], { encoding: 'utf8' });
record('the packaged extension installs', inst.status === 0, inst.status === 0 ? '' : inst.stderr.slice(-500));

const server = spawn(process.execPath, [...base, '--auth', 'none', '--bind-addr', '127.0.0.1:0', '--disable-telemetry',
  '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened'],
  { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, EXTENSIONS_GALLERY: '{}' } });
let out = '';
let browser;
async function stop() {
  await browser?.close().catch(() => {});
  try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ }
  for (let i = 0; i < 50; i++) {
    try { process.kill(-server.pid, 0); } catch { break; }
    await new Promise((r) => setTimeout(r, 100));
  }
  try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ }
  rmSync(ud, { recursive: true, force: true });
}
try {
  const url = await new Promise((res, rej) => {
    const on = (d) => { out += d; const m = /HTTP server listening on (http:\/\/\S+\/)/.exec(out); if (m) res(m[1]); };
    server.stdout.on('data', on);
    server.stderr.on('data', on);
    server.on('exit', (c) => rej(new Error(`code-server exited ${c}\n${out}`)));
  });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(`${url}?folder=${encodeURIComponent(folder)}`);
  await page.locator('.explorer-folders-view').waitFor({ timeout: 90_000 });

  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type('broken.eventpattern.json');
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab[aria-label*="broken.eventpattern.json"]').waitFor({ timeout: 30_000 });

  await page.keyboard.press('Control+Shift+M');
  let problemsOk = true;
  try {
    await page.locator('.markers-panel').getByText('Value of > must be numeric', { exact: false }).first().waitFor({ timeout: 60_000 });
  } catch { problemsOk = false; }
  record('the Problems panel shows the pattern diagnostic in AWS wording', problemsOk);

  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type('EventBridge:');
  let paletteOk = true;
  let count = 0;
  try {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'EventBridge: Show Output' }).first().waitFor({ timeout: 30_000 });
    count = await page.locator('.quick-input-list .monaco-list-row', { hasText: 'EventBridge:' }).count();
  } catch { paletteOk = false; }
  record('the command palette lists the EventBridge commands', paletteOk && count >= 2, `${count} listed`);
  await page.keyboard.press('Escape');
  mkdirSync(dirname(png), { recursive: true });
  await page.screenshot({ path: png });
  console.log(`screenshot: ${png}`);
} catch (e) {
  record('the workbench loads', false, e.message);
} finally {
  await stop();
}
const passed = results.filter(Boolean).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ passed, failed }));
process.exit(failed === 0 ? 0 : 1);
