// Validates a pattern AST with EventBridge's rules and wording, and compiles it when valid.
//
// The walk follows the order in which EventBridge's compiler (event-ruler's JsonRuleCompiler, on a streaming
// parser) meets each token, and records for every problem the offset at which that compiler would raise it
// (`detectAt`). So one pass serves the editor (every problem) and the CLI (the first one AWS would report).
// Values that are unknown until deploy (CloudFormation intrinsics, `${...}` substitutions) are accepted as whatever
// would be valid there, and make unknown only the condition that holds them: every check that does not depend on
// such a value (operator names, the shape around it, the other fields) still runs, and the partial pattern tells the
// lint rules which conditions are known.

import type { ArrayNode, AstNode, ObjectNode, PropertyNode, StringNode } from './jsonAst';
import { comparableNumber } from './numbers';
import { ipToRangeIfPossible, parseCidr } from './ipAddress';
import { compileWildcard, wildcardComplexity, type WildcardPattern } from './wildcard';
import { ProblemCode, type Problem, type Severity } from './problems';
import type {
  CompiledPattern,
  Dialect,
  Matcher,
  PartialCondition,
  PartialPattern,
  PartialSubRule,
  PlacedMatcher,
  SubRule,
} from './patternModel';
import { DIALECTS, type DialectRules } from './dialects';

/** Field names that may not appear inside a `$or` branch. */
export const RESERVED_IN_OR: ReadonlySet<string> = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

/** The match-expression operators EventBridge knows. */
export const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
] as const;

/** Above this measure a field's wildcards are rejected ("Rule is too complex"); see wildcardComplexity. */
export const WILDCARD_COMPLEXITY_LIMIT = 11;
/** From this measure on we warn that AWS may reject (its exact threshold is not known). */
export const WILDCARD_COMPLEXITY_WARNING = 9;
/** AWS documents at most 1000 `$or` combinations per pattern. */
export const MAX_OR_COMBINATIONS = 1000;
/**
 * Deeper objects are not examined (the walk is recursive). No pattern within AWS's 4096-character limit comes
 * close: each level costs at least 5 characters.
 */
export const MAX_PATTERN_DEPTH = 1000;
/** event-ruler refuses sub-rules with more than 256 fields. */
export const MAX_FIELDS_PER_RULE = 256;

export interface ValidateOptions {
  readonly dialect?: Dialect;
  /** Length of the pattern as sent to AWS (JSON text), for the size limits. */
  readonly patternLength?: number;
  /**
   * Keep references from the compiled pattern to its AST (for explanations and editor ranges). Default true;
   * rule sets turn it off so thousands of ASTs can be collected young.
   */
  readonly retainNodes?: boolean;
}

export interface ValidationResult {
  readonly problems: Problem[];
  /** The compiled pattern, when there is no error and no value unknown until deploy. */
  readonly pattern: CompiledPattern | undefined;
  /**
   * What the pattern asks as far as it is known, when there is no error (also when `pattern` is there): for
   * analysis only, never for matching.
   */
  readonly partialPattern: PartialPattern | undefined;
  /** True when some value is unknown until deploy (the pattern can be checked but not run). */
  readonly hasUnknownValues: boolean;
}

/** One `$or` combination while the walk builds it: its conditions by path, and where unknown parts join it. */
class RuleMap {
  constructor(
    readonly fields = new Map<string, PartialCondition>(),
    readonly unknownParts: string[] = [],
  ) {}

  copy(): RuleMap {
    return new RuleMap(new Map(this.fields), [...this.unknownParts]);
  }
}

/** Notes a part of unknown shape in the object at `path` in every combination (there is at least one then). */
function joinUnknownPart(rules: RuleMap[], path: readonly string[]): void {
  if (rules.length === 0) rules.push(new RuleMap());
  const at = path.join('.');
  for (const r of rules) if (!r.unknownParts.includes(at)) r.unknownParts.push(at);
}

/** A match expression whose operand is unknown until deploy: valid as far as it can be checked. */
const UNKNOWN = Symbol('unknown until deploy');
type Unknown = typeof UNKNOWN;

/** Where the streaming parser stands once it has read a node's first token. */
function lexEnd(node: AstNode | undefined, fallback: number): number {
  if (!node) return fallback;
  switch (node.type) {
    case 'number':
    case 'boolean':
    case 'null':
      return node.offset + Math.max(node.length, 1) - 1;
    default:
      return node.offset;
  }
}

/** Where the parser stands once it has read a whole string (text-dependent checks happen there). */
function stringEnd(node: StringNode): number {
  return node.offset + Math.max(node.length, 1) - 1;
}

