// The only file of the local bus that touches the pattern engine, so the bus and the editor match events the same way.
import {
  TEST_EVENT_REQUIRED_KEYS,
  compilePattern,
  isSnsScope,
  matchesEvent,
  matchesSnsMessage,
  type CompiledPattern,
} from '../engine';
import { CompiledRuleSet } from '../engine/compiled/ruleSet';

export type CompiledEventPattern = CompiledPattern;

/** On failure, `code` and `message` are the AWS error PutRule / TestEventPattern return. */
export type PatternCompileResult =
  { ok: true; pattern: CompiledEventPattern } | { ok: false; code: string; message: string };

/** Compiles a pattern as PutRule does on an event bus. */
export function compileEventPattern(text: string): PatternCompileResult {
  const result = compilePattern(text, { dialect: 'eventbus' });
  return result.ok
    ? { ok: true, pattern: result.pattern }
    : { ok: false, code: result.error.code, message: result.error.message };
}

/** True when the event envelope (a parsed object) matches the compiled pattern. May throw when matching is too costly. */
export function eventMatches(pattern: CompiledEventPattern, event: unknown): boolean {
  return matchesEvent(pattern, event);
}

/** Names of the rules an event (a parsed object) matches. May throw when matching is too costly. */
export type RuleSetMatcher = (event: unknown) => readonly string[];

/**
 * A bus's rules compiled into one matcher: an event costs about the same against ten rules or ten thousand,
 * where asking each rule in turn grows with their number.
 */
export function compileRuleSet(rules: readonly { name: string; pattern: CompiledEventPattern }[]): RuleSetMatcher {
  const set = CompiledRuleSet.compile(rules);
  return (event) => set.matchValue(event);
}

/** The envelope keys TestEventPattern insists on. */
export const TEST_EVENT_KEYS: readonly string[] = TEST_EVENT_REQUIRED_KEYS;

/** Compiles an SNS subscription's filter policy as SetSubscriptionAttributes / Subscribe do. */
export function compileSnsFilterPolicy(
  text: string,
  scope: string,
): { ok: true; policy: CompiledPattern } | { ok: false; code: string; message: string } {
  if (!isSnsScope(scope))
    return {
      ok: false,
      code: 'InvalidParameter',
      message: `Invalid parameter: FilterPolicyScope: Invalid value [${scope}]. Please use either MessageBody or MessageAttributes`,
    };
  const result = compilePattern(text, { dialect: 'sns', scope });
  return result.ok
    ? { ok: true, policy: result.pattern }
    : { ok: false, code: result.error.code, message: result.error.message };
}

/**
 * Whether an SNS message passes a subscription's filter policy: `message` is `{ Message, MessageAttributes }` with
 * attributes as `{ Type, Value }`, as SNS shows them.
 */
export function snsMessagePasses(policy: CompiledPattern, message: unknown, scope: string): boolean {
  return isSnsScope(scope) && matchesSnsMessage(policy, message, scope);
}
