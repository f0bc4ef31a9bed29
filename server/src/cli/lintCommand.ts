// `lint <files or globs> [--format text|json|sarif] [--max-warnings N]`: the editor's diagnostics for files on disk,
// for CI. Goes through the same language service facade as the language server, so a file lints the same here as in
// the editor.

import { existsSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { parseArgs, single, UsageError } from './args';
import { PARAMETER_OPTIONS, parameterOptions } from './parameterOptions';
import { sarifReport } from './sarifReport';
import { unknownParameterWarnings } from '../cfn/parameterValues';
import { parseTemplateText, readTemplate, TemplateParseError } from '../localbus/templateLoader';
import { readSampleEventFiles } from '../languageserver/sampleEventFiles';
import {
  documentLanguage,
  findPatternFileReferences,
  getLanguageService,
  mayReferencePatternFiles,
  setSampleEvents,
  validateReferencedPatternFile,
  type LanguageService,
} from '../languageservice';

export const LINT_USAGE = `usage: lint <file|glob>... [--format text|json|sarif] [--max-warnings <n>]
                             [--parameter <Key=Value>]... [--parameters <file>]...
  globs: *, **, ?, {a,b}, [abc] (quote them so the shell leaves them alone); node_modules and .git are skipped; a
          path that exists is taken as written; a glob matching nothing is a warning unless nothing matches at all
  read: CloudFormation and SAM templates (JSON or YAML; .template and other names by their content), Serverless
          Framework files and pattern files (*.eventpattern.json|yaml|yml); their JSON and YAML syntax errors are
          errors (EB430). AWS CDK apps in TypeScript and JavaScript (.ts, .tsx, .js, .jsx, .mjs, .cjs) and Python
          (.py): the patterns of their rules, archives and filters. Terraform (.tf, .tf.json), and the pattern files
          it reads with file(...) or templatefile(...), each checked once, on its own lines. Other files are skipped
          silently, syntax errors included: they are not ours to judge.
  exit status: 1 when an error is found (or a file cannot be read), or when there are more than --max-warnings
          warnings; 0 otherwise; 2 for usage errors and bad parameter files
  json: an array of {"file","line","column","endLine","endColumn","severity","code","message"} (1-based)
  sarif: a SARIF 2.1.0 log (rule ids are the problem codes, with links to their documentation), for code scanning
  sample events: the events/**/*.json files of the current folder (each an event or an array of them), as the editor
          reads them: a pattern naming a detail field that no sample of its custom source has gets an info (EB520)
  parameters: as match-rules and local-bus take them, so one set of flags serves all three; lint checks patterns as
          written (a !Ref to a parameter stays an unknown value), checks the parameter file and warns on stderr
          about a name that no linted template declares`;

export type LintSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface LintFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: LintSeverity;
  readonly code: string;
  readonly message: string;
}

/** Files larger than this are reported and skipped: a template is far smaller, and the parse is in memory. */
export const MAX_LINT_FILE_BYTES = 8 * 1024 * 1024;
/** A NUL byte in the first bytes means binary, as git decides. */
const BINARY_SNIFF_BYTES = 8000;
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git']);
const SEVERITY_NAMES: Readonly<Record<number, LintSeverity>> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

