// SNS subscription filter policies in Terraform (.tf and .tf.json), through the language service facade:
// `aws_sns_topic_subscription` `filter_policy` in each of its forms, `filter_policy_scope` (default, literal,
// misspelled, unknown), terraform-aws-modules/sns `subscriptions`, completion, hover and quick fixes written in HCL.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver-types';
import { getLanguageService, loadGrammar, parseCode } from '../../../server/src/languageservice';
import { analyzeDocument } from '../../../server/src/languageservice/sites/documentAnalysis';

const TF_URI = 'file:///infra/sns.tf';
const JSON_URI = 'file:///infra/sns.tf.json';

before(async () => {
  await loadGrammar('terraform');
});

function docOf(uri: string, text: string): TextDocument {
  return TextDocument.create(uri, uri.endsWith('.tf') ? 'terraform' : 'json', 1, text);
}

function diagnose(uri: string, text: string) {
  const doc = docOf(uri, text);
  return getLanguageService()
    .doValidation(doc)
    .sort((a, b) => doc.offsetAt(a.range.start) - doc.offsetAt(b.range.start))
    .map((d) => ({
      code: String(d.code),
      message: typeof d.message === 'string' ? d.message : d.message.value,
      text: text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)),
    }));
}

function subscription(lines: string[], name = 'orders'): string {
  return [
    `resource "aws_sns_topic_subscription" "${name}" {`,
    '  topic_arn = aws_sns_topic.orders.arn',
    '  protocol  = "sqs"',
    '  endpoint  = aws_sqs_queue.orders.arn',
    ...lines.map((l) => `  ${l}`),
    '}',
    '',
  ].join('\n');
}

function sitesOf(uri: string, text: string) {
  return analyzeDocument(text, uri).sites.map((s) => ({
    kind: s.site.kind,
    dialect: s.site.dialect,
    resourceId: s.site.resourceId,
    scope: s.site.snsScope,
  }));
}

