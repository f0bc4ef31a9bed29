// The house AST: JSON text, YAML documents and patterns embedded in strings all become these nodes, so every
// feature (validation, completion, hover, matching) is written once. Offsets are UTF-16 code-unit offsets into the
// text the node came from; line/column appear only at the edges.

export interface NodeBase {
  readonly offset: number;
  readonly length: number;
  /** Set by the builders; undefined on the root. */
  parent?: AstNode | PropertyNode;
  /** A CloudFormation short-form tag (`!Ref`, `!Sub`, ...) or long-form intrinsic name, when the node carries one. */
  tag?: string;
}

export interface ObjectNode extends NodeBase {
  readonly type: 'object';
  readonly properties: PropertyNode[];
  /** False when the text ended (or a syntax error struck) before the closing brace. */
  readonly closed: boolean;
}

export interface PropertyNode {
  readonly type: 'property';
  readonly offset: number;
  readonly length: number;
  parent?: ObjectNode;
  readonly key: StringNode;
  /** Undefined when the text is cut short after the key. */
  value: AstNode | undefined;
  /** Offset of the ':' (or YAML ':' indicator), -1 when missing. */
  readonly colonOffset: number;
  /**
   * Set when the key itself is unknown until deploy (a `${...}` of `Fn::Sub` in it): why, for hovers. The key's value
   * is then the template's own text, so that whatever quotes it quotes what the user wrote.
   */
  keyUnknown?: string;
}

export interface ArrayNode extends NodeBase {
  readonly type: 'array';
  readonly items: AstNode[];
  readonly closed: boolean;
}

export interface StringNode extends NodeBase {
  readonly type: 'string';
  /** The decoded value. */
  readonly value: string;
}

export interface NumberNode extends NodeBase {
  readonly type: 'number';
  /** The number exactly as written (`3.0e2`): EventBridge matches literal spellings as well as values. */
  readonly text: string;
  readonly value: number;
}

export interface BooleanNode extends NodeBase {
  readonly type: 'boolean';
  readonly value: boolean;
}

export interface NullNode extends NodeBase {
  readonly type: 'null';
}

/**
 * A value that is not known until deploy time (an intrinsic function such as `!Ref`, `Fn::Sub`, a YAML alias that
 * could not be resolved): validators must accept it as whatever would be valid there.
 */
export interface UnknownNode extends NodeBase {
  readonly type: 'unknown';
  /** Why the value is unknown, for hovers: e.g. `!Ref Stage`. */
  readonly description: string;
}

export type AstNode = ObjectNode | ArrayNode | StringNode | NumberNode | BooleanNode | NullNode | UnknownNode;
export type ScalarNode = StringNode | NumberNode | BooleanNode | NullNode;

/** Sets `parent` links below `node` (builders may create nodes bottom-up and call this once). */
export function linkParents(node: AstNode): void {
  const stack: AstNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'object') {
      for (const p of n.properties) {
        p.parent = n;
        p.key.parent = p;
        if (p.value) {
          p.value.parent = p;
          stack.push(p.value);
        }
      }
    } else if (n.type === 'array') {
      for (const item of n.items) {
        item.parent = n;
        stack.push(item);
      }
    }
  }
}

/** The value of the last property named `key` (duplicate keys: the last one wins, as on AWS). */
export function getProperty(node: AstNode | undefined, key: string): AstNode | undefined {
  if (!node || node.type !== 'object') return undefined;
  for (let i = node.properties.length - 1; i >= 0; i--) {
    const p = node.properties[i];
    if (p.key.value === key) return p.value;
  }
  return undefined;
}

/** Converts a node to a plain JavaScript value (unknown nodes become undefined; duplicate keys: last wins). */
/** Characters JSON.stringify writes other than as themselves: quote, backslash, controls, and lone surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const ESCAPED_IN_JSON = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(toPlainValue(node) ?? null).length` without building either: the length of a pattern as sent to
 * AWS, measured for every pattern of a document at each full analysis.
 */
export function plainJsonLength(node: AstNode | undefined): number {
  if (!node || node.type === 'unknown') return 4; // null
  return valueLength(node) ?? JSON.stringify(toPlainValue(node) ?? null).length;
}

/** The length of a node's JSON; undefined where toPlainValue's object would not say it simply (repeated keys...). */
function valueLength(node: AstNode): number | undefined {
  switch (node.type) {
    case 'object': {
      let length = 2;
      let written = 0;
      for (const p of node.properties) {
        if (!p.value || p.value.type === 'unknown') continue;
        const value = valueLength(p.value);
        if (value === undefined || p.key.value === '__proto__') return undefined;
        length += stringLength(p.key.value) + 1 + value;
        written++;
      }
      if (hasRepeatedKey(node.properties)) return undefined;
      return length + Math.max(0, written - 1);
    }
    case 'array': {
      let length = 2 + Math.max(0, node.items.length - 1);
      for (const item of node.items) {
        const value = item.type === 'unknown' ? 4 : valueLength(item);
        if (value === undefined) return undefined;
        length += value;
      }
      return length;
    }
    case 'string':
      return stringLength(node.value);
    case 'number':
      return Number.isFinite(node.value) ? String(node.value).length : 4;
    case 'boolean':
      return node.value ? 4 : 5;
    case 'null':
      return 4;
    case 'unknown':
      return undefined;
  }
}

function hasRepeatedKey(properties: readonly PropertyNode[]): boolean {
  if (properties.length < 2) return false;
  if (properties.length <= 8) {
    for (let i = 1; i < properties.length; i++)
      for (let j = 0; j < i; j++) if (properties[i].key.value === properties[j].key.value) return true;
    return false;
  }
  return new Set(properties.map((p) => p.key.value)).size !== properties.length;
}

function stringLength(s: string): number {
  return ESCAPED_IN_JSON.test(s) ? JSON.stringify(s).length : s.length + 2;
}

export function toPlainValue(node: AstNode | undefined): unknown {
  if (!node) return undefined;
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of node.properties) if (p.value) o[p.key.value] = toPlainValue(p.value);
      return o;
    }
    case 'array':
      return node.items.map(toPlainValue);
    case 'string':
    case 'number':
    case 'boolean':
      return node.value;
    case 'null':
      return null;
    case 'unknown':
      return undefined;
  }
}

/** A path from a pattern's root to a node: property names and array indices. */
export type JsonPath = (string | number)[];

export function pathOf(node: AstNode | PropertyNode, root?: AstNode): JsonPath {
  const path: JsonPath = [];
  let cur: AstNode | PropertyNode | undefined = node;
  while (cur && cur !== root) {
    const parent: AstNode | PropertyNode | undefined = cur.parent;
    if (!parent) break;
    if (parent.type === 'property') {
      if (cur === parent.value) path.unshift(parent.key.value);
      cur = parent.parent;
      continue;
    }
    if (parent.type === 'array') path.unshift(parent.items.indexOf(cur as AstNode));
    cur = parent;
  }
  return path;
}
