import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getProperty, pathOf, toPlainValue, type AstNode, type ObjectNode } from '../../../server/src/engine/jsonAst';
import {
  isIntrinsicNode,
  MAX_ALIAS_EXPANSION_NODES,
  MAX_NESTING_DEPTH,
  parseDocument,
  parseYamlText,
  type IntrinsicNode,
} from '../../../server/src/languageservice/parsing/documentParser';
import { parseValidYamlByRegions } from '../../../server/src/languageservice/parsing/yamlRegions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repoPaths';
import { documentLanguage, sniffLanguage } from '../../../server/src/languageservice/sites/documentAnalysis';
import { relaxFlowIndentation } from '../../../server/src/languageservice/parsing/yamlFlowIndentation';

/** The source text a node covers. */
const sourceOf = (text: string, node: { offset: number; length: number } | undefined): string =>
  node ? text.slice(node.offset, node.offset + node.length) : '<none>';

function at(root: AstNode | undefined, ...path: (string | number)[]): AstNode | undefined {
  let node = root;
  for (const segment of path) {
    node =
      typeof segment === 'number'
        ? node?.type === 'array'
          ? node.items[segment]
          : undefined
        : getProperty(node, segment);
  }
  return node;
}

function countNodes(root: AstNode | undefined): { total: number; unknown: number; maxDepth: number } {
  let total = 0;
  let unknown = 0;
  let maxDepth = 0;
  const stack: [AstNode, number][] = root ? [[root, 1]] : [];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    total++;
    maxDepth = Math.max(maxDepth, depth);
    if (node.type === 'unknown') unknown++;
    if (node.type === 'object') for (const p of node.properties) if (p.value) stack.push([p.value, depth + 1]);
    if (node.type === 'array') for (const item of node.items) stack.push([item, depth + 1]);
  }
  return { total, unknown, maxDepth };
}

describe('parseDocument: JSON', () => {
  it('builds typed nodes with offsets, keeping number spellings', () => {
    const text = '{"a": 1.0e2, "b": "x\\ny", "c": [true, null, -0], "d": {}}';
    const { root, syntaxErrors } = parseDocument(text, 'json');
    assert.deepEqual(syntaxErrors, []);
    assert.equal(root?.type, 'object');
    const a = at(root, 'a');
    assert.equal(a?.type, 'number');
    assert.equal(a.type === 'number' && a.text, '1.0e2');
    assert.equal(a.type === 'number' && a.value, 100);
    assert.equal(sourceOf(text, at(root, 'b')), '"x\\ny"');
    assert.equal(at(root, 'b')?.type === 'string' && (at(root, 'b') as { value: string }).value, 'x\ny');
    assert.equal(at(root, 'c', 2)?.type === 'number' && (at(root, 'c', 2) as { text: string }).text, '-0');
    const property = root.properties[0];
    assert.equal(sourceOf(text, property.key), '"a"');
    assert.equal(text[property.colonOffset], ':');
    assert.equal(sourceOf(text, property), '"a": 1.0e2');
    assert.deepEqual(toPlainValue(root), { a: 100, b: 'x\ny', c: [true, null, -0], d: {} });
  });

  it('links parents so paths can be computed', () => {
    const { root } = parseDocument('{"detail": {"state": ["a", "b"]}}', 'json');
    const b = at(root, 'detail', 'state', 1)!;
    assert.deepEqual(pathOf(b, root), ['detail', 'state', 1]);
  });

  it('tolerates comments and trailing commas without errors', () => {
    const { root, syntaxErrors } = parseDocument('{\n // c\n "a": [1, 2,], /* d */\n}', 'json');
    assert.deepEqual(syntaxErrors, []);
    assert.deepEqual(toPlainValue(root), { a: [1, 2] });
  });

  it('turns long-form intrinsics into unknown nodes with their argument', () => {
    const text =
      '{"a": {"Ref": "Stage"}, "b": {"Fn::Sub": ["x${Y}", {"Y": {"Ref": "Z"}}]}, "c": {"Ref": ["field"]}, "d": {"Condition": "C"}}';
    const { root } = parseDocument(text, 'json');
    const a = at(root, 'a');
    assert.ok(isIntrinsicNode(a));
    assert.equal(a.intrinsic, 'Ref');
    assert.equal(a.tag, 'Ref');
    assert.equal(a.description, 'Ref Stage');
    assert.equal(sourceOf(text, a), '{"Ref": "Stage"}');
    const b = at(root, 'b') as IntrinsicNode;
    assert.equal(b.intrinsic, 'Fn::Sub');
    assert.equal(b.argument?.type, 'array');
    assert.equal(b.argument?.parent, b);
    assert.ok(isIntrinsicNode(at(b.argument, 1, 'Y')));
    // A pattern field named Ref with a match list, and Condition outside conditions, stay objects.
    assert.equal(at(root, 'c')?.type, 'object');
    assert.equal(at(root, 'd')?.type, 'object');
  });

  it('reports syntax errors with offsets and keeps a partial tree', () => {
    const text = '{"a": [1, 2 "b": }';
    const { root, syntaxErrors } = parseDocument(text, 'json');
    assert.ok(syntaxErrors.length > 0);
    assert.ok(syntaxErrors.every((e) => e.offset >= 0 && e.offset <= text.length && e.severity === 'error'));
    assert.equal(syntaxErrors[0].message, 'Comma expected');
    assert.equal(syntaxErrors[0].offset, text.indexOf('"b"'));
    assert.equal(root?.type, 'object');
    const unclosed = parseDocument('{"a": [1, ', 'json');
    assert.equal(unclosed.root?.type === 'object' && unclosed.root.closed, false);
    assert.equal(
      at(unclosed.root, 'a')?.type === 'array' && (at(unclosed.root, 'a') as { closed: boolean }).closed,
      false,
    );
  });

  it('gives no root and no error for an empty document', () => {
    assert.deepEqual(parseDocument('', 'json'), { root: undefined, syntaxErrors: [] });
    assert.deepEqual(parseDocument('  \n// only a comment\n', 'json'), { root: undefined, syntaxErrors: [] });
  });

  it('refuses very deep nesting without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const { root, syntaxErrors } = parseDocument(deep, 'json');
    assert.equal(root, undefined);
    assert.match(syntaxErrors[0].message, /nested more than/);
    const fine = '['.repeat(MAX_NESTING_DEPTH) + ']'.repeat(MAX_NESTING_DEPTH);
    const ok = parseDocument(fine, 'json');
    assert.deepEqual(ok.syntaxErrors, []);
    assert.equal(countNodes(ok.root).maxDepth, MAX_NESTING_DEPTH);
  });
});

