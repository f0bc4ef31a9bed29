// `cli lint` in a folder with sample events (events/**/*.json): the EB520 hints the editor learns from them, as info
// findings that do not fail the run; without the samples, none.
import '../hermeticAws';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle, repoRoot } from '../repoPaths';

const FIXTURE = join(repoRoot, 'test', 'fixtures', 'learned-events');

interface Finding {
  file: string;
  line: number;
  severity: string;
  code: string;
  message: string;
}

function lintJson(cwd: string): { status: number | null; findings: Finding[]; stderr: string } {
  const r = spawnSync(process.execPath, [cliBundle, 'lint', 'template.yaml', '--format', 'json'], {
    cwd,
    encoding: 'utf8',
  });
  return { status: r.status, findings: JSON.parse(r.stdout) as Finding[], stderr: r.stderr };
}

test('lint gives the EB520 hints of the sample events of the folder it runs in', () => {
  const { status, findings, stderr } = lintJson(FIXTURE);
  assert.equal(stderr, '');
  assert.equal(status, 0);
  assert.deepEqual(
    findings.map((f) => [f.line, f.severity, f.code, f.message]),
    [
      [
        11,
        'info',
        'EB520',
        'no sample event of com.example.orders has detail.totl: did you mean detail.total? (4 sample events of com.example.orders / Order Placed: events/orders/placed-batch.json, events/orders/placed-gift.json, events/orders/placed-gold.json)',
      ],
    ],
  );
});

test('without an events folder, nothing is learned and nothing is said', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-lint-learned-'));
  try {
    cpSync(join(FIXTURE, 'template.yaml'), join(dir, 'template.yaml'));
    const { status, findings } = lintJson(dir);
    assert.equal(status, 0);
    assert.deepEqual(findings, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
