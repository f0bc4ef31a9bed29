// How text is written into a pattern that lives in code (AWS CDK in TypeScript/JavaScript or Python, Terraform): the
// features (completion, quick fixes) build their edits through a site's CodeSyntax instead of writing JSON or YAML.
// Each code reader gives its sites one; a feature that cannot write correct code for a case does not offer it.

import type { AstNode, JsonPath } from '../../engine/jsonAst';
import type { CodeLanguageId } from '../parsing/parsedDocument';

export interface CodeSyntax {
  readonly language: CodeLanguageId;
  /**
   * How a key named `name` (EventBridge's name) is written in the object at `path` (JSON path of that object inside
   * the pattern): `detailType` for `detail-type` at the top of a CDK `EventPattern`, `'my-field'` inside `detail`.
   */
  key(name: string, path: JsonPath): string;
  /** A JSON value written in the language (strings quoted and escaped as the language needs). */
  value(value: unknown, path: JsonPath): string;
  /** What separates a key from its value in the object at `path`: ': ' in TS, ' = ' in HCL, '=' for Python keywords. */
  keyValueSeparator(path: JsonPath): string;
  /**
   * Whether a node of the site's pattern is written literally in the code, so that its range may be replaced by text
   * from `key()` or `value()` (or wrapped in brackets). False for what the reader made up from other code: the match
   * list CDK puts around a plain value, the operator object a `Match.prefix(...)` call produces, and its key.
   * (Added to the shared contract by the CDK integration; a reader whose nodes are all written as such returns true.)
   */
  isLiteral(node: AstNode): boolean;
  /**
   * Whether a key named `name` can be written in the object at `path` at all: false for `$or` among a Python
   * `EventPattern(...)`'s keyword arguments, which are the envelope's fields only. Absent: every key can.
   * (Added to the shared contract by the CDK Python reader.)
   */
  canWriteKey?(name: string, path: JsonPath): boolean;
}

/** A site whose pattern lives in code carries its syntax. */
export interface CodeSite {
  readonly syntax?: CodeSyntax;
}
