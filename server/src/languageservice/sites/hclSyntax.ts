// How a pattern written in code is written back: the text of a key or a value in the code's own syntax, for
// completion insert texts and quick-fix edits. Here, HCL inside Terraform's `jsonencode({...})`, where
// `jsonencode` turns the HCL object into the JSON text of the pattern.

import type { AstNode } from '../../engine/jsonAst';
import type { CodeSyntax } from './codeSyntax';

/**
 * An HCL identifier (ASCII letters, digits, `_` and, unlike most languages, `-`; not starting with a digit or `-`).
 * Such a key is written bare: `{ detail-type = [...] }` is the key "detail-type".
 */
const HCL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/**
 * Words HCL reads as something else at the start of an object element (`true`, `null`, a `for` expression ...):
 * written quoted, so the key stays a key.
 */
const HCL_KEYWORDS: ReadonlySet<string> = new Set([
  'true',
  'false',
  'null',
  'for',
  'in',
  'if',
  'else',
  'endif',
  'endfor',
]);

/** Whether `name` can be written as a bare object key in HCL. */
export function isBareHclKey(name: string): boolean {
  return HCL_IDENTIFIER.test(name) && !HCL_KEYWORDS.has(name);
}

/**
 * A string as an HCL quoted template literal: JSON's escapes that HCL shares, `\uNNNN` for other control characters,
 * and the template sequences doubled (`${` → `$${`, `%{` → `%%{`) so that nothing is interpolated.
 */
export function hclString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const code = value.charCodeAt(i);
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else if ((c === '$' || c === '%') && value[i + 1] === '{') out += c + c;
    else if ((c === '$' || c === '%') && value[i + 1] === c && beforeBrace(value, i, c)) {
      // `$$${` would read as `$$` and an interpolation: the `$`s before an escaped `${` are written as escapes.
      out += `\\u00${code.toString(16)}`;
    } else out += c;
  }
  return `${out}"`;
}

/** Whether the run of `c` starting at `i` is followed by `{`. */
function beforeBrace(value: string, i: number, c: string): boolean {
  let j = i;
  while (value[j] === c) j++;
  return value[j] === '{';
}

/** A JSON value (what `JSON.parse` gives) as an HCL expression that `jsonencode` turns back into the same JSON. */
export function hclValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? hclNumber(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(hclValue).join(', ')}]`;
  if (typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${hclKey(k)} = ${hclValue(v)}`);
    return members.length === 0 ? '{}' : `{ ${members.join(', ')} }`;
  }
  return 'null';
}

/**
 * A number as HCL reads it back: JavaScript's shortest form, with `.0` before an exponent (`1.0e+21`), which every
 * HCL reader takes (the tree-sitter grammar editors use rejects `1e+21`). A negative number is `-` and the number.
 */
function hclNumber(value: number): string {
  const text = String(value);
  return text.replace(/^(-?\d+)e/, '$1.0e');
}

/** An object key: bare when HCL reads it as the same name, quoted otherwise. */
export function hclKey(name: string): string {
  return isBareHclKey(name) ? name : hclString(name);
}

/** Keys, values and separators of a pattern written as an HCL object inside `jsonencode(...)`. */
export const hclSyntax: CodeSyntax = {
  language: 'terraform',
  key: (name) => hclKey(name),
  value: (value) => hclValue(value),
  keyValueSeparator: () => ' = ',
  // The reader builds every node from HCL written as such (what it cannot read is unknown).
  isLiteral: (node: AstNode) => node.type !== 'unknown',
};
