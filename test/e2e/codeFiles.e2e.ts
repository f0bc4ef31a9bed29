// A CDK TypeScript file and a Terraform file in the real editor: a pattern in the code gets a diagnostic on its
// characters, completion in the file's own spelling and hover. VS Code has no Terraform language of its own: `.tf`
// opens in the `terraform` language the extension declares (the HashiCorp extension declares the same one). The
// files live outside the fixture workspace, so that the workspace's rules (aws.e2e.ts) stay as they are.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeApi, waitFor } from './helpers';

const SOURCE = 'EventBridge';

const STACK = `import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';

export class OrdersStack extends Stack {
  build(stage: string): void {
    new events.Rule(this, 'Uploads', {
      eventPattern: {
        source: ['aws.s3'],
        detail: { size: 5, key: events.Match.prefix('in/'), stage: [stage] },
      },
    });
  }
}
`;

const TERRAFORM = `resource "aws_cloudwatch_event_rule" "uploads" {
  name = "uploads"
  event_pattern = jsonencode({
    source      = ["aws.s3"]
    detail_type = ["Object Created"]
    detail = {
      bucket = { name = [var.bucket] }
    }
  })
}
`;

const labelOf = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);
const codeOf = (d: vscode.Diagnostic): unknown => (typeof d.code === 'object' ? d.code.value : d.code);

async function open(name: string, text: string): Promise<vscode.TextDocument> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ebp-e2e-code-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  const document = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(document);
  await activeApi();
  return document;
}

async function completionLabels(document: vscode.TextDocument, at: vscode.Position, want: string): Promise<string[]> {
  const list = await waitFor(async () => {
    const l = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      at,
    );
    return l.items.some((i) => labelOf(i) === want) ? l : undefined;
  }, `${want} among the completions`);
  return list.items.map(labelOf);
}

async function hoverText(document: vscode.TextDocument, at: vscode.Position): Promise<string> {
  const hovers = await waitFor(async () => {
    const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
    return h.some((x) => x.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('**'))) ? h : undefined;
  }, 'a hover from the extension');
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

describe('AWS CDK in TypeScript', () => {
  let document: vscode.TextDocument;
  before(async () => {
    document = await open('orders-stack.ts', STACK);
  });

  it('reports a scalar where CDK needs a list, on the code that writes it; a variable is not flagged', async () => {
    const problems = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === SOURCE);
      return found.length > 0 ? found : undefined;
    }, 'a diagnostic in the CDK TypeScript file');
    assert.deepEqual(
      problems.map((p) => [codeOf(p), document.getText(p.range), p.range.start.line]),
      [['EB201', '5', 8]],
    );
  });

  it("completes EventPattern's keys in CDK's spelling", async () => {
    const at = document.positionAt(STACK.indexOf("source: ['aws.s3'],") + "source: ['aws.s3'],".length);
    const labels = await completionLabels(document, at, 'detailType');
    assert.ok(!labels.includes('detail-type'));
  });

  it('explains the operator a Match helper produces on hover', async () => {
    const text = await hoverText(document, document.positionAt(STACK.indexOf('prefix(') + 2));
    assert.match(text, /prefix/);
  });
});

describe('Terraform', () => {
  let document: vscode.TextDocument;
  before(async () => {
    document = await open('main.tf', TERRAFORM);
  });

  it('opens a .tf file in the terraform language', () => {
    assert.equal(document.languageId, 'terraform');
  });

  it('reports detail_type, which never matches, and fixes it in HCL', async () => {
    const problem = await waitFor(
      () => vscode.languages.getDiagnostics(document.uri).find((d) => d.source === SOURCE),
      'a diagnostic in the Terraform file',
    );
    assert.equal(codeOf(problem), 'EB502');
    assert.equal(document.getText(problem.range), 'detail_type');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      problem.range,
    );
    const fix = actions.find((a) => a.title.includes('detail-type'));
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    const edits = fix.edit.get(document.uri);
    assert.deepEqual(
      edits.map((e) => e.newText),
      ['detail-type'],
    );
  });

  it('completes AWS sources inside jsonencode and explains an envelope key on hover', async () => {
    await completionLabels(document, document.positionAt(TERRAFORM.indexOf('"aws.s3"') + 1), 'aws.s3');
    const text = await hoverText(document, document.positionAt(TERRAFORM.indexOf('source      =') + 2));
    assert.match(text, /source/);
  });
});
