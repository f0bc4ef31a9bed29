// The offset map of string-form patterns: every character of the decoded JSON text must map back to the source
// character (or the escape sequence / line break it came from), in every JSON and YAML string style.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as yaml from 'yaml';
import { getProperty, type AstNode, type StringNode } from '../../../server/src/engine/jsonAst';
import {
  isIntrinsicNode,
  parseDocument,
  stringStyleOf,
  type SourcedStringNode,
} from '../../../server/src/languageservice/parsing/documentParser';
import { decodeStringSource, type DecodedString } from '../../../server/src/languageservice/parsing/stringSourceMap';
import { decodeStringNode } from '../../../server/src/languageservice/sites/patternSites';

// ------------------------------------------------------------------------------------------------------------
// Checking a decoded string against its source

const isLineBreak = (c: string | undefined): boolean => c === '\n' || c === '\r';

/**
 * Each decoded code unit maps into the literal, onto the same character, a backslash (escape) or a line break (a
 * folded space or newline); offsets never go backwards.
 */
function assertMapsBack(source: string, node: StringNode, decoded: DecodedString): void {
  const { value, offsets } = decoded;
  assert.equal(offsets.length, value.length + 1);
  let previous = node.offset;
  for (let i = 0; i < value.length; i++) {
    const at = offsets[i];
    const ch = value[i];
    const src = source[at];
    assert.ok(at >= node.offset && at < node.offset + node.length, `offset of #${i} out of the literal: ${at}`);
    assert.ok(at >= previous, `offsets go backwards at #${i}`);
    const ok = src === ch || src === '\\' || ((ch === ' ' || ch === '\n') && isLineBreak(src));
    assert.ok(
      ok,
      `#${i} ${JSON.stringify(ch)} maps to ${JSON.stringify(src)} at ${at} in ${JSON.stringify(source.slice(node.offset, node.offset + node.length))}`,
    );
    // A character that is neither escaped nor folded must be exactly there, and the next one must start after it.
    if (src === ch && src !== '\\' && !isLineBreak(src)) {
      const next = offsets[i + 1];
      assert.ok(next >= at + 1 || (isHighSurrogate(ch) && next === at + 1), `#${i} overlaps the next character`);
    }
    previous = at;
  }
  assert.ok(offsets[value.length] >= previous && offsets[value.length] <= node.offset + node.length);
}

const isHighSurrogate = (c: string): boolean => c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) <= 0xdbff;

/** Parses `doc`, follows `path` (through a `!Sub` if any), decodes the string there and checks the map. */
function checkEmbedded(doc: string, languageId: 'json' | 'yaml', path: (string | number)[], expected: string): void {
  const { root, syntaxErrors } = parseDocument(doc, languageId);
  assert.deepEqual(
    syntaxErrors.filter((e) => e.severity === 'error'),
    [],
    `syntax errors in\n${doc}`,
  );
  let node: AstNode | undefined = root;
  for (const segment of path) {
    node =
      typeof segment === 'number'
        ? node?.type === 'array'
          ? node.items[segment]
          : undefined
        : getProperty(node, segment);
  }
  if (isIntrinsicNode(node)) node = node.argument;
  assert.ok(node && node.type === 'string', `no string at ${path.join('.')} in\n${doc}`);
  assert.equal(node.value, expected, `parser value differs in\n${doc}`);
  const style = stringStyleOf(node);
  assert.ok(style, 'string node without a style');
  const decoded = decodeStringSource(
    doc,
    style,
    node.offset,
    node.offset + node.length,
    (node as SourcedStringNode).blockParentIndent,
  );
  assert.equal(decoded.value, node.value, `decoder disagrees with the parser (${style}) in\n${doc}`);
  assertMapsBack(doc, node, decoded);
  // The facade used by pattern sites must give the same exact map.
  assert.deepEqual(Array.from(decodeStringNode(node, doc).offsets), Array.from(decoded.offsets));
}

// ------------------------------------------------------------------------------------------------------------
// Generators

