// The language server survives random edits of an open document over the protocol, sent one change at a time or
// several in one `didChange` (as a multi-cursor edit or a Replace All sends them), keeps answering requests
// throughout, and publishes for the last version exactly the diagnostics a fresh analysis of its text gives (the
// server's analysis is incremental: it re-parses only what changed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { repoRoot } from '../repoPaths';
import { LspTestClient, type Message } from './lspClient';
import { mutate, rng } from '../../fuzz/fuzzCore';

interface Diagnostic {
  code: string;
  message: string;
  range: unknown;
}

/** The change that turns `text` into `next`: the whole range that differs. */
function changeBetween(text: string, next: string): { range: unknown; text: string } {
  const positionAt = (offset: number): { line: number; character: number } => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  let start = 0;
  while (start < text.length && start < next.length && text[start] === next[start]) start++;
  let endOld = text.length;
  let endNew = next.length;
  while (endOld > start && endNew > start && text[endOld - 1] === next[endNew - 1]) {
    endOld--;
    endNew--;
  }
  return { range: { start: positionAt(start), end: positionAt(endOld) }, text: next.slice(start, endNew) };
}

async function randomEdits(fixture: string, languageId: 'yaml' | 'json', seed: number): Promise<void> {
  const client = new LspTestClient(join(repoRoot, 'dist', 'server.js'));
  try {
    await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    client.notify('initialized', {});
    const uri = `file:///fuzz/template.${languageId}`;
    const seedText = readFileSync(join(repoRoot, 'test/fixtures/templates', fixture), 'utf8');
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text: seedText } });
    const r = rng(seed);
    let text = seedText;
    let version = 1;
    const answers: Promise<Message>[] = [];
    for (let i = 0; i < 300; i++) {
      // One change in two; otherwise 2 to 4 changes at random places, each range in the text the ones before left.
      const count = i % 2 === 0 ? 1 : 2 + Math.floor(r() * 3);
      const contentChanges: { range: unknown; text: string }[] = [];
      for (let c = 0; c < count; c++) {
        const next = mutate(text, r);
        contentChanges.push(changeBetween(text, next));
        text = next;
      }
      client.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges });
      if (i % 10 === 0) {
        const document = TextDocument.create(uri, languageId, version, text);
        const at = document.positionAt(Math.floor(r() * (text.length + 1)));
        answers.push(client.request('textDocument/completion', { textDocument: { uri }, position: at }));
        answers.push(client.request('textDocument/hover', { textDocument: { uri }, position: at }));
      }
    }
    const results = await Promise.all(answers);
    assert.equal(results.length, 60);
    for (const m of results) assert.equal(m.error, undefined, `request failed: ${JSON.stringify(m.error)}`);

    // The last random version: the diagnostics of a fresh analysis of its text.
    const expected = getLanguageService().doValidation(TextDocument.create(uri, languageId, 1, text));
    const last = version;
    const published = await client.waitFor((ms) => {
      const p = [...ms]
        .reverse()
        .find(
          (m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { version?: number }).version === last,
        );
      return (p?.params as { diagnostics: Diagnostic[] } | undefined)?.diagnostics;
    }, 'the diagnostics of the last random version');
    assert.deepEqual(published, JSON.parse(JSON.stringify(expected)));

    // A known final text: the server must converge on exactly its diagnostics.
    const finalText =
      languageId === 'yaml'
        ? [
            'Resources:',
            '  Rule:',
            '    Type: AWS::Events::Rule',
            '    Properties:',
            '      EventPattern:',
            '        source: aws.s3',
            '',
          ].join('\n')
        : '{"Resources": {\n  "Rule": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": {"source": "aws.s3"}}}\n}}\n';
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [{ text: finalText }],
    });
    const diagnostics = await client.waitFor((ms) => {
      const final = [...ms].reverse().find((m) => m.method === 'textDocument/publishDiagnostics');
      const params = final?.params as { version?: number; diagnostics: Diagnostic[] } | undefined;
      // Of the final version: an earlier version's diagnostics may happen to look the same.
      return params &&
        params.version === version &&
        params.diagnostics.length === 1 &&
        params.diagnostics[0].code === 'EB201'
        ? params.diagnostics
        : undefined;
    }, 'the final diagnostics');
    assert.equal(diagnostics[0].message, '"source" must be an object or an array');
    assert.equal(client.child.exitCode, null, 'the server is still running');
    assert.equal(await client.shutdown(), 0);
  } finally {
    if (client.child.exitCode === null) client.child.kill();
  }
}

test('YAML: hundreds of random edits, alone or in batches, with requests in between', async () => {
  await randomEdits('cfn-rules.yaml', 'yaml', 4242);
});

test('JSON: hundreds of random edits, alone or in batches, with requests in between', async () => {
  await randomEdits('cfn-rules.json', 'json', 4343);
});
