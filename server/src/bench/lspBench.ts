// `npm run bench:lsp -- [--resources N] [--edits N] [--completions N] [--write DIR] [--json]`: the language server
// as an editor drives it, over stdio. Generates a CloudFormation template (YAML, then JSON) of N resources, most of
// them EventBridge rules, opens it, and measures: time from open to the first diagnostics; time from an edit (sent
// as an incremental change) to the diagnostics of that version, the server's validation delay included (it adapts
// to how long validating took: see adaptiveValidationDelay), median of several edits spread over the file; the same
// for other kinds of edit (in the last entry, a resource typed after it, in Outputs, a syntax error made and fixed);
// completion latency inside a pattern, with the analysis cached and right after an edit. Then the same edits in
// process, through the language service facade, to split the time between analysis (parse, sites, pattern checks)
// and validation (lint rules, diagnostics). Prints figures; never fails on time.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { getLanguageService } from '../languageservice';
import { adaptiveValidationDelay, VALIDATION_DELAY_BOUNDS } from '../languageserver/server';

const TARGET_DIAGNOSTICS_MS = 100;
const TARGET_COMPLETION_MS = 20;

interface Position {
  readonly line: number;
  readonly character: number;
}

interface Template {
  readonly languageId: 'yaml' | 'json';
  readonly text: string;
  readonly resources: number;
  /** Where `source`'s list of each object-pattern rule is written, for edits that break and fix it. */
  readonly sourceLists: readonly { readonly start: Position; readonly list: string; readonly broken: string }[];
  /** A completion position inside a pattern (in a `detail` object). */
  readonly completionAt: Position;
  /** More kinds of edit, each measured alone (see EditKind). */
  readonly editKinds: readonly EditKind[];
}

/** A change sent as one `didChange`: `remove` characters at `at` (or up to `end`) are replaced by `text`. */
interface Change {
  readonly at: Position;
  readonly remove: number;
  readonly end?: Position;
  readonly text: string;
}

/**
 * A kind of edit and the changes that make it up, sent one version each; each change is timed to its diagnostics.
 * Pairs that undo each other (break, fix) leave the document as it was.
 */
interface EditKind {
  readonly name: string;
  readonly changes: readonly Change[];
}

/** Inserts `text` at `at` and removes it again, `times` times. */
function insertAndRemove(at: Position, text: string, times: number): Change[] {
  const out: Change[] = [];
  for (let i = 0; i < times; i++) out.push({ at, remove: 0, text }, { at, remove: text.length, text: '' });
  return out;
}

/**
 * Whole entries (blocks of lines) starting at line `first`: changes that delete them one by one (each time the next
 * one moves up to `first`), and changes that paste them back there, the last one first, leaving the text as it was.
 */
function deleteAndPaste(lines: readonly string[], starts: readonly number[], first: number, count: number): Change[][] {
  const at = { line: starts[first], character: 0 };
  const blocks = starts.slice(first, first + count).map((s, i) => lines.slice(s, starts[first + i + 1]));
  const deletes = blocks.map((b) => ({ at, end: { line: at.line + b.length, character: 0 }, remove: 0, text: '' }));
  const pastes = blocks.reverse().map((b) => ({ at, remove: 0, text: b.join('\n') + '\n' }));
  return [deletes, pastes];
}

