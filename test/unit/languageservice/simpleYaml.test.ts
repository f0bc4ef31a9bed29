// The simple YAML reader (parsing/simpleYaml.ts) reads the common subset of YAML itself and leaves the rest to the
// yaml library. Wherever it reads a text, its tree must be the library's to the last offset (spans of collections with
// comments after them, empty values, intrinsics, key spellings, number spellings), and it must never read a text the
// library reports problems in. Checked on generated documents, on the same documents with characters typed into them
// (which makes most of them leave the subset or break), and on the repository's own YAML files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { AstNode } from '../../../server/src/engine/jsonAst';
import { readSimpleYaml } from '../../../server/src/languageservice/parsing/simpleYaml';
import { parseYamlText, parseYamlWithLibrary } from '../../../server/src/languageservice/parsing/documentParser';
import { splitYamlRegions } from '../../../server/src/languageservice/parsing/yamlRegions';

const RUNS = Number(process.env['EBP_PROPERTY_RUNS'] ?? 150);

/** A tree as text, parent links left out (both readings link them the same way; the test compares what they hold). */
function treeText(root: AstNode | undefined): string {
  return JSON.stringify(root, (key, value: unknown) => (key === 'parent' ? undefined : value));
}

/** Whether the simple reader took the text; when it did, asserts that the library reads it the same, without problems. */
function agrees(text: string): boolean {
  const simple = readSimpleYaml(text);
  if (!simple) return false;
  const library = parseYamlWithLibrary(text);
  assert.deepEqual(library.syntaxErrors, [], `the simple reader took a text the library has problems with:\n${text}`);
  assert.equal(treeText(simple.root), treeText(library.root), `the readings differ:\n${text}`);
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Generated documents: collections, scalars of every kind the subset types (and many it must leave alone), tags,
// long-form intrinsics, and comments and blank lines at any indentation.

type Tree =
  | { readonly kind: 'scalar'; readonly text: string }
  | { readonly kind: 'empty' }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [string, Tree])[] }
  | { readonly kind: 'seq'; readonly items: readonly Tree[] }
  | { readonly kind: 'tagged'; readonly tag: string; readonly body: Tree }
  | { readonly kind: 'block'; readonly header: string; readonly lines: readonly string[] };

const SCALARS = [
  'a',
  'x y',
  'aws.s3',
  'Object Created',
  'arn:aws:s3:::b/*',
  'arn:${AWS::Partition}:events:${AWS::Region}',
  '1',
  '-2',
  '1.5',
  '1e3',
  '-0',
  '12345678901234567890',
  'true',
  'False',
  'null',
  '~',
  '0x1F',
  '+1',
  '007',
  '.5',
  '.inf',
  'a#b',
  'a: b',
  'a:b',
  'http://x',
  '- x',
  '-x',
  '@x',
  '`x',
  '%x',
  '&a x',
  '*a',
  '!Ref X',
  '!Sub a-${X}',
  "!GetAtt 'Q.Arn'",
  '!Foo x',
  '!!str 1',
  '|',
  '>-',
  "'q'",
  "''",
  '"d"',
  '"e\\"s\\u00e9\\n\\/"',
  "'it''s'",
  '"bad \\q"',
  '"x" y',
  '[a, b]',
  '[ "a" , 1 ]',
  '[]',
  '{}',
  '{a: 1}',
  '{"Ref": X}',
  '{Fn::GetAtt: [A, Arn]}',
  '{Ref: [a]}',
  '[!Ref A, !GetAtt B.Arn]',
  '[a, [b, c], {d: e}]',
  '[a,]',
  '[a b]',
  '{a: }',
  '{a:1}',
  '[a: b]',
  '["a": b]',
  'a # c',
  '"unclosed',
  "'unclosed",
  '[unclosed',
  'x]',
  'é ü 😀',
];
/** Scalars as templates write them (most generated documents stay in the subset). */
const COMMON_SCALARS = ['a', 'aws.s3', 'Object Created', '!Ref X', '[a, b]', "'q'", '"d"', '1', 'true', '{a: 1}'];
const KEYS = [
  'a',
  'Type',
  'Properties',
  'Fn::If',
  'Fn::Sub',
  'Ref',
  'Condition',
  'Fn::GetAZs',
  "'q k'",
  '"d k"',
  '"Ref"',
  '1',
  'true',
  'null',
  'a b',
  'k[0]',
  '? x',
  '- k',
  '&k',
  'detail-type',
  'a#b',
  'x'.repeat(1100),
];
const TAGS = ['!Sub', '!If', '!Join', '!GetAtt', '!Ref', '!Foo'];

