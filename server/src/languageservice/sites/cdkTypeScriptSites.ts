// The patterns of an AWS CDK app in TypeScript or JavaScript: `new events.Rule(scope, id, { eventPattern: {...} })`
// (also `Archive`, `CfnRule`, `CfnArchive`), `rule.addEventPattern({...})`, objects typed `events.EventPattern`
// (annotation, `as`, `satisfies`), Pipes' `FilterPattern.fromObject({...})` and Lambda's `FilterCriteria.filter({...})`,
// and SNS filter policies (`new sns.Subscription(...)`, `new subs.SqsSubscription(queue, { filterPolicy })`, ...).
// Names are resolved through the file's imports (any alias of `aws-cdk-lib/aws-events`, `@aws-cdk/aws-events`,
// `aws_events` of `aws-cdk-lib`, `require`); what CDK makes of each construct and helper is in cdkConstructs.ts.
// Literal values become house AST nodes; identifiers, calls, template literals with substitutions and spreads become
// unknown values, never flagged.

import type { Node, Tree } from 'web-tree-sitter';
import type { AstNode, JsonPath, PropertyNode } from '../../engine/jsonAst';
import { linkParents } from '../../engine/jsonAst';
import type { CodeReading, PartialCodeReader } from './codeSites';
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
  PATTERN_CONSTRUCTS,
  PATTERN_FUNCTIONS,
  SNS_POLICY_CONSTRUCTS,
  SNS_POLICY_TAKER,
  SNS_SCOPE_PROP,
  SUBSCRIPTION_FILTER_CLASS,
  type CdkModule,
  type PatternTaker,
  type SnsPolicyTaker,
} from './cdkConstructs';
import type { ObjectPatternSite, PatternSite, SnsPolicyScope, TextSpan } from './patternSites';

/** The words a site's code holds (see Reader.walk). */
const SITE_WORDS =
  /\b(?:eventPattern|addEventPattern|fromObject|filter|EventPattern|filterPolicy|filterPolicyWithMessageBody)\b/g;
/** The nodes that hold sites. */
const SITE_NODE_TYPES: ReadonlySet<string> = new Set([
  'new_expression',
  'call_expression',
  'variable_declarator',
  'public_field_definition',
  'as_expression',
  'satisfies_expression',
]);
/** How far up from a word its site's node may be (`new events.Rule(this, 'Id', { eventPattern: ... })`: 5). */
const MAX_CLIMB = 12;
/** Nesting deeper than this is read as an unknown value (the walkers downstream recurse). */
const MAX_DEPTH = 200;
/** How much code an unknown value's description quotes. */
const DESCRIPTION_LENGTH = 80;

/** The names the file binds to CDK modules and to their members. */
interface Bindings {
  /** `events` of `import * as events from 'aws-cdk-lib/aws-events'` → events. */
  readonly modules: Map<string, CdkModule>;
  /** `cdk` of `import * as cdk from 'aws-cdk-lib'`. */
  readonly libraries: Set<string>;
  /** `Rule` (or its alias) of `import { Rule } from 'aws-cdk-lib/aws-events'` → `events.Rule`. */
  readonly members: Map<string, string>;
}

/** Conventional names read as CDK modules when the file binds them to nothing else (snippets without imports). */
const CONVENTIONAL_MODULES: Readonly<Record<string, CdkModule>> = {
  events: 'events',
  pipes: 'pipes',
  lambda: 'lambda',
  sns: 'sns',
  subs: 'subs',
};

export function findCdkTypeScriptSites(tree: Tree, text: string, uri: string): CodeReading {
  void uri;
  const root = tree.rootNode;
  const bindings = readBindings(root);
  const quote = quoteOf(text);
  const reader = new Reader(text, bindings, quote);
  reader.walk(root);
  return { sites: reader.sites, syntaxErrors: [], holders: reader.holders, context: contextOf(bindings, quote) };
}

