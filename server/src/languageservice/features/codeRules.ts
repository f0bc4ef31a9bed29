// The rules an AWS CDK app (or other code) defines, for `match-rules --template lib/stack.ts`: each rule's pattern as
// the JSON CDK synthesizes, named by the construct's id. A pattern holding a value only known when the code runs
// (a variable, a call) cannot be matched: it is left out with a reason. Terraform (`.tf`, `.tf.json`) alike: its
// `aws_cloudwatch_event_rule`s (and the eventbridge module's `rules`), named by their addresses.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { toPlainValue } from '../../engine/jsonAst';
import { analyzeDocument, documentLanguage } from '../sites/documentAnalysis';
import { prepareCodeDocument } from '../sites/codeSites';
import { isCodeLanguage } from '../parsing/parsedDocument';
import { isTerraformJsonFile } from '../sites/terraformJsonSites';
import type { AnalyzedSite } from '../sites/documentAnalysis';
import { writeJson } from './patternCodeActions';

export interface CodeRule {
  /** The construct's id (`new events.Rule(this, 'Id', ...)`), else the variable or object named, else `line N`. */
  readonly name: string;
  /** 1-based line of the pattern. */
  readonly line: number;
  /** The pattern as CDK synthesizes it; undefined when it holds values only known when the code runs. */
  readonly patternText?: string;
}

/** Whether a file is read as code (AWS CDK, Terraform, also in JSON syntax) rather than as a template. */
export function isCodeFile(uri: string): boolean {
  return isCodeLanguage(documentLanguage(uri)) || isTerraformJsonFile(uri);
}

/** The sites that are event-bus rules: CDK's `Rule`s and Terraform's `aws_cloudwatch_event_rule`s. */
const RULE_KINDS: ReadonlySet<string> = new Set(['eventsRule', 'terraformEventRule']);

/** A rule's pattern as JSON text, or undefined when a value in it is only known when the code runs (or at plan). */
function patternTextOf(s: AnalyzedSite): string | undefined {
  const site = s.site;
  if (site.form === 'string') return site.substitutions.length === 0 ? site.text : undefined;
  const json = writeJson(site.node, 'compact');
  return json !== undefined && toPlainValue(site.node) !== undefined ? json : undefined;
}

/** The event-bus rules of a code file (its grammar loaded first); none for a file of another kind. */
export async function readCodeRules(text: string, uri: string): Promise<CodeRule[]> {
  await prepareCodeDocument(text, uri);
  const analysis = analyzeDocument(text, uri);
  if (!isCodeLanguage(analysis.languageId) && !isTerraformJsonFile(uri)) return [];
  const lines = TextDocument.create(uri, analysis.languageId, 1, text);
  return analysis.sites
    .filter((s) => RULE_KINDS.has(s.site.kind))
    .map((s) => {
      const line = lines.positionAt(s.site.range.offset).line + 1;
      const patternText = patternTextOf(s);
      const name = s.site.name ?? (s.site.kind === 'terraformEventRule' ? s.site.resourceId : undefined);
      return { name: name ?? `line ${line}`, line, ...(patternText !== undefined ? { patternText } : {}) };
    });
}
