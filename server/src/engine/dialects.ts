// Where a pattern is used decides its size limit and which operators it may use.
// Event bus rules and archives take the whole language; EventBridge Pipes and Lambda event source mappings filter
// with a documented subset ("Comparison operators" table of the EventBridge user guide, Lambda "Filter rule syntax").
// An operator missing from those tables is `unsupported` only when AWS is known to reject or ignore it; one that is
// merely not listed is `undocumented` (`cidr`: neither table lists it, yet public SQS and Amazon MQ (RabbitMQ)
// event source mapping samples filter with it).

import type { Dialect } from './patternModel';

/** supported (default), unsupported (AWS rejects or ignores it: an error), undocumented (a warning). */
export type OperatorSupport = 'supported' | 'unsupported' | 'undocumented';

export interface DialectRules {
  readonly label: string;
  /** Hard limit on the pattern's length in characters. */
  readonly maxLength: number;
  /** The member name AWS uses in its length-constraint message. */
  readonly lengthMember: string;
  /** A lower default quota, when there is one. */
  readonly defaultQuota?: number;
  /** Operators whose support differs from `supported`; keys are operator names or `anything-but/<op>`. */
  readonly operators: Readonly<Record<string, OperatorSupport | undefined>>;
}

export const DIALECTS: Readonly<Record<Dialect, DialectRules>> = {
  eventbus: { label: 'event bus', maxLength: 4096, lengthMember: 'eventPattern', defaultQuota: 2048, operators: {} },
  archive: { label: 'archive', maxLength: 4096, lengthMember: 'eventPattern', defaultQuota: 2048, operators: {} },
  pipes: {
    label: 'EventBridge Pipes',
    maxLength: 4096,
    lengthMember: 'filterCriteria.filters.member.pattern',
    operators: {
      wildcard: 'unsupported',
      'anything-but/prefix': 'unsupported',
      'anything-but/suffix': 'unsupported',
      'anything-but/equals-ignore-case': 'unsupported',
      'anything-but/wildcard': 'unsupported',
      cidr: 'undocumented',
    },
  },
  lambda: {
    label: 'Lambda event source mapping',
    maxLength: 4096,
    lengthMember: 'filterCriteria.filters.member.pattern',
    operators: {
      wildcard: 'unsupported',
      cidr: 'undocumented',
      'anything-but/prefix': 'unsupported',
      'anything-but/suffix': 'unsupported',
      'anything-but/equals-ignore-case': 'unsupported',
      'anything-but/wildcard': 'unsupported',
    },
  },
  // SNS subscription filter policies (Amazon SNS developer guide, "Amazon SNS subscription filter policies" and the
  // pages it lists): exact values, prefix, suffix, equals-ignore-case, anything-but (values, and with prefix),
  // numeric, exists, cidr and $or. No page lists wildcard; AWS rejects anything-but with suffix (LocalStack's tests
  // recorded against AWS, case "anything-but-suffix"); anything-but with equals-ignore-case is not documented. The
  // size limit is 256 KB (checked in snsFilterPolicy.ts, with the other SNS limits, in SNS's words).
  sns: {
    label: 'SNS subscription',
    maxLength: 256 * 1024,
    lengthMember: 'FilterPolicy',
    operators: {
      wildcard: 'unsupported',
      'anything-but/suffix': 'unsupported',
      'anything-but/wildcard': 'unsupported',
      'anything-but/equals-ignore-case': 'undocumented',
    },
  },
};

export function isDialect(s: string): s is Dialect {
  return s === 'eventbus' || s === 'archive' || s === 'pipes' || s === 'lambda' || s === 'sns';
}
