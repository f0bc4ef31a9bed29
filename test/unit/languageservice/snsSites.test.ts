// SNS subscription filter policies in CloudFormation and SAM templates, through the language service facade: the
// sites (object or JSON string, FilterPolicyScope, intrinsics), diagnostics on the exact characters, completion,
// hover, quick fixes and the code lens with sample messages.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, MarkupContent } from 'vscode-languageserver-types';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { findPatternSites } from '../../../server/src/languageservice/sites/patternSites';
import { parseDocument } from '../../../server/src/languageservice/parsing/documentParser';
import { setSampleEvents, type PatternTestResults } from '../../../server/src/languageservice/features/patternCodeLens';

const YAML = 'file:///w/template.yaml';
const JSON_URI = 'file:///w/template.json';

function docOf(uri: string, text: string): TextDocument {
  return TextDocument.create(uri, uri.endsWith('.json') ? 'json' : 'yaml', 1, text);
}

function diagnose(uri: string, text: string, service = getLanguageService()) {
  return service.doValidation(docOf(uri, text)).map((d) => {
    const doc = docOf(uri, text);
    return {
      code: String(d.code),
      message: d.message,
      text: text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)),
    };
  });
}

function subscription(properties: string[]): string {
  return [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Sub:',
    '    Type: AWS::SNS::Subscription',
    '    Properties:',
    '      TopicArn: !Ref Topic',
    '      Protocol: sqs',
    '      Endpoint: !GetAtt Queue.Arn',
    ...properties.map((l) => `      ${l}`),
    '',
  ].join('\n');
}

function sites(uri: string, text: string) {
  const parsed = parseDocument(text, uri.endsWith('.json') ? 'json' : 'yaml');
  return findPatternSites(parsed.root, text, uri);
}

describe('SNS filter policy sites', () => {
  test('AWS::SNS::Subscription FilterPolicy: object or JSON string, scope from FilterPolicyScope', () => {
    const obj = sites(YAML, subscription(['FilterPolicy:', '  store: [example_corp]']));
    assert.equal(obj.length, 1);
    assert.equal(obj[0].kind, 'snsSubscription');
    assert.equal(obj[0].dialect, 'sns');
    assert.equal(obj[0].form, 'object');
    assert.equal(obj[0].snsScope, 'MessageAttributes');
    const str = sites(YAML, subscription([`FilterPolicy: '{"a": {"b": ["x"]}}'`, 'FilterPolicyScope: MessageBody']));
    assert.equal(str[0].form, 'string');
    assert.equal(str[0].snsScope, 'MessageBody');
    // A scope known only at deploy is read as the one that accepts more (nested policies included).
    const unknown = sites(YAML, subscription(['FilterPolicy:', '  a:', '    b: [x]', 'FilterPolicyScope: !Ref Scope']));
    assert.equal(unknown[0].snsScope, 'MessageBody');
  });

  test('SAM SNS events and AWS::SNS::Topic (whose Subscription entries have no filter policy)', () => {
    const text = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Events:',
      '        Orders:',
      '          Type: SNS',
      '          Properties:',
      '            Topic: !Ref Topic',
      '            FilterPolicy:',
      '              event: [{prefix: order-}]',
      '            FilterPolicyScope: MessageBody',
      '  Topic:',
      '    Type: AWS::SNS::Topic',
      '    Properties:',
      '      Subscription:',
      '        - Endpoint: x',
      '          Protocol: sqs',
      '',
    ].join('\n');
    const found = sites(YAML, text);
    assert.equal(found.length, 1);
    assert.equal(found[0].kind, 'samSnsEvent');
    assert.equal(found[0].eventId, 'Orders');
    assert.equal(found[0].snsScope, 'MessageBody');
  });
});

describe('SNS filter policy sites in Serverless Framework files', () => {
  test('functions.*.events[].sns.filterPolicy with filterPolicyScope', () => {
    const text = [
      'service: orders',
      'provider:',
      '  name: aws',
      'functions:',
      '  paid:',
      '    handler: paid.handler',
      '    events:',
      '      - sns:',
      '          arn: !Ref Topic',
      '          filterPolicyScope: MessageBody',
      '          filterPolicy:',
      '            order:',
      '              status: [paid]',
      '      - sns:',
      '          arn: !Ref Topic',
      '          filterPolicy:',
      '            order:',
      '              status: [paid]',
      '',
    ].join('\n');
    const found = sites('file:///w/serverless.yml', text);
    assert.deepEqual(
      found.map((s) => [s.kind, s.eventId, s.snsScope]),
      [
        ['serverlessSns', 'paid.events[0]', 'MessageBody'],
        ['serverlessSns', 'paid.events[1]', 'MessageAttributes'],
      ],
    );
    const d = diagnose('file:///w/serverless.yml', text);
    assert.deepEqual(
      d.map((x) => [x.code, x.text]),
      [['EB440', 'order']],
    );
  });
});