const CHARS = [
  'a',
  'b',
  'Z',
  '0',
  '9',
  ' ',
  ' ',
  ' ',
  '"',
  "'",
  '\\',
  '/',
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '#',
  '-',
  '?',
  '&',
  '*',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  '$',
  'é',
  '€',
  '😀',
  '\u00a0',
  '\t',
  '\n',
];
const rawString = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 30 });
const { value: jsonValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    rawString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(rawString, tie('value'), { maxKeys: 3 }),
  ),
}));
/** A JSON pattern text, compact or pretty-printed (multi-line, indented). */
const patternText = fc
  .tuple(
    fc.dictionary(rawString, jsonValue, { maxKeys: 4 }),
    fc.constantFrom<number | string | undefined>(undefined, 2, 4, '\t'),
  )
  .map(([value, indent]) => JSON.stringify(value, null, indent));
/** Pattern texts and arbitrary strings (which stress quoting, leading/trailing blanks and empty lines). */
const anyText = fc.oneof(
  patternText,
  rawString,
  fc.constantFrom('', ' ', '\n', '\n\n', ' a ', 'a\n', 'a\n\n', '\na', ' \n a', 'a \n b'),
);
const choices = fc.array(fc.nat(9), { minLength: 1, maxLength: 20 });

// FC_RUNS raises the run count for a deeper local search (e.g. FC_RUNS=5000).
const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 300) };

/**
 * The yaml package itself must read `s` back from `doc`: yaml.stringify and hand encoders can write documents that
 * do not round-trip (e.g. a white-space-only line in a block scalar, which the parser reads as empty); those
 * cases say nothing about the offset map.
 */
function yamlRoundTrips(doc: string, path: (string | number)[], s: string): boolean {
  let value: unknown;
  try {
    value = yaml.parse(doc, { customTags: [{ tag: '!Sub', resolve: (v: string) => v }] });
  } catch {
    return false;
  }
  for (const segment of path) value = (value as Record<string | number, unknown> | undefined)?.[segment];
  return value === s;
}

// ------------------------------------------------------------------------------------------------------------
// Encoders for the styles yaml.stringify does not vary on its own

/** A JSON string literal with random escapes (`\uXXXX`, `\/`, short escapes). */
function encodeJsonStringRandomly(s: string, pick: number[]): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const choice = pick[i % pick.length];
    const code = c.charCodeAt(0);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (code < 0x20)
      out +=
        choice % 2 === 0
          ? `\\u${code.toString(16).padStart(4, '0')}`
          : (({ '\n': '\\n', '\t': '\\t' } as Record<string, string>)[c] ?? `\\u${code.toString(16).padStart(4, '0')}`);
    else if (c === '/' && choice % 2 === 0) out += '\\/';
    else if (choice === 7) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

const isBlankChar = (c: string | undefined): boolean => c === ' ' || c === '\t';
const safeToFoldAround = (s: string, i: number, j: number): boolean =>
  i > 0 && j < s.length && !isBlankChar(s[i - 1]) && !isBlankChar(s[j]) && s[i - 1] !== '\n' && s[j] !== '\n';

/**
 * A YAML double-quoted scalar with random escapes (`\x`, `\u`, `\U`, `\N`-style), escaped line breaks, and raw
 * line folding (a space as a line break, newlines as empty lines). `indent` is the continuation-line indentation.
 */
