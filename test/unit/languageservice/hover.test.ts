// Hover through the facade, on documents written inline. The last `|` in a text is the cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver-types';
import { getLanguageService } from '../../../server/src/languageservice/languageService';

const ls = getLanguageService();
const PATTERN_FILE = 'file:///w/rule.eventpattern.json';
const TEMPLATE_YAML = 'file:///w/template.yaml';
const TEMPLATE_JSON = 'file:///w/template.json';

function hover(uri: string, textWithCursor: string): { markdown: string; over: string } | null {
  const at = textWithCursor.lastIndexOf('|');
  const text = textWithCursor.slice(0, at) + textWithCursor.slice(at + 1);
  const document = TextDocument.create(uri, uri.endsWith('.json') ? 'json' : 'yaml', 1, text);
  const result = ls.doHover(document, document.positionAt(at));
  if (!result) return null;
  const contents = result.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  return { markdown: contents.value, over: result.range ? document.getText(result.range) : '' };
}

function rule(patternLines: string[]): string {
  return ['Resources:', '  Rule:', '    Type: AWS::Events::Rule', '    Properties:', ...patternLines, ''].join('\n');
}

const S3_CREATED =
  '{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"object": {"size": [{"numeric": [">", 0]}]}}}';

test('an operator: what it does, an example, where it is supported, and what it does here', () => {
  const h = hover(PATTERN_FILE, '{"source": ["aws.s3"], "detail": {"key": [{"pre|fix": "img/"}]}}')!;
  assert.equal(h.over, '"prefix"');
  assert.match(h.markdown, /^\*\*prefix\*\*: Matches string values that start with the given text/);
  assert.ok(h.markdown.includes('```json\n{"source": [{"prefix": "aws."}]}\n```'));
  assert.ok(h.markdown.includes('In this event bus pattern: supported. Supported everywhere.'));
  assert.ok(h.markdown.includes('Here: starts with "img/".'));
});

test('an operator nested in anything-but: the dialects that reject it', () => {
  const h = hover(PATTERN_FILE, '{"detail": {"key": [{"anything-but": {"suf|fix": ".tmp"}}]}}')!;
  assert.match(h.markdown, /^\*\*anything-but\*\* › \*\*suffix\*\*/);
  assert.ok(h.markdown.includes('Not supported in EventBridge Pipes, Lambda event source mapping, SNS subscription.'));
  assert.ok(h.markdown.includes('Here: anything not ending with ".tmp".'));
});

test('an operator the dialect does not support says so', () => {
  const text = [
    'Resources:',
    '  Pipe:',
    '    Type: AWS::Pipes::Pipe',
    '    Properties:',
    '      SourceParameters:',
    '        FilterCriteria:',
    '          Filters:',
    `            - Pattern: '{"body": {"a": [{"wild|card": "x*"}]}}'`,
    '',
  ].join('\n');
  const h = hover(TEMPLATE_YAML, text)!;
  assert.equal(h.over, '"wildcard"');
  assert.ok(h.markdown.includes('In this EventBridge Pipes pattern: **not supported**.'));
});

test('an envelope key: the field, its condition, and the whole pattern in plain words', () => {
  const h = hover(PATTERN_FILE, S3_CREATED.replace('"source"', '"sou|rce"'))!;
  assert.equal(h.over, '"source"');
  assert.equal(
    h.markdown,
    [
      '**source**: The service or application that sent the event: `aws.<service>` for AWS services (`aws.s3`), your own name for custom events.',
      '',
      'In this pattern: source is "aws.s3".',
      '',
      '---',
      '',
      'Matches when detail-type is "Object Created" and detail.object.size > 0 and source is "aws.s3".',
    ].join('\n'),
  );
});

test('a detail field: its type from the catalog and its condition', () => {
  const h = hover(PATTERN_FILE, S3_CREATED.replace('"size"', '"si|ze"'))!;
  assert.equal(h.over, '"size"');
  assert.equal(
    h.markdown,
    '**detail.object.size**: `number`, required\n\nFrom the schema of aws.s3 / Object Created.\n\nIn this pattern: detail.object.size > 0.',
  );
});

test('a field the catalog does not know', () => {
  const h = hover(PATTERN_FILE, '{"source": ["my.app"], "detail": {"or|derId": ["1"]}}')!;
  assert.equal(h.markdown, '**detail.orderId**: a field of the event.\n\nIn this pattern: detail.orderId is "1".');
});

test('a field of a detail-type the catalog knows without a schema: a plain field, and the pattern in words', () => {
  const h = hover(
    PATTERN_FILE,
    '{"source": ["aws.glue"], "detail-type": ["Glue Crawler State Change"], "detail": {"st|ate": ["Failed"]}}',
  )!;
  assert.equal(h.markdown, '**detail.state**: a field of the event.\n\nIn this pattern: detail.state is "Failed".');
});

