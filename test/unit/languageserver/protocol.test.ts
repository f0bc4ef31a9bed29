// The language server as an editor other than VS Code sees it: dist/server.js over stdio, spoken to in JSON-RPC.
// Results are polled for with a deadline, never waited for with a fixed sleep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { repoRoot } from '../repoPaths';

const SERVER = join(repoRoot, 'dist', 'server.js');

interface Session {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  readonly published: PublishDiagnosticsParams[];
  readonly stderr: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
}

function startSession(): Session {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      ended = true;
      resolve({ code, signal });
    }),
  );
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const published: PublishDiagnosticsParams[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
  });
  // Requests from the server that a minimal client answers plainly.
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification(() => undefined);
  connection.listen();
  return { child, connection, published, stderr, exited, hasExited: () => ended };
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
async function poll<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function diagnosticsFor(s: Session, uri: string, version: number): Diagnostic[] | undefined {
  for (let i = s.published.length - 1; i >= 0; i--) {
    const p = s.published[i];
    if (p.uri === uri && (p.version === undefined || p.version === version)) return p.diagnostics;
    if (p.uri === uri) return undefined; // the latest for this document is of another version
  }
  return undefined;
}

const TEMPLATE = [
  "AWSTemplateFormatVersion: '2010-09-09'",
  'Resources:',
  '  Rule:',
  '    Type: AWS::Events::Rule',
  '    Properties:',
  '      EventPattern:',
  '        source: aws.ec2',
  "        detail-type: ['EC2 Instance State-change Notification']",
  '',
].join('\n');

test('initialize, diagnostics of a broken pattern, an incremental edit that fixes it, shutdown and exit', async () => {
  const s = startSession();
  try {
    const init = await s.connection.sendRequest<{
      capabilities: { textDocumentSync?: { change?: number; openClose?: boolean } };
      serverInfo?: { name: string };
    }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(init.capabilities.textDocumentSync?.change, 2, 'incremental sync');
    assert.equal(init.capabilities.textDocumentSync?.openClose, true);
    await s.connection.sendNotification('initialized', {});

    const uri = 'file:///work/template.yaml';
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: TEMPLATE },
    });
    const broken = await poll('the diagnostics of version 1', () => {
      const d = diagnosticsFor(s, uri, 1);
      return d && d.length > 0 ? d : undefined;
    });
    assert.deepEqual(
      broken.map((d) => ({ code: d.code, message: d.message, range: d.range, severity: d.severity })),
      [
        {
          code: 'EB201',
          message: '"source" must be an object or an array',
          range: { start: { line: 6, character: 16 }, end: { line: 6, character: 23 } },
          severity: 1,
        },
      ],
    );

    // `aws.ec2` → `[aws.ec2]`, as two incremental changes in one notification.
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 6, character: 23 }, end: { line: 6, character: 23 } }, text: ']' },
        { range: { start: { line: 6, character: 16 }, end: { line: 6, character: 16 } }, text: '[' },
      ],
    });
    const fixed = await poll('the diagnostics of version 2', () => diagnosticsFor(s, uri, 2));
    assert.deepEqual(fixed, []);

    // Break it again elsewhere: the new range follows the edit.
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [
        {
          range: { start: { line: 7, character: 8 }, end: { line: 7, character: 19 } },
          text: 'detail-type: 5\n        x',
        },
      ],
    });
    const again = await poll('the diagnostics of version 3', () => {
      const d = diagnosticsFor(s, uri, 3);
      return d && d.length > 0 ? d : undefined;
    });
    assert.deepEqual(
      again.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['EB201', 7, 21]],
    );

    await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await poll('the diagnostics cleared on close', () => {
      const last = s.published[s.published.length - 1];
      return last?.uri === uri && last.diagnostics.length === 0 && last.version === undefined ? true : undefined;
    });

    assert.equal(await s.connection.sendRequest('shutdown'), null);
    await s.connection.sendNotification('exit');
    await poll('the server process to end', () => (s.hasExited() ? true : undefined));
    assert.deepEqual(await s.exited, { code: 0, signal: null }, s.stderr.join(''));
  } finally {
    s.connection.dispose();
    if (!s.hasExited()) s.child.kill();
  }
});

test('exit without shutdown ends the process with status 1', async () => {
  const s = startSession();
  try {
    await s.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await s.connection.sendNotification('initialized', {});
    await s.connection.sendNotification('exit');
    await poll('the server process to end', () => (s.hasExited() ? true : undefined));
    assert.equal((await s.exited).code, 1);
  } finally {
    s.connection.dispose();
    if (!s.hasExited()) s.child.kill();
  }
});

test('YAML syntax errors are published unless eventbridgePatterns.validation.yamlSyntax is off; JSON ones never', async () => {
  const s = startSession();
  try {
    await s.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await s.connection.sendNotification('initialized', {});
    const yamlUri = 'file:///work/broken.yaml';
    const jsonUri = 'file:///work/broken.json';
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: yamlUri, languageId: 'yaml', version: 1, text: TEMPLATE.replace("['EC2", '["EC2') },
    });
    const missingComma =
      '{\n  "Resources": {\n    "Q": {"Type": "AWS::SQS::Queue"}\n    "R": {"Type": "AWS::SNS::Topic"}\n  }\n}\n';
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: jsonUri, languageId: 'json', version: 1, text: missingComma },
    });
    const codes = (uri: string): string[] | undefined => diagnosticsFor(s, uri, 1)?.map((d) => String(d.code));
    const shown = await poll('the YAML syntax error', () =>
      codes(yamlUri)?.includes('EB430') ? codes(yamlUri) : undefined,
    );
    assert.deepEqual(shown, ['EB430', 'EB201']);
    // VS Code's JSON language reports the JSON one.
    assert.deepEqual(await poll('the JSON diagnostics', () => codes(jsonUri)), []);

    // A client that pushes its settings: the YAML syntax errors go.
    const published = s.published.length;
    await s.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { eventbridgePatterns: { validation: { yamlSyntax: false } } },
    });
    const quiet = await poll('the diagnostics after the setting', () =>
      s.published.length > published && !codes(yamlUri)?.includes('EB430') ? codes(yamlUri) : undefined,
    );
    assert.deepEqual(quiet, ['EB201']);
    await s.connection.sendRequest('shutdown');
    await s.connection.sendNotification('exit');
    await poll('the server process to end', () => (s.hasExited() ? true : undefined));
  } finally {
    s.connection.dispose();
    if (!s.hasExited()) s.child.kill();
  }
});
