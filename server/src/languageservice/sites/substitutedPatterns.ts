// A pattern written as the JSON text of an `Fn::Sub` template: each `${...}` is unknown until deploy. The text is
// read with a same-length stand-in for each substitution, so every offset holds; whatever a substitution touches (a
// value, a key) becomes unknown to the validator, and every message quotes the template's own text, never a stand-in.

import {
  analyzePatternNode,
  analyzePatternText,
  AWS_REASON_PREFIX,
  awsMessage,
  firstAwsProblem,
  ProblemCode,
  type Dialect,
  type SnsFilterPolicyScope,
  type EngineError,
  type PatternAnalysis,
} from '../../engine';
import type { AstNode, PropertyNode, StringNode } from '../../engine/jsonAst';
import { findSubstitutions, type TextSpan } from './patternSites';

const PLACEHOLDER_NUMBER = '0';

/** Analyses `text`, an `Fn::Sub` template whose `${...}` are at `substitutions` (offsets in `text`). */
export function analyzeSubstitutedText(
  text: string,
  substitutions: readonly TextSpan[],
  dialect: Dialect,
  scope?: SnsFilterPolicyScope,
): PatternAnalysis {
  if (substitutions.length === 0) return analyzePatternText(text, { dialect, ...(scope ? { scope } : {}) });
  const blanked = blankSubstitutions(text, substitutions);
  const read = analyzePatternText(blanked, { dialect, displayText: text, ...(scope ? { scope } : {}) });
  if (!read.ast) return read;
  markSubstituted(read.ast, substitutions, text);
  // The deployed length is not known: judged by the least it can be (every `${...}` empty), so that no limit is
  // reported that the values might not reach.
  const validated = analyzePatternNode(read.ast, {
    dialect,
    patternLength: shortestLength(text, substitutions),
    ...(scope ? { scope } : {}),
  });
  // Syntax problems (and text after the pattern) come from reading the text; the rest from the marked AST.
  const fromText = read.problems.filter(
    (p) => p.code === ProblemCode.JsonSyntax || p.code === ProblemCode.TrailingContent,
  );
  const syntaxError = fromText.some((p) => p.code === ProblemCode.JsonSyntax);
  const problems = [...fromText, ...validated.problems].sort((a, b) => a.offset - b.offset || a.detectAt - b.detectAt);
  return {
    ...validated,
    ast: read.ast,
    problems,
    awsError: firstAwsProblem(problems),
    pattern: syntaxError ? undefined : validated.pattern,
    partialPattern: syntaxError ? undefined : validated.partialPattern,
  };
}

/**
 * The error of an event bus rule written as an `Fn::Sub` template (`resolvedError` is its text's error once each
 * `${...}` is given a value, as the local bus does), quoting the template's own text rather than those values: what
 * the template gets wrong whatever they are; otherwise `resolvedError`, said to come from the resolved text.
 */
export function subTemplateError(template: string, resolvedError: EngineError): EngineError {
  const analysis = analyzeSubstitutedText(template, findSubstitutions(template), 'eventbus');
  // The template's length is not the deployed pattern's.
  const problems = analysis.problems.filter((p) => p.code !== ProblemCode.PatternTooLong);
  const aws = firstAwsProblem(problems);
  if (aws) return { code: aws.awsErrorCode ?? 'InvalidEventPatternException', message: awsMessage(aws) };
  const ours = problems.find((p) => p.severity === 'error');
  if (ours) return { code: 'InvalidEventPatternException', message: AWS_REASON_PREFIX + ours.message };
  return {
    ...resolvedError,
    message: `${resolvedError.message} (with each \${...} of Fn::Sub resolved as the local bus does)`,
  };
}

/** The length of `text` with every substitution empty: the least its deployed length can be. */
export function shortestLength(text: string, substitutions: readonly TextSpan[]): number {
  return substitutions.reduce((n, s) => n - s.length, text.length);
}

/** Replaces each `${...}` by a same-length stand-in: inside a JSON string by `x`s, elsewhere by a number. */
function blankSubstitutions(text: string, subs: readonly TextSpan[]): string {
  let out = '';
  let at = 0;
  for (const s of subs) {
    out += text.slice(at, s.offset);
    const inString = isInsideJsonString(text, s.offset);
    out += inString ? 'x'.repeat(s.length) : PLACEHOLDER_NUMBER + ' '.repeat(Math.max(0, s.length - 1));
    at = s.offset + s.length;
  }
  return out + text.slice(at);
}

function isInsideJsonString(text: string, offset: number): boolean {
  let inside = false;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c && inside) i++;
    else if (c === 0x22) inside = !inside;
  }
  return inside;
}

/**
 * Turns every scalar that overlaps a substitution into an unknown value, and marks every key that does (its value
 * becomes the template's text), in place.
 */
function markSubstituted(root: AstNode, subs: readonly TextSpan[], template: string): void {
  const touching = (n: TextSpan): string[] =>
    subs
      .filter((s) => s.offset < n.offset + n.length && n.offset < s.offset + s.length)
      .map((s) => template.slice(s.offset, s.offset + s.length));
  const why = (names: readonly string[]): string => `Fn::Sub substitutes ${names.join(', ')}`;
  const toUnknown = (n: AstNode, names: readonly string[]): AstNode => ({
    type: 'unknown',
    offset: n.offset,
    length: n.length,
    description: why(names),
    ...(n.parent ? { parent: n.parent } : {}),
  });
  const markKey = (p: PropertyNode): void => {
    const names = touching(p.key);
    if (names.length === 0) return;
    p.keyUnknown = why(names);
    // The key as the template writes it (between its quotes), so that a message or a hover quoting it shows `${...}`.
    const shown = template.slice(p.key.offset + 1, Math.max(p.key.offset + 1, p.key.offset + p.key.length - 1));
    const key: StringNode = { ...p.key, value: shown };
    (p as { key: StringNode }).key = key;
  };
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'object') {
      for (const p of n.properties) {
        markKey(p);
        if (!p.value) continue;
        const names = p.value.type !== 'object' && p.value.type !== 'array' ? touching(p.value) : [];
        if (names.length > 0) p.value = toUnknown(p.value, names);
        else stack.push(p.value);
      }
    } else if (n.type === 'array') {
      n.items.forEach((item, i) => {
        const names = item.type !== 'object' && item.type !== 'array' ? touching(item) : [];
        if (names.length > 0) n.items[i] = toUnknown(item, names);
        else stack.push(item);
      });
    }
  }
}
