// SNS subscription filter policies in AWS CDK code written in Python: `sns.Subscription`, the aws-sns-subscriptions
// classes, `CfnSubscription`, read as the policy CDK synthesizes (SubscriptionFilter helpers with keyword options,
// FilterOrPolicy nesting), checked on the code's characters, unknown values never flagged, edits that still parse.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { toPlainValue } from '../../../server/src/engine/jsonAst';
import { loadGrammar, parseCode } from '../../../server/src/languageservice/parsing/codeGrammars';

const ls = getLanguageService();
const HEAD = 'from aws_cdk import aws_sns as sns, aws_sns_subscriptions as subs\n';

before(async () => {
  await loadGrammar('python');
});

function docOf(text: string): TextDocument {
  return TextDocument.create('file:///app/stacks/topics.py', 'python', 1, text);
}

function sitesOf(text: string) {
  return ls.analyze(docOf(text)).sites.map((s) => ({
    kind: s.site.kind,
    dialect: s.site.dialect,
    scope: s.site.snsScope,
    name: s.site.name,
    policy: toPlainValue(s.site.node),
  }));
}

function problems(text: string) {
  const doc = docOf(text);
  return ls
    .doValidation(doc)
    .sort((a, b) => doc.offsetAt(a.range.start) - doc.offsetAt(b.range.start))
    .map((d) => ({
      code: String(d.code),
      message: typeof d.message === 'string' ? d.message : d.message.value,
      text: text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)),
    }));
}

function assertParses(code: string): void {
  const tree = parseCode('python', code)!;
  try {
    assert.equal(tree.rootNode.hasError, false, code);
  } finally {
    tree.delete();
  }
}