const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .oneof({ arbitrary: fc.constantFrom(...COMMON_SCALARS), weight: 4 }, fc.constantFrom(...SCALARS))
      .map((text): Tree => ({ kind: 'scalar', text })),
    fc.constant<Tree>({ kind: 'empty' }),
    fc
      .array(
        fc.tuple(
          fc.oneof({ arbitrary: fc.constantFrom('a', 'Type', 'b'), weight: 3 }, fc.constantFrom(...KEYS)),
          tie('tree'),
        ),
        { minLength: 1, maxLength: 3 },
      )
      .map((entries): Tree => ({ kind: 'map', entries })),
    fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((items): Tree => ({ kind: 'seq', items })),
    fc.tuple(fc.constantFrom(...TAGS), tie('tree')).map(([tag, body]): Tree => ({ kind: 'tagged', tag, body })),
    fc
      .record({
        header: fc.constantFrom('|', '|', '|-', '|+', '>', '>', '>-', '|2', '| # h', '|#'),
        lines: fc.array(fc.constantFrom('x', 'y z', '', '', '  more', '# c', '   ', '{"a": [1]}', 'k: v'), {
          minLength: 1,
          maxLength: 6,
        }),
      })
      .map(({ header, lines }): Tree => ({ kind: 'block', header, lines })),
  ),
})).tree;

/** How a tree is written: indentation step, comments and blank lines (drawn per line from `choices`). */
interface Layout {
  readonly step: number;
  readonly zeroIndentedSequences: boolean;
  readonly choices: readonly number[];
}

function render(tree: Tree, layout: Layout, baseIndent: number): string {
  let draw = 0;
  const next = (): number => layout.choices[draw++ % layout.choices.length];
  const lines: string[] = [];
  /** Maybe a comment or blank line before a line, at some indentation; maybe a comment after it. */
  const push = (line: string): void => {
    const c = next();
    if (c % 7 === 0) lines.push(`${' '.repeat(next() % 9)}# note ${c}`);
    if (c % 11 === 0) lines.push(c % 2 === 0 ? '' : ' '.repeat(next() % 5));
    lines.push(c % 5 === 0 ? `${line} # after` : c % 13 === 0 ? `${line}  ` : line);
  };
  const inline = (t: Tree): string | undefined => (t.kind === 'scalar' ? t.text : t.kind === 'empty' ? '' : undefined);
  /** A block scalar's content lines, indented one step deeper than `indent` (an empty line stays empty). */
  const blockLines = (t: Tree & { kind: 'block' }, indent: number): void => {
    for (const line of t.lines) lines.push(line === '' ? '' : `${' '.repeat(indent + layout.step)}${line}`);
  };
  const block = (t: Tree, indent: number): void => {
    const pad = ' '.repeat(indent);
    if (t.kind === 'map') {
      for (const [key, value] of t.entries) entry(`${pad}${key}:`, value, indent);
    } else if (t.kind === 'seq') {
      for (const item of t.items) {
        const text = inline(item);
        if (text !== undefined) {
          push(`${pad}-${text === '' ? '' : ' '}${text}`);
        } else if (item.kind === 'map' && next() % 2 === 0) {
          // A compact mapping: its first key on the dash's line.
          const [first, ...rest] = item.entries;
          entry(`${pad}- ${first[0]}:`, first[1], indent + 2);
          for (const [key, value] of rest) entry(`${' '.repeat(indent + 2)}${key}:`, value, indent + 2);
        } else if (item.kind === 'block') {
          push(`${pad}- ${item.header}`);
          blockLines(item, indent);
        } else if (item.kind === 'tagged') {
          const body = inline(item.body);
          if (body !== undefined) push(`${pad}- ${item.tag} ${body}`);
          else if (item.body.kind === 'block') {
            push(`${pad}- ${item.tag} ${item.body.header}`);
            blockLines(item.body, indent);
          } else {
            push(`${pad}- ${item.tag}`);
            block(item.body, indent + layout.step);
          }
        } else {
          push(`${pad}-`);
          block(item, indent + layout.step);
        }
      }
    } else if (t.kind === 'tagged') {
      push(`${pad}${t.tag} ${inline(t.body) ?? ''}`);
    } else if (t.kind === 'block') {
      push(`${pad}${t.header}`);
      blockLines(t, indent);
    } else {
      push(`${pad}${t.kind === 'scalar' ? t.text : ''}`);
    }
  };
  const entry = (head: string, value: Tree, indent: number): void => {
    const text = inline(value);
    if (text !== undefined) {
      push(`${head}${text === '' ? '' : ' '}${text}`);
    } else if (value.kind === 'block') {
      push(`${head} ${value.header}`);
      blockLines(value, indent);
    } else if (value.kind === 'tagged') {
      const body = inline(value.body);
      if (body !== undefined) push(`${head} ${value.tag} ${body}`);
      else if (value.body.kind === 'block') {
        push(`${head} ${value.tag} ${value.body.header}`);
        blockLines(value.body, indent);
      } else {
        push(`${head} ${value.tag}`);
        block(value.body, indent + layout.step);
      }
    } else {
      push(head);
      const zero = value.kind === 'seq' && layout.zeroIndentedSequences;
      block(value, zero ? indent : indent + layout.step);
    }
  };
  block(tree, baseIndent);
  return lines.join('\n') + (layout.choices[0] % 3 === 0 ? '' : '\n');
}

