// The patterns of an AWS CDK app in Python: `events.Rule(self, "Id", event_pattern=...)` (also `Archive`, `CfnRule`,
// `CfnArchive`), `events.EventPattern(source=[...], detail_type=[...], detail={...})` wherever it is called,
// `rule.add_event_pattern(source=..., ...)`, Pipes' `FilterPattern.from_object({...})` and Lambda's
// `FilterCriteria.filter({...})`, and SNS subscription filter policies (`sns.Subscription(self, "S", filter_policy=
// {...})`, `subs.SqsSubscription(queue, filter_policy={...})` and the other aws-sns-subscriptions classes,
// `filter_policy_with_message_body=`, `sns.CfnSubscription(..., filter_policy={...}, filter_policy_scope=...)`). Names are resolved through the file's imports (`from aws_cdk import aws_events as
// events`, `import aws_cdk.aws_events as events`, `from aws_cdk.aws_events import Rule, Match`, `import aws_cdk as
// cdk` then `cdk.aws_events`); what CDK makes of each construct and helper is in cdkConstructs.ts, shared with the
// TypeScript reader (Python's names are TypeScript's in snake_case: `Match.anything_but`, `FilterRule.or_`).
//
// jsii's Python bindings lift a struct's fields into keyword arguments: `EventPattern(detail_type=[...])` and
// `add_event_pattern(detail_type=[...])`. A dict given where a struct is expected (`event_pattern={...}` of a `Rule`)
// is turned into the struct by `EventPattern(**d)`, so its keys are the same snake_case names. `detail={...}`, a
// `CfnRule`'s `event_pattern={...}`, the filters and the SNS policies are plain dicts passed as they are: keys as
// written. A subscription's props are keyword arguments too, and so are the options of `SubscriptionFilter.
// string_filter(allowlist=[...])` and the fields of `sns.BetweenCondition(start=1, stop=5)`.
// Literal values become house AST nodes; names, attributes, calls, f-strings with fields, comprehensions and
// splats become unknown values, never flagged.

import type { Node, Tree } from 'web-tree-sitter';
import type { AstNode, JsonPath, PropertyNode } from '../../engine/jsonAst';
import { linkParents } from '../../engine/jsonAst';
import type { CodeReading } from './codeSites';
import type { CodeSyntax } from './codeSyntax';
import {
  ADD_EVENT_PATTERN,
  buildHelper,
  CAMEL_ENVELOPE_KEYS,
  CDK_MODULE_NAMES,
  CDK_SUBMODULES,
  CodeNodes,
  ENVELOPE_KEYS_IN_CAMEL_CASE,
  EVENT_PATTERN_PROP,
  EVENT_PATTERN_TAKER,
  EVENT_PATTERN_TYPE,
  HELPER_CLASSES,
  HELPER_STRUCTS,
  HELPERS_TAKING_OPTIONS,
  PATTERN_CONSTRUCTS,
  PATTERN_FUNCTIONS,
  SNS_POLICY_CONSTRUCTS,
  SNS_POLICY_TAKER,
  SNS_SCOPE_PROP,
  snakeToCamel,
  SUBSCRIPTION_FILTER_CLASS,
  type CdkModule,
  type PatternTaker,
  type SnsPolicyTaker,
} from './cdkConstructs';
import type { ObjectPatternSite, PatternSite, SnsPolicyScope, TextSpan } from './patternSites';

/** The words a site's code holds (see Reader.walk). */
const SITE_WORDS =
  /\b(?:event_pattern|add_event_pattern|from_object|filter|EventPattern|filter_policy|filter_policy_with_message_body)\b/g;
/** How far up from a word its call may be (`events.Rule(self, "Id", event_pattern=...)`: 3). */
const MAX_CLIMB = 8;
/** Nesting deeper than this is read as an unknown value (the walkers downstream recurse). */
const MAX_DEPTH = 200;
/** How much code an unknown value's description quotes. */
const DESCRIPTION_LENGTH = 80;

/** Python's name of the props key that holds a construct's pattern. */
const EVENT_PATTERN_KEYWORD = camelToSnake(EVENT_PATTERN_PROP);
/** `detail_type` → `detail-type`: `EventPattern`'s keyword arguments, by the EventBridge name each becomes. */
const SNAKE_ENVELOPE_KEYS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(CAMEL_ENVELOPE_KEYS).map(([camel, name]) => [camelToSnake(camel), name]),
);

