// SNS subscription filter policies in AWS CDK code (TypeScript, JavaScript): `sns.Subscription`, the
// aws-sns-subscriptions classes, `CfnSubscription`, read as the policy CDK synthesizes (SubscriptionFilter helpers,
// FilterOrPolicy nesting), checked on the code's characters, unknown values never flagged, edits that still parse.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver-types';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { toPlainValue } from '../../../server/src/engine/jsonAst';
import { loadGrammar, parseCode } from '../../../server/src/languageservice/parsing/codeGrammars';

const ls = getLanguageService();
const HEAD = [
  "import * as sns from 'aws-cdk-lib/aws-sns';",
  "import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';",
  '',
].join('\n');

before(async () => {
  await loadGrammar('typescript');
  await loadGrammar('tsx');
});

function docOf(text: string, uri = 'file:///app/lib/topics.ts'): TextDocument {
  return TextDocument.create(uri, uri.endsWith('.js') ? 'javascript' : 'typescript', 1, text);
}

function sitesOf(text: string, uri?: string) {
  return ls.analyze(docOf(text, uri)).sites.map((s) => ({
    kind: s.site.kind,
    dialect: s.site.dialect,
    scope: s.site.snsScope,
    name: s.site.name,
    policy: toPlainValue(s.site.node),
  }));
}

function problems(text: string, uri?: string) {
  const doc = docOf(text, uri);
  return ls
    .doValidation(doc)
    .sort((a, b) => doc.offsetAt(a.range.start) - doc.offsetAt(b.range.start))
    .map((d) => ({
      code: String(d.code),
      message: typeof d.message === 'string' ? d.message : d.message.value,
      text: text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)),
    }));
}