/**
 * After edits, reads only the sites whose code the changes touch (see PartialCodeReader). A site's reading depends on
 * its holder (the `new`, call, declaration or type assertion it was found at, found from a word inside it: see
 * Reader.walk), on the file's imports and on its usual quote. For each changed range, the part read again is the
 * outermost node holding it that could be a holder (or, with none, the children of the smallest node holding the range
 * that the range touches): every holder the change is in or overlaps lies inside that part, and every holder found from
 * a word in it too, since no node above it could hold a site. A change of the imports or of the quote means reading the file whole.
 */
export const readCdkTypeScriptParts: PartialCodeReader = {
  order: 'site',
  readParts(tree, text, _uri, changed, previousContext) {
    const root = tree.rootNode;
    const bindings = readBindings(root);
    const quote = quoteOf(text);
    const context = contextOf(bindings, quote);
    if (context !== previousContext) return undefined;
    const regions: { start: number; end: number }[] = [];
    for (const c of changed) {
      // A character either side: a change at a node's edge may change that node.
      const from = Math.max(0, c.start - 1);
      const to = Math.min(text.length, c.end + 1);
      const smallest = root.descendantForIndex(from, to);
      if (!smallest) return undefined;
      let part: Node | undefined;
      for (let node: Node | null = smallest; node; node = node.parent) if (SITE_NODE_TYPES.has(node.type)) part = node;
      if (part) {
        regions.push({ start: part.startIndex, end: part.endIndex });
        continue;
      }
      // No holder around it (a change between the statements of a block, say): every holder it touches lies in
      // one of the smallest node's children it touches.
      let start = c.start;
      let end = c.end;
      for (let child = smallest.firstChildForIndex(from); child && child.startIndex < to; child = child.nextSibling) {
        start = Math.min(start, child.startIndex);
        end = Math.max(end, child.endIndex);
      }
      regions.push({ start, end });
    }
    const reader = new Reader(text, bindings, quote);
    reader.walk(root, regions);
    return { regions, sites: reader.sites, holders: reader.holders, context };
  },
};

/** The file-wide facts a site's reading depends on, as one string. */
function contextOf(bindings: Bindings, quote: string): string {
  return JSON.stringify([[...bindings.modules], [...bindings.libraries], [...bindings.members], quote]);
}

// ---------------------------------------------------------------------------------------------------------------
// Imports

function moduleOf(source: string): CdkModule | 'library' | undefined {
  if (source === 'aws-cdk-lib') return 'library';
  return CDK_MODULE_NAMES[source];
}

function stringValue(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  return decodeJsString(node.text);
}

function readBindings(root: Node): Bindings {
  const bindings: Bindings = { modules: new Map(), libraries: new Set(), members: new Map() };
  const bindClause = (module: CdkModule | 'library', clause: Node): void => {
    for (const part of clause.namedChildren) {
      if (!part) continue;
      if (part.type === 'namespace_import' || part.type === 'identifier') {
        const name = part.type === 'identifier' ? part.text : part.namedChildren[0]?.text;
        if (!name) continue;
        if (module === 'library') bindings.libraries.add(name);
        else bindings.modules.set(name, module);
      } else if (part.type === 'named_imports' || part.type === 'object_pattern') {
        for (const spec of part.namedChildren) {
          if (!spec) continue;
          // `{ Rule }`, `{ Rule as R }` (import), `{ Rule }`, `{ Rule: R }` (require's destructuring).
          const imported =
            spec.childForFieldName('name')?.text ??
            spec.childForFieldName('key')?.text ??
            (spec.type === 'shorthand_property_identifier_pattern' ? spec.text : undefined);
          const local = spec.childForFieldName('alias')?.text ?? spec.childForFieldName('value')?.text ?? imported;
          if (!imported || !local) continue;
          if (module === 'library') {
            const sub = CDK_SUBMODULES[imported];
            if (sub) bindings.modules.set(local, sub);
          } else {
            bindings.members.set(local, `${module}.${imported}`);
          }
        }
      }
    }
  };
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    if (statement.type === 'import_statement') {
      const module = moduleOf(stringValue(statement.childForFieldName('source')) ?? '');
      const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
      if (module && clause) bindClause(module, clause);
    } else if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
      // `const events = require('aws-cdk-lib/aws-events')`, `const { Rule } = require(...)`.
      for (const declarator of statement.namedChildren) {
        if (declarator?.type !== 'variable_declarator') continue;
        const value = declarator.childForFieldName('value');
        if (value?.type !== 'call_expression' || value.childForFieldName('function')?.text !== 'require') continue;
        const module = moduleOf(stringValue(value.childForFieldName('arguments')?.namedChildren[0]) ?? '');
        const name = declarator.childForFieldName('name');
        if (module && name) bindClause(module, { namedChildren: [name] } as unknown as Node);
      }
    }
  }
  return bindings;
}