function closeOf(node: ObjectNode | ArrayNode): number {
  return node.offset + Math.max(node.length, 1) - 1;
}

/** The text Jackson's getText() gives for a token, as echoed in some messages. */
function tokenText(node: AstNode | undefined): string {
  if (!node) return ']';
  switch (node.type) {
    case 'string':
      return node.value;
    case 'number':
      return node.text;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    case 'object':
      return '{';
    case 'array':
      return '[';
    case 'unknown':
      return node.description;
  }
}

export function validatePattern(root: AstNode | undefined, options: ValidateOptions = {}): ValidationResult {
  return new PatternValidator(options).run(root);
}

class PatternValidator {
  private readonly problems: Problem[] = [];
  private hasUnknown = false;
  private readonly dialect: Dialect;
  private readonly rules: DialectRules;
  /** Wildcard patterns per field path, for the complexity check. */
  private readonly wildcards = new Map<string, { patterns: WildcardPattern[]; nodes: AstNode[] }>();
  private endOfText = 0;
  private readonly retain: boolean;
  private tooDeepReported = false;
  /** Set when the $or expansion was cut at MAX_OR_COMBINATIONS + 1. */
  private orOverflow = false;

  constructor(private readonly options: ValidateOptions) {
    this.dialect = options.dialect ?? 'eventbus';
    this.rules = DIALECTS[this.dialect];
    this.retain = options.retainNodes ?? true;
  }

  /** The AST node to keep in the compiled pattern, if nodes are retained. */
  private keep<T extends AstNode>(node: T): T | undefined {
    return this.retain ? node : undefined;
  }

  run(root: AstNode | undefined): ValidationResult {
    this.endOfText = root ? root.offset + root.length : 0;
    const ruleSet: RuleMap[] = [];
    if (!root || root.type !== 'object') {
      if (root?.type === 'unknown') {
        this.hasUnknown = true;
        const partialPattern: PartialPattern = {
          dialect: this.dialect,
          rules: [{ conditions: [], unknownParts: [''] }],
          complete: false,
        };
        return { problems: this.problems, pattern: undefined, partialPattern, hasUnknownValues: true };
      }
      this.report(ProblemCode.FilterNotObject, 'Filter is not an object', root, root ? root.offset : 0);
    } else {
      this.parseObject(root, [], ruleSet, false);
    }
    this.checkLimits(ruleSet);
    const hasError = this.problems.some((p) => p.severity === 'error');
    let pattern: CompiledPattern | undefined;
    let partialPattern: PartialPattern | undefined;
    if (!hasError && root?.type === 'object') {
      const byPath = (a: PartialCondition, b: PartialCondition): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
      const rules: PartialSubRule[] = ruleSet.map((m) => ({ conditions: [...m.fields.values()].sort(byPath), unknownParts: m.unknownParts }));
      partialPattern = { dialect: this.dialect, rules, complete: !this.hasUnknown };
      if (!this.hasUnknown) {
        // Every condition is known here: the same arrays serve as the compiled sub-rules.
        const subRules: SubRule[] = rules.map((r) => r.conditions);
        const paths = new Set<string>();
        for (const r of subRules) for (const f of r) paths.add(f.path);
        pattern = { dialect: this.dialect, rules: subRules, paths };
      }
    }
    return { problems: this.problems, pattern, partialPattern, hasUnknownValues: this.hasUnknown };
  }

  // ---- reporting ------------------------------------------------------------------------------------------

  private report(
    code: ProblemCode,
    message: string,
    at: AstNode | PropertyNode | StringNode | undefined,
    detectAt: number,
    severity: Severity = 'error',
    fromAws = true,
  ): void {
    const offset = at ? at.offset : 0;
    const length = at ? at.length : 0;
    this.problems.push({
      code,
      message,
      severity,
      offset,
      length,
      detectAt,
      fromAws: fromAws && severity === 'error',
      ...(fromAws && severity === 'error' ? { awsErrorCode: 'InvalidEventPatternException' as const } : {}),
    });
  }

  // ---- structure ------------------------------------------------------------------------------------------

