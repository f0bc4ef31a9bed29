// Quick fixes and refactors for pattern sites. Quick fixes repair one problem each: wrap a scalar in a match array
// (EB201), correct an operator's spelling or case (EB207), and apply the replacement a lint rule proposes (envelope
// key, source, detail-type, number vs string). Refactors turn an object-form `EventPattern` into its JSON string and
// back. Every edit is written in the document's own syntax: JSON, YAML, or JSON text inside a JSON or YAML string.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionContext, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { ProblemCode } from '../../engine';
import { pathOf, type AstNode, type PropertyNode, type StringNode } from '../../engine/jsonAst';
import { OPERATORS } from '../../engine/patternValidator';
import { suggest } from '../../catalog/catalog';
import { analyzeDocument, type AnalyzedSite, type DocumentAnalysis } from '../sites/documentAnalysis';
import { stringStyleOf } from '../parsing/documentParser';
import type { LanguageService } from '../languageService';
import { lintSite, type LintProblem } from './patternLint';
import { lintFixOf, type LintFix } from './patternLintRules';
import type { PatternSite, PatternSiteKind, TextSpan } from '../sites/patternSites';
import { diagnostic, problemSpan } from './patternValidation';

export const QUICK_FIX = 'quickfix';
export const REFACTOR_REWRITE = 'refactor.rewrite';

/** Site kinds whose property takes either an object or a JSON string, so converting keeps the template valid. */
const CONVERTIBLE_KINDS: ReadonlySet<PatternSiteKind> = new Set([
  'eventsRule',
  'samEventBridgeRule',
  'serverlessEventBridge',
]);

interface Edit {
  readonly offset: number;
  readonly length: number;
  readonly newText: string;
}

interface FixContext {
  readonly document: TextDocument;
  readonly doc: DocumentAnalysis;
  readonly s: AnalyzedSite;
}

export function doCodeActions(
  service: LanguageService,
  document: TextDocument,
  range: Range,
  context: CodeActionContext,
): CodeAction[] {
  const doc = service.analyze(document);
  const wanted = (kind: string): boolean =>
    !context.only || context.only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  const out: CodeAction[] = [];
  for (const s of doc.sites) {
    if (!touches(s.site.range, start, end) && !touches(propertySpan(s.site) ?? s.site.range, start, end)) continue;
    if (wanted(QUICK_FIX)) out.push(...quickFixes({ document, doc, s }, start, end, context, service));
    if (wanted(REFACTOR_REWRITE)) out.push(...refactors({ document, doc, s }, service));
  }
  return out;
}

function touches(span: TextSpan, start: number, end: number): boolean {
  return start <= span.offset + span.length && end >= span.offset;
}

// ---------------------------------------------------------------------------------------------------------------
// Quick fixes

function quickFixes(
  ctx: FixContext,
  start: number,
  end: number,
  context: CodeActionContext,
  service: LanguageService,
): CodeAction[] {
  const { s, document } = ctx;
  const out: CodeAction[] = [];
  const problems: LintProblem[] = [...s.analysis.problems, ...lintSite(s, ctx.doc, service.lintRules)];
  for (const p of problems) {
    const span = problemSpan(s, p, ctx.doc.text);
    if (!touches(span, start, end)) continue;
    const fix = fixFor(ctx, p);
    if (!fix) continue;
    const shown =
      context.diagnostics.find((d) => d.code === p.code && sameRange(document, d, span)) ??
      diagnostic(document, span, p, service.settings);
    out.push({
      title: fix.title,
      kind: QUICK_FIX,
      ...(shown ? { diagnostics: [shown] } : {}),
      isPreferred: true,
      edit: { changes: { [document.uri]: fix.edits.map((e) => toTextEdit(document, e)) } },
    });
  }
  return out;
}

