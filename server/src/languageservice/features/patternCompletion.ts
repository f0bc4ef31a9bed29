// Completion inside event patterns, written once over the house AST for JSON, YAML and JSON text in strings:
// envelope keys, `detail` fields from the catalog, `source` / `detail-type` values, and operators as snippets
// (the dialect's subset). The cursor is placed in the pattern's own offsets first; edits are made in that
// syntax and mapped back to the document (through the host string's escapes for a string pattern).

import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
} from 'vscode-languageserver-types';
import type { ArrayNode, AstNode, JsonPath, ObjectNode, PropertyNode } from '../../engine/jsonAst';
import type { CodeSyntax } from '../sites/codeSyntax';
import type { AnalyzedSite, DocumentAnalysis } from '../sites/documentAnalysis';
import { isIntrinsicNode, stringStyleOf } from '../parsing/documentParser';
import type { LanguageService } from '../languageService';
import {
  availableCatalog,
  chosenEvents,
  detailFieldsAt,
  ENVELOPE_FIELDS,
  fieldPathOf,
  fieldTypeText,
  FILTER_RECORD_FIELDS,
  isMatchExpression,
  NESTED_OPERATORS,
  OPERATOR_DOCS,
  operatorMarkdown,
  operatorOf,
  operatorSupport,
  OR_DOC,
  siteView,
  type SiteView,
} from './patternHover';
import { fieldTypeText as learnedTypeText, type ExampleValue, type FoundField } from '../../schemas';
import { learnedFieldAt, learnedFieldMarkdown, learnedFieldsBelow, learnedSchemas } from './learnedSchemas';

/** A value offered for a field: a string, or (a learned example) a number, boolean or null. */
type KnownValue = ExampleValue;

// ---------------------------------------------------------------------------------------------------------------
// Where the cursor is

/** What may be written at the cursor. Paths are field paths (see `fieldPathOf`). */
type Slot =
  /** A key of a pattern object (the object at `path`). */
  | { readonly kind: 'field'; readonly path: readonly string[]; readonly existing: ReadonlySet<string> }
  /** The key of a match expression, or of an operator's object (`outer`). */
  | { readonly kind: 'operator'; readonly path: readonly string[]; readonly outer?: string; readonly taken: boolean }
  /** An element of the match list of the field at `path`. */
  | {
      readonly kind: 'matchValue';
      readonly path: readonly string[];
      readonly existing: ReadonlySet<string>;
      /** The list is a YAML block sequence (`- value`). */
      readonly blockItem: boolean;
    }
  /** The value of an operator (`{"prefix": |}`), or an element of its list (`{"anything-but": [|]}`). */
  | { readonly kind: 'operand'; readonly path: readonly string[]; readonly operator: string; readonly index?: number }
  /** The value of a field, not yet a list or an object. */
  | { readonly kind: 'fieldValue'; readonly path: readonly string[] };

type Syntax = 'json' | 'yamlFlow' | 'yamlBlock';

interface Token {
  readonly offset: number;
  readonly length: number;
}

interface Place {
  readonly view: SiteView;
  readonly slot: Slot;
  /** What the completion replaces, in the pattern's offsets. */
  readonly token: Token;
  readonly syntax: Syntax;
  /** For keys: a `:` already follows, so only the key is inserted. */
  readonly colonAfter: boolean;
}

const isBracketed = (text: string, node: AstNode): boolean =>
  text[node.offset] === (node.type === 'object' ? '{' : node.type === 'array' ? '[' : '\0');

/** Whether `offset` is inside a node: inside the brackets of a flow collection, anywhere on a scalar or block. */
function inside(text: string, node: AstNode, offset: number): boolean {
  const end = node.offset + node.length;
  if ((node.type === 'object' || node.type === 'array') && isBracketed(text, node)) {
    return offset > node.offset && (node.closed ? offset < end : offset <= end);
  }
  return offset >= node.offset && offset <= end;
}

