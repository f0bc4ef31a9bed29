// Terraform files in the editor, through the language service facade: diagnostics on the .tf characters, the quick
// fix for `detail_type` written in HCL (the file still parses), completion and hover inside `jsonencode({...})`,
// syntax errors left to the Terraform extension in the editor and reported by lint.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, loadGrammar, parseCode } from '../../../server/src/languageservice';

const TF = `variable "bucket" {}

resource "aws_cloudwatch_event_rule" "uploads" {
  name = "uploads"
  event_pattern = jsonencode({
    source      = ["aws.s3"]
    detail_type = ["Object Created"]
    detail = {
      bucket = { name = [var.bucket] }
      object = { size = [{ numeric = [">", "zero"] }] }
    }
  })
}

resource "aws_cloudwatch_event_rule" "heredoc" {
  event_pattern = <<EOF
{"source": ["aws.ec2"], "detail": {"state": "running"}}
EOF
}
`;

const uri = 'file:///infra/main.tf';
const docOf = (text: string): TextDocument => TextDocument.create(uri, 'terraform', 1, text);

before(async () => {
  await loadGrammar('terraform');
});

function problems(text: string): { code: string; text: string }[] {
  const doc = docOf(text);
  return getLanguageService()
    .doValidation(doc)
    .sort((a, b) => doc.offsetAt(a.range.start) - doc.offsetAt(b.range.start))
    .map((d) => ({ code: String(d.code), text: text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)) }));
}

describe('a Terraform file in the editor', () => {
  test('problems sit on the HCL and heredoc characters; a variable is never flagged', () => {
    assert.deepEqual(problems(TF), [
      { code: 'EB502', text: 'detail_type' },
      { code: 'EB313', text: '"zero"' },
      { code: 'EB201', text: '"running"' },
    ]);
  });

  test('the detail_type fix writes detail-type in HCL, and the file still parses', () => {
    const service = getLanguageService();
    const doc = docOf(TF);
    const diagnostics = service.doValidation(doc).filter((d) => d.code === 'EB502');
    const actions = service.doCodeActions(doc, diagnostics[0].range, { diagnostics });
    const fix = actions.find((a) => a.title.includes('detail-type'));
    assert.ok(fix?.edit?.changes, JSON.stringify(actions.map((a) => a.title)));
    const fixed = TextDocument.applyEdits(doc, fix.edit.changes[uri]);
    assert.match(fixed, /\n {4}detail-type = \["Object Created"\]\n/);
    assert.equal(parseCode('terraform', fixed)?.rootNode.hasError, false);
    assert.deepEqual(
      problems(fixed).map((p) => p.code),
      ['EB313', 'EB201'],
    );
  });

  test('completion offers AWS sources inside a jsonencode list', () => {
    const doc = docOf(TF);
    const at = TF.indexOf('"aws.s3"') + 1;
    const items = getLanguageService().doComplete(doc, doc.positionAt(at))?.items ?? [];
    assert.ok(items.some((i) => i.label === 'aws.s3'));
  });

  test('hover explains an operator written in HCL', () => {
    const doc = docOf(TF);
    const hover = getLanguageService().doHover(doc, doc.positionAt(TF.indexOf('numeric') + 2));
    assert.match(JSON.stringify(hover?.contents), /numeric/);
  });

  test('syntax errors: none of ours in the editor (the Terraform extension shows them), named in HCL for lint', () => {
    const broken = `${TF}\nresource "aws_sqs_queue" "q" {\n  name = \n`;
    assert.deepEqual(
      problems(broken).filter((p) => p.code === 'EB430'),
      [],
    );
    const lint = getLanguageService({ syntaxErrors: { yamlLanguage: true, jsonLanguage: true, codeLanguages: true } });
    const diagnostics = lint.doValidation(docOf(broken)).filter((d) => d.code === 'EB430');
    assert.ok(diagnostics.length > 0);
    assert.match(diagnostics[0].message as string, /^Terraform \(HCL\) syntax error/);
    // The patterns before the error are still checked.
    assert.ok(lint.doValidation(docOf(broken)).some((d) => d.code === 'EB313'));
  });
});
