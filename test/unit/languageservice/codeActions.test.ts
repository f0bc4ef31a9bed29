// Quick fixes and refactors through the facade: each fix's edit, applied to the inline document, gives the expected
// text, and the problem it fixes is gone afterwards.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction } from 'vscode-languageserver-types';
import { getLanguageService } from '../../../server/src/languageservice/languageService';

const ls = getLanguageService();

function docOf(uri: string, text: string): TextDocument {
  return TextDocument.create(uri, uri.endsWith('.json') ? 'json' : 'yaml', 1, text);
}

/** The actions for the whole document, or for the range of `at` (its first occurrence). */
function actionsFor(
  uri: string,
  text: string,
  at?: string,
  only?: string[],
): { doc: TextDocument; actions: CodeAction[] } {
  const doc = docOf(uri, text);
  const start = at === undefined ? 0 : text.indexOf(at);
  assert.ok(start >= 0, `${at} is in the text`);
  const end = at === undefined ? text.length : start + at.length;
  const diagnostics = ls.doValidation(doc);
  const actions = ls.doCodeActions(
    doc,
    { start: doc.positionAt(start), end: doc.positionAt(end) },
    {
      diagnostics,
      ...(only ? { only } : {}),
    },
  );
  return { doc, actions };
}

function apply(doc: TextDocument, action: CodeAction): string {
  const edits = action.edit?.changes?.[doc.uri];
  assert.ok(edits, `${action.title} edits ${doc.uri}`);
  return TextDocument.applyEdits(doc, edits);
}

function codes(uri: string, text: string): string[] {
  return ls.doValidation(docOf(uri, text)).map((d) => String(d.code));
}

