// Completion through the facade, on documents written inline. The last `|` in a text is the cursor (so a YAML block
// scalar indicator may come before it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { InsertTextFormat, type CompletionItem, type TextEdit } from 'vscode-languageserver-types';
import { getLanguageService } from '../../../server/src/languageservice/languageService';

const ls = getLanguageService();
const PATTERN_FILE = 'file:///w/rule.eventpattern.json';
const TEMPLATE_YAML = 'file:///w/template.yaml';
const TEMPLATE_JSON = 'file:///w/template.json';

function withCursor(uri: string, textWithCursor: string) {
  const at = textWithCursor.lastIndexOf('|');
  assert.ok(at >= 0, 'the text needs a | for the cursor');
  const text = textWithCursor.slice(0, at) + textWithCursor.slice(at + 1);
  const document = TextDocument.create(uri, uri.endsWith('.json') ? 'json' : 'yaml', 1, text);
  return { document, position: document.positionAt(at) };
}

function complete(uri: string, textWithCursor: string) {
  const { document, position } = withCursor(uri, textWithCursor);
  const list = ls.doComplete(document, position);
  const items = list?.items ?? [];
  const edit = (i: CompletionItem): TextEdit => i.textEdit as TextEdit;
  return {
    list,
    labels: items.map((i) => i.label),
    item(label: string): CompletionItem {
      const found = items.find((i) => i.label === label);
      assert.ok(found, `no item ${label} among ${items.map((i) => i.label).join(', ')}`);
      return found;
    },
    /** The text an item replaces, and what it writes there. */
    edit(label: string): { replaces: string; newText: string } {
      const e = edit(this.item(label));
      return { replaces: document.getText(e.range), newText: e.newText };
    },
  };
}

const ENVELOPE = ['source', 'detail-type', 'detail', 'account', 'region', 'resources', 'time', 'id', 'version', '$or'];
const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'numeric (range)',
  'exists',
  'cidr',
];

