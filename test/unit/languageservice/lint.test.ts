// Lint rules (EB5xx) through the facade, on documents written inline: messages, codes and exact ranges.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../../server/src/languageservice/languageService';

const ls = getLanguageService();

function diagnose(uri: string, text: string, service = ls) {
  const doc = TextDocument.create(uri, uri.endsWith('.json') ? 'json' : 'yaml', 1, text);
  return service.doValidation(doc).map((d) => ({
    code: d.code,
    message: typeof d.message === 'string' ? d.message : d.message.value,
    text: doc.getText(d.range),
    severity: d.severity,
  }));
}

/** Only the lint findings (codes EB500-EB599), as [code, text at the range]. */
function lint(uri: string, text: string): [unknown, string][] {
  return diagnose(uri, text)
    .filter((d) => /^EB5\d\d$/.test(String(d.code)))
    .map((d) => [d.code, d.text]);
}

const PATTERN_FILE = 'file:///w/rule.eventpattern.json';

function rule(pattern: string): string {
  return [
    'Resources:',
    '  Rule:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    `      EventPattern: '${pattern}'`,
    '',
  ].join('\n');
}

describe('misspelt envelope keys (EB502)', () => {
  test('each misspelling names the key it meant, at the key', () => {
    const d = diagnose(
      PATTERN_FILE,
      '{"Source": ["aws.ec2"], "detailType": ["x"], "details": {"state": ["running"]}, "detail_type": ["y"], "detail-Type": ["z"]}',
    );
    assert.deepEqual(
      d.map((x) => [x.code, x.text, x.severity]),
      [
        ['EB502', '"Source"', 2],
        ['EB502', '"detailType"', 2],
        ['EB502', '"details"', 2],
        ['EB502', '"detail_type"', 2],
        ['EB502', '"detail-Type"', 2],
      ],
    );
    assert.equal(
      d[2].message,
      '"details" is not a field of EventBridge events, so this condition never matches: did you mean "detail"?',
    );
    assert.match(d[1].message, /did you mean "detail-type"\?$/);
    assert.match(d[4].message, /did you mean "detail-type"\?$/);
  });

  test('dotted keys and $or branches are top-level fields too; correct keys and unrelated names are quiet', () => {
    assert.deepEqual(
      lint(
        PATTERN_FILE,
        '{"details.state": ["a"], "$or": [{"sorce": ["x"]}, {"detail": {"details": ["b"]}}], "replay-name": ["r"], "custom": ["c"]}',
      ),
      [
        ['EB502', '"details.state"'],
        ['EB502', '"sorce"'],
      ],
    );
  });

  test('inside a string pattern in YAML the range lands on the key', () => {
    assert.deepEqual(lint('file:///w/t.yaml', rule('{"detailType": ["Object Created"], "source": ["aws.s3"]}')), [
      ['EB502', '"detailType"'],
    ]);
  });

  test('Pipes and Lambda filters see records, not EventBridge envelopes: no envelope lint there', () => {
    const text = JSON.stringify({
      Resources: {
        Map: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: { FilterCriteria: { Filters: [{ Pattern: '{"body": {"details": ["x"]}, "Source": ["y"]}' }] } },
        },
      },
    });
    assert.deepEqual(lint('file:///w/template.json', text), []);
  });
});

