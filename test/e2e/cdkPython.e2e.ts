// A CDK Python file in the real editor: VS Code gives `.py` its built-in `python` language (no Python extension
// needed), the server loads the Python grammar on first use, and a pattern in the code gets a diagnostic on its
// characters, completion in Python's spelling and hover. The file lives outside the fixture workspace, so that the
// workspace's rules (aws.e2e.ts) stay as they are.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeApi, waitFor } from './helpers';

const SOURCE = 'EventBridge';

const STACK = `from aws_cdk import Stack, aws_events as events


class OrdersStack(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        events.Rule(
            self,
            "Uploads",
            event_pattern=events.EventPattern(
                source=["aws.s3"],
                detail={"size": 5, "key": events.Match.prefix("in/")},
            ),
        )
`;

describe('AWS CDK in Python', () => {
  let document: vscode.TextDocument;

  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ebp-e2e-cdkpy-'));
    const file = path.join(dir, 'orders_stack.py');
    fs.writeFileSync(file, STACK);
    document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    await activeApi();
  });

  it('opens a .py file as python, a language VS Code has built in', () => {
    assert.equal(document.languageId, 'python');
  });

  it('reports a broken pattern on the code that writes it', async () => {
    const problem = await waitFor(
      () => vscode.languages.getDiagnostics(document.uri).find((d) => d.source === SOURCE),
      'a diagnostic in the CDK Python file',
    );
    assert.equal(typeof problem.code === 'object' ? problem.code.value : problem.code, 'EB201');
    assert.equal(document.getText(problem.range), '5');
    assert.equal(problem.range.start.line, 11);
  });

  it("completes EventPattern's keyword arguments in snake_case", async () => {
    const at = document.positionAt(STACK.indexOf('source=["aws.s3"],') + 'source=["aws.s3"],'.length);
    const list = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        document.uri,
        at,
      );
      return l.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'detail_type')
        ? l
        : undefined;
    }, 'detail_type among the completions');
    const item = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'detail_type')!;
    const text = item.insertText instanceof vscode.SnippetString ? item.insertText.value : item.insertText;
    assert.match(String(text), /^detail_type=\[/);
  });

  it('explains the operator a Match helper produces on hover', async () => {
    const at = document.positionAt(STACK.indexOf('prefix(') + 2);
    const hovers = await waitFor(async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
      return h.length > 0 ? h : undefined;
    }, 'a hover on Match.prefix');
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /prefix/);
  });
});
