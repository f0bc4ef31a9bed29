// How "Fire Scheduled Rule Now" shows the local bus's scheduled rules in its pick: expression and region, then when
// the rule fires next (or why it does not) and how many targets it has. Pure, so it is tested without an editor.
import type { ScheduledRuleSummary } from '../../../shared';

export interface ScheduledRulePickText {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
}

/** `2026-12-05 05:31:17 UTC` */
export function utcTimeText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `in 42 s`, `in 5 min`, `in 3 h`, `in 2 days` (rounded up, so a time to come never reads as now). */
export function timeUntilText(ms: number, nowMs: number): string {
  const seconds = Math.max(0, Math.ceil((ms - nowMs) / 1000));
  if (seconds < 60) return `in ${seconds} s`;
  if (seconds < 3600) return `in ${Math.ceil(seconds / 60)} min`;
  if (seconds < 86400) return `in ${Math.ceil(seconds / 3600)} h`;
  const days = Math.ceil(seconds / 86400);
  return `in ${days} day${days === 1 ? '' : 's'}`;
}

export function scheduledRulePickText(rule: ScheduledRuleSummary, nowMs: number): ScheduledRulePickText {
  const targets = rule.targets === 0 ? 'no targets' : `${rule.targets} target${rule.targets === 1 ? '' : 's'}`;
  let when: string;
  if (rule.problem !== undefined) when = `does not fire on its own: ${rule.problem}`;
  else if (!rule.state.startsWith('ENABLED')) when = `${rule.state.toLowerCase()}: does not fire on its own`;
  else if (rule.nextFireTime !== undefined)
    when = `next ${utcTimeText(rule.nextFireTime)} (${timeUntilText(rule.nextFireTime, nowMs)})`;
  else when = 'its schedule has no more times';
  return {
    label: rule.ruleName,
    description: `${rule.scheduleExpression} · ${rule.region}`,
    detail: `${when} · ${targets}`,
  };
}
