// The language features through the VS Code API, in the real editor: diagnostics in every kind of file, completion,
// hover, a quick fix, and the sample-event code lens with the command it runs. Fixtures: test/fixtures/workspace/
// features/ (each file has known problems) and events/ (sample events for the lenses).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PatternTestResultsView } from '../../client/src/patternTestResults';
import { activeApi, fixturePath, getExtension, runningServerPid, waitFor } from './helpers';

/** Our diagnostics only (the built-in JSON support may add its own). */
const SOURCE = 'EventBridge';

interface Seen {
  code: string;
  message: string;
  /** The text the range covers. */
  text: string;
  /** 0-based. */
  line: number;
}

async function open(...segments: string[]): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(fixturePath('features', ...segments));
}

/** The offset of the one occurrence of `needle`. */
function offsetOf(document: vscode.TextDocument, needle: string): number {
  const text = document.getText();
  const at = text.indexOf(needle);
  assert.ok(at >= 0 && text.indexOf(needle, at + 1) < 0, `"${needle}" occurs once in ${document.uri.path}`);
  return at;
}

/** The 0-based line of the one occurrence of `needle`. */
function lineOf(document: vscode.TextDocument, needle: string): number {
  return document.positionAt(offsetOf(document, needle)).line;
}

/** The position `delta` characters into the one occurrence of `needle`. */
function positionIn(document: vscode.TextDocument, needle: string, delta: number): vscode.Position {
  return document.positionAt(offsetOf(document, needle) + delta);
}

function seen(document: vscode.TextDocument): Seen[] {
  return vscode.languages
    .getDiagnostics(document.uri)
    .filter((d) => d.source === SOURCE)
    .map((d) => ({
      code: typeof d.code === 'object' ? String(d.code.value) : String(d.code),
      message: d.message,
      text: document.getText(d.range),
      line: d.range.start.line,
    }));
}

/** Polls until the document's diagnostics are exactly `expected` (in order); fails showing what was there last. */
async function expectDiagnostics(document: vscode.TextDocument, expected: Seen[], timeoutMs = 20_000): Promise<void> {
  let last: Seen[] = [];
  try {
    await waitFor(
      () => {
        last = seen(document);
        return JSON.stringify(last) === JSON.stringify(expected);
      },
      `the diagnostics of ${document.uri.path}`,
      timeoutMs,
    );
  } catch {
    assert.deepEqual(last, expected, `diagnostics of ${document.uri.path}`);
  }
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

async function completionsAt(
  document: vscode.TextDocument,
  position: vscode.Position,
): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    document.uri,
    position,
  );
  return list.items;
}

/** The labels of our items whose detail matches (other providers add items of their own). */
function labels(items: vscode.CompletionItem[], detail: RegExp): string[] {
  return items.filter((i) => i.detail !== undefined && detail.test(i.detail)).map(labelOf);
}

function markdownOf(hovers: vscode.Hover[]): string[] {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')));
}

async function lensesOf(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
}

