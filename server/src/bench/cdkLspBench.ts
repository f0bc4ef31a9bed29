// `npm run bench:lsp -- --cdk`: the language server on a generated AWS CDK stack in TypeScript (5,000 lines, 200
// rules with Match helpers, unknown values and a broken field each), over stdio as an editor drives it: open →
// diagnostics, then edits inside one rule's pattern → diagnostics, p50/p95. Prints figures; no time limit is asserted.

import { spawn } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-types';

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

function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs the scenario against the bundled server; resolves to the exit status. */
export async function runCdkBench(serverPath: string, edits: number, json: boolean): Promise<number> {
  const text = cdkStack(200, 5000);
  const uri = 'file:///bench/lib/bench-stack.ts';
  const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const waiting = new Map<number, (d: Diagnostic[]) => void>();
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
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification('initialized', {});
    const opened = diagnosticsOf(1);
    const t0 = performance.now();
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'typescript', version: 1, text },
    });
    const first = await opened;
    const openMs = performance.now() - t0;
    // Each edit changes one rule's `count` (a scalar: EB201 on it), far apart in the file.
    const lines = text.split('\n');
    const countLines = lines.flatMap((l, i) => (/^ {10}count: \d+,$/.test(l) ? [i] : []));
    const times: number[] = [];
    let counts = 0;
    for (let n = 0; n < edits; n++) {
      const line = countLines[(n * 37) % countLines.length];
      const version = n + 2;
      const published = diagnosticsOf(version);
      const sent = performance.now();
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character: 17 }, end: { line, character: 17 } }, text: '1' }],
      });
      counts = (await published).length;
      times.push(performance.now() - sent);
    }
    const figures = {
      scenario: 'cdk-typescript',
      lines: lines.length,
      rules: 200,
      openToDiagnosticsMs: Math.round(openMs),
      diagnosticsAtOpen: first.length,
      diagnosticsAfterEdits: counts,
      editToDiagnosticsMs: { p50: Math.round(percentile(times, 50)), p95: Math.round(percentile(times, 95)) },
    };
    if (json) process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
    else
      process.stdout.write(
        `CDK TypeScript stack, ${figures.lines} lines, 200 rules: open → diagnostics ${figures.openToDiagnosticsMs} ms ` +
          `(${figures.diagnosticsAtOpen} problems); edit → diagnostics p50 ${figures.editToDiagnosticsMs.p50} ms, ` +
          `p95 ${figures.editToDiagnosticsMs.p95} ms over ${edits} edits (quiet period before validation included)\n`,
      );
    return 0;
  } finally {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    connection.dispose();
    child.kill();
  }
}