const layoutArb: fc.Arbitrary<Layout> = fc.record({
  step: fc.integer({ min: 1, max: 4 }),
  zeroIndentedSequences: fc.boolean(),
  choices: fc.array(fc.nat(1000), { minLength: 1, maxLength: 40 }),
});

const documentArb = fc
  .tuple(treeArb, layoutArb, fc.constantFrom(0, 0, 2))
  .filter(([tree]) => tree.kind === 'map' || tree.kind === 'seq')
  .map(([tree, layout, indent]) => render(tree, layout, indent));

test('the simple reader reads generated documents as the library does, and takes most of those in its subset', () => {
  let taken = 0;
  let total = 0;
  fc.assert(
    fc.property(documentArb, (text) => {
      total++;
      if (agrees(text)) taken++;
    }),
    { numRuns: RUNS * 4 },
  );
  // Many generated scalars are outside the subset (or errors), but documents without them are common enough.
  assert.ok(taken > total * 0.25, `the simple reader took only ${taken} of ${total} documents`);
});

test('with characters typed into them, documents are read as the library reads them, or left to it', () => {
  const typed = fc.constantFrom(
    ' ',
    '  ',
    '\n',
    ':',
    '-',
    '- ',
    '#',
    ' #',
    '"',
    "'",
    '[',
    ']',
    '{',
    '}',
    ',',
    '!',
    '&',
    '*',
    '|',
    'a',
    '\t',
    '\r',
    '?',
  );
  fc.assert(
    fc.property(
      documentArb,
      fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(3), typed), { minLength: 1, maxLength: 3 }),
      (text, edits) => {
        let t = text;
        for (const [at, remove, insert] of edits) {
          const offset = Math.floor(at * t.length);
          t = t.slice(0, offset) + insert + t.slice(Math.min(t.length, offset + remove));
        }
        agrees(t);
      },
    ),
    { numRuns: RUNS * 4 },
  );
});

test('spans after comments and empty values are the library’s', () => {
  const cases = [
    // An empty value takes every comment after it; the mapping ends with them.
    'a:\n  b:\n# c\nd: 1\n',
    'Resources:\n# Lambda function\n',
    // After a scalar, comments indented deeper than its mapping are its own.
    'x:\n  a: 1\n    # c\n  # d\ny: 2\n',
    // A comment not indented deeper starts a trailing item, which stays in an indented collection ...
    '  A:\n    B:\n      - x\n      # c\n# d\n',
    // ... and goes to the parent of one deeper than all its comments.
    '  A:\n    B:\n      C: 1\n    # c\n',
    'x:\n  a:\n    b: 1\n   # c\n # d\ny: 1\n',
  ];
  for (const text of cases) assert.ok(agrees(text), `not taken by the simple reader:\n${text}`);
});

test('what the simple reader leaves to the library', () => {
  const declined = [
    'a: &x 1\nb: *x\n', // anchors and aliases
    'a: >2\n  text\n', // an indentation indicator
    'a: |+\n  text\n\n', // kept final line breaks
    'a: b\n  c\n', // a plain scalar over two lines
    'a: [b,\n  c]\n', // a flow collection over two lines
    'a:\n\t- b\n', // a tab
    'a: b\r\n', // a carriage return
    '%YAML 1.2\n---\na: 1\n', // directives and document markers
    'a: !Foo x\n', // a tag CloudFormation does not define
    'a: +1\n', // a number JSON does not spell so
    '? a\n: b\n', // an explicit key
    'a: b: c\n', // an error
  ];
  for (const text of declined) {
    assert.equal(readSimpleYaml(text), undefined, `taken by the simple reader:\n${text}`);
    // parseYamlText still reads it (through the library).
    assert.equal(treeText(parseYamlText(text).root), treeText(parseYamlWithLibrary(text).root));
  }
});

test('the repository’s YAML files and their template regions are read as the library reads them', () => {
  const root = join(__dirname, '..', '..', '..', '..');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'out' || e.name === 'dist') continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(e.name)) files.push(path);
    }
  };
  walk(join(root, 'test'));
  walk(join(root, 'examples'));
  assert.ok(files.length >= 10, `only ${files.length} YAML files found under test/ and examples/`);
  let taken = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const pieces = [text];
    const regions = splitYamlRegions(text);
    if (regions) {
      const cuts = [...regions.topLevel, ...regions.entries].sort((a, b) => a - b);
      cuts.forEach((cut, i) => pieces.push(text.slice(cut, cuts[i + 1] ?? text.length)));
    }
    for (const piece of pieces) if (agrees(piece)) taken++;
  }
  assert.ok(taken >= 50, `the simple reader took only ${taken} of the files and regions`);
});
