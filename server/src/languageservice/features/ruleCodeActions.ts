// Quick fixes of the rule checks (ruleChecks.ts): add the resource that is missing (a Lambda permission, a queue or
// topic policy, a CloudWatch Logs resource policy) at the end of `Resources`, or rewrite a value (a Unix cron as AWS
// cron). Written in the template's own syntax: JSON with long-form intrinsics, or YAML with short-form tags, indented
// as the file is.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionContext, Diagnostic, Range } from 'vscode-languageserver-types';
import type { ObjectNode, StringNode } from '../../engine/jsonAst';
import { stringStyleOf } from '../parsing/documentParser';
import { isEmbeddedUri } from '../sites/documentAnalysis';
import type { LanguageService } from '../languageService';
import { ruleChecks, type FixValue, type RuleFix, type RuleProblem } from './ruleChecks';
import { readTemplateModel } from './ruleTemplate';

const QUICK_FIX = 'quickfix';

export function doRuleCodeActions(
  service: LanguageService,
  document: TextDocument,
  range: Range,
  context: CodeActionContext,
): CodeAction[] {
  if (context.only && !context.only.some((k) => QUICK_FIX === k || QUICK_FIX.startsWith(`${k}.`))) return [];
  const doc = service.analyze(document);
  if (doc.readAs !== 'template' && doc.readAs !== 'serverless') return [];
  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  const out: CodeAction[] = [];
  for (const p of ruleChecks(doc)) {
    if (!p.fix || start > p.offset + p.length || end < p.offset) continue;
    const edit = fixEdit(doc.text, doc.languageId === 'json' ? 'json' : 'yaml', p.fix, doc, document.uri);
    if (!edit) continue;
    const diagnostics = context.diagnostics.filter((d) => d.code === p.code && sameStart(document, d, p));
    out.push({
      title: p.fix.title,
      kind: QUICK_FIX,
      ...(diagnostics.length > 0 ? { diagnostics } : {}),
      isPreferred: true,
      edit: {
        changes: {
          [document.uri]: [
            {
              range: { start: document.positionAt(edit.offset), end: document.positionAt(edit.offset + edit.length) },
              newText: edit.newText,
            },
          ],
        },
      },
    });
  }
  return out;
}

function sameStart(document: TextDocument, d: Diagnostic, p: RuleProblem): boolean {
  return document.offsetAt(d.range.start) === p.offset;
}

interface Edit {
  readonly offset: number;
  readonly length: number;
  readonly newText: string;
}

function fixEdit(
  text: string,
  syntax: 'json' | 'yaml',
  fix: RuleFix,
  doc: Parameters<typeof readTemplateModel>[0],
  uri: string,
): Edit | undefined {
  if (fix.kind === 'replace') return replaceString(text, syntax, fix.node, fix.value);
  // A template in a string (a StackSet's TemplateBody) would need its text escaped: not offered there.
  if (isEmbeddedUri(uri)) return undefined;
  const model = readTemplateModel(doc);
  if (!model) return undefined;
  let id = fix.logicalId;
  for (let n = 2; model.resources.has(id) || model.resourcesNode.properties.some((p) => p.key.value === id); n++)
    id = `${fix.logicalId}${n}`;
  return syntax === 'json'
    ? addJsonResource(text, model.resourcesNode, id, fix.resource)
    : addYamlResource(text, model.resourcesNode, id, fix.resource);
}