describe('SNS filter policies in CDK code: the forms, as CDK renders them', () => {
  test('SubscriptionFilter helpers become the conditions CDK writes', () => {
    const text =
      HEAD +
      [
        'topic.addSubscription(new subs.SqsSubscription(queue, {',
        '  filterPolicy: {',
        "    color: sns.SubscriptionFilter.stringFilter({ allowlist: ['red'], denylist: ['blue', 'green'], matchPrefixes: ['ye'], matchSuffixes: ['ow'] }),",
        '    size: sns.SubscriptionFilter.numericFilter({ allowlist: [1, 2], greaterThan: 10, lessThanOrEqualTo: 20, between: { start: 3, stop: 5 }, betweenStrict: { start: 6, stop: 8 } }),',
        '    store: sns.SubscriptionFilter.existsFilter(),',
        '    gone: sns.SubscriptionFilter.notExistsFilter(),',
        "    raw: new sns.SubscriptionFilter([{ prefix: 'x' }]),",
        '  },',
        '}));',
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

  test('filterPolicyWithMessageBody: FilterOrPolicy.filter and .policy nest, scope MessageBody', () => {
    const text =
      HEAD +
      [
        "new sns.Subscription(this, 'Paid', {",
        '  topic,',
        "  endpoint: 'https://example.com/hook',",
        '  protocol: sns.SubscriptionProtocol.HTTPS,',
        '  filterPolicyWithMessageBody: {',
        '    order: sns.FilterOrPolicy.policy({',
        "      status: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.stringFilter({ allowlist: ['paid'] })),",
        '    }),',
        '  },',
        '});',
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

  test('every aws-sns-subscriptions class, and classes imported by name', () => {
    const text = [
      "import { LambdaSubscription, UrlSubscription, EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';",
      "import { SubscriptionFilter as F } from 'aws-cdk-lib/aws-sns';",
      'topic.addSubscription(new LambdaSubscription(fn, { filterPolicy: { a: F.existsFilter() } }));',
      "topic.addSubscription(new UrlSubscription('https://x', { filterPolicy: { b: F.existsFilter() } }));",
      "topic.addSubscription(new EmailSubscription('a@example.com', { filterPolicy: { c: F.existsFilter() } }));",
      "topic.addSubscription(new SmsSubscription('+15550100', { filterPolicy: { d: F.existsFilter() } }));",
    ].join('\n');
    assert.deepEqual(
      sitesOf(text).map((s) => s.policy),
      [{ a: [{ exists: true }] }, { b: [{ exists: true }] }, { c: [{ exists: true }] }, { d: [{ exists: true }] }],
    );
  });

  test('CfnSubscription: the policy as JSON, its scope from filterPolicyScope (literal, misspelled, unknown)', () => {
    const cfn = (scope: string) =>
      HEAD +
      [
        "new sns.CfnSubscription(this, 'Cfn', {",
        '  topicArn: topic.topicArn,',
        "  protocol: 'sqs',",
        '  endpoint: queue.queueArn,',
        "  filterPolicy: { order: { status: ['paid'] } },",
        scope,
        '});',
      ].join('\n');
    assert.deepEqual(
      problems(cfn('')).map((p) => [p.code, p.text]),
      [['EB440', 'order']],
    );
    assert.deepEqual(problems(cfn("  filterPolicyScope: 'MessageBody',")), []);
    assert.deepEqual(sitesOf(cfn('  filterPolicyScope: props.scope,'))[0].scope, 'MessageBody');
    assert.deepEqual(problems(cfn('  filterPolicyScope: props.scope,')), []);
    const bad = problems(cfn("  filterPolicyScope: 'Body',"));
    assert.deepEqual(
      bad.map((p) => [p.code, p.text]),
      [['EB445', "'Body'"]],
    );
  });

  test('a JavaScript file with require, and modules under aws-cdk-lib', () => {
    const js = [
      "const { aws_sns: sns, aws_sns_subscriptions: subs } = require('aws-cdk-lib');",
      'topic.addSubscription(new subs.SqsSubscription(q, { filterPolicy: { n: sns.SubscriptionFilter.numericFilter({ greaterThan: 1 }) } }));',
    ].join('\n');
    assert.deepEqual(
      sitesOf(js, 'file:///app/lib/topics.js').map((s) => s.policy),
      [{ n: [{ numeric: ['>', 1] }] }],
    );
  });
});

describe('SNS filter policies in CDK code: diagnostics', () => {
  test('on the code that writes each part; helper conditions on the option that makes them', () => {
    const text =
      HEAD +
      [
        'topic.addSubscription(new subs.SqsSubscription(queue, {',
        '  filterPolicy: {',
        '    size: sns.SubscriptionFilter.numericFilter({ betweenStrict: { start: 9, stop: 1 } }),',
        '    price: sns.SubscriptionFilter.numericFilter({ greaterThan: 1e10 }),',
        "    raw: new sns.SubscriptionFilter([{ wildcard: 'a*' }]),",
        '  },',
        '}));',
      ].join('\n');
    const found = problems(text);
    assert.deepEqual(
      found.map((p) => p.code),
      ['EB318', 'EB443', 'EB410'],
      JSON.stringify(found),
    );
    assert.equal(found[0].message, 'Bottom must be less than top');
    assert.equal(found[0].text, 'betweenStrict: { start: 9, stop: 1 }');
    assert.equal(found[1].text, '1e10');
    assert.equal(found[2].text, 'wildcard');
  });

  test('nesting in the default scope is flagged; identifiers, calls and template literals are unknown', () => {
    const text =
      HEAD +
      [
        'topic.addSubscription(new subs.SqsSubscription(queue, {',
        '  filterPolicy: {',
        '    a: sns.SubscriptionFilter.stringFilter({ allowlist: colors }),',
        '    b: sns.SubscriptionFilter.stringFilter(options),',
        '    c: filters.c,',
        '    d: sns.SubscriptionFilter.stringFilter({ allowlist: [`${env}-x`], matchPrefixes: prefixes }),',
        '    e: sns.SubscriptionFilter.numericFilter({ between: range }),',
        '  },',
        '}));',
      ].join('\n');
    assert.deepEqual(problems(text), []);
    const nested =
      HEAD +
      'new subs.SqsSubscription(q, { filterPolicy: { order: sns.FilterOrPolicy.policy({ s: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.existsFilter()) }) } });';
    assert.deepEqual(
      problems(nested).map((p) => p.code),
      ['EB440'],
    );
  });
});

describe('SNS filter policies in CDK code: completion, hover, quick fixes', () => {
  function withCursor(textWithCursor: string) {
    const at = textWithCursor.lastIndexOf('|');
    const text = textWithCursor.slice(0, at) + textWithCursor.slice(at + 1);
    const document = docOf(text);
    return { document, position: document.positionAt(at), text };
  }

  test('hover on a CfnSubscription operator speaks SNS', () => {
    const { document, position } = withCursor(
      HEAD +
        "new sns.CfnSubscription(this, 'C', { topicArn: t, protocol: 'sqs', endpoint: e, filterPolicy: { price: [{ num|eric: ['>', 0] }] } });",
    );
    const value = (ls.doHover(document, position)?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /In SNS: Number attributes/);
  });

  test('completion: SNS operators only, no envelope keys', () => {
    const ops = withCursor(
      HEAD +
        "new sns.CfnSubscription(this, 'C', { topicArn: t, protocol: 'sqs', endpoint: e, filterPolicy: { store: [{ | }] } });",
    );
    const labels = (ls.doComplete(ops.document, ops.position)?.items ?? []).map((i) => i.label);
    assert.ok(labels.includes('prefix') && labels.includes('numeric'), labels.join(', '));
    assert.ok(!labels.includes('wildcard'));
    const keys = withCursor(
      HEAD +
        "new sns.CfnSubscription(this, 'C', { topicArn: t, protocol: 'sqs', endpoint: e, filterPolicy: { store: ['a'], | } });",
    );
    const keyLabels = (ls.doComplete(keys.document, keys.position)?.items ?? []).map((i) => i.label);
    assert.ok(!keyLabels.includes('source') && !keyLabels.includes('detailType'), keyLabels.join(', '));
  });

  test('a quick fix edits the literal code, which still parses; none on what a helper makes up', () => {
    const text =
      HEAD +
      "new sns.CfnSubscription(this, 'C', { topicArn: t, protocol: 'sqs', endpoint: e, filterPolicy: { store: 'example_corp', kind: [{ Prefix: 'a' }] } });\n";
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
      assert.equal(parseCode('typescript', current)?.rootNode.hasError, false, current);
    }
    assert.match(current, /store: \['example_corp'\]/);
    assert.match(current, /\{ prefix: 'a' \}/);
    assert.deepEqual(problems(current), []);
    // The key `wildcard` is written in code, the list around it too: a fix may edit them. A helper's made-up
    // `prefix` (from matchPrefixes) is not: nothing is offered there.
    const helper =
      HEAD +
      "new subs.SqsSubscription(q, { filterPolicy: { s: sns.SubscriptionFilter.numericFilter({ greaterThan: 'x' }) } });\n";
    const doc = docOf(helper);
    const diagnostics = ls.doValidation(doc);
    assert.ok(diagnostics.length > 0);
    const actions = ls.doCodeActions(
      doc,
      { start: doc.positionAt(0), end: doc.positionAt(helper.length) },
      { diagnostics },
    );
    for (const a of actions) {
      const edited = TextDocument.applyEdits(doc, a.edit?.changes?.[doc.uri] ?? []);
      assert.equal(parseCode('typescript', edited)?.rootNode.hasError, false, `${a.title}: ${edited}`);
    }
  });
});