/** Applies the one action titled `title` and checks the result and that `code` is gone. */
function fix(uri: string, text: string, title: string, expected: string, code?: string): void {
  const { doc, actions } = actionsFor(uri, text);
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `an action "${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
  const fixed = apply(doc, action);
  assert.equal(fixed, expected);
  if (code !== undefined) {
    assert.ok(codes(uri, text).includes(code), `${code} before the fix`);
    assert.ok(!codes(uri, fixed).includes(code), `${code} gone after the fix: ${codes(uri, fixed).join(', ')}`);
  }
}

const PATTERN_FILE = 'file:///w/rule.eventpattern.json';
const yamlRule = (...patternLines: string[]): string =>
  ['Resources:', '  Rule:', '    Type: AWS::Events::Rule', '    Properties:', ...patternLines, ''].join('\n');

describe('wrap a scalar in an array (EB201)', () => {
  test('JSON pattern file', () => {
    fix(
      PATTERN_FILE,
      '{"source": "aws.s3"}',
      'Wrap the value in an array (a match list)',
      '{"source": ["aws.s3"]}',
      'EB201',
    );
  });

  test('YAML object pattern: plain, quoted, a number, and a plain scalar whose comma would split a flow sequence', () => {
    const title = 'Wrap the value in an array (a match list)';
    fix(
      'file:///w/t.yaml',
      yamlRule('      EventPattern:', '        source: aws.s3  # the bucket events'),
      title,
      yamlRule('      EventPattern:', '        source: [aws.s3]  # the bucket events'),
      'EB201',
    );
    fix(
      'file:///w/t.yaml',
      yamlRule('      EventPattern:', "        source: 'aws.s3'"),
      title,
      yamlRule('      EventPattern:', "        source: ['aws.s3']"),
      'EB201',
    );
    fix(
      'file:///w/t.yaml',
      yamlRule('      EventPattern:', '        source: [x]', '        detail: { size: 5 }'),
      title,
      yamlRule('      EventPattern:', '        source: [x]', '        detail: { size: [5] }'),
      'EB201',
    );
    fix(
      'file:///w/t.yaml',
      yamlRule('      EventPattern:', '        source: a,b'),
      title,
      yamlRule('      EventPattern:', '        source: ["a,b"]'),
      'EB201',
    );
  });

  test('a YAML block scalar becomes a quoted item; the lines after it stay put', () => {
    fix(
      'file:///w/t.yaml',
      yamlRule('      EventPattern:', '        source: |', '          aws.s3', '        account: [x]'),
      'Wrap the value in an array (a match list)',
      yamlRule('      EventPattern:', '        source: ["aws.s3\\n"]', '        account: [x]'),
      'EB201',
    );
  });

  test('JSON text inside a YAML string and inside a JSON string (escaped quotes)', () => {
    const title = 'Wrap the value in an array (a match list)';
    fix(
      'file:///w/t.yaml',
      yamlRule(`      EventPattern: '{"source": "aws.s3"}'`),
      title,
      yamlRule(`      EventPattern: '{"source": ["aws.s3"]}'`),
      'EB201',
    );
    const json =
      '{"Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": "{\\"source\\": \\"aws.s3\\"}"}}}}';
    fix('file:///w/t.json', json, title, json.replace('\\"aws.s3\\"', '[\\"aws.s3\\"]'), 'EB201');
  });
});

describe('operators (EB207)', () => {
  test('a wrong-cased operator becomes lower-case (YAML flow mapping)', () => {
    fix(
      'file:///w/t.yaml',
      yamlRule('      EventPattern:', '        detail:', '          state: [{ EXISTS: true }]'),
      'Change EXISTS to exists (operators are lower-case)',
      yamlRule('      EventPattern:', '        detail:', '          state: [{ exists: true }]'),
      'EB207',
    );
  });

  test('a misspelt operator becomes the nearest one (JSON, and JSON inside a JSON string)', () => {
    fix(PATTERN_FILE, '{"a": [{"prefx": "x"}]}', 'Change prefx to prefix', '{"a": [{"prefix": "x"}]}', 'EB207');
    fix(
      PATTERN_FILE,
      '{"a": [{"anythingbut": "x"}]}',
      'Change anythingbut to anything-but',
      '{"a": [{"anything-but": "x"}]}',
      'EB207',
    );
    const json =
      '{"Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": "{\\"a\\": [{\\"Numeric\\": [\\">\\", 1]}]}"}}}}';
    fix(
      'file:///w/t.json',
      json,
      'Change Numeric to numeric (operators are lower-case)',
      json.replace('Numeric', 'numeric'),
      'EB207',
    );
  });

  test('an operand unknown until deploy: the same fix (short and long form intrinsics, Fn::Sub text)', () => {
    fix(
      'file:///w/t.yaml',
      yamlRule('      EventPattern:', '        detail:', '          key: [{prefx: !Ref Prefix}]'),
      'Change prefx to prefix',
      yamlRule('      EventPattern:', '        detail:', '          key: [{prefix: !Ref Prefix}]'),
      'EB207',
    );
    const json =
      '{"Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": {"detail": {"n": [{"numric": [">", {"Ref": "Min"}]}]}}}}}}';
    fix('file:///w/t.json', json, 'Change numric to numeric', json.replace('numric', 'numeric'), 'EB207');
    const sub = yamlRule(`      EventPattern: !Sub '{"detail": {"key": [{"prefx": "\${Prefix}"}]}}'`);
    fix('file:///w/t.yaml', sub, 'Change prefx to prefix', sub.replace('prefx', 'prefix'), 'EB207');
  });

  test('nothing is offered for a name close to no operator', () => {
    const { actions } = actionsFor(PATTERN_FILE, '{"a": [{"regexp": "x"}]}', undefined, ['quickfix']);
    assert.deepEqual(
      actions.map((a) => a.title),
      [],
    );
  });

  test('the action names the diagnostic it fixes', () => {
    const { actions } = actionsFor(PATTERN_FILE, '{"a": [{"EXISTS": true}]}', '"EXISTS"');
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'quickfix');
    assert.equal(actions[0].isPreferred, true);
    assert.deepEqual(
      actions[0].diagnostics?.map((d) => [d.code, d.message]),
      [['EB207', 'Unrecognized match type EXISTS']],
    );
  });
});

describe('lint fixes', () => {
  test('misspelt envelope keys (EB502), in JSON, YAML, dotted and inside a YAML string', () => {
    fix(
      PATTERN_FILE,
      '{"detailType": ["x"]}',
      'Change "detailType" to "detail-type"',
      '{"detail-type": ["x"]}',
      'EB502',
    );
    fix(
      PATTERN_FILE,
      '{"details.state": ["x"]}',
      'Change "details.state" to "detail.state"',
      '{"detail.state": ["x"]}',
      'EB502',
    );
    fix(
      'file:///w/t.yaml',
      yamlRule('      EventPattern:', '        Source: [aws.s3]'),
      'Change "Source" to "source"',
      yamlRule('      EventPattern:', '        source: [aws.s3]'),
      'EB502',
    );
    fix(
      'file:///w/t.yaml',
      yamlRule(`      EventPattern: '{"detail_type": ["x"]}'`),
      'Change "detail_type" to "detail-type"',
      yamlRule(`      EventPattern: '{"detail-type": ["x"]}'`),
      'EB502',
    );
  });

  test("an unknown detail-type (EB500) and source (EB501) take the catalog's suggestion", () => {
    fix(
      'file:///w/t.yaml',
      yamlRule(
        '      EventPattern:',
        '        source: [aws.ec2]',
        '        detail-type:',
        '          - EC2 Instance State Change Notification',
      ),
      'Change "EC2 Instance State Change Notification" to "EC2 Instance State-change Notification"',
      yamlRule(
        '      EventPattern:',
        '        source: [aws.ec2]',
        '        detail-type:',
        '          - EC2 Instance State-change Notification',
      ),
      'EB500',
    );
    fix(PATTERN_FILE, '{"source": ["AWS.S3"]}', 'Change "AWS.S3" to "aws.s3"', '{"source": ["aws.s3"]}', 'EB501');
  });

  test('EB500 offers only a close, documented detail-type: never another event of the same source', () => {
    fix(
      'file:///w/t.yaml',
      yamlRule('      EventPattern:', '        source: [aws.glue]', '        detail-type: [Glue Crawler State Chnage]'),
      'Change "Glue Crawler State Chnage" to "Glue Crawler State Change"',
      yamlRule('      EventPattern:', '        source: [aws.glue]', '        detail-type: [Glue Crawler State Change]'),
      'EB500',
    );
    const text = '{"source": ["aws.glue"], "detail-type": ["Glue Crawler Run Change"]}';
    assert.ok(codes(PATTERN_FILE, text).includes('EB500'));
    const { actions } = actionsFor(PATTERN_FILE, text, 'Glue Crawler Run Change');
    assert.deepEqual(
      actions.filter((a) => a.title.startsWith('Change ')).map((a) => a.title),
      [],
    );
  });

  test('number as string (EB503) and string as number (EB504)', () => {
    fix(
      PATTERN_FILE,
      '{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"object": {"size": ["5"]}}}',
      'Write 5 as a number',
      '{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"object": {"size": [5]}}}',
      'EB503',
    );
    fix(
      PATTERN_FILE,
      '{"account": [123456789012]}',
      'Write 123456789012 as a string',
      '{"account": ["123456789012"]}',
      'EB504',
    );
    fix(
      'file:///w/t.yaml',
      yamlRule(`      EventPattern: '{"account": [1]}'`),
      'Write 1 as a string',
      yamlRule(`      EventPattern: '{"account": ["1"]}'`),
      'EB504',
    );
    const json =
      '{"Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": "{\\"account\\": [1]}"}}}}';
    fix('file:///w/t.json', json, 'Write 1 as a string', json.replace('[1]', '[\\"1\\"]'), 'EB504');
  });
});

describe('refactor: object form ↔ JSON string', () => {
  const objectForm = yamlRule(
    '      EventPattern:',
    '        source: [aws.s3]',
    '        detail-type: [Object Created]',
    '        detail:',
    '          object:',
    '            size: [{ numeric: [">", 1.50] }]',
    '          key: ["it\'s"]',
  );
  const stringForm = yamlRule(
    `      EventPattern: '{"source":["aws.s3"],"detail-type":["Object Created"],"detail":{"object":{"size":[{"numeric":[">",1.50]}]},"key":["it''s"]}}'`,
  );

  test("YAML object → single-quoted JSON string on the key's line (number spellings kept)", () => {
    fix('file:///w/t.yaml', objectForm, 'Convert EventPattern to a JSON string', stringForm);
    assert.deepEqual(codes('file:///w/t.yaml', stringForm), []);
  });

  test('YAML string → block mapping, indented under the key', () => {
    const expected = yamlRule(
      '      EventPattern:',
      '        source: ["aws.s3"]',
      '        detail-type: ["Object Created"]',
      '        detail:',
      '          object:',
      '            size: [{"numeric": [">", 1.50]}]',
      '          key: ["it\'s"]',
    );
    fix('file:///w/t.yaml', stringForm, 'Convert EventPattern to YAML', expected);
    assert.deepEqual(codes('file:///w/t.yaml', expected), []);
  });

  test('a block scalar string becomes a block mapping, the next property keeps its line', () => {
    const text = yamlRule(
      '      EventPattern: |',
      '        {"source": ["a"],',
      '         "detail": {"n": [1]}}',
      '      State: ENABLED',
    );
    const expected = yamlRule(
      '      EventPattern:',
      '        source: ["a"]',
      '        detail:',
      '          "n": [1]',
      '      State: ENABLED',
    );
    fix('file:///w/t.yaml', text, 'Convert EventPattern to YAML', expected);
  });

  test('$or branches become a block sequence; YAML 1.1 booleans (y, on, ...) stay quoted as keys', () => {
    const text = yamlRule(
      `      EventPattern: '{"source": ["a"], "$or": [{"detail": {"x": ["1"]}}, {"detail": {"y": [{"exists": true}]}}]}'`,
    );
    const expected = yamlRule(
      '      EventPattern:',
      '        source: ["a"]',
      '        $or:',
      '          - detail:',
      '              x: ["1"]',
      '          - detail:',
      '              "y": [{"exists": true}]',
    );
    fix('file:///w/t.yaml', text, 'Convert EventPattern to YAML', expected);
  });

  test('inside a YAML flow mapping the object is written as flow JSON', () => {
    const text = [
      'Resources:',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      `    Properties: { EventPattern: '{"source": ["a"]}' }`,
      '',
    ].join('\n');
    const expected = [
      'Resources:',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties: { EventPattern: {"source": ["a"]} }',
      '',
    ].join('\n');
    fix('file:///w/t.yaml', text, 'Convert EventPattern to YAML', expected);
  });

  test('JSON template: object → escaped string and back, indented like the document', () => {
    const objectJson = [
      '{',
      '    "Resources": {',
      '        "R": {',
      '            "Type": "AWS::Events::Rule",',
      '            "Properties": {',
      '                "EventPattern": {',
      '                    "source": ["aws.s3"],',
      '                    "detail": {"size": [{"numeric": [">", 0]}]}',
      '                }',
      '            }',
      '        }',
      '    }',
      '}',
    ].join('\n');
    const stringJson = objectJson.replace(
      /\{\n {20}"source": \["aws\.s3"\],\n {20}"detail": \{"size": \[\{"numeric": \[">", 0\]\}\]\}\n {16}\}/,
      '"{\\"source\\":[\\"aws.s3\\"],\\"detail\\":{\\"size\\":[{\\"numeric\\":[\\">\\",0]}]}}"',
    );
    assert.notEqual(stringJson, objectJson);
    fix('file:///w/t.json', objectJson, 'Convert EventPattern to a JSON string', stringJson);
    const backToObject = objectJson.replace(
      '"detail": {"size": [{"numeric": [">", 0]}]}\n',
      '"detail": {\n                        "size": [{"numeric": [">", 0]}]\n                    }\n',
    );
    fix('file:///w/t.json', stringJson, 'Convert EventPattern to a JSON object', backToObject);
    assert.deepEqual(codes('file:///w/t.json', backToObject), []);
  });

  test('not offered where the other form is not allowed or the value is computed', () => {
    const archive = [
      'Resources:',
      '  A:',
      '    Type: AWS::Events::Archive',
      '    Properties:',
      '      EventPattern:',
      '        source: [a]',
      '',
    ].join('\n');
    assert.deepEqual(actionsFor('file:///w/t.yaml', archive, undefined, ['refactor']).actions, []);
    const sub = yamlRule(`      EventPattern: !Sub '{"source": ["\${Source}"]}'`);
    assert.deepEqual(actionsFor('file:///w/t.yaml', sub, undefined, ['refactor']).actions, []);
    const ref = yamlRule('      EventPattern:', '        source: [!Ref Source]');
    assert.deepEqual(actionsFor('file:///w/t.yaml', ref, undefined, ['refactor']).actions, []);
  });

  test('only refactors when only refactors are asked for, and only near the pattern', () => {
    const text = yamlRule('      EventPattern:', '        source: aws.s3');
    assert.deepEqual(
      actionsFor('file:///w/t.yaml', text, undefined, ['refactor']).actions.map((a) => [a.kind, a.title]),
      [['refactor.rewrite', 'Convert EventPattern to a JSON string']],
    );
    assert.deepEqual(actionsFor('file:///w/t.yaml', text, 'Type: AWS::Events::Rule').actions, []);
    assert.deepEqual(
      actionsFor('file:///w/t.yaml', text, 'EventPattern').actions.map((a) => a.kind),
      ['refactor.rewrite'],
    );
  });
});
