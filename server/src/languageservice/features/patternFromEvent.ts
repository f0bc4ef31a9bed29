// "Create Pattern from Event": the fields of an event with the operators that fit them, and the pattern of the chosen
// fields written into a target: merged into the pattern under the cursor, as a new `AWS::Events::Rule` in a template
// (in the template's own syntax and indentation, under a logical id no resource has), or as a new pattern file's
// text. The engine builds the pattern and checks it matches the event; every edit is then applied to the text, the
// document read again, and the written pattern checked to be there, valid, and still matching: otherwise nothing is
// written and the answer says why. A code action on each event of a document runs the client's command.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionContext, Range } from 'vscode-languageserver-types';
import {
  CREATE_PATTERN_FROM_EVENT_COMMAND,
  type Answer,
  type ChosenField,
  type EventFieldInfo,
  type EventObject,
  type PatternDialect,
  type PatternFromEventParams,
  type PatternFromEventResult,
  type PatternOperatorName,
} from '../../../../shared';
import {
  eventFields,
  isPatternOperator,
  matchesEvent,
  mergePatternInto,
  OPERATOR_DESCRIPTIONS,
  parseJson,
  patternFromEvent,
  toPlainValue,
  type FieldChoice,
} from '../../engine';
import type { ObjectNode } from '../../engine/jsonAst';
import { analyzeDocument, type AnalyzedSite, type DocumentAnalysis } from '../sites/documentAnalysis';
import type { LanguageService } from '../languageService';
import { usablePatternAt } from './patternAtCursor';
import { isSafePlainYaml, writeJson } from './patternCodeActions';
import { eventsAt } from './documentEvents';

/** The fields of an event and the operators that fit each value. */
export function eventFieldsOf(
  event: unknown,
  dialect: PatternDialect = 'eventbus',
): { fields: EventFieldInfo[]; operators: Record<PatternOperatorName, string> } {
  return {
    fields: eventFields(event, dialect).map((f) => ({
      path: f.path,
      value: JSON.stringify(f.leaves[0].value),
      occurrences: f.leaves.length,
      operators: f.operators,
    })),
    operators: { ...OPERATOR_DESCRIPTIONS },
  };
}

interface Edit {
  readonly offset: number;
  readonly length: number;
  readonly newText: string;
}

function applyEdit(text: string, edit: Edit): string {
  return text.slice(0, edit.offset) + edit.newText + text.slice(edit.offset + edit.length);
}

function toChoices(fields: readonly ChosenField[]): FieldChoice[] | string {
  const list: readonly unknown[] = Array.isArray(fields) ? fields : [];
  if (list.length === 0) return 'Choose at least one field.';
  const out: FieldChoice[] = [];
  for (const item of list) {
    const f = item as Partial<ChosenField> | null;
    if (typeof f?.path !== 'string') return 'Each field needs a path.';
    if (f.operator !== undefined && !isPatternOperator(f.operator)) return `Unknown operator ${String(f.operator)}.`;
    out.push({
      path: f.path,
      ...(f.operator ? { operator: f.operator } : {}),
      ...(typeof f.argument === 'string' ? { argument: f.argument } : {}),
    });
  }
  return out;
}

/**
 * The pattern of the chosen fields of an event, written into the target. `documentOf` gives the documents the
 * client has open (the target's).
 */
export function patternFromEventEdit(
  service: LanguageService,
  params: PatternFromEventParams,
  documentOf: (uri: string) => TextDocument | undefined,
): Answer<PatternFromEventResult> {
  const { event, target } = params;
  if (event === null || typeof event !== 'object' || Array.isArray(event))
    return { ok: false, reason: 'The event must be a JSON object.' };
  const choices = toChoices(params.fields);
  if (typeof choices === 'string') return { ok: false, reason: choices };
  switch (target?.kind) {
    case 'patternFile': {
      const built = patternFromEvent(event, choices);
      if (!built.ok) return { ok: false, reason: built.message };
      return { ok: true, pattern: built.pattern, fileText: `${JSON.stringify(built.pattern, null, 2)}\n` };
    }
    case 'merge': {
      const document = documentOf(target.uri);
      if (!document) return { ok: false, reason: 'The document of the pattern is not open.' };
      return mergeAt(service, document, target.position, event, choices);
    }
    case 'rule': {
      const document = documentOf(target.uri);
      if (!document) return { ok: false, reason: 'The template is not open.' };
      const built = patternFromEvent(event, choices);
      if (!built.ok) return { ok: false, reason: built.message };
      return newRule(service, document, built.pattern, event, target.logicalId);
    }
    default:
      return { ok: false, reason: 'The target must be merge, rule or patternFile.' };
  }
}

