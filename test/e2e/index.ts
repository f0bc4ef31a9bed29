// The mocha runner that VS Code loads in the extension host (`extensionTestsPath` = out/test/e2e/index.js).
// It runs every compiled `*.e2e.js` beside it, prints each test, and writes the counts to the file named by
// EVENTBRIDGE_E2E_RESULTS (set by scripts/test-e2e.mjs; the launcher passes its environment to the extension host).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface E2eResults {
  passed: number;
  failed: number;
}

export const RESULTS_ENV = 'EVENTBRIDGE_E2E_RESULTS';
/** Comma-separated parts of file names (`codeFiles,trust`): only those files run. For working on one feature. */
export const ONLY_ENV = 'EVENTBRIDGE_E2E_ONLY';

function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.e2e.js'))
    .filter((name) => {
      const only = process.env[ONLY_ENV]?.split(',').filter(Boolean) ?? [];
      return only.length === 0 || only.some((part) => name.includes(part));
    })
    .map((name) => path.join(dir, name))
    .sort();
}

function writeResults(results: E2eResults): void {
  const file = process.env[RESULTS_ENV];
  if (file) fs.writeFileSync(file, JSON.stringify(results) + '\n');
}

export async function run(): Promise<void> {
  const files = findTestFiles(__dirname);
  if (files.length === 0) {
    writeResults({ passed: 0, failed: 1 });
    throw new Error(`no *.e2e.js files under ${__dirname}`);
  }
  // The spec reporter prints through console.log, which the extension host forwards to the launcher.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  for (const file of files) mocha.addFile(file);
  const results = await new Promise<E2eResults>((resolve, reject) => {
    try {
      const runner = mocha.run(() =>
        resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }),
      );
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  }).catch((error: unknown) => {
    console.error(error);
    return { passed: 0, failed: 1 };
  });
  writeResults(results);
  if (results.failed > 0) throw new Error(`${results.failed} end-to-end test(s) failed`);
}
