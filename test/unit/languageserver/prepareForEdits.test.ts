// Once an opened document's diagnostics are sent, the server computes what the first edit would otherwise wait for
// (the text's line offsets, the language service's preparation): once per open, never after edits, and without
// changing any result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createConnection } from 'vscode-languageserver/node';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer } from '../../../server/src/languageserver/server';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { analyzeDocument } from '../../../server/src/languageservice/sites/documentAnalysis';
import { yamlTemplate } from '../languageservice/templateEdits';

test('the server prepares a document for edits after its open is validated, not after edits', async () => {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const connection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const prepared: number[] = [];
  const validated: number[] = [];
  startServer(connection, {
    validationDelayMs: 0,
    languageService: {
      configure: () => undefined,
      doValidation: (document) => {
        validated.push(document.version);
        return [];
      },
      prepareForEdits: (document) => void prepared.push(document.version),
      doComplete: () => null,
      doHover: () => null,
    },
  });
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onRequest(() => null);
  const published: number[] = [];
  client.onNotification('textDocument/publishDiagnostics', (p: { version?: number }) => {
    published.push(p.version ?? -1);
  });
  client.listen();
  const until = async (done: () => boolean): Promise<void> => {
    for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 2));
    assert.ok(done());
  };
  try {
    await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
    await client.sendNotification('initialized', {});
    const uri = 'file:///t.yaml';
    await client.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: 'A: 1\n' },
    });
    // The server prepares once it has sent the diagnostics, which reach the client a moment later.
    await until(() => prepared.length === 1 && published.length === 1);
    assert.deepEqual(prepared, [1]);
    assert.deepEqual(published, [1]);
    for (let v = 2; v <= 4; v++) {
      await client.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ text: `A: ${v}\n` }],
      });
      await until(() => published.includes(v));
    }
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(prepared, [1]);
    assert.deepEqual(validated, [1, 2, 3, 4]);
  } finally {
    client.dispose();
    connection.dispose();
  }
});

test('a prepared template analyses its first edit as without preparation, incrementally', () => {
  const uri = 'file:///w/prepared.yaml';
  const text = yamlTemplate(20, 0);
  // The edit takes brackets out: the incremental parse then estimates the nesting of the whole text (what
  // preparation computes ahead).
  const at = text.indexOf('source: [aws.ec2]');
  const next = `${text.slice(0, at)}source: aws.ec2${text.slice(at + 'source: [aws.ec2]'.length)}`;
  const service = getLanguageService();
  const opened = TextDocument.create(uri, 'yaml', 1, text);
  service.doValidation(opened);
  service.prepareForEdits(opened);
  const root = service.analyze(opened).root;
  const edited = TextDocument.create(uri, 'yaml', 2, next);
  const diagnostics = service.doValidation(edited);
  assert.equal(service.analyze(edited).root, root, 'incremental');
  assert.deepEqual(diagnostics, getLanguageService().doValidation(TextDocument.create(uri, 'yaml', 1, next)));
  assert.deepEqual(service.analyze(edited).syntaxErrors, analyzeDocument(next, uri).syntaxErrors);
});
