// What the client asks about the pattern under the cursor (shared/requests.ts), answered through the facade: the
// usable pattern, events tested against it, sample events made for it, and the template rule it belongs to. The
// document is written inline, with `|` as the cursor.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  getLanguageService,
  patternAt,
  patternSamplesAt,
  ruleAt,
  testPatternAt,
} from '../../../server/src/languageservice/languageService';
import { compilePattern, matchesEvent } from '../../../server/src/engine';

function at(uri: string, textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  assert.ok(offset >= 0, 'the text marks the cursor with |');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const document = TextDocument.create(uri, /\.ya?ml$/.test(uri) ? 'yaml' : 'json', 1, text);
  return { document, position: document.positionAt(offset) };
}

const service = getLanguageService();

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  ShopLog:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /aws/events/shop-test
  OrdersBus:
    Type: AWS::Events::EventBus
    Properties:
      Name: orders
  AllShop:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [shop]
      Targets:
        - Id: log
          Arn: !GetAtt ShopLog.Arn
  BigOrders:
    Type: AWS::Events::Rule
    Properties:
      Name: big-orders
      EventBusName: !Ref OrdersBus
      EventPattern: '{"source": ["shop"], "detail": {"total": [{"numeric": [">=", 100]}]}}'
  Filter:
    Type: AWS::Pipes::Pipe
    Properties:
      SourceParameters:
        FilterCriteria:
          Filters:
            - Pattern: '{"body": {"kind": ["order"]}}'
  Deployed:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [!Ref AWS::StackName]
