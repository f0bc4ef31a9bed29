// The client's commands ask the language server instead of analysing documents: the real commands, with a stand-in
// for the `vscode` module (only what they use), against the real dist/server.js over stdio. The editor's cursor
// becomes a request, the server's answer becomes what the command returns and says. (In a real VS Code: aws.e2e.ts.)
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
import type * as AwsCommandsModule from '../../../client/src/awsCommands';
import type * as AwsContextModule from '../../../client/src/awsContext';
import type { ServerRequests } from '../../../client/src/patternServer';
import { repoRoot } from '../repoPaths';

class FakeUri {
  constructor(private readonly text: string) {}
  static parse(text: string): FakeUri {
    return new FakeUri(text);
  }
  static file(p: string): FakeUri {
    return new FakeUri(pathToFileURL(p).href);
  }
  get fsPath(): string {
    return fileURLToPath(this.text);
  }
  toString(): string {
    return this.text;
  }
}

interface FakeEditor {
  document: { uri: FakeUri; getText(): string; languageId: string };
  selection: { active: { line: number; character: number }; isEmpty: boolean };
}

const state = {
  folder: '',
  files: [] as string[],
  editor: undefined as FakeEditor | undefined,
  messages: [] as { kind: string; text: string }[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
};

const noEvent = () => ({ dispose: () => undefined });
const fakeVscode = {
  Uri: FakeUri,
  EventEmitter: class {
    readonly event = noEvent;
    fire(): void {}
    dispose(): void {}
  },
  ProgressLocation: { Window: 10, Notification: 15 },
  workspace: {
    isTrusted: true,
    onDidGrantWorkspaceTrust: noEvent,
    onDidChangeConfiguration: noEvent,
    textDocuments: [],
    findFiles: () => Promise.resolve(state.files.map((f) => FakeUri.file(f))),
    asRelativePath: (p: unknown) => path.relative(state.folder, p instanceof FakeUri ? p.fsPath : String(p)),
    getConfiguration: () => ({ get: () => undefined, inspect: () => undefined }),
  },
  window: {
    get activeTextEditor() {
      return state.editor;
    },
    showWarningMessage: (text: string) => {
      state.messages.push({ kind: 'warning', text });
      return Promise.resolve(undefined);
    },
    showInformationMessage: (text: string) => {
      state.messages.push({ kind: 'info', text });
      return Promise.resolve(undefined);
    },
    createOutputChannel: () => ({ appendLine: () => undefined, show: () => undefined, dispose: () => undefined }),
  },
  commands: {
    registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
      state.commands.set(id, handler);
      return { dispose: () => state.commands.delete(id) };
    },
  },
};

interface ModuleInternals {
  _load: (this: unknown, request: string, parent: unknown, isMain: boolean) => unknown;
}
const moduleInternals = Module as unknown as ModuleInternals;
const originalLoad = moduleInternals._load;
const log = { info: () => undefined, warn: () => undefined, error: () => undefined, show: () => undefined };

const PATTERN =
  '{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bucket": {"name": ["uploads"]}}}';
const TEMPLATE = `Resources:
  Uploads:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail:
          bucket:
            name: [uploads]
`;

let child: ChildProcessWithoutNullStreams;
let connection: MessageConnection;
/** The language server, as the commands see it; `down` makes it refuse as PatternServer does when it is not running. */
const server = {
  down: false,
  asked: [] as string[],
  send(type: { method: string }, params: unknown): Promise<never> {
    server.asked.push(type.method);
    if (server.down) return Promise.reject(new Error('the EventBridge Patterns language server is not running'));
    return connection.sendRequest(type.method, params);
  },
} satisfies ServerRequests & Record<string, unknown>;

function openInEditor(name: string, text: string, cursorBefore: string): void {
  const uri = FakeUri.file(path.join(state.folder, name));
  const languageId = name.endsWith('.json') ? 'json' : 'yaml';
  void connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: uri.toString(), languageId, version: 1, text },
  });
  const lines = text.slice(0, text.indexOf(cursorBefore)).split('\n');
  state.editor = {
    document: { uri, getText: () => text, languageId },
    selection: { active: { line: lines.length - 1, character: lines[lines.length - 1].length }, isEmpty: true },
  };
}

const run = (id: string, arg?: unknown): Promise<unknown> => Promise.resolve(state.commands.get(id)!(arg));

