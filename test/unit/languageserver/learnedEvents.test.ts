// The learned schemas kept up to date by the language server (dist/server.js over stdio): the workspace's sample
// events are read again when the client says a file under events/ changed (workspace/didChangeWatchedFiles), events
// the local bus saw arrive as a notification, and the EB520 hints of the open documents follow. Also the custom
// sources request the client asks before reading schema registries.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CustomSourcesRequest, ObservedEventsNotification } from '../../../shared';
import { LspTestClient, type Message } from './lspClient';
import { repoRoot } from '../repoPaths';

const SERVER = join(repoRoot, 'dist', 'server.js');

interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { code?: string; message: string }[];
}

const order = (detail: Record<string, unknown>) => ({
  version: '0',
  id: '1',
  source: 'com.example.orders',
  'detail-type': 'Order Placed',
  account: '111122223333',
  time: '2026-12-05T00:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail,
});

let dir: string;
let client: LspTestClient;
const uriOf = (name: string): string => pathToFileURL(join(dir, name)).href;

/** The EB520 messages of the latest diagnostics of `uri` published after `after` notifications, once `pick` holds. */
function eb520After(uri: string, after: number, pick: (messages: string[]) => boolean, what: string) {
  return client.waitFor((ms: Message[]) => {
    const published = ms
      .slice(after)
      .filter((m) => m.method === 'textDocument/publishDiagnostics')
      .map((m) => m.params as PublishedDiagnostics)
      .filter((p) => p.uri === uri);
    const last = published[published.length - 1];
    if (!last) return undefined;
    const messages = last.diagnostics.filter((d) => d.code === 'EB520').map((d) => d.message);
    return pick(messages) ? messages : undefined;
  }, what);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ebp-learned-'));
  mkdirSync(join(dir, 'events', 'orders'), { recursive: true });
  writeFileSync(
    join(dir, 'events', 'orders', 'placed.json'),
    JSON.stringify([order({ orderId: 'o1', total: 10 }), order({ orderId: 'o2', total: 20 })]),
  );
  writeFileSync(join(dir, 'events', 'orders', 'more.json'), JSON.stringify(order({ orderId: 'o3', total: 30 })));
  client = new LspTestClient(SERVER);
  const init = await client.request('initialize', {
    processId: null,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'w' }],
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
  });
  assert.equal(init.error, undefined);
  client.notify('initialized', {});
});

after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('learned events in the language server', () => {
  const PATTERN =
    '{"source": ["com.example.orders"], "detail-type": ["Order Placed"], "detail": {"totl": [{"numeric": [">", 5]}]}}';

  test('a changed sample file is read again and the hints follow', async () => {
    const uri = uriOf('orders.eventpattern.json');
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text: PATTERN } });
    const [first] = await eb520After(uri, 0, (m) => m.length === 1, 'the EB520 hint');
    assert.match(
      first,
      /^no sample event of com\.example\.orders has detail\.totl: did you mean detail\.total\? \(3 sample events/,
    );
    assert.match(first, /events\/orders\/more\.json, events\/orders\/placed\.json/);

    // A sample that has `totl` now: the path is known, the hint goes.
    const mark = client.notifications.length;
    const file = join(dir, 'events', 'orders', 'odd.json');
    writeFileSync(file, JSON.stringify(order({ orderId: 'o4', totl: 1 })));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 1 }] });
    await eb520After(uri, mark, (m) => m.length === 0, 'the hint to go after the new sample');

    // And back when it is deleted.
    const again = client.notifications.length;
    rmSync(file);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 3 }] });
    await eb520After(uri, again, (m) => m.length === 1, 'the hint to come back');
  });

  test('events the local bus saw are learned (a notification), and custom sources are listed', async () => {
    const uri = uriOf('shop.eventpattern.json');
    const text = '{"source": ["com.example.shop"], "detail": {"basket": [{"exists": true}]}}';
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text } });
    const mark = client.notifications.length;
    const seen = (n: number) => ({ ...order({ basketId: `b${n}` }), source: 'com.example.shop' });
    client.notify(ObservedEventsNotification.method, { events: [seen(1), seen(2), seen(3), { not: 'an event' }] });
    const [hint] = await eb520After(uri, mark, (m) => m.length === 1, 'a hint from the local bus events');
    assert.match(
      hint,
      /has detail\.basket: did you mean detail\.basketId\? \(3 sample events .*3 seen by the local bus\)/,
    );

    const answer = await client.request(CustomSourcesRequest.method, {});
    assert.deepEqual(answer.result, { sources: ['com.example.orders', 'com.example.shop'] });
  });

  test('a malformed notification changes nothing and the server keeps answering', async () => {
    client.notify(ObservedEventsNotification.method, { events: 'nope' });
    client.notify('eventbridge/registrySchemas', { schemas: [{ source: 1 }] });
    const answer = await client.request(CustomSourcesRequest.method, {});
    assert.equal(answer.error, undefined);
  });
});