function yamlTemplate(count: number): Template {
  const lines = ["AWSTemplateFormatVersion: '2010-09-09'", 'Description: lspBench, generated', 'Resources:'];
  const sourceLists: { start: Position; list: string; broken: string }[] = [];
  let completionAt: Position | undefined;
  const queues = Math.max(1, Math.floor(count / 5));
  const entryStarts: number[] = [];
  for (let i = 0; i < count - queues; i++) {
    entryStarts.push(lines.length);
    if (i % 4 === 3) {
      lines.push(
        `  StringRule${i}:`,
        '    Type: AWS::Events::Rule',
        '    Properties:',
        `      EventPattern: '{"source": ["app.${i}"], "detail": {"key": [{"wildcard": "orders/*/${i}"}]}}'`,
        '      Targets:',
        `        - Id: t${i}`,
        `          Arn: !GetAtt Queue${i % queues}.Arn`,
      );
      continue;
    }
    lines.push(
      `  Rule${i}:`,
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventBusName: default',
      '      EventPattern:',
    );
    sourceLists.push({ start: { line: lines.length, character: 16 }, list: '[aws.ec2]', broken: 'aws.ec2' });
    lines.push(
      '        source: [aws.ec2]',
      '        detail-type: [EC2 Instance State-change Notification]',
      '        detail:',
    );
    if (i === Math.floor(count / 2)) completionAt = { line: lines.length, character: 10 };
    lines.push(
      `          state: [running, {prefix: "st${i}"}]`,
      `          count: [{numeric: [">", ${i}]}]`,
      '      Targets:',
      `        - Id: t${i}`,
      `          Arn: !GetAtt Queue${i % queues}.Arn`,
    );
  }
  for (let q = 0; q < queues; q++) {
    entryStarts.push(lines.length);
    lines.push(`  Queue${q}:`, '    Type: AWS::SQS::Queue');
  }
  entryStarts.push(lines.length);
  // Three entries a third of the way down, deleted one by one, then pasted back.
  const [deletes, pastes] = deleteAndPaste(lines, entryStarts, Math.floor(count / 3), 3);
  // The last entry's `Type` line, then where a new resource is typed (the line of `Outputs:`).
  const lastEntryAt = { line: lines.length - 1, character: '    Type: AWS::SQS::Queue'.length };
  const appendLine = lines.length;
  lines.push('Outputs:', '  FirstRule:', '    Description: the first rule', '    Value: !GetAtt Rule0.Arn');
  const outputsAt = { line: lines.length - 2, character: '    Description: the first rule'.length };
  const broken = sourceLists[Math.floor(sourceLists.length / 2)];
  const listEnd = { line: broken.start.line, character: broken.start.character + broken.list.length - 1 };
  const newResource = [
    '  NewRule:',
    '    Type: AWS::Events::Rule',
    '    Properties:',
    '      EventPattern:',
    '        source: [aws.s3]',
  ];
  const editKinds: EditKind[] = [
    { name: 'edit in last entry', changes: insertAndRemove(lastEntryAt, 'x', 3) },
    { name: 'edit in Outputs', changes: insertAndRemove(outputsAt, ', edited', 3) },
    // `[aws.ec2]` loses its `]`, then gets it back.
    {
      name: 'transient syntax error',
      changes: [1, 2, 3].flatMap(() => [
        { at: listEnd, remove: 1, text: '' },
        { at: listEnd, remove: 0, text: ']' },
      ]),
    },
    // Typed line by line at the end of Resources: a bare key first.
    {
      name: 'append a resource',
      changes: newResource.map((text, i) => ({
        at: { line: appendLine + i, character: 0 },
        remove: 0,
        text: text + '\n',
      })),
    },
    { name: 'delete a resource', changes: deletes },
    { name: 'paste a resource', changes: pastes },
  ];
  return {
    editKinds,
    languageId: 'yaml',
    text: lines.join('\n') + '\n',
    resources: count,
    sourceLists,
    completionAt: completionAt!,
  };
}

