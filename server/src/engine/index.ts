// The pattern engine's facade: parse, validate, compile, match and explain EventBridge event patterns.
// Pure TypeScript: the CLI, the language server and the local bus all call these functions.

import { parseJson } from './jsonParser';
import type { AstNode } from './jsonAst';
import { validatePattern } from './patternValidator';
import { ProblemCode, firstAwsProblem, awsMessage, type Problem } from './problems';
import type { CompiledPattern, Dialect, PartialPattern } from './patternModel';
import { matchesNode, matchesValue, wantedPaths } from './matcher';
import { explainFlat, type Explanation } from './explain';
import { flattenNode, flattenValue } from './eventModel';
import { snsMessageEvent, snsPolicyProblems } from './snsFilterPolicy';
import type { SnsFilterPolicyScope } from './patternModel';

export type { AstNode } from './jsonAst';
export type { Problem, Severity } from './problems';
export { ProblemCode, AWS_REASON_PREFIX, awsMessage, firstAwsProblem, problemDocUrl } from './problems';
export { SNS_REASON_PREFIX } from './problems';
export type {
  CompiledPattern,
  Dialect,
  Matcher,
  FieldCondition,
  SubRule,
  PartialPattern,
  PartialSubRule,
  PartialCondition,
  SnsFilterPolicyScope,
} from './patternModel';
export {
  SNS_MAX_COMBINATIONS,
  SNS_MAX_KEYS,
  SNS_MAX_POLICY_BYTES,
  SNS_SCOPES,
  isSnsScope,
  snsMessageEvent,
  snsScopeProblem,
  countCombinations,
  type SnsMessageEvent,
} from './snsFilterPolicy';
export type { Explanation, FieldExplanation } from './explain';
export {
  describePattern,
  describePartialPattern,
  describeMatcher,
  describeField,
  describePartialField,
} from './describe';
export { DIALECTS, isDialect } from './dialects';
export { parseJson } from './jsonParser';
export { MatchBudgetExceeded } from './matcher';
export { toPlainValue } from './jsonAst';
export { compileRuleTexts, type CompiledRuleTexts, type RuleText } from './compiled/compileRules';
export {
  generateEvents,
  patternImpossibility,
  differOnlyAt,
  eventJsonText,
  textMatches,
  nextUp,
  nextDown,
  NumberText,
  type EventJson,
  type GenerateOptions,
  type GenerateResult,
  type GeneratedEvent,
  type NearMiss,
  type Impossibility,
  type SampleLookup,
} from './generateEvents';

export interface AnalyzeOptions {
  readonly dialect?: Dialect;
  /** The pattern's length as sent to AWS, when it differs from the text analysed (object-form patterns). */
  readonly patternLength?: number;
  /** Keep AST references in the compiled pattern (default true; off for large rule sets: the AST is then not linked to parents either). */
  readonly retainNodes?: boolean;
  /**
   * The text to quote in messages instead of the text analysed, of the same length: the template's own text where
   * the analysed text holds stand-ins for `${...}` substitutions.
   */
  readonly displayText?: string;
  /** For dialect `sns`: what the filter policy applies to (default MessageAttributes, as in AWS). */
  readonly scope?: SnsFilterPolicyScope;
}

export interface PatternAnalysis {
  readonly ast: AstNode | undefined;
  /** Every problem, syntax and semantic, in document order. */
  readonly problems: readonly Problem[];
  /** The one problem EventBridge would report, if it rejects the pattern. */
  readonly awsError: Problem | undefined;
  /** The compiled pattern when it is valid and fully known. */
  readonly pattern: CompiledPattern | undefined;
  /**
   * What the pattern asks as far as it is known before deploy, when it is valid (also when `pattern` is there):
   * conditions holding values unknown until deploy are marked so. For analysis (lint rules, hovers), never for
   * matching.
   */
  readonly partialPattern: PartialPattern | undefined;
  readonly hasUnknownValues: boolean;
}