describe('parseDocument: JSON templates with syntax errors, read entry by entry', () => {
  const entry = (name: string, pattern: string): string =>
    `    "${name}": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": ${pattern}}}`;
  const template = (first: string, separator = ','): string =>
    [
      '{',
      '  "Parameters": {"Stage": {"Type": "String"}},',
      '  "Resources": {',
      first + separator,
      entry('Second', '{"source": ["aws.s3"], "detail": {"n": [{"numeric": [">", 1]}]}}') + ',',
      entry('Third', '{"source": ["orders"]}'),
      '  },',
      '  "Outputs": {"Out": {"Value": "x"}}',
      '}',
      '',
    ].join('\n');
  const valid = entry('First', '{"source": ["aws.ec2"], "detail-type": ["x"]}');
  const plain = (text: string, ...path: string[]): unknown =>
    toPlainValue(at(parseDocument(text, 'json').root, ...path));
  const breaks: [string, string, string?][] = [
    ['a `]` left out', entry('First', '{"source": ["aws.ec2" "detail-type": ["x"]}')],
    ['a string left open', entry('First', '{"source": ["aws.ec2], "detail-type": ["x"]}')],
    ['a `}` too many', entry('First', '{"source": ["aws.ec2"]}}, "detail-type": ["x"]}')],
    ['a `}` left out', valid.slice(0, -1)],
    ['a `:` left out', entry('First', '{"source" ["aws.ec2"], "detail-type": ["x"]}')],
    ['the comma after the entry left out', valid, ''],
    // The recovery closes the entry early, and reads the lines after as properties after it.
    [
      'a quote typed into a key',
      [
        '    "First": {',
        '      "Type": "AWS::Events::Rule",',
        '      "Properties": {',
        '        "EventPattern": {',
        '          "source": ["aws.ec2"],',
        '          "detail-ty"pe": ["EC2 Instance State-change Notification"],',
        '          "detail": {"state": ["running", {"prefix": "st1"}]}',
        '        },',
        '        "Targets": [{"Id": "t1", "Arn": {"Fn::GetAtt": ["Q", "Arn"]}}]',
        '      }',
        '    }',
      ].join('\n'),
    ],
  ];
  for (const [what, first, separator] of breaks) {
    it(`${what}: the problems stay in the entry, the entries after it are read as if it were fine`, () => {
      const text = template(first, separator);
      const { syntaxErrors } = parseDocument(text, 'json');
      assert.ok(syntaxErrors.length > 0);
      const start = text.indexOf('"First"');
      const end = text.indexOf('"Second"');
      for (const e of syntaxErrors) assert.ok(e.offset >= start && e.offset + e.length <= end, JSON.stringify(e));
      const fine = template(valid);
      for (const name of ['Second', 'Third'])
        assert.deepEqual(plain(text, 'Resources', name), plain(fine, 'Resources', name), name);
      assert.deepEqual(plain(text, 'Outputs'), plain(fine, 'Outputs'));
      // Offsets are the text's own.
      const second = at(parseDocument(text, 'json').root, 'Resources', 'Second', 'Properties', 'EventPattern');
      assert.equal(sourceOf(text, second), '{"source": ["aws.s3"], "detail": {"n": [{"numeric": [">", 1]}]}}');
    });
  }

  it('reports a comma missing after an entry just after its value', () => {
    const text = template(valid, '');
    const { syntaxErrors } = parseDocument(text, 'json');
    const valueEnd = text.indexOf(valid) + valid.length;
    assert.deepEqual(syntaxErrors, [{ offset: valueEnd, length: 0, message: 'Comma expected', severity: 'error' }]);
  });

  it('keeps a problem of the last entry in it, up to the brace that closes Resources', () => {
    const text = template(valid).replace('{"source": ["orders"]}', '{"source": ["orders"}');
    const { root, syntaxErrors } = parseDocument(text, 'json');
    const start = text.indexOf('"Third"');
    const close = text.indexOf('  },\n  "Outputs"') + 2;
    assert.ok(syntaxErrors.length > 0);
    for (const e of syntaxErrors) assert.ok(e.offset >= start && e.offset <= close, JSON.stringify(e));
    assert.deepEqual(plain(text, 'Resources', 'Second'), plain(template(valid), 'Resources', 'Second'));
    assert.deepEqual(toPlainValue(at(root, 'Outputs')), { Out: { Value: 'x' } });
  });

  it('reads the entries of a template whose problem is outside Resources', () => {
    const text = template(valid).replace('"Type": "String"}}', '"Type": "String"} "Other": {"Type": "String"}}');
    const { syntaxErrors } = parseDocument(text, 'json');
    assert.ok(syntaxErrors.length > 0 && syntaxErrors.every((e) => e.offset < text.indexOf('"Resources"')));
    for (const name of ['First', 'Second', 'Third'])
      assert.deepEqual(plain(text, 'Resources', name), plain(template(valid), 'Resources', name), name);
  });

  it('reads a template on one line, or with a block comment, whole (no lines to cut its entries by)', () => {
    const broken = template(entry('First', '{"source": ["aws.ec2"}'));
    const oneLine = broken.replace(/\n\s*/g, '');
    // The recovery of a whole parse takes the next entries into the broken one.
    assert.equal(at(parseDocument(oneLine, 'json').root, 'Resources', 'Second'), undefined);
    const commented = broken.replace('"Parameters"', '/* c */ "Parameters"');
    assert.equal(at(parseDocument(commented, 'json').root, 'Resources', 'Second'), undefined);
    assert.notEqual(at(parseDocument(broken, 'json').root, 'Resources', 'Second'), undefined);
    // `/*` in a string (a wildcard, an ARN) is no comment.
    const wildcard = template(entry('First', '{"source": ["aws.ec2"]}}, "detail-type": ["x"]}')).replace(
      '"source": ["orders"]',
      '"source": ["orders"], "k": [{"wildcard": "a/*/b"}]',
    );
    assert.deepEqual(toPlainValue(at(parseDocument(wildcard, 'json').root, 'Resources', 'Third', 'Properties')), {
      EventPattern: { source: ['orders'], k: [{ wildcard: 'a/*/b' }] },
    });
  });
});