const WORD = /[^\s"'`,:[\]{}#]/;

/** The bare word around `offset` (what is being typed where the parser saw no token). */
function wordAt(text: string, offset: number): Token {
  let start = offset;
  while (start > 0 && WORD.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && WORD.test(text[end])) end++;
  return { offset: start, length: end - start };
}

/** A scalar's token, cut at the cursor when it is an unterminated string (it then runs to the end of the line). */
function tokenOf(text: string, node: AstNode, offset: number): Token {
  if (node.length === 0) return { offset, length: 0 };
  const quote = text[node.offset];
  if ((quote === '"' || quote === "'") && (node.length < 2 || text[node.offset + node.length - 1] !== quote)) {
    return { offset: node.offset, length: Math.max(0, offset - node.offset) };
  }
  return { offset: node.offset, length: node.length };
}

type Located =
  | { readonly at: 'key'; readonly object: ObjectNode; readonly property?: PropertyNode; readonly token: Token }
  | { readonly at: 'item'; readonly array: ArrayNode; readonly item?: AstNode; readonly token: Token }
  | { readonly at: 'value'; readonly property: PropertyNode; readonly value?: AstNode; readonly token: Token };

/**
 * Finds the innermost place holding `probe` (where the structure is read) for a cursor at `offset` (where the
 * word is read; they differ only after trailing blanks in YAML).
 */
function locate(root: AstNode, text: string, probe: number, offset: number, yaml: boolean): Located | undefined {
  let node = root;
  if (!inside(text, node, probe)) return undefined;
  for (;;) {
    if (node.type === 'object') {
      let next: AstNode | undefined;
      for (const p of node.properties) {
        if (probe >= p.key.offset && probe <= p.key.offset + p.key.length && p.key.length > 0) {
          return { at: 'key', object: node, property: p, token: tokenOf(text, p.key, offset) };
        }
        const emptyValue = !p.value || (p.value.type === 'null' && p.value.length === 0);
        if (p.value && !emptyValue && inside(text, p.value, probe)) {
          next = p.value;
          break;
        }
        if (p.colonOffset >= 0 && probe > p.colonOffset && (emptyValue || probe <= p.value!.offset)) {
          const between = text.slice(p.colonOffset + 1, probe);
          if (yaml ? /^[ \t]*$/.test(between) : /^\s*$/.test(between)) {
            return { at: 'value', property: p, token: { offset, length: 0 } };
          }
        }
      }
      if (!next) return { at: 'key', object: node, token: wordAt(text, offset) };
      node = next;
    } else if (node.type === 'array') {
      const item = node.items.find((i) => inside(text, i, probe));
      if (!item) return { at: 'item', array: node, token: wordAt(text, offset) };
      node = item;
    } else {
      // A value only known at deploy (`${Stage}` of `Fn::Sub`, `!Ref`): not ours to replace.
      if (node.type === 'unknown') return undefined;
      const parent = node.parent;
      const token = tokenOf(text, node, offset);
      if (parent?.type === 'array') return { at: 'item', array: parent, item: node, token };
      if (parent?.type === 'property') return { at: 'value', property: parent, value: node, token };
      return undefined;
    }
  }
}

/** The slot for a key in `object`, or in a new object under `under` (a YAML key with an empty value). */
function keySlot(
  root: AstNode,
  object: ObjectNode | undefined,
  under: PropertyNode | undefined,
  except?: PropertyNode,
): Slot | undefined {
  const existing = new Set((object?.properties ?? []).filter((p) => p !== except).map((p) => p.key.value));
  if (object && isMatchExpression(object)) {
    return { kind: 'operator', path: fieldPathOf(object.parent!, root), taken: existing.size > 0 };
  }
  const holder = object ? object.parent : under;
  if (holder?.type === 'property') {
    const op = operatorOf(holder);
    if (op && !op.outer) {
      return {
        kind: 'operator',
        path: fieldPathOf(op.expression.parent!, root),
        outer: op.operator,
        taken: existing.size > 0,
      };
    }
    if (op) return undefined;
  }
  if (object) return { kind: 'field', path: object === root ? [] : fieldPathOf(object, root), existing };
  if (!under) return { kind: 'field', path: [], existing };
  const own = under.key.value === '$or' ? [] : under.key.value.split('.');
  return { kind: 'field', path: [...fieldPathOf(under.key, root), ...own], existing };
}

function slotOf(root: AstNode, text: string, located: Located): Slot | undefined {
  switch (located.at) {
    case 'key':
      return keySlot(root, located.object, undefined, located.property);
    case 'item': {
      const holder = located.array.parent;
      if (holder?.type === 'property' && holder.key.value === '$or') {
        // A new `$or` branch in a YAML block sequence (`- |`): its first key.
        return text[located.array.offset] === '-' ? keySlot(root, undefined, holder) : undefined;
      }
      if (holder?.type === 'property') {
        const op = operatorOf(holder);
        if (op) {
          const index = located.item ? located.array.items.indexOf(located.item) : located.array.items.length;
          return { kind: 'operand', path: fieldPathOf(op.expression.parent!, root), operator: op.operator, index };
        }
      }
      const existing = new Set<string>();
      for (const item of located.array.items)
        if (item !== located.item && item.type === 'string') existing.add(item.value);
      return {
        kind: 'matchValue',
        path: fieldPathOf(located.array, root),
        existing,
        blockItem: text[located.array.offset] === '-',
      };
    }
    case 'value': {
      const property = located.property;
      const op = operatorOf(property);
      if (op) return { kind: 'operand', path: fieldPathOf(op.expression.parent!, root), operator: op.operator };
      if (property.key.value === '$or') return undefined;
      // A YAML value on the line below its key is the first key of a block mapping being typed.
      const value = located.value;
      if (value && value.length > 0 && text.slice(property.key.offset, value.offset).includes('\n')) {
        return keySlot(root, undefined, property);
      }
      return { kind: 'fieldValue', path: [...fieldPathOf(property.key, root), ...property.key.value.split('.')] };
    }
  }
}

function findPlace(analysis: DocumentAnalysis, docOffset: number): Place | undefined {
  const yamlDoc = analysis.languageId === 'yaml';
  const direct = placeInSite(analysis, docOffset, docOffset);
  if (direct || !yamlDoc) return direct;
  // YAML: after `key: ` or `- ` the node ends before the blanks; read the structure just before them.
  const text = analysis.text;
  let probe = docOffset;
  while (probe > 0 && (text[probe - 1] === ' ' || text[probe - 1] === '\t')) probe--;
  if (probe < docOffset && (text[probe - 1] === ':' || text[probe - 1] === '-')) {
    const after = placeInSite(analysis, probe, docOffset);
    if (after) return after;
  }
  return blankLinePlace(analysis, docOffset);
}

function placeInSite(analysis: DocumentAnalysis, probe: number, docOffset: number): Place | undefined {
  const view = siteView(analysis, probe);
  if (view && isFirstWordOfBlockPattern(analysis, view.site)) {
    // `EventPattern:` and a word on the next line: YAML reads a string, the user is typing the first key.
    const node = view.site.site.node;
    const objectView: SiteView = { ...view, text: analysis.text, offset: docOffset, toRange: documentRange };
    const token = { offset: node.offset, length: node.length };
    return {
      view: objectView,
      slot: { kind: 'field', path: [], existing: new Set() },
      token,
      syntax: 'yamlBlock',
      colonAfter: false,
    };
  }
  const root = view?.site.patternRoot;
  if (!view || !root) return undefined;
  const stringForm = view.site.site.form === 'string';
  const yaml = analysis.languageId === 'yaml' && !stringForm;
  const offset = stringForm ? (view.site.fromDocument(docOffset) ?? view.offset) : docOffset;
  const located = locate(root, view.text, view.offset, offset, yaml);
  const slot = located && slotOf(root, view.text, located);
  if (!located || !slot) return undefined;
  const container =
    located.at === 'key' ? located.object : located.at === 'item' ? located.array : located.property.parent;
  const syntax: Syntax = !yaml
    ? 'json'
    : slot.kind === 'field' && located.at === 'value'
      ? 'yamlBlock'
      : container && isBracketed(view.text, container)
        ? 'yamlFlow'
        : 'yamlBlock';
  const colonAfter = located.at === 'key' && located.property !== undefined && located.property.colonOffset >= 0;
  return { view: { ...view, offset }, slot, token: located.token, syntax, colonAfter };
}

const documentRange: SiteView['toRange'] = (document, at, length) => ({
  start: document.positionAt(at),
  end: document.positionAt(at + length),
});

/** A plain YAML word on the line below the pattern's key, which cannot be JSON text. */
function isFirstWordOfBlockPattern(analysis: DocumentAnalysis, site: AnalyzedSite): boolean {
  const s = site.site;
  if (s.form !== 'string' || analysis.languageId !== 'yaml' || stringStyleOf(s.node) !== 'plain') return false;
  // Filters must be strings: there a word is a (broken) string pattern.
  if (s.kind === 'pipeFilter' || s.kind === 'eventSourceMappingFilter' || s.kind === 'samPullEventFilter') return false;
  if (!/^[\w$.-]*$/.test(s.text)) return false;
  const holder = s.valueNode.parent;
  return holder?.type === 'property' && analysis.text.slice(holder.key.offset, s.node.offset).includes('\n');
}

/**
 * A blank YAML line inside a block mapping: the key's column says which mapping it belongs to (a sibling of the
 * key above at the same column, or the first key under a `key:` with an empty value).
 */
function blankLinePlace(analysis: DocumentAnalysis, docOffset: number): Place | undefined {
  const text = analysis.text;
  const lineStart = text.lastIndexOf('\n', docOffset - 1) + 1;
  const before = text.slice(lineStart, docOffset);
  const lineEnd = text.indexOf('\n', docOffset);
  const after = text.slice(docOffset, lineEnd < 0 ? text.length : lineEnd);
  if (!/^[ \t]*$/.test(before) || !/^[ \t]*(?:#.*)?\r?$/.test(after)) return undefined;
  const column = before.length;
  for (let end = lineStart - 1; end > 0;) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).replace(/\r$/, '');
    const content = line.trimStart();
    const indent = line.length - content.length;
    if (content === '' || content.startsWith('#') || indent > column) {
      end = start - 1;
      continue;
    }
    const dashes = /^(?:-[ \t]+)*/.exec(content)![0].length;
    const keyColumn = indent + dashes;
    const property = propertyWithKeyAt(analysis.root, start + keyColumn);
    if (!property) return undefined;
    const emptyValue = !property.value || (property.value.type === 'null' && property.value.length === 0);
    let object: ObjectNode | undefined;
    let under: PropertyNode | undefined;
    if (keyColumn === column && property.parent) object = property.parent;
    else if (keyColumn < column && emptyValue) under = property;
    else return undefined;
    const anchor = object ?? property.value ?? property.key;
    const site = analysis.sites.find(
      (s) =>
        s.site.form === 'object' &&
        s.patternRoot !== undefined &&
        ((under !== undefined && s.site.valueNode === under.value) ||
          (anchor.offset >= s.site.range.offset &&
            anchor.offset + anchor.length <= s.site.range.offset + s.site.range.length)),
    );
    if (!site?.patternRoot) return undefined;
    const root = site.patternRoot;
    const slot = under && under.value === root ? keySlot(root, undefined, undefined) : keySlot(root, object, under);
    if (!slot) return undefined;
    const view: SiteView = { site, text, offset: docOffset, toRange: documentRange };
    return { view, slot, token: { offset: docOffset, length: 0 }, syntax: 'yamlBlock', colonAfter: false };
  }
  return undefined;
}

/** The property whose key starts at `keyOffset`, anywhere in the document (through intrinsic arguments too). */
function propertyWithKeyAt(root: AstNode | undefined, keyOffset: number): PropertyNode | undefined {
  let node = root;
  while (node) {
    let next: AstNode | undefined;
    const holds = (n: AstNode | undefined): boolean =>
      n !== undefined && keyOffset >= n.offset && keyOffset <= n.offset + n.length;
    if (node.type === 'object') {
      for (const p of node.properties) {
        if (p.key.offset === keyOffset) return p;
        if (holds(p.value)) next = p.value;
      }
    } else if (node.type === 'array') {
      next = node.items.find(holds);
    } else if (isIntrinsicNode(node) && holds(node.argument)) {
      next = node.argument;
    }
    node = next;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing items

/** A snippet as parts: literal text in the target syntax, and tab stops. */
type Part = string | { readonly tab: number; readonly choices?: readonly string[] };

const YAML_SPECIAL_START = /^[-?:,[\]{}#&*!|>'"%@`\s]/;
const YAML_NON_STRING =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** A string as this syntax writes it: quoted in JSON, plain in YAML when that reads back as the same string. */
function scalar(value: string, syntax: Syntax, quote?: '"' | "'"): string {
  if (syntax === 'json' || quote === '"') return JSON.stringify(value);
  if (quote === "'") return `'${value.replace(/'/g, "''")}'`;
  const flowUnsafe = syntax === 'yamlFlow' && /[,[\]{}]/.test(value);
  const plain =
    value !== '' &&
    !YAML_SPECIAL_START.test(value) &&
    !/\s$/.test(value) &&
    !/: |:$| #/.test(value) &&
    !flowUnsafe &&
    !YAML_NON_STRING.test(value);
  return plain ? value : JSON.stringify(value);
}

/** An empty string to type into: `"$1"` in JSON, `$1` in YAML. */
const stringStop = (syntax: Syntax, tab: number): Part[] => (syntax === 'json' ? ['"', { tab }, '"'] : [{ tab }]);

/** The value written after an operator's key. */
function operatorValue(operator: string, syntax: Syntax, range = false): Part[] {
  // Comparison operators stay quoted in YAML too: a plain `>` would start a folded block scalar.
  const q = (s: string): string => `"${s}"`;
  switch (operator) {
    case 'numeric':
      return range
        ? [`[${q('>=')}, `, { tab: 1 }, `, ${q('<')}, `, { tab: 2 }, ']']
        : [`[${q('>')}, `, { tab: 1 }, ']'];
    case 'exists':
      return [{ tab: 1, choices: ['true', 'false'] }];
    case 'anything-but':
      return ['[', ...stringStop(syntax, 1), ']'];
    default:
      return stringStop(syntax, 1);
  }
}

const key = (name: string, syntax: Syntax): string => (syntax === 'json' ? JSON.stringify(name) : scalar(name, syntax));

interface Writer {
  readonly service: LanguageService;
  readonly place: Place;
  readonly document: TextDocument;
  /** Escapes literal text for the string the pattern is written in (identity for object-form patterns). */
  readonly host: (s: string) => string;
  /** Commas the new entry needs around it in JSON and YAML flow collections. */
  readonly before: string;
  readonly after: string;
}

function render(parts: readonly Part[], host: (s: string) => string): { text: string; snippet: boolean } {
  let snippet = false;
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      // Only `$` and `\\` need escaping: literal parts are never inside a placeholder, where `}` would.
      text += host(part).replace(/[\\$]/g, '\\$&');
    } else {
      snippet = true;
      text += part.choices ? `\${${part.tab}|${part.choices.join(',')}|}` : `$${part.tab}`;
    }
  }
  return { text, snippet };
}

function item(
  w: Writer,
  label: string,
  kind: CompletionItemKind,
  parts: readonly Part[],
  extra: { detail?: string; doc?: string; sortText: string; filter?: string },
): CompletionItem {
  const whole: Part[] = [w.before, ...parts, w.after];
  const { text, snippet } = render(whole, w.host);
  const unescaped = whole.map((p) => (typeof p === 'string' ? w.host(p) : '')).join('');
  const range = w.place.view.toRange(w.document, w.place.token.offset, w.place.token.length);
  const result: CompletionItem = {
    label,
    kind,
    textEdit: { range, newText: snippet ? text : unescaped },
    insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    sortText: extra.sortText,
    filterText: extra.filter !== undefined ? w.host(extra.filter) : snippet ? label : unescaped,
  };
  if (snippet && unescaped.includes('\n')) result.insertTextMode = InsertTextMode.adjustIndentation;
  if (extra.detail) result.detail = extra.detail;
  if (extra.doc) result.documentation = { kind: MarkupKind.Markdown, value: extra.doc };
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// What to offer

function fieldItems(w: Writer, path: readonly string[], existing: ReadonlySet<string>): CompletionItem[] {
  const { place } = w;
  const dialect = place.view.site.site.dialect;
  const root = place.view.site.patternRoot;
  const out: CompletionItem[] = [];
  const add = (
    name: string,
    object: boolean,
    summary: string,
    doc: string,
    sort: string,
    kind: CompletionItemKind = CompletionItemKind.Property,
  ): void => {
    if (existing.has(name)) return;
    out.push(
      item(w, name, kind, keyParts(name, object, place), {
        detail: summary,
        doc,
        sortText: sort,
        filter: keyFilter(name, place),
      }),
    );
  };
  const filtering = dialect === 'pipes' || dialect === 'lambda';
  if (dialect === 'sns') {
    // An SNS filter policy has no envelope: its keys are the message's own attribute or body property names.
    add('$or', false, 'any of several sub-policies', OR_DOC, '9', CompletionItemKind.Keyword);
    return out;
  }
  if (path.length === 0) {
    const fields = filtering ? FILTER_RECORD_FIELDS : ENVELOPE_FIELDS;
    fields.forEach((f, i) =>
      add(f.name, f.object === true, f.summary, `**${f.name}**: ${f.doc}`, `1${String(i).padStart(3, '0')}`),
    );
  } else if (path[0] === 'detail' && !filtering) {
    const catalog = availableCatalog();
    const fields = catalog ? detailFieldsAt(catalog, chosenEvents(root), path.slice(1)) : [];
    fields.forEach(({ field, schemas }, i) => {
      const nested = (field.children?.length ?? 0) > 0 && field.type !== 'map';
      const type = fieldTypeText(field);
      const from = schemas.length > 3 ? `${schemas.slice(0, 3).join(', ')}, …` : schemas.join(', ');
      add(
        field.name,
        nested,
        type,
        `**${[...path, field.name].join('.')}**: \`${type}\`${field.required ? ', required' : ''}\n\nFrom ${from}.`,
        `1${String(i).padStart(3, '0')}`,
      );
    });
    // A custom source's fields, as its sample events (or a schema registry) have them.
    const known = new Set(fields.map((f) => f.field.name));
    learnedFieldsBelow(w.service, chosenEvents(root), path.slice(1)).forEach((f, i) => {
      if (known.has(f.name)) return;
      const dotted = [...path, f.name].join('.');
      add(
        f.name,
        isLearnedObject(f),
        learnedTypeText(f.field),
        learnedFieldMarkdown(dotted, f, w.service),
        `1${String(i).padStart(3, '0')}`,
      );
    });
  }
  add('$or', false, 'any of several sub-patterns', OR_DOC, '9', CompletionItemKind.Keyword);
  return out;
}

/** A learned field written as a nested pattern: an object (or an array of objects), never a scalar. */
function isLearnedObject(f: FoundField): boolean {
  const scalar = f.field.types.some((t) => t !== 'object' && t !== 'array' && t !== 'null');
  const scalarItems = (f.field.itemTypes ?? []).some((t) => t !== 'object' && t !== 'null');
  return f.hasChildren && !scalar && !scalarItems;
}

/** A key with the value that usually follows it. */
function keyParts(name: string, object: boolean, place: Place): Part[] {
  const { syntax } = place;
  const k = key(name, syntax);
  if (place.colonAfter) return [k];
  if (name === '$or') {
    if (syntax === 'json') return [`${k}: [{`, { tab: 1 }, '}, {', { tab: 2 }, '}]'];
    if (syntax === 'yamlFlow') return [`${k}: [{`, { tab: 1 }, '}, {', { tab: 2 }, '}]'];
    return [`${k}:\n  - `, { tab: 1 }, '\n  - ', { tab: 2 }];
  }
  if (object) return syntax === 'yamlBlock' ? [`${k}:\n  `, { tab: 1 }] : [`${k}: {`, { tab: 1 }, '}'];
  return [`${k}: [`, ...stringStop(syntax, 1), ']'];
}

/** What VS Code compares with the typed text: quoted when the replaced token is (JSON, or a quoted YAML key). */
function keyFilter(name: string, place: Place): string {
  const first = place.view.text[place.token.offset];
  if (place.token.length > 0 && (first === '"' || first === "'")) return `${first}${name}${first}`;
  return place.syntax === 'json' ? JSON.stringify(name) : name;
}

function operatorItems(w: Writer, outer: string | undefined): CompletionItem[] {
  const { place } = w;
  const dialect = place.view.site.site.dialect;
  const names = outer ? (NESTED_OPERATORS[outer] ?? []) : Object.keys(OPERATOR_DOCS);
  const out: CompletionItem[] = [];
  names.forEach((name, i) => {
    const support = operatorSupport(dialect, name, outer);
    if (support === 'unsupported') return;
    const variants = name === 'numeric' && !outer ? [false, true] : [false];
    for (const range of variants) {
      const value = operatorValue(name, place.syntax, range);
      const parts: Part[] = place.colonAfter ? [key(name, place.syntax)] : [`${key(name, place.syntax)}: `, ...value];
      out.push(
        item(w, range ? 'numeric (range)' : name, CompletionItemKind.Operator, parts, {
          detail: operatorDetail(name, support),
          doc: operatorMarkdown(name, dialect, outer),
          sortText: `2${String(i).padStart(2, '0')}${range ? '1' : '0'}`,
          filter: keyFilter(name, place),
        }),
      );
    }
  });
  return out;
}

function operatorDetail(name: string, support: 'supported' | 'undocumented' | 'unsupported'): string {
  const summary = OPERATOR_DOCS[name]?.summary ?? name;
  return support === 'undocumented' ? `${summary} (not documented for this dialect)` : summary;
}

/** Whole match expressions for a match list: `{"prefix": "$1"}`, or `prefix: $1` as a YAML block item. */
function expressionItems(w: Writer, blockItem: boolean): CompletionItem[] {
  const { place } = w;
  const dialect = place.view.site.site.dialect;
  const syntax = place.syntax;
  const out: CompletionItem[] = [];
  const push = (label: string, parts: Part[], detail: string, doc: string, sort: string): void => {
    const whole = blockItem ? parts : ['{', ...parts, '}'];
    out.push(item(w, label, CompletionItemKind.Operator, whole, { detail, doc, sortText: sort, filter: label }));
  };
  Object.keys(OPERATOR_DOCS).forEach((name, i) => {
    const support = operatorSupport(dialect, name);
    if (support === 'unsupported') return;
    const k = key(name, syntax);
    const sort = `2${String(i).padStart(2, '0')}`;
    push(
      name,
      [`${k}: `, ...operatorValue(name, syntax)],
      operatorDetail(name, support),
      operatorMarkdown(name, dialect),
      `${sort}0`,
    );
    if (name === 'numeric') {
      push(
        'numeric (range)',
        [`${k}: `, ...operatorValue(name, syntax, true)],
        'number in a range',
        operatorMarkdown(name, dialect),
        `${sort}1`,
      );
    }
    for (const inner of name === 'anything-but' ? (NESTED_OPERATORS['anything-but'] ?? []) : []) {
      if (operatorSupport(dialect, inner, name) === 'unsupported') continue;
      push(
        `anything-but ${inner}`,
        [`${k}: {${key(inner, syntax)}: `, ...stringStop(syntax, 1), '}'],
        `anything except values matching ${inner}`,
        operatorMarkdown(inner, dialect, name),
        `${sort}2${inner}`,
      );
    }
    if ((name === 'prefix' || name === 'suffix') && operatorSupport(dialect, 'equals-ignore-case') !== 'unsupported') {
      push(
        `${name} ignoring case`,
        [`${k}: {${key('equals-ignore-case', syntax)}: `, ...stringStop(syntax, 1), '}'],
        `${OPERATOR_DOCS[name].summary}, ignoring case`,
        operatorMarkdown('equals-ignore-case', dialect, name),
        `${sort}1`,
      );
    }
  });
  return out;
}

/**
 * Known values of a field: every AWS source in the catalog, the documented detail-types of the chosen sources, and the
 * values a custom source's events have held in a `detail` field (learned from the samples, or a registry's enum).
 */
function knownValues(
  place: Place,
  path: readonly string[],
  service?: LanguageService,
): { values: readonly KnownValue[]; detail: string; details?: ReadonlyMap<KnownValue, string> } | undefined {
  const dialect = place.view.site.site.dialect;
  if (dialect === 'pipes' || dialect === 'lambda' || dialect === 'sns') return undefined;
  if (path.length > 1 && path[0] === 'detail' && service) {
    const learned = learnedFieldAt(service, chosenEvents(place.view.site.patternRoot), path.slice(1));
    if (!learned || learned.field.examples.length === 0) return undefined;
    const what = learned.field.enumLike ? 'value' : 'example';
    return {
      values: learned.field.examples,
      detail: `${what} of ${path.join('.')} (${learnedTypeText(learned.field)})`,
    };
  }
  if (path.length !== 1) return undefined;
  const catalog = availableCatalog();
  // Custom sources and their detail-types, as the user's own events (or schema registries) show them.
  const learned = service ? learnedSchemas(service).all.filter((s) => !catalog?.findSource(s.source)) : [];
  if (path[0] === 'source') {
    const own = [...new Set(learned.map((s) => s.source))].sort();
    if (own.length === 0) return catalog ? { values: catalog.sources(), detail: 'AWS event source' } : undefined;
    return {
      values: [...own, ...(catalog?.sources() ?? [])],
      detail: 'AWS event source',
      details: new Map(own.map((s) => [s, 'event source of your events'])),
    };
  }
  if (path[0] === 'detail-type') {
    const { sources } = chosenEvents(place.view.site.patternRoot);
    const own = learned.filter((s) => sources.includes(s.source));
    const ownTypes = [...new Set(own.map((s) => s.detailType))].sort();
    const known = catalog ? sources.filter((s) => catalog.findSource(s)) : [];
    if (!catalog) return ownTypes.length > 0 ? { values: ownTypes, detail: 'detail-type of your events' } : undefined;
    if (known.length === 0 && ownTypes.length === 0) return { values: catalog.allDetailTypes(), detail: 'detail-type' };
    // Every documented detail-type, with or without a schema, and CloudTrail's API calls where they are delivered.
    const values = [...new Set(known.flatMap((s) => catalog.documentedDetailTypes(s)))].sort();
    const mine = `detail-type of ${[...new Set(own.map((s) => s.source))].join(', ')}, from your events`;
    return {
      values: [...ownTypes, ...values.filter((v) => !ownTypes.includes(v))],
      detail: `detail-type of ${known.join(', ')}`,
      details: new Map(ownTypes.map((t) => [t, mine])),
    };
  }
  return undefined;
}

function valueItems(
  w: Writer,
  path: readonly string[],
  existing: ReadonlySet<string>,
  wrap: boolean,
): CompletionItem[] {
  const { place } = w;
  const known = knownValues(place, path, w.service);
  if (!known) return [];
  const first = place.token.length > 0 ? place.view.text[place.token.offset] : undefined;
  const quote = !wrap && (first === '"' || first === "'") ? first : undefined;
  return (
    known.values
      .filter((v) => typeof v !== 'string' || !existing.has(v))
      // Inside a started string only strings fit.
      .filter((v) => typeof v === 'string' || quote === undefined)
      .map((value) => {
        const v = typeof value === 'string' ? value : JSON.stringify(value);
        const written =
          typeof value === 'string'
            ? scalar(v, wrap && place.syntax === 'yamlBlock' ? 'yamlFlow' : place.syntax, quote)
            : v;
        const text = wrap ? `[${written}]` : written;
        return item(w, v, CompletionItemKind.Value, [text], {
          detail: known.details?.get(value) ?? known.detail,
          // The user's own sources and detail-types before the catalog's ('.' sorts before '0').
          sortText: known.details?.has(value) ? '.' : '0',
          filter: wrap ? v : written,
        });
      })
  );
}

function operandItems(w: Writer, slot: Extract<Slot, { kind: 'operand' }>): CompletionItem[] {
  const { place } = w;
  if (slot.operator === 'exists') {
    return ['true', 'false'].map((v) => item(w, v, CompletionItemKind.Value, [v], { sortText: '0' }));
  }
  if (slot.operator === 'numeric') {
    if (slot.index === undefined || slot.index % 2 === 1) return [];
    const ops = slot.index === 0 ? ['=', '<', '<=', '>', '>='] : ['<', '<='];
    return ops.map((op) =>
      item(w, op, CompletionItemKind.Operator, [scalar(op, place.syntax === 'json' ? 'json' : place.syntax, '"')], {
        sortText: '0',
        filter: place.syntax === 'json' || place.view.text[place.token.offset] === '"' ? `"${op}"` : op,
      }),
    );
  }
  if (['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'wildcard'].includes(slot.operator)) {
    return valueItems(w, slot.path, new Set(), false);
  }
  return [];
}

function fieldValueItems(w: Writer, path: readonly string[]): CompletionItem[] {
  const { place } = w;
  const dialect = place.view.site.site.dialect;
  const filtering = dialect === 'pipes' || dialect === 'lambda';
  const fields = filtering ? FILTER_RECORD_FIELDS : ENVELOPE_FIELDS;
  const isObject = path.length === 1 && dialect !== 'sns' ? fields.some((f) => f.name === path[0] && f.object) : false;
  const yamlBlockObject = place.syntax === 'yamlBlock';
  const out: CompletionItem[] = [];
  if (isObject) {
    if (!yamlBlockObject)
      out.push(
        item(w, '{}', CompletionItemKind.Struct, ['{', { tab: 1 }, '}'], { detail: 'nested pattern', sortText: '1' }),
      );
    return out;
  }
  out.push(
    item(
      w,
      '[]',
      CompletionItemKind.Value,
      ['[', ...stringStop(place.syntax === 'yamlBlock' ? 'yamlFlow' : place.syntax, 1), ']'],
      {
        detail: 'match list: any of these values',
        sortText: '1',
      },
    ),
  );
  return [...valueItems(w, path, new Set(), true), ...out];
}

// ---------------------------------------------------------------------------------------------------------------
// Patterns in code (AWS CDK, Terraform): keys and values written by the site's syntax (codeSyntax.ts). Operators
// are not offered there: each language writes them its own way (CDK's `Match` helpers replace a whole list).

function codeItems(w: Writer, syntax: CodeSyntax): CompletionItem[] {
  const { place } = w;
  const slot = place.slot;
  switch (slot.kind) {
    case 'field':
      return codeFieldItems(w, syntax, slot.path, slot.existing);
    case 'matchValue':
      return codeValueItems(w, syntax, slot.path, slot.existing, false);
    case 'fieldValue':
      return codeFieldValueItems(w, syntax, slot.path);
    case 'operand':
      return ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'wildcard'].includes(slot.operator)
        ? codeValueItems(w, syntax, slot.path, new Set(), false)
        : [];
    case 'operator':
      return slot.taken ? [] : codeOperatorItems(w, syntax, slot.path, slot.outer);
  }
}

/**
 * The operators of the site's dialect as keys of a match expression written in code (`prefix = ""` in HCL,
 * `prefix: ''` in TypeScript), the value left for the user to write.
 */
function codeOperatorItems(
  w: Writer,
  syntax: CodeSyntax,
  path: readonly string[],
  outer: string | undefined,
): CompletionItem[] {
  const { place } = w;
  const dialect = place.view.site.site.dialect;
  const at = [...path, 0] as JsonPath;
  const sep = syntax.keyValueSeparator(at);
  const names = outer ? (NESTED_OPERATORS[outer] ?? []) : Object.keys(OPERATOR_DOCS);
  const out: CompletionItem[] = [];
  names.forEach((name, i) => {
    const support = operatorSupport(dialect, name, outer);
    if (support === 'unsupported') return;
    const written = syntax.key(name, at);
    const empty = syntax.value('', at);
    const value: Part[] =
      name === 'numeric'
        ? ['[', { tab: 1 }, ']']
        : name === 'exists'
          ? [{ tab: 1 }]
          : [empty.slice(0, 1), { tab: 1 }, empty.slice(1)];
    const label = unquoted(written);
    out.push(
      item(w, label, CompletionItemKind.Operator, place.colonAfter ? [written] : [`${written}${sep}`, ...value], {
        detail: operatorDetail(name, support),
        doc: operatorMarkdown(name, dialect, outer),
        sortText: `2${String(i).padStart(2, '0')}`,
        filter: label,
      }),
    );
  });
  return out;
}

/** A quoted key's text without its quotes, for labels. */
const unquoted = (written: string): string =>
  /^(["'`]).*\1$/s.test(written) && written.length >= 2 ? written.slice(1, -1) : written;

function codeFieldItems(
  w: Writer,
  syntax: CodeSyntax,
  path: readonly string[],
  existing: ReadonlySet<string>,
): CompletionItem[] {
  const { place } = w;
  const out: CompletionItem[] = [];
  const sep = syntax.keyValueSeparator(path as JsonPath);
  const startsQuoted = place.token.length > 0 && /["']/.test(place.view.text[place.token.offset]);
  for (const f of fieldsAt(place, path, w.service)) {
    if (existing.has(f.name) || syntax.canWriteKey?.(f.name, path as JsonPath) === false) continue;
    const written = syntax.key(f.name, path as JsonPath);
    const parts: Part[] = place.colonAfter
      ? [written]
      : f.name === '$or'
        ? [`${written}${sep}[{`, { tab: 1 }, '}, {', { tab: 2 }, '}]']
        : f.object
          ? [`${written}${sep}{`, { tab: 1 }, '}']
          : [`${written}${sep}[`, { tab: 1 }, ']'];
    const label = unquoted(written);
    out.push(
      item(w, label, f.name === '$or' ? CompletionItemKind.Keyword : CompletionItemKind.Property, parts, {
        detail: label === f.name ? f.summary : `${f.name}: ${f.summary}`,
        doc: f.doc,
        sortText: f.sort,
        filter: startsQuoted ? written : label,
      }),
    );
  }
  return out;
}

interface FieldChoice {
  readonly name: string;
  readonly object: boolean;
  readonly summary: string;
  readonly doc: string;
  readonly sort: string;
}

/** The keys that may be written in the pattern object at `path`: envelope or filter fields, catalog fields, `$or`. */
function fieldsAt(place: Place, path: readonly string[], service: LanguageService): FieldChoice[] {
  const dialect = place.view.site.site.dialect;
  // An SNS filter policy has no envelope: its keys are the message's own attribute or body property names.
  if (dialect === 'sns')
    return [{ name: '$or', object: false, summary: 'any of several sub-policies', doc: OR_DOC, sort: '9' }];
  const filtering = dialect === 'pipes' || dialect === 'lambda';
  const out: FieldChoice[] = [];
  const sort = (i: number): string => `1${String(i).padStart(3, '0')}`;
  if (path.length === 0) {
    (filtering ? FILTER_RECORD_FIELDS : ENVELOPE_FIELDS).forEach((f, i) =>
      out.push({
        name: f.name,
        object: f.object === true,
        summary: f.summary,
        doc: `**${f.name}**: ${f.doc}`,
        sort: sort(i),
      }),
    );
  } else if (path[0] === 'detail' && !filtering) {
    const catalog = availableCatalog();
    const fields = catalog ? detailFieldsAt(catalog, chosenEvents(place.view.site.patternRoot), path.slice(1)) : [];
    fields.forEach(({ field }, i) => {
      const type = fieldTypeText(field);
      out.push({
        name: field.name,
        object: (field.children?.length ?? 0) > 0 && field.type !== 'map',
        summary: type,
        doc: `**${[...path, field.name].join('.')}**: \`${type}\`${field.required ? ', required' : ''}`,
        sort: sort(i),
      });
    });
    const known = new Set(fields.map((f) => f.field.name));
    learnedFieldsBelow(service, chosenEvents(place.view.site.patternRoot), path.slice(1)).forEach((f, i) => {
      if (known.has(f.name)) return;
      out.push({
        name: f.name,
        object: isLearnedObject(f),
        summary: learnedTypeText(f.field),
        doc: learnedFieldMarkdown([...path, f.name].join('.'), f, service),
        sort: sort(i),
      });
    });
  }
  out.push({ name: '$or', object: false, summary: 'any of several sub-patterns', doc: OR_DOC, sort: '9' });
  return out;
}

function codeValueItems(
  w: Writer,
  syntax: CodeSyntax,
  path: readonly string[],
  existing: ReadonlySet<string>,
  wrap: boolean,
): CompletionItem[] {
  const { place } = w;
  const known = knownValues(place, path, w.service);
  if (!known) return [];
  // Only a value the code writes literally is replaced (not one made up from a helper call).
  const node = tokenNode(place);
  if (node && !syntax.isLiteral(node)) return [];
  return known.values
    .filter((v) => typeof v !== 'string' || !existing.has(v))
    .map((v) => {
      const written = syntax.value(wrap ? [v] : v, path as JsonPath);
      const label = typeof v === 'string' ? v : JSON.stringify(v);
      return item(w, label, CompletionItemKind.Value, [written], {
        detail: known.details?.get(v) ?? known.detail,
        sortText: known.details?.has(v) ? '.' : '0',
        filter: wrap ? label : written,
      });
    });
}

function codeFieldValueItems(w: Writer, syntax: CodeSyntax, path: readonly string[]): CompletionItem[] {
  const { place } = w;
  const dialect = place.view.site.site.dialect;
  const filtering = dialect === 'pipes' || dialect === 'lambda';
  const fields = filtering ? FILTER_RECORD_FIELDS : ENVELOPE_FIELDS;
  if (path.length === 1 && fields.some((f) => f.name === path[0] && f.object)) {
    return [
      item(w, '{}', CompletionItemKind.Struct, ['{', { tab: 1 }, '}'], { detail: 'nested pattern', sortText: '1' }),
    ];
  }
  return [
    ...codeValueItems(w, syntax, path, new Set(), true),
    item(w, '[]', CompletionItemKind.Value, ['[', { tab: 1 }, ']'], {
      detail: 'match list: any of these values',
      sortText: '1',
    }),
  ];
}

/** The pattern node whose text the completion replaces, if the token is one. */
function tokenNode(place: Place): AstNode | undefined {
  const root = place.view.site.patternRoot;
  const { offset, length } = place.token;
  if (!root || length === 0) return undefined;
  const work: AstNode[] = [root];
  while (work.length > 0) {
    const n = work.pop()!;
    if (n.offset === offset && n.length === length && n.type !== 'object' && n.type !== 'array') return n;
    if (n.type === 'object') for (const p of n.properties) if (p.value) work.push(p.value);
    if (n.type === 'array') work.push(...n.items);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Entry point

/** Escapes text for the string a string-form pattern is written in. */
function hostEscaper(site: AnalyzedSite): (s: string) => string {
  if (site.site.form !== 'string') return (s) => s;
  const style = stringStyleOf(site.site.node);
  if (style === 'json' || style === 'double') return (s) => s.replace(/[\\"]/g, '\\$&');
  if (style === 'single') return (s) => s.replace(/'/g, "''");
  return (s) => s;
}

/** `, ` before an entry that follows another one, `, ` after it when one follows (flow syntax only). */
function separators(place: Place): { before: string; after: string } {
  const { slot, syntax, token } = place;
  const text = place.view.text;
  const entry =
    slot.kind === 'field' ||
    slot.kind === 'operator' ||
    slot.kind === 'matchValue' ||
    (slot.kind === 'operand' && slot.operator === 'numeric');
  if (syntax === 'yamlBlock' || !entry) return { before: '', after: '' };
  let i = token.offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  let j = token.offset + token.length;
  // Only what follows on the same line: a broken line must not pull the next line's entry into it.
  while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
  const previous = i >= 0 ? text[i] : '';
  const next = j < text.length ? text[j] : '';
  return {
    before: previous !== '' && !'{[,:'.includes(previous) ? ', ' : '',
    after: next !== '' && !'}],:\r\n'.includes(next) ? ', ' : '',
  };
}

export function doComplete(
  service: LanguageService,
  document: TextDocument,
  position: Position,
): CompletionList | null {
  const analysis = service.analyze(document);
  const place = findPlace(analysis, document.offsetAt(position));
  if (!place) return null;
  const slot = place.slot;
  const w: Writer = { service, place, document, host: hostEscaper(place.view.site), ...separators(place) };
  const code = place.view.site.site.syntax;
  if (code) return { isIncomplete: false, items: codeItems(w, code) };
  let items: CompletionItem[];
  switch (slot.kind) {
    case 'field':
      items = fieldItems(w, slot.path, slot.existing);
      break;
    case 'operator':
      items = slot.taken ? [] : operatorItems(w, slot.outer);
      break;
    case 'matchValue': {
      const token = place.view.text[place.token.offset];
      // Once a string is started, only values fit; expressions are offered where a value can begin.
      const inString = place.token.length > 0 && (token === '"' || token === "'");
      items = [
        ...valueItems(w, slot.path, slot.existing, false),
        ...(inString ? [] : expressionItems(w, slot.blockItem)),
      ];
      break;
    }
    case 'operand':
      items = operandItems(w, slot);
      break;
    case 'fieldValue':
      items = fieldValueItems(w, slot.path);
      break;
  }
  return { isIncomplete: false, items };
}