  private parseObject(node: ObjectNode, path: string[], rules: RuleMap[], inOr: boolean, depth = 0): void {
    if (depth > MAX_PATTERN_DEPTH) {
      if (!this.tooDeepReported) {
        this.tooDeepReported = true;
        this.report(
          ProblemCode.PatternTooDeep,
          `The pattern is nested more than ${MAX_PATTERN_DEPTH} levels deep; deeper levels were not checked`,
          node,
          node.offset,
          'error',
          false,
        );
      }
      return;
    }
    for (const prop of node.properties) {
      const name = prop.key.value;
      const value = prop.value;
      const detect = lexEnd(value, this.endOfText + 1);
      if (prop.keyUnknown !== undefined) {
        // Any field, or `$or`: nothing about its value can be told, and it may replace what came before it.
        this.hasUnknown = true;
        joinUnknownPart(rules, path);
        continue;
      }
      if (name === '$or') {
        this.parseOr(prop, path, rules, depth);
        continue;
      }
      if (inOr && RESERVED_IN_OR.has(name)) {
        this.report(
          ProblemCode.OrReservedField,
          `${name} is Ruler reserved fieldName which cannot be used inside $or.`,
          prop.key,
          detect,
        );
        continue;
      }
      if (!value) continue; // a syntax error already stands here
      if (value.type === 'unknown') {
        this.hasUnknown = true;
        this.setCondition(rules, { path: [...path, name].join('.'), matchers: [], unknown: true, node: this.keep(value) });
        continue;
      }
      if (value.type === 'object') {
        this.parseObject(value, [...path, name], rules, inOr, depth + 1);
      } else if (value.type === 'array') {
        this.writeRules(value, [...path, name].join('.'), rules);
      } else {
        this.report(ProblemCode.FieldNotObjectOrArray, `"${name}" must be an object or an array`, value, detect);
      }
    }
    if (node.properties.length === 0 && node.closed) {
      this.report(ProblemCode.EmptyObject, 'Empty objects are not allowed', node, closeOf(node));
    }
  }

  private parseOr(prop: PropertyNode, path: string[], rules: RuleMap[], depth: number): void {
    const value = prop.value;
    if (!value) return;
    if (value.type === 'unknown') {
      // Branches unknown until deploy: each combination gets conditions nobody can see yet.
      this.hasUnknown = true;
      joinUnknownPart(rules, path);
      return;
    }
    const current = rules.map((r) => r.copy());
    rules.length = 0;
    if (value.type !== 'array') {
      this.report(ProblemCode.OrNotArray, 'It must be an Array followed with $or.', value, lexEnd(value, 0));
      rules.push(...current);
      return;
    }
    for (const item of value.items) {
      if (item.type !== 'object' && item.type !== 'unknown') {
        this.report(
          ProblemCode.OrElementNotObject,
          'Only JSON object is allowed in array of $or relationship.',
          item,
          lexEnd(item, 0),
        );
        continue;
      }
      const branch = current.map((r) => r.copy());
      if (branch.length === 0) branch.push(new RuleMap());
      if (item.type === 'unknown') {
        // A branch unknown until deploy is a combination of its own, whose conditions nobody can see yet.
        this.hasUnknown = true;
        joinUnknownPart(branch, path);
      } else {
        this.parseObject(item, path, branch, true, depth + 1);
      }
      // Combinations multiply; past the limit the pattern is refused anyway, so stop growing (a short hostile
      // pattern of nested or sibling $or would otherwise expand to billions).
      const room = MAX_OR_COMBINATIONS + 1 - rules.length;
      if (branch.length > room) this.orOverflow = true;
      for (let i = 0; i < Math.min(room, branch.length); i++) rules.push(branch[i]);
    }
    if (value.items.length < 2 && value.closed) {
      this.report(
        ProblemCode.OrTooFewBranches,
        'There must have at least 2 Objects in $or relationship.',
        value,
        closeOf(value),
      );
    }
    if (rules.length === 0) rules.push(...current);
  }

  private writeRules(array: ArrayNode, name: string, rules: RuleMap[]): void {
    const matchers: PlacedMatcher[] = [];
    let unknown = false;
    for (const item of array.items) {
      switch (item.type) {
        case 'object': {
          const m = this.matchExpression(item, name);
          if (m === UNKNOWN) unknown = true;
          else if (m) matchers.push(m);
          break;
        }
        case 'string': {
          const range = ipToRangeIfPossible(item.value);
          matchers.push({
            matcher: range ? { kind: 'ip', text: item.value, range } : { kind: 'exact-string', value: item.value },
            node: this.keep(item),
          });
          break;
        }
        case 'number':
          matchers.push({ matcher: { kind: 'exact-number', text: item.text, value: comparableNumber(item.text) }, node: this.keep(item) });
          break;
        case 'boolean':
          matchers.push({ matcher: { kind: 'exact-literal', value: item.value ? 'true' : 'false' }, node: this.keep(item) });
          break;
        case 'null':
          matchers.push({ matcher: { kind: 'exact-literal', value: 'null' }, node: this.keep(item) });
          break;
        case 'unknown':
          this.hasUnknown = true;
          unknown = true;
          break;
        case 'array':
          this.report(
            ProblemCode.InvalidMatchValue,
            'Match value must be String, number, true, false, or null',
            item,
            item.offset,
          );
          break;
      }
    }
    if (array.items.length === 0 && array.closed) {
      this.report(ProblemCode.EmptyArray, 'Empty arrays are not allowed', array, closeOf(array));
    }
    this.setCondition(rules, { path: name, matchers, unknown, node: this.keep(array) });
  }

