// Plain-words descriptions of match conditions, shared by explanations, hovers and the CLI.

import type {
  Matcher,
  NumericBound,
  FieldCondition,
  SubRule,
  CompiledPattern,
  PartialCondition,
  PartialPattern,
  PartialSubRule,
} from './patternModel';

const q = (s: string): string => JSON.stringify(s);
const list = (xs: readonly string[]): string => (xs.length === 1 ? xs[0] : `one of ${xs.join(', ')}`);

function bound(b: NumericBound, dir: 'lower' | 'upper'): string {
  return `${dir === 'lower' ? (b.inclusive ? '>=' : '>') : b.inclusive ? '<=' : '<'} ${b.value}`;
}

export function describeMatcher(m: Matcher): string {
  switch (m.kind) {
    case 'exact-string':
      return q(m.value);
    case 'exact-number':
      return m.text;
    case 'exact-literal':
      return m.value;
    case 'ip':
      return `${q(m.text)} (any spelling of this IP address)`;
    case 'prefix':
      return `starts with ${q(m.value)}${m.ignoreCase ? ' (ignoring case)' : ''}`;
    case 'suffix':
      return `ends with ${q(m.value)}${m.ignoreCase ? ' (ignoring case)' : ''}`;
    case 'equals-ignore-case':
      return `equals ${q(m.value)} ignoring case`;
    case 'wildcard':
      return `matches wildcard ${q(m.value)}`;
    case 'numeric':
      if (m.lower && m.upper && m.lower.value === m.upper.value && m.lower.inclusive && m.upper.inclusive)
        return `= ${m.lower.value}`;
      return [m.lower && bound(m.lower, 'lower'), m.upper && bound(m.upper, 'upper')].filter(Boolean).join(' and ');
    case 'exists':
      return m.exists ? 'exists' : 'does not exist';
    case 'cidr':
      return `is an IP address in ${m.text}`;
    case 'anything-but':
      return `anything but ${list([...m.strings.map(q), ...m.numbers.map(String)])}`;
    case 'anything-but-prefix':
      return `anything not starting with ${list(m.values.map(q))}`;
    case 'anything-but-suffix':
      return `anything not ending with ${list(m.values.map(q))}`;
    case 'anything-but-equals-ignore-case':
      return `anything but ${list(m.values.map(q))} (ignoring case)`;
    case 'anything-but-wildcard':
      return `anything not matching wildcard ${list(m.values.map(q))}`;
  }
}

export function describeField(f: FieldCondition): string {
  const parts = f.matchers.map((m) => describeMatcher(m.matcher));
  const plainValues = f.matchers.every((m) => ['exact-string', 'exact-number', 'exact-literal', 'ip'].includes(m.matcher.kind));
  if (plainValues) return `${f.path} is ${parts.length === 1 ? parts[0] : `one of ${parts.join(', ')}`}`;
  const verbs = parts.map((p) => (/^(starts|ends|equals|matches|exists|does|is|anything)/.test(p) ? p : /^[<>=]/.test(p) ? p : `is ${p}`));
  return `${f.path} ${verbs.join(' or ')}`;
}

export function describeSubRule(rule: SubRule): string {
  return rule.map(describeField).join(' and ');
}

/** The whole pattern in plain words: "matches when source is "aws.s3" and detail.size > 0". */
export function describePattern(p: CompiledPattern): string {
  if (p.rules.length === 1) return `matches when ${describeSubRule(p.rules[0])}`;
  return `matches when any of:\n${p.rules.map((r) => `- ${describeSubRule(r)}`).join('\n')}`;
}

const AT_DEPLOY = 'a value known only at deploy';

/** A condition of a partial pattern: its known values, and what is known only at deploy. */
export function describePartialField(f: PartialCondition): string {
  if (!f.unknown) return describeField(f);
  if (f.matchers.length === 0) return `${f.path} is ${AT_DEPLOY}`;
  return `${describeField(f)} or ${AT_DEPLOY}`;
}

function describePartialSubRule(rule: PartialSubRule): string {
  const parts = rule.conditions.map(describePartialField);
  for (const at of rule.unknownParts)
    parts.push(at === '' ? 'conditions known only at deploy' : `conditions on ${at} known only at deploy`);
  return parts.join(' and ');
}

/** A partial pattern in plain words (the same words as describePattern when it is complete). */
export function describePartialPattern(p: PartialPattern): string {
  if (p.rules.length === 1) return `matches when ${describePartialSubRule(p.rules[0])}`;
  return `matches when any of:\n${p.rules.map((r) => `- ${describePartialSubRule(r)}`).join('\n')}`;
}
