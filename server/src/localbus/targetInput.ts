// What a target receives: the whole event, or what its Input / InputPath / InputTransformer makes of it. The rules of
// substitution are EventBridge's facts, shared with the editor's checks (../eventbridge/targetInput.ts).
import { selectPath, targetInputText as inputTextFor } from '../eventbridge';
import type { EventEnvelope, Rule, Target } from './eventBridgeService';

export { selectPath };

/** The text handed to `target` for `event` matched by `rule`. */
export function targetInputText(target: Target, rule: Rule, event: EventEnvelope): string {
  return inputTextFor(target, event as unknown as Record<string, unknown>, { ruleName: rule.name, ruleArn: rule.arn });
}
