// The parsers for patterns written in code (Terraform, AWS CDK in TypeScript/JavaScript and Python): tree-sitter
// grammars run through web-tree-sitter, the incremental, error-tolerant parsers editors use for these languages.
// WebAssembly builds from npm mean no native module to build for each platform and Electron version.
//
// Nothing here is loaded until a code document is first read: a user with only JSON and YAML pays nothing. Loading
// is asynchronous (WebAssembly compiles asynchronously); parsing, once a grammar is loaded, is synchronous like the
// rest of the language service. Callers that can wait (lint, match-rules) `await loadGrammar(...)`; the server reads
// code documents as having no patterns until their grammar is ready, then validates them again.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

export type GrammarId = 'typescript' | 'tsx' | 'python' | 'terraform';

/** Each grammar's WebAssembly file: its npm package and file name (copied to `dist/grammars/` for the bundles). */
export const GRAMMAR_FILES: Readonly<Record<GrammarId | 'runtime', { readonly pkg: string; readonly file: string }>> = {
  runtime: { pkg: 'web-tree-sitter', file: 'tree-sitter.wasm' },
  typescript: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' },
  tsx: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm' },
  python: { pkg: 'tree-sitter-python', file: 'tree-sitter-python.wasm' },
  terraform: { pkg: '@tree-sitter-grammars/tree-sitter-hcl', file: 'tree-sitter-terraform.wasm' },
};

/**
 * Where a WebAssembly file is: beside the running bundle (`dist/grammars/`), else in `node_modules` above this file
 * (compiled tests run from `out/`).
 */
export function grammarPath(id: GrammarId | 'runtime'): string | undefined {
  const { pkg, file } = GRAMMAR_FILES[id];
  const bundled = join(__dirname, 'grammars', file);
  if (existsSync(bundled)) return bundled;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', pkg, file);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

let runtime: Promise<void> | undefined;
const loading = new Map<GrammarId, Promise<Language>>();
const loaded = new Map<GrammarId, Parser>();

function initRuntime(): Promise<void> {
  runtime ??= (async () => {
    const wasm = grammarPath('runtime');
    if (!wasm) throw new Error('tree-sitter.wasm was not found beside the bundle or in node_modules');
    await Parser.init({ locateFile: () => wasm });
  })();
  return runtime;
}

/** Loads a grammar once (later calls share the first); rejects with a clear message when its file is missing. */
export function loadGrammar(id: GrammarId): Promise<Language> {
  let promise = loading.get(id);
  if (!promise) {
    promise = (async () => {
      await initRuntime();
      const wasm = grammarPath(id);
      if (!wasm) throw new Error(`${GRAMMAR_FILES[id].file} was not found beside the bundle or in node_modules`);
      const language = await Language.load(wasm);
      const parser = new Parser();
      parser.setLanguage(language);
      loaded.set(id, parser);
      return language;
    })();
    // A failed load may be retried (a file restored, say) rather than remembered forever.
    promise.catch(() => loading.delete(id));
    loading.set(id, promise);
  }
  return promise;
}

export function isGrammarLoaded(id: GrammarId): boolean {
  return loaded.has(id);
}

/**
 * Parses `text` with a loaded grammar; undefined when the grammar is not loaded yet (see loadGrammar). Pass the
 * previous tree, edited with `Tree.edit`, to re-parse incrementally. Offsets of the returned nodes (`startIndex`,
 * `endIndex`) are UTF-16 code units, like the house AST's.
 */
export function parseCode(id: GrammarId, text: string, previous?: Tree): Tree | undefined {
  const parser = loaded.get(id);
  if (!parser) return undefined;
  return parser.parse(text, previous) ?? undefined;
}
