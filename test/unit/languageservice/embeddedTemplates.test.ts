// Templates nested in a StackSet's TemplateBody (a JSON or YAML string, a YAML block scalar): every feature through
// the facade, with its results on the outer document's characters, and edits that read back as intended or none.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionItem, Diagnostic, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { analyzeDocument } from '../../../server/src/languageservice/sites/documentAnalysis';
import { EmbeddedView } from '../../../server/src/languageservice/sites/embeddedDocuments';
import type { PatternTestResults } from '../../../server/src/languageservice/features/patternCodeLens';

const ls = getLanguageService();
const YAML_URI = 'file:///w/stackset.yaml';
const JSON_URI = 'file:///w/stackset.json';

function docOf(uri: string, text: string, languageId = uri.endsWith('.json') ? 'json' : 'yaml'): TextDocument {
  return TextDocument.create(uri, languageId, 1, text);
}

/** A YAML template with one StackSet whose TemplateBody is `body` (its lines, written after `TemplateBody:`). */
function yamlStackSet(bodyHeader: string, bodyLines: readonly string[], indent = '        '): string {
  return [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Set:',
    '    Type: AWS::CloudFormation::StackSet',
    '    Properties:',
    '      PermissionModel: SELF_MANAGED',
    `      TemplateBody: ${bodyHeader}`,
    ...bodyLines.map((l) => (l === '' ? '' : indent + l)),
    '  Topic:',
    '    Type: AWS::SNS::Topic',
    '',
  ].join('\n');
}

/** The nested template of most tests: one rule, two problems (a scalar match value, a wrong-case operator). */
const NESTED_YAML = [
  'Resources:',
  '  Rule:',
  '    Type: AWS::Events::Rule',
  '    Properties:',
  '      EventPattern:',
  '        source: aws.s3',
  '        detail:',
  '          state: [{ EXISTS: true }]',
];

/** The nested template as JSON text, on one line. */
const NESTED_JSON = JSON.stringify({
  Resources: {
    Rule: {
      Type: 'AWS::Events::Rule',
      Properties: { EventPattern: { source: 'aws.s3', detail: { state: [{ EXISTS: true }] } } },
    },
  },
});

function jsonStackSet(body: string): string {
  return JSON.stringify(
    {
      Resources: {
        Set: {
          Type: 'AWS::CloudFormation::StackSet',
          Properties: { PermissionModel: 'SELF_MANAGED', TemplateBody: body },
        },
      },
    },
    null,
    2,
  );
}

function diagnostics(doc: TextDocument, service = ls): { code: string; text: string; line: number }[] {
  return service.doValidation(doc).map((d) => ({
    code: String(d.code),
    text: doc.getText(d.range),
    line: d.range.start.line + 1,
  }));
}

function applyEdits(doc: TextDocument, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(doc, [...edits]);
}

function actionEdits(doc: TextDocument, action: CodeAction): TextEdit[] {
  const changes = action.edit?.changes ?? {};
  assert.deepEqual(Object.keys(changes), [doc.uri], 'edits are for the outer document');
  return changes[doc.uri];
}

function quickFixes(doc: TextDocument, at: string): CodeAction[] {
  const offset = doc.getText().indexOf(at);
  assert.ok(offset >= 0, `${at} is in the text`);
  const range = { start: doc.positionAt(offset), end: doc.positionAt(offset + at.length) };
  const diags = ls.doValidation(doc).filter((d) => overlaps(doc, d, offset, offset + at.length));
  return ls.doCodeActions(doc, range, { diagnostics: diags, only: ['quickfix'] });
}

function overlaps(doc: TextDocument, d: Diagnostic, start: number, end: number): boolean {
  return doc.offsetAt(d.range.start) <= end && doc.offsetAt(d.range.end) >= start;
}