describe('language features', () => {
  before(async () => {
    await vscode.window.showTextDocument(await open('running.eventpattern.json'));
    await runningServerPid(await activeApi());
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('diagnostics: code, AWS message and range, in every kind of file', () => {
    it('CloudFormation YAML: a scalar where a match list goes, and an upper-case operator', async () => {
      const document = await open('orders-rules.yaml');
      assert.equal(document.languageId, 'yaml');
      await expectDiagnostics(document, [
        {
          code: 'EB201',
          message: '"source" must be an object or an array',
          text: 'aws.s3',
          line: lineOf(document, 'source: aws.s3'),
        },
        {
          code: 'EB207',
          message: 'Unrecognized match type EXISTS',
          text: 'EXISTS',
          line: lineOf(document, 'EXISTS'),
        },
      ]);
      const [first] = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === SOURCE);
      assert.equal(first?.severity, vscode.DiagnosticSeverity.Error);
      const code = first?.code;
      assert.ok(typeof code === 'object' && code.target.scheme === 'https', 'the code links to its documentation');
    });

    it('CloudFormation JSON: an object pattern and a pattern in a JSON string (range inside the escapes)', async () => {
      const document = await open('orders-rules.json');
      assert.equal(document.languageId, 'json');
      await expectDiagnostics(document, [
        { code: 'EB313', message: 'Value of > must be numeric', text: '"1024"', line: lineOf(document, '"1024"') },
        {
          code: 'EB350',
          message: 'Consecutive wildcard characters at pos 2',
          text: '\\"a**b\\"',
          line: lineOf(document, 'a**b'),
        },
      ]);
    });

    it('SAM: an EventBridgeRule event Pattern', async () => {
      const document = await open('sam-template.yaml');
      await expectDiagnostics(document, [
        {
          code: 'EB300',
          message: 'prefix match pattern must be a string',
          text: '5',
          line: lineOf(document, 'prefix: 5'),
        },
        {
          code: 'EB330',
          message: 'exists match pattern must be either true or false.',
          text: '"yes"',
          line: lineOf(document, 'exists: "yes"'),
        },
      ]);
    });

    it('Pipes: an operator the Pipes dialect does not support', async () => {
      const document = await open('pipe-template.yaml');
      await expectDiagnostics(document, [
        {
          code: 'EB410',
          message: 'wildcard is not supported in EventBridge Pipes filter patterns',
          text: '"wildcard"',
          line: lineOf(document, '"wildcard"'),
        },
      ]);
    });

    it('a standalone pattern file: an unknown numeric operator', async () => {
      const document = await open('uploads.eventpattern.json');
      await expectDiagnostics(document, [
        {
          code: 'EB312',
          message: 'Unrecognized numeric range operator: =>',
          text: '"=>"',
          line: lineOf(document, '"=>"'),
        },
      ]);
    });

    it('a valid pattern file has none', async () => {
      const document = await open('running.eventpattern.json');
      // Wait for the lens as proof that the server has analysed the file, then check it reported nothing.
      await waitFor(async () => (await lensesOf(document)).length > 0, 'the server to analyse the file');
      await expectDiagnostics(document, []);
    });
  });

  describe('completion', () => {
    it('offers AWS sources inside a source value (pattern file and SAM)', async () => {
      const file = await open('running.eventpattern.json');
      const inFile = labels(await completionsAt(file, positionIn(file, '"aws.ec2"', 5)), /^AWS event source$/);
      assert.ok(inFile.includes('aws.s3') && inFile.includes('aws.ec2'), `sources: ${inFile.slice(0, 10).join(', ')}`);
      const sam = await open('sam-template.yaml');
      const inSam = labels(await completionsAt(sam, positionIn(sam, 'aws.ec2', 4)), /^AWS event source$/);
      assert.ok(inSam.includes('aws.s3'), `SAM sources: ${inSam.slice(0, 10).join(', ')}`);
    });

    it('offers the detail-types of the chosen source (pattern file and CloudFormation JSON)', async () => {
      const file = await open('running.eventpattern.json');
      const ec2 = labels(await completionsAt(file, positionIn(file, '"EC2 Instance', 1)), /^detail-type of /);
      assert.ok(ec2.includes('EC2 Instance State-change Notification'), `detail-types: ${ec2.join(', ')}`);
      assert.ok(!ec2.includes('Object Created'), 'only those of aws.ec2');
      const json = await open('orders-rules.json');
      const s3 = labels(await completionsAt(json, positionIn(json, '"Object Created"', 1)), /^detail-type of aws\.s3$/);
      assert.ok(s3.includes('Object Created') && s3.includes('Object Deleted'), `detail-types: ${s3.join(', ')}`);
    });

    it('offers the operators of the dialect at an operator key (event bus vs Pipes)', async () => {
      const yaml = await open('orders-rules.yaml');
      const items = await completionsAt(yaml, positionIn(yaml, 'prefix: run', 2));
      const bus = items.filter((i) => i.kind === vscode.CompletionItemKind.Operator).map(labelOf);
      for (const operator of [
        'prefix',
        'suffix',
        'equals-ignore-case',
        'wildcard',
        'anything-but',
        'numeric',
        'exists',
        'cidr',
      ]) {
        assert.ok(bus.includes(operator), `${operator} among ${bus.join(', ')}`);
      }
      const pipe = await open('pipe-template.yaml');
      const pipes = (await completionsAt(pipe, positionIn(pipe, '"wildcard"', 2)))
        .filter((i) => i.kind === vscode.CompletionItemKind.Operator)
        .map(labelOf);
      assert.ok(pipes.includes('prefix') && pipes.includes('exists'), `Pipes operators: ${pipes.join(', ')}`);
      assert.ok(!pipes.includes('wildcard'), 'Pipes filters have no wildcard');
    });
  });

  describe('hover', () => {
    it('explains an operator, with an example and what it does here', async () => {
      const document = await open('orders-rules.yaml');
      const position = positionIn(document, 'prefix: run', 2);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        position,
      );
      const ours = hovers.find((h) => markdownOf([h]).some((m) => m.startsWith('**prefix**')));
      assert.ok(ours, `a hover on prefix among ${JSON.stringify(markdownOf(hovers))}`);
      const markdown = markdownOf([ours]).join('\n');
      assert.match(markdown, /^\*\*prefix\*\*: Matches string values that start with the given text/);
      assert.ok(markdown.includes('```json'), 'an example');
      assert.ok(markdown.includes('Here: starts with "run".'), markdown);
      assert.equal(ours.range && document.getText(ours.range), 'prefix');
    });
  });

  describe('quick fix', () => {
    const title = 'Change EXISTS to exists (operators are lower-case)';

    it(`"${title}" fixes EB207, and only it`, async () => {
      const document = await open('orders-rules.yaml');
      const editor = await vscode.window.showTextDocument(document);
      await waitFor(() => seen(document).some((d) => d.code === 'EB207'), 'EB207 on the template');
      const problem = vscode.languages.getDiagnostics(document.uri).find((d) => d.message.includes('EXISTS'))!;
      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        problem.range,
      );
      const fix = actions.find((a): a is vscode.CodeAction => a.title === title && 'edit' in a);
      assert.ok(fix?.edit, `a quick fix "${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind?.value}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(document.lineAt(problem.range.start.line).text.trim(), 'key: [{ exists: true }]');
      await expectDiagnostics(document, [
        {
          code: 'EB201',
          message: '"source" must be an object or an array',
          text: 'aws.s3',
          line: lineOf(document, 'source: aws.s3'),
        },
      ]);
      // Leave the fixture as it is on disk (the edit was never saved).
      assert.equal(vscode.window.activeTextEditor, editor);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      assert.equal(document.isDirty, false);
      await waitFor(() => seen(document).some((d) => d.code === 'EB207'), 'EB207 back after the revert');
    });
  });

  describe('sample-event code lens', () => {
    const expectedTitle = '▶ 2 of 4 sample events match';

    /** The lenses once the server has read events/ (until then they count the catalog samples only). */
    async function settledLenses(document: vscode.TextDocument, count: number): Promise<vscode.CodeLens[]> {
      let last: string[] = [];
      try {
        return await waitFor(async () => {
          const lenses = await lensesOf(document);
          last = lenses.map((l) => l.command?.title ?? '(no command)');
          return lenses.length === count && last.every((t) => t === expectedTitle) ? lenses : undefined;
        }, `${count} lens(es) "${expectedTitle}" on ${document.uri.path}`);
      } catch (error) {
        assert.fail(`${error instanceof Error ? error.message : String(error)}; last seen: ${JSON.stringify(last)}`);
      }
    }

    it('is above a standalone pattern and counts the catalog sample and events/*.json', async () => {
      const document = await open('running.eventpattern.json');
      const [lens] = await settledLenses(document, 1);
      assert.equal(lens.range.start.line, 0);
      assert.equal(lens.command?.command, 'eventbridge.showPatternTestResults');
    });

    it('is above the EventPattern key of the valid rule only, in a CloudFormation template', async () => {
      const document = await open('orders-rules.yaml');
      const [lens] = await settledLenses(document, 1);
      const instancesRule = lineOf(document, 'InstancesRule:');
      assert.equal(lens.range.start.line, instancesRule + 3);
      assert.equal(document.lineAt(lens.range.start.line).text.trim(), 'EventPattern:');
    });

    it('its command shows each event, the misses first with the reasons', async () => {
      const document = await open('running.eventpattern.json');
      const [lens] = await settledLenses(document, 1);
      const command = lens.command!;
      const view = await vscode.commands.executeCommand<PatternTestResultsView | undefined>(
        command.command,
        ...((command.arguments ?? []) as unknown[]),
      );
      try {
        assert.ok(view, 'the command shows the results');
        assert.equal(view.title, '2 of 4 sample events match the pattern at running.eventpattern.json:1');
        assert.deepEqual(
          view.lines.map((l) => [l.label, l.verdict]),
          [
            ['aws.ec2 / EC2 Instance State-change Notification (catalog sample)', 'does not match'],
            ['events/ec2-changes.json[0]', 'does not match'],
            ['events/ec2-changes.json[1]', 'matches'],
            ['events/ec2-running.json', 'matches'],
          ],
        );
        assert.match(view.lines[1].detail ?? '', /^detail\.state is "stopped"; the pattern wants: .*"running"/);
        assert.equal(view.lines[2].detail, undefined);
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      }
    });

    it('the command is contributed, hidden from the palette, and refuses to run without the results', async () => {
      const manifest = getExtension().packageJSON as {
        contributes: {
          commands: { command: string }[];
          menus: { commandPalette?: { command: string; when: string }[] };
        };
      };
      assert.ok(manifest.contributes.commands.some((c) => c.command === 'eventbridge.showPatternTestResults'));
      assert.deepEqual(
        manifest.contributes.menus.commandPalette?.find((m) => m.command === 'eventbridge.showPatternTestResults'),
        { command: 'eventbridge.showPatternTestResults', when: 'false' },
      );
      assert.equal(await vscode.commands.executeCommand('eventbridge.showPatternTestResults'), undefined);
    });
  });
});

describe('activation events', () => {
  it('are exactly the intended set, and the extension is active in a workspace of patterns', async () => {
    const extension = getExtension();
    const { activationEvents } = extension.packageJSON as { activationEvents: string[] };
    // JSON and YAML documents may be templates; pattern files activate it as soon as the workspace opens. Commands
    // need no onCommand entry (VS Code adds those for contributed commands). Nothing else: no "*", no onStartupFinished.
    // Terraform files and AWS CDK apps (cdk.json) may hold patterns in code; a TypeScript or Python file alone does
    // not activate it. That it stays inactive elsewhere is checked from outside, in a second window
    // (scripts/test-e2e.mjs).
    assert.deepEqual([...activationEvents].sort(), [
      'onLanguage:json',
      'onLanguage:terraform',
      'onLanguage:yaml',
      'workspaceContains:**/*.eventpattern.json',
      'workspaceContains:**/*.eventpattern.yaml',
      'workspaceContains:**/*.eventpattern.yml',
      'workspaceContains:**/cdk.json',
    ]);
    await activeApi();
    assert.equal(extension.isActive, true);
  });
});
