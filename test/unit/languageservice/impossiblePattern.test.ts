// EB510 (a pattern no event can match) through the facade, and the generateEvents answer for the pattern under the
// cursor: matching events and near misses, checked with the engine, or why there are none.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generateEventsAt, getLanguageService } from '../../../server/src/languageservice/languageService';
import { compilePattern, matchesEventNode, parseEventText } from '../../../server/src/engine';

const ls = getLanguageService();
const EMPTY = '{"numeric": [">", 5, "<", 5.000000000000001]}';

function doc(uri: string, text: string): TextDocument {
  return TextDocument.create(uri, uri.endsWith('.json') ? 'json' : 'yaml', 1, text);
}

function eb510(uri: string, text: string): { text: string; message: string; severity: number | undefined }[] {
  const d = doc(uri, text);
  return ls
    .doValidation(d)
    .filter((x) => x.code === 'EB510')
    .map((x) => ({
      text: d.getText(x.range),
      message: typeof x.message === 'string' ? x.message : x.message.value,
      severity: x.severity,
    }));
}

const FILE = 'file:///w/rule.eventpattern.json';

describe('a pattern no event can match (EB510)', () => {
  test('a warning on the condition, saying why', () => {
    const found = eb510(FILE, `{"source": ["shop"], "detail": {"n": [${EMPTY}]}}`);
    assert.deepEqual(found, [
      {
        text: `[${EMPTY}]`,
        message:
          'No event can match this pattern: detail.n: no number is > 5 and < 5.000000000000001 (5 and 5.000000000000001 are neighbouring doubles)',
        severity: 2,
      },
    ]);
  });

  test('`exists: false` on an envelope field, in a template on a bus; not in a Pipes filter', () => {
    const template = [
      'Resources:',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern:',
      '        source: [{exists: false}]',
      '  Pipe:',
      '    Type: AWS::Pipes::Pipe',
      '    Properties:',
      '      Source: arn:aws:sqs:us-east-1:123456789012:q',
      '      Target: arn:aws:sqs:us-east-1:123456789012:t',
      '      SourceParameters:',
      '        FilterCriteria:',
      '          Filters:',
      '            - Pattern: \'{"source": [{"exists": false}]}\'',
      '',
    ].join('\n');
    const found = eb510('file:///w/template.yaml', template);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].text, '[{exists: false}]');
    assert.match(found[0].message, /every event on an event bus has a source/);
  });

  test('no false alarm: OR lists, $or branches, overridden keys, arrays, dotted paths', () => {
    for (const pattern of [
      `{"a": [${EMPTY}, "x"]}`,
      `{"a": [${EMPTY}, {"exists": false}]}`,
      `{"$or": [{"a": [${EMPTY}]}, {"b": ["y"]}]}`,
      `{"a": [${EMPTY}], "$or": [{"a": ["x"]}, {"b": ["y"]}]}`,
      `{"a": [${EMPTY}], "a": ["x"]}`,
      '{"a": [{"exists": false}], "a.b": [{"exists": true}]}',
      '{"d": {"x": ["1"], "y": ["2"]}, "d.x": ["1"]}',
      '{"resources": [{"exists": false}], "detail": [{"exists": false}]}',
      '{"n": [{"numeric": [">=", 5, "<", 5.000000000000001]}]}',
    ])
      assert.deepEqual(eb510(FILE, pattern), [], pattern);
  });

  test('every $or combination impossible: reported', () => {
    const found = eb510(FILE, `{"$or": [{"a": [${EMPTY}]}, {"b": [{"numeric": ["<", -1.7976931348623157e308]}]}]}`);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /none of its 2 \$or combinations can/);
  });

  test('a condition unknown until deploy is not judged, nor one a part unknown until deploy may replace', () => {
    const template = (pattern: string) =>
      [
        'Resources:',
        '  Rule:',
        '    Type: AWS::Events::Rule',
        '    Properties:',
        '      EventPattern:',
        pattern,
        '',
      ].join('\n');
    // The impossible condition is known and stays: reported, whatever the unknown one says.
    assert.equal(eb510('file:///w/t.yaml', template(`        a: [${EMPTY}]\n        b: [!Ref B]`)).length, 1);
    // `$or` given by a parameter may replace `a`.
    assert.deepEqual(eb510('file:///w/t.yaml', template(`        a: [${EMPTY}]\n        $or: !Ref Branches`)), []);
    // An unknown value in the list may be one that matches.
    assert.deepEqual(eb510('file:///w/t.yaml', template(`        a: [${EMPTY}, !Ref X]`)), []);
  });
});

describe('generateEvents: events for the pattern under the cursor', () => {
  const text = '{"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}], "state": ["paid", "sent"]}}';

  test('matching events and near misses, each as the engine answers', () => {
    const d = doc(FILE, text);
    const answer = generateEventsAt(
      ls,
      d,
      { line: 0, character: 5 },
      { count: 2, nearMisses: true, region: 'eu-west-1' },
    );
    assert.ok(answer.ok, JSON.stringify(answer));
    const compiled = compilePattern(text);
    assert.ok(compiled.ok);
    const matching = answer.events.filter((e) => e.matches);
    assert.equal(matching.length, 2);
    assert.ok(answer.events.some((e) => !e.matches && e.fails === 'detail.total'));
    assert.ok(answer.events.some((e) => !e.matches && e.fails === 'source'));
    for (const e of answer.events) {
      const parsed = parseEventText(e.text);
      assert.ok(parsed.ok);
      assert.equal(matchesEventNode(compiled.pattern, parsed.event), e.matches, e.text);
      assert.equal(e.event['region'], 'eu-west-1');
      if (!e.matches) {
        assert.ok(e.why && e.why.length > 0);
        // Named after the event it misses, even when it misses on the source.
        assert.deepEqual(e.madeFrom, { source: 'shop', detailType: 'Sample Event' });
      }
    }
    assert.deepEqual(
      matching.map((e) => (e.event['detail'] as { state: string }).state),
      ['paid', 'sent'],
    );
  });

  test('an impossible pattern: why, and no events', () => {
    const answer = generateEventsAt(
      ls,
      doc(FILE, `{"a": [${EMPTY}]}`),
      { line: 0, character: 2 },
      { nearMisses: true },
    );
    assert.equal(answer.ok, false);
    assert.match(answer.ok ? '' : answer.reason, /^No event can match this pattern: a: no number is/);
  });

  test('no pattern at the cursor, or an invalid one: why', () => {
    const none = generateEventsAt(ls, doc('file:///w/t.yaml', 'Resources: {}\n'), { line: 0, character: 1 });
    assert.equal(none.ok, false);
    const invalid = generateEventsAt(ls, doc(FILE, '{"a": "x"}'), { line: 0, character: 2 });
    assert.equal(invalid.ok, false);
    assert.match(invalid.ok ? '' : invalid.reason, /must be an object or an array/);
  });
});
