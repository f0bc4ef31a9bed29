// `npm run bench:lsp -- --cdk` and `-- --terraform`: the language server on a generated code document, over stdio as
// an editor drives it. `--cdk`: an AWS CDK stack in TypeScript (5,000 lines, 200 rules with Match helpers, unknown
// values and a broken field each); `--terraform`: a Terraform file (about 5,000 lines, 200 rules: jsonencode objects,
// heredocs, module rules, padded with outputs; terraformWorkload.ts). Prints open → diagnostics, then edit → diagnostics p50/p95 for edits
// inside a pattern, an edit outside any pattern, and two distant edits in one didChange, and the server's memory
// after the edits. Prints figures; no time limit is asserted.

import { memoryOf, percentile, startLspSession } from './lspSession';
import { generateTerraformFile } from './terraformWorkload';

/** A stack of `rules` rules, padded with ordinary CDK code to `lines` lines. */
export function cdkStack(rules: number, lines: number): string {
  const out = [
    "import * as cdk from 'aws-cdk-lib';",
    "import * as events from 'aws-cdk-lib/aws-events';",
    "import * as sqs from 'aws-cdk-lib/aws-sqs';",
    '',
    'export class BenchStack extends cdk.Stack {',
    '  constructor(scope: cdk.App, id: string, props: { stage: string; bus: string }) {',
    '    super(scope, id);',
  ];
  for (let i = 0; i < rules; i++) {
    out.push(
      `    const queue${i} = new sqs.Queue(this, 'Queue${i}', { retentionPeriod: cdk.Duration.days(4) });`,
      `    new events.Rule(this, 'Rule${i}', {`,
      `      eventBusName: props.bus,`,
      `      eventPattern: {`,
      `        source: ['com.example.service${i}'],`,
      `        detailType: ['Order Placed', 'Order Updated'],`,
      `        detail: {`,
      `          stage: [props.stage],`,
      `          orderId: events.Match.prefix('order-'),`,
      `          total: events.Match.greaterThan(${i}),`,
      `          currency: events.Match.anythingBut('XXX'),`,
      `          region: events.Match.anyOf(events.Match.prefix('eu-'), events.Match.exactString('us-east-1')),`,
      `          customer: { tier: ['gold', 'silver'], id: [{ exists: true }] },`,
      `          count: ${i},`,
      `        },`,
      `      },`,
      `    }).addTarget(new targets.SqsQueue(queue${i}));`,
    );
  }
  let filler = 0;
  while (out.length < lines - 3) out.push(`    this.node.addMetadata('filler${filler}', 'line ${filler++}');`);
  out.push('  }', '}', '');
  return out.join('\n');
}

/** A change of one didChange: at a line and character of the current text, `remove` characters replaced by `text`. */
interface Change {
  readonly line: number;
  readonly character: number;
  readonly remove: number;
  readonly text: string;
}

/** One kind of edit: the changes of its `n`th didChange (each sent in order; the text's lines never move). */
interface Scenario {
  readonly name: string;
  changes(n: number): Change[];
}

interface CodeWorkload {
  readonly title: string;
  readonly scenario: string;
  readonly uri: string;
  readonly languageId: string;
  readonly text: string;
  readonly rules: number;
  readonly scenarios: (lines: readonly string[]) => Scenario[];
}

/** The lines matching `re`, by index. */
const linesMatching = (lines: readonly string[], re: RegExp): number[] =>
  lines.flatMap((l, i) => (re.test(l) ? [i] : []));

/** A digit at `column` of a line, typed over with the next digit (the line keeps its length: lines never move). */
const digitChange = (lines: readonly string[], line: number, column: number, n: number): Change => {
  const digit = Number(lines[line][column]);
  return { line, character: column, remove: 1, text: String((Number.isNaN(digit) ? n : digit + 1 + n) % 10) };
};

/** The AWS CDK stack: edits of a rule's `count`, of a queue's retention (no pattern), and of two distant rules. */
export function cdkWorkload(): CodeWorkload {
  return {
    title: 'CDK TypeScript stack',
    scenario: 'cdk-typescript',
    uri: 'file:///bench/lib/bench-stack.ts',
    languageId: 'typescript',
    text: cdkStack(200, 5000),
    rules: 200,
    scenarios: (lines) => {
      const counts = linesMatching(lines, /^ {10}count: \d+,$/);
      const queues = linesMatching(lines, /cdk\.Duration\.days\(\d\)/);
      const countColumn = (line: number): number => lines[line].indexOf(':') + 2;
      const daysColumn = (line: number): number => lines[line].indexOf('days(') + 5;
      return [
        {
          name: 'edit inside a pattern',
          changes: (n) => [
            digitChange(lines, counts[(n * 37) % counts.length], countColumn(counts[(n * 37) % counts.length]), n),
          ],
        },
        {
          name: 'edit outside any pattern',
          changes: (n) => [
            digitChange(lines, queues[(n * 37) % queues.length], daysColumn(queues[(n * 37) % queues.length]), n),
          ],
        },
        {
          name: 'two distant edits in one didChange',
          changes: (n) => {
            const a = counts[(n * 37) % counts.length];
            const b = counts[(n * 37 + (counts.length >> 1)) % counts.length];
            // From the last in the text to the first, as editors send them.
            return [a, b].sort((x, y) => y - x).map((line) => digitChange(lines, line, countColumn(line), n));
          },
        },
      ];
    },
  };
}

