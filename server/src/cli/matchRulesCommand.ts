// `match-rules`: which of many rules match each event, through the compiled matcher the local bus uses. Rules come
// from CloudFormation / SAM templates (resolved as the local bus resolves them) or from JSON lines; events from an
// argument or from stdin, one per line, so a file of thousands of events streams through (or one JSON value as a whole).

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseTree } from 'jsonc-parser';
import { parseArgs, UsageError } from './args';
import { readArgumentText } from './testEventPatternCommand';
import { compileRuleTexts } from '../engine/compiled/compileRules';
import { ENVELOPE_KEYS, envelopeFromPutEventsEntry } from '../eventbridge/envelope';
import { unknownParameterWarnings } from '../cfn/parameterValues';
import { PARAMETER_OPTIONS, parameterOptions } from './parameterOptions';
import { parseTemplateText, readTemplate, TemplateParseError } from '../localbus/templateLoader';
import {
  documentLanguage,
  findPatternFileReferences,
  isCodeFile,
  mayReferencePatternFiles,
  readCodeRules,
  subTemplateError,
} from '../languageservice';
import { pathToFileURL } from 'node:url';

/** The account and region templates are resolved in and PutEvents entries are put from. */
const MATCH_ACCOUNT_ID = '123456789012';
const MATCH_REGION = 'us-east-1';

export const MATCH_RULES_USAGE = `usage: match-rules (--template <file> | --rules <file.jsonl>)... [--event <json|@file|file://file>]...
                   [--parameter <Key=Value>]... [--parameters <file>]...
  rules:  --template  every AWS::Events::Rule with an EventPattern, SAM EventBridgeRule event and Serverless
                      eventBridge event in a CloudFormation / SAM template or serverless.yml (JSON or YAML);
                      or every events.Rule of an AWS CDK file (.ts, .tsx, .js, .jsx, .mjs, .cjs, .py), named by its id
          --rules     JSON lines {"name": "...", "pattern": <pattern object or its JSON text>}
          named by logical id (SAM: <Function><Event>, Serverless: <function>.events[i], or "name"), prefixed
          with "<file>#" when rules come from more than one file
  parameters: values for the templates' Parameters (used before their Default): --parameter Key=Value, or a file of
          CloudFormation's [{"ParameterKey": ..., "ParameterValue": ...}], {"Parameters": {...}}, SAM's Key=Value
          overrides (blank- or line-separated), or a samconfig.toml's parameter_overrides; --parameter wins
  events: --event, or stdin: one JSON value per line, or one JSON value in all (a pretty-printed file): an event
          as EventBridge delivers it (source, detail-type, detail, ...), a PutEvents entry (Source, DetailType,
          Detail as JSON text; made into the event as EventBridge makes it, in account ${MATCH_ACCOUNT_ID} and
          ${MATCH_REGION}), a list of either, or {"Entries": [...]} (the aws events put-events --cli-input-json file)
  output: one line per event: {"rules": [matching rule names]}, or {"error": "..."} for a value that is not an event
          or a valid entry; rules are listed templates first, then JSON-lines files, each file in its own order
  exit status: 0; 1 when a file cannot be read or a rule does not compile (said on stderr; the other rules still
          run), when every event is an error, or when stdin is not JSON; 2 for usage errors and bad parameter
          files. What a template leaves unresolved without a deployment, and a parameter no template declares, are
          warnings on stderr.`;

interface SourcedRule {
  readonly file: string;
  readonly name: string;
  readonly patternText: string;
  /** The `Fn::Sub` text the template writes, when `patternText` is it with each `${...}` resolved. */
  readonly templateText?: string;
}

/** One event to match (its JSON text keeps number spellings), or why a value is not one. */
export type EventInput = { readonly text: string; readonly event: object } | { readonly error: string };

