// "Generate Sample Events for Pattern": the real command with a stand-in for the `vscode` module, against the real
// dist/server.js over stdio. The server makes the events; the command writes the chosen ones under events/, numbering
// after the files already there; the pattern's code lens then counts them (near misses as events that do not match).
import '../hermeticAws';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type * as CommandModule from '../../../client/src/generateEventsCommand';
import { repoRoot } from '../repoPaths';

class FakeUri {
  constructor(readonly text: string) {}
  static parse(text: string): FakeUri {
    return new FakeUri(text);
  }
  static file(p: string): FakeUri {
    return new FakeUri(pathToFileURL(p).href);
  }
  static joinPath(base: FakeUri, ...parts: string[]): FakeUri {
    return FakeUri.file(path.join(base.fsPath, ...parts));
  }
  get fsPath(): string {
    return fileURLToPath(this.text);
  }
  toString(): string {
    return this.text;
  }
}

class FakeKind {
  constructor(readonly value: string) {}
  append(part: string): FakeKind {
    return new FakeKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: FakeKind): boolean {
    return other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
}

const state = {
  folder: '',
  messages: [] as string[],
  picks: undefined as ((items: { label: string; event: { matches: boolean } }[]) => unknown) | undefined,
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  provider: undefined as
    | { provideCodeActions(d: unknown, r: unknown, c: unknown): Promise<{ title: string; command: unknown }[]> }
    | undefined,
};

const fakeVscode = {
  Uri: FakeUri,
  CodeActionKind: { Empty: new FakeKind('') },
  CodeAction: class {
    command: unknown;
    constructor(
      readonly title: string,
      readonly kind: FakeKind,
    ) {}
  },
  workspace: {
    get workspaceFolders() {
      return [{ uri: FakeUri.file(state.folder) }];
    },
    getWorkspaceFolder: () => ({ uri: FakeUri.file(state.folder) }),
    asRelativePath: (p: unknown) => path.relative(state.folder, p instanceof FakeUri ? p.fsPath : String(p)),
    fs: {
      readDirectory: (uri: FakeUri) =>
        Promise.resolve(fs.readdirSync(uri.fsPath, { withFileTypes: true }).map((d) => [d.name, d.isFile() ? 1 : 2])),
      writeFile: (uri: FakeUri, data: Uint8Array) => {
        fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
        fs.writeFileSync(uri.fsPath, data);
        return Promise.resolve();
      },
    },
  },
  window: {
    activeTextEditor: undefined,
    showWarningMessage: (text: string) => {
      state.messages.push(text);
      return Promise.resolve(undefined);
    },
    showInformationMessage: (text: string) => {
      state.messages.push(text);
      return Promise.resolve(undefined);
    },
    showQuickPick: (items: { label: string; event: { matches: boolean } }[]) => Promise.resolve(state.picks?.(items)),
  },
  commands: {
    registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
      state.commands.set(id, handler);
      return { dispose: () => state.commands.delete(id) };
    },
  },
  languages: {
    registerCodeActionsProvider: (_selector: unknown, provider: typeof state.provider) => {
      state.provider = provider;
      return { dispose: () => undefined };
    },
  },
};

interface ModuleInternals {
  _load: (this: unknown, request: string, parent: unknown, isMain: boolean) => unknown;
}
const moduleInternals = Module as unknown as ModuleInternals;
const originalLoad = moduleInternals._load;
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };

const PATTERN =
  '{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"object": {"size": [{"numeric": [">", 1024]}]}}}';

let child: ChildProcessWithoutNullStreams;
let connection: MessageConnection;
const server = {
  status: { kind: 'running' as const, processId: undefined },
  send(type: { method: string }, params: unknown): Promise<never> {
    return connection.sendRequest(type.method, params);
  },
};

let patternUri = '';
const run = (arg?: unknown): Promise<unknown> =>
  Promise.resolve(state.commands.get('eventbridge.generateSampleEvents')!(arg));

/** The pattern's code lens title, once it differs from `before` (the server reloads sample files after a change). */
async function lensTitleAfter(before: string | undefined): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const lenses = await connection.sendRequest<{ command?: { title: string } }[]>('textDocument/codeLens', {
      textDocument: { uri: patternUri },
    });
    const title = lenses[0]?.command?.title ?? '';
    if (title !== before) return title;
    await new Promise((r) => setImmediate(r));
  }
  return before ?? '';
}