function rule(patternLines: string[]): string {
  return ['Resources:', '  Rule:', '    Type: AWS::Events::Rule', '    Properties:', ...patternLines, ''].join('\n');
}
function pipe(patternLine: string[]): string {
  return [
    'Resources:',
    '  Pipe:',
    '    Type: AWS::Pipes::Pipe',
    '    Properties:',
    '      SourceParameters:',
    '        FilterCriteria:',
    '          Filters:',
    ...patternLine,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

test('JSON: envelope keys at the top level, in envelope order, as snippets replacing the typed key', () => {
  const c = complete(PATTERN_FILE, '{"|"}');
  assert.deepEqual(c.labels, ENVELOPE);
  assert.deepEqual(c.edit('source'), { replaces: '""', newText: '"source": ["$1"]' });
  assert.deepEqual(c.edit('detail'), { replaces: '""', newText: '"detail": {$1}' });
  assert.deepEqual(c.edit('$or'), { replaces: '""', newText: '"\\$or": [{$1}, {$2}]' });
  assert.equal(c.item('source').insertTextFormat, InsertTextFormat.Snippet);
  assert.equal(c.item('source').filterText, '"source"');
});

test('JSON: keys already present are not offered again', () => {
  const c = complete(PATTERN_FILE, '{"source": ["aws.s3"], "detail": {}, "|"}');
  assert.deepEqual(c.labels, ['detail-type', 'account', 'region', 'resources', 'time', 'id', 'version', '$or']);
});

test('JSON: a key whose colon is already written gets only the key', () => {
  const c = complete(PATTERN_FILE, '{"sou|": ["aws.s3"]}');
  assert.deepEqual(c.edit('source'), { replaces: '"sou"', newText: '"source"' });
});

test('JSON: an unquoted word typed where a key goes is replaced by the quoted key', () => {
  const c = complete(PATTERN_FILE, '{"source": ["aws.s3"], de|}');
  assert.deepEqual(c.edit('detail'), { replaces: 'de', newText: '"detail": {$1}' });
});

test('JSON, broken mid-typing: AWS sources replace the unterminated string', () => {
  const c = complete(PATTERN_FILE, '{"source": ["aws.|');
  assert.ok(c.labels.includes('aws.s3') && c.labels.includes('aws.ec2'));
  assert.deepEqual(c.edit('aws.s3'), { replaces: '"aws.', newText: '"aws.s3"' });
  assert.equal(c.item('aws.s3').filterText, '"aws.s3"');
  // Inside a started string only values fit.
  assert.ok(!c.labels.includes('prefix'));
});

test('JSON: a source value replaces the whole string, closing quote included', () => {
  const c = complete(PATTERN_FILE, '{"source": ["aws.|"]}');
  assert.deepEqual(c.edit('aws.s3'), { replaces: '"aws."', newText: '"aws.s3"' });
});

test('JSON: in an empty match list, values first, then operators as snippets; chosen values are not repeated', () => {
  const c = complete(PATTERN_FILE, '{"source": ["aws.s3", |]}');
  assert.ok(!c.labels.includes('aws.s3'));
  assert.ok(c.labels.includes('aws.ec2'));
  const operators = c.labels.filter((l) => !l.startsWith('aws.'));
  assert.deepEqual(operators, [
    'prefix',
    'prefix ignoring case',
    'suffix',
    'suffix ignoring case',
    'equals-ignore-case',
    'wildcard',
    'anything-but',
    'anything-but prefix',
    'anything-but suffix',
    'anything-but equals-ignore-case',
    'anything-but wildcard',
    'numeric',
    'numeric (range)',
    'exists',
    'cidr',
  ]);
  assert.deepEqual(c.edit('prefix'), { replaces: '', newText: '{"prefix": "$1"}' });
  assert.deepEqual(c.edit('numeric'), { replaces: '', newText: '{"numeric": [">", $1]}' });
  assert.deepEqual(c.edit('numeric (range)'), { replaces: '', newText: '{"numeric": [">=", $1, "<", $2]}' });
  assert.deepEqual(c.edit('exists'), { replaces: '', newText: '{"exists": ${1|true,false|}}' });
  assert.deepEqual(c.edit('anything-but'), { replaces: '', newText: '{"anything-but": ["$1"]}' });
  assert.deepEqual(c.edit('anything-but prefix'), { replaces: '', newText: '{"anything-but": {"prefix": "$1"}}' });
  assert.ok((c.item('aws.ec2').sortText ?? '') < (c.item('prefix').sortText ?? ''));
});

test('JSON: detail-types of the sources chosen in the same pattern (through $or too)', () => {
  const s3 = complete(PATTERN_FILE, '{"source": ["aws.s3"], "detail-type": ["|"]}');
  assert.ok(s3.labels.includes('Object Created'));
  assert.ok(!s3.labels.includes('EC2 Instance State-change Notification'));
  assert.equal(s3.item('Object Created').detail, 'detail-type of aws.s3');
  const both = complete(PATTERN_FILE, '{"$or": [{"source": ["aws.s3"]}, {"source": ["aws.ec2"]}], "detail-type": [|]}');
  assert.ok(both.labels.includes('Object Created') && both.labels.includes('EC2 Instance State-change Notification'));
  assert.deepEqual(both.edit('Object Created'), { replaces: '', newText: '"Object Created"' });
});

test('detail-types: every one AWS documents for the source, with or without a schema', () => {
  const glue = complete(
    TEMPLATE_YAML,
    rule(['      EventPattern:', '        source: [aws.glue]', '        detail-type: [|]']),
  );
  const documented = [
    'Glue Job State Change',
    'Glue Catalog State Change',
    'Glue Crawler State Change',
    'Glue Scheduled Crawler Invocation Failure',
    'Glue Job Run Status',
    'Glue Crawler Table Change',
    'Glue Data Catalog Database State Change',
    'Glue Data Catalog Table State Change',
    'Glue Statistics Task Started',
    'Glue Statistics Task Succeeded',
    'Glue Statistics Task Failed',
    'Glue Auto Statistics Invocation Failure',
    'Glue Scheduled Statistics Invocation Failure',
    'Data Quality Task State Change',
    'Data Quality Evaluation Results Available',
    'Entity Metering Event',
    'Auto debug metadata key shared from Orca',
  ];
  for (const dt of documented) assert.ok(glue.labels.includes(dt), `${dt} among ${glue.labels.join(', ')}`);
  assert.ok(glue.labels.includes('AWS API Call via CloudTrail'), 'it delivers via CloudTrail');
  assert.ok(!glue.labels.includes('Object Created'));
  assert.deepEqual(glue.edit('Glue Crawler State Change'), { replaces: '', newText: 'Glue Crawler State Change' });
  // A source only the events reference knows of (no schema at all) gets its names too.
  const inspector = complete(PATTERN_FILE, '{"source": ["aws.inspector2"], "detail-type": ["|"]}');
  assert.ok(inspector.labels.includes('Inspector2 Finding'), inspector.labels.join(', '));
});

test('sources: every source the catalog knows, also those without schemas', () => {
  const c = complete(PATTERN_FILE, '{"source": ["|"]}');
  for (const s of ['aws.s3', 'aws.glue', 'aws.inspector2', 'aws.sqs', 'aws.aiops']) assert.ok(c.labels.includes(s), s);
  assert.ok(c.labels.length >= 300, `${c.labels.length} sources`);
});

test('JSON: detail fields from the catalog, nested, with their types', () => {
  const prefix = '{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": ';
  const top = complete(PATTERN_FILE, `${prefix}{|}}`);
  assert.deepEqual(top.labels, [
    'bucket',
    'object',
    'reason',
    'request-id',
    'requester',
    'source-ip-address',
    'version',
    '$or',
  ]);
  assert.deepEqual(top.edit('bucket'), { replaces: '', newText: '"bucket": {$1}' });
  assert.deepEqual(top.edit('reason'), { replaces: '', newText: '"reason": ["$1"]' });
  const nested = complete(PATTERN_FILE, `${prefix}{"object": {"size": [0], "|"}}}`);
  assert.deepEqual(nested.labels, ['etag', 'key', 'sequencer', 'version-id', '$or']);
  assert.equal(nested.item('etag').detail, 'string');
});

test('JSON: detail fields inside a $or branch are those of the enclosing object', () => {
  const c = complete(
    PATTERN_FILE,
    '{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"$or": [{"|"}, {"reason": ["x"]}]}}',
  );
  assert.ok(c.labels.includes('bucket') && c.labels.includes('reason'));
});

test('JSON: operator keys inside a match expression, value snippet unless a colon follows', () => {
  const c = complete(PATTERN_FILE, '{"detail": {"a": [{"|"}]}}');
  assert.deepEqual(c.labels, OPERATORS);
  assert.deepEqual(c.edit('prefix'), { replaces: '""', newText: '"prefix": "$1"' });
  const withColon = complete(PATTERN_FILE, '{"detail": {"a": [{"pre|": "x"}]}}');
  assert.deepEqual(withColon.edit('prefix'), { replaces: '"pre"', newText: '"prefix"' });
  assert.deepEqual(complete(PATTERN_FILE, '{"detail": {"a": [{"prefix": "x", |}]}}').labels, []);
});

test('JSON: operators nested in anything-but and prefix', () => {
  assert.deepEqual(complete(PATTERN_FILE, '{"a": [{"anything-but": {|}}]}').labels, [
    'prefix',
    'suffix',
    'equals-ignore-case',
    'wildcard',
  ]);
  assert.deepEqual(complete(PATTERN_FILE, '{"a": [{"prefix": {"|"}}]}').labels, ['equals-ignore-case']);
});

test('JSON: operands of exists, numeric and prefix', () => {
  assert.deepEqual(complete(PATTERN_FILE, '{"a": [{"exists": |}]}').labels, ['true', 'false']);
  assert.deepEqual(complete(PATTERN_FILE, '{"a": [{"numeric": [|]}]}').labels, ['=', '<', '<=', '>', '>=']);
  assert.deepEqual(complete(PATTERN_FILE, '{"a": [{"numeric": [">", 0, |]}]}').labels, ['<', '<=']);
  const prefix = complete(PATTERN_FILE, '{"source": [{"prefix": "aws.|"}]}');
  assert.deepEqual(prefix.edit('aws.s3'), { replaces: '"aws."', newText: '"aws.s3"' });
});

test('JSON: a field with no value yet gets a match list', () => {
  const c = complete(PATTERN_FILE, '{"source": |}');
  assert.deepEqual(c.edit('aws.s3'), { replaces: '', newText: '["aws.s3"]' });
  assert.deepEqual(c.edit('[]'), { replaces: '', newText: '["$1"]' });
  assert.deepEqual(complete(PATTERN_FILE, '{"detail": |}').labels, ['{}']);
});

test('JSON template: object-form EventPattern broken mid-typing', () => {
  const c = complete(
    TEMPLATE_JSON,
    '{"Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": {"source": ["aws.|',
  );
  assert.deepEqual(c.edit('aws.s3'), { replaces: '"aws.', newText: '"aws.s3"' });
});

test('JSON template: a pattern in a JSON string gets escaped edits on the escaped text', () => {
  const value = complete(
    TEMPLATE_JSON,
    '{"Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": "{\\"source\\": [\\"aws.|\\"]}"}}}}',
  );
  assert.deepEqual(value.edit('aws.s3'), { replaces: '\\"aws.\\"', newText: '\\"aws.s3\\"' });
  assert.equal(value.item('aws.s3').filterText, '\\"aws.s3\\"');
  const operator = complete(
    TEMPLATE_JSON,
    '{"Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": "{\\"detail\\": {\\"x\\": [|]}}"}}}}',
  );
  // The snippet text escapes the backslashes the JSON string needs.
  assert.deepEqual(operator.edit('prefix'), { replaces: '', newText: '{\\\\"prefix\\\\": \\\\"$1\\\\"}' });
});

test('outside any pattern there is nothing to complete', () => {
  assert.equal(
    complete(
      TEMPLATE_YAML,
      rule(['      EventPattern:', '        source: [aws.s3]']).replace('Type: AWS', 'Type: |AWS'),
    ).list,
    null,
  );
  assert.equal(complete('file:///w/other.json', '{"source": [|]}').list, null);
});

// ---------------------------------------------------------------------------------------------------------------
// YAML

test('YAML, broken flow sequence: plain source values replace the word', () => {
  const c = complete(TEMPLATE_YAML, rule(['      EventPattern:', '        source: [aws.|']).trimEnd());
  assert.deepEqual(c.edit('aws.s3'), { replaces: 'aws.', newText: 'aws.s3' });
  assert.equal(c.item('aws.s3').filterText, 'aws.s3');
  assert.deepEqual(c.edit('prefix'), { replaces: 'aws.', newText: '{prefix: $1}' });
});

test('YAML: quoted values keep their quotes', () => {
  const double = complete(TEMPLATE_YAML, rule(['      EventPattern:', '        source: ["aws.|"]']));
  assert.deepEqual(double.edit('aws.s3'), { replaces: '"aws."', newText: '"aws.s3"' });
  const single = complete(TEMPLATE_YAML, rule(['      EventPattern:', "        source: ['aws.|']"]));
  assert.deepEqual(single.edit('aws.s3'), { replaces: "'aws.'", newText: "'aws.s3'" });
});

test('YAML block sequence: values and block-style match expressions after "- "', () => {
  const c = complete(TEMPLATE_YAML, rule(['      EventPattern:', '        source:', '          - |']));
  assert.deepEqual(c.edit('aws.s3'), { replaces: '', newText: 'aws.s3' });
  assert.deepEqual(c.edit('prefix'), { replaces: '', newText: 'prefix: $1' });
  assert.deepEqual(c.edit('numeric'), { replaces: '', newText: 'numeric: [">", $1]' });
  const typed = complete(
    TEMPLATE_YAML,
    rule(['      EventPattern:', '        detail:', '          a:', '            - pre|']),
  );
  assert.deepEqual(typed.edit('prefix ignoring case'), {
    replaces: 'pre',
    newText: 'prefix: {equals-ignore-case: $1}',
  });
});

test('YAML: detail-type values with spaces stay plain scalars', () => {
  const c = complete(
    TEMPLATE_YAML,
    rule(['      EventPattern:', '        source: [aws.ec2]', '        detail-type: [|]']),
  );
  assert.deepEqual(c.edit('EC2 Instance State-change Notification'), {
    replaces: '',
    newText: 'EC2 Instance State-change Notification',
  });
});

test('YAML: a key being typed under the pattern', () => {
  const c = complete(TEMPLATE_YAML, rule(['      EventPattern:', '        source: [aws.s3]', '        de|']));
  assert.deepEqual(
    c.labels,
    ENVELOPE.filter((l) => l !== 'source'),
  );
  assert.deepEqual(c.edit('detail-type'), { replaces: 'de', newText: 'detail-type: [$1]' });
  assert.deepEqual(c.edit('detail'), { replaces: 'de', newText: 'detail:\n  $1' });
  assert.deepEqual(c.edit('$or'), { replaces: 'de', newText: '\\$or:\n  - $1\n  - $2' });
});

test('YAML: the first key of a pattern still being one word', () => {
  const c = complete(TEMPLATE_YAML, rule(['      EventPattern:', '        sou|']));
  assert.deepEqual(c.edit('source'), { replaces: 'sou', newText: 'source: [$1]' });
});

test('YAML: a blank line takes its mapping from its indentation', () => {
  const sibling = complete(TEMPLATE_YAML, rule(['      EventPattern:', '        source: [aws.s3]', '        |']));
  assert.deepEqual(
    sibling.labels,
    ENVELOPE.filter((l) => l !== 'source'),
  );
  const first = complete(TEMPLATE_YAML, rule(['      EventPattern:', '        |']));
  assert.deepEqual(first.labels, ENVELOPE);
  const detail = complete(
    TEMPLATE_YAML,
    rule([
      '      EventPattern:',
      '        source: [aws.s3]',
      '        detail-type: [Object Created]',
      '        detail:',
      '          |',
    ]),
  );
  assert.deepEqual(detail.labels, [
    'bucket',
    'object',
    'reason',
    'request-id',
    'requester',
    'source-ip-address',
    'version',
    '$or',
  ]);
  assert.deepEqual(detail.edit('object'), { replaces: '', newText: 'object:\n  $1' });
  // Under the resource, not the pattern: nothing.
  assert.equal(
    complete(TEMPLATE_YAML, rule(['      EventPattern:', '        source: [aws.s3]', '      |'])).list,
    null,
  );
});

test('YAML: a new $or branch in a block sequence starts with a pattern key', () => {
  const c = complete(
    TEMPLATE_YAML,
    rule(['      EventPattern:', '        $or:', '          - source: [a]', '          - |']),
  );
  assert.deepEqual(c.labels, ENVELOPE);
});

test('YAML: after "source: " the values come wrapped in a list', () => {
  const c = complete(TEMPLATE_YAML, rule(['      EventPattern:', '        source: |']));
  assert.deepEqual(c.edit('aws.s3'), { replaces: '', newText: '[aws.s3]' });
  assert.deepEqual(c.edit('[]'), { replaces: '', newText: '[$1]' });
});

test('YAML flow mapping: operator keys', () => {
  const c = complete(TEMPLATE_YAML, rule(['      EventPattern:', '        detail:', '          a: [{ pre| }]']));
  assert.deepEqual(c.labels, OPERATORS);
  assert.deepEqual(c.edit('prefix'), { replaces: 'pre', newText: 'prefix: $1' });
  assert.deepEqual(c.edit('exists'), { replaces: 'pre', newText: 'exists: ${1|true,false|}' });
});

test('YAML: JSON text in a single-quoted string', () => {
  const c = complete(TEMPLATE_YAML, rule([`      EventPattern: '{"source": ["aws.|"]}'`]));
  assert.deepEqual(c.edit('aws.s3'), { replaces: '"aws."', newText: '"aws.s3"' });
});

test('YAML: JSON text in a double-quoted string is escaped', () => {
  const c = complete(TEMPLATE_YAML, rule(['      EventPattern: "{\\"source\\": [\\"aws.|\\"]}"']));
  assert.deepEqual(c.edit('aws.s3'), { replaces: '\\"aws.\\"', newText: '\\"aws.s3\\"' });
});

test('YAML block scalar (Pipes filter): the Pipes operator subset', () => {
  const c = complete(TEMPLATE_YAML, pipe(['            - Pattern: |', '                {"body": {"a": [{"|"}]}}']));
  assert.deepEqual(c.labels, [
    'prefix',
    'suffix',
    'equals-ignore-case',
    'anything-but',
    'numeric',
    'numeric (range)',
    'exists',
    'cidr',
  ]);
  assert.match(c.item('cidr').detail ?? '', /not documented/);
  assert.deepEqual(c.edit('prefix'), { replaces: '""', newText: '"prefix": "$1"' });
  // Record fields instead of the event envelope.
  const keys = complete(TEMPLATE_YAML, pipe(['            - Pattern: >-', '                {"|"}']));
  assert.deepEqual(keys.labels, [
    'body',
    'messageAttributes',
    'attributes',
    'data',
    'partitionKey',
    'eventName',
    'dynamodb',
    'value',
    '$or',
  ]);
  assert.deepEqual(keys.edit('body'), { replaces: '""', newText: '"body": {$1}' });
});

test('Lambda event source mapping: no wildcard or anything-but sub-operators; cidr is undocumented', () => {
  const text = [
    'Resources:',
    '  Map:',
    '    Type: AWS::Lambda::EventSourceMapping',
    '    Properties:',
    '      FilterCriteria:',
    '        Filters:',
    `          - Pattern: '{"body": {"a": [|]}}'`,
    '',
  ].join('\n');
  const c = complete(TEMPLATE_YAML, text);
  assert.deepEqual(c.labels, [
    'prefix',
    'prefix ignoring case',
    'suffix',
    'suffix ignoring case',
    'equals-ignore-case',
    'anything-but',
    'numeric',
    'numeric (range)',
    'exists',
    'cidr',
  ]);
  assert.match(c.item('cidr').detail ?? '', /not documented/);
  assert.deepEqual(complete(TEMPLATE_YAML, text.replace('[|]', '[{"anything-but": {|}}]')).labels, []);
});

test('a pattern file in YAML', () => {
  const c = complete('file:///w/orders.eventpattern.yaml', 'source: [aws.s3]\n|');
  assert.deepEqual(
    c.labels,
    ENVELOPE.filter((l) => l !== 'source'),
  );
});

test('JSON and YAML flow: a new entry gets the commas it needs', () => {
  const key = complete(PATTERN_FILE, '{"source": ["aws.s3"] |}');
  assert.deepEqual(key.edit('detail'), { replaces: '', newText: ', "detail": {$1}' });
  const between = complete(PATTERN_FILE, '{"source": ["aws.s3" | "aws.ec2"]}');
  assert.deepEqual(between.edit('aws.ecs'), { replaces: '', newText: ', "aws.ecs", ' });
  const yaml = complete(TEMPLATE_YAML, rule(['      EventPattern:', '        source: [aws.s3 |]']));
  assert.deepEqual(yaml.edit('aws.ec2'), { replaces: '', newText: ', aws.ec2' });
});

test('Fn::Sub: a ${} substitution is not replaced', () => {
  const text = rule([`      EventPattern: !Sub '{"source": ["\${Stage}.orders|"]}'`]);
  assert.equal(complete(TEMPLATE_YAML, text).list, null);
  const after = complete(TEMPLATE_YAML, rule([`      EventPattern: !Sub '{"source": ["\${Stage}.orders", |]}'`]));
  assert.deepEqual(after.edit('aws.s3'), { replaces: '', newText: '"aws.s3"' });
});

test('a filter pattern that is still one YAML word is not taken for an object', () => {
  const text = pipe(['            - Pattern:', '                bo|']);
  assert.equal(complete(TEMPLATE_YAML, text).list, null);
});

test('YAML blocks: nested detail fields and operators under anything-but (CRLF lines)', () => {
  const nested = complete(
    TEMPLATE_YAML,
    rule([
      '      EventPattern:',
      '        source: [aws.s3]',
      '        detail-type: [Object Created]',
      '        detail:',
      '          bucket:',
      '            |',
    ]).replace(/\n/g, '\r\n'),
  );
  assert.deepEqual(nested.labels, ['name', '$or']);
  const inner = complete(
    TEMPLATE_YAML,
    rule([
      '      EventPattern:',
      '        detail:',
      '          state:',
      '            - anything-but:',
      '                |',
    ]),
  );
  assert.deepEqual(inner.labels, ['prefix', 'suffix', 'equals-ignore-case', 'wildcard']);
});

test('SAM and Serverless Framework patterns', () => {
  const sam = [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Fn:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Events:',
    '        Stopped:',
    '          Type: EventBridgeRule',
    '          Properties:',
    '            Pattern:',
    '              source: [aws.ec2]',
    '              detail-type: [|]',
    '',
  ].join('\n');
  assert.ok(complete(TEMPLATE_YAML, sam).labels.includes('EC2 Instance State-change Notification'));
  const serverless = [
    'service: orders',
    'provider: {name: aws}',
    'functions:',
    '  handler:',
    '    handler: index.handler',
    '    events:',
    '      - eventBridge:',
    '          pattern:',
    '            |',
    '',
  ].join('\n');
  assert.deepEqual(complete('file:///w/serverless.yml', serverless).labels, ENVELOPE);
});

test('YAML flow mapping as the whole pattern', () => {
  const c = complete(TEMPLATE_YAML, rule(['      EventPattern: {source: [aws.s3], |}']));
  assert.deepEqual(c.edit('detail'), { replaces: '', newText: 'detail: {$1}' });
});