export async function runMatchRulesCommand(
  argv: readonly string[],
  input: Readable,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  cwd: string = process.cwd(),
): Promise<number> {
  const args = parseArgs(argv, { values: ['template', 'rules', 'event', ...PARAMETER_OPTIONS], flags: [] });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
  const templates = args.values.get('template') ?? [];
  const ruleFiles = args.values.get('rules') ?? [];
  if (templates.length + ruleFiles.length === 0) throw new UsageError('give rules with --template or --rules');
  const eventArgs = args.values.get('event') ?? [];
  const parameterValues = parameterOptions(args, cwd);

  let failed = false;
  const problem = (message: string): void => {
    failed = true;
    err.write(`${message}\n`);
  };
  const sourced: SourcedRule[] = [];
  const warn = (message: string): void => void err.write(`warning: ${message}\n`);
  const declared = new Set<string>();
  for (const file of templates) {
    sourced.push(
      ...(isCodeFile(file)
        ? await codeRules(file, cwd, problem, warn)
        : templateRules(file, cwd, parameterValues, declared, problem, warn)),
    );
  }
  if (templates.length > 0) for (const w of unknownParameterWarnings(parameterValues, declared)) warn(w);
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

  let answered = 0;
  let errors = 0;
  const answer = (text: string): string =>
    eventsOf(text)
      .map((e) => {
        answered++;
        if ('error' in e) {
          errors++;
          return JSON.stringify({ error: e.error });
        }
        try {
          return JSON.stringify({ rules: set.matchParsed(e.text, e.event) });
        } catch (x) {
          errors++;
          return JSON.stringify({ error: (x as Error).message });
        }
      })
      .join('\n');

  if (eventArgs.length > 0) for (const e of eventArgs) out.write(answer(readArgumentText(e)) + '\n');
  else {
    const unread = await answerLines(input, (text) => out.write(answer(text) + '\n'));
    if (unread !== undefined) {
      err.write(
        `stdin must hold one JSON value per line (or be one JSON value as a whole), and it is neither: ${unread}; ` +
          'for a pretty-printed file, --event @file reads it whole\n',
      );
      return 1;
    }
  }
  // Every input an error is most likely the wrong input, not an answer: say so to CI.
  return failed || (answered > 0 && errors === answered) ? 1 : 0;
}

/**
 * Answers stdin's JSON lines as they come, so a file of thousands of events streams through. When the first line
 * is not JSON, stdin is read whole: one JSON value written over many lines (a pretty-printed event file) is
 * answered as that value; JSON lines after a bad first line are answered line by line as usual; otherwise the
 * reason the whole is not JSON is returned, to be said once rather than once per line.
 */
async function answerLines(input: Readable, answer: (text: string) => void): Promise<string | undefined> {
  let held: string[] | undefined;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (held) held.push(line);
    else if (line.trim() === '') continue;
    else if (isJson(line)) answer(line);
    else held = [line];
  }
  if (!held) return undefined;
  const whole = held.join('\n');
  if (isJson(whole)) {
    answer(whole);
    return undefined;
  }
  const lines = held.filter((l) => l.trim() !== '');
  if (lines.slice(1).some(isJson)) {
    for (const line of lines) answer(line);
    return undefined;
  }
  return jsonErrorWhere(whole);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Why a text is not JSON, with the line and column where it stops being JSON. */
function jsonErrorWhere(text: string): string {
  try {
    JSON.parse(text);
    return 'it is JSON';
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    if (!at) return `not JSON (${message})`;
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    const column = Number(at[1]) - before.lastIndexOf('\n');
    return `not JSON at line ${line}, column ${column} (${message})`;
  }
}

// ---- events ----

/** Keys of a PutEvents entry (an event's are ENVELOPE_KEYS). */
const ENTRY_KEYS: readonly string[] = ['Source', 'DetailType', 'Detail'];

/** The events in one input: an event, a PutEvents entry, a list of them, or a PutEvents request. */
export function eventsOf(text: string): EventInput[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return [{ error: `not JSON: ${(e as Error).message}` }];
  }
  const request = isObject(value) && !hasAny(value, ENVELOPE_KEYS) ? value.Entries : undefined;
  const list = Array.isArray(value) ? value : Array.isArray(request) ? request : undefined;
  if (!list) return [eventOf(value, text)];
  if (list.length === 0) return [{ error: 'an empty list: no event to match' }];
  // Each item's own text, so that its numbers keep their spelling.
  const tree = parseTree(text);
  const items = Array.isArray(value)
    ? tree
    : tree?.children?.find((p) => p.children?.[0]?.value === 'Entries')?.children?.[1];
  return list.map((item: unknown, i) => {
    const node = items?.children?.[i];
    const one = eventOf(item, node ? text.slice(node.offset, node.offset + node.length) : JSON.stringify(item));
    return 'error' in one ? { error: `item ${i + 1}: ${one.error}` } : one;
  });
}

function eventOf(value: unknown, text: string): EventInput {
  if (!isObject(value)) return { error: 'an event must be a JSON object' };
  if (hasAny(value, ENVELOPE_KEYS)) return { text, event: value };
  if (hasAny(value, ENTRY_KEYS)) return eventFromEntry(value);
  const keys = Object.keys(value);
  return {
    error:
      'neither an event (with source, detail-type, detail, ...) nor a PutEvents entry (with Source, DetailType, ' +
      `Detail): ${keys.length === 0 ? 'it is empty' : `its keys are ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', ...' : ''}`}`,
  };
}