test('$or: the combinations it expands to', () => {
  const h = hover(
    PATTERN_FILE,
    '{"source": ["aws.s3"], "$o|r": [{"detail-type": ["A"]}, {"detail-type": ["B"], "$or": [{"a": ["1"]}, {"b": ["2"]}]}]}',
  )!;
  assert.equal(h.over, '"$or"');
  assert.ok(h.markdown.startsWith('**$or**: the pattern matches when any of the listed sub-patterns does'));
  assert.ok(h.markdown.includes('- a is "1" and detail-type is "B" and source is "aws.s3"'));
  assert.ok(h.markdown.endsWith('`$or` expands to 3 combinations.'));
});

test('the key holding a pattern: the pattern in plain words', () => {
  const h = hover(
    TEMPLATE_YAML,
    rule([
      '      Event|Pattern:',
      '        source: [aws.s3]',
      '        detail:',
      '          state: [{ exists: true }]',
    ]),
  )!;
  assert.equal(h.over, 'EventPattern');
  assert.equal(h.markdown, '**Event pattern** (event bus)\n\nMatches when detail.state exists and source is "aws.s3".');
});

test('the key holding an invalid pattern says it cannot be described yet', () => {
  const h = hover(TEMPLATE_YAML, rule(['      EventPa|ttern:', '        source: aws.s3']))!;
  assert.ok(h.markdown.includes('This pattern has problems (see the diagnostics)'));
});

test('a pattern with values known only at deploy is described, saying which', () => {
  const h = hover(
    TEMPLATE_YAML,
    rule([
      '      EventPa|ttern:',
      '        source: [aws.s3]',
      '        detail-type: [Object Created, !Ref ExtraType]',
      '        detail: {bucket: {name: [!Ref Bucket]}}',
    ]),
  )!;
  assert.equal(
    h.markdown,
    '**Event pattern** (event bus)\n\nMatches when detail-type is "Object Created" or a value known only at deploy' +
      ' and detail.bucket.name is a value known only at deploy and source is "aws.s3".',
  );
  const field = hover(
    TEMPLATE_YAML,
    rule(['      EventPattern:', '        detail: {bucket: {na|me: [!Ref Bucket]}}']),
  )!;
  assert.ok(field.markdown.includes('In this pattern: detail.bucket.name is a value known only at deploy.'));
});

test('Fn::Sub: a key given by ${} is shown as the template writes it', () => {
  const h = hover(TEMPLATE_YAML, rule([`      EventPattern: !Sub '{"source": ["a"], "\${Fi|eld}": ["x"]}'`]))!;
  assert.equal(h.over, '"${Field}"');
  assert.equal(h.markdown, '`${Field}`: a key known only at deploy (Fn::Sub substitutes ${Field}).');
});

test('YAML object form: operator keys are plain scalars', () => {
  const h = hover(
    TEMPLATE_YAML,
    rule(['      EventPattern:', '        detail:', '          state: [{ exi|sts: false }]']),
  )!;
  assert.equal(h.over, 'exists');
  assert.ok(h.markdown.includes('Here: does not exist.'));
});

test('a pattern in a JSON string of a JSON template: the range is the escaped key in the document', () => {
  const h = hover(
    TEMPLATE_JSON,
    '{"Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": "{\\"detail\\": {\\"n\\": [{\\"num|eric\\": [\\">\\", 5]}]}}"}}}}',
  )!;
  assert.equal(h.over, '\\"numeric\\"');
  assert.ok(h.markdown.includes('Here: > 5.'));
});

test('Fn::If: the key lists the pattern of each branch with its condition', () => {
  const text = rule([
    '      Event|Pattern: !If',
    '        - IsProd',
    '        - source: [aws.s3]',
    '        - source: [aws.ec2]',
  ]);
  const h = hover(TEMPLATE_YAML, text)!;
  assert.equal(
    h.markdown,
    [
      '**Event pattern** (event bus) (when IsProd)',
      '',
      'Matches when source is "aws.s3".',
      '',
      '---',
      '',
      '**Event pattern** (event bus) (when !IsProd)',
      '',
      'Matches when source is "aws.ec2".',
    ].join('\n'),
  );
});

test('values, punctuation and text outside patterns have no hover', () => {
  assert.equal(hover(PATTERN_FILE, '{"source": ["aws|.s3"]}'), null);
  assert.equal(hover(PATTERN_FILE, '{"source": |["aws.s3"]}'), null);
  assert.equal(
    hover(TEMPLATE_YAML, rule(['      EventPattern:', '        source: [aws.s3]']).replace('Ty', 'T|y')),
    null,
  );
});