// ---------------------------------------------------------------------------------------------------------------
// The reader

const span = (node: Node): TextSpan => ({ offset: node.startIndex, length: node.endIndex - node.startIndex });

/** Expressions that only change a value's static type: read through them. */
const TRANSPARENT = new Set([
  'parenthesized_expression',
  'as_expression',
  'satisfies_expression',
  'non_null_expression',
  'type_assertion',
]);

function unwrap(node: Node | null | undefined): Node | undefined {
  let cur = node ?? undefined;
  while (cur && TRANSPARENT.has(cur.type)) {
    cur = cur.type === 'type_assertion' ? (cur.namedChildren[1] ?? undefined) : (cur.namedChildren[0] ?? undefined);
  }
  return cur;
}

/** The scope fields of an SNS policy's site. */
interface SnsScope {
  readonly snsScope?: SnsPolicyScope;
  readonly invalidSnsScope?: { readonly value: string; readonly offset: number; readonly length: number };
}

class Reader {
  readonly sites: PatternSite[] = [];
  /** Each site's holder (parallel to `sites`). */
  readonly holders: TextSpan[] = [];
  /** The node whose site is being looked for (see walk). */
  private holder: Node | undefined;
  /** Start offsets of the objects already read as patterns (a typed object given to a Rule is one site). */
  private readonly taken = new Set<number>();

  constructor(
    private readonly text: string,
    private readonly bindings: Bindings,
    private readonly quote: "'" | '"',
  ) {}

  /** A qualified name (`events.Rule`, `events.Match`, `pipes.FilterPattern`) for an expression naming a CDK member. */
  qualifiedName(node: Node | null | undefined): string | undefined {
    if (!node) return undefined;
    if (node.type === 'identifier' || node.type === 'type_identifier') return this.bindings.members.get(node.text);
    if (node.type === 'member_expression' || node.type === 'nested_type_identifier') {
      const object = node.childForFieldName(node.type === 'member_expression' ? 'object' : 'module');
      const property = node.childForFieldName(node.type === 'member_expression' ? 'property' : 'name');
      if (!object || !property) return undefined;
      const module = this.moduleNamed(object);
      if (module) return `${module}.${property.text}`;
      const inner = this.qualifiedName(object);
      return inner ? `${inner}.${property.text}` : undefined;
    }
    return undefined;
  }

  /** The CDK module an expression names (`events`, `cdk.aws_events`). */
  private moduleNamed(node: Node): CdkModule | undefined {
    if (node.type === 'identifier') {
      const name = node.text;
      const bound = this.bindings.modules.get(name);
      if (bound) return bound;
      if (!this.bindings.members.has(name) && !this.bindings.libraries.has(name)) return CONVENTIONAL_MODULES[name];
      return undefined;
    }
    if (node.type === 'member_expression' || node.type === 'nested_type_identifier') {
      const object = node.childForFieldName(node.type === 'member_expression' ? 'object' : 'module');
      const property = node.childForFieldName(node.type === 'member_expression' ? 'property' : 'name');
      if (object?.type === 'identifier' && this.bindings.libraries.has(object.text) && property)
        return CDK_SUBMODULES[property.text];
    }
    return undefined;
  }