function jsonTemplate(count: number): Template {
  const lines = ['{', '  "AWSTemplateFormatVersion": "2010-09-09",', '  "Resources": {'];
  const sourceLists: { start: Position; list: string; broken: string }[] = [];
  let completionAt: Position | undefined;
  const queues = Math.max(1, Math.floor(count / 5));
  const resources: string[][] = [];
  for (let i = 0; i < count - queues; i++) {
    if (i % 4 === 3) {
      resources.push([
        `    "StringRule${i}": {`,
        '      "Type": "AWS::Events::Rule",',
        '      "Properties": {',
        `        "EventPattern": "{\\"source\\": [\\"app.${i}\\"], \\"detail\\": {\\"key\\": [{\\"wildcard\\": \\"orders/*/${i}\\"}]}}",`,
        `        "Targets": [{"Id": "t${i}", "Arn": {"Fn::GetAtt": ["Queue${i % queues}", "Arn"]}}]`,
        '      }',
        '    }',
      ]);
      continue;
    }
    resources.push([
      `    "Rule${i}": {`,
      '      "Type": "AWS::Events::Rule",',
      '      "Properties": {',
      '        "EventBusName": "default",',
      '        "EventPattern": {',
      '          "source": ["aws.ec2"],',
      '          "detail-type": ["EC2 Instance State-change Notification"],',
      `          "detail": {"state": ["running", {"prefix": "st${i}"}], "count": [{"numeric": [">", ${i}]}]}`,
      '        },',
      `        "Targets": [{"Id": "t${i}", "Arn": {"Fn::GetAtt": ["Queue${i % queues}", "Arn"]}}]`,
      '      }',
      '    }',
    ]);
  }
  for (let q = 0; q < queues; q++) resources.push([`    "Queue${q}": {"Type": "AWS::SQS::Queue"}`]);
  const entryStarts: number[] = [];
  resources.forEach((r, index) => {
    const first = lines.length;
    entryStarts.push(first);
    if (r[5]?.includes('"source": ["aws.ec2"]')) {
      sourceLists.push({ start: { line: first + 5, character: 20 }, list: '["aws.ec2"]', broken: '"aws.ec2"' });
      // At the start of the `"state"` key, just inside `"detail": {`, of a rule half-way down.
      if (completionAt === undefined && index >= count / 2) completionAt = { line: first + 7, character: 21 };
    }
    const last = r.length - 1;
    lines.push(...r.slice(0, last), r[last] + (index < resources.length - 1 ? ',' : ''));
  });
  entryStarts.push(lines.length);
  // Three entries a third of the way down (each with its comma), deleted one by one, then pasted back.
  const [deletes, pastes] = deleteAndPaste(lines, entryStarts, Math.floor(count / 3), 3);
  const lastEntry = lines[lines.length - 1];
  const lastEntryAt = { line: lines.length - 1, character: lastEntry.length - 1 };
  const appendAt = { line: lines.length - 1, character: lastEntry.length };
  lines.push('  },', '  "Outputs": {', '    "FirstRule": {', '      "Description": "the first rule",');
  const outputsAt = { line: lines.length - 1, character: '      "Description": "the first rule'.length };
  lines.push('      "Value": {"Fn::GetAtt": ["Rule0", "Arn"]}', '    }', '  }', '}');
  // A comma taken out of a rule's pattern (`"source": [...],`), then put back.
  const broken = sourceLists[Math.floor(sourceLists.length / 2)];
  const comma = { line: broken.start.line, character: broken.start.character + broken.list.length };
  const key = '    "NewRule": {';
  const editKinds: EditKind[] = [
    { name: 'edit in last entry', changes: insertAndRemove(lastEntryAt, ', "Condition": "IsProd"', 3) },
    { name: 'edit in Outputs', changes: insertAndRemove(outputsAt, ', edited', 3) },
    {
      name: 'transient syntax error',
      changes: [1, 2, 3].flatMap(() => [
        { at: comma, remove: 1, text: '' },
        { at: comma, remove: 0, text: ',' },
      ]),
    },
    // Typed after the last entry as an editor that closes brackets does.
    {
      name: 'append a resource',
      changes: [
        { at: appendAt, remove: 0, text: `,\n${key}}` },
        { at: { line: appendAt.line + 1, character: key.length }, remove: 0, text: '"Type": "AWS::Events::Rule"' },
        {
          at: { line: appendAt.line + 1, character: key.length + '"Type": "AWS::Events::Rule"'.length },
          remove: 0,
          text: ', "Properties": {"EventPattern": {"source": ["aws.s3"]}}',
        },
      ],
    },
    { name: 'delete a resource', changes: deletes },
    { name: 'paste a resource', changes: pastes },
  ];
  return {
    editKinds,
    languageId: 'json',
    text: lines.join('\n') + '\n',
    resources: count,
    sourceLists,
    completionAt: completionAt!,
  };
}