before(async () => {
  state.folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'eventbridge-gen-')));
  const file = path.join(state.folder, 'big-uploads.eventpattern.json');
  fs.writeFileSync(file, PATTERN);
  patternUri = FakeUri.file(file).toString();
  child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
  connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  connection.onRequest(() => null);
  connection.onNotification(() => undefined);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    workspaceFolders: [{ uri: FakeUri.file(state.folder).toString(), name: 'w' }],
  });
  await connection.sendNotification('initialized', {});
  await connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: patternUri, languageId: 'json', version: 1, text: PATTERN },
  });
  moduleInternals._load = function (request, parent, isMain) {
    if (request === 'vscode') return fakeVscode;
    return originalLoad.call(this, request, parent, isMain);
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GenerateSampleEvents } = require('../../../client/src/generateEventsCommand') as typeof CommandModule;
  new GenerateSampleEvents(server, log as never).register();
});

after(async () => {
  moduleInternals._load = originalLoad;
  try {
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } finally {
    connection.dispose();
    child.kill();
    fs.rmSync(state.folder, { recursive: true, force: true });
  }
});

describe('Generate Sample Events for Pattern', () => {
  const at = { uri: '', position: { line: 0, character: 3 } };

  it('a light bulb entry on a pattern, none outside one', async () => {
    at.uri = patternUri;
    const range = { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } };
    const actions = await state.provider!.provideCodeActions({ uri: FakeUri.parse(patternUri) }, range, {});
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Generate sample events for this pattern…'],
    );
    const elsewhere = await state.provider!.provideCodeActions(
      { uri: FakeUri.parse('file:///nowhere.json') },
      range,
      {},
    );
    assert.deepEqual(elsewhere, []);
    // Asked only for quick fixes: not offered.
    const quickFixes = await state.provider!.provideCodeActions({ uri: FakeUri.parse(patternUri) }, range, {
      only: new FakeKind('quickfix'),
    });
    assert.deepEqual(quickFixes, []);
  });

  it('saves matching events and near misses under events/<source>/, and the code lens counts them', async () => {
    const lensBefore = await lensTitleAfter(undefined);
    const result = (await run({ ...at, count: 2, save: 'all' })) as { events: { matches: boolean }[]; saved: string[] };
    const matching = result.events.filter((e) => e.matches).length;
    assert.equal(matching, 2);
    assert.ok(result.saved.length > 2);
    assert.deepEqual(result.saved.slice(0, 3), [
      'events/aws.s3/Object Created-1.json',
      'events/aws.s3/Object Created-2.json',
      'events/aws.s3/Object Created-near-miss-1.json',
    ]);
    for (const p of result.saved) assert.ok(fs.existsSync(path.join(state.folder, p)), p);
    const saved = JSON.parse(fs.readFileSync(path.join(state.folder, result.saved[0]), 'utf8')) as {
      detail: { object: { size: number } };
    };
    assert.ok(saved.detail.object.size > 1024);
    // The server learns of the new files as it would from the editor's file watcher.
    await connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: result.saved.map((p) => ({ uri: FakeUri.file(path.join(state.folder, p)).toString(), type: 1 })),
    });
    const title = await lensTitleAfter(lensBefore);
    const counts = /(\d+) of (\d+) sample events? match/.exec(title);
    assert.ok(counts, title);
    // The lens counted the catalog's samples before; the saved files add exactly theirs: 2 matching, the rest not.
    const [, matchedBefore, testedBefore] = /(\d+) of (\d+)/.exec(lensBefore) ?? ['', '0', '0'];
    assert.equal(Number(counts[1]) - Number(matchedBefore), 2);
    assert.equal(Number(counts[2]) - Number(testedBefore), result.saved.length);
  });

  it('a second run numbers after the files already there; the quick pick chooses which to save', async () => {
    state.picks = (items) => items.filter((i) => i.event.matches).slice(0, 1);
    const result = (await run({ ...at, interactive: true })) as { saved: string[] };
    assert.deepEqual(result.saved, ['events/aws.s3/Object Created-3.json']);
    state.picks = () => undefined; // dismissed: nothing saved
    assert.deepEqual(((await run({ ...at, interactive: true })) as { saved: string[] }).saved, []);
  });

  it('an impossible pattern or no pattern: says why, saves nothing', async () => {
    const file = path.join(state.folder, 'never.eventpattern.json');
    const text = '{"a": [{"numeric": [">", 5, "<", 5.000000000000001]}]}';
    const uri = FakeUri.file(file).toString();
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'json', version: 1, text },
    });
    state.messages.length = 0;
    assert.equal(await run({ uri, position: { line: 0, character: 2 } }), undefined);
    assert.match(
      state.messages[0] ?? '',
      /^EventBridge: no sample events: No event can match this pattern: a: no number/,
    );
    state.messages.length = 0;
    assert.equal(await run({}), undefined);
    assert.match(state.messages[0] ?? '', /open an event pattern/);
  });
});
