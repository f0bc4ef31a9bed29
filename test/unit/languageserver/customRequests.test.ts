// The custom requests of shared/requests.ts, as any client sends them: dist/server.js over stdio, spoken to in
// JSON-RPC. The server answers from its synchronised copy of each open document (unsaved text included), reads the
// template files it is named from disk, and answers bad parameters with an error instead of falling over.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import {
  CatalogSampleRequest,
  CatalogSourcesRequest,
  MatchWorkspaceRulesRequest,
  PatternAtRequest,
  PatternSamplesRequest,
  RuleAtRequest,
  TestPatternRequest,
  type RequestType,
} from '../../../shared';
import { repoRoot } from '../repoPaths';

const SERVER = join(repoRoot, 'dist', 'server.js');

let child: ChildProcessWithoutNullStreams;
let connection: MessageConnection;
let dir: string;

function ask<P, R>(type: RequestType<P, R>, params: P): Promise<R> {
  return connection.sendRequest<R>(type.method, params);
}

const uriOf = (name: string): string => pathToFileURL(join(dir, name)).href;

function open(name: string, text: string): void {
  void connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: uriOf(name), languageId: name.endsWith('.json') ? 'json' : 'yaml', version: 1, text },
  });
}

/** The position of the first character of `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; character: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const ON_DISK = `Resources:
  Saved:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [shop]
`;
// What the editor holds for the same file: a rule the disk does not have yet.
const UNSAVED = `${ON_DISK}  Unsaved:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [shop]
        detail-type: [Order Placed]
`;
const OTHER = `Resources:
  Elsewhere:
    Type: AWS::Events::Rule
    Properties:
      Name: elsewhere
      EventPattern: '{"source": ["other"]}'
`;
const PATTERN = '{"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}}';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eventbridge-requests-'));
  writeFileSync(join(dir, 'shop-stack.yaml'), ON_DISK);
  writeFileSync(join(dir, 'other.yaml'), OTHER);
  child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
  connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification(() => undefined);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: {},
  });
  await connection.sendNotification('initialized', {});
  open('shop-stack.yaml', UNSAVED);
  open('orders.eventpattern.json', PATTERN);
});

after(async () => {
  try {
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } finally {
    connection.dispose();
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('the custom requests over the wire', () => {
  it('patternAt: the pattern in the open document; a document the server was not given gets a reason', async () => {
    const answer = await ask(PatternAtRequest, {
      textDocument: { uri: uriOf('orders.eventpattern.json') },
      position: { line: 0, character: 3 },
    });
    assert.ok(answer.ok);
    assert.equal(answer.pattern.text, '{"source":["shop"],"detail":{"total":[{"numeric":[">",100]}]}}');
    assert.equal(answer.pattern.dialect, 'eventbus');
    const unknown = await ask(PatternAtRequest, {
      textDocument: { uri: uriOf('other.yaml') },
      position: { line: 0, character: 0 },
    });
    assert.deepEqual(unknown, {
      ok: false,
      reason: 'The language server does not have this document: it reads JSON and YAML files (and untitled ones) only.',
    });
  });

  it('testPattern and patternSamples: the engine’s answers and a sample that matches', async () => {
    const at = { textDocument: { uri: uriOf('orders.eventpattern.json') }, position: { line: 0, character: 3 } };
    const tested = await ask(TestPatternRequest, {
      ...at,
      events: [
        { label: 'big', text: '{"source": "shop", "detail": {"total": 150}}' },
        { label: 'small', text: '{"source": "shop", "detail": {"total": 5}}' },
      ],
    });
    assert.ok(tested.ok);
    assert.deepEqual(
      tested.results.map((r) => [r.label, r.matched]),
      [
        ['big', true],
        ['small', false],
      ],
    );
    assert.match(tested.results[1].reasons.join('\n'), /detail\.total/);
    const samples = await ask(PatternSamplesRequest, { ...at, region: 'ap-south-1' });
    assert.ok(samples.ok);
    assert.equal(samples.generated.matches, true);
    assert.equal(samples.generated.event.region, 'ap-south-1');
  });

  it('ruleAt: the rule under the cursor in the unsaved text, named after the file as the local bus names it', async () => {
    const answer = await ask(RuleAtRequest, {
      textDocument: { uri: uriOf('shop-stack.yaml') },
      position: positionOf(UNSAVED, 'detail-type'),
      region: 'eu-west-1',
      accountId: '000000000000',
    });
    assert.ok(answer.ok, answer.ok ? '' : answer.reason);
    assert.equal(answer.rule.logicalId, 'Unsaved');
    assert.match(answer.rule.localName, /^shop-stack-Unsaved-[0-9A-F]{12}$/);
  });

  it('matchWorkspaceRules: open templates as the editor has them, the others from disk, the unreadable said', async () => {
    const result = await ask(MatchWorkspaceRulesRequest, {
      templates: [uriOf('shop-stack.yaml'), uriOf('other.yaml'), uriOf('gone.yaml'), 'vscode-vfs://github/x.yaml'],
      eventText: JSON.stringify({ source: 'shop', 'detail-type': 'Order Placed', detail: {} }),
      region: 'us-east-1',
      accountId: '000000000000',
    });
    assert.equal(result.templates, 2);
    assert.deepEqual(
      result.rules.map((r) => `${r.uri.split('/').pop()}#${r.logicalId}`),
      ['shop-stack.yaml#Saved', 'shop-stack.yaml#Unsaved', 'other.yaml#Elsewhere'],
    );
    assert.ok('events' in result.answer);
    assert.deepEqual(
      result.answer.events[0].rules.map((r) => r.logicalId),
      ['Saved', 'Unsaved'],
    );
    assert.ok(
      result.problems.some((p) => p.startsWith('cannot read') && p.includes('gone.yaml')),
      result.problems.join('\n'),
    );
    assert.ok(result.problems.some((p) => p.startsWith('vscode-vfs://github/x.yaml: cannot be read')));
  });

  it('the catalog: its sources, and a sample event', async () => {
    const sources = await ask(CatalogSourcesRequest, {});
    assert.equal(sources.available, true);
    assert.ok(sources.sources.some((s) => s.source === 'aws.ec2' && s.detailTypes.length > 0));
    const sample = await ask(CatalogSampleRequest, { source: 'aws.s3', detailType: 'Object Created' });
    assert.equal(sample.event?.source, 'aws.s3');
  });

  it('bad parameters get an InvalidParams error, and the server goes on answering', async () => {
    const invalid = async (method: string, params: unknown, message: RegExp): Promise<void> => {
      await assert.rejects(connection.sendRequest(method, params), (e: unknown) => {
        assert.ok(e instanceof ResponseError, String(e));
        assert.equal(e.code, -32602);
        assert.match(e.message, message);
        return true;
      });
    };
    await invalid(PatternAtRequest.method, {}, /textDocument\.uri must be a string/);
    await invalid(PatternAtRequest.method, { textDocument: { uri: 'x' } }, /position must be/);
    await invalid(
      TestPatternRequest.method,
      { textDocument: { uri: uriOf('orders.eventpattern.json') }, position: { line: 0, character: 0 } },
      /events must be an array/,
    );
    await invalid(MatchWorkspaceRulesRequest.method, { templates: 'x', eventText: '{}' }, /region and accountId/);
    await invalid(
      MatchWorkspaceRulesRequest.method,
      { templates: [1], eventText: '{}', region: 'us-east-1', accountId: '1' },
      /templates must be an array of URIs/,
    );
    const still = await ask(CatalogSampleRequest, { source: 'aws.s3', detailType: 'Object Created' });
    assert.ok(still.event);
  });
});
