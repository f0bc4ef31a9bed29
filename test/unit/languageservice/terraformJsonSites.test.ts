// Terraform's JSON syntax (`*.tf.json`) through the language service facade: diagnostics on the exact characters of
// the JSON strings holding the patterns, Terraform's `${...}` unknown and never flagged.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { decodeTemplateText } from '../../../server/src/languageservice/sites/terraformJsonSites';

const ls = getLanguageService();

function diagnose(text: string, uri = 'file:///w/main.tf.json') {
  const doc = TextDocument.create(uri, 'json', 1, text);
  return ls
    .doValidation(doc)
    .map((d) => ({ code: d.code, text: doc.getText(d.range), offset: doc.offsetAt(d.range.start) }));
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

describe('*.tf.json', () => {
  test('a rule, an archive, Pipes and Lambda filters: problems at their characters inside the JSON strings', () => {
    const text = json({
      resource: {
        aws_cloudwatch_event_rule: {
          typo: {
            name: 'typo',
            event_pattern: '{"source": ["aws.ec2"], "detail_type": ["EC2 Instance State-change Notification"]}',
          },
          computed: {
            event_pattern:
              '{"source": ["${var.source}"], "account": [${jsonencode(var.account)}], "detail": {"n": "x"}}',
          },
          whole: { event_pattern: '${jsonencode({source = "not-a-list"})}' },
        },
        aws_cloudwatch_event_archive: { all: { event_pattern: '{"source": "com.shop"}' } },
        aws_pipes_pipe: {
          p: {
            source_parameters: {
              filter_criteria: {
                filter: [{ pattern: '{"body": {"a": ["x"]}}' }, { pattern: '{"body": {"a": [{"wildcard": "a*"}]}}' }],
              },
            },
          },
        },
        aws_lambda_event_source_mapping: [
          { esm: [{ filter_criteria: [{ filter: { pattern: '{"eventName": "INSERT"}' } }] }] },
        ],
      },
      module: {
        bus: { source: 'terraform-aws-modules/eventbridge/aws', rules: { r: { event_pattern: '{"Source": ["x"]}' } } },
      },
    });
    const d = diagnose(text);
    assert.deepEqual(
      d.map((x) => [x.code, x.text]),
      [
        ['EB502', '\\"detail_type\\"'],
        ['EB201', '\\"x\\"'],
        ['EB201', '\\"com.shop\\"'],
        ['EB410', '\\"wildcard\\"'],
        ['EB201', '\\"INSERT\\"'],
        ['EB502', '\\"Source\\"'],
      ],
    );
    assert.equal(d[0].offset, text.indexOf('\\"detail_type\\"'));
  });

  test('$${ is a literal ${ (checked as text), and other JSON files are not read as Terraform', () => {
    const text = json({ resource: { aws_cloudwatch_event_rule: { r: { event_pattern: '{"source": "$${x}"}' } } } });
    assert.deepEqual(
      diagnose(text).map((x) => [x.code, x.text]),
      [['EB201', '\\"$${x}\\"']],
    );
    assert.deepEqual(diagnose(text, 'file:///w/main.json'), []);
  });

  test('decodeTemplateText: escapes, nested braces and quotes inside ${...}, an unclosed ${', () => {
    const source = 'a $${b} ${ {x = "}"}["x"] } %{ if c }d%{ endif } ${unclosed';
    const offsets = Array.from({ length: source.length + 1 }, (_, i) => 100 + i);
    const t = decodeTemplateText(source, offsets);
    assert.equal(t.value, 'a ${b} ${ {x = "}"}["x"] } %{ if c }d%{ endif } ${unclosed');
    assert.deepEqual(
      t.substitutions.map((s) => t.value.slice(s.offset, s.offset + s.length)),
      ['${ {x = "}"}["x"] }', '%{ if c }', '%{ endif }'],
    );
    assert.equal(t.offsets[3], 104);
    assert.equal(t.offsets[t.value.length], 100 + source.length);
  });
});
