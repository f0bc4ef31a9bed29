// The parsed document's shapes, shared by the parsers (documentParser.ts, yamlRegions.ts, yamlFlowIndentation.ts) and
// what reads their output. Kept apart so the region and relaxed-indentation parsers need not import the document
// parser that calls them.

import type { AstNode, StringNode, UnknownNode } from '../../engine/jsonAst';
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
