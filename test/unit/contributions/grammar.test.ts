// The injection grammar: valid JSON, contributed in package.json, regexes inside the subset that Oniguruma and
// JavaScript read alike, and (with a small tokenizer over the grammar's own rules) highlighting the operator keys
// and numeric comparison operators of sample lines. When the VS Code of test/vscode-kit is installed, the real
// TextMate engine tokenizes the samples with VS Code's own JSON and YAML grammars as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../repoPaths';

interface Captures {
  [index: string]: { name?: string };
}
interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  include?: string;
  captures?: Captures;
  beginCaptures?: Captures;
  endCaptures?: Captures;
  patterns?: Rule[];
  repository?: Record<string, Rule>;
}
interface Grammar extends Rule {
  scopeName: string;
  injectionSelector: string;
}

const GRAMMAR_PATH = join(repoRoot, 'syntaxes', 'eventpattern.injection.json');
const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8')) as Grammar;
const OPERATOR = 'keyword.control.operator.eventpattern';
const COMPARISON = 'keyword.operator.comparison.eventpattern';

function allRules(): Rule[] {
  const out: Rule[] = [];
  const visit = (r: Rule): void => {
    out.push(r);
    r.patterns?.forEach(visit);
    Object.values(r.repository ?? {}).forEach(visit);
  };
  visit(grammar);
  return out;
}

test('the grammar is contributed as an injection into JSON and YAML', () => {
  assert.equal(grammar.scopeName, 'eventpattern.injection');
  const selectors = grammar.injectionSelector.split(',').map((s) => s.trim());
  assert.ok(selectors.some((s) => s.startsWith('L:source.json')));
  assert.ok(selectors.some((s) => s.startsWith('L:source.yaml')));
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { grammars?: { scopeName: string; path: string; injectTo?: string[] }[] };
  };
  const entry = pkg.contributes.grammars?.find((g) => g.scopeName === grammar.scopeName);
  assert.ok(entry, 'package.json contributes the grammar');
  assert.ok(existsSync(join(repoRoot, entry.path)));
  for (const scope of ['source.json', 'source.yaml']) assert.ok(entry.injectTo?.includes(scope), scope);
  // Every include names a repository entry.
  for (const r of allRules()) {
    if (r.include?.startsWith('#')) assert.ok(grammar.repository?.[r.include.slice(1)], r.include);
  }
});