function sameRange(document: TextDocument, d: Diagnostic, span: TextSpan): boolean {
  return (
    document.offsetAt(d.range.start) === span.offset && document.offsetAt(d.range.end) === span.offset + span.length
  );
}

function toTextEdit(document: TextDocument, e: Edit): TextEdit {
  return {
    range: { start: document.positionAt(e.offset), end: document.positionAt(e.offset + e.length) },
    newText: e.newText,
  };
}

function fixFor(ctx: FixContext, p: LintProblem): { title: string; edits: Edit[] } | undefined {
  const root = ctx.s.patternRoot;
  if (!root) return undefined;
  if (p.code === ProblemCode.FieldNotObjectOrArray) {
    const node = findNode(root, p.offset, p.length);
    const edits = node ? wrapInArray(ctx, node) : undefined;
    return edits ? { title: 'Wrap the value in an array (a match list)', edits } : undefined;
  }
  if (p.code === ProblemCode.UnrecognizedMatchType) {
    const key = findKey(root, p.offset, p.length);
    const target = key ? operatorFor(key.value) : undefined;
    if (!key || target === undefined) return undefined;
    const edit = replaceString(ctx, key, target);
    const title =
      target.toLowerCase() === key.value.toLowerCase()
        ? `Change ${key.value} to ${target} (operators are lower-case)`
        : `Change ${key.value} to ${target}`;
    return edit ? { title, edits: [edit] } : undefined;
  }
  const lint = lintFixOf(p);
  return lint ? lintEdit(ctx, lint) : undefined;
}

/** The operator a misspelt or wrong-cased match type was meant to be. */
export function operatorFor(name: string): string | undefined {
  return OPERATORS.find((op) => op.toLowerCase() === name.toLowerCase()) ?? suggest(name, OPERATORS);
}

function lintEdit(ctx: FixContext, fix: LintFix): { title: string; edits: Edit[] } | undefined {
  switch (fix.kind) {
    case 'renameKey':
    case 'replaceString': {
      const edit = replaceString(ctx, fix.node, fix.replacement);
      if (!edit) return undefined;
      // In code, say it as the code writes it (`detail_type` → `detailType` in a CDK EventPattern).
      const title = ctx.s.site.syntax
        ? `Change ${ctx.doc.text.slice(edit.offset, edit.offset + edit.length)} to ${edit.newText}`
        : `Change ${JSON.stringify(fix.node.value)} to ${JSON.stringify(fix.replacement)}`;
      return { title, edits: [edit] };
    }
    case 'unquoteNumber': {
      const edit = ctx.s.site.syntax
        ? codeEdit(ctx, fix.node, Number(fix.replacement))
        : replaceNode(ctx, fix.node, fix.replacement);
      return edit ? { title: `Write ${fix.replacement} as a number`, edits: [edit] } : undefined;
    }
    case 'quoteNumber': {
      const edit = ctx.s.site.syntax
        ? codeEdit(ctx, fix.node, fix.replacement)
        : replaceNode(ctx, fix.node, JSON.stringify(fix.replacement));
      return edit ? { title: `Write ${fix.replacement} as a string`, edits: [edit] } : undefined;
    }
  }
}

/** The value node (or key) at exactly this span of the pattern. */
function findNode(root: AstNode, offset: number, length: number): AstNode | undefined {
  const work: AstNode[] = [root];
  while (work.length > 0) {
    const n = work.pop()!;
    if (n.offset === offset && n.length === length && n.type !== 'object' && n.type !== 'array') return n;
    if (n.offset > offset || n.offset + n.length < offset) continue;
    if (n.type === 'object') for (const p of n.properties) if (p.value) work.push(p.value);
    if (n.type === 'array') work.push(...n.items);
  }
  return undefined;
}

