// The CLI as CI installs it: `npm pack` of this repository, `npm install -g` of the tarball into a fresh prefix with
// no registry (--offline: the bundle has its dependencies inside), then the installed `eventbridge-patterns` bin run
// in a directory far from the repository. Takes a few seconds: it packs and installs for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from '../repoPaths';

/** npm with nothing inherited from an `npm test` around us (its npm_config_* would redirect prefix or cache). */
function npm(args: string[], options: SpawnSyncOptions & { cwd: string }) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return spawnSync('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], {
    ...options,
    env: { ...env, npm_config_loglevel: 'error' },
    encoding: 'utf8',
  });
}

const TEMPLATE_WITH_ERROR = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Archive:
    Type: AWS::Events::Archive
    Properties:
      SourceArn: arn:aws:events:us-east-1:123456789012:event-bus/default
      EventPattern: '{"source": ["app"]}'
`;

// A misspelled detail-type of a source the catalog knows: found only when the packed catalog is read.
const TEMPLATE_WITH_WARNING = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Running:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.ec2]
        detail-type: [EC2 Instance State-change Notificaton]
`;

test('npm pack, npm install -g --offline, then the eventbridge-patterns bin lints outside the repository', () => {
  assert.ok(existsSync(join(repoRoot, 'dist', 'cli.js')), 'build first: node scripts/build.mjs');
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'ebp-pack-')));
  assert.ok(relative(repoRoot, work).startsWith('..'), 'the install must be outside the repository');

  // prepack would rebuild the bundles this test run is using; the build step has made them already.
  const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repoRoot });
  assert.equal(pack.status, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const paths = packed.files.map((f) => f.path).sort();
  assert.ok(paths.includes('dist/cli.js'), paths.join(', '));
  assert.ok(paths.includes('server/generated/catalog.json'), paths.join(', '));
  assert.ok(paths.includes('package.json'));
  // Only what the CLI needs: no sources, tests, maps or other bundles; the grammars it reads code with.
  assert.deepEqual(
    paths.filter(
      (p) =>
        !['README.md', 'package.json', 'dist/cli.js', 'server/generated/catalog.json'].includes(p) &&
        !/^dist\/grammars\/tree-sitter(-[a-z]+)?\.wasm$/.test(p),
    ),
    [],
  );
  assert.ok(paths.includes('dist/grammars/tree-sitter-terraform.wasm'), paths.join(', '));
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
    dependencies?: Record<string, string>;
  };
  assert.deepEqual(manifest.bin, { 'eventbridge-patterns': './dist/cli.js' });
  assert.equal(manifest.dependencies, undefined, 'the bundle has its dependencies inside; none to fetch');

  const prefix = join(work, 'prefix');
  const install = npm(
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--offline',
      '--ignore-scripts',
      '--cache',
      join(work, 'cache'),
      join(work, packed.filename),
    ],
    { cwd: work },
  );
  assert.equal(install.status, 0, `${install.stdout}${install.stderr}`);
  const bin = join(prefix, 'bin', 'eventbridge-patterns');
  assert.ok(existsSync(bin), bin);

  const project = join(work, 'project');
  mkdirSync(join(project, 'templates', 'nested'), { recursive: true });
  writeFileSync(join(project, 'templates', 'nested', 'archive.yaml'), TEMPLATE_WITH_ERROR);
  writeFileSync(join(project, 'templates', 'rules.yaml'), TEMPLATE_WITH_WARNING);
  // Run the bin itself (its shebang), as a shell in CI does.
  const run = (args: string[]) => spawnSync(bin, args, { cwd: project, encoding: 'utf8' });

  const both = run(['lint', 'templates/**/*.yaml']);
  assert.equal(both.status, 1, both.stderr);
  assert.match(both.stdout, /^templates\/nested\/archive\.yaml:7:\d+: error EB420 /m);
  assert.match(both.stdout, /^templates\/rules\.yaml:8:\d+: warning EB500 aws\.ec2 publishes no detail-type /m);
  assert.match(both.stdout, /2 problems \(1 error, 1 warning, 0 infos, 0 hints\) in 2 files/);

  const warningsOnly = run(['lint', 'templates/*.yaml']);
  assert.equal(warningsOnly.status, 0, warningsOnly.stderr);
  assert.equal(run(['lint', 'templates/*.yaml', '--max-warnings', '0']).status, 1);
  const sarif = run(['lint', 'templates/**/*.yaml', '--format', 'sarif']);
  assert.equal(sarif.status, 1);
  assert.equal((JSON.parse(sarif.stdout) as { version: string }).version, '2.1.0');
  assert.equal(run(['lint']).status, 2);

  // Terraform read with the grammars the package ships (outside the repository, no node_modules to fall back on).
  writeFileSync(
    join(project, 'main.tf'),
    'resource "aws_cloudwatch_event_rule" "r" {\n  event_pattern = jsonencode({ source = "aws.s3" })\n}\n',
  );
  const terraform = run(['lint', 'main.tf']);
  assert.equal(terraform.status, 1, terraform.stderr);
  assert.match(terraform.stdout, /^main\.tf:2:\d+: error EB201 /m);

  const matched = run([
    'match-rules',
    '--template',
    'templates/rules.yaml',
    '--event',
    JSON.stringify({ Source: 'aws.ec2', DetailType: 'EC2 Instance State-change Notificaton', Detail: '{}' }),
  ]);
  assert.equal(matched.status, 0, matched.stderr);
  assert.deepEqual(JSON.parse(matched.stdout), { rules: ['Running'] });
});
