// Template parameter values given on the command line, in the forms CloudFormation and SAM users already keep:
// `--parameter Key=Value`, and `--parameters <file>` holding CloudFormation's `[{"ParameterKey", "ParameterValue"}]`
// (what `aws cloudformation create-stack --parameters file://...` takes), a CodePipeline template configuration
// `{"Parameters": {...}}`, SAM's `Key=Value` overrides (`sam deploy --parameter-overrides`, one or more per line,
// `ParameterKey=K,ParameterValue=V` too, quotes as a shell would), or a samconfig.toml's `parameter_overrides`.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export class ParameterValuesError extends Error {}

/** CloudFormation's rule for parameter logical names. */
const PARAMETER_NAME = /^[A-Za-z0-9]+$/;

/** Reads `--parameters` files in order, then `--parameter` assignments: a later value for a name wins. */
export function collectParameterValues(
  files: readonly { readonly name: string; readonly text: string }[],
  assignments: readonly string[],
): Map<string, string> {
  const values = new Map<string, string>();
  for (const file of files) for (const [k, v] of parseParametersFile(file.text, file.name)) values.set(k, v);
  for (const a of assignments) {
    const [k, v] = parseAssignment(a, `--parameter ${a}`);
    values.set(k, v);
  }
  return values;
}

/** The values in one `--parameters` file; throws ParameterValuesError saying what is wrong and where. */
export function parseParametersFile(text: string, fileName: string): Map<string, string> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  let jsonError: string | undefined;
  try {
    json = JSON.parse(body);
  } catch (e) {
    jsonError = (e as Error).message;
  }
  if (jsonError === undefined) return fromJson(json, fileName);
  if (/^\s*parameter_overrides\s*=/m.test(body)) return fromSamconfig(body, fileName);
  if (/^\s*[[{]/.test(body)) throw new ParameterValuesError(`${fileName}: not valid JSON (${jsonError})`);
  return parseOverrides(body, fileName, true);
}

function fromJson(json: unknown, fileName: string): Map<string, string> {
  const values = new Map<string, string>();
  if (Array.isArray(json)) {
    json.forEach((item, i) => {
      const where = `${fileName}: entry ${i + 1}`;
      const {
        ParameterKey: key,
        ParameterValue: value,
        UsePreviousValue: previous,
      } = (item ?? {}) as Record<string, unknown>;
      if (typeof key !== 'string')
        throw new ParameterValuesError(`${where}: needs "ParameterKey" (a string) and "ParameterValue"`);
      if (previous === true && value === undefined)
        throw new ParameterValuesError(
          `${where}: UsePreviousValue needs the deployed stack; give ${key}'s value as "ParameterValue"`,
        );
      values.set(checkName(key, where), scalar(value, `${where} (${key})`));
    });
    return values;
  }
  const parameters = (json as { Parameters?: unknown } | null)?.Parameters;
  if (parameters && typeof parameters === 'object' && !Array.isArray(parameters)) {
    for (const [key, value] of Object.entries(parameters))
      values.set(checkName(key, `${fileName}: Parameters`), scalar(value, `${fileName}: Parameters.${key}`));
    return values;
  }
  throw new ParameterValuesError(
    `${fileName}: expected CloudFormation's [{"ParameterKey": "...", "ParameterValue": "..."}], ` +
      `{"Parameters": {"Key": "value"}}, or Key=Value lines`,
  );
}

function scalar(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ParameterValuesError(`${where}: "ParameterValue" must be a string`);
}

function checkName(key: string, where: string): string {
  if (!PARAMETER_NAME.test(key))
    throw new ParameterValuesError(`${where}: "${key}" is not a parameter name (letters and digits only)`);
  return key;
}

/** `Key=Value` given as one argument: the shell has already taken the quotes off. */
function parseAssignment(text: string, where: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ParameterValuesError(`${where}: expected Key=Value`);
  return [checkName(text.slice(0, eq), where), text.slice(eq + 1)];
}

/**
 * SAM's override syntax: `Key=Value` or `ParameterKey=K,ParameterValue=V` items separated by blanks (and, in a
 * file, lines; `#` starts a comment line), quotes grouping as in a shell.
 */
export function parseOverrides(text: string, where: string, isFile: boolean): Map<string, string> {
  const values = new Map<string, string>();
  const lines = isFile ? text.split(/\r?\n/) : [text];
  lines.forEach((line, i) => {
    if (isFile && /^\s*#/.test(line)) return;
    const at = isFile ? `${where}:${i + 1}` : where;
    for (const token of shellWords(line, at)) {
      const long = /^ParameterKey=([^,]*),ParameterValue=([\s\S]*)$/.exec(token);
      if (long) values.set(checkName(long[1], at), long[2]);
      else {
        const [k, v] = parseAssignment(token, `${at}: "${token}"`);
        values.set(k, v);
      }
    }
  });
  return values;
}

/** Splits on blanks outside quotes; `"..."` and `'...'` group and are removed, `\` escapes inside double quotes. */
function shellWords(line: string, where: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (quote) throw new ParameterValuesError(`${where}: a ${quote} quote is not closed`);
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * A samconfig.toml's `parameter_overrides` (a string of overrides, or an array of them). With several environments,
 * `[default.deploy.parameters]` wins, then `[default.global.parameters]`; anything else is ambiguous.
 */
function fromSamconfig(text: string, fileName: string): Map<string, string> {
  const found: { table: string; value: string; line: number }[] = [];
  let table = '';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[([^\]]+)\]\s*(?:#.*)?$/.exec(lines[i]);
    if (header) {
      table = header[1].trim().replace(/\s*\.\s*/g, '.');
      continue;
    }
    const m = /^\s*parameter_overrides\s*=\s*(.*)$/.exec(lines[i]);
    if (!m) continue;
    // An array may go on over several lines: read until its brackets close.
    let rest = m[1];
    while (rest.trimStart().startsWith('[') && !bracketsClose(rest) && i + 1 < lines.length) rest += `\n${lines[++i]}`;
    found.push({ table, value: tomlOverrides(rest, `${fileName}:${i + 1}`), line: i + 1 });
  }
  const chosen =
    found.length === 1
      ? found[0]
      : (found.find((f) => f.table === 'default.deploy.parameters') ??
        found.find((f) => f.table === 'default.global.parameters'));
  if (!chosen)
    throw new ParameterValuesError(
      `${fileName}: parameter_overrides in several environments (${found.map((f) => `[${f.table}]`).join(', ')}); ` +
        'give the values of one with --parameter or a file of Key=Value lines',
    );
  return parseOverrides(chosen.value, `${fileName}:${chosen.line} parameter_overrides`, false);
}

function bracketsClose(text: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return true;
  }
  return false;
}

/** A TOML string, or array of strings, as one overrides text. */
function tomlOverrides(text: string, where: string): string {
  let i = 0;
  const blank = (): void => {
    while (i < text.length && /[\s,]/.test(text[i])) i++;
    if (text[i] === '#') while (i < text.length && text[i] !== '\n') i++;
  };
  const string = (): string => {
    const q = text[i];
    if (q !== '"' && q !== "'")
      throw new ParameterValuesError(`${where}: parameter_overrides must be a string or an array of strings`);
    let out = '';
    for (i++; i < text.length; i++) {
      const c = text[i];
      if (c === q) {
        i++;
        return out;
      }
      if (c === '\n') break;
      if (c === '\\' && q === '"') {
        const e = text[++i];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };
        if (e in simple) out += simple[e];
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
          out += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
          i += 4;
        } else throw new ParameterValuesError(`${where}: unsupported escape \\${e ?? ''} in parameter_overrides`);
      } else out += c;
    }
    throw new ParameterValuesError(`${where}: a string in parameter_overrides is not closed`);
  };
  blank();
  if (text[i] !== '[') return string();
  i++;
  const items: string[] = [];
  for (blank(); i < text.length && text[i] !== ']'; blank()) items.push(string());
  if (text[i] !== ']') throw new ParameterValuesError(`${where}: the parameter_overrides array is not closed`);
  // As SAM reads a list: its items joined by blanks, then parsed as one overrides string.
  return items.join(' ');
}

/**
 * `--parameters` files (read relative to `cwd`) and `--parameter` assignments as one map; throws ParameterValuesError
 * for a file that cannot be read or is malformed.
 */
export function readParameterValues(
  files: readonly string[],
  assignments: readonly string[],
  cwd: string,
): Map<string, string> {
  const texts = files.map((name) => {
    try {
      return { name, text: readFileSync(resolve(cwd, name), 'utf8') };
    } catch (e) {
      throw new ParameterValuesError(
        `${name}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  });
  return collectParameterValues(texts, assignments);
}

/** Warnings for values given to parameters that none of the templates declares (most often a typo). */
export function unknownParameterWarnings(given: ReadonlyMap<string, string>, declared: ReadonlySet<string>): string[] {
  return [...given.keys()]
    .filter((name) => !declared.has(name))
    .map((name) => `parameter ${name} was given a value, but no template declares it in Parameters`);
}