describe('StackSet TemplateBody: diagnostics on the outer characters', () => {
  test('a YAML block scalar', () => {
    const doc = docOf(YAML_URI, yamlStackSet('|', NESTED_YAML));
    assert.deepEqual(diagnostics(doc), [
      { code: 'EB201', text: 'aws.s3', line: 13 },
      { code: 'EB207', text: 'EXISTS', line: 15 },
    ]);
  });

  test('a YAML block scalar with a JSON template, and a folded one', () => {
    const json = JSON.stringify(JSON.parse(NESTED_JSON), null, 2).split('\n');
    for (const header of ['|', '|-', '>']) {
      const doc = docOf(YAML_URI, yamlStackSet(header, json));
      assert.deepEqual(
        diagnostics(doc).map((d) => [d.code, d.text]),
        [
          ['EB201', '"aws.s3"'],
          ['EB207', '"EXISTS"'],
        ],
        header,
      );
    }
  });

  test('YAML quoted strings: single and double', () => {
    const single = docOf(YAML_URI, yamlStackSet(`'${NESTED_JSON.replace(/'/g, "''")}'`, []));
    assert.deepEqual(
      diagnostics(single).map((d) => [d.code, d.text]),
      [
        ['EB201', '"aws.s3"'],
        ['EB207', '"EXISTS"'],
      ],
    );
    const double = docOf(YAML_URI, yamlStackSet(JSON.stringify(NESTED_JSON), []));
    assert.deepEqual(
      diagnostics(double).map((d) => [d.code, d.text]),
      [
        ['EB201', '\\"aws.s3\\"'],
        ['EB207', '\\"EXISTS\\"'],
      ],
    );
  });

  test('a JSON string in a JSON template: the escaped characters', () => {
    const doc = docOf(JSON_URI, jsonStackSet(JSON.stringify(JSON.parse(NESTED_JSON), null, 2)));
    assert.deepEqual(
      diagnostics(doc).map((d) => [d.code, d.text]),
      [
        ['EB201', '\\"aws.s3\\"'],
        ['EB207', '\\"EXISTS\\"'],
      ],
    );
    // A YAML template in the JSON string.
    const yamlBody = docOf(JSON_URI, jsonStackSet(NESTED_YAML.join('\n') + '\n'));
    assert.deepEqual(
      diagnostics(yamlBody).map((d) => [d.code, d.text]),
      [
        ['EB201', 'aws.s3'],
        ['EB207', 'EXISTS'],
      ],
    );
  });

  test('syntax errors of the body are shown, in any language, at their outer line', () => {
    const broken = NESTED_YAML.map((l) => (l.includes('source:') ? '        source: [aws.ec2' : l));
    const yamlDoc = docOf(YAML_URI, yamlStackSet('|', broken));
    const quiet = getLanguageService({ syntaxErrors: { yamlLanguage: false, jsonLanguage: false } });
    // No YAML extension reads inside a block scalar: shown even with eventbridgePatterns.validation.yamlSyntax off.
    const shown = diagnostics(yamlDoc, quiet).filter((d) => d.code === 'EB430');
    assert.deepEqual(
      shown.map((d) => d.line),
      [13],
    );
    const jsonDoc = docOf(JSON_URI, jsonStackSet(broken.join('\n') + '\n'));
    const inJson = ls.doValidation(jsonDoc).filter((d) => d.code === 'EB430');
    assert.equal(inJson.length, 1);
    // The whole body is on one line of the JSON document; the error is where `[aws.ec2` ends.
    const at = jsonDoc.offsetAt(inJson[0].range.start);
    assert.equal(jsonDoc.getText().slice(at - '[aws.ec2'.length, at), '[aws.ec2');
  });

  test('a StackSet in a Serverless file, and a body written with !Sub (not read: only known at deploy)', () => {
    const serverless = [
      'service: stacks',
      'provider:',
      '  name: aws',
      'resources:',
      '  Resources:',
      '    Set:',
      '      Type: AWS::CloudFormation::StackSet',
      '      Properties:',
      '        TemplateBody: |',
      ...NESTED_YAML.map((l) => `          ${l}`),
      '',
    ].join('\n');
    assert.deepEqual(
      diagnostics(docOf('file:///w/serverless.yml', serverless)).map((d) => d.code),
      ['EB201', 'EB207'],
    );
    const sub = docOf(YAML_URI, yamlStackSet('!Sub |', NESTED_YAML));
    assert.deepEqual(diagnostics(sub), []);
  });
});