/** The `aws_cdk` submodules whose constructs hold patterns (`from aws_cdk import aws_events`). */
const PYTHON_SUBMODULES: Readonly<Record<string, CdkModule>> = { ...CDK_SUBMODULES, aws_pipes_alpha: 'pipes' };

/** Conventional names read as CDK modules when the file binds them to nothing else (snippets without imports). */
const CONVENTIONAL_MODULES: Readonly<Record<string, CdkModule>> = {
  events: 'events',
  pipes: 'pipes',
  lambda_: 'lambda',
  _lambda: 'lambda',
  sns: 'sns',
  subs: 'subs',
};

function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `anything_but` → `anythingBut`, `or_` → `or` (jsii adds `_` to names that are Python keywords). */
function pythonNameToCdk(name: string): string {
  return snakeToCamel(name.replace(/_$/, ''));
}

/** The names the file binds to CDK modules and to their members. */
interface Bindings {
  /** `events` of `from aws_cdk import aws_events as events` → events. */
  readonly modules: Map<string, CdkModule>;
  /** `cdk` of `import aws_cdk as cdk`, `aws_cdk` of `import aws_cdk.aws_events`. */
  readonly libraries: Set<string>;
  /** `Rule` (or its alias) of `from aws_cdk.aws_events import Rule` → `events.Rule`. */
  readonly members: Map<string, string>;
  /** Every other name an import binds (they hide the conventional module names). */
  readonly others: Set<string>;
}

export function findCdkPythonSites(tree: Tree, text: string, uri: string): CodeReading {
  void uri;
  const root = tree.rootNode;
  const reader = new Reader(text, readBindings(root), quoteOf(text));
  reader.walk(root);
  return { sites: reader.sites, syntaxErrors: [] };
}

// ---------------------------------------------------------------------------------------------------------------
// Imports

function readBindings(root: Node): Bindings {
  const bindings: Bindings = { modules: new Map(), libraries: new Set(), members: new Map(), others: new Set() };
  // Imports anywhere in the file (inside a function, under `if TYPE_CHECKING:`), not only at its top.
  for (const statement of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (!statement) continue;
    const names = statement.childrenForFieldName('name').filter((n): n is Node => n !== null);
    if (statement.type === 'import_statement') {
      for (const n of names) {
        const dotted = n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text;
        const alias = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : undefined;
        if (!dotted) continue;
        if (alias) {
          // `import aws_cdk.aws_events as events`, `import aws_cdk as cdk`.
          const module = CDK_MODULE_NAMES[dotted];
          if (module) bindings.modules.set(alias, module);
          else if (dotted === 'aws_cdk') bindings.libraries.add(alias);
          else bindings.others.add(alias);
        } else {
          // `import aws_cdk.aws_events` binds `aws_cdk`, through which the module is named in full.
          const head = dotted.split('.')[0];
          if (head === 'aws_cdk') bindings.libraries.add(head);
          else bindings.others.add(head);
        }
      }
      continue;
    }
    const from = statement.childForFieldName('module_name')?.text ?? '';
    const module = CDK_MODULE_NAMES[from];
    for (const n of names) {
      const imported = n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text;
      const local = (n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : undefined) ?? imported;
      if (!imported || !local) continue;
      if (module) bindings.members.set(local, `${module}.${imported}`);
      else if (from === 'aws_cdk' && PYTHON_SUBMODULES[imported])
        bindings.modules.set(local, PYTHON_SUBMODULES[imported]);
      else bindings.others.add(local);
    }
  }
  return bindings;
}

// ---------------------------------------------------------------------------------------------------------------
// The reader

const span = (node: Node): TextSpan => ({ offset: node.startIndex, length: node.endIndex - node.startIndex });

function unwrap(node: Node | null | undefined): Node | undefined {
  let cur = node ?? undefined;
  while (cur?.type === 'parenthesized_expression')
    cur = cur.namedChildren.find((c) => c?.type !== 'comment') ?? undefined;
  return cur;
}

/** The arguments of a call that are not comments. */
function argumentsOf(call: Node): Node[] {
  const list = call.childForFieldName('arguments');
  if (list?.type !== 'argument_list') return [];
  return list.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment');
}