function encodeYamlDoubleRandomly(s: string, pick: number[], indent: string): string {
  let out = '"';
  let i = 0;
  let n = 0;
  const next = (): number => pick[n++ % pick.length];
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const c = String.fromCodePoint(cp);
    const choice = next();
    if (c === '\n') {
      let j = i;
      while (s[j] === '\n') j++;
      if (choice < 5 && safeToFoldAround(s, i, j)) {
        out += `\n${'\n'.repeat(j - i)}${indent}`;
        i = j;
        continue;
      }
      out += '\\n';
    } else if (c === ' ' && choice < 3 && safeToFoldAround(s, i, i + 1)) {
      out += `\n${indent}`;
    } else if (c === '"' || c === '\\') {
      out += `\\${c}`;
    } else if (c === '\t') {
      out += choice % 2 === 0 ? '\\t' : '\\x09';
    } else if (c === ' ') {
      out += choice === 9 ? '\\ ' : choice === 8 ? '\\x20' : ' ';
    } else if (choice === 9) {
      out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    } else if (choice === 8 && cp < 0x100) {
      out += `\\x${cp.toString(16).padStart(2, '0')}`;
    } else if (c === '\u00a0' && choice % 2 === 0) {
      out += '\\_';
    } else {
      out += c;
    }
    // An escaped line break: joins lines without a space; only before a non-blank character.
    if (next() === 0 && i + c.length < s.length && !isBlankChar(s[i + c.length]) && s[i + c.length] !== '\n') {
      out += `\\\n${indent}`;
    }
    i += c.length;
  }
  return `${out}"`;
}

/** A YAML single-quoted scalar with raw folding; undefined when a newline cannot be written that way. */
function encodeYamlSingleRandomly(s: string, pick: number[], indent: string): string | undefined {
  let out = "'";
  let i = 0;
  let n = 0;
  while (i < s.length) {
    const c = s[i];
    const choice = pick[n++ % pick.length];
    if (c === '\n') {
      let j = i;
      while (s[j] === '\n') j++;
      if (!safeToFoldAround(s, i, j)) return undefined;
      out += `\n${'\n'.repeat(j - i)}${indent}`;
      i = j;
      continue;
    }
    if (c === ' ' && choice < 4 && safeToFoldAround(s, i, i + 1)) out += `\n${indent}`;
    else if (c === "'") out += "''";
    else out += c;
    i++;
  }
  return `${out}'`;
}

/** A YAML literal block scalar (`|`), with an explicit indentation indicator when `explicit` (or when needed). */
function encodeYamlLiteral(s: string, contentIndent: number, explicit: number | undefined): string | undefined {
  if (s.includes('\r')) return undefined;
  const trailing = /\n*$/.exec(s)![0].length;
  const body0 = trailing > 0 ? s.slice(0, s.length - trailing) : s;
  const chomp = trailing === 0 ? '-' : trailing === 1 && body0.length > 0 ? '' : '+';
  const body = trailing > 0 ? s.slice(0, s.length - trailing) : s;
  const lines = body.length > 0 || trailing > 0 ? body.split('\n') : [];
  if (body.length === 0 && trailing > 0) lines.length = 0;
  const needsIndicator = lines.some((l) => l.length > 0) && /^[ \t]/.test(lines.find((l) => l.length > 0)!);
  const indicator = explicit !== undefined || needsIndicator ? String(explicit ?? 2) : '';
  const pad = ' '.repeat(contentIndent);
  let out = `|${indicator}${chomp}\n`;
  for (const line of lines) out += line.length > 0 ? `${pad}${line}\n` : '\n';
  // Trailing newlines kept with `+` are empty lines.
  if (trailing > 1 || (trailing === 1 && body.length === 0)) out += '\n'.repeat(trailing - (body.length > 0 ? 1 : 0));
  return out;
}

// ------------------------------------------------------------------------------------------------------------