describe('SNS diagnostics', () => {
  test('on the exact characters, in YAML and in a JSON string in JSON', () => {
    const yaml = subscription(['FilterPolicy:', '  store:', '    - wildcard: "ex*"']);
    assert.deepEqual(
      diagnose(YAML, yaml).map((d) => [d.code, d.text]),
      [['EB410', 'wildcard']],
    );
    const json = JSON.stringify(
      {
        Resources: {
          Sub: {
            Type: 'AWS::SNS::Subscription',
            Properties: {
              TopicArn: 't',
              Protocol: 'sqs',
              Endpoint: 'e',
              FilterPolicy: '{"price":[{"numeric":[">",3,"<",1]}]}',
            },
          },
        },
      },
      null,
      2,
    );
    const d = diagnose(JSON_URI, json);
    assert.deepEqual(
      d.map((x) => x.code),
      ['EB318'],
    );
    assert.equal(d[0].message, 'Bottom must be less than top');
  });

  test('nesting in MessageAttributes scope; the same policy is fine in MessageBody', () => {
    const nested = ['FilterPolicy:', '  order:', '    status: [paid]'];
    const d = diagnose(YAML, subscription(nested));
    assert.deepEqual(
      d.map((x) => [x.code, x.text]),
      [['EB440', 'order']],
    );
    assert.equal(d[0].message, 'Filter policy scope MessageAttributes does not support nested filter policy');
    assert.deepEqual(diagnose(YAML, subscription([...nested, 'FilterPolicyScope: MessageBody'])), []);
  });

  test('a misspelled FilterPolicyScope is an error on its value, in AWS words', () => {
    const d = diagnose(YAML, subscription(['FilterPolicy:', '  store: [x]', 'FilterPolicyScope: MessageBodies']));
    assert.deepEqual(
      d.map((x) => [x.code, x.text]),
      [['EB445', 'MessageBodies']],
    );
    assert.equal(
      d[0].message,
      'FilterPolicyScope: Invalid value [MessageBodies]. Please use either MessageBody or MessageAttributes',
    );
  });

  test('values from intrinsics are never flagged; the rest is still checked', () => {
    assert.deepEqual(
      diagnose(YAML, subscription(['FilterPolicy:', '  store: [!Ref Store]', '  region: [!Sub "${AWS::Region}"]'])),
      [],
    );
    assert.deepEqual(diagnose(YAML, subscription(['FilterPolicy: !Ref Policy'])), []);
    assert.deepEqual(
      diagnose(
        YAML,
        subscription([`FilterPolicy: !Sub '{"store": ["\${Store}"], "kind": [{"numeric": ["=", "\${N}"]}]}'`]),
      ),
      [],
    );
    const d = diagnose(YAML, subscription(['FilterPolicy:', '  store: [!Ref Store]', '  kind: [{prefx: a}]']));
    assert.deepEqual(
      d.map((x) => [x.code, x.text]),
      [['EB207', 'prefx']],
    );
  });

  test('SNS limits: five keys, 150 combinations', () => {
    const six = ['FilterPolicy:', ...['a', 'b', 'c', 'd', 'e', 'f'].map((k) => `  ${k}: [x]`)];
    assert.deepEqual(
      diagnose(YAML, subscription(six)).map((x) => [x.code, x.text]),
      [['EB441', 'f']],
    );
    const many = [
      'FilterPolicy:',
      `  a: [${Array.from({ length: 13 }, (_, i) => i).join(', ')}]`,
      `  b: [${Array.from({ length: 12 }, (_, i) => i).join(', ')}]`,
    ];
    assert.deepEqual(
      diagnose(YAML, subscription(many)).map((x) => x.code),
      ['EB442'],
    );
  });

  test('no EventBridge envelope warnings on SNS policies', () => {
    assert.deepEqual(diagnose(YAML, subscription(['FilterPolicy:', '  detail_type: [x]', '  sorce: [y]'])), []);
  });
});

