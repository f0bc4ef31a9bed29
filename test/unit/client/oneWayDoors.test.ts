// One-way doors: the client uses the server's code only through a module's facade (`server/src/<module>/index.ts`) or
// the protocol both sides share (`shared/index.ts`), and asks the language server the rest. The protocol imports
// nothing from either side. Every import of every source file is read with TypeScript's own scanner (static and
// type-only imports, re-exports, `import()` and `require()`), so a deep import anywhere fails this test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';
import { repoRoot } from '../repoPaths';

/** Every module a file's text names: imports, re-exports, `import()` and `require()`. */
function specifiersOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => join(dir, name).split(sep).join('/'))
    .sort();
}

/** A repository path (`server/src/engine`), without extension or a trailing `/index`. */
function moduleOf(fromFile: string, specifier: string): string {
  const target = relative(repoRoot, resolve(repoRoot, dirname(fromFile), specifier))
    .split(sep)
    .join('/');
  return target.replace(/\.(js|ts)$/, '').replace(/\/index$/, '');
}

/** Whether a repository path is a folder with a facade (`<folder>/index.ts`). */
function hasFacade(folder: string): boolean {
  return existsSync(join(repoRoot, folder, 'index.ts'));
}

/**
 * The imports of a client file that go through a door they may not: into the server other than by a module's facade,
 * or into the shared protocol other than by its facade. One line each: `file: 'specifier'`.
 */
export function clientViolations(file: string, text: string): string[] {
  const out: string[] = [];
  for (const specifier of specifiersOf(text)) {
    if (!specifier.startsWith('.')) continue; // packages and node: modules
    const target = moduleOf(file, specifier);
    if (target === 'client' || target.startsWith('client/')) continue;
    const facade = /^server\/src\/[^/]+$/.test(target) || target === 'shared';
    if (facade && hasFacade(target)) continue;
    out.push(`${file}: '${specifier}'`);
  }
  return out;
}

/** The imports of a shared file that reach either side, or the editor. */
export function sharedViolations(file: string, text: string): string[] {
  return specifiersOf(text)
    .filter((specifier) => {
      if (specifier === 'vscode') return true;
      if (!specifier.startsWith('.')) return false;
      const target = moduleOf(file, specifier);
      return target !== 'shared' && !target.startsWith('shared/');
    })
    .map((specifier) => `${file}: '${specifier}'`);
}

describe('one-way doors', () => {
  it('no file under client/ imports a server file other than a facade, nor the protocol other than its facade', () => {
    const files = sourceFiles('client');
    assert.ok(files.length > 20, `client sources found: ${files.length}`);
    const violations = files.flatMap((f) => clientViolations(f, readFileSync(join(repoRoot, f), 'utf8')));
    assert.deepEqual(violations, [], `deep imports:\n${violations.join('\n')}`);
  });

  it('the shared protocol imports nothing from the client, the server or vscode', () => {
    const files = sourceFiles('shared');
    assert.ok(files.includes('shared/index.ts'));
    const violations = files.flatMap((f) => sharedViolations(f, readFileSync(join(repoRoot, f), 'utf8')));
    assert.deepEqual(violations, []);
  });

  it('the check catches a deep import in every form it can be written, and lets the facades through', () => {
    const file = 'client/src/awsCommands/example.ts';
    const text = [
      "import { analyzeDocument } from '../../../server/src/languageservice/sites/documentAnalysis';",
      "import type { AstNode } from '../../../server/src/engine/jsonAst';",
      'import {',
      '  loadCatalog,',
      "} from '../../../server/src/catalog/catalog';",
      "export { startLocalBus } from '../../../server/src/localbus/localBusServer';",
      "const lazy = import('../../../server/src/localbus/templateLoader');",
      "const required = require('../../../server/src/cli/main');",
      "import { PatternAtRequest } from '../../../shared/requests';",
      "import '../../../server/src/languageservice/features';",
      // Allowed: facades, the shared protocol, the client itself, packages.
      "import { compilePattern } from '../../../server/src/engine';",
      "import { putEventsEntrySize } from '../../../server/src/eventbridge/index';",
      "import { SETTINGS_SECTION } from '../../../shared';",
      "import { busName } from '../aws/arns';",
      "import * as vscode from 'vscode';",
    ].join('\n');
    assert.deepEqual(clientViolations(file, text), [
      `${file}: '../../../server/src/languageservice/sites/documentAnalysis'`,
      `${file}: '../../../server/src/engine/jsonAst'`,
      `${file}: '../../../server/src/catalog/catalog'`,
      `${file}: '../../../server/src/localbus/localBusServer'`,
      `${file}: '../../../server/src/localbus/templateLoader'`,
      `${file}: '../../../server/src/cli/main'`,
      `${file}: '../../../shared/requests'`,
      `${file}: '../../../server/src/languageservice/features'`,
    ]);
    // A folder is a door only when it has a facade.
    assert.deepEqual(clientViolations(file, "import { x } from '../../../server/src/cfn';"), [
      `${file}: '../../../server/src/cfn'`,
    ]);
    assert.deepEqual(
      sharedViolations('shared/requests.ts', "import type { X } from '../server/src/engine';\nimport 'vscode';"),
      ["shared/requests.ts: '../server/src/engine'", "shared/requests.ts: 'vscode'"],
    );
  });
});