  private setCondition(rules: RuleMap[], condition: PartialCondition): void {
    if (rules.length === 0) rules.push(new RuleMap());
    // Later keys for the same path replace earlier ones, as in EventBridge (duplicate keys, `a.b` vs `a: {b}`).
    for (const r of rules) r.fields.set(condition.path, condition);
  }

  // ---- match expressions ----------------------------------------------------------------------------------

  /** Reports "Only one key allowed" (or the numeric variant) when a second key follows the first. */
  private checkSingleKey(obj: ObjectNode, message = 'Only one key allowed in match expression'): boolean {
    const second = obj.properties[1];
    if (!second) return true;
    const code = message.startsWith('Too many') ? ProblemCode.NumericTooManyElements : ProblemCode.OnlyOneKey;
    this.report(code, message, second.key, lexEnd(second.value, this.endOfText + 1));
    return false;
  }

  private dialectCheck(operator: string, node: AstNode): void {
    const rule = this.rules.operators[operator];
    if (rule === 'unsupported') {
      this.report(
        ProblemCode.OperatorNotInDialect,
        `${operator} is not supported in ${this.rules.label} filter patterns`,
        node,
        node.offset,
        'error',
        false,
      );
    } else if (rule === 'undocumented') {
      this.report(
        ProblemCode.OperatorUndocumentedInDialect,
        `${operator} is not documented as supported in ${this.rules.label} filter patterns`,
        node,
        node.offset,
        'warning',
        false,
      );
    }
  }