test('every regex compiles in JavaScript and stays in the subset Oniguruma reads the same way', () => {
  let count = 0;
  for (const r of allRules()) {
    for (const source of [r.match, r.begin, r.end, r.while]) {
      if (source === undefined) continue;
      count++;
      assert.doesNotThrow(() => new RegExp(source), source);
      // Constructs that exist in only one of the two engines, or differ between them.
      assert.doesNotMatch(
        source,
        /\\[GAzZhH]|\(\?>|\(\?<[A-Za-z]|\\p\{|\\k<|[*+?}]\+/,
        `outside the common subset: ${source}`,
      );
      // Oniguruma wants fixed-length look-behinds (each alternative may have its own length).
      for (const m of source.matchAll(/\(\?<[=!]((?:[^()\\]|\\.)*)\)/g)) {
        assert.doesNotMatch(
          m[1].replace(/\\./g, 'x').replace(/\[[^\]]*\]/g, 'x'),
          /[*+?{]/,
          `variable look-behind: ${source}`,
        );
      }
    }
  }
  assert.ok(count >= 6);
});

// A small TextMate-style tokenizer over this grammar alone: at each position the earliest match wins (the first
// rule on ties); begin/end rules push their inner patterns. Enough to check what the injection highlights.
function resolve(rules: readonly Rule[]): Rule[] {
  return rules.flatMap((r) => (r.include?.startsWith('#') ? resolve([grammar.repository![r.include.slice(1)]]) : [r]));
}

function highlight(lines: readonly string[]): [string, string][] {
  const found: [string, string][] = [];
  const record = (m: RegExpExecArray, captures: Captures | undefined): void => {
    for (const [index, c] of Object.entries(captures ?? {})) {
      const span = m.indices?.[Number(index)];
      if (span && c.name && (c.name === OPERATOR || c.name === COMPARISON)) {
        found.push([c.name === OPERATOR ? 'op' : 'cmp', m.input.slice(span[0], span[1])]);
      }
    }
  };
  const stack: Rule[] = [];
  for (const line of lines) {
    let pos = 0;
    while (pos <= line.length) {
      const top = stack[stack.length - 1];
      const candidates: { rule: Rule; kind: 'match' | 'begin' | 'end' }[] = [];
      if (top) candidates.push({ rule: top, kind: 'end' });
      for (const r of resolve(top ? (top.patterns ?? []) : (grammar.patterns ?? []))) {
        candidates.push({ rule: r, kind: r.begin !== undefined ? 'begin' : 'match' });
      }
      let best: { m: RegExpExecArray; rule: Rule; kind: 'match' | 'begin' | 'end' } | undefined;
      for (const c of candidates) {
        const source = c.kind === 'end' ? c.rule.end! : c.kind === 'begin' ? c.rule.begin! : c.rule.match!;
        const re = new RegExp(source, 'dg');
        re.lastIndex = pos;
        const m = re.exec(line);
        if (m && (!best || m.index < best.m.index)) best = { m, rule: c.rule, kind: c.kind };
      }
      if (!best) break;
      const { m, rule, kind } = best;
      if (kind === 'end') {
        record(m, rule.endCaptures);
        stack.pop();
      } else if (kind === 'begin') {
        record(m, rule.beginCaptures);
        stack.push(rule);
      } else {
        record(m, rule.captures);
      }
      pos = m[0].length === 0 ? m.index + 1 : m.index + m[0].length;
    }
  }
  return found;
}

const JSON_SAMPLE = [
  '{"detail": {"a": [{"prefix": "x"}, {"numeric": [">", 0, "<=", 5]}], "b": [{"$or": 1}],',
  ' "c": [{"anything-but": {"suffix": ".png"}}, {"exists": true}, {"equals-ignore-case": "A"}],',
  ' "d": [{"wildcard": "a*"}, {"cidr": "10.0.0.0/8"}], "prefixed": ["prefix"], "e": "> not an operator"}}',
];
const JSON_EXPECTED: [string, string][] = [
  ['op', 'prefix'],
  ['op', 'numeric'],
  ['cmp', '>'],
  ['cmp', '<='],
  ['op', '$or'],
  ['op', 'anything-but'],
  ['op', 'suffix'],
  ['op', 'exists'],
  ['op', 'equals-ignore-case'],
  ['op', 'wildcard'],
  ['op', 'cidr'],
];

const YAML_SAMPLE = [
  'Resources:',
  '  Rule:',
  '    Properties:',
  '      EventPattern:',
  '        detail:',
  '          a: [{prefix: x}, {numeric: [">", 0]}]',
  '          b:',
  '            - equals-ignore-case: X',
  '            - numeric:',
  '                - ">="',
  '                - 5',
  '          $or: []',
  '      Filter: \'{"wildcard": "x", "numeric": ["<", 1]}\'',
  '      Escaped: "{\\"cidr\\": \\"10.0.0.0/8\\"}"',
  '          prefixes: [exists]',
];
const YAML_EXPECTED: [string, string][] = [
  ['op', 'prefix'],
  ['op', 'numeric'],
  ['cmp', '>'],
  ['op', 'equals-ignore-case'],
  ['op', 'numeric'],
  ['cmp', '>='],
  ['op', '$or'],
  ['op', 'wildcard'],
  ['op', 'numeric'],
  ['cmp', '<'],
  ['op', 'cidr'],
];

test('the rules highlight operator keys and comparison operators in JSON sample lines', () => {
  assert.deepEqual(highlight(JSON_SAMPLE), JSON_EXPECTED);
});

test('the rules highlight operator keys and comparison operators in YAML sample lines', () => {
  assert.deepEqual(highlight(YAML_SAMPLE), YAML_EXPECTED);
});

// ---------------------------------------------------------------------------------------------------------------
// With VS Code's own TextMate engine and grammars, when the headless VS Code kit is installed.

const VSCODE = join(repoRoot, 'test', 'vscode-kit', 'node_modules', 'code-server', 'lib', 'vscode');
const haveVsCode =
  existsSync(join(VSCODE, 'node_modules', 'vscode-textmate')) && existsSync(join(VSCODE, 'extensions', 'yaml'));

interface TmToken {
  startIndex: number;
  endIndex: number;
  scopes: string[];
}
interface TmGrammar {
  tokenizeLine(line: string, state: unknown): { tokens: TmToken[]; ruleStack: unknown };
}

test(
  'VS Code tokenizes the samples with the injection',
  { skip: haveVsCode ? false : 'test/vscode-kit is not installed' },
  async () => {
    const load = createRequire(__filename);
    const tm = load(join(VSCODE, 'node_modules', 'vscode-textmate')) as {
      Registry: new (options: unknown) => { loadGrammar(scope: string): Promise<TmGrammar | null> };
      parseRawGrammar(text: string, path: string): unknown;
      INITIAL: unknown;
    };
    const onig = load(join(VSCODE, 'node_modules', 'vscode-oniguruma')) as {
      loadWASM(data: ArrayBuffer): Promise<void>;
      OnigScanner: new (patterns: string[]) => unknown;
      OnigString: new (s: string) => unknown;
    };
    const wasm = readFileSync(join(VSCODE, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const grammarFiles: Record<string, string> = {
      'source.json': join(VSCODE, 'extensions', 'json', 'syntaxes', 'JSON.tmLanguage.json'),
      'eventpattern.injection': GRAMMAR_PATH,
    };
    // VS Code's YAML grammar delegates to its versioned grammars (source.yaml.1.2, ...).
    const yamlPackage = JSON.parse(readFileSync(join(VSCODE, 'extensions', 'yaml', 'package.json'), 'utf8')) as {
      contributes: { grammars: { scopeName: string; path: string; language?: string }[] };
    };
    for (const g of yamlPackage.contributes.grammars) {
      if (g.language !== 'dockercompose') grammarFiles[g.scopeName] = join(VSCODE, 'extensions', 'yaml', g.path);
    }
    const registry = new tm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new onig.OnigScanner(patterns),
        createOnigString: (s: string) => new onig.OnigString(s),
      }),
      loadGrammar: (scope: string) => {
        const file = grammarFiles[scope];
        return Promise.resolve(file ? tm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null);
      },
      getInjections: (scope: string) =>
        scope === 'source.json' || scope === 'source.yaml' ? ['eventpattern.injection'] : [],
    });
    // Comments are left alone (the injection selector excludes them).
    const JSON_COMMENTED = [
      '{',
      '  // "prefix": "x", "numeric": [">", 1]',
      '  /* {"exists": true} */ "a": [{"suffix": "b"}]',
      '}',
    ];
    const YAML_COMMENTED = ['detail:', '  # prefix: x', '  a: [{suffix: b}] # exists: true'];
    for (const [scope, lines, expected] of [
      ['source.json', JSON_SAMPLE, JSON_EXPECTED],
      ['source.yaml', YAML_SAMPLE, YAML_EXPECTED],
      ['source.json', JSON_COMMENTED, [['op', 'suffix']]],
      ['source.yaml', YAML_COMMENTED, [['op', 'suffix']]],
    ] as const) {
      const g = await registry.loadGrammar(scope);
      assert.ok(g, scope);
      let state = tm.INITIAL;
      const found: [string, string][] = [];
      for (const line of lines) {
        const r = g.tokenizeLine(line, state);
        state = r.ruleStack;
        for (const t of r.tokens) {
          if (t.scopes.includes(OPERATOR)) found.push(['op', line.slice(t.startIndex, t.endIndex)]);
          if (t.scopes.includes(COMPARISON)) found.push(['cmp', line.slice(t.startIndex, t.endIndex)]);
        }
      }
      assert.deepEqual(found, expected, scope);
    }
  },
);
