// `npm start`: builds and packages the extension, installs it into the bundled VS Code (code-server, from
// test/vscode-kit), starts the embedded local bus with the examples' templates, opens examples/ and prints the
// URL to open. Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kit = join(root, 'test/vscode-kit');
const entry = join(kit, 'node_modules/code-server/out/node/entry.js');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `${pkg.name}-${pkg.version}.vsix`);
const examples = join(root, 'examples');
const state = join(root, '.vscode-start');
const children = [];

function step(message) {
  console.log(`[start] ${message}`);
}

function runOrExit(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[start] ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

function stopAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

/** Starts a child in its own process group and resolves with the first output line matching `ready`. */
function startChild(name, cmd, args, ready, env = process.env) {
  const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let seen = '';
  return new Promise((resolve, reject) => {
    const onData = (data) => {
      seen += data;
      const m = ready.exec(seen);
      if (m) resolve(m);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => {
      onData(d);
      process.stderr.write(`[${name}] ${d}`);
    });
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${seen.slice(-2000)}`)));
  });
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    step('stopping');
    stopAll();
    process.exit(0);
  });
}

if (!existsSync(entry)) {
  step('installing the bundled VS Code (test/vscode-kit, about a minute the first time)');
  runOrExit('bash', [join(kit, 'install.sh')], 'installing the VS Code kit');
}

step('building and packaging the extension');
runOrExit(process.execPath, ['scripts/package.mjs'], 'packaging');

const userData = join(state, 'user-data');
mkdirSync(join(userData, 'User'), { recursive: true });
const config = join(state, 'config.yaml');
writeFileSync(config, 'auth: none\ncert: false\n');
const base = [entry, '--config', config, '--user-data-dir', userData, '--extensions-dir', join(state, 'extensions')];
step('installing the extension into VS Code');
runOrExit(process.execPath, [...base, '--install-extension', vsix, '--force'], 'installing the extension');

const templates = readdirSync(examples).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.includes('.eventpattern.'));
const busArgs = ['dist/cli.js', 'local-bus', '--port', '0', ...templates.flatMap((t) => ['--template', join(examples, t)])];
let busUrl;
try {
  busUrl = (await startChild('local-bus', process.execPath, busArgs, /listening on (http:\/\/127\.0\.0\.1:\d+)/))[1];
} catch (e) {
  console.error(`[start] ${e.message}`);
  stopAll();
  process.exit(1);
}
step(`local bus at ${busUrl}`);

// The extension talks to the local bus by default: point its endpoint setting there.
writeFileSync(
  join(userData, 'User/settings.json'),
  JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'eventbridgePatterns.aws.endpoint': busUrl,
      'eventbridgePatterns.aws.region': 'us-east-1',
    },
    null,
    2,
  ),
);

const port = process.env.PORT ?? '0';
let codeUrl;
try {
  codeUrl = (
    await startChild(
      'code-server',
      process.execPath,
      [...base, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', examples],
      /HTTP server listening on (http:\/\/\S+?)\/?\s/,
      { ...process.env, EXTENSIONS_GALLERY: '{}', AWS_EC2_METADATA_DISABLED: 'true' },
    )
  )[1];
} catch (e) {
  console.error(`[start] ${e.message}`);
  stopAll();
  process.exit(1);
}
console.log(`\nEventBridge Patterns is running. Open ${codeUrl}/?folder=${encodeURIComponent(examples)}\nLocal bus: ${busUrl}   (Ctrl-C stops everything)\n`);
for (const child of children) child.on('exit', (code) => {
  step(`a process stopped (exit ${code}); stopping the rest`);
  stopAll();
  process.exit(code ?? 1);
});