describe('SNS completion, hover, quick fixes', () => {
  function withCursor(uri: string, textWithCursor: string) {
    const at = textWithCursor.lastIndexOf('|');
    const text = textWithCursor.slice(0, at) + textWithCursor.slice(at + 1);
    const document = docOf(uri, text);
    return { document, position: document.positionAt(at) };
  }

  test('keys: no envelope fields, only $or; operators: the SNS subset', () => {
    const ls = getLanguageService();
    const keys = withCursor(YAML, subscription(['FilterPolicy:', '  store: [x]', '  |']));
    const keyLabels = (ls.doComplete(keys.document, keys.position)?.items ?? []).map((i) => i.label);
    assert.ok(keyLabels.includes('$or'));
    for (const envelope of ['source', 'detail-type', 'detail', 'account'])
      assert.ok(!keyLabels.includes(envelope), envelope);
    const ops = withCursor(YAML, subscription(['FilterPolicy:', '  store:', '    - {|}']));
    const opLabels = (ls.doComplete(ops.document, ops.position)?.items ?? []).map((i) => i.label);
    for (const op of ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'cidr']) {
      assert.ok(
        opLabels.some((l) => l.startsWith(op)),
        `${op} in ${opLabels.join(', ')}`,
      );
    }
    assert.ok(!opLabels.some((l) => l.startsWith('wildcard')), 'no wildcard');
  });

  test('hover: operators and keys in SNS words', () => {
    const ls = getLanguageService();
    const at = (textWithCursor: string) => {
      const { document, position } = withCursor(YAML, textWithCursor);
      return (ls.doHover(document, position)?.contents as MarkupContent | undefined)?.value ?? '';
    };
    const numeric = at(subscription(['FilterPolicy:', '  price:', '    - num|eric: [">", 0]']));
    assert.match(numeric, /In SNS: Number attributes/);
    assert.match(numeric, /In this SNS subscription pattern: supported/);
    assert.match(at(subscription(['FilterPolicy:', '  st|ore: [x]'])), /a message attribute/);
    assert.match(
      at(subscription(['FilterPolicy:', '  st|ore: [x]', 'FilterPolicyScope: MessageBody'])),
      /a property of the message body/,
    );
    assert.match(at(subscription(['Filter|Policy:', '  store: [x]'])), /SNS filter policy.*scope MessageAttributes/);
  });

  test('quick fixes: wrap a scalar, correct an operator', () => {
    const ls = getLanguageService();
    const fix = (text: string, title: RegExp): string => {
      const doc = docOf(YAML, text);
      const diagnostics = ls.doValidation(doc);
      const actions = ls.doCodeActions(
        doc,
        { start: doc.positionAt(0), end: doc.positionAt(text.length) },
        { diagnostics },
      );
      const action = actions.find((a: CodeAction) => title.test(a.title));
      assert.ok(action, `an action ${title} among ${JSON.stringify(actions.map((a) => a.title))}`);
      return TextDocument.applyEdits(doc, action.edit!.changes![doc.uri]);
    };
    const wrapped = fix(subscription(['FilterPolicy:', '  store: example_corp']), /array/i);
    assert.deepEqual(diagnose(YAML, wrapped), []);
    assert.match(wrapped, /store: \[\s*example_corp\s*\]/);
    const corrected = fix(subscription(['FilterPolicy:', '  store: [{Prefix: ex}]']), /prefix/);
    assert.deepEqual(diagnose(YAML, corrected), []);
  });
});

describe('SNS sample messages (code lens)', () => {
  const message = (attributes: Record<string, unknown>, body?: unknown) =>
    JSON.stringify({ MessageAttributes: attributes, ...(body !== undefined ? { Message: body } : {}) });

  test('events/sns/*.json run through SNS policies in their scope; event patterns do not see them', () => {
    const service = getLanguageService();
    setSampleEvents(service, [
      {
        name: 'events/sns/corp.json',
        text: message({ store: { Type: 'String', Value: 'example_corp' } }, '{"order":{"status":"paid"}}'),
      },
      {
        name: 'events/sns/other.json',
        text: message({ store: { Type: 'String.Array', Value: '["a","b"]' } }, 'plain text'),
      },
      { name: 'events/ec2.json', text: '{"source":"aws.ec2","detail-type":"x","detail":{}}' },
    ]);
    const lensesOf = (uri: string, text: string) =>
      service
        .doCodeLens(docOf(uri, text))
        .map((l) => ({ title: l.command?.title, results: l.command?.arguments?.[0] as PatternTestResults }));
    const [attrs] = lensesOf(YAML, subscription(['FilterPolicy:', '  store: [example_corp]']));
    assert.equal(attrs.title, '▶ 1 of 2 sample messages match (MessageAttributes)');
    assert.deepEqual(
      attrs.results.results.map((r) => [r.name, r.matched]),
      [
        ['events/sns/corp.json', true],
        ['events/sns/other.json', false],
      ],
    );
    assert.match(attrs.results.results[1].reasons[0], /^store is/);
    const [body] = lensesOf(
      YAML,
      subscription(['FilterPolicy:', '  order:', '    status: [paid]', 'FilterPolicyScope: MessageBody']),
    );
    assert.equal(body.title, '▶ 1 of 1 sample message matches (MessageBody)');
    assert.match(body.results.results[1].error ?? '', /not a JSON object/);
    // An event pattern's lens leaves the SNS messages out.
    const rule = [
      'Resources:',
      '  R:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern:',
      '        source: [aws.ec2]',
      '',
    ].join('\n');
    const [eb] = lensesOf(YAML, rule);
    assert.ok(
      eb.results.results.every((r) => !r.name.includes('/sns/')),
      JSON.stringify(eb.results.results.map((r) => r.name)),
    );
  });

  test('without sample messages the lens says where to put them', () => {
    const service = getLanguageService();
    const [lens] = service.doCodeLens(docOf(YAML, subscription(['FilterPolicy:', '  store: [x]'])));
    assert.equal(lens.command?.title, '▶ No sample messages for this filter policy: add some to events/sns/*.json');
  });
});
