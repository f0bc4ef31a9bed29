// `npm run test:e2e`: the end-to-end tests in a real VS Code (test/vscode-kit: code-server's VS Code + headless
// chromium). Builds first when the bundles or the compiled tests are older than their sources.
// Then a second window, on a workspace holding only a Markdown file, checks that the extension stays inactive there.
//   node scripts/test-e2e.mjs [--results FILE]   FILE gets {"passed": N, "failed": N} (the second window counts as one)
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Hermetic: the editor under test inherits this environment, so none of the developer's or CI's AWS_* settings
// (region, profile, endpoint, keys) may reach it; the tests set what they need themselves.
for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
process.env.AWS_EC2_METADATA_DISABLED = 'true';
const kit = join(root, 'test', 'vscode-kit');
const launcher = join(kit, 'code-headless.mjs');
const workspace = join(root, 'test', 'fixtures', 'workspace');
const testsEntry = join(root, 'out', 'test', 'e2e', 'index.js');
const screenshot = join(root, 'test-artifacts', 'e2e-workbench.png');
const markdownWorkspace = join(root, 'test', 'fixtures', 'markdown-workspace');

/**
 * The test of the second window, written out as its `extensionTestsPath` module (so it runs in the extension host,
 * with `EXTENSION_ID` defined beside it). Opens the Markdown file and waits for the built-in Markdown extension, which
 * activates on `onLanguage:markdown`, so that the check comes after VS Code has acted on that event.
 */
async function checkInactive() {
  const vscode = require('vscode');
  const waitFor = async (condition, what) => {
    for (const deadline = Date.now() + 20_000; !condition(); await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    }
  };
  const ours = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ours) throw new Error(`${EXTENSION_ID} is not loaded`);
  const activeAtStartup = ours.isActive;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');
  await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, 'README.md'));
  const markdown = vscode.extensions.getExtension('vscode.markdown-language-features');
  await waitFor(() => markdown?.isActive, 'the built-in Markdown extension to activate');
  if (ours.isActive) {
    const when = activeAtStartup
      ? 'while the window started, before any document was opened (the extension host log names the event)'
      : 'when the Markdown file was opened';
    throw new Error(`${EXTENSION_ID} activated in a workspace holding only a Markdown file, ${when}`);
  }
  console.log(`${EXTENSION_ID} is inactive with a Markdown file open, as it should be`);
}

/**
 * The test of the third window: the same extension in a workspace opened in Restricted Mode. Patterns are still
 * validated, but nothing that talks to AWS or starts a server runs, and the workspace's endpoint/profile settings
 * are not used.
 */
async function checkUntrusted() {
  const vscode = require('vscode');
  const waitFor = async (condition, what) => {
    for (const deadline = Date.now() + 30_000; !condition(); await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    }
  };
  if (vscode.workspace.isTrusted) throw new Error('the workspace is trusted: this check needs Restricted Mode');
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');
  const uri = vscode.Uri.joinPath(folder.uri, 'broken.eventpattern.json');
  await vscode.window.showTextDocument(uri);
  const codeOf = (d) => (typeof d.code === 'object' && d.code !== null ? d.code.value : d.code);
  await waitFor(
    () => vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'EB313'),
    'the pattern diagnostic in Restricted Mode',
  );
  const sent = await vscode.commands.executeCommand('eventbridge.sendEvent', {
    eventBusName: 'default',
    text: JSON.stringify({ source: 'untrusted.e2e', 'detail-type': 'x', detail: {} }),
  });
  if (sent !== undefined) throw new Error(`Send Event ran in an untrusted workspace: ${JSON.stringify(sent)}`);
  const bus = await vscode.commands.executeCommand('eventbridge.startLocalBus');
  if (bus !== undefined) throw new Error(`the local bus started in an untrusted workspace: ${JSON.stringify(bus)}`);
  const stopped = await vscode.commands.executeCommand('eventbridge.stopLocalBus');
  if (stopped === true) throw new Error('a local bus was running in an untrusted workspace');
  console.log('Restricted Mode: the pattern is validated; Send Event and Start Local Bus are refused');
}

const argv = process.argv.slice(2);
const resultsArg = argv.indexOf('--results');
const resultsFile = resultsArg >= 0 && argv[resultsArg + 1] ? resolve(argv[resultsArg + 1]) : undefined;
if (resultsFile) rmSync(resultsFile, { force: true }); // never report a previous run's counts

// 1. The kit.
const kitReady =
  existsSync(join(kit, 'node_modules', '.kit-installed')) &&
  existsSync(join(kit, 'node_modules', 'code-server', 'out', 'node', 'entry.js')) &&
  existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium');
if (!kitReady) {
  console.error(
    'The headless VS Code kit is not installed: run `bash test/vscode-kit/install.sh` (about a minute), then try again.',
  );
  process.exit(1);
}

// 2. Build when something is stale.
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}
const sourceTime = Math.max(
  ...['client/src', 'server/src', 'test/e2e', 'package.json', 'tsconfig.json'].map((p) => newest(join(root, p))),
);
const outputs = ['dist/extension.js', 'dist/server.js', 'out/test/e2e/index.js'].map((p) => join(root, p));
if (outputs.some((p) => !existsSync(p) || statSync(p).mtimeMs < sourceTime)) {
  console.log('[e2e] building (node scripts/build.mjs)');
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('[e2e] the build failed');
    process.exit(1);
  }
}

