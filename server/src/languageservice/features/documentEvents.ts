// The events written in a document, for "Create Pattern from Event": in JSON and YAML, objects with `source` and
// `detail-type` (events as EventBridge delivers them) and PutEvents entries (`Source`, `DetailType`, `Detail`); in
// TypeScript / JavaScript and Python, PutEvents entries written as literals (`{Source: ..., DetailType: ...,
// Detail: JSON.stringify({...})}`, `{"Source": ..., "Detail": json.dumps({...})}`). An entry becomes the event
// EventBridge makes of it. Values the code computes (names, calls other than JSON.stringify / json.dumps) are left out.

import { randomUUID } from 'node:crypto';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import type { Node } from 'web-tree-sitter';
import type { Answer, EventObject, FoundEvent } from '../../../../shared';
import { toPlainValue, type AstNode } from '../../engine';
import { envelopeFromPutEventsEntry } from '../../eventbridge';
import { isGrammarLoaded, parseCode, type GrammarId } from '../parsing/codeGrammars';
import type { LanguageService } from '../languageService';
import { decodeJsString } from '../sites/cdkTypeScriptSites';
import { decodePythonString } from '../sites/cdkPythonSites';
import { codeLanguageOf, grammarOf } from '../sites/codeSites';

/** The account and region an entry is put from (as the CLI's match-rules does). */
const ENTRY_ACCOUNT_ID = '123456789012';
const ENTRY_REGION = 'us-east-1';

interface Located {
  readonly value: Record<string, unknown>;
  readonly offset: number;
  readonly length: number;
}

/** Whether a plain object is an event (source and detail-type) or a PutEvents entry (Source and DetailType). */
function formOf(value: unknown): FoundEvent['form'] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o.source === 'string' && typeof o['detail-type'] === 'string') return 'event';
  if (typeof o.Source === 'string' && typeof o.DetailType === 'string') return 'putEventsEntry';
  return undefined;
}

/** The event of an event or a PutEvents entry (Detail as JSON text or, as tests often write it, an object). */
export function eventOf(value: Record<string, unknown>): EventObject | string {
  if (formOf(value) === 'event') return value;
  const detail = value.Detail;
  const entry: Record<string, unknown> = {
    ...value,
    Detail: detail !== null && typeof detail === 'object' ? JSON.stringify(detail) : (detail ?? '{}'),
  };
  if (typeof entry.Time === 'string') entry.Time = Date.parse(entry.Time) / 1000;
  const built = envelopeFromPutEventsEntry(entry, {
    accountId: ENTRY_ACCOUNT_ID,
    region: ENTRY_REGION,
    newId: randomUUID,
    nowSeconds: () => Date.now() / 1000,
  });
  return 'ErrorCode' in built ? `PutEvents entry: ${built.ErrorMessage}` : { ...built.event };
}

function found(document: TextDocument, located: Located): FoundEvent | undefined {
  const form = formOf(located.value);
  if (!form) return undefined;
  const event = eventOf(located.value);
  if (typeof event === 'string') return undefined;
  const range: Range = {
    start: document.positionAt(located.offset),
    end: document.positionAt(located.offset + located.length),
  };
  const label = `${String(event.source)} / ${String(event['detail-type'])}${form === 'putEventsEntry' ? ' (PutEvents entry)' : ''}`;
  return { label, event, range, form };
}

/** Objects of the house AST that are events or entries (an event's own `detail` is not searched). */
function astEvents(root: AstNode | undefined): Located[] {
  const out: Located[] = [];
  const visit = (node: AstNode | undefined, depth: number): void => {
    if (!node || depth > 64) return;
    if (node.type === 'array') for (const item of node.items) visit(item, depth + 1);
    if (node.type !== 'object') return;
    // Only an object with the keys is converted (a template has thousands of others, read on every cursor move).
    const keys = new Set(node.properties.map((p) => p.key.value));
    const candidate = (keys.has('source') && keys.has('detail-type')) || (keys.has('Source') && keys.has('DetailType'));
    const value = candidate ? toPlainValue(node) : undefined;
    if (formOf(value)) {
      out.push({ value: value as Record<string, unknown>, offset: node.offset, length: node.length });
      return;
    }
    for (const p of node.properties) visit(p.value, depth + 1);
  };
  visit(root, 0);
  return out;
}

