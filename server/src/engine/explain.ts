// Why an event does or does not match: for each field of the closest sub-rule (the `$or` branch that fails on the
// fewest fields), what the event holds and what the pattern wanted.

import type { CompiledPattern, FieldCondition, SubRule } from './patternModel';
import { formatEventValue, type FlatEvent } from './eventModel';
import { allowsAbsence, leafSatisfies, matchSubRule } from './matcher';
import { describeField } from './describe';
import type { AstNode } from './jsonAst';

export type FieldVerdict = 'matched' | 'missing' | 'value-mismatch' | 'present-but-must-not-exist' | 'array-inconsistent';

export interface FieldExplanation {
  readonly path: string;
  readonly verdict: FieldVerdict;
  /** A sentence for people: `detail.state is "running"; the pattern wants one of "stopped", "terminated"`. */
  readonly message: string;
  /** The field's match array in the pattern (for editor ranges). */
  readonly patternNode: AstNode | undefined;
}

export interface Explanation {
  readonly matched: boolean;
  /** Index of the sub-rule (`$or` combination) explained. */
  readonly ruleIndex: number;
  readonly ruleCount: number;
  readonly fields: readonly FieldExplanation[];
  /** One line per failing field (empty when matched). */
  readonly reasons: readonly string[];
}

function explainField(field: FieldCondition, event: FlatEvent): FieldExplanation {
  const leaves = event.leaves.get(field.path) ?? [];
  const wanted = describeField(field);
  const base = { path: field.path, patternNode: field.node };
  if (allowsAbsence(field) && leaves.length > 0 && !leaves.some((l) => leafSatisfies(field, l))) {
    const shown = leaves.slice(0, 5).map((l) => formatEventValue(l.value)).join(', ');
    return { ...base, verdict: 'present-but-must-not-exist', message: `${field.path} is ${shown}; the pattern wants: ${wanted}` };
  }
  if (leaves.length === 0) {
    if (allowsAbsence(field)) return { ...base, verdict: 'matched', message: `${field.path} is absent, as wanted` };
    return { ...base, verdict: 'missing', message: `${field.path} is missing from the event; the pattern wants: ${wanted}` };
  }
  if (leaves.some((l) => leafSatisfies(field, l))) return { ...base, verdict: 'matched', message: `${field.path} matches` };
  const shown = leaves.slice(0, 5).map((l) => formatEventValue(l.value));
  const more = leaves.length > 5 ? ` and ${leaves.length - 5} more` : '';
  return {
    ...base,
    verdict: 'value-mismatch',
    message: `${field.path} is ${shown.join(', ')}${more}; the pattern wants: ${wanted}`,
  };
}

function explainRule(rule: SubRule, event: FlatEvent): FieldExplanation[] {
  const fields = rule.map((f) => explainField(f, event));
  if (fields.every((f) => f.verdict === 'matched') && !matchSubRule(rule, event)) {
    const paths = rule.map((f) => f.path).join(', ');
    return [
      {
        path: paths,
        verdict: 'array-inconsistent',
        message: `each of ${paths} matches, but not all within the same element of an array in the event`,
        patternNode: rule[0]?.node,
      },
    ];
  }
  return fields;
}

export function explainFlat(pattern: CompiledPattern, event: FlatEvent): Explanation {
  let best: { index: number; fields: FieldExplanation[]; failures: number } | undefined;
  for (let i = 0; i < pattern.rules.length; i++) {
    const rule = pattern.rules[i];
    if (matchSubRule(rule, event)) {
      return { matched: true, ruleIndex: i, ruleCount: pattern.rules.length, fields: explainRule(rule, event), reasons: [] };
    }
    const fields = explainRule(rule, event);
    const failures = fields.filter((f) => f.verdict !== 'matched').length;
    if (!best || failures < best.failures) best = { index: i, fields, failures };
  }
  const chosen = best ?? { index: 0, fields: [], failures: 0 };
  return {
    matched: false,
    ruleIndex: chosen.index,
    ruleCount: pattern.rules.length,
    fields: chosen.fields,
    reasons: chosen.fields.filter((f) => f.verdict !== 'matched').map((f) => f.message),
  };
}