describe('string source maps: examples', () => {
  it('maps JSON escapes to the backslash that starts them', () => {
    const doc = '{"p": "a\\"b\\\\c\\u0041\\/\\n"}';
    checkEmbedded(doc, 'json', ['p'], 'a"b\\cA/\n');
    const { root } = parseDocument(doc, 'json');
    const decoded = decodeStringNode(getProperty(root, 'p') as StringNode, doc);
    assert.deepEqual(Array.from(decoded.offsets), [7, 8, 10, 11, 13, 14, 20, 22, 24]);
  });

  it('decodes invalid JSON escapes as jsonc-parser does (dropped), keeping an exact map', () => {
    const doc = '{"p": "a\\u12zz\\qb"}';
    const { root } = parseDocument(doc, 'json');
    const node = getProperty(root, 'p') as StringNode;
    assert.equal(node.value, 'azzb');
    const decoded = decodeStringNode(node, doc);
    assert.equal(decoded.value, 'azzb');
    assert.deepEqual(
      Array.from(decoded.offsets).map((o) => doc[o]),
      ['a', 'z', 'z', 'b', '"'],
    );
  });

  it('agrees with jsonc-parser on raw literal contents, valid or not', () => {
    const raw = fc.string({
      unit: fc.constantFrom('a', 'u', '0', 'F', '\\', '"', '/', 'n', ' ', '\t', 'é'),
      maxLength: 20,
    });
    fc.assert(
      fc.property(raw, (content) => {
        const doc = `{"p": "${content}"}`;
        const node = getProperty(parseDocument(doc, 'json').root, 'p');
        fc.pre(node?.type === 'string');
        const decoded = decodeStringSource(doc, 'json', node.offset, node.offset + node.length);
        assert.equal(decoded.value, node.value, doc);
        for (let i = 0; i < decoded.value.length; i++) {
          const src = doc[decoded.offsets[i]];
          assert.ok(src === decoded.value[i] || src === '\\', `${doc} #${i}`);
        }
      }),
      RUNS,
    );
  });

  it('maps YAML single quotes with doubled quotes and folding', () => {
    checkEmbedded("p: 'it''s\n  folded\n\n  twice'\n", 'yaml', ['p'], "it's folded\ntwice");
  });

  it('maps YAML double quotes with all escape kinds and an escaped line break', () => {
    checkEmbedded(
      'p: "\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\\0\\e\\ \\/ a\\\n    b"\n',
      'yaml',
      ['p'],
      'Aé😀\u0085\u00a0\u2028\u2029\0\x1b / ab',
    );
  });

  it('maps plain multi-line scalars', () => {
    checkEmbedded('p: one two  \n  three\n\n  four\n', 'yaml', ['p'], 'one two three\nfour');
  });

  it('maps literal block scalars with indentation indicators and chomping', () => {
    checkEmbedded('p: |2-\n    {\n   "a": 1}\nq: 1\n', 'yaml', ['p'], '  {\n "a": 1}');
    checkEmbedded('p: |+\n  x\n\n\nq: 1\n', 'yaml', ['p'], 'x\n\n\n');
    checkEmbedded('- k: |\n    {"a":\n      [1]}\n', 'yaml', [0, 'k'], '{"a":\n  [1]}\n');
  });

  it('maps folded block scalars, keeping breaks around more-indented lines', () => {
    checkEmbedded('p: >-\n  a\n  b\n\n  c\n    d\n  e\n', 'yaml', ['p'], 'a b\nc\n  d\ne');
    checkEmbedded('p: >\n  {"source":\n  ["x"]}\n', 'yaml', ['p'], '{"source": ["x"]}\n');
  });

  it('maps CRLF documents', () => {
    checkEmbedded('p: |\r\n  {"a":\r\n   1}\r\nq: "x\r\n  y"\r\n', 'yaml', ['p'], '{"a":\n 1}\n');
    checkEmbedded('p: |\r\n  {"a":\r\n   1}\r\nq: "x\r\n  y"\r\n', 'yaml', ['q'], 'x y');
  });

  it('maps the template of a !Sub', () => {
    checkEmbedded(
      'P: !Sub |\n  {"account": ["${AWS::AccountId}"]}\n',
      'yaml',
      ['P'],
      '{"account": ["${AWS::AccountId}"]}\n',
    );
  });
});