describe('SNS filter policies in CDK Python: the forms, as CDK renders them', () => {
  test('SubscriptionFilter helpers with keyword options become the conditions CDK writes', () => {
    const text =
      HEAD +
      [
        'topic.add_subscription(subs.SqsSubscription(queue, filter_policy={',
        '    "color": sns.SubscriptionFilter.string_filter(allowlist=["red"], denylist=["blue", "green"], match_prefixes=["ye"], match_suffixes=["ow"]),',
        '    "size": sns.SubscriptionFilter.numeric_filter(allowlist=[1, 2], greater_than=10, less_than_or_equal_to=20, between=sns.BetweenCondition(start=3, stop=5), between_strict={"start": 6, "stop": 8}),',
        '    "store": sns.SubscriptionFilter.exists_filter(),',
        '    "gone": sns.SubscriptionFilter.not_exists_filter(),',
        '    "raw": sns.SubscriptionFilter([{"prefix": "x"}]),',
        '}))',
      ].join('\n');
    const sites = sitesOf(text);
    assert.equal(sites.length, 1);
    assert.equal(sites[0].kind, 'snsSubscription');
    assert.equal(sites[0].dialect, 'sns');
    assert.equal(sites[0].scope, 'MessageAttributes');
    assert.deepEqual(sites[0].policy, {
      color: ['red', { 'anything-but': ['blue', 'green'] }, { prefix: 'ye' }, { suffix: 'ow' }],
      size: [
        { numeric: ['=', 1] },
        { numeric: ['=', 2] },
        { numeric: ['>', 10] },
        { numeric: ['<=', 20] },
        { numeric: ['>=', 3, '<=', 5] },
        { numeric: ['>', 6, '<', 8] },
      ],
      store: [{ exists: true }],
      gone: [{ exists: false }],
      raw: [{ prefix: 'x' }],
    });
    assert.deepEqual(problems(text), []);
  });

  test('sns.Subscription with filter_policy_with_message_body: FilterOrPolicy nests, scope MessageBody', () => {
    const text =
      HEAD +
      [
        'sns.Subscription(',
        '    self,',
        '    "Paid",',
        '    topic=topic,',
        '    endpoint="https://example.com/hook",',
        '    protocol=sns.SubscriptionProtocol.HTTPS,',
        '    filter_policy_with_message_body={',
        '        "order": sns.FilterOrPolicy.policy({',
        '            "status": sns.FilterOrPolicy.filter(sns.SubscriptionFilter.string_filter(allowlist=["paid"])),',
        '        }),',
        '    },',
        ')',
      ].join('\n');
    assert.deepEqual(sitesOf(text), [
      {
        kind: 'snsSubscription',
        dialect: 'sns',
        scope: 'MessageBody',
        name: 'Paid',
        policy: { order: { status: ['paid'] } },
      },
    ]);
    assert.deepEqual(problems(text), []);
  });

  test('sns.Subscription with both policies: one site per scope', () => {
    const text =
      HEAD +
      'sns.Subscription(self, "Both", topic=topic, endpoint=url, protocol=sns.SubscriptionProtocol.HTTPS, ' +
      'filter_policy={"a": sns.SubscriptionFilter.exists_filter()}, ' +
      'filter_policy_with_message_body={"b": sns.FilterOrPolicy.filter(sns.SubscriptionFilter.numeric_filter(greater_than=0))})\n';
    assert.deepEqual(
      sitesOf(text).map((s) => [s.name, s.scope, s.policy]),
      [
        ['Both', 'MessageAttributes', { a: [{ exists: true }] }],
        ['Both', 'MessageBody', { b: [{ numeric: ['>', 0] }] }],
      ],
    );
  });

  test('every aws-sns-subscriptions class, classes imported by name, and a policy assigned to a name', () => {
    const text = [
      'from aws_cdk.aws_sns_subscriptions import LambdaSubscription, UrlSubscription, EmailSubscription, SmsSubscription',
      'from aws_cdk.aws_sns import SubscriptionFilter as F',
      'import aws_cdk as cdk',
      '',
      'def build(topic, fn, queue):',
      '    topic.add_subscription(LambdaSubscription(fn, filter_policy={"a": F.exists_filter()}))',
      '    topic.add_subscription(UrlSubscription("https://x", filter_policy={"b": F.exists_filter()}))',
      '    topic.add_subscription(EmailSubscription("a@example.com", filter_policy={"c": F.exists_filter()}))',
      '    topic.add_subscription(SmsSubscription("+15550100", filter_policy={"d": F.exists_filter()}))',
      '    policy = {"e": F.exists_filter()}',
      '    topic.add_subscription(cdk.aws_sns_subscriptions.SqsSubscription(queue, filter_policy=policy))',
    ].join('\n');
    assert.deepEqual(
      sitesOf(text).map((s) => s.policy),
      [
        { a: [{ exists: true }] },
        { b: [{ exists: true }] },
        { c: [{ exists: true }] },
        { d: [{ exists: true }] },
        { e: [{ exists: true }] },
      ],
    );
  });

  test('CfnSubscription: the policy as a dict, its scope from filter_policy_scope (literal, misspelled, unknown)', () => {
    const cfn = (scope: string) =>
      HEAD +
      [
        'sns.CfnSubscription(',
        '    self,',
        '    "Cfn",',
        '    topic_arn=topic.topic_arn,',
        '    protocol="sqs",',
        '    endpoint=queue.queue_arn,',
        '    filter_policy={"order": {"status": ["paid"]}},',
        scope,
        ')',
      ].join('\n');
    assert.deepEqual(
      problems(cfn('')).map((p) => [p.code, p.text]),
      [['EB440', '"order"']],
    );
    assert.deepEqual(sitesOf(cfn('    filter_policy_scope="MessageBody",'))[0].scope, 'MessageBody');
    assert.deepEqual(problems(cfn('    filter_policy_scope="MessageBody",')), []);
    assert.deepEqual(sitesOf(cfn('    filter_policy_scope=props.scope,'))[0].scope, 'MessageBody');
    assert.deepEqual(problems(cfn('    filter_policy_scope=props.scope,')), []);
    assert.deepEqual(
      problems(cfn('    filter_policy_scope="Body",')).map((p) => [p.code, p.text]),
      [['EB445', '"Body"']],
    );
  });
});