  private matchExpression(obj: ObjectNode, fieldPath: string): PlacedMatcher | Unknown | undefined {
    const first = obj.properties[0];
    if (!first) {
      if (obj.closed) {
        this.report(ProblemCode.MatchExpressionNameNotFound, 'Match expression name not found', obj, closeOf(obj));
      }
      return undefined;
    }
    if (first.keyUnknown !== undefined) {
      // The operator itself is unknown until deploy; so is what it expects (and how AWS words a second key).
      this.hasUnknown = true;
      return UNKNOWN;
    }
    const op = first.key.value;
    const value = first.value;
    const detect = lexEnd(value, this.endOfText + 1);
    // An operand unknown until deploy stands for a valid one: the operator's name, the dialect and the single key
    // are still checked.
    const unknownOperand = value?.type === 'unknown';
    const place = (matcher: Matcher | Unknown | undefined): PlacedMatcher | Unknown | undefined =>
      matcher === UNKNOWN ? UNKNOWN : matcher ? { matcher, node: this.keep(obj) } : undefined;
    const unknownOperandIfSingle = (message?: string): Unknown | undefined => {
      this.hasUnknown = true;
      return this.checkSingleKey(obj, message) ? UNKNOWN : undefined;
    };

    switch (op) {
      case 'exactly': {
        if (unknownOperand) return unknownOperandIfSingle();
        if (value?.type !== 'string') {
          if (value) this.report(ProblemCode.OperatorValueNotString, 'exact match pattern must be a string', value, detect);
          return undefined;
        }
        return this.checkSingleKey(obj) ? place({ kind: 'exact-string', value: value.value }) : undefined;
      }
      case 'prefix':
      case 'suffix': {
        this.dialectCheck(op, first.key);
        if (unknownOperand) return unknownOperandIfSingle();
        let matcher: Matcher | Unknown | undefined;
        if (value?.type === 'string') {
          matcher = { kind: op, value: value.value, ignoreCase: false };
        } else if (value?.type === 'object') {
          const s = this.nestedIgnoreCase(value, op);
          if (s === UNKNOWN) matcher = UNKNOWN;
          else if (s !== undefined) matcher = { kind: op, value: s, ignoreCase: true };
          else return undefined;
        } else if (value) {
          this.report(ProblemCode.OperatorValueNotString, `${op} match pattern must be a string`, value, detect);
          return undefined;
        }
        return this.checkSingleKey(obj) ? place(matcher) : undefined;
      }
      case 'equals-ignore-case': {
        this.dialectCheck(op, first.key);
        if (unknownOperand) return unknownOperandIfSingle();
        if (value?.type !== 'string') {
          if (value)
            this.report(ProblemCode.OperatorValueNotString, 'equals-ignore-case match pattern must be a string', value, detect);
          return undefined;
        }
        return this.checkSingleKey(obj) ? place({ kind: 'equals-ignore-case', value: value.value }) : undefined;
      }
      case 'wildcard': {
        this.dialectCheck(op, first.key);
        if (unknownOperand) return unknownOperandIfSingle();
        if (value?.type !== 'string') {
          if (value) this.report(ProblemCode.OperatorValueNotString, 'wildcard match pattern must be a string', value, detect);
          return undefined;
        }
        const compiled = compileWildcard(value.value);
        if (!compiled.ok) {
          this.report(ProblemCode.WildcardInvalid, compiled.message, value, stringEnd(value));
          return undefined;
        }
        if (!this.checkSingleKey(obj)) return undefined;
        const entry = this.wildcards.get(fieldPath) ?? { patterns: [], nodes: [] };
        entry.patterns.push(compiled.pattern);
        entry.nodes.push(value);
        this.wildcards.set(fieldPath, entry);
        return place({ kind: 'wildcard', value: value.value, pattern: compiled.pattern });
      }
      case 'numeric': {
        this.dialectCheck(op, first.key);
        if (unknownOperand) return unknownOperandIfSingle('Too many elements in numeric expression');
        if (value?.type !== 'array') {
          if (value) this.report(ProblemCode.NumericNotArray, 'Value of numeric must be an array.', value, detect);
          return undefined;
        }
        const m = this.numericExpression(value);
        if (!m) return undefined;
        return this.checkSingleKey(obj, 'Too many elements in numeric expression') ? place(m) : undefined;
      }
      case 'exists': {
        this.dialectCheck(op, first.key);
        if (unknownOperand) return unknownOperandIfSingle();
        if (value?.type !== 'boolean') {
          if (value)
            this.report(ProblemCode.ExistsNotBoolean, 'exists match pattern must be either true or false.', value, detect);
          return undefined;
        }
        return this.checkSingleKey(obj) ? place({ kind: 'exists', exists: value.value }) : undefined;
      }
      case 'cidr': {
        this.dialectCheck(op, first.key);
        if (unknownOperand) return unknownOperandIfSingle();
        if (value?.type !== 'string') {
          // Historical wording, as AWS reports it.
          if (value) this.report(ProblemCode.OperatorValueNotString, 'prefix match pattern must be a string', value, detect);
          return undefined;
        }
        const cidr = parseCidr(value.value);
        if (!cidr.ok) {
          this.report(ProblemCode.CidrInvalid, cidr.message, value, stringEnd(value));
          return undefined;
        }
        return this.checkSingleKey(obj) ? place({ kind: 'cidr', text: value.value, range: cidr.range }) : undefined;
      }
      case 'anything-but': {
        this.dialectCheck(op, first.key);
        const m = this.anythingBut(value, detect);
        if (!m) return undefined;
        return this.checkSingleKey(obj, 'Too many elements in numeric expression') ? place(m) : undefined;
      }
      default:
        this.report(ProblemCode.UnrecognizedMatchType, `Unrecognized match type ${op}`, first.key, detect);
        return undefined;
    }
  }

  /** `{"equals-ignore-case": "x"}` inside prefix/suffix; returns the string (or UNKNOWN), undefined after reporting. */
  private nestedIgnoreCase(obj: ObjectNode, op: 'prefix' | 'suffix'): string | Unknown | undefined {
    const first = obj.properties[0];
    if (!first) {
      if (obj.closed)
        this.report(
          ProblemCode.NestedExpressionNameNotFound,
          `${op === 'prefix' ? 'Prefix' : 'Suffix'} expression name not found`,
          obj,
          closeOf(obj),
        );
      return undefined;
    }
    if (first.keyUnknown !== undefined) {
      this.hasUnknown = true;
      return UNKNOWN;
    }
    const detect = lexEnd(first.value, this.endOfText + 1);
    if (first.key.value !== 'equals-ignore-case') {
      this.report(ProblemCode.UnsupportedNestedOperator, `Unsupported ${op} pattern: ${first.key.value}`, first.key, detect);
      return undefined;
    }
    const v = first.value;
    if (v?.type === 'unknown') {
      this.hasUnknown = true;
      return this.checkSingleKey(obj) ? UNKNOWN : undefined;
    }
    if (v?.type !== 'string') {
      if (v) this.report(ProblemCode.OperatorValueNotString, 'equals-ignore-case match pattern must be a string', v, detect);
      return undefined;
    }
    if (!this.checkSingleKey(obj)) return undefined;
    return v.value;
  }

