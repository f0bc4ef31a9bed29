// The AWS commands in a real VS Code, against the embedded local bus only (never AWS): profiles and regions from a
// fake HOME/.aws written here, the local bus started with the workspace's templates, an event sent and seen in the
// tail output, the pattern under the cursor tested, and every command explaining itself when it cannot act.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeApi, fixturePath, waitFor } from './helpers';

const AWS_COMMANDS = [
  'eventbridge.selectProfile',
  'eventbridge.selectRegion',
  'eventbridge.setEndpoint',
  'eventbridge.startLocalBus',
  'eventbridge.stopLocalBus',
  'eventbridge.fireScheduledRule',
  'eventbridge.sendEvent',
  'eventbridge.tailLogTargets',
  'eventbridge.stopTail',
  'eventbridge.testPattern',
  'eventbridge.matchWorkspaceRules',
];

interface LocalBusInfo {
  url: string;
  port: number;
  region: string;
  templates: string[];
}
interface SendResult {
  eventIds: (string | undefined)[];
  failures: { index: number; code: string; message: string }[];
  problems?: string[];
  error?: string;
}
interface TailStarted {
  rule: { name: string; eventBusName: string };
  logGroups: string[];
  channel: string;
}
interface TailStopped {
  delivered: number;
  recent: string[];
}
interface TestResult {
  label: string;
  matched?: boolean;
  reasons: string[];
  aws?: { matched: boolean } | { error: string };
}

function awsSetting(key: string): unknown {
  return vscode.workspace.getConfiguration('eventbridgePatterns').get(key);
}