/** The event EventBridge would make of a PutEvents entry (the local bus's own code), as JSON text and value. */
function eventFromEntry(entry: Record<string, unknown>): EventInput {
  let time = entry.Time;
  // The AWS CLI takes Time as ISO 8601 or epoch seconds and sends epoch seconds.
  if (typeof time === 'string') {
    time = /^\d+(\.\d+)?$/.test(time) ? Number(time) : Date.parse(time) / 1000;
    if (Number.isNaN(time))
      return {
        error: `PutEvents entry: Time "${entry.Time as string}" is not a timestamp (ISO 8601 or epoch seconds)`,
      };
  }
  const built = envelopeFromPutEventsEntry(
    { ...entry, Time: time },
    { accountId: MATCH_ACCOUNT_ID, region: MATCH_REGION, newId: randomUUID, nowSeconds: () => Date.now() / 1000 },
  );
  if ('ErrorCode' in built) return { error: `PutEvents entry: ${built.ErrorCode}: ${built.ErrorMessage}` };
  // The entry's Detail text goes in as written, so its numbers keep their spelling.
  const head = JSON.stringify(built.event, (key, v: unknown) => (key === 'detail' ? undefined : v));
  return { text: `${head.slice(0, -1)},"detail":${entry.Detail as string}}`, event: built.event };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function hasAny(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return keys.some((k) => Object.hasOwn(value, k));
}

function readText(path: string, shown: string, problem: (message: string) => void): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    problem(`${shown}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return undefined;
  }
}

/** The rules of an AWS CDK app's file, named by their construct ids; a pattern only known at run time is left out. */
async function codeRules(
  file: string,
  cwd: string,
  problem: (message: string) => void,
  warn: (message: string) => void,
): Promise<SourcedRule[]> {
  const shown = relative(cwd, resolve(cwd, file)) || file;
  const text = readText(resolve(cwd, file), shown, problem);
  if (text === undefined) return [];
  let rules;
  try {
    rules = await readCodeRules(text, pathToFileURL(resolve(cwd, file)).href);
  } catch (e) {
    problem(`${shown}: cannot read: ${(e as Error).message}`);
    return [];
  }
  const sourced = rules.flatMap((r) => {
    if (r.patternText !== undefined) return [{ file: shown, name: r.name, patternText: r.patternText }];
    warn(`${shown}:${r.line}: rule ${r.name} left out: its pattern holds values only known when the code runs`);
    return [];
  });
  if (mayReferencePatternFiles(file)) sourced.push(...(await referencedRules(file, text, cwd, shown, problem, warn)));
  return sourced;
}

/** Terraform rules whose pattern is in a file of its own (`event_pattern = file("rule.json")`). */
async function referencedRules(
  file: string,
  text: string,
  cwd: string,
  shown: string,
  problem: (message: string) => void,
  warn: (message: string) => void,
): Promise<SourcedRule[]> {
  const path = resolve(cwd, file);
  const out: SourcedRule[] = [];
  for (const reference of await findPatternFileReferences(text, pathToFileURL(path).href)) {
    if (reference.kind !== 'terraformEventRule') continue;
    const target = resolve(dirname(path), reference.path);
    const patternText = readText(target, relative(cwd, target) || target, problem);
    if (patternText === undefined) continue;
    // A template's `${...}` and `%{...}` are only known at plan.
    if (reference.templated && /[$%]\{/.test(patternText)) {
      warn(`${shown}: rule ${reference.resourceId} left out: its pattern file ${reference.path} is a template`);
      continue;
    }
    out.push({ file: shown, name: reference.resourceId, patternText });
  }
  return out;
}

function templateRules(
  file: string,
  cwd: string,
  parameterValues: ReadonlyMap<string, string>,
  declared: Set<string>,
  problem: (message: string) => void,
  warn: (message: string) => void,
): SourcedRule[] {
  const shown = relative(cwd, resolve(cwd, file)) || file;
  const text = readText(resolve(cwd, file), shown, problem);
  if (text === undefined) return [];
  const warnings: string[] = [];
  try {
    // Read as lint reads it: a `.template` (or any name but .json/.yaml) by its content, YAML flow style included.
    const language = documentLanguage(shown, undefined, text);
    if (language !== 'json' && language !== 'yaml') return [];
    const resources = readTemplate(parseTemplateText(text, shown, warnings, language), shown, {
      region: MATCH_REGION,
      accountId: MATCH_ACCOUNT_ID,
      parameterValues,
    });
    for (const name of resources.parameterNames) declared.add(name);
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
    problem(e.message); // it names the file
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
