// The user's own events through the facade: completion of `detail` fields and values, hover, and the EB520 hint, for
// custom sources learned from the sample events of test/fixtures/learned-events (orders and payments of a shop), from
// events the local bus has seen, and from schema registries. The cursor is the last `|` of a text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, Diagnostic, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import {
  addObservedEvents,
  customSourcesOf,
  getLanguageService,
  MIN_SAMPLES_FOR_HINT,
  setRegistrySchemas,
  setSampleEvents,
  type LanguageService,
} from '../../../server/src/languageservice';
import type { LearnedSchema } from '../../../shared';
import { repoRoot } from '../repoPaths';

const EVENTS = join(repoRoot, 'test/fixtures/learned-events/events');
const PATTERN_FILE = 'file:///w/orders.eventpattern.json';
const TEMPLATE_YAML = 'file:///w/template.yaml';

/** The fixture files as the server reads them (names relative to the workspace folder). */
function fixtureFiles(): { name: string; text: string }[] {
  const files: { name: string; text: string }[] = [];
  for (const dir of readdirSync(EVENTS).sort())
    for (const name of readdirSync(join(EVENTS, dir)).sort())
      files.push({ name: `events/${dir}/${name}`, text: readFileSync(join(EVENTS, dir, name), 'utf8') });
  return files;
}

function serviceWithSamples(): LanguageService {
  const service = getLanguageService();
  setSampleEvents(service, fixtureFiles());
  return service;
}

function doc(uri: string, text: string, version = 1): TextDocument {
  return TextDocument.create(uri, uri.endsWith('.json') ? 'json' : 'yaml', version, text);
}

function withCursor(uri: string, textWithCursor: string) {
  const at = textWithCursor.lastIndexOf('|');
  const text = textWithCursor.slice(0, at) + textWithCursor.slice(at + 1);
  const document = doc(uri, text);
  return { document, position: document.positionAt(at) };
}

function complete(service: LanguageService, uri: string, textWithCursor: string) {
  const { document, position } = withCursor(uri, textWithCursor);
  const items = service.doComplete(document, position)?.items ?? [];
  return {
    labels: items.map((i) => i.label),
    item(label: string): CompletionItem {
      const found = items.find((i) => i.label === label);
      assert.ok(found, `no item ${label} among ${items.map((i) => i.label).join(', ')}`);
      return found;
    },
    newText(label: string): string {
      return (this.item(label).textEdit as TextEdit).newText;
    },
  };
}

function hover(service: LanguageService, uri: string, textWithCursor: string): string | undefined {
  const { document, position } = withCursor(uri, textWithCursor);
  const h = service.doHover(document, position);
  return h ? (h.contents as MarkupContent).value : undefined;
}

function hints(service: LanguageService, uri: string, text: string): (Diagnostic & { message: string })[] {
  return service
    .doValidation(doc(uri, text))
    .filter((d) => d.code === 'EB520')
    .map((d) => ({ ...d, message: typeof d.message === 'string' ? d.message : d.message.value }));
}

const ORDERS = '"source": ["com.example.orders"], "detail-type": ["Order Placed"]';