function answerWith(
  document: TextDocument,
  pattern: Record<string, unknown>,
  edit: Edit,
  extra: { logicalId?: string } = {},
): Answer<PatternFromEventResult> {
  return {
    ok: true,
    pattern,
    edit: {
      uri: document.uri,
      edits: [
        {
          range: { start: document.positionAt(edit.offset), end: document.positionAt(edit.offset + edit.length) },
          newText: edit.newText,
        },
      ],
    },
    ...extra,
  };
}

// ---- merge into the pattern under the cursor --------------------------------------------------------------------

function mergeAt(
  service: LanguageService,
  document: TextDocument,
  position: { line: number; character: number },
  event: EventObject,
  choices: FieldChoice[],
): Answer<PatternFromEventResult> {
  const found = usablePatternAt(service, document, position);
  if (!found.ok) return found;
  const { usable } = found;
  const dialect = usable.info.dialect;
  const built = patternFromEvent(event, choices, { dialect });
  if (!built.ok) return { ok: false, reason: built.message };
  const merged = mergePatternInto(usable.value, built.pattern, event, { dialect });
  if (!merged.ok) return { ok: false, reason: merged.message };
  const doc = service.analyze(document);
  const s = usable.site;
  if (s.site.syntax)
    return {
      ok: false,
      reason: 'The pattern under the cursor is written in code: create a new pattern file or rule instead.',
    };
  const candidates = rewrites(doc, s, merged.pattern);
  const json = JSON.stringify(merged.pattern);
  const index = doc.sites.indexOf(s);
  for (const edit of candidates) {
    const again = analyzeDocument(applyEdit(doc.text, edit), doc.uri, doc.languageId, {
      patternFileGlobs: service.settings.patternFileGlobs,
    });
    const after = again.sites[index];
    if (again.sites.length !== doc.sites.length || !after || after.analysis.awsError || !after.analysis.pattern)
      continue;
    const value: unknown = after.site.form === 'string' ? JSON.parse(after.site.text) : toPlainValue(after.site.node);
    if (JSON.stringify(value) !== json || !matchesEvent(after.analysis.pattern, event)) continue;
    return answerWith(document, merged.pattern, edit);
  }
  return {
    ok: false,
    reason: 'The merged pattern cannot be written here as it is; create a new pattern file instead.',
  };
}

/** Ways to write a pattern over a site's value, in the site's own syntax, the most faithful first. */
function rewrites(doc: DocumentAnalysis, s: AnalyzedSite, pattern: Record<string, unknown>): Edit[] {
  const text = doc.text;
  const ast = parseJson(JSON.stringify(pattern)).root!;
  const compact = JSON.stringify(pattern);
  const site = s.site;
  const unit = indentUnit(text);
  if (site.form === 'string') {
    const node = site.node;
    if (doc.languageId === 'json')
      return [{ offset: node.offset, length: node.length, newText: JSON.stringify(compact) }];
    return [
      {
        offset: node.offset,
        length: trimmedEnd(text, node.offset, node.length) - node.offset,
        newText: `'${compact.replace(/'/g, "''")}'`,
      },
    ];
  }
  const node = site.node;
  const end = trimmedEnd(text, node.offset, node.length);
  const lineStart = text.lastIndexOf('\n', node.offset - 1) + 1;
  const lineIndent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const out: Edit[] = [];
  if (doc.languageId === 'json' || text[node.offset] === '{') {
    const block = writeJson(ast, 'block', lineIndent, unit);
    if (block !== undefined && doc.languageId === 'json')
      out.push({ offset: node.offset, length: end - node.offset, newText: block });
    const inline = writeJson(ast, 'inline');
    if (inline !== undefined) out.push({ offset: node.offset, length: end - node.offset, newText: inline });
    return out;
  }
  // A YAML block mapping starts at its first key: the first line is already indented, the next lines take its column.
  const column = node.offset - lineStart;
  const block = yamlBlock(pattern, ' '.repeat(column), unit);
  if (block !== undefined) out.push({ offset: node.offset, length: end - node.offset, newText: block.slice(column) });
  return out;
}

/**
 * A pattern as a YAML block mapping, each line starting with `indent`, nested by `unit` (the file's step): match
 * lists in JSON flow style (as people write them), `$or` as a block sequence. Undefined for an empty object.
 */