function keywordArgument(call: Node, name: string): Node | undefined {
  const arg = argumentsOf(call).find(
    (a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name,
  );
  return arg?.childForFieldName('value') ?? undefined;
}

/** A construct's id: its second positional argument, or `id=`, when it is a plain string. */
function constructId(call: Node): string | undefined {
  const positional = argumentsOf(call).filter((a) => a.type !== 'keyword_argument');
  const id = positional[1] ?? keywordArgument(call, 'id');
  const value = id && unwrap(id)?.type === 'string' ? decodePythonString(unwrap(id)!.text) : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The scope fields of an SNS policy's site. */
interface SnsScope {
  readonly snsScope?: SnsPolicyScope;
  readonly invalidSnsScope?: { readonly value: string; readonly offset: number; readonly length: number };
}

/**
 * A CfnSubscription's `filter_policy_scope`: absent (or None) is MessageAttributes; a string is checked; anything else
 * is only known when the code runs and is taken as MessageBody, as templates take an intrinsic.
 */
function snsScopeOf(value: Node | undefined): SnsScope {
  const node = unwrap(value);
  if (!node || node.type === 'none') return { snsScope: 'MessageAttributes' };
  const written =
    (node.type === 'string' || node.type === 'concatenated_string') && !node.hasError
      ? decodePythonString(node.text)
      : undefined;
  if (written === undefined) return { snsScope: 'MessageBody' };
  if (written === 'MessageAttributes' || written === 'MessageBody') return { snsScope: written };
  return { snsScope: 'MessageBody', invalidSnsScope: { value: written, ...span(node) } };
}

class Reader {
  readonly sites: PatternSite[] = [];
  /** Start offsets of the dicts and calls already read as patterns (an `EventPattern(...)` given to a Rule is one). */
  private readonly taken = new Set<number>();

  constructor(
    private readonly text: string,
    private readonly bindings: Bindings,
    private readonly quote: "'" | '"',
  ) {}

  /** A qualified name (`events.Rule`, `events.Match`, `pipes.FilterPattern`) for an expression naming a CDK member. */
  qualifiedName(node: Node | null | undefined): string | undefined {
    if (!node) return undefined;
    if (node.type === 'identifier') return this.bindings.members.get(node.text);
    if (node.type !== 'attribute') return undefined;
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute');
    if (!object || !attribute) return undefined;
    const module = this.moduleNamed(object);
    if (module) return `${module}.${attribute.text}`;
    const inner = this.qualifiedName(object);
    return inner ? `${inner}.${attribute.text}` : undefined;
  }

  /** The CDK module an expression names (`events`, `cdk.aws_events`, `aws_cdk.aws_events`). */
  private moduleNamed(node: Node): CdkModule | undefined {
    if (node.type === 'identifier') {
      const name = node.text;
      const bound = this.bindings.modules.get(name);
      if (bound) return bound;
      const free =
        !this.bindings.members.has(name) && !this.bindings.libraries.has(name) && !this.bindings.others.has(name);
      return free ? CONVENTIONAL_MODULES[name] : undefined;
    }
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      if (object?.type === 'identifier' && this.bindings.libraries.has(object.text) && attribute)
        return PYTHON_SUBMODULES[attribute.text];
    }
    return undefined;
  }

  /**
   * Finds the sites from the words that name them: each occurrence's enclosing calls are looked at, constructs and
   * `add_event_pattern` first, so that an `EventPattern(...)` given to a Rule is named by the Rule's id.
   */
  walk(root: Node): void {
    const seen = new Set<number>();
    const later: Node[] = [];
    for (const m of this.text.matchAll(SITE_WORDS)) {
      let node: Node | null = root.descendantForIndex(m.index, m.index + m[0].length);
      for (let up = 0; node && up < MAX_CLIMB; up++, node = node.parent) {
        if (node.type !== 'call' || seen.has(node.id)) continue;
        seen.add(node.id);
        if (!this.constructSite(node)) later.push(node);
      }
    }
    for (const node of later) this.callSite(node);
    // Document order, whatever order the words came in.
    this.sites.sort((a, b) => a.range.offset - b.range.offset);
  }

  /** A construct taking `event_pattern=`, or `add_event_pattern(...)`: true when the call is one (read or not). */
  private constructSite(node: Node): boolean {
    const fn = node.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'add_event_pattern') {
      this.keywordSite(node, ADD_EVENT_PATTERN, fn.childForFieldName('object')?.text);
      return true;
    }
    const name = this.qualifiedName(fn);
    const sns = name ? SNS_POLICY_CONSTRUCTS[name] : undefined;
    if (sns) {
      this.snsSubscriptionSites(node, sns);
      return true;
    }
    const taker = name ? PATTERN_CONSTRUCTS[name] : undefined;
    if (!taker) return false;
    const value = unwrap(keywordArgument(node, EVENT_PATTERN_KEYWORD));
    const id = constructId(node);
    const pattern = value?.type === 'identifier' ? this.assignedValue(value) : value;
    if (pattern?.type === 'dictionary') this.dictSite(pattern, taker, id, taker.camelCase ? 'snake' : 'asWritten');
    else if (
      pattern?.type === 'call' &&
      this.qualifiedName(pattern.childForFieldName('function')) === EVENT_PATTERN_TYPE
    )
      this.keywordSite(pattern, taker, id);
    return true;
  }

  /**
   * The filter policies of a subscription construct, each in its scope: its props are keyword arguments
   * (`filter_policy=`, `filter_policy_with_message_body=`), each policy a dict (or a name assigned one).
   */
  private snsSubscriptionSites(node: Node, taker: SnsPolicyTaker): void {
    const id = taker.idIndex !== undefined ? constructId(node) : undefined;
    for (const policy of taker.policies) {
      const value = unwrap(keywordArgument(node, camelToSnake(policy.prop)));
      const dict = value?.type === 'identifier' ? this.assignedValue(value) : value;
      if (dict?.type !== 'dictionary') continue;
      const scope =
        policy.scope === 'fromProp'
          ? snsScopeOf(keywordArgument(node, camelToSnake(SNS_SCOPE_PROP)))
          : { snsScope: policy.scope };
      this.dictSite(dict, SNS_POLICY_TAKER, id, 'asWritten', scope);
    }
  }

  /** `events.EventPattern(...)` anywhere, and the filters' static functions. */
  private callSite(node: Node): void {
    const name = this.qualifiedName(node.childForFieldName('function'));
    if (!name) return;
    if (name === EVENT_PATTERN_TYPE) {
      this.keywordSite(node, EVENT_PATTERN_TAKER, assignedName(node));
      return;
    }
    const dot = name.lastIndexOf('.');
    const taker = PATTERN_FUNCTIONS[`${name.slice(0, dot)}.${pythonNameToCdk(name.slice(dot + 1))}`];
    if (!taker) return;
    // `filter({...})`, or its one argument by keyword (`filter(filter={...})`).
    const args = argumentsOf(node);
    const only = args.length === 1 ? args[0] : undefined;
    const value = unwrap(only?.type === 'keyword_argument' ? only.childForFieldName('value') : only);
    if (value?.type === 'dictionary') this.dictSite(value, taker, undefined, 'asWritten');
  }

  /**
   * The value of a name given as `event_pattern=name`, when the function (or module) holding the call assigns it
   * once, before the call, a dict or an `EventPattern(...)`.
   */
  private assignedValue(name: Node): Node | undefined {
    let scope: Node | null = name.parent;
    while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
    if (!scope) return undefined;
    const assigned = scope
      .descendantsOfType('assignment')
      .filter(
        (a) => a?.childForFieldName('left')?.type === 'identifier' && a.childForFieldName('left')?.text === name.text,
      );
    if (assigned.length !== 1 || assigned[0]!.startIndex > name.startIndex) return undefined;
    // Only the function's own assignment: not one in a function nested in it.
    let owner: Node | null = assigned[0]!.parent;
    while (owner && owner.type !== 'function_definition' && owner.type !== 'module') owner = owner.parent;
    if (owner?.id !== scope.id) return undefined;
    return unwrap(assigned[0]!.childForFieldName('right'));
  }

  /** A pattern written as keyword arguments: `EventPattern(source=[...])`, `add_event_pattern(source=[...])`. */
  private keywordSite(call: Node, taker: PatternTaker, name: string | undefined): void {
    const list = call.childForFieldName('arguments');
    if (list?.type !== 'argument_list' || this.taken.has(list.startIndex)) return;
    this.taken.add(list.startIndex);
    const nodes = new CodeNodes();
    const pattern = new PatternBuilder(this, nodes, 'snake').keywords(list);
    this.addSite(pattern, list, taker, name, new PythonSyntax('keywords', this.quote, nodes));
  }

  private dictSite(
    dict: Node,
    taker: PatternTaker,
    name: string | undefined,
    topKeys: TopKeys,
    scope: SnsScope = {},
  ): void {
    if (this.taken.has(dict.startIndex)) return;
    this.taken.add(dict.startIndex);
    const nodes = new CodeNodes();
    const pattern = new PatternBuilder(this, nodes, topKeys).value(dict, [], 0);
    this.addSite(
      pattern,
      dict,
      taker,
      name,
      new PythonSyntax(topKeys === 'snake' ? 'snakeDict' : 'dict', this.quote, nodes),
      scope,
    );
  }

  private addSite(
    pattern: AstNode,
    at: Node,
    taker: PatternTaker,
    name: string | undefined,
    syntax: CodeSyntax,
    scope: SnsScope = {},
  ): void {
    linkParents(pattern);
    const site: ObjectPatternSite = {
      kind: taker.kind,
      dialect: taker.dialect,
      form: 'object',
      node: pattern,
      valueNode: pattern,
      range: span(at),
      conditions: [],
      viaToJsonString: false,
      syntax,
      ...(name !== undefined ? { name } : {}),
      ...scope,
    };
    this.sites.push(site);
  }

  /** The CDK struct a call builds (`sns.BetweenCondition(start=1, stop=5)`), when a helper reads its fields. */
  structOf(fn: Node): string | undefined {
    const name = this.qualifiedName(fn);
    return name && (HELPER_STRUCTS.has(name) || name === SUBSCRIPTION_FILTER_CLASS) ? name : undefined;
  }

  helperOf(fn: Node): { helperClass: string; helper: string; name: Node } | undefined {
    if (fn.type !== 'attribute') return undefined;
    const attribute = fn.childForFieldName('attribute');
    const holder = this.qualifiedName(fn.childForFieldName('object'));
    if (!attribute || !holder || !HELPER_CLASSES[holder]) return undefined;
    return { helperClass: holder, helper: pythonNameToCdk(attribute.text), name: attribute };
  }

  textOf(node: Node): string {
    return this.text.slice(node.startIndex, node.endIndex);
  }
}