function findKey(root: AstNode, offset: number, length: number): StringNode | undefined {
  const work: AstNode[] = [root];
  while (work.length > 0) {
    const n = work.pop()!;
    if (n.offset > offset || n.offset + n.length < offset) continue;
    if (n.type === 'object') {
      for (const p of n.properties) {
        if (p.key.offset === offset && p.key.length === length) return p.key;
        if (p.value) work.push(p.value);
      }
    }
    if (n.type === 'array') work.push(...n.items);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Edits in the document's syntax

/** Replaces a node of the pattern by `patternText` (JSON for string sites; JSON or YAML text for object sites). */
function replaceNode(ctx: FixContext, node: AstNode, patternText: string): Edit | undefined {
  const { s } = ctx;
  if (s.site.form === 'object') return { offset: node.offset, length: node.length, newText: patternText };
  const mapped = s.toDocument(node.offset, node.length);
  const escaped = escapeForEnclosingString(ctx, patternText);
  return escaped === undefined ? undefined : { ...mapped, newText: escaped };
}

/** Replaces a string (a key or a value) by another string, keeping the way it was quoted where possible. */
function replaceString(ctx: FixContext, node: StringNode, value: string): Edit | undefined {
  const { s, doc } = ctx;
  if (s.site.syntax) return codeEdit(ctx, node, value);
  if (s.site.form === 'string' || doc.languageId === 'json') return replaceNode(ctx, node, JSON.stringify(value));
  const old = doc.text.slice(node.offset, node.offset + node.length);
  return replaceNode(ctx, node, yamlString(value, old));
}

/**
 * Replaces a key or a value of a pattern in code by `value`, written by the site's syntax (a key as the object at its
 * place spells it: `detailType` in a CDK `EventPattern`). Undefined when the code does not write the node literally.
 */
function codeEdit(ctx: FixContext, node: AstNode, value: unknown): Edit | undefined {
  const syntax = ctx.s.site.syntax;
  const root = ctx.s.patternRoot;
  if (!syntax || !root || !syntax.isLiteral(node)) return undefined;
  const holder = node.parent;
  const isKey = holder?.type === 'property' && holder.key === node;
  if (isKey) {
    if (typeof value !== 'string') return undefined;
    const object = holder.parent;
    const path = object ? pathOf(object, root) : [];
    return { offset: node.offset, length: node.length, newText: syntax.key(value, path) };
  }
  return { offset: node.offset, length: node.length, newText: syntax.value(value, pathOf(node, root)) };
}

/** `["x"]` around a scalar: brackets for JSON; for YAML, a flow sequence whose item keeps the scalar's meaning. */
function wrapInArray(ctx: FixContext, node: AstNode): Edit[] | undefined {
  const { s, doc } = ctx;
  if (node.type === 'object' || node.type === 'array' || node.type === 'unknown') return undefined;
  if (s.site.syntax) {
    // Brackets make a list in every language patterns are written in as code; a value the code does not write
    // literally (made up from a helper call) is not the code's to wrap.
    if (!s.site.syntax.isLiteral(node)) return undefined;
    return [
      { offset: node.offset, length: 0, newText: '[' },
      { offset: node.offset + node.length, length: 0, newText: ']' },
    ];
  }
  if (s.site.form === 'string') {
    const open = s.toDocument(node.offset, 0).offset;
    const close = s.toDocument(node.offset + node.length, 0).offset;
    return [
      { offset: open, length: 0, newText: '[' },
      { offset: close, length: 0, newText: ']' },
    ];
  }
  let length = node.length;
  let item = doc.text.slice(node.offset, node.offset + length);
  if (doc.languageId === 'yaml') {
    // A block scalar's range takes in the line break after it: keep that.
    const old = item.replace(/[\r\n]+$/, '');
    length = old.length;
    item = old;
    const quoted = old.startsWith('"') || old.startsWith("'");
    const flowSafe = quoted ? !/[\r\n]/.test(old) : !/[,[\]{}#\r\n]|^[|>&*!%@`]/.test(old);
    if (!flowSafe) {
      if (node.type !== 'string') return undefined;
      item = JSON.stringify(node.value);
    }
  }
  return [{ offset: node.offset, length, newText: `[${item}]` }];
}

/** Text to put inside the string that holds a string-form pattern, escaped as that string requires. */
function escapeForEnclosingString(ctx: FixContext, text: string): string | undefined {
  const site = ctx.s.site;
  if (site.form !== 'string') return text;
  const style = stringStyleOf(site.node) ?? (ctx.doc.text[site.node.offset] === '"' ? 'json' : undefined);
  switch (style) {
    case 'json':
    case 'double':
      return JSON.stringify(text).slice(1, -1);
    case 'single':
      return text.replace(/'/g, "''");
    case 'plain':
      return /[\r\n]|\s#|:\s/.test(text) ? undefined : text;
    case 'literal':
    case 'folded':
      return /[\r\n]/.test(text) ? undefined : text;
    default:
      return undefined;
  }
}

const YAML_SPECIAL_PLAIN = /^(?:true|false|null|~|yes|no|on|off|y|n)$/i;
const YAML_SAFE_PLAIN = /^[A-Za-z_$][A-Za-z0-9 _$./()@-]*$/;

/** Whether a string can be written as a plain YAML scalar (also inside a flow collection) and still be that string. */
export function isSafePlainYaml(value: string): boolean {
  return YAML_SAFE_PLAIN.test(value) && !value.endsWith(' ') && !YAML_SPECIAL_PLAIN.test(value);
}

/** A YAML scalar for `value`, quoted like `old` was (plain when `old` was plain and the value allows it). */
function yamlString(value: string, old: string): string {
  if (old.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (old.startsWith('"')) return JSON.stringify(value);
  return isSafePlainYaml(value) ? value : JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Refactors: object form ↔ JSON string

/** The property (`EventPattern: ...`) holding a site, when the pattern is written directly as its value. */
function holdingProperty(site: PatternSite): PropertyNode | undefined {
  if (site.valueNode !== site.node) return undefined;
  const parent = site.node.parent;
  return parent?.type === 'property' && parent.value === site.node ? parent : undefined;
}

function propertySpan(site: PatternSite): TextSpan | undefined {
  const p = holdingProperty(site);
  return p ? { offset: p.key.offset, length: site.range.offset + site.range.length - p.key.offset } : undefined;
}

function refactors(ctx: FixContext, service: LanguageService): CodeAction[] {
  const { s } = ctx;
  // A pattern in code has one form: the code's own.
  if (!CONVERTIBLE_KINDS.has(s.site.kind) || s.site.marker || s.site.syntax) return [];
  const property = holdingProperty(s.site);
  if (!property) return [];
  const name = property.key.value;
  if (s.site.form === 'object') {
    const edit = toStringForm(ctx, property, service);
    return edit ? [refactor(ctx.document, `Convert ${name} to a JSON string`, edit)] : [];
  }
  const edit = toObjectForm(ctx, property, service);
  const target = ctx.doc.languageId === 'yaml' ? 'YAML' : 'a JSON object';
  return edit ? [refactor(ctx.document, `Convert ${name} to ${target}`, edit)] : [];
}

function refactor(document: TextDocument, title: string, edit: Edit): CodeAction {
  return { title, kind: REFACTOR_REWRITE, edit: { changes: { [document.uri]: [toTextEdit(document, edit)] } } };
}

function toStringForm(ctx: FixContext, property: PropertyNode, service: LanguageService): Edit | undefined {
  const { s, doc } = ctx;
  if (s.site.form !== 'object' || s.site.viaToJsonString || s.site.node.type !== 'object') return undefined;
  const json = writeJson(s.site.node, 'compact');
  if (json === undefined) return undefined;
  const node = s.site.node;
  let edit: Edit;
  if (doc.languageId === 'json') {
    edit = { offset: node.offset, length: node.length, newText: JSON.stringify(json) };
  } else {
    const scalar = `'${json.replace(/'/g, "''")}'`;
    const between = doc.text.slice(property.colonOffset + 1, node.offset);
    edit =
      property.colonOffset >= 0 && /^\s*$/.test(between)
        ? {
            offset: property.colonOffset + 1,
            length: node.offset + node.length - property.colonOffset - 1,
            newText: ` ${scalar}`,
          }
        : { offset: node.offset, length: node.length, newText: scalar };
  }
  return keepsPattern(ctx, edit, 'string', json, service) ? edit : undefined;
}

function toObjectForm(ctx: FixContext, property: PropertyNode, service: LanguageService): Edit | undefined {
  const { s, doc } = ctx;
  if (s.site.form !== 'string' || s.site.viaSub || s.site.substitutions.length > 0) return undefined;
  const root = s.analysis.ast;
  if (!root || root.type !== 'object' || s.analysis.problems.some((p) => p.code === ProblemCode.JsonSyntax))
    return undefined;
  const json = writeJson(root, 'compact');
  if (json === undefined) return undefined;
  const node = s.site.node;
  const keyIndent = indentationAt(doc.text, property.key.offset);
  const candidates: Edit[] = [];
  if (doc.languageId === 'json') {
    const block = writeJson(root, 'block', keyIndent.lineIndent, indentUnit(doc.text));
    if (block !== undefined) candidates.push({ offset: node.offset, length: node.length, newText: block });
  } else {
    // A block scalar's range takes in the line break after it: keep that.
    let end = node.offset + node.length;
    while (end > node.offset && (doc.text[end - 1] === '\n' || doc.text[end - 1] === '\r')) end--;
    const between = doc.text.slice(property.colonOffset + 1, node.offset);
    if (keyIndent.startsLine && property.colonOffset >= 0 && /^[ \t]*$/.test(between)) {
      const block = writeYamlBlock(root, ' '.repeat(keyIndent.column + 2));
      if (block !== undefined) {
        candidates.push({
          offset: property.colonOffset + 1,
          length: end - property.colonOffset - 1,
          newText: `\n${block}`,
        });
      }
    }
    const flow = writeJson(root, 'inline');
    if (flow !== undefined) candidates.push({ offset: node.offset, length: end - node.offset, newText: flow });
  }
  // Keep the first rewrite that reads back as the same pattern (block YAML is invalid inside a flow collection).
  return candidates.find((edit) => keepsPattern(ctx, edit, 'object', json, service));
}

/** Applies an edit to the text, reads the document again and checks the site still holds the same pattern. */
function keepsPattern(
  ctx: FixContext,
  edit: Edit,
  form: 'object' | 'string',
  json: string,
  service: LanguageService,
): boolean {
  const { s, doc } = ctx;
  const text = doc.text.slice(0, edit.offset) + edit.newText + doc.text.slice(edit.offset + edit.length);
  const again = analyzeDocument(text, doc.uri, doc.languageId, { patternFileGlobs: service.settings.patternFileGlobs });
  if (again.syntaxErrors.length > doc.syntaxErrors.length) return false;
  const before = doc.sites.indexOf(s);
  const after = again.sites[before];
  if (!after || again.sites.length !== doc.sites.length || after.site.kind !== s.site.kind || after.site.form !== form)
    return false;
  const root = after.site.form === 'object' ? after.site.node : after.analysis.ast;
  return root !== undefined && writeJson(root, 'compact') === json;
}

function indentationAt(text: string, offset: number): { column: number; lineIndent: string; startsLine: boolean } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const lineIndent = /^[ \t]*/.exec(before)![0];
  // A key after `- ` starts a mapping of its own, as good as starting the line.
  return { column: offset - lineStart, lineIndent, startsLine: /^[ \t]*(?:-[ \t]+)*$/.test(before) };
}

/** The document's indentation step: the leading whitespace of its first indented line. */
function indentUnit(text: string): string {
  return /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
}

// ---------------------------------------------------------------------------------------------------------------
// Writers from the house AST (numbers keep their spelling: EventBridge matches it)

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function numberText(node: Extract<AstNode, { type: 'number' }>): string | undefined {
  if (JSON_NUMBER.test(node.text)) return node.text;
  return Number.isFinite(node.value) ? String(node.value) : undefined;
}

/**
 * JSON text for a node: `compact` as AWS receives it, `inline` with spaces after `:` and `,`, `block` with one
 * member per line (match lists stay on one line; `$or` branches get lines of their own). Undefined when the node
 * holds a value unknown until deploy.
 */
export function writeJson(
  node: AstNode,
  style: 'compact' | 'inline' | 'block',
  indent = '',
  unit = '  ',
): string | undefined {
  const colon = style === 'compact' ? ':' : ': ';
  const comma = style === 'compact' ? ',' : ', ';
  switch (node.type) {
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return numberText(node);
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    case 'unknown':
      return undefined;
    case 'array': {
      const items: string[] = [];
      for (const item of node.items) {
        const t = writeJson(item, style === 'block' ? 'inline' : style);
        if (t === undefined) return undefined;
        items.push(t);
      }
      return `[${items.join(comma)}]`;
    }
    case 'object': {
      if (node.tag !== undefined) return undefined;
      const members: string[] = [];
      for (const p of node.properties) {
        if (!p.value) return undefined;
        const t =
          isOrList(p.key.value, p.value) && style === 'block'
            ? writeOrList(p.value, indent + unit, unit)
            : writeJson(p.value, style, indent + unit, unit);
        if (t === undefined) return undefined;
        members.push(JSON.stringify(p.key.value) + colon + t);
      }
      if (style !== 'block' || members.length === 0) return `{${members.join(comma)}}`;
      return `{\n${members.map((m) => indent + unit + m).join(',\n')}\n${indent}}`;
    }
  }
}

function isOrList(key: string, value: AstNode): value is Extract<AstNode, { type: 'array' }> {
  return (
    key === '$or' &&
    value.type === 'array' &&
    value.items.length > 0 &&
    value.items.every((i) => i.type === 'object' && i.properties.length > 0)
  );
}

function writeOrList(list: Extract<AstNode, { type: 'array' }>, indent: string, unit: string): string | undefined {
  const items: string[] = [];
  for (const item of list.items) {
    const t = writeJson(item, 'block', indent + unit, unit);
    if (t === undefined) return undefined;
    items.push(indent + unit + t);
  }
  return `[\n${items.join(',\n')}\n${indent}]`;
}

/** A block mapping, each line starting with `indent`; match lists in JSON flow style, `$or` as a block sequence. */
export function writeYamlBlock(node: AstNode, indent: string): string | undefined {
  if (node.type !== 'object' || node.tag !== undefined || node.properties.length === 0) return undefined;
  const lines: string[] = [];
  for (const p of node.properties) {
    const v = p.value;
    if (!v) return undefined;
    const key = isSafePlainYaml(p.key.value) ? p.key.value : JSON.stringify(p.key.value);
    if (v.type === 'object' && v.properties.length > 0) {
      const block = writeYamlBlock(v, indent + '  ');
      if (block === undefined) return undefined;
      lines.push(`${indent}${key}:\n${block}`);
    } else if (isOrList(p.key.value, v)) {
      const items: string[] = [];
      for (const item of v.items) {
        const block = writeYamlBlock(item, indent + '    ');
        if (block === undefined) return undefined;
        items.push(`${indent}  - ${block.slice(indent.length + 4)}`);
      }
      lines.push(`${indent}${key}:\n${items.join('\n')}`);
    } else {
      const flow = writeJson(v, 'inline');
      if (flow === undefined) return undefined;
      lines.push(`${indent}${key}: ${flow}`);
    }
  }
  return lines.join('\n');
}
