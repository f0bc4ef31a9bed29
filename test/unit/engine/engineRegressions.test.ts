// Engine bugs found by the differential test (differential.test.ts), each pinned by the smallest case.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern, matchesEvent, matchesEventNode, parseEventText } from '../../../server/src/engine/index';

/** The answer through both event paths (a parsed value and event text); they must agree. */
function matches(patternText: string, eventText: string): boolean {
  const compiled = compilePattern(patternText);
  assert.ok(compiled.ok, compiled.ok ? '' : compiled.error.message);
  const parsed = parseEventText(eventText);
  assert.ok(parsed.ok);
  const byValue = matchesEvent(compiled.pattern, JSON.parse(eventText));
  assert.equal(matchesEventNode(compiled.pattern, parsed.event), byValue, 'value and text paths disagree');
  return byValue;
}

void describe('engine regressions', () => {
  // The empty string is a legal key (SEMANTICS §2.2); the event flattener used '' to mean "the top", so a top-level
  // "" key lost its segment: {"": "x"} produced no field and {"": {"b": "x"}} produced "b" instead of ".b".
  void it('a top-level empty key is a path segment like any other', () => {
    assert.equal(matches('{"": ["x"]}', '{"": "x"}'), true);
    assert.equal(matches('{"": {"b": ["x"]}}', '{"": {"b": "x"}}'), true);
    assert.equal(matches('{"": {"b": ["x"]}}', '{".b": "x"}'), true);
    assert.equal(matches('{"b": ["x"]}', '{"": {"b": "x"}}'), false);
    assert.equal(matches('{"": {"b": ["x"]}}', '{"b": "x"}'), false);
    assert.equal(matches('{"": [{"exists": false}]}', '{"": "x"}'), false);
    assert.equal(matches('{"": [{"exists": true}]}', '{"": ["x"]}'), true);
  });
});