/** `pattern` of `pattern = events.EventPattern(...)`. */
function assignedName(call: Node): string | undefined {
  const parent = call.parent;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== call.id) return undefined;
  const left = parent.childForFieldName('left');
  return left?.type === 'identifier' ? left.text : undefined;
}

/** How the top-level keys of a pattern are named: `EventPattern`'s snake_case fields, or EventBridge's own names. */
type TopKeys = 'snake' | 'asWritten';

class PatternBuilder {
  constructor(
    private readonly reader: Reader,
    private readonly nodes: CodeNodes,
    private readonly topKeys: TopKeys,
  ) {}

  private unknown(node: Node): AstNode {
    const code = this.reader.textOf(node).replace(/\s+/g, ' ');
    const description = code.length > DESCRIPTION_LENGTH ? `${code.slice(0, DESCRIPTION_LENGTH - 1)}…` : code;
    return this.nodes.unknown(description, span(node));
  }

  private topName(written: string, top: boolean): string {
    return top && this.topKeys === 'snake' ? (SNAKE_ENVELOPE_KEYS[written] ?? written) : written;
  }

  /** The object a call's keyword arguments make (positional arguments are no part of it: the fields are keywords). */
  keywords(list: Node): AstNode {
    const properties: PropertyNode[] = [];
    for (const arg of list.namedChildren) {
      if (!arg) continue;
      if (arg.type === 'keyword_argument') {
        const keyNode = arg.childForFieldName('name');
        const valueNode = arg.childForFieldName('value');
        if (!keyNode) continue;
        const name = this.topName(keyNode.text, true);
        const equals = arg.children.find((c) => c?.type === '=');
        const key = this.nodes.string(name, span(keyNode));
        const value = valueNode ? this.value(valueNode, [name], 1) : undefined;
        properties.push(this.nodes.property(key, value, span(arg), equals ? equals.startIndex : -1));
      } else if (arg.type === 'dictionary_splat') {
        properties.push(this.unknownKey(arg, `the keyword arguments ${this.reader.textOf(arg)}`));
      }
    }
    return this.nodes.object(properties, span(list), true, this.reader.textOf(list).endsWith(')'));
  }