/** What the code computes (a name, a call): not a literal value. */
const COMPUTED = Symbol('computed');

function tsLiteral(node: Node | null | undefined, depth = 0): unknown {
  if (!node || depth > 64) return COMPUTED;
  switch (node.type) {
    case 'parenthesized_expression':
    case 'as_expression':
    case 'satisfies_expression':
    case 'non_null_expression':
      return tsLiteral(node.namedChildren[0], depth + 1);
    case 'string':
      return decodeJsString(node.text);
    case 'template_string':
      return node.namedChildren.some((c) => c?.type === 'template_substitution') ? COMPUTED : decodeJsString(node.text);
    case 'number':
      return Number(node.text.replace(/_/g, ''));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    case 'unary_expression': {
      const v = tsLiteral(node.namedChildren[0], depth + 1);
      return node.text.startsWith('-') && typeof v === 'number' ? -v : COMPUTED;
    }
    case 'array': {
      const items = node.namedChildren.map((c) => tsLiteral(c, depth + 1)).filter((v) => v !== COMPUTED);
      return items;
    }
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const pair of node.namedChildren) {
        if (pair?.type !== 'pair') continue;
        const keyNode = pair.childForFieldName('key');
        const key =
          keyNode?.type === 'string'
            ? decodeJsString(keyNode.text)
            : keyNode?.type === 'property_identifier'
              ? keyNode.text
              : undefined;
        const v = tsLiteral(pair.childForFieldName('value'), depth + 1);
        if (key !== undefined && v !== COMPUTED) o[key] = v;
      }
      return o;
    }
    case 'call_expression': {
      // JSON.stringify(<literal>): the entry's Detail.
      if (node.childForFieldName('function')?.text !== 'JSON.stringify') return COMPUTED;
      const v = tsLiteral(node.childForFieldName('arguments')?.namedChildren[0], depth + 1);
      return v === COMPUTED ? COMPUTED : JSON.stringify(v);
    }
    default:
      return COMPUTED;
  }
}

function pyLiteral(node: Node | null | undefined, depth = 0): unknown {
  if (!node || depth > 64) return COMPUTED;
  switch (node.type) {
    case 'parenthesized_expression':
      return pyLiteral(node.namedChildren[0], depth + 1);
    case 'string': {
      const s = decodePythonString(node.text);
      return s === undefined ? COMPUTED : s;
    }
    case 'concatenated_string': {
      const parts = node.namedChildren.map((c) => (c ? decodePythonString(c.text) : undefined));
      return parts.every((p) => p !== undefined) ? parts.join('') : COMPUTED;
    }
    case 'integer':
    case 'float':
      return Number(node.text.replace(/_/g, ''));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'unary_operator': {
      const v = pyLiteral(node.namedChildren[0], depth + 1);
      return node.text.startsWith('-') && typeof v === 'number' ? -v : COMPUTED;
    }
    case 'list':
    case 'tuple':
      return node.namedChildren.map((c) => pyLiteral(c, depth + 1)).filter((v) => v !== COMPUTED);
    case 'dictionary': {
      const o: Record<string, unknown> = {};
      for (const pair of node.namedChildren) {
        if (pair?.type !== 'pair') continue;
        const key = pyLiteral(pair.childForFieldName('key'), depth + 1);
        const v = pyLiteral(pair.childForFieldName('value'), depth + 1);
        if (typeof key === 'string' && v !== COMPUTED) o[key] = v;
      }
      return o;
    }
    case 'call': {
      if (node.childForFieldName('function')?.text !== 'json.dumps') return COMPUTED;
      const v = pyLiteral(node.childForFieldName('arguments')?.namedChildren[0], depth + 1);
      return v === COMPUTED ? COMPUTED : JSON.stringify(v);
    }
    default:
      return COMPUTED;
  }
}