  private numberOperand(node: AstNode | undefined, op: string, container: ArrayNode): number | Unknown | undefined {
    const label = op === '=' ? 'equals' : op;
    if (node?.type === 'unknown') {
      this.hasUnknown = true;
      return UNKNOWN;
    }
    if (node?.type !== 'number') {
      this.report(
        ProblemCode.NumericValueNotNumber,
        `Value of ${label} must be numeric`,
        node ?? container,
        node ? lexEnd(node, 0) : closeOf(container),
      );
      return undefined;
    }
    const value = comparableNumber(node.text);
    if (value === undefined) {
      this.report(ProblemCode.NumberNotComparable, `Cannot compare number : ${node.text}`, node, lexEnd(node, 0));
      return undefined;
    }
    return value;
  }

  private numericExpression(arr: ArrayNode): Matcher | Unknown | undefined {
    if (!arr.closed && arr.items.length === 0) return undefined;
    const items = arr.items;
    const first = items[0];
    if (first?.type === 'unknown') {
      // The comparison itself is unknown until deploy: what may follow it depends on it.
      this.hasUnknown = true;
      return UNKNOWN;
    }
    if (first?.type !== 'string') {
      this.report(
        ProblemCode.NumericInvalidMember,
        `Invalid member in numeric match: ${tokenText(first)}`,
        first ?? arr,
        first ? lexEnd(first, 0) : closeOf(arr),
      );
      return undefined;
    }
    const op = first.value;
    const afterOperand = (i: number): number => (items[i] ? lexEnd(items[i], 0) : closeOf(arr));
    if (!['=', '<', '<=', '>', '>='].includes(op)) {
      // Reported once the operand after it has been read.
      this.report(ProblemCode.NumericUnknownOperator, `Unrecognized numeric range operator: ${op}`, first, afterOperand(1));
      return undefined;
    }
    const v = this.numberOperand(items[1], op, arr);
    if (v === undefined) return undefined;
    if (op === '=' || op === '<' || op === '<=') {
      if (items.length > 2) {
        this.report(ProblemCode.NumericTooManyElements, 'Too many elements in numeric expression', items[2], afterOperand(2));
        return undefined;
      }
      if (v === UNKNOWN) return UNKNOWN;
      if (op === '=') return { kind: 'numeric', lower: { value: v, inclusive: true }, upper: { value: v, inclusive: true } };
      return { kind: 'numeric', upper: { value: v, inclusive: op === '<=' } };
    }
    if (items.length === 2) return v === UNKNOWN ? UNKNOWN : { kind: 'numeric', lower: { value: v, inclusive: op === '>=' } };
    const op2Node = items[2];
    if (op2Node.type === 'unknown') {
      // The upper comparison is unknown: only the length of the range can still be checked.
      this.hasUnknown = true;
      if (items.length > 4) {
        this.report(ProblemCode.NumericTooManyTerms, 'Too many terms in numeric range expression', items[4], afterOperand(4));
        return undefined;
      }
      return UNKNOWN;
    }
    if (op2Node.type !== 'string') {
      this.report(ProblemCode.NumericBadRangeValue, `Bad value in numeric range: ${tokenText(op2Node)}`, op2Node, lexEnd(op2Node, 0));
      return undefined;
    }
    const op2 = op2Node.value;
    if (op2 !== '<' && op2 !== '<=') {
      this.report(ProblemCode.NumericBadRangeOperator, `Bad numeric range operator: ${op2}`, op2Node, stringEnd(op2Node));
      return undefined;
    }
    const top = this.numberOperand(items[3], op2, arr);
    if (top === undefined) return undefined;
    if (items.length > 4) {
      this.report(ProblemCode.NumericTooManyTerms, 'Too many terms in numeric range expression', items[4], afterOperand(4));
      return undefined;
    }
    if (v === UNKNOWN || top === UNKNOWN) return UNKNOWN;
    if (!(v < top)) {
      this.report(ProblemCode.NumericBottomNotBelowTop, 'Bottom must be less than top', arr, closeOf(arr));
      return undefined;
    }
    return { kind: 'numeric', lower: { value: v, inclusive: op === '>=' }, upper: { value: top, inclusive: op2 === '<=' } };
  }