  private unknownKey(node: Node, why: string): PropertyNode {
    const key = this.nodes.string(this.reader.textOf(node), span(node));
    const property = this.nodes.property(key, this.unknown(node), span(node), -1);
    property.keyUnknown = why;
    return property;
  }

  value(node: Node, path: JsonPath, depth: number): AstNode {
    if (depth > MAX_DEPTH) return this.unknown(node);
    const inner = unwrap(node) ?? node;
    switch (inner.type) {
      case 'dictionary':
        return this.object(inner, path, depth);
      case 'list':
      case 'tuple':
        return this.array(inner, path, depth);
      case 'string':
      case 'concatenated_string': {
        const value = inner.hasError ? undefined : decodePythonString(inner.text);
        return value === undefined ? this.unknown(inner) : this.nodes.string(value, span(inner));
      }
      case 'integer':
      case 'float':
        return this.number(inner, numberValue(inner.text));
      case 'unary_operator': {
        const operator = inner.child(0)?.type;
        const argument = unwrap(inner.childForFieldName('argument'));
        if ((argument?.type === 'integer' || argument?.type === 'float') && (operator === '-' || operator === '+')) {
          const v = numberValue(argument.text);
          return this.number(inner, operator === '-' ? -v : v);
        }
        return this.unknown(inner);
      }
      case 'true':
      case 'false':
        return this.nodes.boolean(inner.type === 'true', span(inner));
      case 'none':
        return this.nodes.null(span(inner));
      case 'call':
        return this.call(inner, path, depth);
      default:
        return this.unknown(inner);
    }
  }

