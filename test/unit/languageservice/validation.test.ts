// Diagnostics through the facade, on documents written inline.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { parseDocument } from '../../../server/src/languageservice/documentParser';

const ls = getLanguageService();
function diagnose(uri: string, text: string) {
  const doc = TextDocument.create(uri, uri.endsWith('.json') ? 'json' : 'yaml', 1, text);
  return ls.doValidation(doc).map((d) => ({
    code: d.code,
    message: d.message,
    text: doc.getText(d.range),
    severity: d.severity,
  }));
}

test('a pattern file: AWS wording, stable code, exact range', () => {
  const d = diagnose('file:///w/a.eventpattern.json', '{"source": ["aws.s3"], "detail": {"size": [{"numeric": [">", "0"]}]}}');
  assert.deepEqual(d, [{ code: 'EB313', message: 'Value of > must be numeric', text: '"0"', severity: 1 }]);
});

test('a CloudFormation YAML rule with an object pattern: every problem, at its place', () => {
  const text = [
    'Resources:',
    '  Rule:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    '      EventPattern:',
    '        source: aws.s3',
    '        detail:',
    '          state: [{ EXISTS: true }]',
    '',
  ].join('\n');
  const d = diagnose('file:///w/template.yaml', text);
  assert.deepEqual(
    d.map((x) => [x.code, x.message, x.text]),
    [
      ['EB201', '"source" must be an object or an array', 'aws.s3'],
      ['EB207', 'Unrecognized match type EXISTS', 'EXISTS'],
    ],
  );
});

test('a JSON string pattern inside YAML: ranges land on the right characters', () => {
  const text = [
    'Resources:',
    '  Rule:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    `      EventPattern: '{"source": ["aws.s3"], "detail": {"key": [{"wildcard": "a**b"}]}}'`,
    '',
  ].join('\n');
  const d = diagnose('file:///w/template.yaml', text);
  assert.deepEqual(d.map((x) => [x.message, x.text]), [['Consecutive wildcard characters at pos 2', '"a**b"']]);
});

test('values from intrinsic functions are unknown until deploy, never flagged', () => {
  const text = [
    'Parameters: { Stage: { Type: String } }',
    'Resources:',
    '  Rule:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    '      EventPattern: !Sub \'{"source": ["${Stage}.orders"], "detail": {"n": [{"numeric": [">", ${Min}]}]}}\'',
    '  Rule2:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    '      EventPattern:',
    '        source: [!Ref Source]',
    '',
  ].join('\n');
  assert.deepEqual(diagnose('file:///w/template.yaml', text), []);
});

test('filter patterns use their dialect and must be strings', () => {
  const text = JSON.stringify({
    Resources: {
      Map: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: { FilterCriteria: { Filters: [{ Pattern: '{"body": {"k": [{"wildcard": "a*"}]}}' }, { Pattern: { body: { k: ['x'] } } }] } },
      },
    },
  }, null, 2);
  const d = diagnose('file:///w/template.json', text);
  assert.deepEqual(d.map((x) => x.code), ['EB410', 'EB421']);
});

test('severity per category is a setting', () => {
  const quiet = getLanguageService({ severity: { aws: 'warning', limits: 'default', dialect: 'off', lint: 'default' } });
  const doc = TextDocument.create('file:///w/p.eventpattern.json', 'json', 1, '{"source": "x"}');
  assert.deepEqual(quiet.doValidation(doc).map((d) => d.severity), [2]);
});

test('YAML: a syntax error stays in its resource; the next resource is still validated', () => {
  const text = [
    'Resources:',
    '  Broken:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    '      EventPattern:',
    '        source: [aws.ec2',
    '  Next:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    '      EventPattern:',
    '        source: aws.s3',
    'Outputs:',
    '  Out: {Value: x}',
    '',
  ].join('\n');
  // The `[` left open is reported in its own resource: at the end of its line (a parse of the whole document, whose
  // recovery takes in the next resource, puts it inside `Next`).
  const { syntaxErrors } = parseDocument(text, 'yaml');
  const lineEnd = text.indexOf('\n', text.indexOf('source: [aws.ec2'));
  assert.deepEqual(
    syntaxErrors.map((e) => [e.offset, e.length, e.severity]),
    [[lineEnd, 0, 'error']],
  );
  // The next resource's pattern is still read, and its problem reported at its place.
  const d = diagnose('file:///w/template.yaml', text);
  assert.deepEqual(
    d.map((x) => [x.code, x.text]),
    [['EB201', 'aws.s3']],
  );
});