describe('parseDocument: YAML', () => {
  it('types scalars as YAML 1.2 does, keeps number spellings, quoted values stay strings', () => {
    const text = 'a: true\nb: 123\nc: null\nd: ~\ne: "true"\nf: \'123\'\ng: 1.50\nh: 0x1F\ni: plain text\nj:\n';
    const { root, syntaxErrors } = parseDocument(text, 'yaml');
    assert.deepEqual(syntaxErrors, []);
    assert.deepEqual(toPlainValue(root), {
      a: true,
      b: 123,
      c: null,
      d: null,
      e: 'true',
      f: '123',
      g: 1.5,
      h: 31,
      i: 'plain text',
      j: null,
    });
    const g = at(root, 'g');
    assert.equal(g?.type === 'number' && g.text, '1.50');
    // YAML-only spellings are not JSON numbers: the value's own text is kept instead.
    const h = at(root, 'h');
    assert.equal(h?.type === 'number' && h.text, '31');
    assert.equal(sourceOf(text, at(root, 'i')), 'plain text');
  });

  it('records keys, colons and property ranges', () => {
    const text = 'Resources:\n  "My Rule":\n    Type: AWS::Events::Rule\n';
    const { root } = parseDocument(text, 'yaml');
    const resources = at(root, 'Resources') as ObjectNode;
    const property = resources.properties[0];
    assert.equal(property.key.value, 'My Rule');
    assert.equal(sourceOf(text, property.key), '"My Rule"');
    assert.equal(text[property.colonOffset], ':');
    assert.equal(sourceOf(text, property), '"My Rule":\n    Type: AWS::Events::Rule');
    assert.equal(sourceOf(text, resources), '"My Rule":\n    Type: AWS::Events::Rule');
    assert.equal(property.key.parent, property);
    assert.equal(property.parent, resources);
  });

  it('turns short-form intrinsics into unknown nodes that span the tag and keep their argument', () => {
    const text = [
      'a: !Ref Stage',
      'b: !Sub \'{"source": ["${X}"]}\'',
      'c: !GetAtt Bus.Arn',
      'd: !If [IsProd, {source: [p]}, !Ref AWS::NoValue]',
      "e: !Sub ['x${Y}', {Y: !Ref Z}]",
      'f: &anchor !Ref Q',
      "g: !Join ['', [a, b]]",
      '',
    ].join('\n');
    const { root, syntaxErrors } = parseDocument(text, 'yaml');
    assert.deepEqual(syntaxErrors, []);
    const a = at(root, 'a') as IntrinsicNode;
    assert.equal(a.type, 'unknown');
    assert.equal(a.tag, '!Ref');
    assert.equal(a.intrinsic, 'Ref');
    assert.equal(a.description, '!Ref Stage');
    assert.equal(sourceOf(text, a), '!Ref Stage');
    const b = at(root, 'b') as IntrinsicNode;
    assert.equal(b.intrinsic, 'Fn::Sub');
    assert.equal(b.argument?.type === 'string' && b.argument.value, '{"source": ["${X}"]}');
    assert.equal(b.argument?.tag, undefined);
    assert.equal(b.argument?.parent, b);
    assert.equal((at(root, 'c') as IntrinsicNode).description, '!GetAtt Bus.Arn');
    const d = at(root, 'd') as IntrinsicNode;
    assert.equal(d.intrinsic, 'Fn::If');
    assert.equal(sourceOf(text, d), '!If [IsProd, {source: [p]}, !Ref AWS::NoValue]');
    assert.equal(d.argument?.type, 'array');
    assert.equal(d.argument?.tag, undefined);
    assert.ok(isIntrinsicNode(at(d.argument, 2)));
    assert.equal((at(root, 'e') as IntrinsicNode).argument?.type, 'array');
    assert.equal(sourceOf(text, at(root, 'f')), '&anchor !Ref Q');
    assert.equal((at(root, 'g') as IntrinsicNode).intrinsic, 'Fn::Join');
  });

  it('turns long-form intrinsics written in YAML into unknown nodes', () => {
    const text = 'a:\n  Fn::Sub: "x"\nb:\n  Ref: X\nc:\n  Ref: [not, intrinsic]\n';
    const { root } = parseDocument(text, 'yaml');
    const a = at(root, 'a') as IntrinsicNode;
    assert.equal(a.intrinsic, 'Fn::Sub');
    assert.equal(a.argument?.type === 'string' && a.argument.value, 'x');
    assert.equal((at(root, 'b') as IntrinsicNode).description, 'Ref X');
    assert.equal(at(root, 'c')?.type, 'object');
  });

  it('accepts CloudFormation tags on any node kind silently, and records other tags with a warning', () => {
    const { root, syntaxErrors } = parseDocument('a: !Ref {x: 1}\nb: !GetAZs ""\nc: !Foo bar\nd: !!str 12\n', 'yaml');
    assert.deepEqual(
      syntaxErrors.map((e) => e.severity),
      ['warning'],
    );
    assert.ok(isIntrinsicNode(at(root, 'a')));
    assert.ok(isIntrinsicNode(at(root, 'b')));
    assert.equal(at(root, 'c')?.tag, '!Foo');
    assert.equal(at(root, 'd')?.type === 'string' && (at(root, 'd') as { value: string }).value, '12');
  });

  it('resolves aliases into copies spanning the alias', () => {
    const text = 'base: &p\n  source: [orders]\nuse: *p\n';
    const { root } = parseDocument(text, 'yaml');
    const use = at(root, 'use');
    assert.deepEqual(toPlainValue(use), { source: ['orders'] });
    assert.equal(sourceOf(text, use), '*p');
    assert.equal(sourceOf(text, at(use, 'source', 0)), '*p');
  });

  it('bounds alias bombs (billion laughs) and stops recursive aliases', () => {
    const names = 'abcdefghi';
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < names.length; i++)
      bomb += `${names[i]}: &${names[i]} [${Array(9)
        .fill(`*${names[i - 1]}`)
        .join(',')}]\n`;
    const started = performance.now();
    const { root } = parseDocument(bomb, 'yaml');
    const elapsed = performance.now() - started;
    const counts = countNodes(root);
    assert.ok(counts.total < MAX_ALIAS_EXPANSION_NODES * 2, `expanded to ${counts.total} nodes`);
    assert.ok(counts.unknown > 0);
    assert.ok(elapsed < 5000, `alias bomb took ${elapsed} ms`);

    const recursive = parseDocument('a: &a [1, *a]\n', 'yaml');
    const inner = at(recursive.root, 'a', 1, 1);
    assert.equal(inner?.type, 'unknown');
    assert.match((inner as { description: string }).description, /recursive/);
  });

  it('uses the first document of a multi-document stream, reporting errors from all', () => {
    const text = 'a: 1\n---\nb: [\n';
    const { root, syntaxErrors } = parseDocument(text, 'yaml');
    assert.deepEqual(toPlainValue(root), { a: 1 });
    assert.ok(syntaxErrors.length > 0);
    assert.ok(syntaxErrors.every((e) => e.offset >= text.indexOf('b:')));
  });

  it('reports syntax errors with offsets and keeps a partial tree', () => {
    const text = 'a:\n  b: [1, 2\nc: "unterminated\n';
    const { root, syntaxErrors } = parseDocument(text, 'yaml');
    assert.ok(syntaxErrors.length > 0);
    for (const e of syntaxErrors) {
      assert.ok(e.offset >= 0 && e.offset + e.length <= text.length);
      assert.ok(!e.message.includes('\n'), 'messages are plain, without a code excerpt');
    }
    assert.equal(root?.type, 'object');
    const b = at(root, 'a', 'b');
    assert.equal(b?.type === 'array' && b.closed, false);
    const closed = at(parseDocument('a: [1, {b: 2}]\n', 'yaml').root, 'a');
    assert.equal(closed?.type === 'array' && closed.closed, true);
  });

  it('gives no root for empty and comment-only documents', () => {
    assert.deepEqual(parseDocument('', 'yaml'), { root: undefined, syntaxErrors: [] });
    assert.deepEqual(parseDocument('# nothing\n', 'yaml'), { root: undefined, syntaxErrors: [] });
    assert.equal(parseDocument('---\n', 'yaml').root?.type ?? 'none', 'null');
  });

  it('refuses nesting deep enough to endanger the parser, and handles moderate nesting', () => {
    const flow = parseDocument(`a: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`, 'yaml');
    assert.equal(flow.root, undefined);
    assert.match(flow.syntaxErrors[0].message, /nested too deeply/);
    let block = '';
    for (let i = 0; i < 3000; i++) block += `${' '.repeat(i)}k:\n`;
    assert.equal(parseDocument(block, 'yaml').root, undefined);
    const compact = parseDocument(`${'- '.repeat(5000)}x\n`, 'yaml');
    assert.equal(compact.root, undefined);

    const moderateFlow = parseDocument(`a: ${'['.repeat(400)}${']'.repeat(400)}\n`, 'yaml');
    assert.deepEqual(moderateFlow.syntaxErrors, []);
    assert.equal(countNodes(moderateFlow.root).maxDepth, 401);
    let moderateBlock = '';
    for (let i = 0; i < 400; i++) moderateBlock += `${' '.repeat(i)}k:\n`;
    const blockResult = parseDocument(moderateBlock, 'yaml');
    assert.deepEqual(blockResult.syntaxErrors, []);
    assert.equal(countNodes(blockResult.root).maxDepth, 401);
  });

  it('refuses, always the same way, a flow collection left open that would take the parser too deep', () => {
    // The yaml parser opens a level every few lines after a `{` typed before an entry's key: thousands of entries
    // after it used to overflow the stack (or not, depending on how much was left).
    const entries = Array.from({ length: 3000 }, (_, i) =>
      [
        `  Rule${i}:`,
        '    Type: AWS::Events::Rule',
        '    Properties:',
        '      EventPattern:',
        `        source: [s${i}]`,
        '      Targets:',
        `        - Id: t${i}`,
        `          Arn: !GetAtt Queue${i}.Arn`,
      ].join('\n'),
    );
    const text = ['Resources:', ...entries, ''].join('\n').replace('  Rule5:', '  {Rule5:');
    for (let run = 0; run < 3; run++) {
      const { root, syntaxErrors } = parseDocument(text, 'yaml');
      assert.equal(root, undefined);
      assert.match(syntaxErrors[0].message, /nested too deeply/);
    }
    // Typed inside an entry, the collection left open stays in its entry: the others are read.
    const inside = text.replace('  {Rule5:', '  Rule5:').replace('source: [s7]', 'source: {[s7]');
    const parsed = parseDocument(inside, 'yaml');
    assert.ok(parsed.syntaxErrors.length > 0);
    assert.deepEqual(toPlainValue(at(parsed.root, 'Resources', 'Rule2999', 'Properties', 'EventPattern')), {
      source: ['s2999'],
    });
  });

  it('keeps offsets exact with CRLF line endings', () => {
    const text = 'a:\r\n  b: !Ref X\r\n  c: "q"\r\n';
    const { root } = parseDocument(text, 'yaml');
    assert.equal(sourceOf(text, at(root, 'a', 'b')), '!Ref X');
    assert.equal(sourceOf(text, at(root, 'a', 'c')), '"q"');
  });
});

