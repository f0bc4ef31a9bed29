// The rules an AWS CDK app (or other code) defines, for `match-rules --template lib/stack.ts`: each rule's pattern as
// the JSON CDK synthesizes, named by the construct's id. A pattern holding a value only known when the code runs
// (a variable, a call) cannot be matched: it is left out with a reason.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { toPlainValue } from '../../engine/jsonAst';
import { analyzeDocument, documentLanguage } from '../sites/documentAnalysis';
import { prepareCodeDocument } from '../sites/codeSites';
import { isCodeLanguage } from '../parsing/parsedDocument';
import { writeJson } from './patternCodeActions';

export interface CodeRule {
  /** The construct's id (`new events.Rule(this, 'Id', ...)`), else the variable or object named, else `line N`. */
  readonly name: string;
  /** 1-based line of the pattern. */
  readonly line: number;
  /** The pattern as CDK synthesizes it; undefined when it holds values only known when the code runs. */
  readonly patternText?: string;
}

/** Whether a file is read as code (AWS CDK, Terraform) rather than as a template. */
export function isCodeFile(uri: string): boolean {
  return isCodeLanguage(documentLanguage(uri));
}

/** The event-bus rules of a code file (its grammar loaded first); none for a file of another kind. */
export async function readCodeRules(text: string, uri: string): Promise<CodeRule[]> {
  await prepareCodeDocument(text, uri);
  const analysis = analyzeDocument(text, uri);
  if (!isCodeLanguage(analysis.languageId)) return [];
  const lines = TextDocument.create(uri, analysis.languageId, 1, text);
  return analysis.sites
    .filter((s) => s.site.kind === 'eventsRule')
    .map((s) => {
      const line = lines.positionAt(s.site.range.offset).line + 1;
      const json = writeJson(s.site.node, 'compact');
      const patternText = json !== undefined && toPlainValue(s.site.node) !== undefined ? json : undefined;
      return { name: s.site.name ?? `line ${line}`, line, ...(patternText !== undefined ? { patternText } : {}) };
    });
}