export async function runLintCommand(
  argv: readonly string[],
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  cwd: string = process.cwd(),
): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'max-warnings', ...PARAMETER_OPTIONS], flags: [] });
  const format = single(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif')
    throw new UsageError('--format must be text, json or sarif');
  const maxWarningsText = single(args, 'max-warnings');
  if (maxWarningsText !== undefined && !/^\d{1,9}$/.test(maxWarningsText))
    throw new UsageError(`--max-warnings must be a whole number of warnings allowed, not ${maxWarningsText}`);
  const maxWarnings = maxWarningsText === undefined ? undefined : Number(maxWarningsText);
  const parameterValues = parameterOptions(args, cwd);
  const inputs = args.positional.filter((a) => a !== '--');
  if (inputs.length === 0) throw new UsageError('give at least one file or glob');

  const files: string[] = [];
  const seen = new Set<string>();
  const unmatched: string[] = [];
  for (const input of inputs) {
    // A path that exists is that path, even with glob characters in its name (`{{cookiecutter.name}}/`, `[id].json`).
    const literal = resolve(cwd, input);
    const matches = isGlob(input) && !existsSync(literal) ? expandGlob(input, cwd) : [literal];
    if (matches.length === 0) unmatched.push(input);
    for (const m of matches) {
      if (!seen.has(m)) {
        seen.add(m);
        files.push(m);
      }
    }
  }

  // One glob that matches nothing does not stop the others (a monorepo's globs rarely all match); nothing at all does.
  if (files.length === 0) throw new UsageError(`no files match ${unmatched.join(', ')}`);
  for (const input of unmatched) err.write(`lint: warning: no files match ${input}\n`);

  // Every syntax error of the files read is reported: no editor shows them here.
  const service = getLanguageService({ syntaxErrors: { yamlLanguage: true, jsonLanguage: true, codeLanguages: true } });
  // The sample events of the folder (events/**/*.json), as the editor learns custom sources from them (EB520).
  const samples = await readSampleEventFiles([pathToFileURL(cwd).href]);
  for (const p of samples.problems.slice(0, 20)) err.write(`lint: warning: sample events: ${p}\n`);
  if (samples.files.length > 0) setSampleEvents(service, samples.files);
  const findings: LintFinding[] = [];
  const helpUris = new Map<string, string>();
  const declaredParameters = new Set<string>();
  const referenced = new Set<string>();
  for (const path of files) {
    const shown = displayPath(path, cwd);
    const read = readLintableFile(path);
    if ('problem' in read) {
      findings.push({ file: shown, line: 1, column: 1, endLine: 1, endColumn: 1, ...read.problem });
      continue;
    }
    const uri = pathToFileURL(path).href;
    const document = TextDocument.create(uri, documentLanguage(uri, undefined, read.text), 1, read.text);
    try {
      // Code (CDK, Terraform) is read with its grammar, loaded on the first file that needs it.
      await service.prepare(document);
    } catch (e) {
      const message = `not linted: the grammar of its language cannot be loaded (${(e as Error).message})`;
      findings.push({
        file: shown,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        severity: 'error',
        code: 'lint/unreadable',
        message,
      });
      continue;
    }
    for (const d of service.doValidation(document)) {
      const finding = toFinding(shown, d);
      findings.push(finding);
      if (d.codeDescription?.href && finding.code !== '') helpUris.set(finding.code, d.codeDescription.href);
    }
    if (mayReferencePatternFiles(uri))
      findings.push(...(await referencedFileFindings(service, path, document, cwd, referenced, helpUris)));
    const language = document.languageId;
    if (parameterValues.size > 0 && (language === 'json' || language === 'yaml'))
      for (const name of parameterNamesOf(read.text, shown, language)) declaredParameters.add(name);
  }

  if (format === 'json') out.write(JSON.stringify(findings, null, 2) + '\n');
  else if (format === 'sarif') out.write(JSON.stringify(sarifReport(findings, helpUris), null, 2) + '\n');
  else out.write(textReport(findings, files.length + referenced.size));
  if (format !== 'text' && findings.some((f) => f.code.startsWith('lint/'))) {
    // Problems with the inputs themselves also go to stderr, where a CI log shows them even when stdout is parsed.
    for (const f of findings.filter((x) => x.code.startsWith('lint/'))) err.write(`${f.file}: ${f.message}\n`);
  }
  for (const w of unknownParameterWarnings(parameterValues, declaredParameters)) err.write(`warning: ${w}\n`);
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const tooManyWarnings = maxWarnings !== undefined && warnings > maxWarnings;
  if (tooManyWarnings)
    err.write(
      `lint: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings} allows\n`,
    );
  return findings.some((f) => f.severity === 'error') || tooManyWarnings ? 1 : 0;
}

/** Where a problem of a file that cannot be read as a pattern Terraform names is documented. */
const MISSING_PATTERN_FILE = 'EB433';

/**
 * The problems of the pattern files a Terraform file reads (`file("rule.json")`), each checked once (`checked` holds
 * those done, by path, dialect and scope), under its own path; a file that cannot be read is a warning at the
 * `file(...)` argument in the Terraform file.
 */
async function referencedFileFindings(
  service: LanguageService,
  path: string,
  document: TextDocument,
  cwd: string,
  checked: Set<string>,
  helpUris: Map<string, string>,
): Promise<LintFinding[]> {
  const out: LintFinding[] = [];
  for (const reference of await findPatternFileReferences(document.getText(), document.uri)) {
    const target = resolve(dirname(path), reference.path);
    const read = readLintableFile(target);
    if ('problem' in read) {
      const start = document.positionAt(reference.range.offset);
      const end = document.positionAt(reference.range.offset + reference.range.length);
      out.push({
        file: displayPath(path, cwd),
        line: start.line + 1,
        column: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
        severity: 'warning',
        code: MISSING_PATTERN_FILE,
        message: `${reference.resourceId} reads its pattern from ${reference.path}, which is not checked: ${read.problem.message}`,
      });
      continue;
    }
    const key = `${target}\0${reference.dialect}\0${reference.snsScope ?? ''}\0${reference.templated}`;
    if (checked.has(key)) continue;
    checked.add(key);
    const referencedDocument = TextDocument.create(pathToFileURL(target).href, 'json', 1, read.text);
    for (const d of validateReferencedPatternFile(service, referencedDocument, reference)) {
      const finding = toFinding(displayPath(target, cwd), d);
      out.push(finding);
      if (d.codeDescription?.href && finding.code !== '') helpUris.set(finding.code, d.codeDescription.href);
    }
  }
  return out;
}