export function analyzePatternText(text: string, options: AnalyzeOptions = {}): PatternAnalysis {
  const parsed = parseJson(text, {
    linkParents: options.retainNodes !== false,
    ...(options.displayText !== undefined ? { displayText: options.displayText } : {}),
  });
  const syntax: Problem[] = parsed.errors.map((e) => ({
    code: ProblemCode.JsonSyntax,
    message: e.message,
    severity: 'error',
    offset: e.offset,
    length: e.length,
    detectAt: e.offset,
    fromAws: true,
    awsErrorCode: 'InvalidEventPatternException',
  }));
  const result = validatePattern(parsed.root, {
    ...(options.dialect ? { dialect: options.dialect } : {}),
    patternLength: options.patternLength ?? text.length,
    ...(options.retainNodes === false ? { retainNodes: false } : {}),
  });
  const problems = [...syntax, ...result.problems];
  if (parsed.trailingOffset !== undefined && syntax.length === 0) {
    problems.push({
      code: ProblemCode.TrailingContent,
      message: 'Text after the end of the pattern: EventBridge stops reading at the closing brace and ignores the rest',
      severity: 'warning',
      offset: parsed.trailingOffset,
      length: text.length - parsed.trailingOffset,
      detectAt: text.length,
      fromAws: false,
    });
  }
  const valid = syntax.length === 0;
  if (options.dialect === 'sns' && valid) {
    problems.push(
      ...snsPolicyProblems({
        root: parsed.root,
        scope: options.scope ?? 'MessageAttributes',
        partialPattern: result.partialPattern,
        patternLength: options.patternLength ?? text.length,
        ...(options.patternLength === undefined ? { text } : {}),
      }),
    );
  }
  return finish(
    parsed.root,
    asDialectProblems(problems, options.dialect),
    valid ? result.pattern : undefined,
    valid ? result.partialPattern : undefined,
    result.hasUnknownValues,
  );
}

/** Validates a pattern given as a node of a larger document (a CloudFormation `EventPattern` object, say). */
export function analyzePatternNode(node: AstNode | undefined, options: AnalyzeOptions = {}): PatternAnalysis {
  const result = validatePattern(node, options);
  const problems =
    options.dialect === 'sns'
      ? [
          ...result.problems,
          ...snsPolicyProblems({
            root: node,
            scope: options.scope ?? 'MessageAttributes',
            partialPattern: result.partialPattern,
            patternLength: options.patternLength,
          }),
        ]
      : result.problems;
  return finish(
    node,
    asDialectProblems(problems, options.dialect),
    result.pattern,
    result.partialPattern,
    result.hasUnknownValues,
  );
}

/**
 * SNS refuses a filter policy with the shared matcher's reasons, as `InvalidParameter` (`Invalid parameter:
 * FilterPolicy: <reason>`); an SNS-only problem is valid or not on its own terms, so the policy is compiled only
 * when none of them is an error.
 */
function asDialectProblems(problems: Problem[], dialect: Dialect | undefined): Problem[] {
  if (dialect !== 'sns') return problems;
  return problems.map((p) =>
    p.awsErrorCode !== undefined && p.awsErrorCode !== 'InvalidParameter'
      ? { ...p, awsErrorCode: 'InvalidParameter' }
      : p,
  );
}

function finish(
  ast: AstNode | undefined,
  problems: Problem[],
  compiled: CompiledPattern | undefined,
  partialPattern: PartialPattern | undefined,
  hasUnknownValues: boolean,
): PatternAnalysis {
  problems.sort((a, b) => a.offset - b.offset || a.detectAt - b.detectAt);
  let pattern = compiled;
  if (pattern?.dialect === 'sns' && problems.some((p) => p.severity === 'error')) pattern = undefined;
  return { ast, problems, awsError: firstAwsProblem(problems), pattern, partialPattern, hasUnknownValues };
}

export interface EngineError {
  readonly code: 'InvalidEventPatternException' | 'ValidationException' | 'InvalidParameter';
  readonly message: string;
}

export type CompileResult = { ok: true; pattern: CompiledPattern } | { ok: false; error: EngineError };

