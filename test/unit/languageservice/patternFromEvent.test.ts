// "Create Pattern from Event" through the facade: the events of a document (JSON, YAML, PutEvents entries in
// TypeScript and Python), the fields offered, and the edits: a pattern merged into the one under the cursor, a new rule
// in JSON and YAML templates (indentation, a free logical id), a new pattern file. Every edit is applied here and the
// document read again: the written pattern must validate with no errors and match the event.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  codeEventGrammar,
  eventFieldsOf,
  eventsAt,
  getLanguageService,
  loadGrammar,
  patternFromEventEdit,
  ruleLogicalId,
} from '../../../server/src/languageservice';
import { compilePattern, matchesEvent } from '../../../server/src/engine';
import type { PatternFromEventResult, PatternTarget, ChosenField, EventObject } from '../../../shared';

const service = getLanguageService();

function doc(uri: string, text: string, languageId?: string): TextDocument {
  return TextDocument.create(uri, languageId ?? (/\.ya?ml$/.test(uri) ? 'yaml' : 'json'), 1, text);
}

function cursor(text: string): { text: string; offset: number } {
  const offset = text.indexOf('|');
  return { text: text.slice(0, offset) + text.slice(offset + 1), offset };
}

const S3_EVENT: EventObject = {
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '123456789012',
  time: '2021-11-12T00:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:s3:::example-bucket'],
  detail: { bucket: { name: 'example-bucket' }, object: { key: 'photos/cat.jpg', size: 5 } },
};

function apply(document: TextDocument, result: PatternFromEventResult): string {
  assert.ok(result.edit, 'an edit');
  assert.equal(result.edit.uri, document.uri);
  return TextDocument.applyEdits(document, [...result.edit.edits]);
}

function edit(document: TextDocument, fields: ChosenField[], target: PatternTarget, event = S3_EVENT) {
  const r = patternFromEventEdit(service, { event, fields, target }, (uri) =>
    uri === document.uri ? document : undefined,
  );
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r;
}

/** The document read again: every site valid, and the named rule's pattern matching the event. */
function checkRule(uri: string, text: string, logicalId: string, event: EventObject = S3_EVENT): unknown {
  const again = service.analyze(doc(uri, text));
  assert.deepEqual(
    again.syntaxErrors.filter((e) => e.severity === 'error'),
    [],
    'no syntax error',
  );
  const site = again.sites.find((s) => s.site.resourceId === logicalId);
  assert.ok(site, `a pattern in ${logicalId}`);
  assert.deepEqual(
    site.analysis.problems.filter((p) => p.severity === 'error'),
    [],
  );
  assert.ok(site.analysis.pattern && matchesEvent(site.analysis.pattern, event));
  return site.analysis.pattern;
}

