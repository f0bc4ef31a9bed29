// Diagnostics through the facade, on documents written inline.
import { test } from 'node:test';
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
  const d = diagnose(
    'file:///w/a.eventpattern.json',
    '{"source": ["aws.s3"], "detail": {"size": [{"numeric": [">", "0"]}]}}',
  );
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
  assert.deepEqual(
    d.map((x) => [x.message, x.text]),
    [['Consecutive wildcard characters at pos 2', '"a**b"']],
  );
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
  const text = JSON.stringify(
    {
      Resources: {
        Map: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            FilterCriteria: {
              Filters: [{ Pattern: '{"body": {"k": [{"wildcard": "a*"}]}}' }, { Pattern: { body: { k: ['x'] } } }],
            },
          },
        },
      },
    },
    null,
    2,
  );
  const d = diagnose('file:///w/template.json', text);
  assert.deepEqual(
    d.map((x) => x.code),
    ['EB410', 'EB421'],
  );
});

test('severity per category is a setting', () => {
  const quiet = getLanguageService({
    severity: { aws: 'warning', limits: 'default', dialect: 'off', lint: 'default' },
  });
  const doc = TextDocument.create('file:///w/p.eventpattern.json', 'json', 1, '{"source": "x"}');
  assert.deepEqual(
    quiet.doValidation(doc).map((d) => d.severity),
    [2],
  );
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

test('JSON: a syntax error stays in its resource; the others are validated, nothing is invented from the broken one', () => {
  const rule = (name: string, pattern: string): string =>
    `  "${name}": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": ${pattern}}}`;
  const second = rule('R2', '{"source": ["aws.s3"], "detail": {"size": [{"numeric": [">", "0"]}]}, "amount": 1}');
  const template = (first: string, separator = ','): string =>
    ['{"Resources": {', first + separator, second + ',', rule('R3', '{"source": "aws.ec2"}'), '}}', ''].join('\n');
  const fine = template(rule('R1', '{"source": ["aws.s3"], "detail-type": ["Object Created"]}'));
  const lines = (text: string, uri: string): { line: number; code: unknown; message: unknown }[] => {
    const doc = TextDocument.create(uri, 'json', 1, text);
    return ls.doValidation(doc).map((d) => ({ line: d.range.start.line, code: d.code, message: d.message }));
  };
  const expected = lines(fine, 'file:///w/fine.json').filter((d) => d.line > 1);
  assert.ok(expected.some((d) => d.line === 2) && expected.some((d) => d.line === 3));
  for (const [first, separator] of [
    [rule('R1', '{"source": ["aws.s3" "detail-type": ["Object Created"]}'), ','],
    [rule('R1', '{"source": ["aws.s3], "detail-type": ["Object Created"]}'), ','],
    [rule('R1', '{"source": ["aws.s3"]}}, "detail-type": ["Object Created"]}'), ','],
    [rule('R1', '{"source": ["aws.s3"], "detail-type": ["Object Created"]}').slice(0, -1), ','],
    [rule('R1', '{"source": ["aws.s3"], "detail-type": ["Object Created"]}'), ''],
  ]) {
    const text = template(first, separator);
    const uri = 'file:///w/broken.json';
    const d = lines(text, uri);
    // The resources after the broken one: exactly their problems.
    assert.deepEqual(
      d.filter((x) => x.line > 1),
      expected,
      first,
    );
    // On the broken one's line, nothing but its syntax errors (reported by whatever reports them).
    const syntax = new Set(ls.analyze(TextDocument.create(uri, 'json', 1, text)).syntaxErrors.map((e) => e.message));
    assert.ok(syntax.size > 0);
    for (const x of d.filter((y) => y.line === 1))
      assert.ok(syntax.has(String(x.message)), `invented: ${String(x.message)}`);
  }
});