async function openAt(file: string, needle: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixturePath(file));
  const editor = await vscode.window.showTextDocument(document);
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} in ${file}`);
  const position = document.positionAt(offset + 1);
  editor.selection = new vscode.Selection(position, position);
  return editor;
}

/** The text of the "EventBridge Tail" output channel, once VS Code has it as a document. */
function tailOutputText(): string | undefined {
  return vscode.workspace.textDocuments
    .find((d) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.toString()).includes('EventBridge Tail'))
    ?.getText();
}

describe('AWS commands (local bus only)', function () {
  this.timeout(60_000);
  const savedEnv = {
    HOME: process.env.HOME,
    AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
    AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE,
    AWS_PROFILE: process.env.AWS_PROFILE,
    AWS_REGION: process.env.AWS_REGION,
    AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION,
  };
  let home: string;

  before(async () => {
    // A fake HOME with its own ~/.aws, read by the extension (it runs in this process) at each command.
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'eventbridge-e2e-home-'));
    fs.mkdirSync(path.join(home, '.aws'));
    fs.writeFileSync(
      path.join(home, '.aws', 'config'),
      '[default]\nregion = eu-west-1\n\n[profile e2e-dev]\nregion = eu-central-1\n\n[profile e2e-sso]\nsso_session = corp\n\n[sso-session corp]\nsso_start_url = https://example.invalid/start\nsso_region = eu-west-1\n',
    );
    fs.writeFileSync(
      path.join(home, '.aws', 'credentials'),
      '[e2e-dev]\naws_access_key_id = AKIDE2EDUMMY\naws_secret_access_key = e2e-dummy-secret\n',
    );
    process.env.HOME = home;
    for (const key of [
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
      'AWS_PROFILE',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
    ])
      delete process.env[key];
    await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(fixturePath('sample.eventpattern.json')),
    );
    await activeApi();
  });

  after(async () => {
    await vscode.commands.executeCommand('eventbridge.stopTail');
    await vscode.commands.executeCommand('eventbridge.stopLocalBus');
    for (const key of ['profile', 'region', 'endpoint'])
      await vscode.workspace
        .getConfiguration('eventbridgePatterns')
        .update(`aws.${key}`, undefined, vscode.ConfigurationTarget.Global);
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('registers every AWS command at activation', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const command of AWS_COMMANDS) assert.ok(registered.has(command), `${command} is registered`);
  });

  it('stop commands say there is nothing to stop instead of failing', async () => {
    assert.equal(await vscode.commands.executeCommand('eventbridge.stopLocalBus'), false);
    assert.equal(await vscode.commands.executeCommand('eventbridge.stopTail'), undefined);
  });

  it('selects a profile and a region from ~/.aws and persists them in settings', async () => {
    assert.equal(await vscode.commands.executeCommand('eventbridge.selectProfile', 'e2e-dev'), 'e2e-dev');
    await waitFor(() => awsSetting('aws.profile') === 'e2e-dev', 'the profile setting');
    assert.equal(await vscode.commands.executeCommand('eventbridge.selectRegion', 'ap-southeast-2'), 'ap-southeast-2');
    await waitFor(() => awsSetting('aws.region') === 'ap-southeast-2', 'the region setting');
    // A profile that is not in the files is refused, and the setting stays.
    assert.equal(await vscode.commands.executeCommand('eventbridge.selectProfile', 'ghost'), undefined);
    assert.equal(awsSetting('aws.profile'), 'e2e-dev');
    assert.equal(await vscode.commands.executeCommand('eventbridge.selectRegion', 'Not A Region'), undefined);
    assert.equal(await vscode.commands.executeCommand('eventbridge.setEndpoint', 'ftp://nope'), undefined);
    // Back to no profile and no region: the local bus becomes the default endpoint.
    assert.equal(await vscode.commands.executeCommand('eventbridge.selectProfile', ''), '');
    assert.equal(await vscode.commands.executeCommand('eventbridge.selectRegion', ''), '');
    await waitFor(() => !awsSetting('aws.profile') && !awsSetting('aws.region'), 'the settings to clear');
  });

  let bus: LocalBusInfo;

  it('starts the local bus on 127.0.0.1 with the workspace templates loaded', async () => {
    const started = await vscode.commands.executeCommand<LocalBusInfo | undefined>('eventbridge.startLocalBus');
    assert.ok(started, 'the local bus started');
    bus = started;
    assert.match(bus.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(
      bus.templates.some((t) => t.endsWith(path.join('aws', 'shop-stack.yaml'))),
      bus.templates.join(', '),
    );
    // Starting again reports the running bus.
    const again = await vscode.commands.executeCommand<LocalBusInfo>('eventbridge.startLocalBus');
    assert.equal(again.url, bus.url);
  });

  let eventId: string;

  it('tails the rule under the cursor and shows an event sent to the bus in the tail output', async () => {
    await openAt(path.join('aws', 'shop-stack.yaml'), 'shop.e2e');
    const tail = await vscode.commands.executeCommand<TailStarted | undefined>('eventbridge.tailLogTargets', {
      fromCursor: true,
    });
    assert.ok(tail, 'the tail started (see the "EventBridge Patterns" log for why not)');
    assert.match(tail.rule.name, /^shop-stack-ShopOrdersRule-[0-9A-F]{12}$/);
    assert.equal(tail.rule.eventBusName, 'default');
    assert.deepEqual(tail.logGroups, ['/aws/events/shop-e2e']);

    const sent = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'default',
      text: JSON.stringify({
        source: 'shop.e2e',
        'detail-type': 'OrderCreated',
        detail: { orderId: 'e2e-42', total: 12 },
      }),
    });
    assert.deepEqual(sent.failures, []);
    assert.equal(sent.eventIds.length, 1);
    eventId = sent.eventIds[0]!;
    assert.ok(eventId);
    await waitFor(
      () => tailOutputText()?.includes(eventId),
      `event ${eventId} in the "EventBridge Tail" output`,
      15_000,
    );
    const text = tailOutputText()!;
    assert.ok(text.includes('"orderId": "e2e-42"'), 'the event is shown as formatted JSON');
  });

  it('sends a sample event that matches the pattern under the cursor', async () => {
    await openAt('sample.eventpattern.json', 'incoming/');
    const sent = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'default',
      from: 'pattern',
    });
    assert.deepEqual(sent.failures, []);
    assert.equal(sent.eventIds.length, 1);
    assert.ok(sent.eventIds[0]);
  });

  it('checks entries before sending and says what is wrong', async () => {
    const notObject = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'default',
      text: JSON.stringify({ Source: 'shop.e2e', DetailType: 'x', Detail: '[1, 2]' }),
    });
    assert.deepEqual(notObject.eventIds, []);
    assert.ok(
      notObject.problems?.some((p) => p.includes('Detail must be a JSON object')),
      JSON.stringify(notObject),
    );
    const eleven = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      text: JSON.stringify(Array(11).fill({ source: 'a', 'detail-type': 'b', detail: {} })),
    });
    assert.ok(
      eleven.problems?.some((p) => p.includes('at most 10')),
      JSON.stringify(eleven),
    );
    const pattern = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      text: '{"source":["aws.s3"]}',
    });
    assert.ok(
      pattern.problems?.some((p) => p.includes('looks like an event pattern')),
      JSON.stringify(pattern),
    );
  });

  it('names the workspace rules an event matches, for one event and for a list, from the open event file', async () => {
    interface MatchRules {
      rules: number;
      templates: number;
      problems: string[];
      events: { index: number; matches: { template: string; logicalId: string }[] }[];
      error?: string;
    }
    // The event file open in the editor, as a user would run it (no event given).
    const running = await vscode.workspace.openTextDocument(fixturePath('events/ec2-running.json'));
    await vscode.window.showTextDocument(running);
    const one = await vscode.commands.executeCommand<MatchRules>('eventbridge.matchWorkspaceRules', {});
    assert.equal(one.error, undefined, JSON.stringify(one));
    assert.ok(one.rules >= 3 && one.templates >= 3, JSON.stringify(one));
    assert.deepEqual(
      one.events[0].matches.map((m) => `${m.template}#${m.logicalId}`),
      ['features/orders-rules.yaml#InstancesRule'],
    );
    // Rules AWS would refuse are said, not matched.
    assert.ok(one.problems.some((p) => p.includes('ObjectsRule')), one.problems.join('\n'));
    // A list: the S3 upload (bucket named from the template's stack name) and an event nothing matches.
    const upload = {
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: { bucket: { name: 'template-uploads' }, object: { key: 'incoming/a.txt' } },
    };
    const list = await vscode.commands.executeCommand<MatchRules>('eventbridge.matchWorkspaceRules', {
      eventText: JSON.stringify([upload, { source: 'nobody', detail: {} }]),
    });
    // template.yaml's rule names the bucket after its stack; aws/shop-stack.yaml's takes every S3 Object Created.
    assert.deepEqual(
      list.events.map((e) => e.matches.map((m) => `${m.template}#${m.logicalId}`).sort()),
      [['aws/shop-stack.yaml#S3UploadsRule', 'template.yaml#UploadsRule'], []],
    );
    const bad = await vscode.commands.executeCommand<MatchRules>('eventbridge.matchWorkspaceRules', { eventText: '{"a":' });
    assert.match(bad.error ?? '', /not valid JSON/);
  });

  it('tests the pattern under the cursor locally and against TestEventPattern on the local bus', async () => {
    await openAt('sample.eventpattern.json', 'incoming/');
    const results = await vscode.commands.executeCommand<TestResult[]>('eventbridge.testPattern', {
      compareWithAws: true,
    });
    assert.ok(results.length >= 1);
    const generated = results[0];
    assert.equal(generated.matched, true, JSON.stringify(generated));
    assert.deepEqual(generated.aws, { matched: true });
    const given = await vscode.commands.executeCommand<TestResult[]>('eventbridge.testPattern', {
      events: [
        JSON.stringify({
          source: 'aws.s3',
          'detail-type': 'Object Created',
          detail: { bucket: { name: 'other' }, object: { key: 'incoming/a', size: 1 } },
        }),
      ],
      compareWithAws: false,
    });
    assert.equal(given[0].matched, false);
    assert.ok(
      given[0].reasons.some((r) => r.includes('detail.bucket.name')),
      given[0].reasons.join('\n'),
    );
  });

  it('stops the tail, having delivered the event', async () => {
    const stopped = await vscode.commands.executeCommand<TailStopped | undefined>('eventbridge.stopTail');
    assert.ok(stopped, 'a tail was running');
    assert.ok(stopped.delivered >= 1);
    assert.ok(stopped.recent.some((line) => line.includes(eventId)));
  });

  it('tails a rule named by argument by polling FilterLogEvents', async () => {
    const tail = await vscode.commands.executeCommand<TailStarted | undefined>('eventbridge.tailLogTargets', {
      eventBusName: 'default',
      ruleName: 's3-uploads-e2e',
      forcePolling: true,
    });
    assert.ok(tail, 'the tail started');
    assert.deepEqual(tail.logGroups, ['/aws/events/shop-e2e']);
    const sent = await vscode.commands.executeCommand<SendResult>('eventbridge.sendEvent', {
      eventBusName: 'default',
      text: JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Created', detail: { polled: 'yes' } }),
    });
    const id = sent.eventIds[0];
    assert.ok(id);
    await waitFor(() => tailOutputText()?.includes(id), `event ${id} in the tail output`, 15_000);
    const stopped = await vscode.commands.executeCommand<TailStopped | undefined>('eventbridge.stopTail');
    assert.ok(stopped?.recent.some((line) => line.includes(id)));
    assert.ok(tailOutputText()?.includes('Polling FilterLogEvents'));
  });

  it('stops the local bus; a call to its address then says the bus is not running', async () => {
    assert.equal(await vscode.commands.executeCommand('eventbridge.stopLocalBus'), true);
    // Point the commands at the stopped bus's address explicitly (loopback: dummy credentials, never AWS).
    assert.equal(await vscode.commands.executeCommand('eventbridge.setEndpoint', bus.url), bus.url);
    await waitFor(() => awsSetting('aws.endpoint') === bus.url, 'the endpoint setting');
    const sent = await vscode.commands.executeCommand<SendResult | undefined>('eventbridge.sendEvent', {
      eventBusName: 'default',
      text: JSON.stringify({ source: 'shop.e2e', 'detail-type': 'OrderCreated', detail: {} }),
    });
    assert.ok(sent?.error, JSON.stringify(sent));
    assert.match(sent.error, /ECONNREFUSED/);
    assert.match(sent.error, /is the local bus/i);
    assert.equal(await vscode.commands.executeCommand('eventbridge.setEndpoint', ''), '');
  });
});
