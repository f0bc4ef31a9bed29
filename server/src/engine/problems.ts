// Every problem the engine reports has a stable code from one banded table, EventBridge's own wording where
// EventBridge reports it, and the offset at which EventBridge's streaming parser would notice it (so the CLI can
// report exactly the one problem AWS reports, while the editor shows them all).

export enum ProblemCode {
  // 100-199: JSON syntax (the message is Jackson's, as AWS reports it)
  JsonSyntax = 'EB100',
  TrailingContent = 'EB101',
  // 200-299: pattern structure
  FilterNotObject = 'EB200',
  FieldNotObjectOrArray = 'EB201',
  EmptyObject = 'EB202',
  EmptyArray = 'EB203',
  InvalidMatchValue = 'EB204',
  MatchExpressionNameNotFound = 'EB205',
  OnlyOneKey = 'EB206',
  UnrecognizedMatchType = 'EB207',
  OrNotArray = 'EB210',
  OrElementNotObject = 'EB211',
  OrTooFewBranches = 'EB212',
  OrReservedField = 'EB213',
  // 300-399: operator values
  OperatorValueNotString = 'EB300',
  UnsupportedNestedOperator = 'EB301',
  NestedExpressionNameNotFound = 'EB302',
  NumericNotArray = 'EB310',
  NumericInvalidMember = 'EB311',
  NumericUnknownOperator = 'EB312',
  NumericValueNotNumber = 'EB313',
  NumericTooManyElements = 'EB314',
  NumericBadRangeValue = 'EB315',
  NumericBadRangeOperator = 'EB316',
  NumericTooManyTerms = 'EB317',
  NumericBottomNotBelowTop = 'EB318',
  NumberNotComparable = 'EB319',
  AnythingButInvalidValue = 'EB320',
  AnythingButUnsupported = 'EB321',
  AnythingButListType = 'EB322',
  AnythingButMixedList = 'EB323',
  AnythingButEmptyPrefix = 'EB324',
  AnythingButIgnoreCaseType = 'EB325',
  ExistsNotBoolean = 'EB330',
  CidrInvalid = 'EB340',
  WildcardInvalid = 'EB350',
  WildcardTooComplex = 'EB351',
  WildcardNearlyTooComplex = 'EB352',
  // 400-499: limits and dialects
  PatternTooLong = 'EB400',
  PatternOverDefaultQuota = 'EB401',
  TooManyOrCombinations = 'EB402',
  TooManyFields = 'EB403',
  PatternTooDeep = 'EB404',
  OperatorNotInDialect = 'EB410',
  OperatorUndocumentedInDialect = 'EB411',
  // 440-449: SNS subscription filter policies (dialect `sns`)
  SnsNestedAttributePolicy = 'EB440',
  SnsTooManyKeys = 'EB441',
  SnsTooComplex = 'EB442',
  SnsNumberOutOfRange = 'EB443',
  SnsPolicyTooLarge = 'EB444',
  SnsInvalidScope = 'EB445',
  // 500-599: lint (patterns AWS accepts that cannot match what the author meant)
  UnknownDetailType = 'EB500',
  UnknownAwsSource = 'EB501',
  MisspelledEnvelopeKey = 'EB502',
  NumberWrittenAsString = 'EB503',
  NumberOnStringField = 'EB504',
  StringMatchOnNumberField = 'EB505',
  PatternNearSizeLimit = 'EB506',
  OverriddenField = 'EB507',
  MisplacedPatternKey = 'EB508',
  // 510-519: events from a pattern
  ImpossiblePattern = 'EB510',
  // 520-529: what the user's own sample events show (learned schemas of custom sources)
  FieldNotInSamples = 'EB520',
}

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  readonly code: ProblemCode;
  /** The reason text. For problems AWS reports, word for word what follows "Event pattern is not valid. Reason: ". */
  readonly message: string;
  readonly severity: Severity;
  /** Where the problem is, in the pattern's text offsets. */
  readonly offset: number;
  readonly length: number;
  /**
   * The offset of the last character EventBridge's streaming parser had read when it raised this problem. The
   * problem AWS reports is the one with the smallest value (syntax errors first on ties).
   */
  readonly detectAt: number;
  /** True when EventBridge itself rejects the pattern for this (errors only); false for our own checks. */
  readonly fromAws: boolean;
  /** The AWS error code for AWS-reported problems. */
  readonly awsErrorCode?: 'InvalidEventPatternException' | 'ValidationException' | 'InvalidParameter';
}

export const AWS_REASON_PREFIX = 'Event pattern is not valid. Reason: ';

/** The problem EventBridge reports (it stops at the first one its parser meets), if any. */
export function firstAwsProblem(problems: readonly Problem[]): Problem | undefined {
  let best: Problem | undefined;
  for (const p of problems) {
    if (!p.fromAws || p.severity !== 'error') continue;
    if (
      !best ||
      p.detectAt < best.detectAt ||
      (p.detectAt === best.detectAt && p.code === ProblemCode.JsonSyntax && best.code !== ProblemCode.JsonSyntax)
    ) {
      best = p;
    }
  }
  return best;
}

/** What SNS puts before the reason when it refuses a filter policy (SetSubscriptionAttributes; Subscribe says
 * `Invalid parameter: Attributes Reason: FilterPolicy: `). */
export const SNS_REASON_PREFIX = 'Invalid parameter: FilterPolicy: ';

/** The full message AWS returns for a problem it reports. */
export function awsMessage(p: Problem): string {
  if (p.awsErrorCode === 'InvalidParameter') {
    // SNS words the scope's own refusal without the `FilterPolicy: ` part.
    return p.code === ProblemCode.SnsNestedAttributePolicy || p.code === ProblemCode.SnsInvalidScope
      ? `Invalid parameter: ${p.message}`
      : SNS_REASON_PREFIX + p.message;
  }
  return p.awsErrorCode === 'ValidationException' ? p.message : AWS_REASON_PREFIX + p.message;
}

/** Documentation anchor for a code (shown as the diagnostic's link). */
export function problemDocUrl(code: ProblemCode): string {
  return `https://github.com/eventbridge-patterns/eventbridge-patterns/blob/main/docs/problems.md#${code.toLowerCase()}`;
}