  /**
   * Finds the sites from the words that name them (`eventPattern`, `addEventPattern`, `fromObject`, `filter`,
   * `EventPattern`): each occurrence's enclosing construct, call, declaration or type assertion is looked at. Far
   * cheaper than visiting every node of a large stack (each visit crosses into WebAssembly).
   */
  walk(root: Node, regions?: readonly { readonly start: number; readonly end: number }[]): void {
    const seen = new Set<number>();
    const words: RegExpExecArray[] = [];
    if (!regions) {
      for (const m of this.text.matchAll(SITE_WORDS)) words.push(m);
    } else {
      // Only the words inside the regions (each word once, however the regions overlap).
      const sorted = [...regions].sort((a, b) => a.start - b.start);
      let from = 0;
      for (const r of sorted) {
        const re = new RegExp(SITE_WORDS.source, 'g');
        re.lastIndex = Math.max(from, r.start);
        for (let m = re.exec(this.text); m && m.index + m[0].length <= r.end; m = re.exec(this.text)) words.push(m);
        from = Math.max(from, r.end);
      }
    }
    for (const m of words) {
      let node: Node | null = root.descendantForIndex(m.index, m.index + m[0].length);
      for (let up = 0; node && up < MAX_CLIMB; up++, node = node.parent) {
        if (!SITE_NODE_TYPES.has(node.type) || seen.has(node.id)) continue;
        seen.add(node.id);
        this.holder = node;
        switch (node.type) {
          case 'new_expression':
            this.constructSite(node);
            break;
          case 'call_expression':
            this.callSite(node);
            break;
          case 'variable_declarator':
          case 'public_field_definition':
            this.typedDeclaration(node);
            break;
          default:
            this.typedExpression(node);
        }
      }
    }
    // Document order, whatever order the words came in (the holders with their sites).
    const order = this.sites.map((_, i) => i).sort((a, b) => this.sites[a].range.offset - this.sites[b].range.offset);
    const sites = order.map((i) => this.sites[i]);
    const holders = order.map((i) => this.holders[i]);
    this.sites.splice(0, this.sites.length, ...sites);
    this.holders.splice(0, this.holders.length, ...holders);
  }

  private constructSite(node: Node): void {
    const name = this.qualifiedName(node.childForFieldName('constructor'));
    const sns = name ? SNS_POLICY_CONSTRUCTS[name] : undefined;
    if (sns) {
      this.snsSubscriptionSites(node, sns);
      return;
    }
    const taker = name ? PATTERN_CONSTRUCTS[name] : undefined;
    if (!taker) return;
    const props = unwrap(node.childForFieldName('arguments')?.namedChildren[2]);
    if (props?.type !== 'object') return;
    const id = stringValue(node.childForFieldName('arguments')?.namedChildren[1]);
    for (const pair of props.namedChildren) {
      if (pair?.type !== 'pair' || propertyName(pair.childForFieldName('key')) !== EVENT_PATTERN_PROP) continue;
      this.addSite(pair.childForFieldName('value'), taker, id);
    }
  }

  /** The filter policies in a subscription construct's props, each in its scope. */
  private snsSubscriptionSites(node: Node, taker: SnsPolicyTaker): void {
    const args = node.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment');
    const props = unwrap(args?.[taker.propsIndex]);
    if (props?.type !== 'object') return;
    const id = taker.idIndex !== undefined ? stringValue(args?.[taker.idIndex]) : undefined;
    const pairs = props.namedChildren.filter((p): p is Node => p?.type === 'pair');
    const valueOf = (key: string): Node | undefined => {
      let found: Node | undefined;
      for (const pair of pairs) if (propertyName(pair.childForFieldName('key')) === key) found = pair;
      return found?.childForFieldName('value') ?? undefined;
    };
    for (const policy of taker.policies) {
      const value = valueOf(policy.prop);
      if (!value) continue;
      const scope = policy.scope === 'fromProp' ? this.snsScopeOf(valueOf(SNS_SCOPE_PROP)) : { snsScope: policy.scope };
      this.addSite(value, SNS_POLICY_TAKER, id, scope);
    }
  }