before(async () => {
  state.folder = fs.mkdtempSync(path.join(os.tmpdir(), 'eventbridge-ask-'));
  fs.writeFileSync(path.join(state.folder, 'uploads.yaml'), TEMPLATE);
  fs.writeFileSync(path.join(state.folder, 'package.json'), '{"name": "x"}');
  state.files = [path.join(state.folder, 'package.json'), path.join(state.folder, 'uploads.yaml')];
  child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
  connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  connection.onNotification(() => undefined);
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});

  moduleInternals._load = function (request, parent, isMain) {
    if (request === 'vscode') return fakeVscode;
    return originalLoad.call(this, request, parent, isMain);
  };
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { AwsContext } = require('../../../client/src/awsContext') as typeof AwsContextModule;
  const { registerAwsCommands } = require('../../../client/src/awsCommands') as typeof AwsCommandsModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  registerAwsCommands(new AwsContext(log as never), { server, cliPath: path.join(repoRoot, 'dist', 'cli.js') });
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

interface TestResult {
  label: string;
  matched?: boolean;
  reasons: string[];
}

describe("the commands ask the language server about the editor's document", () => {
  it('Test Pattern: the sample events come from the server, and so do the verdicts', async () => {
    openInEditor('uploads.eventpattern.json', PATTERN, '"uploads"');
    server.asked.length = 0;
    const results = (await run('eventbridge.testPattern', { compareWithAws: false })) as TestResult[];
    assert.deepEqual(server.asked, ['eventbridge/patternSamples', 'eventbridge/testPattern']);
    assert.deepEqual(
      results.map((r) => [r.label, r.matched]),
      [
        ['generated sample that should match', true],
        ['catalog sample aws.s3 / Object Created', false],
      ],
    );
    assert.ok(
      results[1].reasons.some((r) => r.includes('detail.bucket.name')),
      results[1].reasons.join('\n'),
    );
    assert.match(state.messages.at(-1)?.text ?? '', /1 of 2 events match the pattern/);
  });

  it('Test Pattern with given events; outside a pattern it says why, in the server’s words', async () => {
    const given = (await run('eventbridge.testPattern', {
      events: ['{"source": "aws.s3", "detail-type": "Object Created", "detail": {"bucket": {"name": "uploads"}}}'],
      compareWithAws: false,
    })) as TestResult[];
    assert.deepEqual(
      given.map((r) => [r.label, r.matched]),
      [['event 1', true]],
    );
    // Two rules, the cursor in neither (with one, the file's only pattern would be used).
    openInEditor('two.yaml', `${TEMPLATE}  Again:\n${TEMPLATE.slice(TEMPLATE.indexOf('    Type:'))}`, 'Resources');
    state.messages.length = 0;
    assert.equal(await run('eventbridge.testPattern', { events: ['{}'], compareWithAws: false }), undefined);
    assert.deepEqual(state.messages, [
      {
        kind: 'warning',
        text: 'EventBridge: cannot test: The cursor is not inside an event pattern: put it inside the one to use.',
      },
    ]);
  });

  it('Which Workspace Rules Match: the extension names the files, the server reads and matches them', async () => {
    const result = (await run('eventbridge.matchWorkspaceRules', {
      eventText: JSON.stringify({ source: 'aws.s3', detail: { bucket: { name: 'uploads' } } }),
    })) as { rules: number; templates: number; events: { matches: { template: string; logicalId: string }[] }[] };
    assert.equal(result.templates, 1, 'package.json is not a template');
    assert.equal(result.rules, 1);
    assert.deepEqual(result.events[0].matches, [
      { template: 'uploads.yaml', logicalId: 'Uploads', eventBusName: 'default', state: 'ENABLED' },
    ]);
  });

  it('when the server cannot answer, the command says so instead of failing', async () => {
    openInEditor('uploads.eventpattern.json', PATTERN, '"uploads"');
    server.down = true;
    try {
      state.messages.length = 0;
      assert.equal(await run('eventbridge.testPattern', { compareWithAws: false }), undefined);
      assert.deepEqual(state.messages, [
        { kind: 'warning', text: 'EventBridge: cannot test: the EventBridge Patterns language server is not running' },
      ]);
      const matched = (await run('eventbridge.matchWorkspaceRules', { eventText: '{}' })) as { error: string };
      assert.match(matched.error, /language server is not running/);
    } finally {
      server.down = false;
    }
  });
});