describe('events of a document', () => {
  it('finds events and PutEvents entries in JSON, the one under the cursor first', () => {
    const { text, offset } = cursor(
      JSON.stringify(
        [S3_EVENT, { Source: 'com.example.orders', DetailType: 'Order Placed', Detail: '{"total": 5}' }],
        null,
        2,
      ).replace('"Order Placed"', '"Order| Placed"'),
    );
    const d = doc('file:///w/events/mixed.json', text);
    const r = eventsAt(service, d, d.positionAt(offset));
    assert.ok(r.ok);
    assert.equal(r.atCursor, true);
    assert.equal(r.events.length, 2);
    assert.equal(r.events[0].label, 'com.example.orders / Order Placed (PutEvents entry)');
    assert.equal(r.events[0].event['detail-type'], 'Order Placed');
    assert.deepEqual(r.events[0].event.detail, { total: 5 });
    assert.equal(r.events[1].form, 'event');
    // Outside every event: all of them, none at the cursor.
    const outside = eventsAt(service, d, { line: 0, character: 0 });
    assert.ok(outside.ok && !outside.atCursor && outside.events.length === 2);
  });

  it('reads a selection, and says why a document or a selection holds no event', () => {
    const d = doc('file:///w/notes.json', `{"x": ${JSON.stringify(S3_EVENT)}, "y": 1}`);
    const start = d.positionAt(d.getText().indexOf('{"version"'));
    const end = d.positionAt(d.getText().indexOf(', "y"'));
    const r = eventsAt(service, d, start, { start, end });
    assert.ok(r.ok && r.events[0].event.source === 'aws.s3');
    const bad = eventsAt(service, d, start, { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } });
    assert.ok(!bad.ok && /not JSON/.test(bad.reason));
    const none = eventsAt(service, doc('file:///w/a.json', '{"a": 1}'), { line: 0, character: 1 });
    assert.ok(!none.ok && /No event here/.test(none.reason));
  });

  it('finds events in YAML', () => {
    const d = doc(
      'file:///w/events.yaml',
      'events:\n  - source: my.app\n    detail-type: Thing Done\n    detail:\n      n: 3\n',
    );
    const r = eventsAt(service, d, { line: 2, character: 6 });
    assert.ok(r.ok && r.atCursor);
    assert.deepEqual(r.events[0].event, { source: 'my.app', 'detail-type': 'Thing Done', detail: { n: 3 } });
  });

  describe('PutEvents entries in code', () => {
    before(async () => {
      await loadGrammar('typescript');
      await loadGrammar('python');
    });

    it('TypeScript object literals, Detail as JSON.stringify of a literal; computed values left out', () => {
      const { text, offset } = cursor(`import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
const orderId = makeId();
await client.send(new PutEventsCommand({
  Entries: [{
    Source: 'com.example.orders',
    DetailType: "Order| Placed",
    Detail: JSON.stringify({ orderId, total: 120.5, items: [{ sku: 'A-1', qty: -2 }], gift: false }),
    EventBusName: 'orders',
  }],
}));
`);
      const d = doc('file:///w/src/send.ts', text, 'typescript');
      assert.equal(codeEventGrammar(d), 'typescript');
      const r = eventsAt(service, d, d.positionAt(offset));
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.equal(r.events.length, 1);
      const e = r.events[0].event;
      assert.equal(e.source, 'com.example.orders');
      assert.deepEqual(e.detail, { total: 120.5, items: [{ sku: 'A-1', qty: -2 }], gift: false });
    });

    it('Python dicts, Detail as json.dumps of a dict', () => {
      const text = `import json, boto3
boto3.client("events").put_events(Entries=[{
    "Source": "com.example.orders",
    "DetailType": "Order Shipped",
    "Detail": json.dumps({"carrier": "ups", "weight": 2.5, "express": True, "note": None}),
}])
`;
      const d = doc('file:///w/send.py', text, 'python');
      const r = eventsAt(service, d, { line: 3, character: 10 });
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.deepEqual(r.events[0].event.detail, { carrier: 'ups', weight: 2.5, express: true, note: null });
    });

    it('offers the code action on an entry, not elsewhere', () => {
      const text = `const entry = { Source: 'a.b', DetailType: 'C', Detail: '{"d": 1}' };\nconst other = 1;\n`;
      const d = doc('file:///w/entry.ts', text, 'typescript');
      const on = service.doCodeActions(
        d,
        { start: { line: 0, character: 20 }, end: { line: 0, character: 20 } },
        { diagnostics: [] },
      );
      const action = on.find((a) => a.command?.command === 'eventbridge.createPatternFromEvent');
      assert.ok(action, 'a code action');
      assert.equal(action.title, 'Create pattern from this event (a.b / C (PutEvents entry))');
      assert.deepEqual(action.command!.arguments, [{ uri: d.uri, position: { line: 0, character: 20 } }]);
      const off = service.doCodeActions(
        d,
        { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } },
        { diagnostics: [] },
      );
      assert.ok(!off.some((a) => a.command?.command === 'eventbridge.createPatternFromEvent'));
      const onlyFixes = service.doCodeActions(
        d,
        { start: { line: 0, character: 20 }, end: { line: 0, character: 20 } },
        { diagnostics: [], only: ['quickfix'] },
      );
      assert.equal(onlyFixes.length, 0);
    });
  });
});

describe('fields offered', () => {
  it('lists source and detail-type first, with the first value and the operators', () => {
    const { fields, operators } = eventFieldsOf(S3_EVENT);
    assert.deepEqual(
      fields.slice(0, 2).map((f) => f.path),
      ['source', 'detail-type'],
    );
    const size = fields.find((f) => f.path === 'detail.object.size')!;
    assert.deepEqual(size, {
      path: 'detail.object.size',
      value: '5',
      occurrences: 1,
      operators: ['exact', 'numeric', 'anything-but', 'exists'],
    });
    assert.match(operators.numeric, /range/);
  });
});