function replaceString(text: string, syntax: 'json' | 'yaml', node: StringNode, value: string): Edit {
  const old = text.slice(node.offset, node.offset + node.length);
  let newText: string;
  if (syntax === 'json' || old.startsWith('"')) newText = JSON.stringify(value);
  else if (old.startsWith("'")) newText = `'${value.replace(/'/g, "''")}'`;
  else if (stringStyleOf(node) === 'plain' && /^[a-z]+\([^#:'"]*\)$/.test(value)) newText = value;
  else newText = `'${value.replace(/'/g, "''")}'`;
  return { offset: node.offset, length: node.length, newText };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing a resource

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** The indentation step of the resources: from a resource's first key, else the file's first indented line. */
function indentStep(text: string, resources: ObjectNode): string {
  for (const entry of resources.properties) {
    const value = entry.value;
    if (value?.type === 'object' && value.properties.length > 0) {
      const step = columnOf(text, value.properties[0].key.offset) - columnOf(text, entry.key.offset);
      if (step > 0 && lineStartOf(text, value.properties[0].key.offset) !== lineStartOf(text, entry.key.offset))
        return ' '.repeat(step);
    }
  }
  return /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
}

function toJsonValue(v: FixValue): unknown {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map(toJsonValue);
  const o = v as Record<string, FixValue>;
  if ('$ref' in o) return { Ref: o.$ref };
  if ('$getAtt' in o) return { 'Fn::GetAtt': o.$getAtt };
  if ('$sub' in o) return { 'Fn::Sub': o.$sub };
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, toJsonValue(x)]));
}

function addJsonResource(
  text: string,
  resources: ObjectNode,
  id: string,
  resource: { Type: string; Properties: FixValue },
): Edit | undefined {
  const last = resources.properties[resources.properties.length - 1];
  const step = indentStep(text, resources);
  const json = JSON.stringify({ Type: resource.Type, Properties: toJsonValue(resource.Properties) }, null, step);
  if (!last) {
    // `"Resources": {}`: write inside the braces.
    if (!resources.closed) return undefined;
    const indent = /^[ \t]*/.exec(text.slice(lineStartOf(text, resources.offset)))![0] + step;
    const body = json.replace(/\n/g, `\n${indent}`);
    return {
      offset: resources.offset + 1,
      length: 0,
      newText: `\n${indent}${JSON.stringify(id)}: ${body}\n${indent.slice(step.length)}`,
    };
  }
  if (!last.value) return undefined;
  const indent = text.slice(lineStartOf(text, last.key.offset), last.key.offset);
  if (!/^[ \t]*$/.test(indent)) {
    // Resources written on one line: add on the same line.
    return {
      offset: last.value.offset + last.value.length,
      length: 0,
      newText: `, ${JSON.stringify(id)}: ${JSON.stringify(JSON.parse(json))}`,
    };
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = json.replace(/\n/g, `${eol}${indent}`);
  return {
    offset: last.value.offset + last.value.length,
    length: 0,
    newText: `,${eol}${indent}${JSON.stringify(id)}: ${body}`,
  };
}

const YAML_PLAIN = /^[A-Za-z_/][A-Za-z0-9 _./:-]*$/;

function yamlScalar(v: string | number): string {
  if (typeof v === 'number') return String(v);
  if (YAML_PLAIN.test(v) && !v.endsWith(' ') && !/: /.test(v) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(v))
    return v;
  return v.includes("'") ? JSON.stringify(v) : `'${v}'`;
}

/** A value written on the line of its key (a scalar or a tagged scalar), or undefined for a block. */
function yamlInline(v: FixValue): string | undefined {
  if (typeof v === 'string' || typeof v === 'number') return yamlScalar(v);
  if (Array.isArray(v)) return undefined;
  const o = v as Record<string, FixValue>;
  if ('$ref' in o) return `!Ref ${o.$ref as string}`;
  if ('$getAtt' in o) return `!GetAtt ${(o.$getAtt as string[]).join('.')}`;
  if ('$sub' in o) return `!Sub ${yamlScalar(o.$sub as string).replace(/^(?!['"])(.*)$/, "'$1'")}`;
  return undefined;
}

function yamlEntries(o: Record<string, FixValue>, indent: string, step: string): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    const inline = yamlInline(v);
    if (inline !== undefined) lines.push(`${indent}${k}: ${inline}`);
    else if (Array.isArray(v)) lines.push(`${indent}${k}:`, ...yamlItems(v as FixValue[], indent + step, step));
    else lines.push(`${indent}${k}:`, ...yamlEntries(v as Record<string, FixValue>, indent + step, step));
  }
  return lines;
}

function yamlItems(items: readonly FixValue[], indent: string, step: string): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const inline = yamlInline(item);
    if (inline !== undefined) {
      lines.push(`${indent}- ${inline}`);
      continue;
    }
    const inner = Array.isArray(item)
      ? yamlItems(item as FixValue[], `${indent}  `, step)
      : yamlEntries(item as Record<string, FixValue>, `${indent}  `, step);
    if (inner.length === 0) continue;
    inner[0] = `${indent}- ${inner[0].slice(indent.length + 2)}`;
    lines.push(...inner);
  }
  return lines;
}

function addYamlResource(
  text: string,
  resources: ObjectNode,
  id: string,
  resource: { Type: string; Properties: FixValue },
): Edit | undefined {
  const last = resources.properties[resources.properties.length - 1];
  // Flow-style `Resources: {...}` is rare: not offered.
  if (!last || text[resources.offset] === '{') return undefined;
  const indent = text.slice(lineStartOf(text, last.key.offset), last.key.offset);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const step = indentStep(text, resources);
  const lines = [
    `${indent}${id}:`,
    ...yamlEntries({ Type: resource.Type, Properties: resource.Properties }, indent + step, step),
  ];
  const end = last.value ? last.value.offset + last.value.length : last.key.offset + last.key.length;
  // After the line the last resource ends on (the value's range may take the line break with it).
  let at = text.indexOf('\n', Math.max(end - 1, last.key.offset));
  if (at < 0) at = text.length;
  else if (text[at - 1] === '\r') at--;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { offset: at, length: 0, newText: `${eol}${lines.join(eol)}` };
}