  /** A number as CDK writes it into the template: JSON.stringify's spelling (`1e3` is `1000`). */
  private number(node: Node, value: number): AstNode {
    if (!Number.isFinite(value)) return this.unknown(node);
    return this.nodes.number(value, JSON.stringify(value), span(node));
  }

  private call(node: Node, path: JsonPath, depth: number): AstNode {
    const fn = node.childForFieldName('function');
    if (node.hasError || !fn) return this.unknown(node);
    const argNodes = argumentsOf(node);
    // A splat (`Match.any_of(*values)`) hides how many values there are.
    if (argNodes.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return this.unknown(node);
    const struct = this.reader.structOf(fn);
    if (struct === SUBSCRIPTION_FILTER_CLASS) {
      // `sns.SubscriptionFilter([...])`, `SubscriptionFilter(conditions=[...])`: its conditions as written.
      const only = argNodes.length === 1 ? argNodes[0] : undefined;
      const value = only?.type === 'keyword_argument' ? only.childForFieldName('value') : only;
      return value ? this.value(value, path, depth + 1) : this.unknown(node);
    }
    if (struct) return this.struct(node, argNodes, path, depth);
    const helper = this.reader.helperOf(fn);
    if (!helper) return this.unknown(node);
    if (HELPERS_TAKING_OPTIONS.has(`${helper.helperClass}.${helper.helper}`)) {
      // `string_filter(allowlist=[...])`: the keyword arguments are the options struct's fields.
      if (argNodes.some((a) => a.type !== 'keyword_argument')) return this.unknown(node);
      const options = this.struct(node, argNodes, path, depth);
      return (
        buildHelper(this.nodes, helper.helperClass, helper.helper, {
          args: [options],
          call: span(node),
          name: span(helper.name),
          argsSpan: span(node.childForFieldName('arguments') ?? node),
        }) ?? this.unknown(node)
      );
    }
    // Keywords may come in any order.
    if (argNodes.length > 1 && argNodes.some((a) => a.type === 'keyword_argument')) return this.unknown(node);
    const operands = argNodes.map((a) => (a.type === 'keyword_argument' ? (a.childForFieldName('value') ?? a) : a));
    const args = operands.map((a) => this.value(a, path, depth + 1));
    const whole = span(node);
    const argsSpan =
      operands.length > 0
        ? {
            offset: operands[0].startIndex,
            length: operands[operands.length - 1].endIndex - operands[0].startIndex,
          }
        : whole;
    return (
      buildHelper(this.nodes, helper.helperClass, helper.helper, {
        args,
        call: whole,
        name: span(helper.name),
        argsSpan,
      }) ?? this.unknown(node)
    );
  }

  /**
   * The struct a call's keyword arguments make (`BetweenCondition(start=1, stop=5)` → `{start: 1, stop: 5}`), keys in
   * CDK's camelCase: made up (the code writes them in snake_case), so no edit rewrites them; positional arguments
   * make it unknown.
   */
  private struct(node: Node, argNodes: readonly Node[], path: JsonPath, depth: number): AstNode {
    const properties: PropertyNode[] = [];
    for (const arg of argNodes) {
      const keyNode = arg.type === 'keyword_argument' ? arg.childForFieldName('name') : null;
      const valueNode = arg.childForFieldName('value');
      if (!keyNode || !valueNode) return this.unknown(node);
      const name = snakeToCamel(keyNode.text);
      const key = this.nodes.string(name, span(keyNode), false);
      const equals = arg.children.find((c) => c?.type === '=');
      properties.push(
        this.nodes.property(
          key,
          this.value(valueNode, [...path, name], depth + 1),
          span(arg),
          equals?.startIndex ?? -1,
        ),
      );
    }
    return this.nodes.object(properties, span(node.childForFieldName('arguments') ?? node), false);
  }

  private array(node: Node, path: JsonPath, depth: number): AstNode {
    const items: AstNode[] = [];
    for (const element of node.namedChildren) {
      if (!element || element.type === 'comment' || element.type === 'ERROR') continue;
      items.push(
        element.type === 'list_splat' ? this.unknown(element) : this.value(element, [...path, items.length], depth + 1),
      );
    }
    const close = node.type === 'list' ? ']' : ')';
    return this.nodes.array(items, span(node), true, this.reader.textOf(node).endsWith(close));
  }

  private object(node: Node, path: JsonPath, depth: number): AstNode {
    const properties: PropertyNode[] = [];
    const top = path.length === 0;
    for (const member of node.namedChildren) {
      if (!member) continue;
      if (member.type === 'pair') {
        const keyNode = unwrap(member.childForFieldName('key'));
        const valueNode = member.childForFieldName('value');
        if (!keyNode) continue;
        const written =
          keyNode.type === 'string' || keyNode.type === 'concatenated_string'
            ? decodePythonString(keyNode.text)
            : undefined;
        const colon = member.children.find((c) => c?.type === ':');
        const colonOffset = colon ? colon.startIndex : -1;
        if (written === undefined) {
          // `{name: ...}`, `{f"{x}": ...}`: a key only known when the code runs.
          const key = this.nodes.string(this.reader.textOf(keyNode), span(keyNode));
          const property = this.nodes.property(
            key,
            valueNode ? this.unknown(valueNode) : undefined,
            span(member),
            colonOffset,
          );
          property.keyUnknown = `the key ${this.reader.textOf(keyNode)}`;
          properties.push(property);
          continue;
        }
        const name = this.topName(written, top);
        const key = this.nodes.string(name, span(keyNode));
        const value = valueNode ? this.value(valueNode, [...path, name], depth + 1) : undefined;
        properties.push(this.nodes.property(key, value, span(member), colonOffset));
      } else if (member.type === 'dictionary_splat') {
        properties.push(this.unknownKey(member, `the unpacked ${this.reader.textOf(member)}`));
      }
    }
    return this.nodes.object(properties, span(node), true, this.reader.textOf(node).endsWith('}'));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Writing Python

/**
 * How keys are written in a site: `keywords` for `EventPattern(detail_type=[...])` (its top level is keyword
 * arguments), `snakeDict` for a Rule's `event_pattern={"detail_type": [...]}`, `dict` for a dict passed as it is.
 * Below the top level every key is a dict key, written as a string.
 */
type PythonForm = 'keywords' | 'snakeDict' | 'dict';

export class PythonSyntax implements CodeSyntax {
  readonly language = 'python' as const;

  constructor(
    private readonly form: PythonForm,
    private readonly quote: "'" | '"',
    private readonly nodes: CodeNodes,
  ) {}

  private snakeTop(path: JsonPath): boolean {
    return path.length === 0 && this.form !== 'dict';
  }

  key(name: string, path: JsonPath): string {
    const snake =
      this.snakeTop(path) && ENVELOPE_KEYS_IN_CAMEL_CASE[name] ? camelToSnake(ENVELOPE_KEYS_IN_CAMEL_CASE[name]) : name;
    return path.length === 0 && this.form === 'keywords' ? snake : this.string(snake);
  }

  /** `EventPattern`'s fields are the envelope's: nothing else (not `$or`) can be one of its keywords or keys. */
  canWriteKey(name: string, path: JsonPath): boolean {
    return !this.snakeTop(path) || ENVELOPE_KEYS_IN_CAMEL_CASE[name] !== undefined;
  }

  value(value: unknown, path: JsonPath): string {
    if (typeof value === 'string') return this.string(value);
    if (typeof value === 'number') return String(value);
    if (typeof value === 'boolean') return value ? 'True' : 'False';
    if (value === null || value === undefined) return 'None';
    if (Array.isArray(value)) return `[${value.map((v, i) => this.value(v, [...path, i])).join(', ')}]`;
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${this.string(k)}: ${this.value(v, [...path, k])}`,
    );
    return `{${entries.join(', ')}}`;
  }

  keyValueSeparator(path: JsonPath): string {
    return path.length === 0 && this.form === 'keywords' ? '=' : ': ';
  }

  isLiteral(node: AstNode): boolean {
    return this.nodes.isLiteral(node);
  }

  private string(value: string): string {
    const q = this.quote;
    const escaped = value
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .split(q)
      .join(`\\${q}`);
    return `${q}${escaped}${q}`;
  }
}

/** The quote a file uses most for strings: double unless single quotes are more common (Python's formatters). */
function quoteOf(text: string): "'" | '"' {
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  const singles = sample.split("'").length;
  const doubles = sample.split('"').length;
  return singles > doubles ? "'" : '"';
}

// ---------------------------------------------------------------------------------------------------------------
// Literals

function numberValue(text: string): number {
  const clean = text.replace(/_/g, '');
  // Imaginary numbers (`1j`) are no JSON number.
  if (/[jJ]$/.test(clean)) return NaN;
  return Number(clean);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/**
 * The value of a Python string literal, or of adjacent literals (`"a" "b"`), escapes decoded; undefined for what is
 * no plain text: bytes, an f-string with a replacement field, an escape the reader does not know (`\N{...}`).
 */
export function decodePythonString(literal: string): string | undefined {
  let out = '';
  const parts = /([A-Za-z]*)("""|'''|"|')/y;
  let at = 0;
  while (at < literal.length) {
    // Skip the blanks, comments and line continuations between adjacent literals.
    const gap = /(?:\s|\\\r?\n|#[^\n]*)*/y;
    gap.lastIndex = at;
    at += gap.exec(literal)![0].length;
    if (at >= literal.length) break;
    parts.lastIndex = at;
    const open = parts.exec(literal);
    if (!open) return undefined;
    const prefix = open[1].toLowerCase();
    const quote = open[2];
    if (prefix.includes('b') || /[^rfu]/.test(prefix)) return undefined;
    const start = at + open[0].length;
    const end = closingQuote(literal, start, quote);
    if (end < 0) return undefined;
    let body = literal.slice(start, end);
    at = end + quote.length;
    if (prefix.includes('f')) {
      // `{{` and `}}` are braces; a single brace opens a replacement field, a value only known at run time.
      if (/(?<!\{)\{(?!\{)|(?<!\})\}(?!\})/.test(body.replace(/\{\{|\}\}/g, ''))) return undefined;
      body = body.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    }
    const decoded = prefix.includes('r') ? body : decodeEscapes(body);
    if (decoded === undefined) return undefined;
    out += decoded;
  }
  return out;
}

/** Where a string's closing quote is (a backslash escapes the next character, in raw strings too); -1 if none. */
function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text.startsWith(quote, i)) return i;
  }
  return -1;
}

function decodeEscapes(body: string): string | undefined {
  if (!body.includes('\\')) return body;
  let unknown = false;
  const out = body.replace(
    /\\(?:(\r\n|\n|\r)|([0-7]{1,3})|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(N\{[^}]*\})|([\s\S]))/g,
    (m, newline?: string, octal?: string, x2?: string, u4?: string, u8?: string, named?: string, other?: string) => {
      if (newline !== undefined) return '';
      if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8));
      if (x2 !== undefined) return String.fromCharCode(parseInt(x2, 16));
      if (u4 !== undefined) return String.fromCharCode(parseInt(u4, 16));
      if (u8 !== undefined) {
        const n = parseInt(u8, 16);
        if (n > 0x10ffff) unknown = true;
        return n <= 0x10ffff ? String.fromCodePoint(n) : '';
      }
      if (named !== undefined) {
        unknown = true;
        return m;
      }
      // Python keeps an unknown escape as written, backslash included.
      return SIMPLE_ESCAPES[other!] ?? m;
    },
  );
  return unknown ? undefined : out;
}
