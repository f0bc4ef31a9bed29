// The parsed document's shapes, shared by the parsers (documentParser.ts, yamlRegions.ts, yamlFlowIndentation.ts) and
// what reads their output. Kept apart so the region and relaxed-indentation parsers need not import the document
// parser that calls them.

import type { AstNode, StringNode, UnknownNode } from '../../engine/jsonAst';
import { isIntrinsicKey } from '../../cfn/intrinsics';
import type { StringStyle } from './stringSourceMap';

/**
 * The languages documents are read in: JSON and YAML (parsed into the house AST by parseDocument), and the languages
 * patterns are written in as code (read by the readers of sites/codeSites.ts, never by parseDocument).
 */
export type DocumentLanguageId = 'json' | 'yaml' | CodeLanguageId;

/** Languages whose patterns are written in code (AWS CDK, Terraform): read with tree-sitter grammars. */
export type CodeLanguageId = 'typescript' | 'javascript' | 'python' | 'terraform';

export const CODE_LANGUAGES: readonly CodeLanguageId[] = ['typescript', 'javascript', 'python', 'terraform'];

export function isCodeLanguage(id: string | undefined): id is CodeLanguageId {
  return id === 'typescript' || id === 'javascript' || id === 'python' || id === 'terraform';
}

export interface SyntaxProblem {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
  /** The yaml parser's error code (`BAD_INDENT`, `MISSING_CHAR`...), for YAML problems. */
  readonly code?: string;
}

export interface ParsedDocument {
  /** Undefined for an empty document (or one too deeply nested to analyse). */
  readonly root: AstNode | undefined;
  readonly syntaxErrors: SyntaxProblem[];
}

/** A string node that remembers how it was written, so decoded offsets can be mapped back to the document. */
export interface SourcedStringNode extends StringNode {
  readonly style: StringStyle;
  /** For YAML block scalars: the indentation of the enclosing node (an explicit indentation indicator is relative). */
  readonly blockParentIndent?: number;
}

/** An intrinsic function call (`!Sub '...'`, `{"Fn::Sub": ...}`): unknown until deploy, argument kept. */
export interface IntrinsicNode extends UnknownNode {
  /** The long-form name (`Fn::Sub`, `Ref`), whichever form was written. */
  readonly intrinsic: string;
  /** The function's argument as written (for `!Sub 'x'` a string node, for `!Sub [x, {...}]` an array node). */
  argument: AstNode | undefined;
}

export function isIntrinsicNode(node: AstNode | undefined): node is IntrinsicNode {
  return (
    node !== undefined && node.type === 'unknown' && typeof (node as Partial<IntrinsicNode>).intrinsic === 'string'
  );
}

// Helpers every parser builds its nodes with.

/** A number written as JSON writes it (a YAML number spelled so keeps its spelling). */
export const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function intrinsicDescription(name: string, argument: AstNode | undefined, text: string): string {
  if (argument?.type === 'string') return truncate(`${name} ${argument.value}`);
  if (!argument) return name;
  return truncate(`${name} ${text.slice(argument.offset, argument.offset + argument.length)}`);
}

export function truncate(s: string): string {
  const oneLine = s.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

/**
 * A one-key mapping is an intrinsic call when the key is a long-form name. `Condition` is left out (it is only a
 * function inside condition expressions), and `Ref` must hold a string: a pattern field named `Ref` with a match
 * list is still a pattern field.
 */
export function isLongFormIntrinsic(key: string, value: AstNode | undefined): boolean {
  if (key === 'Condition' || !isIntrinsicKey(key)) return false;
  if (key === 'Ref') return value?.type === 'string';
  return true;
}

/** Sets parent links everywhere, including inside intrinsic arguments (which jsonAst.linkParents does not visit). */
export function linkAllParents(root: AstNode): void {
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'object') {
      for (const p of node.properties) {
        p.parent = node;
        p.key.parent = p;
        if (p.value) {
          p.value.parent = p;
          stack.push(p.value);
        }
      }
    } else if (node.type === 'array') {
      for (const item of node.items) {
        item.parent = node;
        stack.push(item);
      }
    } else if (isIntrinsicNode(node) && node.argument) {
      node.argument.parent = node;
      stack.push(node.argument);
    }
  }
}