export function yamlBlock(value: Record<string, unknown>, indent: string, unit: string): string | undefined {
  const entries = Object.entries(value);
  if (entries.length === 0) return undefined;
  const lines: string[] = [];
  for (const [k, v] of entries) {
    const key = isSafePlainYaml(k) ? k : JSON.stringify(k);
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
      lines.push(`${indent}${key}:\n${yamlBlock(v as Record<string, unknown>, indent + unit, unit)!}`);
    } else if (
      k === '$or' &&
      Array.isArray(v) &&
      v.length > 0 &&
      (v as unknown[]).every(
        (b) => b !== null && typeof b === 'object' && !Array.isArray(b) && Object.keys(b).length > 0,
      )
    ) {
      const items = (v as Record<string, unknown>[]).map((branch) => {
        const block = yamlBlock(branch, `${indent}${unit}  `, unit)!;
        return `${indent}${unit}- ${block.slice(indent.length + unit.length + 2)}`;
      });
      lines.push(`${indent}${key}:\n${items.join('\n')}`);
    } else {
      lines.push(`${indent}${key}: ${writeJson(parseJson(JSON.stringify(v)).root!, 'inline')!}`);
    }
  }
  return lines.join('\n');
}

/** The end of a node's text without the line breaks and blanks a YAML block node takes in after it. */
function trimmedEnd(text: string, offset: number, length: number): number {
  let end = offset + length;
  while (end > offset && /\s/.test(text[end - 1])) end--;
  return end;
}

/** The document's indentation step: the leading whitespace of its first indented line. */
function indentUnit(text: string): string {
  return /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
}

// ---- a new rule in a template -------------------------------------------------------------------------------------

/** A logical id from the event's source and detail-type (`S3ObjectCreatedRule`), made unique among `taken`. */
export function ruleLogicalId(event: EventObject, taken: ReadonlySet<string>): string {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const words = `${text(event.source).replace(/^aws\./, '')} ${text(event['detail-type'])}`
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w[0].toUpperCase() + w.slice(1));
  let base = `${words.join('')}Rule`.replace(/^[0-9]+/, '').slice(0, 200);
  if (!/^[A-Za-z]/.test(base)) base = 'EventRule';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

function newRule(
  service: LanguageService,
  document: TextDocument,
  pattern: Record<string, unknown>,
  event: EventObject,
  wantedId: string | undefined,
): Answer<PatternFromEventResult> {
  const doc = service.analyze(document);
  if (doc.readAs !== 'template')
    return { ok: false, reason: 'The file is not a CloudFormation or SAM template (no Resources with a Type).' };
  const root = doc.root;
  const resources = root?.type === 'object' ? root.properties.find((p) => p.key.value === 'Resources') : undefined;
  if (!resources || resources.value?.type !== 'object')
    return { ok: false, reason: 'The template has no Resources section to add the rule to.' };
  const entries = resources.value.properties;
  const taken = new Set(entries.map((p) => p.key.value));
  if (wantedId !== undefined && (!/^[A-Za-z0-9]+$/.test(wantedId) || taken.has(wantedId)))
    return {
      ok: false,
      reason: `${wantedId} is not a free logical id (letters and digits, not used in the template).`,
    };
  const logicalId = wantedId ?? ruleLogicalId(event, taken);
  const edit =
    doc.languageId === 'json'
      ? jsonRuleEdit(doc.text, resources.value, logicalId, pattern)
      : yamlRuleEdit(doc.text, resources, logicalId, pattern);
  if (typeof edit === 'string') return { ok: false, reason: edit };
  // Read the template again: the new rule must be there, its pattern valid and matching the event.
  const again = analyzeDocument(applyEdit(doc.text, edit), doc.uri, doc.languageId, {
    patternFileGlobs: service.settings.patternFileGlobs,
  });
  const site = again.sites.find((s) => s.site.resourceId === logicalId && s.site.kind === 'eventsRule');
  const syntax = again.syntaxErrors.filter((e) => e.severity === 'error').length;
  if (
    !site ||
    syntax > doc.syntaxErrors.filter((e) => e.severity === 'error').length ||
    site.analysis.problems.some((p) => p.severity === 'error') ||
    !site.analysis.pattern ||
    !matchesEvent(site.analysis.pattern, event)
  )
    return { ok: false, reason: 'The new rule could not be written into this template as it is written.' };
  return answerWith(document, pattern, edit, { logicalId });
}