describe('values unknown until deploy hide only what depends on them', () => {
  test('a misspelt operator is reported whatever its operand: short and long form intrinsics, Fn::Sub text', () => {
    const yaml = [
      'Resources:',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern:',
      '        detail:',
      '          key: [{prefx: !Ref Prefix}]',
      '          size: [{numric: [">", !GetAtt Limits.Min]}]',
      '  SubRule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      `      EventPattern: !Sub '{"detail": {"key": [{"prefx": "\${Prefix}"}], "n": [{"numeric": [">", \${Min}, "=<", 9]}]}}'`,
      '  Map:',
      '    Type: AWS::Lambda::EventSourceMapping',
      '    Properties:',
      '      FilterCriteria:',
      '        Filters:',
      `          - Pattern: !Sub '{"body": {"key": [{"sufix": "\${Suffix}"}]}}'`,
      '',
    ].join('\n');
    assert.deepEqual(
      diagnose('file:///w/template.yaml', yaml).map((x) => [x.code, x.text, x.message]),
      [
        ['EB207', 'prefx', 'Unrecognized match type prefx'],
        ['EB207', 'numric', 'Unrecognized match type numric'],
        ['EB207', '"prefx"', 'Unrecognized match type prefx'],
        ['EB316', '"=<"', 'Bad numeric range operator: =<'],
        ['EB207', '"sufix"', 'Unrecognized match type sufix'],
      ],
    );
    const json = JSON.stringify(
      {
        Resources: {
          Rule: {
            Type: 'AWS::Events::Rule',
            Properties: {
              EventPattern: {
                detail: {
                  n: [{ numric: ['>', { Ref: 'Min' }] }],
                  k: [{ prefix: { 'Fn::ImportValue': 'P' }, suffix: 'x' }],
                },
              },
            },
          },
        },
      },
      null,
      2,
    );
    assert.deepEqual(
      diagnose('file:///w/template.json', json).map((x) => [x.code, x.text]),
      [
        ['EB207', '"numric"'],
        ['EB206', '"suffix"'],
      ],
    );
  });

  test('Fn::Sub: a ${} in a key or a value is unknown, never flagged', () => {
    const text = [
      'Resources:',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      `      EventPattern: !Sub '{"source": ["aws.s3"], "\${FieldName}": ["x"], "resources": ["arn:\${AWS::Partition}:s3:::b"], "detail": {"k": [{"\${Operator}": "v"}], "n": [{"numeric": [">", \${Min}]}]}}'`,
      '',
    ].join('\n');
    assert.deepEqual(diagnose('file:///w/template.yaml', text), []);
  });

  test("messages quote the template's text, never a stand-in for a ${}", () => {
    const text = [
      'Resources:',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      `      EventPattern: !Sub '{"account": ["\${AWS::AccountId}"], "source": ["a"}'`,
      '  Other:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      `      EventPattern: !Sub '{"account": ["a" \${AWS::AccountId}]}'`,
      '',
    ].join('\n');
    const d = diagnose('file:///w/template.yaml', text);
    assert.deepEqual(
      d.map((x) => [x.code, x.message]),
      [
        [
          'EB100',
          `Unexpected close marker '}': expected ']' (for Array starting at [Source: (String)"{"account": ["\${AWS::AccountId}"], "source": ["a"}"; line: 1, column: 46])`,
        ],
        ['EB100', "Unexpected character ('$' (code 36)): was expecting comma to separate Array entries"],
      ],
    );
  });

  test('cidr in Lambda and Pipes filters: not documented there, a warning', () => {
    const text = JSON.stringify(
      {
        Resources: {
          Map: {
            Type: 'AWS::Lambda::EventSourceMapping',
            Properties: { FilterCriteria: { Filters: [{ Pattern: '{"body": {"ip": [{"cidr": "10.0.0.0/24"}]}}' }] } },
          },
          Pipe: {
            Type: 'AWS::Pipes::Pipe',
            Properties: {
              SourceParameters: {
                FilterCriteria: { Filters: [{ Pattern: '{"body": {"ip": [{"cidr": "10.0.0.0/24"}]}}' }] },
              },
            },
          },
        },
      },
      null,
      2,
    );
    assert.deepEqual(
      diagnose('file:///w/template.json', text).map((x) => [x.code, x.severity, x.message]),
      [
        ['EB411', 2, 'cidr is not documented as supported in Lambda event source mapping filter patterns'],
        ['EB411', 2, 'cidr is not documented as supported in EventBridge Pipes filter patterns'],
      ],
    );
  });
});

test('Fn::Sub: size limits judge the least length the deployed pattern can have', () => {
  const sub = (n: number): string =>
    [
      'Resources:',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      `      EventPattern: !Sub '{"account": [${Array.from({ length: n }, () => '"${AWS::AccountId}"').join(', ')}]}'`,
      '',
    ].join('\n');
  // 250 substitutions: over 4,096 characters as written, about 1,000 with every ${} empty (about 4,000 once each
  // holds a 12-digit account): nothing is certain, nothing is said.
  assert.ok(sub(250).length > 5000);
  assert.deepEqual(diagnose('file:///w/template.yaml', sub(250)), []);
  // 1,100 of them cannot fit whatever they hold: over 4,096 even empty.
  assert.deepEqual(
    diagnose('file:///w/template.yaml', sub(1100)).map((x) => x.code),
    ['EB400'],
  );
});
