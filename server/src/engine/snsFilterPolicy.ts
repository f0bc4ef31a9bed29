// SNS subscription filter policies: the rules SNS adds to the event-pattern language it shares with EventBridge
// (SNS runs the same open-source matcher, and refuses bad operators with the same reasons), and how an SNS message
// runs through a policy.
//
// Sources (Amazon SNS developer guide): "Filter policy constraints in Amazon SNS" (five keys, 150 combinations,
// 256 KB, numbers from -10^9 to 10^9 with five digits after the point, no nesting for MessageAttributes, Binary
// attributes ignored), "String value matching" / "Numeric value matching" (String.Array elements match one by one;
// Number attributes compare as numbers). AWS's wording of the refusals ("Filter policy is too complex", "Filter
// policy can not have more than 5 keys", "Filter policy scope MessageAttributes does not support nested filter
// policy", the FilterPolicyScope message) is as recorded against AWS in LocalStack's SNS tests. The messages of the
// numeric-range warning and of the size limit are ours.

import type { AstNode, ObjectNode, PropertyNode } from './jsonAst';
import { parseJson } from './jsonParser';
import type { CompiledPattern, PartialPattern, SnsFilterPolicyScope } from './patternModel';
import { ProblemCode, type Problem } from './problems';

export const SNS_MAX_KEYS = 5;
export const SNS_MAX_COMBINATIONS = 150;
/** "The maximum size of a filter policy is 256 KB." */
export const SNS_MAX_POLICY_BYTES = 256 * 1024;
/** "the value can range from -10^9 to 10^9 (-1 billion to 1 billion), with five digits of accuracy after the decimal point" */
export const SNS_NUMBER_LIMIT = 1e9;
export const SNS_NUMBER_DECIMALS = 5;
export const SNS_SCOPES: readonly SnsFilterPolicyScope[] = ['MessageAttributes', 'MessageBody'];

export function isSnsScope(s: string): s is SnsFilterPolicyScope {
  return s === 'MessageAttributes' || s === 'MessageBody';
}

/** The problem AWS gives for a `FilterPolicyScope` value it does not know. */
export function snsScopeProblem(value: string, offset: number, length: number): Problem {
  return {
    code: ProblemCode.SnsInvalidScope,
    message: `FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`,
    severity: 'error',
    offset,
    length,
    detectAt: offset,
    fromAws: true,
    awsErrorCode: 'InvalidParameter',
  };
}

interface SnsCheckInput {
  readonly root: AstNode | undefined;
  readonly scope: SnsFilterPolicyScope;
  /** Valid policies only: what the policy asks (combinations and keys are counted on it). */
  readonly partialPattern: PartialPattern | undefined;
  /** The policy's size as sent to AWS, in characters (UTF-8 bytes are counted on `text` when given). */
  readonly patternLength: number | undefined;
  readonly text?: string;
}