function jsonRuleEdit(
  text: string,
  resources: ObjectNode,
  logicalId: string,
  pattern: Record<string, unknown>,
): Edit | string {
  const unit = indentUnit(text);
  const entries = resources.properties;
  const last = entries[entries.length - 1];
  const keyIndent = last
    ? /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', last.offset - 1) + 1))![0]
    : lineIndentAt(text, resources.offset) + unit;
  const rule = { Type: 'AWS::Events::Rule', Properties: { EventPattern: pattern, State: 'ENABLED' } };
  const block = writeJson(parseJson(JSON.stringify(rule)).root!, 'block', keyIndent, unit);
  if (block === undefined) return 'The rule could not be written as JSON.';
  const member = `${JSON.stringify(logicalId)}: ${block}`;
  if (!last) {
    const close = resources.offset + resources.length - 1;
    if (text[close] !== '}') return 'The Resources object is not closed.';
    return {
      offset: resources.offset + 1,
      length: close - resources.offset - 1,
      newText: `\n${keyIndent}${member}\n${lineIndentAt(text, resources.offset)}`,
    };
  }
  const end = last.value ? last.value.offset + last.value.length : last.offset + last.length;
  return { offset: end, length: 0, newText: `,\n${keyIndent}${member}` };
}

function lineIndentAt(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', offset - 1) + 1))![0];
}

function yamlRuleEdit(
  text: string,
  resources: ObjectNode['properties'][number],
  logicalId: string,
  pattern: Record<string, unknown>,
): Edit | string {
  const value = resources.value as ObjectNode;
  if (text[value.offset] === '{')
    return 'The Resources mapping is written in flow style ({...}); add the rule by hand.';
  const entries = value.properties;
  const last = entries[entries.length - 1];
  if (!last) return 'The Resources section is empty.';
  const column = (offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  const keyColumn = column(last.key.offset);
  // The step the template indents by: its first resource's first property, else its Resources' entries.
  const inner =
    last.value?.type === 'object' && last.value.properties[0] ? column(last.value.properties[0].key.offset) : -1;
  const step = inner > keyColumn ? inner - keyColumn : Math.max(2, keyColumn - column(resources.key.offset));
  const pad = (n: number): string => ' '.repeat(n);
  const patternBlock = yamlBlock(pattern, pad(keyColumn + 3 * step), pad(step));
  if (patternBlock === undefined) return 'The pattern could not be written as YAML.';
  const key = /^[A-Za-z0-9]+$/.test(logicalId) ? logicalId : JSON.stringify(logicalId);
  const lines = [
    `${pad(keyColumn)}${key}:`,
    `${pad(keyColumn + step)}Type: AWS::Events::Rule`,
    `${pad(keyColumn + step)}Properties:`,
    `${pad(keyColumn + 2 * step)}State: ENABLED`,
    `${pad(keyColumn + 2 * step)}EventPattern:`,
    patternBlock,
  ];
  // After the last entry's last line with text (its trailing comments and blank lines stay after it).
  const endOfValue = trimmedEnd(
    text,
    last.offset,
    (last.value ? last.value.offset + last.value.length : last.offset + last.length) - last.offset,
  );
  const lineEnd = text.indexOf('\n', endOfValue);
  const at = lineEnd < 0 ? text.length : lineEnd;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const atCr = at > 0 && text[at - 1] === '\r' ? at - 1 : at;
  return { offset: atCr, length: 0, newText: eol + lines.join('\n').replace(/\n/g, eol) };
}

// ---- the code action on an event --------------------------------------------------------------------------------

export const REFACTOR = 'refactor';

/** "Create pattern from this event" on the event (or PutEvents entry) under the cursor; runs the client's command. */
export function eventCodeActions(
  service: LanguageService,
  document: TextDocument,
  range: Range,
  context: CodeActionContext,
): CodeAction[] {
  if (
    context.only &&
    !context.only.some((k) => REFACTOR === k || REFACTOR.startsWith(`${k}.`) || k.startsWith(REFACTOR))
  )
    return [];
  const found = eventsAt(service, document, range.start);
  if (!found.ok || !found.atCursor) return [];
  const event = found.events[0];
  return [
    {
      title: `Create pattern from this event (${event.label})`,
      kind: REFACTOR,
      command: {
        title: 'Create Pattern from Event',
        command: CREATE_PATTERN_FROM_EVENT_COMMAND,
        arguments: [{ uri: document.uri, position: range.start }],
      },
    },
  ];
}