`;

/** The template with the cursor just before `needle`. */
function inTemplate(needle: string) {
  const i = TEMPLATE.indexOf(needle);
  assert.ok(i >= 0, needle);
  return at('file:///w/orders.yaml', `${TEMPLATE.slice(0, i)}|${TEMPLATE.slice(i)}`);
}

describe('the pattern under the cursor', () => {
  it('in a pattern file: its JSON text, dialect and range, wherever the cursor is in the file', () => {
    const { document, position } = at('file:///w/a.eventpattern.json', '|{ "source": ["aws.s3"] }');
    const answer = patternAt(service, document, position);
    assert.deepEqual(answer, {
      ok: true,
      pattern: {
        dialect: 'eventbus',
        text: '{"source":["aws.s3"]}',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 24 } },
      },
    });
  });

  it('in a template: the pattern of the resource under the cursor, object or string, in its dialect', () => {
    const onObject = inTemplate('[shop]');
    const object = patternAt(service, onObject.document, onObject.position);
    assert.ok(object.ok, object.ok ? '' : object.reason);
    assert.deepEqual(
      [object.pattern.text, object.pattern.resourceId, object.pattern.dialect],
      ['{"source":["shop"]}', 'AllShop', 'eventbus'],
    );
    const { document, position } = inTemplate('"total"');
    const string = patternAt(service, document, position);
    assert.ok(string.ok);
    assert.equal(string.pattern.text, '{"source": ["shop"], "detail": {"total": [{"numeric": [">=", 100]}]}}');
    assert.equal(string.pattern.resourceId, 'BigOrders');
    const onFilter = inTemplate('"kind"');
    const filter = patternAt(service, onFilter.document, onFilter.position);
    assert.ok(filter.ok);
    assert.equal(filter.pattern.dialect, 'pipes');
  });

  it('says why there is none to use: outside every pattern, no pattern at all, invalid, known only at deploy time', () => {
    const outside = inTemplate('Resources:');
    assert.deepEqual(patternAt(service, outside.document, outside.position), {
      ok: false,
      reason: 'The cursor is not inside an event pattern: put it inside the one to use.',
    });
    const none = at('file:///w/package.json', '{"name": "x"|}');
    assert.match(reasonOf(patternAt(service, none.document, none.position)), /^No event pattern in this file/);
    const invalid = at('file:///w/b.eventpattern.json', '{"source": "aws.s3"|}');
    assert.match(reasonOf(patternAt(service, invalid.document, invalid.position)), /^The pattern is not valid: /);
    const deployed = inTemplate('!Ref AWS::StackName');
    assert.match(
      reasonOf(patternAt(service, deployed.document, deployed.position)),
      /values only known at deploy time/,
    );
  });
});

function reasonOf(answer: { ok: true } | { ok: false; reason: string }): string {
  return answer.ok ? '(an answer)' : answer.reason;
}

describe('testing the pattern under the cursor', () => {
  it('says which events match and why the others do not; an unreadable event says why and the rest still run', () => {
    const { document, position } = at(
      'file:///w/c.eventpattern.json',
      '{"source":["shop"],"detail":{"total":[{"numeric":[">",100]}]}|}',
    );
    const answer = testPatternAt(service, document, position, [
      { label: 'big', text: '{"source":"shop","detail":{"total":150}}' },
      { label: 'small', text: '{"source":"shop","detail":{"total":5}}' },
      { label: 'broken', text: '{"source":' },
    ]);
    assert.ok(answer.ok);
    const [big, small, broken] = answer.results;
    assert.deepEqual(big, { label: 'big', matched: true, reasons: [] });
    assert.equal(small.matched, false);
    assert.match(small.reasons.join('\n'), /detail\.total is 5/);
    assert.equal(broken.matched, undefined);
    assert.match(broken.reasons[0], /not valid JSON/);
  });

  it('keeps the number spellings of the event text, as EventBridge does', () => {
    const { document, position } = at('file:///w/d.eventpattern.json', '{"detail":{"n":[300]}|}');
    const answer = testPatternAt(service, document, position, [
      { label: 'exponent', text: '{"detail":{"n":3.0e2}}' },
      { label: 'other', text: '{"detail":{"n":301}}' },
    ]);
    assert.ok(answer.ok);
    assert.deepEqual(
      answer.results.map((r) => r.matched),
      [true, false],
    );
  });

  it('gives the reason instead of results when there is no usable pattern there', () => {
    const { document, position } = inTemplate('Resources:');
    assert.equal(testPatternAt(service, document, position, [{ label: 'e', text: '{}' }]).ok, false);
  });
});

describe('sample events for the pattern under the cursor', () => {
  it("makes an event the pattern matches, from the catalog's sample, and lists the catalog's samples it names", () => {
    const pattern = {
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { object: { key: [{ prefix: 'incoming/' }] } },
    };
    const { document, position } = at('file:///w/e.eventpattern.json', `|${JSON.stringify(pattern)}`);
    const answer = patternSamplesAt(service, document, position, { region: 'eu-west-1' });
    assert.ok(answer.ok, answer.ok ? '' : answer.reason);
    assert.equal(answer.generated.matches, true);
    const compiled = compilePattern(JSON.stringify(pattern));
    assert.ok(compiled.ok);
    assert.ok(matchesEvent(compiled.pattern, answer.generated.event), 'the engine agrees');
    assert.equal(answer.generated.event.region, 'eu-west-1');
    const detail = answer.generated.event.detail as { bucket?: unknown };
    assert.ok(detail.bucket !== undefined, "the catalog sample's other fields are kept");
    assert.deepEqual(
      answer.catalog.map((c) => [c.source, c.detailType, c.event.source]),
      [['aws.s3', 'Object Created', 'aws.s3']],
    );
  });

  it('a pattern naming only a source gets that source’s catalog samples (at most 10)', () => {
    const { document, position } = at('file:///w/f.eventpattern.json', '{"source": ["aws.ec2"]|}');
    const answer = patternSamplesAt(service, document, position);
    assert.ok(answer.ok);
    assert.ok(answer.catalog.length > 1 && answer.catalog.length <= 10, String(answer.catalog.length));
    assert.ok(answer.catalog.every((c) => c.source === 'aws.ec2'));
  });
});

describe('the template rule under the cursor', () => {
  const context = { region: 'eu-west-1', accountId: '000000000000' };

  it('is named as the local bus names it: generated from the file name, or the Name the template gives', () => {
    const generated = inTemplate('[shop]');
    const r = ruleAt(service, generated.document, generated.position, '/w/orders.yaml', context);
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.equal(r.rule.logicalId, 'AllShop');
    assert.equal(r.rule.explicitName, false);
    assert.equal(r.rule.eventBusName, 'default');
    assert.match(r.rule.localName, /^orders-AllShop-[0-9A-F]{12}$/);
    const named = inTemplate('"numeric"');
    const n = ruleAt(service, named.document, named.position, '/w/orders.yaml', context);
    assert.ok(n.ok);
    assert.deepEqual([n.rule.localName, n.rule.eventBusName, n.rule.explicitName], ['big-orders', 'orders', true]);
  });

  it('says why not outside a pattern, or in a pattern that is not an EventBridge rule', () => {
    const outside = inTemplate('Resources:');
    assert.deepEqual(ruleAt(service, outside.document, outside.position, '/w/orders.yaml', context), {
      ok: false,
      reason: 'The cursor is not inside an event pattern.',
    });
    const pipe = inTemplate('"kind"');
    assert.match(
      reasonOf(ruleAt(service, pipe.document, pipe.position, '/w/orders.yaml', context)),
      /does not belong to an EventBridge rule/,
    );
  });
});
