// `match-rules`: which of many rules match each event, through the compiled matcher the local bus uses. Rules come
// from CloudFormation / SAM templates (resolved as the local bus resolves them) or from JSON lines; events from an
// argument or from stdin, one per line, so a file of thousands of events streams through.

import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseArgs, single, UsageError } from './args';
import { readArgumentText } from './testEventPatternCommand';
import { compileRuleTexts } from '../engine/compiled/compileRules';
import { parseTemplateText, readTemplate, TemplateParseError } from '../localbus/templateLoader';
import { subTemplateError } from '../languageservice/substitutedPatterns';

export const MATCH_RULES_USAGE = `usage: match-rules (--template <file> | --rules <file.jsonl>)... [--event <json|@file|file://file>]
  rules:  --template  every AWS::Events::Rule with an EventPattern in a CloudFormation / SAM template (JSON or YAML)
          --rules     JSON lines {"name": "...", "pattern": <pattern object or its JSON text>}
          named by logical id (or "name"), prefixed with "<file>#" when rules come from more than one file
  events: --event, or one JSON event per line on stdin
  output: one line per event: {"rules": [matching rule names]}, or {"error": "..."} for a line that is not a JSON
          object; rules are listed templates first, then JSON-lines files, each file in its own order
  exit status: 0; 1 when a file cannot be read or a rule does not compile (said on stderr; the other rules still
          run); 2 for usage errors. What a template leaves unresolved without a deployment is a warning on stderr.`;

interface SourcedRule {
  readonly file: string;
  readonly name: string;
  readonly patternText: string;
  /** The `Fn::Sub` text the template writes, when `patternText` is it with each `${...}` resolved. */
  readonly templateText?: string;
}

export async function runMatchRulesCommand(
  argv: readonly string[],
  input: Readable,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  cwd: string = process.cwd(),
): Promise<number> {
  const args = parseArgs(argv, { values: ['template', 'rules', 'event'], flags: [] });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
  const templates = args.values.get('template') ?? [];
  const ruleFiles = args.values.get('rules') ?? [];
  if (templates.length + ruleFiles.length === 0) throw new UsageError('give rules with --template or --rules');
  const eventArg = single(args, 'event');

  let failed = false;
  const problem = (message: string): void => {
    failed = true;
    err.write(`${message}\n`);
  };
  const sourced: SourcedRule[] = [];
  const warn = (message: string): void => void err.write(`warning: ${message}\n`);
  for (const file of templates) sourced.push(...templateRules(file, cwd, problem, warn));
  for (const file of ruleFiles) sourced.push(...jsonLineRules(file, cwd, problem));

  const qualify = new Set(sourced.map((r) => r.file)).size > 1;
  const nameOf = (r: SourcedRule): string => (qualify ? `${r.file}#${r.name}` : r.name);
  const { set, rejected } = compileRuleTexts(sourced.map((r) => ({ name: nameOf(r), text: r.patternText })));
  const templateTexts = new Map<string, string>();
  for (const r of sourced) if (r.templateText !== undefined) templateTexts.set(nameOf(r), r.templateText);
  for (const r of rejected) {
    const template = templateTexts.get(r.name);
    const error = template === undefined ? r.error : subTemplateError(template, r.error);
    problem(`${r.name}: ${error.code}: ${error.message}`);
  }
  if (set.size === 0 && !failed) err.write('no rules with an event pattern found\n');

  const answer = (line: string): string => {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (e) {
      return JSON.stringify({ error: `not JSON: ${(e as Error).message}` });
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      return JSON.stringify({ error: 'an event must be a JSON object' });
    }
    try {
      return JSON.stringify({ rules: set.matchParsed(line, event) });
    } catch (e) {
      return JSON.stringify({ error: (e as Error).message });
    }
  };

  if (eventArg !== undefined) out.write(answer(readArgumentText(eventArg)) + '\n');
  else {
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() !== '') out.write(answer(line) + '\n');
    }
  }
  return failed ? 1 : 0;
}

function readText(path: string, shown: string, problem: (message: string) => void): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    problem(`${shown}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return undefined;
  }
}

function templateRules(
  file: string,
  cwd: string,
  problem: (message: string) => void,
  warn: (message: string) => void,
): SourcedRule[] {
  const shown = relative(cwd, resolve(cwd, file)) || file;
  const text = readText(resolve(cwd, file), shown, problem);
  if (text === undefined) return [];
  const warnings: string[] = [];
  try {
    const resources = readTemplate(parseTemplateText(text, shown, warnings), shown, {
      region: 'us-east-1',
      accountId: '123456789012',
    });
    // What could not be resolved without a deployment (a rule left out, a target skipped) is said, not fatal.
    for (const w of [...warnings, ...resources.warnings]) warn(w.startsWith(shown) ? w : `${shown}: ${w}`);
    return resources.rules.flatMap((r) =>
      r.eventPattern === undefined
        ? []
        : [
            {
              file: shown,
              name: r.logicalId,
              patternText: r.eventPattern,
              ...(r.eventPatternTemplate !== undefined ? { templateText: r.eventPatternTemplate } : {}),
            },
          ],
    );
  } catch (e) {
    if (!(e instanceof TemplateParseError)) throw e;
    problem(`${shown}: ${e.message}`);
    return [];
  }
}

function jsonLineRules(file: string, cwd: string, problem: (message: string) => void): SourcedRule[] {
  const shown = relative(cwd, resolve(cwd, file)) || file;
  const text = readText(resolve(cwd, file), shown, problem);
  if (text === undefined) return [];
  const rules: SourcedRule[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${shown}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      problem(`${where}: not JSON: ${(e as Error).message}`);
      return;
    }
    const { name, pattern } = (value ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || pattern === undefined || pattern === null) {
      problem(`${where}: a rule line needs "name" (a string) and "pattern" (an object or JSON text)`);
      return;
    }
    rules.push({ file: shown, name, patternText: typeof pattern === 'string' ? pattern : JSON.stringify(pattern) });
  });
  return rules;
}
