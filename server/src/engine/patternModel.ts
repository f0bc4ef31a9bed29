// The compiled form of a valid pattern: typed match kinds per field path, with `$or` expanded into sub-rules
// exactly as EventBridge does (each sub-rule is an AND of fields; the pattern matches when any sub-rule does).

import type { AstNode } from './jsonAst';
import type { IpRange } from './ipAddress';
import type { WildcardPattern } from './wildcard';

export interface NumericBound {
  readonly value: number;
  readonly inclusive: boolean;
}

export type Matcher =
  | { readonly kind: 'exact-string'; readonly value: string }
  | { readonly kind: 'exact-number'; readonly text: string; readonly value: number | undefined }
  | { readonly kind: 'exact-literal'; readonly value: 'true' | 'false' | 'null' }
  /** An exact string that looks like an IP address: matches any spelling of that address. */
  | { readonly kind: 'ip'; readonly text: string; readonly range: IpRange }
  | { readonly kind: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly value: string; readonly pattern: WildcardPattern }
  | { readonly kind: 'numeric'; readonly lower?: NumericBound; readonly upper?: NumericBound }
  | { readonly kind: 'exists'; readonly exists: boolean }
  | { readonly kind: 'cidr'; readonly text: string; readonly range: IpRange }
  /** Matches any value (of any type) that is not one of these strings / numbers. */
  | { readonly kind: 'anything-but'; readonly strings: readonly string[]; readonly numbers: readonly number[] }
  | { readonly kind: 'anything-but-prefix'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-suffix'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-equals-ignore-case'; readonly values: readonly string[] }
  | {
      readonly kind: 'anything-but-wildcard';
      readonly values: readonly string[];
      readonly patterns: readonly WildcardPattern[];
    };

export type MatcherKind = Matcher['kind'];

export interface PlacedMatcher {
  readonly matcher: Matcher;
  /** The match value or expression in the pattern, for explanations and editor ranges. */
  readonly node: AstNode | undefined;
}

export interface FieldCondition {
  /** The dotted field path (`detail.state`); pattern keys and event keys are both joined with dots. */
  readonly path: string;
  readonly matchers: readonly PlacedMatcher[];
  /** The match array in the pattern. */
  readonly node: AstNode | undefined;
}

/** One `$or` combination: every field must match (sorted by path, the order EventBridge walks them). */
export type SubRule = readonly FieldCondition[];

export type Dialect = 'eventbus' | 'archive' | 'pipes' | 'lambda' | 'sns';

/**
 * What an SNS subscription filter policy (dialect `sns`) is matched against: the message's attributes (AWS's
 * default; the policy is flat) or its JSON body (nested like an event pattern).
 */
export type SnsFilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export interface CompiledPattern {
  readonly dialect: Dialect;
  readonly rules: readonly SubRule[];
  /** Every field path any sub-rule uses. */
  readonly paths: ReadonlySet<string>;
}

/**
 * A field's condition as far as it is known before deploy. A value unknown until deploy (an intrinsic function, a
 * `${...}` substitution) makes its condition unknown, and only that condition.
 */
export interface PartialCondition extends FieldCondition {
  /**
   * True when some match value of the field is unknown (then `matchers` holds only the known ones), or the whole
   * field is (`detail: !Ref X`; no matchers): what the condition matches is not known.
   */
  readonly unknown: boolean;
}

/** One `$or` combination of a partial pattern. */
export interface PartialSubRule {
  /** Sorted by path, as in SubRule. */
  readonly conditions: readonly PartialCondition[];
  /**
   * Where parts of unknown shape join this combination (a `$or` or one of its branches given by an intrinsic, a key
   * given by a substitution): the path of the object holding each (`''` for the pattern's top level, `detail` for
   * `detail: {$or: !Ref X}`). Such a part may add conditions on any field below that path, or replace those written
   * before it.
   */
  readonly unknownParts: readonly string[];
}

/**
 * What a pattern without errors asks, as far as it is known before deploy: for analysis (lint rules, hovers), never
 * for matching (a condition holding an unknown value lists only its known values). A distinct shape from
 * CompiledPattern, so that it cannot be handed to a matcher by mistake.
 */
export interface PartialPattern {
  readonly dialect: Dialect;
  readonly rules: readonly PartialSubRule[];
  /** False when some value is unknown until deploy (then there is no CompiledPattern). */
  readonly complete: boolean;
}