/** The Terraform file: edits of a rule's detail-type, of a target (no pattern), and of two distant rules. */
export function terraformWorkload(): CodeWorkload {
  return {
    title: 'Terraform file',
    scenario: 'terraform',
    uri: 'file:///bench/main.tf',
    languageId: 'terraform',
    text: generateTerraformFile({ rules: 200, lines: 5000 }),
    rules: 200,
    scenarios: (lines) => {
      const types = linesMatching(lines, /Detail Type \d/);
      const targets = linesMatching(lines, /^ {2}arn {2}= aws_sqs_queue\.queue_\d+\.arn$/);
      const typeColumn = (line: number): number => lines[line].indexOf('Detail Type ') + 'Detail Type '.length;
      const targetColumn = (line: number): number => lines[line].indexOf('queue_') + 'queue_'.length;
      return [
        {
          name: 'edit inside a pattern',
          changes: (n) => [
            digitChange(lines, types[(n * 37) % types.length], typeColumn(types[(n * 37) % types.length]), n),
          ],
        },
        {
          name: 'edit outside any pattern',
          changes: (n) => [
            digitChange(lines, targets[(n * 37) % targets.length], targetColumn(targets[(n * 37) % targets.length]), n),
          ],
        },
        {
          name: 'two distant edits in one didChange',
          changes: (n) => {
            const a = types[(n * 37) % types.length];
            const b = types[(n * 37 + (types.length >> 1)) % types.length];
            return [a, b].sort((x, y) => y - x).map((line) => digitChange(lines, line, typeColumn(line), n));
          },
        },
      ];
    },
  };
}

/**
 * Runs a code workload against the bundled server: `edits` didChanges per scenario, then `memoryEdits` more (the
 * scenarios in turn) before the server's memory is read. Resolves to the exit status.
 */
export async function runCodeBench(
  serverPath: string,
  workload: CodeWorkload,
  edits: number,
  memoryEdits: number,
  json: boolean,
): Promise<number> {
  const { text, uri } = workload;
  const { child, connection, diagnosticsOf } = startLspSession(serverPath, uri);
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification('initialized', {});
    const opened = diagnosticsOf(1);
    const t0 = performance.now();
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: workload.languageId, version: 1, text },
    });
    const first = await opened;
    const openMs = performance.now() - t0;
    const afterOpen = memoryOf(child.pid);
    const lines = text.split('\n');
    // The server's copy of the text, kept here too so that each change replaces what is there now.
    const current = [...lines];
    let version = 1;
    let problems = first.length;
    const send = async (changes: readonly Change[]): Promise<number> => {
      version++;
      const published = diagnosticsOf(version);
      const sent = performance.now();
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: changes.map((c) => ({
          range: {
            start: { line: c.line, character: c.character },
            end: { line: c.line, character: c.character + c.remove },
          },
          text: c.text,
        })),
      });
      problems = (await published).length;
      return performance.now() - sent;
    };
    const scenarios = workload.scenarios(lines);
    const live = scenarios.map((s) => ({
      name: s.name,
      changes: (n: number): Change[] =>
        s.changes(n).map((c) => {
          // The digit typed over is the one there now (an earlier edit may have changed it).
          const line = current[c.line];
          const digit = Number(line[c.character]);
          const typed = Number.isNaN(digit) ? c.text : String((digit + 1) % 10);
          current[c.line] = line.slice(0, c.character) + typed + line.slice(c.character + c.remove);
          return { ...c, text: typed };
        }),
    }));
    const results: { name: string; p50: number; p95: number }[] = [];
    for (const s of live) {
      const times: number[] = [];
      for (let n = 0; n < edits; n++) times.push(await send(s.changes(n)));
      results.push({ name: s.name, p50: Math.round(percentile(times, 0.5)), p95: Math.round(percentile(times, 0.95)) });
    }
    for (let n = 0; n < memoryEdits; n++) await send(live[n % live.length].changes(edits + n));
    const afterEdits = memoryOf(child.pid);
    const totalEdits = edits * live.length + memoryEdits;
    const figures = {
      scenario: workload.scenario,
      lines: lines.length,
      characters: text.length,
      rules: workload.rules,
      openToDiagnosticsMs: Math.round(openMs),
      diagnosticsAtOpen: first.length,
      diagnosticsAfterEdits: problems,
      editToDiagnosticsMs: Object.fromEntries(results.map((r) => [r.name, { p50: r.p50, p95: r.p95 }])),
      ...(afterOpen && afterEdits
        ? {
            rssMB: {
              open: Math.round(afterOpen.rss),
              afterEdits: Math.round(afterEdits.rss),
              peak: Math.round(afterEdits.peak),
              edits: totalEdits,
            },
          }
        : {}),
    };
    if (json) {
      process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
    } else {
      const say = (s: string): boolean => process.stdout.write(s + '\n');
      say(
        `${workload.title}, ${figures.lines} lines (${(text.length / 1024).toFixed(0)} KiB), ${workload.rules} rules: ` +
          `open → diagnostics ${figures.openToDiagnosticsMs} ms (${figures.diagnosticsAtOpen} problems)`,
      );
      for (const r of results)
        say(`  edit → diagnostics, ${r.name}: p50 ${r.p50} ms, p95 ${r.p95} ms over ${edits} edits`);
      say("  (the server's quiet period before validating included)");
      if (figures.rssMB)
        say(
          `  server RSS: ${figures.rssMB.open} MiB after open, ${figures.rssMB.afterEdits} MiB after ${totalEdits} ` +
            `edits (peak ${figures.rssMB.peak} MiB)`,
        );
    }
    return 0;
  } finally {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    connection.dispose();
    child.kill();
  }
}