/** The Parameters a template (or serverless.yml) declares; none for a file that is not one or does not parse. */
function parameterNamesOf(text: string, shown: string, language: 'json' | 'yaml'): string[] {
  try {
    return readTemplate(parseTemplateText(text, shown, undefined, language), shown, {
      region: 'us-east-1',
      accountId: '123456789012',
    }).parameterNames;
  } catch (e) {
    if (e instanceof TemplateParseError) return [];
    throw e;
  }
}

function toFinding(file: string, d: Diagnostic): LintFinding {
  return {
    file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: SEVERITY_NAMES[d.severity ?? 1] ?? 'error',
    code: d.code === undefined ? '' : String(d.code),
    message: typeof d.message === 'string' ? d.message : d.message.value,
  };
}

function textReport(findings: readonly LintFinding[], fileCount: number): string {
  const lines = findings.map(
    (f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message.replace(/\s*\n\s*/g, ' ')}`,
  );
  const counted = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const bySeverity = (['error', 'warning', 'info', 'hint'] as const).map((s) =>
    counted(findings.filter((f) => f.severity === s).length, s),
  );
  const files = counted(fileCount, 'file');
  lines.push(
    findings.length === 0
      ? `no problems in ${files}`
      : `${counted(findings.length, 'problem')} (${bySeverity.join(', ')}) in ${files}`,
  );
  return lines.join('\n') + '\n';
}

type ReadResult = { text: string } | { problem: Pick<LintFinding, 'severity' | 'code' | 'message'> };

/** Reads a file to lint, or says clearly why it is not linted. */
function readLintableFile(path: string): ReadResult {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (e) {
    return { problem: { severity: 'error', code: 'lint/unreadable', message: `cannot read the file: ${ioReason(e)}` } };
  }
  if (stats.isDirectory()) {
    return {
      problem: {
        severity: 'error',
        code: 'lint/directory',
        message: 'is a directory: give files or a glob such as "dir/**/*.yaml"',
      },
    };
  }
  if (stats.size > MAX_LINT_FILE_BYTES) {
    return {
      problem: {
        severity: 'warning',
        code: 'lint/too-large',
        message: `not linted: ${stats.size} bytes is more than the ${MAX_LINT_FILE_BYTES} bytes a template can be`,
      },
    };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { problem: { severity: 'error', code: 'lint/unreadable', message: `cannot read the file: ${ioReason(e)}` } };
  }
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    return { problem: { severity: 'warning', code: 'lint/binary', message: 'not linted: a binary file' } };
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file (ENOENT)';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  return code ?? (e as Error).message;
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

// ---------------------------------------------------------------------------------------------------------------
// Globs, without a dependency: the literal leading directories are the walk's root, the rest is matched against
// paths relative to it.

export function isGlob(s: string): boolean {
  return /[*?[{]/.test(s);
}

/** Absolute paths of the files matching a glob, sorted; node_modules and .git are never entered. */
export function expandGlob(glob: string, cwd: string): string[] {
  const segments = glob.replace(/\\/g, '/').split('/');
  const literal: string[] = [];
  while (segments.length > 1 && !isGlob(segments[0])) literal.push(segments.shift()!);
  const base = resolve(cwd, literal.length === 0 ? '.' : literal.join('/') || '/');
  const pattern = globPatternToRegExp(segments.join('/'));
  const maxDepth = segments.some((s) => s.includes('**')) ? Infinity : segments.length;
  const found: string[] = [];
  walk(base, '', 1, maxDepth, pattern, found);
  return found.sort();
}

function walk(dir: string, rel: string, depth: number, maxDepth: number, pattern: RegExp, found: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // an unreadable directory holds nothing we can lint
  }
  for (const e of entries) {
    const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
    const full = join(dir, e.name);
    // Symbolic links to directories are not followed (no cycles); links to files are linted.
    const isFile = e.isFile() || (e.isSymbolicLink() && isFileTarget(full));
    if (e.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(e.name) && depth < maxDepth)
        walk(full, childRel, depth + 1, maxDepth, pattern, found);
    } else if (isFile && pattern.test(childRel)) {
      found.push(full);
    }
  }
}

function isFileTarget(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `**` spans directories (`a/**` + `/b` also matches `a/b`), `*` and `?` stay within one, `{a,b}` and `[ab]` as usual. */
export function globPatternToRegExp(glob: string): RegExp {
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const wholeSegment = (i === 0 || glob[i - 1] === '/') && (glob[i + 2] === '/' || i + 2 === glob.length);
      if (wholeSegment && glob[i + 2] === '/') {
        source += '(?:[^/]+/)*';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        const body = glob
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = close;
      }
    } else if (c === '{') {
      braces++;
      source += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (c === ',' && braces > 0) {
      source += '|';
    } else {
      source += c.replace(/[.+^$()|\\\]}]/g, '\\$&');
    }
  }
  while (braces-- > 0) source += ')';
  return new RegExp(`^${source}$`);
}