  /**
   * A CfnSubscription's `filterPolicyScope`: absent is MessageAttributes; a string is checked; anything else is only
   * known when the code runs and is taken as MessageBody, as templates take an intrinsic (PatternSiteBase.snsScope).
   */
  private snsScopeOf(value: Node | undefined): SnsScope {
    const node = unwrap(value);
    if (!node || node.type === 'undefined') return { snsScope: 'MessageAttributes' };
    const written =
      stringValue(node) ??
      (node.type === 'template_string' && node.namedChildCount === 0 ? decodeJsString(node.text) : undefined);
    if (written === undefined) return { snsScope: 'MessageBody' };
    if (written === 'MessageAttributes' || written === 'MessageBody') return { snsScope: written };
    return { snsScope: 'MessageBody', invalidSnsScope: { value: written, ...span(node) } };
  }

  private callSite(node: Node): void {
    const fn = node.childForFieldName('function');
    if (fn?.type !== 'member_expression') return;
    const args = node.childForFieldName('arguments');
    const method = fn.childForFieldName('property')?.text;
    if (method === 'addEventPattern') {
      this.addSite(args?.namedChildren[0], ADD_EVENT_PATTERN, fn.childForFieldName('object')?.text);
      return;
    }
    const name = this.qualifiedName(fn);
    const taker = name ? PATTERN_FUNCTIONS[name] : undefined;
    if (taker) this.addSite(args?.namedChildren[0], taker, undefined);
  }

  private typedDeclaration(node: Node): void {
    const annotation = node.childForFieldName('type');
    const type = annotation?.namedChildren[0];
    if (!type || this.qualifiedName(type) !== EVENT_PATTERN_TYPE) return;
    const name = node.childForFieldName('name')?.text;
    this.addSite(node.childForFieldName('value'), EVENT_PATTERN_TAKER, name);
  }

  private typedExpression(node: Node): void {
    const type = node.namedChildren[1];
    if (!type || this.qualifiedName(type) !== EVENT_PATTERN_TYPE) return;
    this.addSite(node, EVENT_PATTERN_TAKER, undefined);
  }

  private addSite(
    value: Node | null | undefined,
    taker: PatternTaker,
    name: string | undefined,
    scope: SnsScope = {},
  ): void {
    const object = unwrap(value);
    if (object?.type !== 'object' || this.taken.has(object.startIndex)) return;
    this.taken.add(object.startIndex);
    const nodes = new CodeNodes();
    const pattern = new PatternBuilder(this, nodes, taker.camelCase).value(object, [], 0);
    linkParents(pattern);
    const site: ObjectPatternSite = {
      kind: taker.kind,
      dialect: taker.dialect,
      form: 'object',
      node: pattern,
      valueNode: pattern,
      range: span(object),
      conditions: [],
      viaToJsonString: false,
      syntax: new TypeScriptSyntax(taker.camelCase, this.quote, nodes),
      ...(name !== undefined ? { name } : {}),
      ...scope,
    };
    this.sites.push(site);
    const holder = this.holder ?? object;
    this.holders.push(span(holder));
  }

  helperOf(fn: Node): { helperClass: string; helper: string; name: Node } | undefined {
    if (fn.type !== 'member_expression') return undefined;
    const property = fn.childForFieldName('property');
    const holder = this.qualifiedName(fn.childForFieldName('object'));
    if (!property || !holder || !HELPER_CLASSES[holder]) return undefined;
    return { helperClass: holder, helper: property.text, name: property };
  }

  textOf(node: Node): string {
    return this.text.slice(node.startIndex, node.endIndex);
  }
}

/** A key's name: an identifier, a string, a number; undefined for a computed key. */
function propertyName(key: Node | null | undefined): string | undefined {
  if (!key) return undefined;
  switch (key.type) {
    case 'property_identifier':
    case 'identifier':
      return key.text;
    case 'string':
      return decodeJsString(key.text);
    case 'number':
      return String(numberValue(key.text));
    default:
      return undefined;
  }
}

class PatternBuilder {
  constructor(
    private readonly reader: Reader,
    private readonly nodes: CodeNodes,
    private readonly camelCase: boolean,
  ) {}

