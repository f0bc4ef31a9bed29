// What the language-server benchmarks share (lspBench.ts, cdkLspBench.ts): the bundled server started over stdio as
// an editor drives it, a promise for the diagnostics of each document version, percentiles and the server's memory.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-types';
import { SERVER_EXEC_ARGV } from '../../../shared';

export interface LspSession {
  readonly child: ChildProcessByStdio<Writable, Readable, null>;
  readonly connection: MessageConnection;
  /** The diagnostics the server publishes for `version` of the document (rejects after 120 s). */
  readonly diagnosticsOf: (version: number) => Promise<Diagnostic[]>;
}

/**
 * Starts the server bundle at `serverPath` for one document (`uri`), answering its requests as a minimal editor
 * does. `nodeArgs` go to node before the bundle (a profiler, say).
 */
export function startLspSession(serverPath: string, uri: string, nodeArgs: readonly string[] = []): LspSession {
  // Started as the extension starts it.
  const child = spawn(process.execPath, [...SERVER_EXEC_ARGV, ...nodeArgs, serverPath, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
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
  // The server's errors (a validation that failed, say) are shown: the benchmark would otherwise wait in vain.
  connection.onNotification('window/logMessage', (p: { type: number; message: string }) => {
    if (p.type === 1) process.stderr.write(`server error: ${p.message}\n`);
  });
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
  return { child, connection, diagnosticsOf };
}

/** The nearest-rank percentile of `xs`, `p` between 0 and 1. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.min(s.length - 1, Math.ceil(p * s.length) - 1))];
}

/** The resident memory of a process and its peak, in MiB (Linux); undefined elsewhere. */
export function memoryOf(pid: number | undefined): { rss: number; peak: number } | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/status`)) return undefined;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}