describe('string source maps: properties (fast-check)', () => {
  it('JSON string literals as JSON.stringify writes them', () => {
    fc.assert(
      fc.property(anyText, (s) =>
        checkEmbedded(
          `{"Properties": {"EventPattern": ${JSON.stringify(s)}}}`,
          'json',
          ['Properties', 'EventPattern'],
          s,
        ),
      ),
      RUNS,
    );
  });

  it('JSON string literals with random escapes', () => {
    fc.assert(
      fc.property(anyText, choices, (s, pick) =>
        checkEmbedded(
          `{\n  "Filters": [ { "Pattern": ${encodeJsonStringRandomly(s, pick)} } ]\n}`,
          'json',
          ['Filters', 0, 'Pattern'],
          s,
        ),
      ),
      RUNS,
    );
  });

  const yamlStyles = ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const;
  for (const style of yamlStyles) {
    for (const sub of [false, true]) {
      for (const crlf of [false, true]) {
        it(`YAML ${style}${sub ? ' under !Sub' : ''}${crlf ? ' with CRLF' : ''}, as yaml.stringify writes it (folding at narrow widths)`, () => {
          fc.assert(
            fc.property(anyText, fc.integer({ min: 20, max: 100 }), fc.boolean(), (s, lineWidth, inSequence) => {
              const holder = inSequence ? { Filters: [{ Pattern: s }] } : { Properties: { EventPattern: s } };
              let doc = yaml.stringify(
                { Resources: { R: holder } },
                {
                  defaultStringType: style,
                  defaultKeyType: 'PLAIN',
                  lineWidth,
                  minContentWidth: 0,
                  blockQuote: style === 'BLOCK_FOLDED' ? 'folded' : true,
                },
              );
              if (sub) doc = doc.replace(/(Pattern|EventPattern): /, '$1: !Sub ');
              if (crlf) doc = doc.replace(/\n/g, '\r\n');
              const path = inSequence
                ? ['Resources', 'R', 'Filters', 0, 'Pattern']
                : ['Resources', 'R', 'Properties', 'EventPattern'];
              fc.pre(yamlRoundTrips(doc, path, s));
              checkEmbedded(doc, 'yaml', path, s);
            }),
            { numRuns: Math.ceil(RUNS.numRuns / 2) },
          );
        });
      }
    }
  }

  it('YAML double-quoted with random escapes, escaped line breaks and folding', () => {
    fc.assert(
      fc.property(anyText, choices, fc.integer({ min: 1, max: 6 }), (s, pick, extraIndent) => {
        const indent = ' '.repeat(4 + extraIndent);
        const doc = `Resources:\n  R:\n    Pattern: ${encodeYamlDoubleRandomly(s, pick, indent)}\n    Other: 1\n`;
        checkEmbedded(doc, 'yaml', ['Resources', 'R', 'Pattern'], s);
      }),
      RUNS,
    );
  });

  it('YAML single-quoted with random folding', () => {
    fc.assert(
      fc.property(anyText, choices, fc.integer({ min: 1, max: 6 }), (s, pick, extraIndent) => {
        const encoded = encodeYamlSingleRandomly(s, pick, ' '.repeat(6 + extraIndent));
        fc.pre(encoded !== undefined);
        const doc = `Filters:\n  - Pattern: ${encoded}\n    Next: x\n`;
        checkEmbedded(doc, 'yaml', ['Filters', 0, 'Pattern'], s);
      }),
      RUNS,
    );
  });

  it('YAML literal blocks with auto-detected and explicit indentation, in mappings and sequences', () => {
    fc.assert(
      fc.property(
        anyText,
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.boolean(),
        (s, step, explicit, inSequence) => {
          // The mapping holding `Pattern` is at column 4 (under a sequence entry) or 2.
          const parentIndent = inSequence ? 4 : 2;
          const encoded = encodeYamlLiteral(s, parentIndent + step, explicit ? step : undefined);
          fc.pre(encoded !== undefined);
          const needed = /^\|\d/.test(encoded);
          fc.pre(!needed || explicit || step === 2);
          const doc = inSequence
            ? `Filters:\n  - Pattern: ${encoded}    Next: x\n`
            : `R:\n  Pattern: ${encoded}  Next: x\n`;
          const path = inSequence ? ['Filters', 0, 'Pattern'] : ['R', 'Pattern'];
          fc.pre(yamlRoundTrips(doc, path, s));
          checkEmbedded(doc, 'yaml', path, s);
        },
      ),
      RUNS,
    );
  });
});