describe('SNS filter policies in CDK Python: diagnostics', () => {
  test('on the code that writes each part; helper conditions on the option that makes them', () => {
    const text =
      HEAD +
      [
        'topic.add_subscription(subs.SqsSubscription(queue, filter_policy={',
        '    "size": sns.SubscriptionFilter.numeric_filter(between_strict=sns.BetweenCondition(start=9, stop=1)),',
        '    "price": sns.SubscriptionFilter.numeric_filter(greater_than=1e10),',
        '    "raw": sns.SubscriptionFilter([{"wildcard": "a*"}]),',
        '}))',
      ].join('\n');
    const found = problems(text);
    assert.deepEqual(
      found.map((p) => p.code),
      ['EB318', 'EB443', 'EB410'],
      JSON.stringify(found),
    );
    assert.equal(found[0].message, 'Bottom must be less than top');
    assert.equal(found[0].text, 'between_strict=sns.BetweenCondition(start=9, stop=1)');
    assert.equal(found[1].text, '1e10');
    assert.equal(found[2].text, '"wildcard"');
  });

  test('names, attributes, calls, f-strings and splats are unknown values, never flagged', () => {
    const text =
      HEAD +
      [
        'topic.add_subscription(subs.SqsSubscription(queue, filter_policy={',
        '    "a": sns.SubscriptionFilter.string_filter(allowlist=colors),',
        '    "b": sns.SubscriptionFilter.string_filter(**options),',
        '    "c": filters.c,',
        '    "d": sns.SubscriptionFilter.string_filter(allowlist=[f"{env}-x"], match_prefixes=prefixes),',
        '}))',
        '# SNS takes five keys at most: the rest in a second subscription.',
        'topic.add_subscription(subs.SqsSubscription(queue, filter_policy={',
        '    "e": sns.SubscriptionFilter.numeric_filter(between=rng),',
        '    "f": sns.SubscriptionFilter.numeric_filter(greater_than=limit),',
        '    key: sns.SubscriptionFilter.exists_filter(),',
        '    **more,',
        '}))',
      ].join('\n');
    assert.equal(sitesOf(text).length, 2);
    assert.deepEqual(problems(text), []);
  });

  test('nesting in the default scope is flagged on its key', () => {
    const text =
      HEAD +
      'subs.SqsSubscription(q, filter_policy={"order": sns.FilterOrPolicy.policy({"s": sns.FilterOrPolicy.filter(sns.SubscriptionFilter.exists_filter())})})\n';
    assert.deepEqual(
      problems(text).map((p) => [p.code, p.text]),
      [['EB440', '"order"']],
    );
  });
});

describe('SNS filter policies in CDK Python: quick fixes', () => {
  test('a quick fix edits the literal dict in Python, which still parses', () => {
    const text =
      HEAD +
      'sns.CfnSubscription(self, "C", topic_arn=t, protocol="sqs", endpoint=e, filter_policy={"store": "example_corp", "kind": [{"Prefix": "a"}]})\n';
    let current = text;
    for (const title of [/array/i, /prefix/]) {
      const doc = docOf(current);
      const diagnostics = ls.doValidation(doc);
      const actions = ls.doCodeActions(
        doc,
        { start: doc.positionAt(0), end: doc.positionAt(current.length) },
        { diagnostics },
      );
      const action = actions.find((a) => title.test(a.title));
      assert.ok(action?.edit?.changes, `${title} among ${JSON.stringify(actions.map((a) => a.title))}`);
      current = TextDocument.applyEdits(doc, action.edit.changes[doc.uri]);
      assertParses(current);
    }
    assert.match(current, /"store": \["example_corp"\]/);
    assert.match(current, /\{"prefix": "a"\}/);
    assert.deepEqual(problems(current), []);
  });

  test('no fix rewrites what a helper makes up: every edit offered still parses', () => {
    const text =
      HEAD + 'subs.SqsSubscription(q, filter_policy={"s": sns.SubscriptionFilter.numeric_filter(greater_than="x")})\n';
    const doc = docOf(text);
    const diagnostics = ls.doValidation(doc);
    assert.ok(diagnostics.length > 0);
    const actions = ls.doCodeActions(
      doc,
      { start: doc.positionAt(0), end: doc.positionAt(text.length) },
      { diagnostics },
    );
    for (const a of actions) assertParses(TextDocument.applyEdits(doc, a.edit?.changes?.[doc.uri] ?? []));
  });
});