describe('completion of learned detail fields', () => {
  const service = serviceWithSamples();

  test("detail's own fields for the pattern's source and detail-type, objects as nested patterns", () => {
    const c = complete(service, PATTERN_FILE, `{${ORDERS}, "detail": {|}}`);
    for (const f of ['orderId', 'status', 'total', 'currency', 'customer', 'items', 'couponCode', 'clientIp'])
      assert.ok(c.labels.includes(f), f);
    // Order Shipped's fields are not Order Placed's.
    assert.ok(!c.labels.includes('carrier'));
    assert.equal(c.newText('customer'), '"customer": {$1}');
    assert.equal(c.newText('total'), '"total": ["$1"]');
    assert.equal(c.item('total').detail, 'number');
    assert.equal(c.item('items').detail, 'array of object');
    const doc = (c.item('couponCode').documentation as MarkupContent).value;
    assert.match(doc, /\*\*detail\.couponCode\*\*: `null \| string`, in 2 of 4 samples/);
    assert.match(doc, /events\/orders\/placed-batch\.json/);
  });

  test('fields below an object and through an array, and every detail-type of a source without one', () => {
    assert.deepEqual(
      complete(service, PATTERN_FILE, `{${ORDERS}, "detail": {"customer": {|}}}`)
        .labels.filter((l) => l !== '$or')
        .sort(),
      ['email', 'id', 'tier'],
    );
    const items = complete(service, PATTERN_FILE, `{${ORDERS}, "detail": {"items": {|}}}`).labels;
    assert.ok(items.includes('sku') && items.includes('price') && items.includes('giftWrap'));
    const any = complete(service, PATTERN_FILE, '{"source": ["com.example.orders"], "detail": {|}}').labels;
    assert.ok(any.includes('carrier') && any.includes('total'));
  });

  test('values: enum-like strings, examples, numbers unquoted; in YAML too', () => {
    const status = complete(service, PATTERN_FILE, `{${ORDERS}, "detail": {"currency": [|]}}`);
    assert.ok(status.labels.includes('EUR') && status.labels.includes('USD'));
    assert.equal(status.newText('EUR'), '"EUR"');
    assert.match(status.item('EUR').detail ?? '', /^value of detail\.currency/);
    const total = complete(service, PATTERN_FILE, `{${ORDERS}, "detail": {"total": [|]}}`);
    assert.equal(total.newText('129.9'), '129.9');
    assert.match(total.item('129.9').detail ?? '', /^example of detail\.total/);
    const yaml = complete(
      service,
      TEMPLATE_YAML,
      [
        'Resources:',
        '  Rule:',
        '    Type: AWS::Events::Rule',
        '    Properties:',
        '      EventPattern:',
        '        source: [com.example.payments]',
        '        detail:',
        '          method: [|]',
        '',
      ].join('\n'),
    );
    assert.ok(yaml.labels.includes('card') && yaml.labels.includes('paypal'));
    assert.equal(yaml.newText('card'), 'card');
  });

  test("the user's own sources and detail-types are offered first", () => {
    const sources = complete(service, PATTERN_FILE, '{"source": [|]}');
    assert.equal(sources.item('com.example.orders').detail, 'event source of your events');
    assert.equal(sources.item('com.example.orders').sortText, '.');
    assert.equal(sources.item('aws.s3').sortText, '0');
    const types = complete(service, PATTERN_FILE, '{"source": ["com.example.orders"], "detail-type": [|]}');
    assert.deepEqual(types.labels.slice(0, 2), ['Order Placed', 'Order Shipped']);
    assert.equal(types.item('Order Placed').detail, 'detail-type of com.example.orders, from your events');
    assert.ok(!types.labels.includes('Payment Authorized'));
  });

  test('nothing learned for an AWS source of the catalog, nor for a source without samples', () => {
    const s3 = complete(
      service,
      PATTERN_FILE,
      '{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {|}}',
    ).labels;
    assert.ok(s3.includes('bucket'));
    assert.ok(!s3.includes('orderId'));
    assert.deepEqual(complete(service, PATTERN_FILE, '{"source": ["com.example.other"], "detail": {|}}').labels, [
      '$or',
    ]);
  });
});

describe('hover on learned detail fields', () => {
  const service = serviceWithSamples();

  test('type, how many samples, examples, and where from', () => {
    const total = hover(service, PATTERN_FILE, `{${ORDERS}, "detail": {"to|tal": [{"numeric": [">", 100]}]}}`);
    assert.ok(total);
    assert.match(total, /\*\*detail\.total\*\*: `number`, in every sample \(4\)/);
    assert.match(total, /Examples: `15`, `64\.5`, `240`, `129\.9`/);
    assert.match(
      total,
      /Learned from sample events of com\.example\.orders \/ Order Placed: events\/orders\/placed-batch\.json, events\/orders\/placed-gift\.json, events\/orders\/placed-gold\.json\./,
    );
    const amount = hover(
      service,
      PATTERN_FILE,
      '{"source": ["com.example.payments"], "detail": {"am|ount": ["42.00"]}}',
    );
    assert.match(amount ?? '', /`string`, numbers written as strings, in every sample \(5\)/);
    const method = hover(
      service,
      PATTERN_FILE,
      '{"source": ["com.example.payments"], "detail": {"met|hod": ["card"]}}',
    );
    assert.match(method ?? '', /Values: `"card"`, `"paypal"`/);
  });

  test('an unknown field gets the plain words', () => {
    const h = hover(service, PATTERN_FILE, `{${ORDERS}, "detail": {"to|tl": [1]}}`);
    assert.match(h ?? '', /\*\*detail\.totl\*\*: a field of the event\./);
  });
});