/** The problems SNS adds to those of the shared validator. */
export function snsPolicyProblems(input: SnsCheckInput): Problem[] {
  const problems: Problem[] = [];
  const root = input.root;
  if (!root || root.type !== 'object') return problems;
  const end = root.offset + root.length;
  const aws = (code: ProblemCode, message: string, at: { offset: number; length: number }, detectAt: number): void => {
    problems.push({
      code,
      message,
      severity: 'error',
      offset: at.offset,
      length: at.length,
      detectAt,
      fromAws: true,
      awsErrorCode: 'InvalidParameter',
    });
  };
  if (input.scope === 'MessageAttributes') {
    for (const prop of topLevelProperties(root)) {
      if (prop.value?.type === 'object') {
        aws(
          ProblemCode.SnsNestedAttributePolicy,
          'Filter policy scope MessageAttributes does not support nested filter policy',
          prop.key,
          end,
        );
      }
    }
  }
  // Keys: "A filter policy can have a maximum of five keys"; for a nested policy only the top-level keys count. Each
  // `$or` combination is counted on its own (the keys beside the `$or` and those of its largest branch).
  const keys = keyCount(root);
  if (keys.count > SNS_MAX_KEYS) {
    aws(ProblemCode.SnsTooManyKeys, `Filter policy can not have more than ${SNS_MAX_KEYS} keys`, keys.at ?? root, end);
  }
  const combinations = input.partialPattern ? countCombinations(input.partialPattern, input.scope) : 0;
  if (combinations > SNS_MAX_COMBINATIONS) {
    aws(ProblemCode.SnsTooComplex, 'Filter policy is too complex', root, end);
  }
  for (const n of numberNodes(root)) {
    const value = Number(n.text);
    const decimals = decimalDigits(n.text);
    if (!Number.isFinite(value)) continue; // the shared validator reports those
    if (Math.abs(value) > SNS_NUMBER_LIMIT || decimals > SNS_NUMBER_DECIMALS) {
      problems.push({
        code: ProblemCode.SnsNumberOutOfRange,
        message: `SNS matches numbers from -1,000,000,000 to 1,000,000,000 with ${SNS_NUMBER_DECIMALS} digits after the decimal point; ${n.text} is ${decimals > SNS_NUMBER_DECIMALS && Math.abs(value) <= SNS_NUMBER_LIMIT ? 'more precise than that' : 'outside that range'}`,
        severity: 'warning',
        offset: n.offset,
        length: n.length,
        detectAt: end,
        fromAws: false,
      });
    }
  }
  const size = input.text !== undefined ? utf8Length(input.text) : input.patternLength;
  if (size !== undefined && size > SNS_MAX_POLICY_BYTES) {
    problems.push({
      code: ProblemCode.SnsPolicyTooLarge,
      message: `The filter policy is ${size} bytes long; SNS allows at most 256 KB (${SNS_MAX_POLICY_BYTES} bytes)`,
      severity: 'error',
      offset: 0,
      length: 0,
      detectAt: -1,
      fromAws: false,
    });
  }
  return problems;
}

/**
 * The policy's "total combination of values": for each `$or` combination, the product over its fields of the number
 * of values, times the field's nesting depth in MessageBody policies (AWS's example: `key_a.key_b.key_c` with four
 * values and `key_d.key_e` with three make 3 × 4 × 2 × 3 = 72); the combinations add up.
 */
export function countCombinations(pattern: PartialPattern, scope: SnsFilterPolicyScope): number {
  let total = 0;
  for (const rule of pattern.rules) {
    let product = 1;
    for (const c of rule.conditions) {
      const depth = scope === 'MessageBody' ? c.path.split('.').length : 1;
      product *= Math.max(1, c.matchers.length) * depth;
    }
    total += product;
  }
  return total;
}

/** The properties of the policy's top level, those of top-level `$or` branches included. */
function topLevelProperties(root: ObjectNode): PropertyNode[] {
  const out: PropertyNode[] = [];
  const visit = (obj: ObjectNode): void => {
    for (const p of obj.properties) {
      if (p.key.value === '$or' && p.keyUnknown === undefined) {
        if (p.value?.type === 'array') for (const b of p.value.items) if (b.type === 'object') visit(b);
        continue;
      }
      out.push(p);
    }
  };
  visit(root);
  return out;
}

