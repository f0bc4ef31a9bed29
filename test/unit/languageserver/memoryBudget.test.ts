// The server collects garbage between keystrokes when its resident memory passes MEMORY_BUDGET (at most once per
// interval), and not while it stays below: driven in process over a pair of streams, with the runtime's memory and
// collector replaced by counters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createConnection } from 'vscode-languageserver/node';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { MEMORY_BUDGET, startServer } from '../../../server/src/languageserver/server';

interface Harness {
  readonly client: MessageConnection;
  readonly collections: () => number;
  readonly validated: () => number;
  close(): void;
}

function harness(residentMiB: number): Harness {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const connection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  let collections = 0;
  let validated = 0;
  startServer(connection, {
    validationDelayMs: 0,
    languageService: {
      configure: () => undefined,
      doValidation: () => {
        validated++;
        return [];
      },
      doComplete: () => null,
      doHover: () => null,
      doCodeActions: () => [],
      doCodeLens: () => [],
    },
    collectGarbage: () => collections++,
    residentMemory: () => residentMiB * 1024 * 1024,
  });
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onRequest(() => null);
  client.listen();
  return {
    client,
    collections: () => collections,
    validated: () => validated,
    close: () => {
      client.dispose();
      connection.dispose();
    },
  };
}

async function typeKeys(h: Harness, count: number): Promise<void> {
  await h.client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
  await h.client.sendNotification('initialized', {});
  const uri = 'file:///t.yaml';
  await h.client.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version: 1, text: 'A: 1\n' },
  });
  for (let v = 2; v <= count + 1; v++) {
    const before = h.validated();
    await h.client.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ text: `A: ${v}\n` }],
    });
    // Each keystroke's validation before the next keystroke, as when typing.
    while (h.validated() === before) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setImmediate(r));
  }
}

test('past the budget: one collection between keystrokes, not one per keystroke', async () => {
  const h = harness(MEMORY_BUDGET.rssMiB + 100);
  try {
    await typeKeys(h, 20);
    assert.equal(h.collections(), 1);
  } finally {
    h.close();
  }
});

test('under the budget: no collection while typing', async () => {
  const h = harness(MEMORY_BUDGET.rssMiB - 100);
  try {
    await typeKeys(h, 20);
    assert.equal(h.collections(), 0);
  } finally {
    h.close();
  }
});