describe('sources and detail-types (EB500, EB501)', () => {
  test("a detail-type the source does not publish, with the catalog's nearest name", () => {
    const d = diagnose(
      PATTERN_FILE,
      '{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State Change Notification"]}',
    );
    assert.deepEqual(d, [
      {
        code: 'EB500',
        message:
          'aws.ec2 publishes no detail-type "EC2 Instance State Change Notification", so no event matches it: did you mean "EC2 Instance State-change Notification"?',
        text: '"EC2 Instance State Change Notification"',
        severity: 2,
      },
    ]);
  });

  test('published names, CloudTrail detail-types, custom sources and a source published elsewhere in $or stay quiet', () => {
    assert.deepEqual(
      lint(PATTERN_FILE, '{"source": ["aws.s3"], "detail-type": ["Object Created", "AWS API Call via CloudTrail"]}'),
      [],
    );
    assert.deepEqual(lint(PATTERN_FILE, '{"source": ["com.example.orders"], "detail-type": ["Order Placed"]}'), []);
    assert.deepEqual(lint(PATTERN_FILE, '{"source": [{"prefix": "aws."}], "detail-type": ["Anything"]}'), []);
    assert.deepEqual(
      lint(
        PATTERN_FILE,
        '{"detail-type": ["Object Created"], "$or": [{"source": ["aws.ec2"]}, {"source": ["aws.s3"]}]}',
      ),
      [],
    );
  });

  test('a detail-type no branch of $or publishes is flagged once', () => {
    assert.deepEqual(
      lint(
        PATTERN_FILE,
        '{"detail-type": ["Object Creatd"], "$or": [{"source": ["aws.ec2"]}, {"source": ["aws.s3"]}]}',
      ),
      [['EB500', '"Object Creatd"']],
    );
  });

  test('two sources: the message names both', () => {
    const d = diagnose(PATTERN_FILE, '{"source": ["aws.ec2", "aws.s3"], "detail-type": ["Nothing Like It"]}');
    assert.deepEqual(
      d.map((x) => x.message),
      ['any of aws.ec2, aws.s3 publishes no detail-type "Nothing Like It", so no event matches it'],
    );
  });

  test('an unknown aws.* source close to a real one; real sources outside the catalog are quiet', () => {
    const d = diagnose(
      PATTERN_FILE,
      '{"source": ["aws.lamda", "AWS.S3", "aws.sqs", "aws.lambda", "aws.somethingnew", "acme.s3"]}',
    );
    assert.deepEqual(
      d.map((x) => [x.code, x.text, x.message]),
      [
        [
          'EB501',
          '"aws.lamda"',
          '"aws.lamda" is not an AWS event source (sources are case-sensitive), so no event matches it: did you mean "aws.lambda"?',
        ],
        [
          'EB501',
          '"AWS.S3"',
          '"AWS.S3" is not an AWS event source (sources are case-sensitive), so no event matches it: did you mean "aws.s3"?',
        ],
      ],
    );
  });
});

describe('EB500 and EB501 against the events reference', () => {
  test('every detail-type AWS documents is published, with or without a schema, in either documented spelling', () => {
    assert.deepEqual(
      lint(
        'file:///w/t.yaml',
        rule('{"source": ["aws.glue"], "detail-type": ["Glue Crawler State Change", "Glue Job Run Status"]}'),
      ),
      [],
    );
    assert.deepEqual(
      lint(
        PATTERN_FILE,
        '{"source": ["aws.iotanalytics"], "detail-type": ["IoT Analytics Dataset Lifecycle Notification", "IoT Analytics DataSet Lifecycle Notification", "IoTAnalytics DataSet Life Cycle Notification"]}',
      ),
      [],
    );
  });

  test('a wrong detail-type for a source whose list is complete: flagged, with the close documented name', () => {
    const d = diagnose(PATTERN_FILE, '{"source": ["aws.glue"], "detail-type": ["Glue Crawler State Chnage"]}');
    assert.deepEqual(
      d.map((x) => [x.code, x.text, x.message]),
      [
        [
          'EB500',
          '"Glue Crawler State Chnage"',
          'aws.glue publishes no detail-type "Glue Crawler State Chnage", so no event matches it: did you mean "Glue Crawler State Change"?',
        ],
      ],
    );
  });

  test('wrong case is a real miss: the documented spelling is proposed, saying why', () => {
    const d = diagnose(PATTERN_FILE, '{"source": ["aws.glue"], "detail-type": ["glue job state change"]}');
    assert.deepEqual(
      d.map((x) => x.message),
      [
        'aws.glue publishes no detail-type "glue job state change" (detail-types are case-sensitive), so no event matches it: did you mean "Glue Job State Change"?',
      ],
    );
  });

  test('nothing close: flagged without a suggestion (another event is not a typo)', () => {
    const d = diagnose(PATTERN_FILE, '{"source": ["aws.glue"], "detail-type": ["Glue Crawler Run Change"]}');
    assert.deepEqual(
      d.map((x) => [x.code, x.message]),
      [['EB500', 'aws.glue publishes no detail-type "Glue Crawler Run Change", so no event matches it']],
    );
  });

  test('a source whose list is not complete, or unknown, is never judged', () => {
    // Known from the reference's index only, from the schema registry only, or real but outside the catalog.
    for (const source of ['aws.aiops', 'aws.a4b', 'aws.kafka', 'com.example']) {
      assert.deepEqual(
        lint(PATTERN_FILE, `{"source": ["${source}"], "detail-type": ["Whatever Happened"]}`),
        [],
        source,
      );
    }
    // One source of two with an incomplete list keeps the detail-type unjudged.
    assert.deepEqual(
      lint(PATTERN_FILE, '{"source": ["aws.glue", "aws.aiops"], "detail-type": ["Whatever Happened"]}'),
      [],
    );
  });

  test('sources the schema registry does not cover are checked too (aws.inspector2)', () => {
    assert.deepEqual(lint(PATTERN_FILE, '{"source": ["aws.inspector2"], "detail-type": ["Inspector2 Finding"]}'), []);
    const d = diagnose(PATTERN_FILE, '{"source": ["aws.inspector2"], "detail-type": ["Inspector2 Findings"]}');
    assert.deepEqual(
      d.map((x) => [x.code, x.message]),
      [
        [
          'EB500',
          'aws.inspector2 publishes no detail-type "Inspector2 Findings", so no event matches it: did you mean "Inspector2 Finding"?',
        ],
      ],
    );
  });

  test('CloudTrail detail-types: published where the service delivers via CloudTrail, flagged only where its CloudTrail events have another source', () => {
    assert.deepEqual(
      lint(PATTERN_FILE, '{"source": ["aws.sqs", "aws.monitoring"], "detail-type": ["AWS API Call via CloudTrail"]}'),
      [],
    );
    // The reference names no CloudTrail delivery for these pages, which may only be thin: no false alarm.
    assert.deepEqual(
      lint(PATTERN_FILE, '{"source": ["aws.application-autoscaling"], "detail-type": ["AWS API Call via CloudTrail"]}'),
      [],
    );
    const d = diagnose(PATTERN_FILE, '{"source": ["aws.cloudwatch"], "detail-type": ["AWS API Call via CloudTrail"]}');
    assert.deepEqual(
      d.map((x) => x.message),
      [
        'aws.cloudwatch publishes no detail-type "AWS API Call via CloudTrail" (its CloudTrail events come from aws.monitoring), so no event matches it',
      ],
    );
  });

  test('EB501 knows every source of the reference, and guesses only when the name is close', () => {
    assert.deepEqual(
      lint(PATTERN_FILE, '{"source": ["aws.inspector2", "aws.glue-dataquality", "aws.aiops", "aws.fsx", "aws.mq"]}'),
      [],
    );
    const d = diagnose(PATTERN_FILE, '{"source": ["aws.s3outposts", "aws.inspectr2"]}');
    assert.deepEqual(
      d.map((x) => [x.code, x.text, x.message.replace(/^.*did you mean /, '')]),
      [
        ['EB501', '"aws.s3outposts"', '"aws.s3-outposts"?'],
        ['EB501', '"aws.inspectr2"', '"aws.inspector2"?'],
      ],
    );
  });
});