  private unknown(node: Node): AstNode {
    const code = this.reader.textOf(node).replace(/\s+/g, ' ');
    const description = code.length > DESCRIPTION_LENGTH ? `${code.slice(0, DESCRIPTION_LENGTH - 1)}…` : code;
    return this.nodes.unknown(description, span(node));
  }

  value(node: Node, path: JsonPath, depth: number): AstNode {
    if (depth > MAX_DEPTH) return this.unknown(node);
    const inner = unwrap(node) ?? node;
    switch (inner.type) {
      case 'object':
        return this.object(inner, path, depth);
      case 'array':
        return this.array(inner, path, depth);
      case 'string':
        return inner.hasError ? this.unknown(inner) : this.nodes.string(decodeJsString(inner.text), span(inner));
      case 'template_string':
        // Without `${}` a template literal is a plain string.
        return inner.namedChildren.some((c) => c?.type === 'template_substitution') || inner.hasError
          ? this.unknown(inner)
          : this.nodes.string(decodeJsString(inner.text), span(inner));
      case 'number':
        return this.number(inner, numberValue(inner.text));
      case 'unary_expression': {
        const operator = inner.childForFieldName('operator')?.text;
        const argument = unwrap(inner.childForFieldName('argument'));
        if (argument?.type === 'number' && (operator === '-' || operator === '+')) {
          const v = numberValue(argument.text);
          return this.number(inner, operator === '-' ? -v : v);
        }
        return this.unknown(inner);
      }
      case 'true':
      case 'false':
        return this.nodes.boolean(inner.type === 'true', span(inner));
      case 'null':
        return this.nodes.null(span(inner));
      case 'call_expression':
        return this.call(inner, path, depth);
      case 'new_expression': {
        // `new sns.SubscriptionFilter([...])`: its conditions as written.
        const args = inner.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment');
        if (
          this.reader.qualifiedName(inner.childForFieldName('constructor')) === SUBSCRIPTION_FILTER_CLASS &&
          args?.length === 1 &&
          args[0]
        )
          return this.value(args[0], path, depth + 1);
        return this.unknown(inner);
      }
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
    const helper = fn ? this.reader.helperOf(fn) : undefined;
    const argsNode = node.childForFieldName('arguments');
    if (!helper || !argsNode || node.hasError) return this.unknown(node);
    const argNodes = argsNode.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment');
    // A spread argument (`Match.anyOf(...list)`) hides how many values there are.
    if (argNodes.some((a) => a.type === 'spread_element')) return this.unknown(node);
    const args = argNodes.map((a) => this.value(a, path, depth + 1));
    const whole = span(node);
    const argsSpan =
      argNodes.length > 0
        ? { offset: argNodes[0].startIndex, length: argNodes[argNodes.length - 1].endIndex - argNodes[0].startIndex }
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

  private array(node: Node, path: JsonPath, depth: number): AstNode {
    const items: AstNode[] = [];
    for (const element of node.namedChildren) {
      if (!element || element.type === 'comment') continue;
      if (element.type === 'ERROR') continue;
      items.push(
        element.type === 'spread_element'
          ? this.unknown(element)
          : this.value(element, [...path, items.length], depth + 1),
      );
    }
    return this.nodes.array(items, span(node), true, this.reader.textOf(node).endsWith(']'));
  }

  private object(node: Node, path: JsonPath, depth: number): AstNode {
    const properties: PropertyNode[] = [];
    const top = path.length === 0;
    for (const member of node.namedChildren) {
      if (!member) continue;
      if (member.type === 'pair') {
        const keyNode = member.childForFieldName('key');
        const valueNode = member.childForFieldName('value');
        if (!keyNode) continue;
        const written = propertyName(keyNode);
        const colon = member.children.find((c) => c?.type === ':');
        const colonOffset = colon ? colon.startIndex : -1;
        if (written === undefined) {
          // `[name]: value`: a key only known when the code runs.
          const key = this.nodes.string(this.reader.textOf(keyNode), span(keyNode));
          const property = this.nodes.property(
            key,
            valueNode ? this.unknown(valueNode) : undefined,
            span(member),
            colonOffset,
          );
          property.keyUnknown = `the computed key ${this.reader.textOf(keyNode)}`;
          properties.push(property);
          continue;
        }
        const name = top && this.camelCase ? (CAMEL_ENVELOPE_KEYS[written] ?? written) : written;
        const key = this.nodes.string(name, span(keyNode));
        const value = valueNode ? this.value(valueNode, [...path, name], depth + 1) : undefined;
        properties.push(this.nodes.property(key, value, span(member), colonOffset));
      } else if (member.type === 'shorthand_property_identifier') {
        // `{ source }`: the key is written, its value is a variable's.
        const written = member.text;
        const name = top && this.camelCase ? (CAMEL_ENVELOPE_KEYS[written] ?? written) : written;
        properties.push(
          this.nodes.property(this.nodes.string(name, span(member)), this.unknown(member), span(member), -1),
        );
      } else if (member.type === 'spread_element') {
        // `...base`: keys only known when the code runs.
        const key = this.nodes.string(this.reader.textOf(member), span(member));
        const property = this.nodes.property(key, this.unknown(member), span(member), -1);
        property.keyUnknown = `the spread ${this.reader.textOf(member)}`;
        properties.push(property);
      }
    }
    return this.nodes.object(properties, span(node), true, this.reader.textOf(node).endsWith('}'));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Writing TypeScript / JavaScript

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export class TypeScriptSyntax implements CodeSyntax {
  readonly language = 'typescript' as const;

  constructor(
    private readonly camelCase: boolean,
    private readonly quote: "'" | '"',
    private readonly nodes: CodeNodes,
  ) {}

  key(name: string, path: JsonPath): string {
    if (this.camelCase && path.length === 0 && ENVELOPE_KEYS_IN_CAMEL_CASE[name])
      return ENVELOPE_KEYS_IN_CAMEL_CASE[name];
    return IDENTIFIER.test(name) ? name : this.string(name);
  }

  value(value: unknown, path: JsonPath): string {
    if (typeof value === 'string') return this.string(value);
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (value === null || value === undefined) return 'null';
    if (Array.isArray(value)) return `[${value.map((v, i) => this.value(v, [...path, i])).join(', ')}]`;
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${this.key(k, path)}${this.keyValueSeparator()}${this.value(v, [...path, k])}`,
    );
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }

  keyValueSeparator(): string {
    return ': ';
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
      .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
      .split(q)
      .join(`\\${q}`);
    return `${q}${escaped}${q}`;
  }
}

/** The quote a file uses most for strings: single unless double quotes are more common. */
function quoteOf(text: string): "'" | '"' {
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  const singles = sample.split("'").length;
  const doubles = sample.split('"').length;
  return doubles > singles ? '"' : "'";
}

// ---------------------------------------------------------------------------------------------------------------
// Literals

function numberValue(text: string): number {
  const clean = text.replace(/_/g, '');
  if (/^0[bBoOxX]/.test(clean)) return Number(clean);
  if (/n$/.test(clean)) return Number(clean.slice(0, -1));
  return Number(clean);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

/** The value of a JavaScript string or template literal (quotes included), escapes decoded. */
export function decodeJsString(literal: string): string {
  const body = literal.length >= 2 ? literal.slice(1, literal.endsWith(literal[0]) ? -1 : undefined) : '';
  if (!body.includes('\\')) return body;
  return body.replace(
    /\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(\r\n|[\r\n\u2028\u2029])|([\s\S]))/g,
    (_m, cp?: string, u4?: string, x2?: string, newline?: string, other?: string) => {
      if (cp !== undefined) {
        const n = parseInt(cp, 16);
        return n <= 0x10ffff ? String.fromCodePoint(n) : '';
      }
      if (u4 !== undefined) return String.fromCharCode(parseInt(u4, 16));
      if (x2 !== undefined) return String.fromCharCode(parseInt(x2, 16));
      if (newline !== undefined) return '';
      return SIMPLE_ESCAPES[other!] ?? other!;
    },
  );
}
