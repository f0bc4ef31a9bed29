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