describe('SNS filter policies in .tf files', () => {
  test('jsonencode, heredoc and quoted string forms, each a site of dialect sns', () => {
    const text = [
      subscription(['filter_policy = jsonencode({ store = ["example_corp"] })'], 'a'),
      subscription(['filter_policy = <<EOF', '{"store": ["example_corp"]}', 'EOF'], 'b'),
      subscription(['filter_policy = "{\\"store\\": [\\"example_corp\\"]}"'], 'c'),
    ].join('\n');
    assert.deepEqual(
      sitesOf(TF_URI, text).map((s) => [s.kind, s.dialect, s.resourceId, s.scope]),
      [
        ['terraformSnsSubscription', 'sns', 'aws_sns_topic_subscription.a', 'MessageAttributes'],
        ['terraformSnsSubscription', 'sns', 'aws_sns_topic_subscription.b', 'MessageAttributes'],
        ['terraformSnsSubscription', 'sns', 'aws_sns_topic_subscription.c', 'MessageAttributes'],
      ],
    );
    assert.deepEqual(diagnose(TF_URI, text), []);
  });

  test('problems sit on the HCL and heredoc characters, in SNS terms', () => {
    const text = [
      subscription(['filter_policy = jsonencode({', '  store = [{ wildcard = "ex*" }]', '})'], 'a'),
      subscription(['filter_policy = <<-EOT', '  {"price": [{"numeric": [">", 3, "<", 1]}]}', '  EOT'], 'b'),
    ].join('\n');
    const d = diagnose(TF_URI, text);
    assert.deepEqual(
      d.map((x) => x.code),
      ['EB410', 'EB318'],
    );
    assert.equal(d[0].text, 'wildcard');
    assert.equal(d[1].message, 'Bottom must be less than top');
    // On the heredoc's characters, inside the numeric list.
    const heredoc = text.indexOf('[">", 3');
    assert.ok(text.indexOf(d[1].text, heredoc) >= heredoc && d[1].text.length > 0, d[1].text);
  });

  test('filter_policy_scope: MessageBody allows nesting, the default does not; null is the default', () => {
    const nested = ['filter_policy = jsonencode({ order = { status = ["paid"] } })'];
    assert.deepEqual(
      diagnose(TF_URI, subscription(nested)).map((x) => [x.code, x.text]),
      [['EB440', 'order']],
    );
    assert.deepEqual(diagnose(TF_URI, subscription([...nested, 'filter_policy_scope = "MessageBody"'])), []);
    assert.deepEqual(
      diagnose(TF_URI, subscription([...nested, 'filter_policy_scope = null'])).map((x) => x.code),
      ['EB440'],
    );
  });

  test('a misspelled filter_policy_scope is an error on its string, in AWS words', () => {
    const d = diagnose(
      TF_URI,
      subscription(['filter_policy = jsonencode({ store = ["x"] })', 'filter_policy_scope = "MessageBodies"']),
    );
    assert.deepEqual(
      d.map((x) => [x.code, x.text]),
      [['EB445', '"MessageBodies"']],
    );
    assert.match(d[0].message, /Invalid value \[MessageBodies\]/);
  });

  test('a scope from a variable or interpolation is unknown: read as MessageBody, nothing nested flagged', () => {
    const nested = 'filter_policy = jsonencode({ order = { status = ["paid"] } })';
    for (const scope of ['var.scope', '"${var.scope}"', 'local.scopes["orders"]']) {
      const text = subscription([nested, `filter_policy_scope = ${scope}`]);
      assert.deepEqual(sitesOf(TF_URI, text)[0].scope, 'MessageBody', scope);
      assert.deepEqual(diagnose(TF_URI, text), [], scope);
    }
  });

  test('references, interpolations and calls are unknown values, never flagged; the rest is still checked', () => {
    const text = subscription([
      'filter_policy = jsonencode({',
      '  store  = [var.store]',
      '  region = ["${var.region}-x"]',
      '  kind   = [{ prefx = "a" }]',
      '})',
    ]);
    assert.deepEqual(
      diagnose(TF_URI, text).map((x) => [x.code, x.text]),
      [['EB207', 'prefx']],
    );
    assert.deepEqual(diagnose(TF_URI, subscription(['filter_policy = var.policy'])), []);
    assert.deepEqual(
      diagnose(TF_URI, subscription(['filter_policy = <<EOF', '{"store": ["${var.store}"]}', 'EOF'])),
      [],
    );
  });

  test('terraform-aws-modules/sns subscriptions, with their scope', () => {
    const text = [
      'module "orders_topic" {',
      '  source = "terraform-aws-modules/sns/aws"',
      '  name   = "orders"',
      '  subscriptions = {',
      '    paid = {',
      '      protocol            = "sqs"',
      '      endpoint            = module.queue.queue_arn',
      '      filter_policy       = jsonencode({ order = { status = ["paid"] } })',
      '      filter_policy_scope = "MessageBody"',
      '    }',
      '    big = {',
      '      protocol      = "sqs"',
      '      endpoint      = module.queue.queue_arn',
      '      filter_policy = jsonencode({ price = [{ numeric = [">", "lots"] }] })',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(
      sitesOf(TF_URI, text).map((s) => [s.resourceId, s.scope]),
      [
        ['module.orders_topic.aws_sns_topic_subscription.this["paid"]', 'MessageBody'],
        ['module.orders_topic.aws_sns_topic_subscription.this["big"]', 'MessageAttributes'],
      ],
    );
    assert.deepEqual(
      diagnose(TF_URI, text).map((x) => [x.code, x.text]),
      [['EB313', '"lots"']],
    );
  });

  test('no EventBridge envelope warnings on SNS policies', () => {
    assert.deepEqual(
      diagnose(TF_URI, subscription(['filter_policy = jsonencode({ detail_type = ["x"], sorce = ["y"] })'])),
      [],
    );
  });
});

describe('SNS filter policies in .tf files: completion, hover, quick fixes', () => {
  function withCursor(textWithCursor: string) {
    const at = textWithCursor.lastIndexOf('|');
    const text = textWithCursor.slice(0, at) + textWithCursor.slice(at + 1);
    const document = docOf(TF_URI, text);
    return { document, position: document.positionAt(at), text };
  }

  test('completion offers the SNS operators only, written in HCL; keys: $or, no EventBridge envelope keys', () => {
    const ls = getLanguageService();
    const ops = withCursor(subscription(['filter_policy = jsonencode({ store = [{ | }] })']));
    const items = ls.doComplete(ops.document, ops.position)?.items ?? [];
    const labels = items.map((i) => i.label);
    for (const op of ['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'cidr', 'equals-ignore-case'])
      assert.ok(labels.includes(op), `${op} in ${labels.join(', ')}`);
    assert.ok(!labels.includes('wildcard'), 'no wildcard in SNS');
    const prefix = items.find((i) => i.label === 'prefix');
    const edit = prefix?.textEdit && 'range' in prefix.textEdit ? prefix.textEdit : undefined;
    assert.ok(edit);
    const written = TextDocument.applyEdits(ops.document, [
      { range: edit.range, newText: edit.newText.replace(/\$\{?\d+\}?/g, 'ex') },
    ]);
    assert.match(written, /\{ prefix = "ex" \}/);
    assert.equal(parseCode('terraform', written)?.rootNode.hasError, false, written);
    const keys = withCursor(subscription(['filter_policy = jsonencode({', '  store = ["x"]', '  |', '})']));
    const keyLabels = (ls.doComplete(keys.document, keys.position)?.items ?? []).map((i) => i.label);
    assert.ok(keyLabels.includes('$or'), keyLabels.join(', '));
    for (const envelope of ['source', 'detail-type', 'detail_type', 'detail'])
      assert.ok(!keyLabels.includes(envelope), envelope);
  });

  test('hover explains an operator and the policy in SNS words', () => {
    const ls = getLanguageService();
    const { document, position } = withCursor(
      subscription(['filter_policy = jsonencode({ price = [{ num|eric = [">", 0] }] })']),
    );
    const value = (ls.doHover(document, position)?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /In SNS: Number attributes/);
    const key = withCursor(subscription(['filter_policy = jsonencode({ pr|ice = [{ numeric = [">", 0] }] })']));
    const field = (ls.doHover(key.document, key.position)?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(field, /a message attribute/);
  });

  test('quick fixes write HCL, and the edited file still parses', () => {
    const ls = getLanguageService();
    const text = subscription([
      'filter_policy = jsonencode({',
      '  store = "example_corp"',
      '  kind  = [{ Prefix = "a" }]',
      '})',
    ]);
    let current = text;
    for (const title of [/array/i, /prefix/]) {
      const doc = docOf(TF_URI, current);
      const diagnostics = ls.doValidation(doc);
      const actions = ls.doCodeActions(
        doc,
        { start: doc.positionAt(0), end: doc.positionAt(current.length) },
        { diagnostics },
      );
      const action = actions.find((a) => title.test(a.title));
      assert.ok(action?.edit?.changes, `${title} among ${JSON.stringify(actions.map((a) => a.title))}`);
      current = TextDocument.applyEdits(doc, action.edit.changes[TF_URI]);
      assert.equal(parseCode('terraform', current)?.rootNode.hasError, false, current);
    }
    assert.match(current, /store = \["example_corp"\]/);
    assert.match(current, /\{ prefix = "a" \}/);
    assert.deepEqual(diagnose(TF_URI, current), []);
  });
});

describe('SNS filter policies in .tf.json files', () => {
  test('filter_policy and filter_policy_scope, resource and module', () => {
    const text = JSON.stringify(
      {
        resource: {
          aws_sns_topic_subscription: {
            a: { topic_arn: '${aws_sns_topic.t.arn}', filter_policy: '{"store": [{"wildcard": "x*"}]}' },
            b: {
              filter_policy: '{"order": {"status": ["paid"]}}',
              filter_policy_scope: 'MessageBody',
            },
            c: { filter_policy: '{"order": {"status": ["paid"]}}', filter_policy_scope: '${var.scope}' },
            d: { filter_policy: '{"store": ["x"]}', filter_policy_scope: 'Body' },
          },
        },
        module: {
          topic: {
            source: 'terraform-aws-modules/sns/aws',
            subscriptions: { x: { filter_policy: '{"order": {"status": ["paid"]}}' } },
          },
        },
      },
      null,
      2,
    );
    assert.deepEqual(
      sitesOf(JSON_URI, text).map((s) => [s.resourceId, s.scope]),
      [
        ['aws_sns_topic_subscription.a', 'MessageAttributes'],
        ['aws_sns_topic_subscription.b', 'MessageBody'],
        ['aws_sns_topic_subscription.c', 'MessageBody'],
        ['aws_sns_topic_subscription.d', 'MessageBody'],
        ['module.topic.aws_sns_topic_subscription.this["x"]', 'MessageAttributes'],
      ],
    );
    assert.deepEqual(
      diagnose(JSON_URI, text).map((x) => [x.code, x.text]),
      [
        ['EB410', '\\"wildcard\\"'],
        ['EB445', '"Body"'],
        ['EB440', '\\"order\\"'],
      ],
    );
  });
});
