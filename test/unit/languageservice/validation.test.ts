// Diagnostics through the facade, on documents written inline.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { parseDocument } from '../../../server/src/languageservice/parsing/documentParser';
import { SiteProblemCode } from '../../../server/src/languageservice/features/patternValidation';
import { DocumentProblemCode, MAX_SYNTAX_ERRORS } from '../../../server/src/languageservice/features/syntaxDiagnostics';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repoPaths';

const ls = getLanguageService();
const messageText = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
function diagnose(uri: string, text: string) {
  const doc = TextDocument.create(uri, uri.endsWith('.json') ? 'json' : 'yaml', 1, text);
  return ls.doValidation(doc).map((d) => ({
    code: d.code,
    message: messageText(d),
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
  // The syntax error is shown on the line of the `[` left open; the next resource's pattern is still read, and its
  // problem reported at its place.
  const d = diagnose('file:///w/template.yaml', text);
  assert.deepEqual(
    d.map((x) => [x.code, x.text, x.severity]),
    [
      ['EB430', '', 1],
      ['EB201', 'aws.s3', 1],
    ],
  );
  assert.match(d[0].message, /^YAML syntax error: Flow sequence .* end with a \]$/);
});

// ---------------------------------------------------------------------------------------------------------------
// Syntax errors of the documents we read (EB430)

/** Diagnostics as [code, 1-based start line, severity], for a document in the given editor language. */
function syntaxOf(
  uri: string,
  languageId: string,
  text: string,
  service = ls,
): { code: string; line: number; character: number; severity: number | undefined; message: string }[] {
  const doc = TextDocument.create(uri, languageId, 1, text);
  return service
    .doValidation(doc)
    .filter((d) => String(d.code).startsWith('EB43'))
    .map((d) => ({
      code: String(d.code),
      line: d.range.start.line + 1,
      character: d.range.start.character,
      severity: d.severity,
      message: messageText(d),
    }));
}

/** A YAML rule template whose EventPattern lines are given. */
function yamlRule(...patternLines: string[]): string {
  return [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Rule:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    '      EventPattern:',
    ...patternLines.map((l) => `        ${l}`),
    '  Queue:',
    '    Type: AWS::SQS::Queue',
    '',
  ].join('\n');
}

/** A JSON rule template whose EventPattern members are given, one per line. */
function jsonRule(...patternLines: string[]): string {
  return [
    '{',
    '  "AWSTemplateFormatVersion": "2010-09-09",',
    '  "Resources": {',
    '    "Rule": {',
    '      "Type": "AWS::Events::Rule",',
    '      "Properties": {',
    '        "EventPattern": {',
    ...patternLines.map((l) => `          ${l}`),
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

test('YAML syntax errors are errors on the line to fix: missing ], unclosed quote, bad indentation', () => {
  const missingBracket = syntaxOf('file:///w/t.yaml', 'yaml', yamlRule('source: [aws.ec2', 'detail-type: [x]'));
  assert.deepEqual(
    missingBracket.map((d) => [d.code, d.line, d.severity]),
    [['EB430', 7, 1]],
  );
  assert.match(missingBracket[0].message, /^YAML syntax error: Flow sequence in block collection .* end with a \]$/);
  // The range starts where the `]` belongs: right after `aws.ec2`.
  assert.equal(missingBracket[0].character, '        source: [aws.ec2'.length);

  // The quote left open runs on to the end of the resource: the range starts at the opening quote.
  const unclosedQuote = syntaxOf('file:///w/t.yaml', 'yaml', yamlRule('source: ["aws.ec2]', 'detail-type: [x]'));
  assert.deepEqual(
    unclosedQuote.map((d) => [d.code, d.line, d.character]),
    [['EB430', 7, '        source: ['.length]],
  );
  assert.match(unclosedQuote[0].message, /Missing closing "quote/);
  const unclosedSingle = syntaxOf('file:///w/t.yaml', 'yaml', yamlRule("source: ['it''s]", 'detail-type: [x]'));
  assert.deepEqual(
    unclosedSingle.map((d) => [d.code, d.line, d.character]),
    [['EB430', 7, '        source: ['.length]],
  );

  const badIndent = syntaxOf('file:///w/t.yaml', 'yaml', yamlRule('source: [aws.ec2]', ' detail-type: [x]'));
  assert.deepEqual(
    badIndent.map((d) => [d.code, d.line, d.severity]),
    [['EB430', 8, 1]],
  );
  assert.match(badIndent[0].message, /All mapping items must start at the same column/);

  // A comma missing between two quoted items of a flow sequence.
  const missingComma = syntaxOf('file:///w/t.yaml', 'yaml', yamlRule('source: ["aws.ec2" "aws.s3"]'));
  assert.deepEqual(
    missingComma.map((d) => [d.code, d.line]),
    [['EB430', 7]],
  );
  assert.match(missingComma[0].message, /Missing , or : between flow sequence items/);

  // The same template without the break: nothing.
  assert.deepEqual(syntaxOf('file:///w/t.yaml', 'yaml', yamlRule('source: [aws.ec2]', 'detail-type: [x]')), []);
});

test('JSON syntax errors: on the line the comma or bracket is missing from, when no editor shows them', () => {
  const missingComma = jsonRule('"source": ["aws.ec2"]', '"detail-type": ["x"]');
  // In the `json` language VS Code's JSON language reports them: not repeated.
  assert.deepEqual(syntaxOf('file:///w/t.json', 'json', missingComma), []);
  assert.deepEqual(syntaxOf('file:///w/t.json', 'jsonc', missingComma), []);
  // Elsewhere (another language, the CLI's settings) they are errors, on the line the comma belongs to.
  const loud = getLanguageService({ syntaxErrors: { yamlLanguage: true, jsonLanguage: true } });
  assert.deepEqual(
    syntaxOf('file:///w/t.json', 'json', missingComma, loud).map((d) => [d.code, d.line, d.character, d.message]),
    [['EB430', 8, '          "source": ["aws.ec2"]'.length, 'JSON syntax error: Comma expected']],
  );
  assert.deepEqual(
    syntaxOf('file:///w/t.template', 'plaintext', missingComma).map((d) => [d.code, d.line]),
    [['EB430', 8]],
  );
  // A `]` missing at the end of a line: one error there (not one per parser complaint at the same place).
  const missingBracket = syntaxOf('file:///w/t.json', 'json', jsonRule('"source": ["aws.ec2"'), loud);
  assert.deepEqual(
    missingBracket.filter((d) => d.line === 8).map((d) => [d.code, d.severity]),
    [['EB430', 1]],
  );
  assert.ok(missingBracket.every((d) => d.code === 'EB430' && d.severity === 1));
  const unclosedQuote = syntaxOf('file:///w/t.json', 'json', jsonRule('"source": ["aws.ec2]', '"x": [1]'), loud);
  assert.deepEqual(unclosedQuote[0] && [unclosedQuote[0].line, unclosedQuote[0].message], [
    8,
    'JSON syntax error: Unexpected end of string',
  ]);
});

test('syntax errors only of the documents we read; YAML warnings are warnings; the setting turns YAML errors off', () => {
  // A YAML file that is no template, Serverless file or pattern file: its syntax is not our business.
  assert.deepEqual(syntaxOf('file:///w/ci.yaml', 'yaml', 'jobs:\n  build: [a\n  test: b\n'), []);
  // A template broken near its top is still recognised by its text.
  const brokenTop = 'AWSTemplateFormatVersion: "2010-09-09\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n';
  assert.equal(syntaxOf('file:///w/t.yaml', 'yaml', brokenTop)[0]?.code, 'EB430');
  // A YAML pattern file.
  const patternFile = syntaxOf('file:///w/p.eventpattern.yaml', 'yaml', 'source: [aws.s3\ndetail-type: [x]\n');
  assert.deepEqual(
    patternFile.map((d) => [d.code, d.line]),
    [['EB430', 1]],
  );
  // A tag the YAML parser does not know, inside a pattern: a warning, not an error.
  const unknownTag = syntaxOf('file:///w/t.yaml', 'yaml', yamlRule('source: [aws.s3]', 'account: [!Custom x]'));
  assert.deepEqual(
    unknownTag.map((d) => [d.code, d.severity]),
    [['EB431', 2]],
  );
  assert.match(unknownTag[0].message, /^YAML warning: .*!Custom/);
  // Elsewhere in a template YAML warnings are another tool's business.
  assert.deepEqual(
    syntaxOf(
      'file:///w/t.yaml',
      'yaml',
      yamlRule('source: [aws.s3]').replace('Type: AWS::SQS::Queue', 'Type: !Custom AWS::SQS::Queue'),
    ),
    [],
  );
  // `eventbridgePatterns.validation.yamlSyntax: false`: for users whose YAML extension shows them already.
  const quiet = getLanguageService({ syntaxErrors: { yamlLanguage: false, jsonLanguage: false } });
  const broken = yamlRule('source: [aws.ec2', 'detail-type: [x]');
  assert.deepEqual(syntaxOf('file:///w/t.yaml', 'yaml', broken, quiet), []);
  // ...and on again, through configure.
  quiet.configure({ syntaxErrors: { yamlLanguage: true, jsonLanguage: false } });
  assert.deepEqual(
    syntaxOf('file:///w/t.yaml', 'yaml', broken, quiet).map((d) => d.code),
    ['EB430'],
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

test('a JSON pattern file keeps EventBridge own syntax messages (EB100), on the line the comma is missing from', () => {
  const text = '{\n  "source": ["aws.s3"]\n  "detail-type": ["x"]\n}\n';
  const doc = TextDocument.create('file:///w/p.eventpattern.json', 'json', 1, text);
  const d = ls.doValidation(doc);
  assert.deepEqual(
    d.map((x) => [x.code, x.range.start.line + 1, x.message]),
    [['EB100', 2, `Unexpected character ('"' (code 34)): was expecting comma to separate Object entries`]],
  );
  // The range runs from where the comma belongs to the token that showed it missing.
  assert.equal(doc.getText(d[0].range), '\n  "');
});

test('JSON text in strings gets EventBridge own syntax errors, on the right characters', () => {
  const yamlText = [
    'Resources:',
    '  Rule:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    `      EventPattern: '{"source": ["aws.s3" "aws.ec2"]}'`,
    '  Map:',
    '    Type: AWS::Lambda::EventSourceMapping',
    '    Properties:',
    '      FilterCriteria:',
    '        Filters:',
    `          - Pattern: '{"body": {"k": ["a"}}'`,
    '',
  ].join('\n');
  assert.deepEqual(
    diagnose('file:///w/t.yaml', yamlText).map((x) => [x.code, x.text]),
    [
      ['EB100', '"'],
      ['EB100', '}'],
    ],
  );
  const jsonText = JSON.stringify(
    { Resources: { Rule: { Type: 'AWS::Events::Rule', Properties: { EventPattern: '{"source": ["aws.s3",]}' } } } },
    null,
    2,
  );
  const d = diagnose('file:///w/t.json', jsonText);
  assert.deepEqual(
    d.map((x) => [x.code, x.text]),
    [['EB100', ']']],
  );
  assert.match(d[0].message, /^Unexpected character \(']' \(code 93\)\)/);
});

test('every code of the site and document problems has its own heading in docs/problems.md', () => {
  const docs = readFileSync(join(repoRoot, 'docs', 'problems.md'), 'utf8');
  for (const code of [...Object.values(SiteProblemCode), ...Object.values(DocumentProblemCode)])
    assert.match(docs, new RegExp(`^### ${code}$`, 'm'), code);
});

test('flow lines indented as CloudFormation accepts them: a warning, and the pattern still checked at its place', () => {
  const text = yamlRule('source: aws.s3').replace(
    '    Type: AWS::SQS::Queue',
    ['    Type: AWS::SQS::Queue', '    Properties:', '      Tags: [{"Key": "a",', '      "Value": "b"}]'].join('\n'),
  );
  // Outside any pattern the relaxed reading is silent (deployed templates do this in policies and API models)...
  assert.deepEqual(syntaxOf('file:///w/t.yaml', 'yaml', text), []);
  // ...inside one it is a warning, on its line.
  const inPattern = yamlRule('source: [aws.s3]', 'detail-type: ["a",', '"b"]');
  assert.deepEqual(
    syntaxOf('file:///w/t.yaml', 'yaml', inPattern).map((d) => [d.code, d.line, d.severity]),
    [['EB431', 9, 2]],
  );
  assert.deepEqual(
    diagnose('file:///w/t.yaml', text)
      .filter((d) => d.code !== 'EB431')
      .map((d) => [d.code, d.text]),
    [['EB201', 'aws.s3']],
  );
  // Versions of the document through one service give what a fresh one gives (such a document is parsed whole).
  const service = getLanguageService();
  let current = text;
  for (let version = 1; version <= 4; version++) {
    const doc = TextDocument.create('file:///w/t.yaml', 'yaml', version, current);
    assert.deepEqual(
      service.doValidation(doc),
      getLanguageService().doValidation(TextDocument.create('file:///w/t.yaml', 'yaml', 1, current)),
    );
    current = current.replace('aws.s3', `aws.s3${version}`).replace('"Value": "b"', `"Value": "b${version}"`);
  }
});

test('JSON: a ] or } left out is shown where it belongs, not only where the parser gave up', () => {
  const loud = getLanguageService({ syntaxErrors: { yamlLanguage: true, jsonLanguage: true } });
  const lines = (text: string) => syntaxOf('file:///w/t.json', 'json', text, loud).map((d) => [d.line, d.message]);
  // `],` turned into `,` on a line of its own: the next key is read as an array item.
  const bracket = jsonRule('"source": [', '  "aws.s3"', ',', '"detail-type": ["x"]');
  assert.deepEqual(lines(bracket)[0], [10, 'JSON syntax error: Comma expected']);
  // `},` turned into `,`: the parser reads on to the end of the file; the layout shows where the `}` was.
  const brace = [
    '{',
    '  "Parameters": {',
    '    "A": {',
    '      "Type": "String"',
    '    ,',
    '    "B": {',
    '      "Type": "String"',
    '    }',
    '  },',
    '  "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(lines(brace), [[5, 'JSON syntax error: Closing brace expected (the { on line 3 is not closed)']]);
  // The same in a list of objects: the parser notices a few lines on, at the next item's `{`.
  const item = [
    '{',
    '  "Metadata": {"Groups": [',
    '    {',
    '      "Label": {',
    '        "default": "Network"',
    '      ,',
    '      "Parameters": ["A"]',
    '    },',
    '    {',
    '      "Label": {"default": "Other"}',
    '    }',
    '  ]},',
    '  "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(lines(item)[0], [6, 'JSON syntax error: Property name expected (the { on line 4 is not closed)']);
  // Comments and trailing commas: the document parser reads past them, CloudFormation does not.
  const lax = jsonRule('"source": ["aws.s3",],', '// a comment', '"detail-type": ["x"]');
  assert.deepEqual(lines(lax), [
    [8, 'JSON syntax error: Trailing comma'],
    [9, 'JSON syntax error: Comments are not allowed in JSON (CloudFormation reads strict JSON)'],
  ]);
  // None of this in the json language, where VS Code reports its own.
  assert.deepEqual(syntaxOf('file:///w/t.json', 'json', lax), []);
});

test('a cascade of syntax errors is cut short: the first ones, then how many follow', () => {
  const numbers = Array.from({ length: 40 }, (_, i) => String(i)).join(' ');
  const text = `{"Metadata": {"a": [${numbers}]},\n "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}\n`;
  const found = syntaxOf('file:///w/t.template', 'plaintext', text);
  assert.equal(found.length, MAX_SYNTAX_ERRORS + 1);
  assert.ok(found.slice(0, MAX_SYNTAX_ERRORS).every((d) => d.message === 'JSON syntax error: Comma expected'));
  assert.equal(
    found[MAX_SYNTAX_ERRORS].message,
    `${39 - MAX_SYNTAX_ERRORS} more syntax errors from here on, most likely following from the ones above: fix those first`,
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

test('a pattern key indented out of its pattern is flagged where it landed (EB508)', () => {
  const rule = [
    'Resources:',
    '  R:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    '      Description: state changes',
    '      EventPattern:',
    '        source: [aws.ec2]',
    '      detail-type: [EC2 Instance State-change Notification]',
    '  F:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Events:',
    '        Changed:',
    '          Type: EventBridgeRule',
    '          Properties:',
    '            Pattern:',
    '              source: [aws.ec2]',
    '            detail:',
    '              state: [running]',
    '        Api:',
    '          Type: Api',
    '          Properties: {Path: /x, Method: get, source: not-a-pattern}',
    '',
  ].join('\n');
  const found = diagnose('file:///w/template.yaml', rule).filter((d) => d.code === 'EB508');
  assert.deepEqual(
    found.map((d) => [d.text, d.severity]),
    [
      ['detail-type', 1],
      ['detail', 1],
    ],
  );
  assert.match(found[0].message, /^"detail-type" is a key of an event pattern, not a property of AWS::Events::Rule/);
  // Indented right, nothing; and a file that is not a template is not judged.
  const fixed = rule
    .replace('      detail-type:', '        detail-type:')
    .replace('            detail:', '              detail:');
  assert.ok(fixed !== rule);
  assert.deepEqual(
    diagnose('file:///w/template.yaml', fixed).filter((d) => d.code === 'EB508'),
    [],
  );
  assert.deepEqual(
    diagnose('file:///w/other.yaml', 'Properties:\n  source: [x]\n').filter((d) => d.code === 'EB508'),
    [],
  );
});