  private anythingBut(value: AstNode | undefined, detect: number): Matcher | Unknown | undefined {
    if (!value) return undefined;
    const invalidValue = (at: AstNode, d: number): undefined => {
      this.report(
        ProblemCode.AnythingButInvalidValue,
        'Value of anything-but must be an array or single string/number value.',
        at,
        d,
      );
      return undefined;
    };
    switch (value.type) {
      case 'string':
        return { kind: 'anything-but', strings: [value.value], numbers: [] };
      case 'number': {
        const n = comparableNumber(value.text);
        if (n === undefined) {
          this.report(ProblemCode.NumberNotComparable, `Cannot compare number : ${value.text}`, value, detect);
          return undefined;
        }
        return { kind: 'anything-but', strings: [], numbers: [n] };
      }
      case 'array':
        return this.anythingButList(value);
      case 'object':
        return this.anythingButObject(value, invalidValue);
      case 'unknown':
        this.hasUnknown = true;
        return UNKNOWN;
      default:
        return invalidValue(value, detect);
    }
  }

  private anythingButList(arr: ArrayNode): Matcher | Unknown | undefined {
    const strings: string[] = [];
    const numbers: number[] = [];
    let unknown = false;
    for (const item of arr.items) {
      if (item.type === 'string') strings.push(item.value);
      else if (item.type === 'number') {
        const n = comparableNumber(item.text);
        if (n === undefined) {
          this.report(ProblemCode.NumberNotComparable, `Cannot compare number : ${item.text}`, item, lexEnd(item, 0));
          return undefined;
        }
        numbers.push(n);
      } else if (item.type === 'unknown') {
        // A string or a number, whichever the others are.
        this.hasUnknown = true;
        unknown = true;
      } else {
        this.report(
          ProblemCode.AnythingButListType,
          'Inside anything but list, start|null|boolean is not supported.',
          item,
          lexEnd(item, 0),
        );
        return undefined;
      }
    }
    if (!arr.closed) return undefined;
    const mixed = strings.length > 0 && numbers.length > 0;
    if (mixed || (!unknown && strings.length === 0 && numbers.length === 0)) {
      this.report(
        ProblemCode.AnythingButMixedList,
        'Inside anything but list, either all values are number or string, mixed type is not supported',
        arr,
        closeOf(arr),
      );
      return undefined;
    }
    return unknown ? UNKNOWN : { kind: 'anything-but', strings, numbers };
  }