interface Figures {
  readonly language: string;
  readonly resources: number;
  readonly lines: number;
  readonly bytes: number;
  readonly openToDiagnosticsMs: number;
  readonly editToDiagnosticsMs: { median: number; min: number; max: number; samples: number };
  readonly completionMs: { median: number; p90: number; samples: number; items: number };
  readonly completionAfterEditMs: { median: number; samples: number };
  /** Per edit kind: the median time from a change to its diagnostics. */
  readonly editKindsMs: readonly { name: string; median: number; max: number; samples: number }[];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
}

async function measure(template: Template, edits: number, completions: number, serverPath: string): Promise<Figures> {
  // LSP_BENCH_SERVER_NODE_ARGS: extra node options for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env['LSP_BENCH_SERVER_NODE_ARGS'] ?? '').split(/\s+/).filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const uri = `file:///bench/template.${template.languageId}`;
  const waiting = new Map<number, (diagnostics: Diagnostic[]) => void>();
  connection.onNotification(
    'textDocument/publishDiagnostics',
    (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      if (p.uri !== uri || p.version === undefined) return;
      waiting.get(p.version)?.(p.diagnostics);
      waiting.delete(p.version);
    },
  );
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification(() => undefined);
  connection.listen();
  const diagnosticsOf = (version: number): Promise<Diagnostic[]> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version} within 120 s`)), 120_000);
      waiting.set(version, (d) => {
        clearTimeout(timer);
        resolve(d);
      });
    });

  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } },
    });
    await connection.sendNotification('initialized', {});

    let version = 1;
    let expectedErrors = 0;
    const opened = diagnosticsOf(version);
    let t0 = performance.now();
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: template.languageId, version, text: template.text },
    });
    const initial = await opened;
    const openToDiagnosticsMs = performance.now() - t0;
    const errorsOf = (d: Diagnostic[]): number => d.filter((x) => x.severity === 1).length;
    const baseline = errorsOf(initial);

    // Break a rule's `source` (an EB201 error appears), then fix it (it goes): the expected count checks each answer.
    const editTimes: number[] = [];
    const afterEditCompletion: number[] = [];
    const targets = template.sourceLists;
    for (let k = 0; k < edits; k++) {
      const site = targets[Math.floor(((k >> 1) + 1) * (targets.length / (Math.ceil(edits / 2) + 1)))];
      const breaking = k % 2 === 0;
      const [from, to] = breaking ? [site.list, site.broken] : [site.broken, site.list];
      version++;
      expectedErrors += breaking ? 1 : -1;
      const published = diagnosticsOf(version);
      t0 = performance.now();
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          {
            range: { start: site.start, end: { line: site.start.line, character: site.start.character + from.length } },
            text: to,
          },
        ],
      });
      const diagnostics = await published;
      editTimes.push(performance.now() - t0);
      const errors = errorsOf(diagnostics) - baseline;
      if (errors !== expectedErrors)
        throw new Error(`version ${version}: ${errors} new errors, expected ${expectedErrors}`);
    }

    // Completion right after an edit (break, then fix, a rule near the end): the analysis of the new version is
    // computed for the request.
    for (let k = 0; k < Math.min(edits, 6); k++) {
      const site = targets[targets.length - 1 - (k >> 1)];
      const [from, to] = k % 2 === 0 ? [site.list, site.broken] : [site.broken, site.list];
      version++;
      const published = diagnosticsOf(version);
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          {
            range: { start: site.start, end: { line: site.start.line, character: site.start.character + from.length } },
            text: to,
          },
        ],
      });
      t0 = performance.now();
      await connection.sendRequest('textDocument/completion', {
        textDocument: { uri },
        position: template.completionAt,
      });
      afterEditCompletion.push(performance.now() - t0);
      await published;
    }

    // The other kinds of edit: each change timed to the diagnostics of its version.
    const editKindsMs: { name: string; median: number; max: number; samples: number }[] = [];
    for (const kind of template.editKinds) {
      const times: number[] = [];
      for (const change of kind.changes) {
        version++;
        const published = diagnosticsOf(version);
        t0 = performance.now();
        await connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [
            {
              range: {
                start: change.at,
                end: change.end ?? { line: change.at.line, character: change.at.character + change.remove },
              },
              text: change.text,
            },
          ],
        });
        await published;
        times.push(performance.now() - t0);
      }
      editKindsMs.push({ name: kind.name, median: median(times), max: Math.max(...times), samples: times.length });
    }

    const completionTimes: number[] = [];
    let items = 0;
    for (let k = 0; k < completions; k++) {
      t0 = performance.now();
      const result = await connection.sendRequest<{ items?: unknown[] } | unknown[] | null>('textDocument/completion', {
        textDocument: { uri },
        position: template.completionAt,
      });
      completionTimes.push(performance.now() - t0);
      items = Array.isArray(result) ? result.length : (result?.items?.length ?? 0);
    }

    await connection.sendRequest('shutdown');
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    await connection.sendNotification('exit');
    // Let it end on its own (a --cpu-prof profile is written on the way out), within a bound.
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    return {
      language: template.languageId,
      resources: template.resources,
      lines: template.text.split('\n').length - 1,
      bytes: Buffer.byteLength(template.text),
      openToDiagnosticsMs,
      editToDiagnosticsMs: {
        median: median(editTimes),
        min: Math.min(...editTimes),
        max: Math.max(...editTimes),
        samples: editTimes.length,
      },
      completionMs: {
        median: median(completionTimes),
        p90: percentile(completionTimes, 0.9),
        samples: completionTimes.length,
        items,
      },
      completionAfterEditMs: { median: median(afterEditCompletion), samples: afterEditCompletion.length },
      editKindsMs,
    };
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
}

interface Breakdown {
  readonly fullAnalysisMs: number;
  readonly analysisMs: number;
  readonly validationMs: number;
}

/** The edits of `measure`, in process: what the server spends on analysis and on validation for each. */
function breakdown(template: Template, edits: number): Breakdown {
  const service = getLanguageService();
  const uri = `file:///bench/inprocess.${template.languageId}`;
  let document = TextDocument.create(uri, template.languageId, 1, template.text);
  let t0 = performance.now();
  service.analyze(document);
  const fullAnalysisMs = performance.now() - t0;
  service.doValidation(document);
  const analysis: number[] = [];
  const validation: number[] = [];
  const targets = template.sourceLists;
  for (let k = 0; k < edits; k++) {
    const site = targets[Math.floor(((k >> 1) + 1) * (targets.length / (Math.ceil(edits / 2) + 1)))];
    const [from, to] = k % 2 === 0 ? [site.list, site.broken] : [site.broken, site.list];
    const end = { line: site.start.line, character: site.start.character + from.length };
    document = TextDocument.update(document, [{ range: { start: site.start, end }, text: to }], document.version + 1);
    t0 = performance.now();
    service.analyze(document);
    const t1 = performance.now();
    service.doValidation(document);
    analysis.push(t1 - t0);
    validation.push(performance.now() - t1);
  }
  return { fullAnalysisMs, analysisMs: median(analysis), validationMs: median(validation) };
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a positive whole number`);
  return value;
}

async function main(): Promise<number> {
  const resources = option('resources', 5000);
  const edits = option('edits', 9);
  const completions = option('completions', 20);
  const json = process.argv.includes('--json');
  // --write DIR: keep the generated templates, to open them in an editor.
  const writeIndex = process.argv.indexOf('--write');
  const writeDir = writeIndex >= 0 ? process.argv[writeIndex + 1] : undefined;
  const serverPath = join(__dirname, 'server.js');
  if (!existsSync(serverPath)) {
    process.stderr.write(`${serverPath} is missing: build it first (node scripts/build.mjs --bundles-only)\n`);
    return 2;
  }
  const say = (s: string): void => {
    (json ? process.stderr : process.stdout).write(s + '\n');
  };
  say(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  const { min, max } = VALIDATION_DELAY_BOUNDS;
  say(
    `server: ${serverPath} over stdio; it validates a document after a quiet period as long as its last ` +
      `validation after an edit took, within ${min}..${max} ms (adaptive debounce)`,
  );
  const results: Figures[] = [];
  const breakdowns: (Breakdown & { language: string })[] = [];
  for (const template of [yamlTemplate(resources), jsonTemplate(resources)]) {
    if (writeDir) {
      mkdirSync(writeDir, { recursive: true });
      writeFileSync(join(writeDir, `template.${template.languageId}`), template.text);
    }
    const f = await measure(template, edits, completions, serverPath);
    results.push(f);
    say('');
    say(
      `${f.language.toUpperCase()}: ${f.resources} resources, ${f.lines} lines, ${(f.bytes / 2 ** 20).toFixed(1)} MiB`,
    );
    say(`  open -> first diagnostics       ${f.openToDiagnosticsMs.toFixed(0)} ms`);
    const e = f.editToDiagnosticsMs;
    say(
      `  edit -> diagnostics             median ${e.median.toFixed(1)} ms ` +
        `(min ${e.min.toFixed(1)}, max ${e.max.toFixed(1)}, ${e.samples} edits; ` +
        `target < ${TARGET_DIAGNOSTICS_MS} ms: ${e.median < TARGET_DIAGNOSTICS_MS ? 'met' : 'MISSED'})`,
    );
    for (const k of f.editKindsMs) {
      say(
        `  ${`${k.name} -> diagnostics`.padEnd(31)} median ${k.median.toFixed(1)} ms ` +
          `(max ${k.max.toFixed(1)}, ${k.samples} edits; target < ${TARGET_DIAGNOSTICS_MS} ms: ` +
          `${k.median < TARGET_DIAGNOSTICS_MS ? 'met' : 'MISSED'})`,
      );
    }
    say(
      `  completion                      median ${f.completionMs.median.toFixed(1)} ms, p90 ${f.completionMs.p90.toFixed(1)} ms ` +
        `(${f.completionMs.samples} requests, ${f.completionMs.items} items; target < ${TARGET_COMPLETION_MS} ms: ` +
        `${f.completionMs.median < TARGET_COMPLETION_MS ? 'met' : 'MISSED'})`,
    );
    say(
      `  completion right after an edit  median ${f.completionAfterEditMs.median.toFixed(1)} ms (${f.completionAfterEditMs.samples} requests)`,
    );
    const b = breakdown(template, edits);
    breakdowns.push({ language: template.languageId, ...b });
    const delay = adaptiveValidationDelay(b.analysisMs + b.validationMs);
    say(
      `  in process, per edit            analysis ${b.analysisMs.toFixed(1)} ms + validation ${b.validationMs.toFixed(1)} ms ` +
        `(medians): after such edits the server waits ${delay} ms before validating`,
    );
    say(
      `  in process, full analysis       ${b.fullAnalysisMs.toFixed(0)} ms (each edit's cost without the incremental parse)`,
    );
  }
  if (json)
    process.stdout.write(
      JSON.stringify({ validationDelay: { policy: 'adaptive', min, max }, results, breakdowns }, null, 2) + '\n',
    );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