describe('value types (EB503, EB504, EB505)', () => {
  test('numbers written as strings, numeric on strings, string operators on numbers', () => {
    const d = diagnose(
      PATTERN_FILE,
      '{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"object": {"size": ["5", {"prefix": "1"}, 7]}, "bucket": {"name": [{"numeric": [">", 1]}, "b"]}}}',
    );
    assert.deepEqual(d, [
      {
        code: 'EB503',
        message:
          'detail.object.size is a number in aws.s3 "Object Created" events; the string "5" never matches a number: write 5 without quotes',
        text: '"5"',
        severity: 2,
      },
      {
        code: 'EB505',
        message:
          'detail.object.size is a number in aws.s3 "Object Created" events; `prefix` only matches strings, so it never matches here',
        text: '{"prefix": "1"}',
        severity: 2,
      },
      {
        code: 'EB504',
        message:
          'detail.bucket.name is a string in aws.s3 "Object Created" events; `numeric` only matches numbers, so it never matches here',
        text: '{"numeric": [">", 1]}',
        severity: 2,
      },
    ]);
  });

  test('envelope fields are strings in every event', () => {
    const d = diagnose(
      PATTERN_FILE,
      '{"account": [123456789012], "region": [{"numeric": ["=", 1]}], "version": ["0"]}',
    );
    assert.deepEqual(
      d.map((x) => [x.code, x.text, x.message]),
      [
        [
          'EB504',
          '123456789012',
          'account is a string in every EventBridge event; the number 123456789012 never matches a string: write "123456789012"',
        ],
        [
          'EB504',
          '{"numeric": ["=", 1]}',
          'region is a string in every EventBridge event; `numeric` only matches numbers, so it never matches here',
        ],
      ],
    );
  });

  test("without both a source and a detail-type the field's type is unknown: nothing is claimed", () => {
    assert.deepEqual(lint(PATTERN_FILE, '{"source": ["aws.s3"], "detail": {"object": {"size": ["5"]}}}'), []);
    assert.deepEqual(
      lint(PATTERN_FILE, '{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"nope": ["5"]}}'),
      [],
    );
  });

  test('a value that matches in another $or combination is not flagged', () => {
    const text =
      '{"detail": {"object": {"size": ["5"]}}, "$or": [{"source": ["aws.s3"], "detail-type": ["Object Created"]}, {"source": ["com.example"]}]}';
    assert.deepEqual(lint(PATTERN_FILE, text), []);
  });
});