void it('JSON syntax errors stay inside the text, even for an unclosed comment at its end', () => {
  for (const text of ['/*', '{"a": 1 /*', '/* x']) {
    const { syntaxErrors } = parseDocument(text, 'json');
    assert.ok(syntaxErrors.length > 0, text);
    for (const e of syntaxErrors)
      assert.ok(e.offset >= 0 && e.offset + e.length <= text.length, `${text}: ${JSON.stringify(e)}`);
  }
});

describe('syntax errors the diagnostics are made of', () => {
  it('YAML: missing ], missing , between quoted items, unclosed quote, bad indentation, each with its parser code', () => {
    const cases: [string, string, RegExp][] = [
      ['r:\n  source: [aws.ec2\n  detail-type: [x]\nq: 1\n', 'BAD_INDENT', /end with a \]/],
      ['r:\n  source: ["aws.ec2" "aws.s3"]\n', 'MISSING_CHAR', /Missing , or :/],
      ['r:\n  source: "aws.ec2\nq: 1\n', 'MISSING_CHAR', /Missing closing "quote/],
      ['r:\n  a: 1\n b: 2\n', 'BAD_INDENT', /same column/],
      ['r:\n\ta: 1\n', 'TAB_AS_INDENT', /Tabs are not allowed/],
    ];
    for (const [text, code, message] of cases) {
      const errors = parseDocument(text, 'yaml').syntaxErrors.filter((e) => e.severity === 'error');
      assert.ok(errors.length > 0, text);
      assert.equal(errors[0].code, code, text);
      assert.match(errors[0].message, message, text);
    }
    // A tag the parser does not know is a warning (the document still reads), with its code too.
    const [warning] = parseDocument('a: !Custom x\n', 'yaml').syntaxErrors;
    assert.deepEqual([warning.severity, warning.code], ['warning', 'TAG_RESOLVE_FAILED']);
  });

  it('JSON: a missing comma is reported at the token after it; a missing ] where the parser gives up', () => {
    const comma = '{\n  "a": [1]\n  "b": 2\n}';
    assert.deepEqual(
      parseDocument(comma, 'json').syntaxErrors.map((e) => [e.message, e.offset]),
      [['Comma expected', comma.indexOf('"b"')]],
    );
    const bracket = '{\n  "a": [1\n}';
    const messages = parseDocument(bracket, 'json').syntaxErrors.map((e) => e.message);
    assert.ok(messages.includes('Comma expected') || messages.includes('Closing bracket expected'), messages.join());
    const quote = '{"a": "x}\n';
    assert.deepEqual(
      parseDocument(quote, 'json')
        .syntaxErrors.map((e) => [e.message, e.offset])
        .slice(0, 1),
      [['Unexpected end of string', quote.indexOf('"x')]],
    );
  });
});