/** Compiles pattern text as EventBridge's PutRule would, or returns the error AWS would give. */
export function compilePattern(text: string, options: AnalyzeOptions = {}): CompileResult {
  const a = analyzePatternText(text, options);
  if (a.awsError) {
    return { ok: false, error: { code: a.awsError.awsErrorCode ?? 'InvalidEventPatternException', message: awsMessage(a.awsError) } };
  }
  const ours = a.problems.find((p) => p.severity === 'error');
  if (ours || !a.pattern) {
    if (options.dialect === 'sns') {
      return {
        ok: false,
        error: { code: 'InvalidParameter', message: `Invalid parameter: FilterPolicy: ${ours?.message ?? 'unknown'}` },
      };
    }
    return {
      ok: false,
      error: { code: 'InvalidEventPatternException', message: `Event pattern is not valid. Reason: ${ours?.message ?? 'unknown'}` },
    };
  }
  return { ok: true, pattern: a.pattern };
}

/** Matches an already-parsed event (a JSON.parse result or an object built in code). */
export function matchesEvent(pattern: CompiledPattern, event: unknown): boolean {
  return matchesValue(pattern, event);
}

export type EventParseResult = { ok: true; event: AstNode } | { ok: false; message: string };

/** Parses event text, keeping number spellings and duplicate keys, which matching can depend on. */
export function parseEventText(text: string): EventParseResult {
  const parsed = parseJson(text, { maxErrors: 1 });
  if (parsed.errors.length > 0) return { ok: false, message: parsed.errors[0].message };
  if (!parsed.root || parsed.root.type !== 'object') return { ok: false, message: 'Event must be a JSON object' };
  return { ok: true, event: parsed.root };
}

export function matchesEventNode(pattern: CompiledPattern, event: AstNode): boolean {
  return matchesNode(pattern, event);
}

/** Why an event does or does not match. `event` is a parsed event node or a plain value. */
export function explainEvent(pattern: CompiledPattern, event: AstNode | { value: unknown }): Explanation {
  const flat =
    'value' in event && !('type' in event)
      ? flattenValue(event.value, wantedPaths(pattern))
      : flattenNode(event, wantedPaths(pattern));
  return explainFlat(pattern, flat);
}

/** The keys AWS's TestEventPattern requires in the event. */
export const TEST_EVENT_REQUIRED_KEYS = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;

/** Checks an event as TestEventPattern does; undefined when acceptable. */
export function checkTestEventEnvelope(event: AstNode): EngineError | undefined {
  if (event.type !== 'object') return { code: 'ValidationException', message: 'Parameter Event is not valid.' };
  const keys = new Set(event.properties.map((p) => p.key.value));
  for (const k of TEST_EVENT_REQUIRED_KEYS) {
    if (!keys.has(k)) return { code: 'ValidationException', message: 'Parameter Event is not valid.' };
  }
  return undefined;
}

/** Runs an SNS message (see snsMessageEvent) through a filter policy compiled with dialect `sns`. */
export function matchesSnsMessage(
  pattern: CompiledPattern,
  message: unknown,
  scope: SnsFilterPolicyScope = 'MessageAttributes',
): boolean {
  const seen = snsMessageEvent(message, scope);
  return seen.ok && matchesNode(pattern, seen.event);
}

/** Why an SNS message does or does not match a filter policy; `error` when the message cannot be read as one. */
export function explainSnsMessage(
  pattern: CompiledPattern,
  message: unknown,
  scope: SnsFilterPolicyScope = 'MessageAttributes',
): Explanation & { readonly error?: string } {
  const seen = snsMessageEvent(message, scope);
  if (!seen.ok) {
    return {
      matched: false,
      ruleIndex: 0,
      ruleCount: pattern.rules.length,
      fields: [],
      reasons: [seen.reason],
      error: seen.reason,
    };
  }
  return explainEvent(pattern, seen.event);
}

// A pattern written from an event (checked to match it before it is returned), and merged into an existing one.
export {
  DEFAULT_EVENT_FIELDS,
  OPERATOR_DESCRIPTIONS,
  PATTERN_OPERATORS,
  conditionFor,
  eventFields,
  isPatternOperator,
  mergePatternInto,
  operatorsFor,
  patternFromEvent,
  type EventField,
  type EventLeaf,
  type EventScalar,
  type FieldChoice,
  type PatternFromEventOptions,
  type PatternOperator,
  type PatternResult,
} from './patternFromEvent';
