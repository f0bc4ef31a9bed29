// The language server survives random edits of an open document over the protocol, keeps answering requests
// throughout, and ends with exactly the diagnostics of the final text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { repoRoot } from '../repoPaths';
import { LspTestClient, type Message } from './lspClient';
import { mutate, rng } from '../../fuzz/fuzzCore';

interface Diagnostic {
  code: string;
  message: string;
}

test('hundreds of random edits with requests in between: no crash, answers throughout, right final diagnostics', async () => {
  const client = new LspTestClient(join(repoRoot, 'dist', 'server.js'));
  try {
    await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    client.notify('initialized', {});
    const uri = 'file:///fuzz/template.yaml';
    const seedText = readFileSync(join(repoRoot, 'test/fixtures/templates/cfn-rules.yaml'), 'utf8');
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: seedText } });
    const r = rng(4242);
    let text = seedText;
    let version = 1;
    const positionAt = (offset: number): { line: number; character: number } => {
      const before = text.slice(0, offset).split('\n');
      return { line: before.length - 1, character: before[before.length - 1].length };
    };
    const answers: Promise<Message>[] = [];
    for (let i = 0; i < 300; i++) {
      const next = mutate(text, r);
      // Send the edit as an incremental change of the whole range that differs.
      let start = 0;
      while (start < text.length && start < next.length && text[start] === next[start]) start++;
      let endOld = text.length;
      let endNew = next.length;
      while (endOld > start && endNew > start && text[endOld - 1] === next[endNew - 1]) {
        endOld--;
        endNew--;
      }
      const range = { start: positionAt(start), end: positionAt(endOld) };
      text = next;
      client.notify('textDocument/didChange', {
        textDocument: { uri, version: ++version },
        contentChanges: [{ range, text: next.slice(start, endNew) }],
      });
      if (i % 10 === 0) {
        const at = positionAt(Math.floor(r() * (text.length + 1)));
        answers.push(client.request('textDocument/completion', { textDocument: { uri }, position: at }));
        answers.push(client.request('textDocument/hover', { textDocument: { uri }, position: at }));
      }
    }
    const results = await Promise.all(answers);
    assert.equal(results.length, 60);
    for (const m of results) assert.equal(m.error, undefined, `request failed: ${JSON.stringify(m.error)}`);

    // A known final text: the server must converge on exactly its diagnostics.
    const finalText = [
      'Resources:',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern:',
      '        source: aws.s3',
      '',
    ].join('\n');
    client.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: finalText }] });
    const diagnostics = await client.waitFor(
      (ms) => {
        const last = [...ms].reverse().find((m) => m.method === 'textDocument/publishDiagnostics');
        const params = last?.params as { version?: number; diagnostics: Diagnostic[] } | undefined;
        // Of the final version: an earlier version's diagnostics may happen to look the same.
        return params && params.version === version && params.diagnostics.length === 1 && params.diagnostics[0].code === 'EB201'
          ? params.diagnostics
          : undefined;
      },
      'the final diagnostics',
    );
    assert.equal(diagnostics[0].message, '"source" must be an object or an array');
    assert.equal(client.child.exitCode, null, 'the server is still running');
    assert.equal(await client.shutdown(), 0);
  } finally {
    if (client.child.exitCode === null) client.child.kill();
  }
});