/** The most top-level keys one `$or` combination has, and the key to show when there are too many. */
function keyCount(obj: ObjectNode): { count: number; at: { offset: number; length: number } | undefined } {
  const names = new Map<string, PropertyNode>();
  let fromOr = 0;
  let orKey: PropertyNode | undefined;
  for (const p of obj.properties) {
    if (p.keyUnknown !== undefined) continue;
    if (p.key.value === '$or') {
      orKey ??= p;
      let widest = 0;
      if (p.value?.type === 'array')
        for (const b of p.value.items) if (b.type === 'object') widest = Math.max(widest, keyCount(b).count);
      fromOr += widest;
    } else if (!names.has(p.key.value)) {
      names.set(p.key.value, p);
    }
  }
  const plain = [...names.values()];
  const at = plain.length > SNS_MAX_KEYS ? plain[SNS_MAX_KEYS].key : orKey?.key;
  return { count: plain.length + fromOr, at };
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function numberNodes(root: AstNode): Extract<AstNode, { type: 'number' }>[] {
  const out: Extract<AstNode, { type: 'number' }>[] = [];
  const work: AstNode[] = [root];
  while (work.length > 0) {
    const n = work.pop()!;
    if (n.type === 'number') out.push(n);
    else if (n.type === 'array') work.push(...n.items);
    else if (n.type === 'object') for (const p of n.properties) if (p.value) work.push(p.value);
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Digits after the decimal point of a JSON number as written, exponent taken into account (`1.5e-5` → 6). */
function decimalDigits(text: string): number {
  const m = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return 0;
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  const exponent = m[3] ? Number(m[3]) : 0;
  return Math.max(0, fraction.length - exponent);
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

/**
 * An SNS message as our sample files and the CLI take it: `{"MessageAttributes": {...}, "Message": "..."}`, the
 * shape SNS delivers (attributes as `{"Type", "Value"}`) or the one Publish takes (`{"DataType", "StringValue"}`).
 * `Message` may also be written as a JSON object rather than its text.
 */
export type SnsMessageEvent = { ok: true; event: AstNode } | { ok: false; reason: string };

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * What a policy of `scope` sees of `message` (a parsed JSON value), as an event the shared matcher runs: for
 * MessageAttributes an object of the attributes (String → string, Number → number, String.Array → its JSON array,
 * whose elements then match one by one; Binary attributes are left out, as SNS ignores them); for MessageBody the
 * body's JSON object.
 */
export function snsMessageEvent(message: unknown, scope: SnsFilterPolicyScope): SnsMessageEvent {
  if (!isRecord(message)) return { ok: false, reason: 'An SNS message must be a JSON object' };
  if (scope === 'MessageBody') {
    const body = message.Message;
    if (body === undefined) return { ok: false, reason: 'The message has no "Message" (its body)' };
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const parsed = parseJson(text, { maxErrors: 1 });
    if (parsed.errors.length > 0 || parsed.root?.type !== 'object') {
      // SNS: "Filter policies for the message body assume that the message payload is a well-formed JSON object".
      return { ok: false, reason: 'The message body is not a JSON object: no MessageBody filter policy matches it' };
    }
    return { ok: true, event: parsed.root };
  }
  const attributes = message.MessageAttributes ?? {};
  if (!isRecord(attributes)) return { ok: false, reason: '"MessageAttributes" must be an object' };
  const members: string[] = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!isRecord(attribute)) return { ok: false, reason: `Attribute "${name}" must be an object with Type and Value` };
    const type = attribute.Type ?? attribute.DataType;
    const raw = attribute.Value ?? attribute.StringValue;
    if (typeof type !== 'string') return { ok: false, reason: `Attribute "${name}" has no Type` };
    const base = type.split('.')[0];
    if (base === 'Binary') continue;
    if (base !== 'String' && base !== 'Number') {
      return {
        ok: false,
        reason: `Attribute "${name}" has type ${type}: SNS types are String, String.Array, Number and Binary`,
      };
    }
    const text = typeof raw === 'string' ? raw : raw === undefined ? undefined : JSON.stringify(raw);
    if (text === undefined) return { ok: false, reason: `Attribute "${name}" has no Value` };
    let json: string;
    if (type === 'String.Array') {
      const parsed = parseJson(text, { maxErrors: 1 });
      if (parsed.errors.length > 0 || parsed.root?.type !== 'array') {
        return { ok: false, reason: `Attribute "${name}" is a String.Array whose value is not a JSON array` };
      }
      json = text;
    } else if (base === 'Number' && JSON_NUMBER.test(text.trim())) {
      json = text.trim();
    } else {
      json = JSON.stringify(text);
    }
    members.push(`${JSON.stringify(name)}:${json}`);
  }
  const parsed = parseJson(`{${members.join(',')}}`, { maxErrors: 1 });
  if (!parsed.root || parsed.errors.length > 0) return { ok: false, reason: 'The attributes could not be read' };
  return { ok: true, event: parsed.root };
}

/** True when a compiled pattern was compiled as an SNS filter policy. */
export function isSnsPolicy(pattern: CompiledPattern): boolean {
  return pattern.dialect === 'sns';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
