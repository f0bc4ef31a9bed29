// Small helpers for engine tests: match a pattern text against an event text, or get the error AWS would give.
import assert from 'node:assert/strict';
import { analyzePatternText, compilePattern, matchesEventNode, parseEventText, type Dialect } from '../../../server/src/engine';

export function matches(patternText: string, eventText: string, dialect?: Dialect): boolean {
  const compiled = compilePattern(patternText, dialect ? { dialect } : {});
  if (!compiled.ok) assert.fail(`pattern should compile: ${compiled.error.message}`);
  const ev = parseEventText(eventText);
  if (!ev.ok) assert.fail(`event should parse: ${ev.message}`);
  return matchesEventNode(compiled.pattern, ev.event);
}

/** The reason text AWS would report (after "Reason: "), or undefined when the pattern is valid. */
export function awsReason(patternText: string, dialect?: Dialect): string | undefined {
  const a = analyzePatternText(patternText, dialect ? { dialect } : {});
  return a.awsError?.message;
}

/** Every problem's message, in document order. */
export function allProblems(patternText: string, dialect?: Dialect): string[] {
  return analyzePatternText(patternText, dialect ? { dialect } : {}).problems.map((p) => p.message);
}