describe('values unknown until deploy: only the conditions holding them go unchecked', () => {
  /** A YAML template with one rule whose EventPattern is these lines (indented under it). */
  const yamlRule = (...lines: string[]): string =>
    [
      'Resources:',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern:',
      ...lines,
      '',
    ].join('\n');

  test('an S3 rule whose bucket is !Ref: its detail-type is still checked (short form, long form, ImportValue)', () => {
    const short = yamlRule(
      '        source: [aws.s3]',
      '        detail-type: [Object Creatd]',
      '        detail:',
      '          bucket:',
      '            name: [!Ref Bucket]',
    );
    assert.deepEqual(lint('file:///w/t.yaml', short), [['EB500', 'Object Creatd']]);
    const long = JSON.stringify({
      Resources: {
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: {
              source: ['aws.s3'],
              'detail-type': ['Object Creatd'],
              detail: {
                bucket: { name: [{ Ref: 'Bucket' }] },
                object: { key: [{ prefix: { 'Fn::ImportValue': 'P' } }] },
              },
            },
          },
        },
      },
    });
    assert.deepEqual(lint('file:///w/t.json', long), [['EB500', '"Object Creatd"']]);
  });

  test('Fn::Sub text: a ${} value leaves the other conditions checked', () => {
    const text = rule(
      '{"source": ["aws.s3"], "detail-type": ["Object Creatd"], "detail": {"bucket": {"name": ["${Bucket}"]}}}',
    ).replace("EventPattern: '", "EventPattern: !Sub '");
    assert.deepEqual(lint('file:///w/t.yaml', text), [['EB500', '"Object Creatd"']]);
  });

  test('a detail-type holding an unknown value is not flagged, and does not hide its siblings', () => {
    for (const detailType of ['[!Ref DetailType]', '["Object Creatd", !Ref DetailType]', '!Ref DetailTypes']) {
      const text = yamlRule(
        '        source: [aws.s3]',
        `        detail-type: ${detailType}`,
        '        account: [123456789012]',
        '        sorce: [x]',
      );
      assert.deepEqual(
        lint('file:///w/t.yaml', text),
        [
          ['EB504', '123456789012'],
          ['EB502', 'sorce'],
        ],
        detailType,
      );
    }
  });

  test('an unknown source: detail-types cannot be judged; a misspelt known source still is', () => {
    assert.deepEqual(
      lint('file:///w/t.yaml', yamlRule('        source: [!Ref Source]', '        detail-type: [Object Creatd]')),
      [],
    );
    assert.deepEqual(
      lint(
        'file:///w/t.yaml',
        yamlRule(
          '        source: [aws.lamda]',
          '        detail-type: [!Ref DetailType]',
          '        detail: {bucket: {name: [!Ref Bucket]}}',
        ),
      ),
      [['EB501', 'aws.lamda']],
    );
  });

  test('a type check on one field survives an unknown value in another, not in its own condition', () => {
    const text = yamlRule(
      '        source: [aws.s3]',
      '        detail-type: [Object Created]',
      '        detail:',
      '          bucket: {name: [!Ref Bucket]}',
      '          object:',
      '            size: ["12"]',
      '            etag: [5, !Ref Etag]',
    );
    assert.deepEqual(lint('file:///w/t.yaml', text), [['EB503', '"12"']]);
  });

  test('$or with a branch unknown until deploy: what that branch could replace is not judged', () => {
    // At the top, the unknown branch could hold another source: the detail-type is not judged.
    const top = yamlRule(
      '        source: [aws.s3]',
      '        detail-type: [Object Creatd]',
      '        $or:',
      '          - detail: {bucket: {name: [b]}}',
      '          - !If [IsProd, {detail: {bucket: {name: [p]}}}, {detail: {bucket: {name: [d]}}}]',
    );
    assert.deepEqual(lint('file:///w/t.yaml', top), []);
    // Under detail, it cannot: the detail-type is judged in every combination.
    const nested = yamlRule(
      '        source: [aws.s3]',
      '        detail-type: [Object Creatd]',
      '        detail:',
      '          $or:',
      '            - bucket: {name: [b]}',
      '            - !Ref BucketCondition',
    );
    assert.deepEqual(lint('file:///w/t.yaml', nested), [['EB500', 'Object Creatd']]);
  });

  test('Fn::Sub: a key given by ${} is never taken for a misspelt field, and may stand for any field', () => {
    const text = rule(
      '{"source": ["aws.s3"], "${DetailTypeKey}": ["x"], "detail-type": ["Object Creatd"], "detial": {"a": ["${A}"]}}',
    ).replace("EventPattern: '", "EventPattern: !Sub '");
    assert.deepEqual(lint('file:///w/t.yaml', text), [['EB502', '"detial"']]);
  });
});