/** PutEvents entries written as object literals in code (the grammar must be loaded: see codeEventGrammar). */
function codeEvents(text: string, grammar: GrammarId): Located[] {
  const tree = parseCode(grammar, text);
  if (!tree) return [];
  const objectType = grammar === 'python' ? 'dictionary' : 'object';
  const literal = grammar === 'python' ? pyLiteral : tsLiteral;
  const out: Located[] = [];
  try {
    for (const node of tree.rootNode.descendantsOfType(objectType)) {
      if (!node || !/\bDetailType\b/.test(node.text)) continue;
      const value = literal(node);
      if (value !== COMPUTED && formOf(value) === 'putEventsEntry')
        out.push({
          value: value as Record<string, unknown>,
          offset: node.startIndex,
          length: node.endIndex - node.startIndex,
        });
    }
  } finally {
    tree.delete();
  }
  return out;
}

/**
 * The grammar a code document's entries are read with, when it may hold one (its text names `DetailType`); the
 * caller loads it (loadGrammar) before asking for the document's events.
 */
export function codeEventGrammar(document: TextDocument): GrammarId | undefined {
  const language = codeLanguageOf(document.uri, document.languageId);
  if (!language || language === 'terraform') return undefined;
  if (!/\bDetailType\b/.test(document.getText())) return undefined;
  return grammarOf(document.uri, language, document.languageId);
}

/** Every event and entry of a document, in document order. */
export function documentEvents(service: LanguageService, document: TextDocument): FoundEvent[] {
  const grammar = codeEventGrammar(document);
  let located: Located[];
  if (grammar) located = isGrammarLoaded(grammar) ? codeEvents(document.getText(), grammar) : [];
  else if (codeLanguageOf(document.uri, document.languageId)) located = [];
  else located = astEvents(service.analyze(document).root);
  return located.map((l) => found(document, l)).filter((e): e is FoundEvent => e !== undefined);
}

/** Events given as text (a selection): an event, an entry, a list of them, or a PutEvents request. */
export function eventsInText(text: string): EventObject[] | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `The selection is not JSON: ${(e as Error).message}`;
  }
  const entries =
    value !== null && typeof value === 'object' && !Array.isArray(value) && !formOf(value)
      ? (value as Record<string, unknown>).Entries
      : undefined;
  const list = Array.isArray(value) ? value : Array.isArray(entries) ? entries : [value];
  const events: EventObject[] = [];
  for (const item of list) {
    if (!formOf(item)) continue;
    const event = eventOf(item as Record<string, unknown>);
    if (typeof event === 'string') return event;
    events.push(event);
  }
  return events.length > 0
    ? events
    : 'The selection holds no event (an object with source and detail-type) nor PutEvents entry (Source, DetailType, Detail).';
}

/** The events of a document, the one under the cursor (or the selection's) first. */
export function eventsAt(
  service: LanguageService,
  document: TextDocument,
  position: { line: number; character: number },
  selection?: Range,
): Answer<{ events: FoundEvent[]; atCursor: boolean }> {
  if (selection && document.offsetAt(selection.start) < document.offsetAt(selection.end)) {
    const text = document.getText(selection);
    const events = eventsInText(text);
    if (typeof events === 'string') return { ok: false, reason: events };
    return {
      ok: true,
      atCursor: true,
      events: events.map((event, i) => ({
        label: `${String(event.source)} / ${String(event['detail-type'])}${events.length > 1 ? ` [${i}]` : ''}`,
        event,
        range: selection,
        form: 'event',
      })),
    };
  }
  const all = documentEvents(service, document);
  if (all.length === 0)
    return {
      ok: false,
      reason:
        'No event here: put the cursor in an event (an object with source and detail-type) or a PutEvents entry (Source, DetailType, Detail), or select one.',
    };
  const offset = document.offsetAt(position);
  // The innermost event around the cursor.
  const around = all
    .filter((e) => document.offsetAt(e.range.start) <= offset && offset <= document.offsetAt(e.range.end))
    .sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start))[0];
  if (!around) return { ok: true, atCursor: false, events: all };
  return { ok: true, atCursor: true, events: [around, ...all.filter((e) => e !== around)] };
}
