// scripts/build-catalog.mjs, run as the build runs it.
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'scripts', 'build-catalog.mjs'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no scripts/build-catalog.mjs above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const root = repoRoot();
const script = join(root, 'scripts', 'build-catalog.mjs');

function run(args: string[], scriptPath = script) {
  return spawnSync(process.execPath, [scriptPath, ...args], { encoding: 'utf8' });
}

void describe('build-catalog.mjs', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'build-catalog-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  void it('writes the catalog, prints one line, and skips when up to date', () => {
    const out = join(dir, 'a', 'catalog.json');
    const first = run(['--out', out]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^catalog: wrote .*\(\d+ sources, \d+ detail-types, \d+ KiB\) .* in \d+ ms\n$/);
    const written = statSync(out).mtimeMs;
    const second = run(['--out', out]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /^catalog: .* is up to date\n$/);
    assert.equal(statSync(out).mtimeMs, written, 'not rewritten');
  });

  void it('is deterministic', () => {
    const a = join(dir, 'det-a.json');
    const b = join(dir, 'det-b.json');
    assert.equal(run(['--out', a]).status, 0);
    assert.equal(run(['--out', b, '--force']).status, 0);
    assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
    const parsed = JSON.parse(readFileSync(a, 'utf8')) as { format: unknown; sources: Record<string, unknown> };
    assert.equal(parsed.format, 1);
    assert.ok(Object.keys(parsed.sources).length > 0);
  });

  void it('fails clearly when the package is not installed', () => {
    // A copy of the script in a tree without node_modules resolves no package.
    const fakeRoot = join(dir, 'bare');
    mkdirSync(join(fakeRoot, 'scripts'), { recursive: true });
    writeFileSync(join(fakeRoot, 'package.json'), '{"name":"bare","private":true}');
    copyFileSync(script, join(fakeRoot, 'scripts', 'build-catalog.mjs'));
    const r = run(['--out', join(fakeRoot, 'catalog.json')], join(fakeRoot, 'scripts', 'build-catalog.mjs'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /@aws-cdk\/aws-service-spec is not installed .*npm ci/);
    assert.equal(existsSync(join(fakeRoot, 'catalog.json')), false);
  });

  void it('rejects unknown arguments', () => {
    const r = run(['--nope']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unknown argument --nope/);
  });
});