describe('a new rule in a template', () => {
  const YAML = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
    Bucket:
        Type: AWS::S3::Bucket
    S3ObjectCreatedRule:
        Type: AWS::Events::Rule
        Properties:
            EventPattern:
                source: [aws.s3]
# a comment after the last resource
Outputs:
    Name:
        Value: !Ref Bucket
`;

  it('YAML: in the template’s indentation, after the last resource, with a free logical id', () => {
    const d = doc('file:///w/template.yaml', YAML);
    const r = edit(
      d,
      [{ path: 'source' }, { path: 'detail-type' }, { path: 'detail.object.key', operator: 'prefix' }],
      { kind: 'rule', uri: d.uri },
    );
    assert.equal(r.logicalId, 'S3ObjectCreatedRule2');
    const text = apply(d, r);
    assert.ok(
      text.includes(`                source: [aws.s3]
    S3ObjectCreatedRule2:
        Type: AWS::Events::Rule
        Properties:
            State: ENABLED
            EventPattern:
                source: ["aws.s3"]
                detail-type: ["Object Created"]
                detail:
                    object:
                        key: [{"prefix": "photos/"}]
# a comment after the last resource
Outputs:`),
      text,
    );
    checkRule(d.uri, text, 'S3ObjectCreatedRule2');
  });

  it('JSON: as a member of Resources, in the file’s indentation', () => {
    const template = JSON.stringify(
      { AWSTemplateFormatVersion: '2010-09-09', Resources: { Queue: { Type: 'AWS::SQS::Queue' } } },
      null,
      4,
    );
    const d = doc('file:///w/template.json', template);
    const r = edit(d, [{ path: 'source' }, { path: 'detail.object.size', operator: 'numeric', argument: '1..10' }], {
      kind: 'rule',
      uri: d.uri,
      logicalId: 'SmallObjects',
    });
    const text = apply(d, r);
    assert.equal(
      text,
      `{
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "Queue": {
            "Type": "AWS::SQS::Queue"
        },
        "SmallObjects": {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "EventPattern": {
                    "source": ["aws.s3"],
                    "detail": {
                        "object": {
                            "size": [{"numeric": [">=", 1, "<=", 10]}]
                        }
                    }
                },
                "State": "ENABLED"
            }
        }
    }
}`,
    );
    checkRule(d.uri, text, 'SmallObjects');
    JSON.parse(text);
  });

  it('refuses a file that is not a template, a taken logical id, and YAML Resources in flow style', () => {
    const refused = (d: TextDocument, logicalId?: string): string => {
      const r = patternFromEventEdit(
        service,
        {
          event: S3_EVENT,
          fields: [{ path: 'source' }],
          target: { kind: 'rule', uri: d.uri, ...(logicalId ? { logicalId } : {}) },
        },
        () => d,
      );
      assert.ok(!r.ok);
      return r.reason;
    };
    assert.match(refused(doc('file:///w/a.json', '{"a": 1}')), /not a CloudFormation/);
    assert.match(refused(doc('file:///w/t.yaml', YAML), 'Bucket'), /not a free logical id/);
    assert.match(refused(doc('file:///w/t.yaml', 'Resources: {Q: {Type: AWS::SQS::Queue}}\n')), /flow style/);
  });

  it('makes logical ids from the source and detail-type', () => {
    assert.equal(
      ruleLogicalId({ source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification' }, new Set()),
      'Ec2EC2InstanceStateChangeNotificationRule',
    );
    assert.equal(
      ruleLogicalId({ source: 'com.example', 'detail-type': 'x' }, new Set(['ComExampleXRule'])),
      'ComExampleXRule2',
    );
    assert.equal(ruleLogicalId({}, new Set()), 'Rule');
  });
});

describe('merged into the pattern under the cursor', () => {
  it('YAML template: the event’s values join the lists, in block style at the pattern’s indentation', () => {
    const { text, offset } = cursor(`Resources:
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [|"Object Deleted"]
      Targets: []