describe('StackSet TemplateBody: hover, completion, quick fixes, lenses', () => {
  test('hover inside the body', () => {
    const text = yamlStackSet('|', NESTED_YAML);
    const doc = docOf(YAML_URI, text);
    const at = text.indexOf('EXISTS') + 2;
    const hover = ls.doHover(doc, doc.positionAt(at));
    assert.ok(hover, 'a hover');
    assert.match((hover.contents as MarkupContent).value, /EXISTS|exists/);
    assert.ok(hover.range);
    assert.equal(doc.getText(hover.range), 'EXISTS');
  });

  test('completion inside a block scalar body: edits at the cursor, with the block indentation', () => {
    const body = [...NESTED_YAML.slice(0, 6), '        detail-type: [Object Created]', '        '];
    const text = yamlStackSet('|', body);
    const doc = docOf(YAML_URI, text);
    // The cursor on the empty last line of the pattern.
    const cursor = text.indexOf('[Object Created]\n') + '[Object Created]\n'.length + 16;
    const list = ls.doComplete(doc, doc.positionAt(cursor));
    assert.ok(list && list.items.length > 0);
    const detail = list.items.find((i) => i.label === 'detail');
    assert.ok(detail, list.items.map((i) => i.label).join());
    const after = applyEdits(doc, [detail.textEdit as TextEdit]);
    // The outer document still holds one StackSet whose body reads as YAML without errors, now with `detail`.
    const analysis = analyzeDocument(after, YAML_URI, 'yaml');
    assert.equal(analysis.embedded.length, 1);
    assert.deepEqual(analysis.embedded[0].analysis.syntaxErrors, []);
    assert.match(analysis.embedded[0].analysis.text, /\n {8}detail/);
  });

  test('completion inside a JSON string body: written with escapes', () => {
    const body = '{"Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": {"sou": ["x"]}}}}}';
    const text = jsonStackSet(body);
    const doc = docOf(JSON_URI, text);
    const cursor = text.indexOf('sou\\"') + 3;
    const list = ls.doComplete(doc, doc.positionAt(cursor));
    const source = list?.items.find((i: CompletionItem) => i.label === 'source');
    assert.ok(source, 'source is offered');
    const edit = source.textEdit as TextEdit;
    assert.ok(edit.newText.includes('\\"') || !edit.newText.includes('"'), edit.newText);
    const after = applyEdits(doc, [edit]);
    const reread = JSON.parse(after) as { Resources: { Set: { Properties: { TemplateBody: string } } } };
    assert.match(reread.Resources.Set.Properties.TemplateBody, /"EventPattern": \{"source"/);
  });

  test('quick fixes write the nested text in the string own syntax', () => {
    for (const [uri, text] of [
      [YAML_URI, yamlStackSet('|', NESTED_YAML)],
      [YAML_URI, yamlStackSet(`'${NESTED_JSON}'`, [])],
      [YAML_URI, yamlStackSet(JSON.stringify(NESTED_JSON), [])],
      [JSON_URI, jsonStackSet(NESTED_JSON)],
      [JSON_URI, jsonStackSet(NESTED_YAML.join('\n') + '\n')],
    ] as const) {
      const doc = docOf(uri, text);
      const fixes = quickFixes(doc, 'EXISTS');
      const fix = fixes.find((a) => /exists/.test(a.title));
      assert.ok(fix, `${text}: ${fixes.map((a) => a.title).join()}`);
      const after = docOf(uri, applyEdits(doc, actionEdits(doc, fix)));
      const codes = diagnostics(after).map((d) => d.code);
      assert.deepEqual(codes, ['EB201'], `${after.getText()}`);
      // Its diagnostic is the outer one.
      assert.deepEqual(
        fix.diagnostics?.map((d) => doc.getText(d.range).replace(/\\?"/g, '')),
        ['EXISTS'],
      );
    }
  });

  test('every action offered on a body reads back as intended, in every string style (or is not offered)', () => {
    const json = JSON.stringify(JSON.parse(NESTED_JSON), null, 2).split('\n');
    const cases: [string, string][] = [
      [YAML_URI, yamlStackSet('|', NESTED_YAML)],
      [YAML_URI, yamlStackSet('|', json)],
      [YAML_URI, yamlStackSet('>', json)],
      [YAML_URI, yamlStackSet(`'${NESTED_JSON}'`, [])],
      [YAML_URI, yamlStackSet(JSON.stringify(NESTED_JSON), [])],
      [JSON_URI, jsonStackSet(json.join('\n'))],
    ];
    for (const [uri, text] of cases) {
      const doc = docOf(uri, text);
      const before = analyzeDocument(text, uri, doc.languageId);
      assert.equal(before.embedded.length, 1);
      const whole = { start: doc.positionAt(0), end: doc.positionAt(text.length) };
      const bodyStart = doc.positionAt(before.embedded[0].offsets[0]);
      const bodyEnd = doc.positionAt(before.embedded[0].offsets[before.embedded[0].offsets.length - 1]);
      // Over the body (every fix and refactor there); over the whole document nothing of the body is offered.
      const actions = ls.doCodeActions(doc, { start: bodyStart, end: bodyEnd }, { diagnostics: ls.doValidation(doc) });
      assert.ok(actions.length > 0, text);
      assert.ok(ls.doCodeActions(doc, whole, { diagnostics: [] }).length === 0);
      // The same actions on the nested text as a document of its own: what each should make of it.
      const inner = TextDocument.create(
        before.embedded[0].uri,
        before.embedded[0].analysis.languageId,
        1,
        before.embedded[0].analysis.text,
      );
      const innerActions = ls.doCodeActions(
        inner,
        { start: inner.positionAt(0), end: inner.positionAt(inner.getText().length) },
        { diagnostics: ls.doValidation(inner) },
      );
      assert.deepEqual(
        actions.map((a) => a.title),
        innerActions.map((a) => a.title),
      );
      actions.forEach((action, i) => {
        const after = applyEdits(doc, actionEdits(doc, action));
        const reread = analyzeDocument(after, uri, doc.languageId);
        assert.deepEqual(reread.syntaxErrors, [], `${action.title}\n${after}`);
        assert.equal(reread.embedded.length, 1, action.title);
        const nested = reread.embedded[0].analysis;
        const intended = TextDocument.applyEdits(inner, innerActions[i].edit?.changes?.[inner.uri] ?? []);
        assert.equal(nested.text, intended, action.title);
      });
    }
  });

  test('code lenses of the body sit on the outer document and point into it', () => {
    const valid = NESTED_YAML.map((l) => l.replace('aws.s3', '[aws.s3]').replace('EXISTS', 'exists'));
    const doc = docOf(YAML_URI, yamlStackSet('|', valid));
    const lenses = ls.doCodeLens(doc);
    assert.equal(lenses.length, 1);
    const argument = lenses[0].command?.arguments?.[0] as PatternTestResults;
    assert.equal(argument.uri, YAML_URI);
    assert.equal(lenses[0].range.start.line, 11); // `EventPattern:` of the nested rule (0-based)
    assert.match(doc.getText(argument.range), /^source: \[aws\.s3\]\n {16}detail:/);
  });

  test('an edit of a document with a StackSet is analysed whole, and gives what a fresh analysis gives', () => {
    const service = getLanguageService();
    const text = yamlStackSet('|', NESTED_YAML);
    const v1 = TextDocument.create(YAML_URI, 'yaml', 1, text);
    service.doValidation(v1);
    const edited = text.replace('EXISTS', 'exists');
    const v2 = TextDocument.create(YAML_URI, 'yaml', 2, edited);
    assert.deepEqual(
      service.doValidation(v2),
      getLanguageService().doValidation(TextDocument.create(YAML_URI, 'yaml', 1, edited)),
    );
    assert.deepEqual(
      diagnostics(v2, service).map((d) => d.code),
      ['EB201'],
    );
  });
});

describe('StackSet TemplateBody: edits that cannot be written are not offered', () => {
  function viewOf(text: string): EmbeddedView {
    const doc = docOf(YAML_URI, text);
    const [embedded] = analyzeDocument(text, YAML_URI, 'yaml').embedded;
    assert.ok(embedded);
    return new EmbeddedView(doc, embedded);
  }
  const at = (view: EmbeddedView, needle: string) => {
    const offset = view.document.getText().indexOf(needle);
    assert.ok(offset >= 0, needle);
    return { start: view.document.positionAt(offset), end: view.document.positionAt(offset + needle.length) };
  };

  test('a line break: escaped in JSON and double-quoted strings, indented in a literal block, refused elsewhere', () => {
    const edit = (view: EmbeddedView, newText: string) =>
      view.toOuterEdit({ range: at(view, 'aws.s3'), newText }, false, false);
    assert.equal(edit(viewOf(yamlStackSet(JSON.stringify(NESTED_JSON), [])), 'a\nb')?.newText, 'a\\nb');
    assert.equal(edit(viewOf(yamlStackSet('|', NESTED_YAML)), 'a\nb')?.newText, 'a\n        b');
    assert.equal(edit(viewOf(yamlStackSet(`'${NESTED_JSON}'`, [])), 'a\nb'), undefined);
    assert.equal(edit(viewOf(yamlStackSet(`'${NESTED_JSON}'`, [])), "it's")?.newText, "it''s");
    const folded = viewOf(yamlStackSet('>', JSON.stringify(JSON.parse(NESTED_JSON), null, 2).split('\n')));
    assert.equal(edit(folded, 'a\nb'), undefined);
  });

  test('an edit the string would not read back is refused: text after the last line of a literal block', () => {
    const view = viewOf(yamlStackSet('|', NESTED_YAML));
    const end = view.document.positionAt(view.document.getText().length);
    // The end of the body maps to the start of the line after the block: written there, the text would end the
    // block scalar instead of extending it.
    assert.equal(view.toOuterEdit({ range: { start: end, end }, newText: 'Outputs: {}\n' }, false, false), undefined);
    // Inside the block, the same text is written with the block's indentation.
    const line = at(view, '  Rule:');
    const inside = view.toOuterEdit(
      { range: { start: line.start, end: line.start }, newText: 'Outputs: {}\n' },
      false,
      false,
    );
    assert.equal(inside?.newText, 'Outputs: {}\n        ');
    // A `\r` cannot be written in a block scalar.
    assert.equal(view.toOuterEdit({ range: line, newText: 'x\r' }, false, false), undefined);
  });

  test('snippets: placeholders kept, their text written in the string syntax', () => {
    const view = viewOf(yamlStackSet(JSON.stringify(NESTED_JSON), []));
    const e = view.toOuterEdit(
      { range: at(view, '"aws.s3"'), newText: '["${1:a\\}b}", ${2|"x","y"|}]$0' },
      true,
      false,
    );
    assert.ok(e);
    assert.equal(e.newText, '[\\\\"${1:a\\}b}\\\\", ${2|\\\\"x\\\\",\\\\"y\\\\"|}]$0');
  });
});
