// What a target receives, and the checks of Input, InputPath and InputTransformer that need no template.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  inputPathProblem,
  inputPathsMapKeyProblem,
  inputProblems,
  inputTemplateProblems,
  substituteInputTemplate,
  targetInputText,
} from '../../../server/src/eventbridge';

const event = {
  version: '0',
  id: 'e1',
  'detail-type': 'Thing Happened',
  source: 'my.app',
  account: '123456789012',
  time: '2025-01-01T00:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:one'],
  detail: { id: 'i-1', n: 5, tags: { a: 'b' } },
};
const context = { ruleName: 'r', ruleArn: 'arn:aws:events:eu-west-1:123456789012:rule/r' };

describe('substitution', () => {
  test('outside quotes a value goes in as JSON, inside quotes as bare text', () => {
    const text = targetInputText(
      {
        InputTransformer: {
          InputPathsMap: { id: '$.detail.id', n: '$.detail.n', tags: '$.detail.tags', r0: '$.resources[0]' },
          InputTemplate:
            '{"id": <id>, "n": <n>, "say": "<id> has <n> and <tags>", "r": "<r0>", "rule": "<aws.events.rule-name>"}',
        },
      },
      event,
      context,
    );
    assert.deepEqual(JSON.parse(text), { id: 'i-1', n: 5, say: 'i-1 has 5 and {a:b}', r: 'arn:one', rule: 'r' });
  });
  test('aws.events.event is the event without detail, aws.events.event.json the whole event', () => {
    const text = targetInputText(
      { InputTransformer: { InputTemplate: '{"e": <aws.events.event>, "all": <aws.events.event.json>}' } },
      event,
      context,
    );
    const parsed = JSON.parse(text) as { e: Record<string, unknown>; all: Record<string, unknown> };
    assert.equal(parsed.e.detail, undefined);
    assert.equal(parsed.e.source, 'my.app');
    assert.deepEqual(parsed.all, event);
  });
  test('a path not in the event makes null outside quotes and nothing inside', () => {
    assert.equal(
      substituteInputTemplate('{"a": <x>, "b": "<x>"}', new Map([['x', undefined]])),
      '{"a": null, "b": ""}',
    );
  });
  test('Input and InputPath', () => {
    assert.equal(targetInputText({ Input: '{"k": 1}' }, event, context), '{"k": 1}');
    assert.equal(targetInputText({ InputPath: '$.detail.tags' }, event, context), '{"a":"b"}');
  });
});

describe('checks', () => {
  test('Input must be JSON', () => {
    assert.deepEqual(inputProblems('{"a": 1}'), []);
    assert.equal(inputProblems('{"a": }')[0].kind, 'inputNotJson');
    assert.equal(inputProblems('hello')[0].kind, 'inputNotJson');
    assert.equal(inputProblems(`"${'x'.repeat(9000)}"`)[0].kind, 'inputTooLong');
  });
  test('paths EventBridge reads', () => {
    for (const ok of ['$', '$.detail', '$.detail.items[0].id', '$.detail.a-b_c', '$.detail.*', '$.detail.a/b'])
      assert.equal(inputPathProblem(ok), undefined, ok);
    assert.match(inputPathProblem('detail.id')!, /must start with \$/);
    assert.match(inputPathProblem("$['detail']")!, /dot notation/);
    assert.match(inputPathProblem('$..id')!, /deep scan/);
    assert.match(inputPathProblem('$.detail.')!, /empty name/);
  });
  test('InputPathsMap keys', () => {
    assert.equal(inputPathsMapKeyProblem('instance-id_2'), undefined);
    assert.match(inputPathsMapKeyProblem('aws.events.rule-name')!, /reserved/);
    assert.match(inputPathsMapKeyProblem('my key')!, /letters, digits/);
  });
  test('placeholders must be defined; predefined ones are', () => {
    const p = inputTemplateProblems('"<a> in <b> by <aws.events.rule-arn>"', new Set(['a']));
    assert.deepEqual(
      p.map((x) => [x.kind, x.offset, x.length]),
      [['placeholderUndefined', 8, 3]],
    );
    // Keys unknown (an intrinsic makes the map): nothing is called undefined.
    assert.deepEqual(inputTemplateProblems('"<a> in <b>"', undefined), []);
  });
  test('a JSON template must stay JSON once filled in; text templates are free', () => {
    const defined = new Set(['a', 'b']);
    assert.deepEqual(inputTemplateProblems('{"x": <a>, "y": "<b> and \\"<a>\\""}', defined), []);
    assert.deepEqual(inputTemplateProblems('<a> is in state <b>', defined), []);
    assert.deepEqual(inputTemplateProblems('"<a>" was deleted by <b>', defined), []);
    const bad = inputTemplateProblems('{"x": <a> "y": 1}', defined);
    assert.equal(bad.length, 1);
    assert.equal(bad[0].kind, 'templateNotJson');
    assert.equal(bad[0].offset, 10);
    assert.equal(inputTemplateProblems('{<a>: 1}', defined)[0].kind, 'placeholderAsKey');
    assert.equal(inputTemplateProblems('{"e": "<aws.events.event.json>"}', defined)[0].kind, 'unescapedInString');
  });
});