describe('documentLanguage: JSON or YAML', () => {
  it('by extension when it says, by content otherwise', () => {
    const flow = '{Resources: {R: {Type: AWS::Events::Rule}}}';
    const json = '{"Resources": {"R": {"Type": "AWS::Events::Rule"}}}';
    assert.equal(documentLanguage('file:///t.yaml', 'json', json), 'yaml');
    assert.equal(documentLanguage('file:///t.json', 'yaml', flow), 'json');
    assert.equal(documentLanguage('file:///t.template', undefined, flow), 'yaml');
    assert.equal(documentLanguage('file:///t.template', 'json', flow), 'yaml');
    assert.equal(documentLanguage('file:///t.template', 'yaml', json), 'json');
    assert.equal(documentLanguage('file:///t.template', undefined, 'Resources:\n  R: {}\n'), 'yaml');
    assert.equal(documentLanguage('untitled:Untitled-1', 'yaml', '  // c\n[1, {"a": true, "b": null}]'), 'json');
    // Nothing to go by: the languageId.
    assert.equal(documentLanguage('file:///t.template', 'yaml', '  \n'), 'yaml');
    assert.equal(documentLanguage('file:///t.template', undefined, ''), 'json');
  });

  it('sniffs: single quotes, unquoted words, tags and comments are YAML; a JSON text with errors stays JSON', () => {
    assert.equal(sniffLanguage("{'a': 1}"), 'yaml');
    assert.equal(sniffLanguage('{"a": !Ref X}'), 'yaml');
    assert.equal(sniffLanguage('# comment\n{"a": 1}'), 'yaml');
    assert.equal(sniffLanguage('---\n{"a": 1}'), 'yaml');
    assert.equal(sniffLanguage('{"a": 1 "b": 2,}'), 'json');
    assert.equal(sniffLanguage('"a"'), 'yaml');
    // Only the start is read: a long JSON document is not scanned to its end.
    assert.equal(sniffLanguage(`{"a": [${'1, '.repeat(40_000)}1], b: x}`), 'json');
  });
});

