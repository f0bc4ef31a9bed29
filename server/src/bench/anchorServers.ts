// The anchors of issue 12's open targets, measured on the benchmark's own templates: the VS Code JSON language server
// (from vscode-langservers-extracted) and yaml-language-server, opened over stdio as the benchmark opens ours, the
// time from `didOpen` to their first `publishDiagnostics` of the document (median of three, a new process each).
// They are not dependencies of the project: `npm run bench:lsp -- --anchors DIR` uses the ones installed under DIR
// (`npm install --prefix DIR vscode-langservers-extracted yaml-language-server`), and prints nothing without it.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { INTRINSIC_TAGS } from '../cfn/intrinsics';
import { percentile } from './lspSession';

export interface AnchorOpen {
  readonly server: string;
  readonly version: string;
  /** Median of the runs. */
  readonly openMs: number;
  readonly diagnostics: number;
}

interface AnchorServer {
  readonly name: string;
  readonly packageName: string;
  readonly bin: string;
}

const ANCHORS: Readonly<Record<'json' | 'yaml', AnchorServer>> = {
  json: {
    name: 'VS Code JSON language server',
    packageName: 'vscode-langservers-extracted',
    bin: 'bin/vscode-json-language-server',
  },
  yaml: { name: 'yaml-language-server', packageName: 'yaml-language-server', bin: 'bin/yaml-language-server' },
};

/** yaml-language-server as a CloudFormation user configures it: the short-form tags known, no schema store. */
const YAML_SETTINGS = {
  customTags: INTRINSIC_TAGS.flatMap((t) =>
    t.kinds.map((k) => (k === 'map' ? `${t.tag} mapping` : `${t.tag} ${k === 'seq' ? 'sequence' : 'scalar'}`)),
  ),
  validate: true,
  schemaStore: { enable: false },
};

/** The anchor server's open of `text`, or undefined when it is not installed under `dir`. */
export async function measureAnchorOpen(
  dir: string,
  languageId: 'json' | 'yaml',
  text: string,
  runs = 3,
): Promise<AnchorOpen | undefined> {
  const anchor = ANCHORS[languageId];
  const packageDir = join(dir, 'node_modules', anchor.packageName);
  const bin = join(packageDir, anchor.bin);
  if (!existsSync(bin)) return undefined;
  const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: string }).version;
  const times: number[] = [];
  let diagnostics = 0;
  for (let r = 0; r < runs; r++) {
    const once = await openOnce(bin, languageId, text);
    times.push(once.ms);
    diagnostics = once.diagnostics;
  }
  return { server: anchor.name, version: version ?? '?', openMs: percentile(times, 0.5), diagnostics };
}

async function openOnce(
  bin: string,
  languageId: 'json' | 'yaml',
  text: string,
): Promise<{ ms: number; diagnostics: number }> {
  const child = spawn(process.execPath, [bin, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const uri = `file:///bench/anchor.${languageId}`;
  let published: (count: number) => void = () => undefined;
  const first = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin}: no diagnostics within 120 s`)), 120_000);
    published = (count) => {
      clearTimeout(timer);
      resolve(count);
    };
  });
  connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) => {
    if (p.uri === uri) published(p.diagnostics.length);
  });
  connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
    p.items.map((item) => (item.section === 'yaml' ? YAML_SETTINGS : null)),
  );
  connection.onRequest(() => null);
  connection.onNotification(() => undefined);
  connection.listen();
  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
    });
    await connection.sendNotification('initialized', {});
    const t0 = performance.now();
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text },
    });
    const diagnostics = await first;
    return { ms: performance.now() - t0, diagnostics };
  } finally {
    connection.dispose();
    child.kill();
  }
}
