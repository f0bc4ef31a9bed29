// The trust wiring of the real AWS commands, in an untrusted workspace and after trust is granted, without VS Code:
// a small stand-in for the `vscode` module (only what the AWS side uses) is served to `require('vscode')`. The end-to-end
// window cannot be untrusted (the test launcher turns workspace trust off), so this is where the gating is exercised.
import '../hermeticAws';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as AwsCommandsModule from '../../../client/src/awsCommands';
import type * as AwsContextModule from '../../../client/src/awsContext';
import type * as ConfigModule from '../../../client/src/config';

type Listener = (value: unknown) => void;

class FakeEventEmitter {
  private listeners: Listener[] = [];
  readonly event = (listener: Listener): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value?: unknown): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

interface ScopedValues {
  globalValue?: unknown;
  workspaceValue?: unknown;
}

/** The stand-in's state, read and changed by the tests. */
const state = {
  trusted: false,
  settings: new Map<string, ScopedValues>(),
  messages: [] as { kind: string; text: string }[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executed: [] as string[],
  statusItems: [] as { text: string; tooltip: unknown; command: unknown }[],
  grantTrust: new FakeEventEmitter(),
  configChange: new FakeEventEmitter(),
};

function message(kind: string) {
  return (text: string): Promise<undefined> => {
    state.messages.push({ kind, text });
    return Promise.resolve(undefined);
  };
}

const fakeVscode = {
  EventEmitter: FakeEventEmitter,
  Disposable: class {
    constructor(private readonly onDispose: () => void) {}
    static from(...items: { dispose(): unknown }[]) {
      return { dispose: () => items.forEach((i) => i.dispose()) };
    }
    dispose(): void {
      this.onDispose();
    }
  },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  workspace: {
    get isTrusted() {
      return state.trusted;
    },
    onDidGrantWorkspaceTrust: state.grantTrust.event,
    onDidChangeConfiguration: state.configChange.event,
    textDocuments: [],
    findFiles: () => Promise.resolve([]),
    asRelativePath: (p: unknown) => String(p),
    fs: { readFile: () => Promise.reject(new Error('no files in the fake workspace')) },
    getConfiguration: (section: string) => ({
      get: (key: string) => {
        const v = state.settings.get(`${section}.${key}`);
        return v?.workspaceValue ?? v?.globalValue;
      },
      inspect: (key: string) => ({ key: `${section}.${key}`, ...state.settings.get(`${section}.${key}`) }),
      update: (key: string, value: unknown) => {
        const name = `${section}.${key}`;
        state.settings.set(name, { ...state.settings.get(name), globalValue: value });
        state.configChange.fire({ affectsConfiguration: (s: string) => name === s || name.startsWith(`${s}.`) });
        return Promise.resolve();
      },
    }),
  },
  window: {
    activeTextEditor: undefined,
    showWarningMessage: message('warning'),
    showErrorMessage: message('error'),
    showInformationMessage: message('info'),
    showQuickPick: () => Promise.resolve(undefined),
    showInputBox: () => Promise.resolve(undefined),
    withProgress: (
      _options: unknown,
      work: (progress: { report(): void }, token: { onCancellationRequested(): { dispose(): void } }) => unknown,
    ) => work({ report: () => undefined }, { onCancellationRequested: () => ({ dispose: () => undefined }) }),
    createOutputChannel: () => ({ appendLine: () => undefined, show: () => undefined, dispose: () => undefined }),
    createStatusBarItem: () => {
      const item = {
        text: '',
        tooltip: undefined as unknown,
        command: undefined as unknown,
        name: '',
        show: () => undefined,
        dispose: () => undefined,
      };
      state.statusItems.push(item);
      return item;
    },
  },
  commands: {
    registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
      state.commands.set(id, handler);
      return { dispose: () => state.commands.delete(id) };
    },
    executeCommand: (id: string) => {
      state.executed.push(id);
      return Promise.resolve(undefined);
    },
  },
};

interface ModuleInternals {
  _load: (this: unknown, request: string, parent: unknown, isMain: boolean) => unknown;
}
const moduleInternals = Module as unknown as ModuleInternals;
// The module object itself (an `import * as` namespace has read-only getters): profiles.ts calls its readFile.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fsPromises = require('node:fs/promises') as { readFile: unknown };
const originalLoad = moduleInternals._load;

const logLines: string[] = [];
const fakeLog = {
  info: (m: string) => logLines.push(`info ${m}`),
  warn: (m: string) => logLines.push(`warn ${m}`),
  error: (m: string) => logLines.push(`error ${m}`),
  show: () => undefined,
};