describe('flow lines indented as CloudFormation accepts them (yamlFlowIndentation.ts)', () => {
  const template = [
    'Resources:',
    '  Policy:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Properties:',
    "      PolicyDocument: !Sub '{",
    '          "Version": "2012-10-17",',
    '          "Statement": []',
    "      }'",
    '      Roles: [',
    '      !Ref Role, other]',
    '  Rule:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    '      EventPattern: {"source": ["aws.s3"],',
    '      "detail-type": "Object Created"}',
    '',
  ].join('\n');

  it('reads them as PyYAML does, with offsets in the text as written, and a warning per construct', () => {
    for (const text of [template, template.replace(/\n/g, '\r\n')]) {
      const { root, syntaxErrors } = parseDocument(text, 'yaml');
      assert.deepEqual(
        syntaxErrors.map((e) => [e.severity, e.code, text.slice(e.offset, e.offset + e.length).trim()]),
        [
          ['warning', 'FLOW_INDENTATION', "}'"],
          ['warning', 'FLOW_INDENTATION', '!Ref Role, other]'],
          ['warning', 'FLOW_INDENTATION', '"detail-type": "Object Created"}'],
        ],
      );
      const policy = at(root, 'Resources', 'Policy', 'Properties', 'PolicyDocument');
      assert.ok(isIntrinsicNode(policy) && policy.argument?.type === 'string');
      assert.equal(policy.argument.value, '{ "Version": "2012-10-17", "Statement": [] }');
      assert.equal(
        sourceOf(text, policy).replace(/\r/g, ''),
        '!Sub \'{\n          "Version": "2012-10-17",\n          "Statement": []\n      }\'',
      );
      assert.equal(sourceOf(text, at(root, 'Resources', 'Policy', 'Properties', 'Roles', 1)), 'other');
      assert.equal(
        sourceOf(text, at(root, 'Resources', 'Rule', 'Properties', 'EventPattern', 'detail-type')),
        '"Object Created"',
      );
    }
  });

  it('leaves real errors alone: a bracket or quote left open, an error elsewhere', () => {
    const open = template.replace('!Ref Role, other]', '!Ref Role, other');
    assert.ok(parseDocument(open, 'yaml').syntaxErrors.some((e) => e.severity === 'error'));
    // A quote left open runs over block keys: not a flow line of its own.
    assert.equal(relaxFlowIndentation('a:\n  b: "x\n  c: 1\nd: "y"\n'), undefined);
    assert.equal(relaxFlowIndentation('a:\n  b: [x\n  c: [1]\n'), undefined);
    // Under-indented, and another error remains in another region: each region is read on its own, the lenient ones
    // leniently (warnings), the broken one with its error, which stays in its region.
    const both = template + 'Outputs: [\n';
    const errors = parseDocument(both, 'yaml').syntaxErrors;
    const outputs = both.indexOf('Outputs: [');
    assert.ok(errors.some((e) => e.severity === 'error'));
    assert.ok(errors.filter((e) => e.severity === 'error').every((e) => e.offset >= outputs));
    assert.ok(errors.some((e) => e.code === 'FLOW_INDENTATION'));
  });
});

describe('a valid YAML template read region by region', () => {
  const tree = (root: AstNode | undefined): unknown =>
    JSON.parse(JSON.stringify(root ?? null, (key, value: unknown) => (key === 'parent' ? undefined : value)));
  const templates: [string, string][] = [
    ...['cfn-rules.yaml', 'sam-template.yaml', 'pipes.yaml'].map((name): [string, string] => [
      name,
      readFileSync(join(repoRoot, 'test/fixtures/templates', name), 'utf8'),
    ]),
    [
      'block scalars, comments, flow collections over lines and tags',
      [
        '# a comment before everything',
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Parameters:',
        '  Stage: {Type: String}',
        'Resources:',
        '  # between entries',
        '  Rule:',
        '    Type: AWS::Events::Rule',
        '    Properties:',
        '      EventPattern: |',
        '        {"source": ["aws.s3"],',
        '         "detail": {"size": [{"numeric": [">", 0]}]}}',
        '      Description: >-',
        '        folded',
        '        text',
        '  Second:',
        '    Type: AWS::Events::Rule',
        '    Properties:',
        '      EventPattern:',
        '        source: [aws.ec2,',
        '          aws.s3]',
        '        detail-type: !If [IsProd, [A], !Ref AWS::NoValue]',
        '  Last: {Type: AWS::SQS::Queue}',
        'Outputs:',
        '  Out: {Value: !GetAtt Rule.Arn}',
        '',
      ].join('\n'),
    ],
  ];
  for (const [name, text] of templates) {
    it(`gives the tree of a whole parse: ${name}`, () => {
      const byRegions = parseValidYamlByRegions(text, parseYamlText);
      assert.ok(byRegions, 'read by regions');
      const whole = parseYamlText(text);
      assert.deepEqual(whole.syntaxErrors, []);
      assert.deepEqual(tree(byRegions.root), tree(whole.root));
      assert.deepEqual(tree(parseDocument(text, 'yaml').root), tree(whole.root));
    });
  }
  it('is not used for a template with an alias, or with a problem in a region', () => {
    assert.equal(parseValidYamlByRegions('A: &x 1\nResources:\n  R: *x\n', parseYamlText), undefined);
    assert.equal(parseValidYamlByRegions('Resources:\n  R:\n    Type: [a\n  S: {}\n', parseYamlText), undefined);
  });
});

describe('YAML schemas', () => {
  it('a %YAML 1.1 directive still reads yes as a boolean', () => {
    const parsed = parseYamlText('%YAML 1.1\n---\nA: yes\n');
    assert.equal(getProperty(parsed.root as ObjectNode, 'A')?.type, 'boolean');
    assert.equal(getProperty(parseYamlText('A: yes\n').root as ObjectNode, 'A')?.type, 'string');
  });
});