describe('overridden conditions (EB507)', () => {
  test('a repeated key or the same path written twice: the earlier condition is flagged', () => {
    const d = diagnose(
      PATTERN_FILE,
      '{"detail": {"state": ["a"], "state": ["b"]}, "detail.x": ["1"], "detail": {"x": ["2"], "y": {"z": ["3"]}}}',
    );
    assert.deepEqual(
      d.map((x) => [x.code, x.text, x.message]),
      [
        [
          'EB507',
          '"state"',
          'detail.state is given again later in this pattern: EventBridge keeps only the last one, so this condition is ignored',
        ],
        [
          'EB507',
          '"detail.x"',
          'detail.x is given again later in this pattern: EventBridge keeps only the last one, so this condition is ignored',
        ],
      ],
    );
  });

  test('objects merge, and $or branches may repeat a field', () => {
    assert.deepEqual(
      lint(PATTERN_FILE, '{"detail": {"a": ["1"]}, "detail": {"b": ["2"]}, "$or": [{"c": ["1"]}, {"c": ["2"]}]}'),
      [],
    );
  });
});

describe('size (EB506)', () => {
  const patternOfLength = (n: number): string => {
    const head = '{"source": ["';
    const tail = '"]}';
    return head + 'x'.repeat(n - head.length - tail.length) + tail;
  };

  test('above 90% of the 2048-character default quota: a warning on the whole pattern', () => {
    const text = patternOfLength(1900);
    const d = diagnose(PATTERN_FILE, text);
    assert.deepEqual(
      d.map((x) => [x.code, x.message, x.text.length]),
      [
        [
          'EB506',
          "The pattern is 1900 characters long, 92% of EventBridge's 2048-character default quota: beyond it, the rule needs a service quota increase (up to 4096)",
          1900,
        ],
      ],
    );
  });

  test('below the threshold, or already over the quota (EB401 says so), nothing from the lint', () => {
    assert.deepEqual(lint(PATTERN_FILE, patternOfLength(1800)), []);
    const over = diagnose(PATTERN_FILE, patternOfLength(2100)).map((x) => x.code);
    assert.deepEqual(over, ['EB401']);
  });

  test('Pipes filters have a hard 4096-character limit', () => {
    const pattern = '{"body": {"k": ["' + 'x'.repeat(3800) + '"]}}';
    const text = JSON.stringify({
      Resources: {
        P: {
          Type: 'AWS::Pipes::Pipe',
          Properties: { SourceParameters: { FilterCriteria: { Filters: [{ Pattern: pattern }] } } },
        },
      },
    });
    assert.deepEqual(
      diagnose('file:///w/template.json', text).map((d) => [d.code, d.message]),
      [
        [
          'EB506',
          `The pattern is ${pattern.length} characters long, 93% of the 4096-character limit for EventBridge Pipes patterns: beyond it, AWS rejects the pattern`,
        ],
      ],
    );
  });

  test('object-form patterns are measured as the JSON AWS receives', () => {
    const value = 'x'.repeat(1880);
    const text = [
      'Resources:',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern:',
      `        source: [${value}]`,
      '',
    ].join('\n');
    assert.deepEqual(
      lint('file:///w/t.yaml', text).map(([code]) => code),
      ['EB506'],
    );
  });
});

describe('severity', () => {
  test('the lint category silences the lint rules; the size warning belongs to limits', () => {
    const quiet = getLanguageService({
      severity: { aws: 'default', limits: 'default', dialect: 'default', lint: 'off' },
    });
    const text = '{"details": {"a": ["b"]}, "source": ["' + 'x'.repeat(1880) + '"]}';
    assert.deepEqual(
      diagnose(PATTERN_FILE, text, quiet).map((d) => d.code),
      ['EB506'],
    );
    assert.deepEqual(
      diagnose(PATTERN_FILE, text).map((d) => d.code),
      ['EB506', 'EB502'],
    );
  });
});