describe('EB520: a detail path no sample event has', () => {
  const service = serviceWithSamples();

  test('a misspelt field, with the close one proposed and the evidence', () => {
    const text = `{${ORDERS}, "detail": {"totl": [{"numeric": [">", 100]}], "status": ["PLACED"]}}`;
    const [hint, ...rest] = hints(service, PATTERN_FILE, text);
    assert.equal(rest.length, 0);
    assert.equal(
      hint.message,
      'no sample event of com.example.orders has detail.totl: did you mean detail.total? (4 sample events of com.example.orders / Order Placed: events/orders/placed-batch.json, events/orders/placed-gift.json, events/orders/placed-gold.json)',
    );
    assert.equal(hint.severity, 3); // information
    assert.equal(text.slice(hint.range.start.character, hint.range.end.character), '"totl"');
    assert.match(hint.codeDescription?.href ?? '', /problems\.md#eb520$/);
  });

  test('nested and dotted paths: the first missing segment, on the key that names it', () => {
    const nested = `{${ORDERS}, "detail": {"customer": {"teir": ["gold"]}}}`;
    const [a] = hints(service, PATTERN_FILE, nested);
    assert.match(a.message, /has detail\.customer\.teir: did you mean detail\.customer\.tier\?/);
    assert.equal(nested.slice(a.range.start.character, a.range.end.character), '"teir"');
    const deeper = `{${ORDERS}, "detail": {"custmer": {"id": ["cus-17"]}}}`;
    const [b] = hints(service, PATTERN_FILE, deeper);
    assert.match(b.message, /has detail\.custmer: did you mean detail\.customer\?/);
    assert.equal(deeper.slice(b.range.start.character, b.range.end.character), '"custmer"');
    const dotted = `{${ORDERS}, "detail.items.skus": ["BK-001"]}`;
    const [c] = hints(service, PATTERN_FILE, dotted);
    assert.match(c.message, /has detail\.items\.skus: did you mean detail\.items\.sku\?/);
  });

  test('no proposal when nothing is close', () => {
    const [hint] = hints(service, PATTERN_FILE, `{${ORDERS}, "detail": {"warehouse": ["north"]}}`);
    assert.match(hint.message, /^no sample event of com\.example\.orders has detail\.warehouse \(4 sample events/);
  });

  test('quiet: known paths, array elements, optional fields, other sources, AWS sources, too few samples', () => {
    const quiet = [
      `{${ORDERS}, "detail": {"total": [{"numeric": [">", 100]}], "items": {"sku": ["BK-001"]}, "couponCode": [{"exists": true}]}}`,
      '{"source": ["com.example.unknown"], "detail": {"anything": ["x"]}}',
      '{"source": [{"prefix": "com.example."}], "detail": {"totl": [1]}}',
      '{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bukket": {"name": ["b"]}}}',
      // Order Shipped has one sample only: under MIN_SAMPLES_FOR_HINT.
      '{"source": ["com.example.orders"], "detail-type": ["Order Shipped"], "detail": {"carier": ["DHL"]}}',
      // One of the sources has no samples: the field may be its own.
      '{"source": ["com.example.orders", "com.example.returns"], "detail": {"reason": ["damaged"]}}',
      // A $or branch where the field is known keeps the shared key quiet.
      '{"source": ["com.example.orders"], "$or": [{"detail-type": ["Order Placed"]}, {"detail-type": ["Order Shipped"]}], "detail": {"carrier": ["DHL"]}}',
    ];
    assert.ok(MIN_SAMPLES_FOR_HINT > 1);
    for (const text of quiet) assert.deepEqual(hints(service, PATTERN_FILE, text), [], text);
  });

  test('in a template, and with no samples at all nothing is said', () => {
    const template = [
      'Resources:',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern:',
      '        source: [com.example.payments]',
      '        detail:',
      '          ammount: [{numeric: [">", 10]}]',
      '',
    ].join('\n');
    const [hint] = hints(service, TEMPLATE_YAML, template);
    assert.match(hint.message, /has detail\.ammount: did you mean detail\.amount\? \(5 sample events/);
    assert.equal(hint.range.start.line, 7);
    assert.deepEqual(hints(getLanguageService(), TEMPLATE_YAML, template), []);
  });

  test('in code: Terraform and AWS CDK, on the code that writes the key', async () => {
    const tf = [
      'resource "aws_cloudwatch_event_rule" "r" {',
      '  event_pattern = jsonencode({',
      '    source = ["com.example.payments"]',
      '    detail = { ammount = [{ numeric = [">", 10] }], method = ["card"] }',
      '  })',
      '}',
      '',
    ].join('\n');
    const cdk = [
      "import * as events from 'aws-cdk-lib/aws-events';",
      "new events.Rule(this, 'R', { eventPattern: { source: ['com.example.payments'], detail: { methd: ['card'] } } });",
      '',
    ].join('\n');
    for (const [uri, language, text, key] of [
      ['file:///w/main.tf', 'terraform', tf, 'ammount'],
      ['file:///w/app.ts', 'typescript', cdk, 'methd'],
    ]) {
      const document = TextDocument.create(uri, language, 1, text);
      await service.prepare(document);
      const found = service.doValidation(document).filter((d) => d.code === 'EB520');
      assert.equal(found.length, 1, uri);
      assert.equal(document.getText(found[0].range), key);
    }
  });

  test('the severity setting of the lint category applies', () => {
    const text = `{${ORDERS}, "detail": {"totl": [1]}}`;
    service.configure({ severity: { aws: 'default', limits: 'default', dialect: 'default', lint: 'off' } });
    assert.deepEqual(hints(service, PATTERN_FILE, text), []);
    service.configure({ severity: { aws: 'default', limits: 'default', dialect: 'default', lint: 'default' } });
    assert.equal(hints(service, PATTERN_FILE, text).length, 1);
  });

  test('a hostile sample file (nested 40,000 levels deep) is learned within bounds, without a crash', () => {
    const s = getLanguageService();
    const n = 40_000;
    const deep = `{"source": "com.example.deep", "detail-type": "T", "detail": ${'{"a": '.repeat(n)}1${'}'.repeat(n)}}`;
    const ok = (b: number) => JSON.stringify({ source: 'com.example.deep', 'detail-type': 'T', detail: { b } });
    setSampleEvents(s, [
      { name: 'events/deep.json', text: deep },
      { name: 'events/nested-arrays.json', text: `[${'['.repeat(100_000)}${']'.repeat(100_000)}]` },
      { name: 'events/ok.json', text: `[${ok(1)}, ${ok(2)}]` },
    ]);
    const [hint] = hints(s, PATTERN_FILE, '{"source": ["com.example.deep"], "detail": {"color": [1]}}');
    assert.match(hint.message, /^no sample event of com\.example\.deep has detail\.color \(3 sample events/);
    assert.deepEqual(
      hints(s, PATTERN_FILE, '{"source": ["com.example.deep"], "detail": {"a": {"a": {"a": [1]}}}}'),
      [],
    );
  });

  test('new samples change the hints at the next validation', () => {
    const s = getLanguageService();
    const text = `{${ORDERS}, "detail": {"totl": [1]}}`;
    const files = fixtureFiles();
    setSampleEvents(s, files);
    assert.equal(hints(s, PATTERN_FILE, text).length, 1);
    // A new sample that has `totl`: the path is known now.
    const withTotl = JSON.stringify({
      source: 'com.example.orders',
      'detail-type': 'Order Placed',
      detail: { totl: 1 },
    });
    setSampleEvents(s, [...files, { name: 'events/orders/odd.json', text: withTotl }]);
    assert.deepEqual(hints(s, PATTERN_FILE, text), []);
  });
});

describe('events seen by the local bus, and schema registries', () => {
  const placed = (detail: unknown) => ({
    version: '0',
    id: 'x',
    source: 'com.example.shop',
    'detail-type': 'Basket Updated',
    account: '000000000000',
    time: '2026-12-05T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  });

  test('observed events are learned like sample files, and said to come from the local bus', () => {
    const s = getLanguageService();
    const kept = addObservedEvents(s, [
      placed({ basketId: 'b1', lines: 2 }),
      placed({ basketId: 'b2', lines: 5 }),
      placed({ basketId: 'b3', lines: 1 }),
      'not an event',
    ]);
    assert.equal(kept, 3);
    const text = '{"source": ["com.example.shop"], "detail": {"line": [{"numeric": [">", 1]}]}}';
    const [hint] = hints(s, PATTERN_FILE, text);
    assert.match(
      hint.message,
      /has detail\.line: did you mean detail\.lines\? \(3 sample events .*: 3 seen by the local bus\)/,
    );
    assert.ok(complete(s, PATTERN_FILE, '{"source": ["com.example.shop"], "detail": {|}}').labels.includes('basketId'));
    assert.deepEqual(customSourcesOf(s, [doc(PATTERN_FILE, '{"source": ["com.example.billing", "aws.s3"]}')]), [
      'com.example.billing',
      'com.example.shop',
    ]);
  });

  test('observed events are bounded per (source, detail-type)', () => {
    const s = getLanguageService();
    for (let i = 0; i < 100; i++) addObservedEvents(s, [placed({ n: i })]);
    const text = '{"source": ["com.example.shop"], "detail": {"m": [1]}}';
    assert.match(hints(s, PATTERN_FILE, text)[0].message, /\(20 sample events/);
  });

  test('a registry schema completes and hovers, but gives no EB520 (a schema is not a sample)', () => {
    const s = getLanguageService();
    const schema: LearnedSchema = {
      source: 'com.example.billing',
      detailType: 'Invoice Issued',
      samples: 0,
      origin: {
        kind: 'registry',
        registryName: 'billing-events',
        schemaName: 'com.example.billing@InvoiceIssued',
        version: '3',
      },
      fields: [
        { path: 'invoiceId', types: ['string'], examples: [], moreValues: false, seen: 0, always: true },
        {
          path: 'state',
          types: ['string'],
          examples: ['DRAFT', 'ISSUED'],
          moreValues: false,
          seen: 0,
          always: false,
          enumLike: true,
        },
      ],
      truncated: false,
    };
    assert.equal(setRegistrySchemas(s, [schema, { not: 'a schema' }], '2026-12-05T03:00:00Z'), 1);
    const pattern = '{"source": ["com.example.billing"], "detail": {|}}';
    assert.deepEqual(complete(s, PATTERN_FILE, pattern).labels.sort(), ['$or', 'invoiceId', 'state']);
    const values = complete(s, PATTERN_FILE, '{"source": ["com.example.billing"], "detail": {"state": [|]}}');
    assert.ok(values.labels.includes('ISSUED'));
    const h = hover(s, PATTERN_FILE, '{"source": ["com.example.billing"], "detail": {"sta|te": ["DRAFT"]}}');
    assert.match(h ?? '', /`string`/);
    assert.match(
      h ?? '',
      /From the schema com\.example\.billing@InvoiceIssued version 3 of registry billing-events \(read 2026-12-05T03:00:00Z\)\./,
    );
    assert.deepEqual(hints(s, PATTERN_FILE, '{"source": ["com.example.billing"], "detail": {"stat": ["x"]}}'), []);
  });
});