  private anythingButObject(
    obj: ObjectNode,
    invalidValue: (at: AstNode, d: number) => undefined,
  ): Matcher | Unknown | undefined {
    const first = obj.properties[0];
    if (!first) {
      if (obj.closed)
        this.report(ProblemCode.NestedExpressionNameNotFound, 'Anything-But expression name not found', obj, closeOf(obj));
      return undefined;
    }
    if (first.keyUnknown !== undefined) {
      this.hasUnknown = true;
      return UNKNOWN;
    }
    const op = first.key.value;
    const v = first.value;
    const detect = lexEnd(v, this.endOfText + 1);
    if (!['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(op)) {
      this.report(ProblemCode.AnythingButUnsupported, `Unsupported anything-but pattern: ${op}`, first.key, detect);
      return undefined;
    }
    this.dialectCheck(`anything-but/${op}`, first.key);
    if (!v) return undefined;
    if (v.type === 'unknown') {
      this.hasUnknown = true;
      return this.checkSingleKey(obj, 'Too many elements in numeric expression') ? UNKNOWN : undefined;
    }
    if (v.type === 'object') return invalidValue(v, detect);
    let result: Matcher | Unknown | undefined;
    if (op === 'prefix' || op === 'suffix') {
      const list = this.stringList(v, 'prefix/suffix match pattern must be a string', ProblemCode.OperatorValueNotString, detect);
      if (!list) return undefined;
      const at = list.values.find((s) => s.value === '');
      if (at) {
        this.report(ProblemCode.AnythingButEmptyPrefix, 'Null prefix/suffix not allowed', at, stringEnd(at));
        return undefined;
      }
      result = list.unknown
        ? UNKNOWN
        : { kind: op === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', values: list.values.map((s) => s.value) };
    } else if (op === 'equals-ignore-case') {
      const list = this.stringList(
        v,
        'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
        ProblemCode.AnythingButIgnoreCaseType,
        detect,
      );
      if (!list) return undefined;
      result = list.unknown ? UNKNOWN : { kind: 'anything-but-equals-ignore-case', values: list.values.map((s) => s.value) };
    } else {
      const list = this.stringList(v, 'wildcard match pattern must be a string', ProblemCode.OperatorValueNotString, detect);
      if (!list) return undefined;
      const patterns: WildcardPattern[] = [];
      for (const s of list.values) {
        const c = compileWildcard(s.value);
        if (!c.ok) {
          this.report(ProblemCode.WildcardInvalid, c.message, s, stringEnd(s));
          return undefined;
        }
        patterns.push(c.pattern);
      }
      result = list.unknown
        ? UNKNOWN
        : { kind: 'anything-but-wildcard', values: list.values.map((s) => s.value), patterns };
    }
    return this.checkSingleKey(obj, 'Too many elements in numeric expression') ? result : undefined;
  }

  /**
   * A string or a list of strings; reports `message` at the first non-string. Values unknown until deploy are
   * taken for strings (`unknown` says there were some).
   */
  private stringList(
    v: AstNode,
    message: string,
    code: ProblemCode,
    detect: number,
  ): { values: StringNode[]; unknown: boolean } | undefined {
    if (v.type === 'string') return { values: [v], unknown: false };
    if (v.type !== 'array') {
      this.report(code, message, v, detect);
      return undefined;
    }
    const values: StringNode[] = [];
    let unknown = false;
    for (const item of v.items) {
      if (item.type === 'unknown') {
        this.hasUnknown = true;
        unknown = true;
        continue;
      }
      if (item.type !== 'string') {
        this.report(code, message, item, lexEnd(item, 0));
        return undefined;
      }
      values.push(item);
    }
    return { values, unknown };
  }

  // ---- whole-pattern limits -------------------------------------------------------------------------------

  private checkLimits(ruleSet: RuleMap[]): void {
    const end = this.endOfText + 1;
    for (const [, entry] of this.wildcards) {
      const complexity = wildcardComplexity(entry.patterns, WILDCARD_COMPLEXITY_LIMIT + 8);
      const at = entry.nodes[entry.nodes.length - 1];
      if (complexity > WILDCARD_COMPLEXITY_LIMIT) {
        this.report(
          ProblemCode.WildcardTooComplex,
          'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
          at,
          end,
        );
      } else if (complexity >= WILDCARD_COMPLEXITY_WARNING) {
        this.report(
          ProblemCode.WildcardNearlyTooComplex,
          `These wildcards are close to EventBridge's complexity limit (measure ${complexity}; rejected above ${WILDCARD_COMPLEXITY_LIMIT}): fewer wildcards or repeated sequences after a wildcard keep the rule safe`,
          at,
          end,
          'warning',
          false,
        );
      }
    }
    if (ruleSet.length > MAX_OR_COMBINATIONS) {
      this.report(
        ProblemCode.TooManyOrCombinations,
        `The $or conditions expand to ${this.orOverflow ? 'more than' : ''}${this.orOverflow ? ` ${MAX_OR_COMBINATIONS}` : ruleSet.length} combinations; EventBridge allows at most ${MAX_OR_COMBINATIONS}`,
        undefined,
        end,
        'error',
        false,
      );
    }
    const widest = ruleSet.reduce((n, r) => Math.max(n, r.fields.size), 0);
    if (widest > MAX_FIELDS_PER_RULE) {
      this.report(
        ProblemCode.TooManyFields,
        `One combination of this pattern has ${widest} fields; EventBridge's matching engine accepts at most ${MAX_FIELDS_PER_RULE}`,
        undefined,
        end,
        'error',
        false,
      );
    }
    const len = this.options.patternLength;
    // SNS words its size limit its own way (snsFilterPolicy.ts).
    if (len !== undefined && this.dialect !== 'sns') {
      if (len > this.rules.maxLength) {
        this.problems.push({
          code: ProblemCode.PatternTooLong,
          message: `1 validation error detected: Value at '${this.rules.lengthMember}' failed to satisfy constraint: Member must have length less than or equal to ${this.rules.maxLength}`,
          severity: 'error',
          offset: 0,
          length: 0,
          detectAt: -1,
          fromAws: true,
          awsErrorCode: 'ValidationException',
        });
      } else if (this.rules.defaultQuota !== undefined && len > this.rules.defaultQuota) {
        this.report(
          ProblemCode.PatternOverDefaultQuota,
          `The pattern is ${len} characters long; EventBridge's default quota is ${this.rules.defaultQuota} (it can be raised to ${this.rules.maxLength} by a service quota request)`,
          undefined,
          end,
          'warning',
          false,
        );
      }
    }
  }
}