describe('the AWS commands in an untrusted workspace (real wiring, stand-in vscode)', () => {
  let home: string;
  let awsContext: InstanceType<typeof AwsContextModule.AwsContext>;
  let config: typeof ConfigModule;
  const filesRead: string[] = [];
  const serverAsked: string[] = [];
  const originalReadFile = fsPromises.readFile;
  const savedEnv = {
    AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
    AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE,
  };

  before(() => {
    moduleInternals._load = function (request, parent, isMain) {
      if (request === 'vscode') return fakeVscode;
      return originalLoad.call(this, request, parent, isMain);
    };
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'eventbridge-trust-gating-'));
    fs.writeFileSync(path.join(home, 'config'), '[profile dev]\nregion = eu-west-1\n');
    fs.writeFileSync(
      path.join(home, 'credentials'),
      '[dev]\naws_access_key_id = AKIAFAKEFAKEFAKEFAKE\naws_secret_access_key = fake\n',
    );
    process.env.AWS_CONFIG_FILE = path.join(home, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, 'credentials');
    // Every read of the AWS files goes through fs/promises.readFile (profiles.ts): record them.
    fsPromises.readFile = (file: unknown, ...rest: unknown[]) => {
      filesRead.push(String(file));
      return (originalReadFile as (...a: unknown[]) => unknown)(file, ...rest);
    };
    state.settings.set('eventbridgePatterns.aws.endpoint', {
      globalValue: '',
      workspaceValue: 'https://collector.example.invalid',
    });
    state.settings.set('eventbridgePatterns.aws.profile', { workspaceValue: 'dev' });
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { AwsContext, createAwsStatusItem } = require('../../../client/src/awsContext') as typeof AwsContextModule;
    const { registerAwsCommands } = require('../../../client/src/awsCommands') as typeof AwsCommandsModule;
    config = require('../../../client/src/config') as typeof ConfigModule;
    /* eslint-enable @typescript-eslint/no-require-imports */
    awsContext = new AwsContext(fakeLog as never);
    createAwsStatusItem(awsContext);
    registerAwsCommands(awsContext, {
      // The commands refused here must not even ask the language server, nor start the local bus's process.
      server: {
        send: (type) => {
          serverAsked.push(type.method);
          return Promise.reject(new Error('no language server in this test'));
        },
      },
      cliPath: path.join(home, 'no-cli.js'),
    });
  });

  after(() => {
    fsPromises.readFile = originalReadFile;
    moduleInternals._load = originalLoad;
    awsContext.dispose();
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(home, { recursive: true, force: true });
  });

  const run = (id: string, arg?: unknown): Promise<unknown> => Promise.resolve(state.commands.get(id)!(arg));
  const awsFilesRead = (): string[] => filesRead.filter((f) => f.startsWith(home));

  it('says at activation that the workspace is not trusted, naming the workspace settings it ignores', () => {
    assert.ok(
      logLines.some(
        (l) =>
          l.includes('Workspace not trusted') &&
          l.includes('eventbridgePatterns.aws.profile') &&
          l.includes('eventbridgePatterns.aws.endpoint'),
      ),
      logLines.join('\n'),
    );
  });

  it('the status bar item says restricted and offers to manage trust, without reading ~/.aws', () => {
    const item = state.statusItems.at(-1)!;
    assert.match(item.text, /restricted/);
    assert.equal(item.command, 'workbench.trust.manage');
    assert.deepEqual(awsFilesRead(), []);
  });

  it('every command that reads credentials, calls AWS or starts a server refuses with the reason and the way out', async () => {
    const cases: [string, unknown, string][] = [
      ['eventbridge.selectProfile', 'dev', 'read AWS profiles'],
      ['eventbridge.startLocalBus', { port: 0 }, 'start the local bus'],
      [
        'eventbridge.sendEvent',
        { eventBusName: 'default', text: '{"source":"a","detail-type":"b","detail":{}}' },
        'send events',
      ],
      ['eventbridge.tailLogTargets', { ruleName: 'r', eventBusName: 'default' }, 'tail log targets'],
    ];
    for (const [command, arg, action] of cases) {
      state.messages.length = 0;
      assert.equal(await run(command, arg), undefined, `${command} did nothing`);
      assert.equal(state.messages.length, 1, `${command}: ${JSON.stringify(state.messages)}`);
      assert.equal(state.messages[0].kind, 'warning');
      assert.match(
        state.messages[0].text,
        new RegExp(`^EventBridge: This workspace is not trusted: .* Trust it to ${action}\\.$`),
      );
    }
    assert.equal(awsContext.localBus, undefined, 'no local bus');
    assert.deepEqual(serverAsked, [], 'the language server was not asked');
    assert.equal(awsContext.runningTail, undefined, 'no tail');
    assert.deepEqual(awsFilesRead(), [], 'the AWS files were not read');
    assert.equal(state.settings.get('eventbridgePatterns.aws.profile')?.globalValue, undefined, 'no profile was saved');
  });

  it('the context itself refuses too: no connection, no profiles', async () => {
    const connection = await awsContext.connection();
    assert.equal(connection.ok, false);
    await assert.rejects(awsContext.profiles(), /not trusted/);
    assert.deepEqual(awsFilesRead(), []);
  });

  it("the workspace's endpoint and profile are ignored; the user's values stand", () => {
    const untrusted = config.readAwsSettings();
    assert.equal(untrusted.endpoint, '');
    assert.equal(untrusted.profile, '');
  });

  it('once trust is granted, the status bar and the commands work without a reload', async () => {
    state.trusted = true;
    state.grantTrust.fire();
    assert.ok(logLines.some((l) => l.includes('Workspace trusted')));
    assert.equal(config.readAwsSettings().endpoint, 'https://collector.example.invalid', "a trusted workspace's value");
    state.settings.delete('eventbridgePatterns.aws.endpoint');
    state.settings.delete('eventbridgePatterns.aws.profile');
    assert.equal(await run('eventbridge.selectProfile', 'dev'), 'dev');
    assert.ok(awsFilesRead().length > 0, 'the AWS files are read now');
    // The status item refreshes asynchronously (it reads the files): poll for it.
    const item = state.statusItems.at(-1)!;
    for (const deadline = Date.now() + 5000; !item.text.includes('dev · eu-west-1');)
      if (Date.now() > deadline) assert.fail(`the status item did not refresh: ${item.text}`);
      else await new Promise((resolve) => setImmediate(resolve));
    assert.equal(item.command, 'eventbridge.selectProfile');
  });
});