// 3. Run. A fresh profile each time, so no editor state leaks from one run into the next.
mkdirSync(dirname(screenshot), { recursive: true });
const countsFile = join(mkdtempSync(join(tmpdir(), 'eventbridge-e2e-')), 'results.json');
const profile = mkdtempSync(join(tmpdir(), 'eventbridge-e2e-profile-'));
const started = Date.now();
let exitCode = 0;
try {
  await runTests({
    vscodeExecutablePath: launcher,
    extensionDevelopmentPath: root,
    extensionTestsPath: testsEntry,
    launchArgs: [
      workspace,
      '--disable-extensions',
      `--user-data-dir=${profile}`,
      `--extensions-dir=${join(profile, 'extensions')}`,
    ],
    extensionTestsEnv: {
      EVENTBRIDGE_E2E_RESULTS: countsFile,
      CODE_HEADLESS_SCREENSHOT: screenshot,
      CODE_HEADLESS_TIMEOUT: process.env.CODE_HEADLESS_TIMEOUT ?? '300',
      AWS_EC2_METADATA_DISABLED: 'true',
      // `EVENTBRIDGE_E2E_ONLY=codeFiles npm run test:e2e` runs only the e2e files whose names contain it.
      EVENTBRIDGE_E2E_ONLY: process.env.EVENTBRIDGE_E2E_ONLY ?? '',
    },
  });
} catch (error) {
  exitCode = 1;
  console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
} finally {
  rmSync(profile, { recursive: true, force: true });
}

// 3b. A workspace holding only a Markdown file: the extension must stay inactive there (its activation events are not
// too broad). A separate window, because activation cannot be undone within one.
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const inactiveEntry = join(dirname(countsFile), 'inactive-check.js');
writeFileSync(
  inactiveEntry,
  `const EXTENSION_ID = ${JSON.stringify(`${manifest.publisher}.${manifest.name}`)};\nexports.run = ${checkInactive};\n`,
);
const markdownProfile = mkdtempSync(join(tmpdir(), 'eventbridge-e2e-profile-'));
let inactiveResult = 'failed';
try {
  await runTests({
    vscodeExecutablePath: launcher,
    extensionDevelopmentPath: root,
    extensionTestsPath: inactiveEntry,
    launchArgs: [
      markdownWorkspace,
      '--disable-extensions',
      `--user-data-dir=${markdownProfile}`,
      `--extensions-dir=${join(markdownProfile, 'extensions')}`,
    ],
    extensionTestsEnv: { CODE_HEADLESS_TIMEOUT: '120' },
  });
  inactiveResult = 'passed';
} catch (error) {
  exitCode = 1;
  console.error(`[e2e] markdown-only workspace: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  rmSync(markdownProfile, { recursive: true, force: true });
}
console.log(`[e2e] markdown-only workspace: the extension stays inactive: ${inactiveResult}`);

// 3c. A workspace opened in Restricted Mode (workspace trust on): validation works, AWS and the local bus do not.
const untrustedWorkspace = join(root, 'test', 'fixtures', 'untrusted-workspace');
const untrustedEntry = join(dirname(countsFile), 'untrusted-check.js');
writeFileSync(untrustedEntry, `exports.run = ${checkUntrusted};\n`);
const untrustedProfile = mkdtempSync(join(tmpdir(), 'eventbridge-e2e-profile-'));
let untrustedResult = 'failed';
try {
  await runTests({
    vscodeExecutablePath: launcher,
    extensionDevelopmentPath: root,
    extensionTestsPath: untrustedEntry,
    launchArgs: [
      untrustedWorkspace,
      '--disable-extensions',
      `--user-data-dir=${untrustedProfile}`,
      `--extensions-dir=${join(untrustedProfile, 'extensions')}`,
    ],
    extensionTestsEnv: { CODE_HEADLESS_TIMEOUT: '120', CODE_HEADLESS_UNTRUSTED: '1' },
  });
  untrustedResult = 'passed';
} catch (error) {
  exitCode = 1;
  console.error(`[e2e] untrusted workspace: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  rmSync(untrustedProfile, { recursive: true, force: true });
}
console.log(
  `[e2e] untrusted workspace (Restricted Mode): validation on, AWS and the local bus refused: ${untrustedResult}`,
);

// 4. Counts, plus one check only possible from outside: no language server of ours outlived the editor.
const results = existsSync(countsFile) ? JSON.parse(readFileSync(countsFile, 'utf8')) : { passed: 0, failed: 1 };
results[inactiveResult] += 1;
results[untrustedResult] += 1;
rmSync(dirname(countsFile), { recursive: true, force: true });
const serverBundle = join(root, 'dist', 'server.js');
const leftovers = readdirSync('/proc').filter((pid) => {
  if (!/^\d+$/.test(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(serverBundle);
  } catch {
    return false;
  }
});
if (leftovers.length > 0) {
  console.error(`[e2e] language server process(es) left running after VS Code closed: ${leftovers.join(', ')}`);
  results.failed += 1;
}
if (resultsFile) writeFileSync(resultsFile, JSON.stringify(results) + '\n');
console.log(`[e2e] ${((Date.now() - started) / 1000).toFixed(1)} s; screenshot ${screenshot}`);
console.log(`e2e: ${results.passed} passed, ${results.failed} failed`);
process.exit(exitCode !== 0 || results.failed > 0 ? 1 : 0);