`);
    const d = doc('file:///w/t.yaml', text);
    const r = edit(d, [{ path: 'source' }, { path: 'detail-type' }], {
      kind: 'merge',
      uri: d.uri,
      position: d.positionAt(offset),
    });
    const after = apply(d, r);
    assert.equal(
      after,
      `Resources:
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: ["aws.s3"]
        detail-type: ["Object Deleted", "Object Created"]
      Targets: []
`,
    );
    checkRule(d.uri, after, 'Rule');
  });

  it('a JSON pattern file, and a pattern written as a JSON string', () => {
    const file = doc('file:///w/p.eventpattern.json', '{\n  "source": ["aws.ec2"]\n}\n');
    const r = edit(file, [{ path: 'source' }, { path: 'detail.object.key', operator: 'suffix' }], {
      kind: 'merge',
      uri: file.uri,
      position: { line: 1, character: 4 },
    });
    assert.deepEqual(r.pattern, { source: ['aws.ec2', 'aws.s3'], detail: { object: { key: [{ suffix: '.jpg' }] } } });
    assert.equal(
      apply(file, r),
      '{\n  "source": ["aws.ec2", "aws.s3"],\n  "detail": {\n    "object": {\n      "key": [{"suffix": ".jpg"}]\n    }\n  }\n}\n',
    );
    const tpl = doc(
      'file:///w/t.yaml',
      `Resources:\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern: '{"source": ["aws.ec2"]}'\n`,
    );
    const s = edit(tpl, [{ path: 'source' }], { kind: 'merge', uri: tpl.uri, position: { line: 4, character: 24 } });
    const merged = apply(tpl, s);
    assert.ok(merged.includes(`EventPattern: '{"source":["aws.ec2","aws.s3"]}'`), merged);
    const compiled = checkRule(tpl.uri, merged, 'R');
    assert.ok(compiled);
  });

  it('refuses when the pattern’s other conditions reject the event, saying which', () => {
    const d = doc('file:///w/p.eventpattern.json', '{"source": ["aws.s3"], "detail": {"bucket": {"name": ["other"]}}}');
    const r = patternFromEventEdit(
      service,
      {
        event: S3_EVENT,
        fields: [{ path: 'source' }],
        target: { kind: 'merge', uri: d.uri, position: { line: 0, character: 3 } },
      },
      () => d,
    );
    assert.ok(!r.ok);
    assert.match(r.reason, /detail\.bucket\.name/);
  });
});

describe('a new pattern file', () => {
  it('returns the pattern as JSON text that compiles and matches', () => {
    const r = patternFromEventEdit(
      service,
      {
        event: S3_EVENT,
        fields: [{ path: 'source' }, { path: 'resources', operator: 'prefix' }],
        target: { kind: 'patternFile' },
      },
      () => undefined,
    );
    assert.ok(r.ok && r.fileText);
    const c = compilePattern(r.fileText);
    assert.ok(c.ok && matchesEvent(c.pattern, S3_EVENT));
    assert.deepEqual(JSON.parse(r.fileText), { source: ['aws.s3'], resources: [{ prefix: 'arn:aws:s3:::' }] });
  });

  it('says why for bad fields', () => {
    const r = patternFromEventEdit(
      service,
      { event: S3_EVENT, fields: [], target: { kind: 'patternFile' } },
      () => undefined,
    );
    assert.ok(!r.ok && /at least one field/.test(r.reason));
  });
});

describe('merged into a pattern with $or', () => {
  it('keeps the $or branches as a block sequence in the file’s indentation', () => {
    const { text, offset } = cursor(`Resources:
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        $or:
          - detail-type: [|"Object Created"]
          - detail:
              object:
                size: [{numeric: [">", 100]}]
`);
    const d = doc('file:///w/or.yaml', text);
    const r = edit(d, [{ path: 'source' }, { path: 'detail.bucket.name' }], {
      kind: 'merge',
      uri: d.uri,
      position: d.positionAt(offset),
    });
    const after = apply(d, r);
    assert.equal(
      after,
      `Resources:
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: ["aws.s3"]
        $or:
          - detail-type: ["Object Created"]
          - detail:
              object:
                size: [{"numeric": [">", 100]}]
        detail:
          bucket:
            name: ["example-bucket"]
`,
    );
    checkRule(d.uri, after, 'Rule');
  });
});
