// A schema registry's schema (OpenAPI 3 or JSON Schema draft 4, as EventBridge stores them) as a learned schema.
// The documents are our own, written in the shape the registry uses: the event under `components.schemas.AWSEvent`
// with the `x-amazon-events-*` extensions, the detail behind a `$ref`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaFromRegistryContent, type LearnedSchema } from '../../../server/src/schemas';

const ENVELOPE_PROPERTIES = {
  account: { type: 'string' },
  'detail-type': { type: 'string' },
  id: { type: 'string' },
  region: { type: 'string' },
  resources: { type: 'array', items: { type: 'string' } },
  source: { type: 'string' },
  time: { type: 'string', format: 'date-time' },
  version: { type: 'string' },
};

const OPENAPI = {
  openapi: '3.0.0',
  info: { version: '1.0.0', title: 'OrderPlaced' },
  paths: {},
  components: {
    schemas: {
      AWSEvent: {
        type: 'object',
        required: ['detail-type', 'resources', 'detail', 'id', 'source', 'time', 'region', 'version', 'account'],
        'x-amazon-events-detail-type': 'Order Placed',
        'x-amazon-events-source': 'com.example.orders',
        properties: { detail: { $ref: '#/components/schemas/OrderPlaced' }, ...ENVELOPE_PROPERTIES },
      },
      OrderPlaced: {
        type: 'object',
        required: ['orderId', 'total', 'customer'],
        properties: {
          orderId: { type: 'string' },
          total: { type: 'number' },
          quantity: { type: 'integer' },
          status: { type: 'string', enum: ['PLACED', 'CANCELLED'] },
          placedAt: { type: 'string', format: 'date-time' },
          clientIp: { type: 'string', format: 'ipv4' },
          customer: { $ref: '#/components/schemas/Customer' },
          items: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
          tags: { type: 'array', items: { type: 'string', enum: ['gift', 'express'] } },
          note: { type: 'string', nullable: true },
        },
      },
      Customer: {
        allOf: [
          { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
          { properties: { tier: { type: 'string' }, referredBy: { $ref: '#/components/schemas/Customer' } } },
        ],
      },
      Item: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' }, price: { type: 'string' } } },
    },
  },
};

const DRAFT4 = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'PaymentAuthorized',
  type: 'object',
  'x-amazon-events-source': 'com.example.payments',
  'x-amazon-events-detail-type': 'Payment Authorized',
  properties: { detail: { $ref: '#/definitions/PaymentAuthorized' }, ...ENVELOPE_PROPERTIES },
  definitions: {
    PaymentAuthorized: {
      type: 'object',
      required: ['amount'],
      properties: {
        amount: { type: 'string' },
        method: { type: 'string', enum: ['card', 'paypal'] },
        card: { type: ['object', 'null'], properties: { last4: { type: 'string' } } },
      },
    },
  },
};

function convert(doc: unknown, schemaName: string): LearnedSchema {
  const r = schemaFromRegistryContent(JSON.stringify(doc), { registryName: 'shop', schemaName, version: '2' });
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.schema;
}

const byPath = (s: LearnedSchema) => new Map(s.fields.map((f) => [f.path, f]));

describe('registry schemas as learned schemas', () => {
  test('OpenAPI 3: source and detail-type from the extensions, the detail behind $ref, allOf merged', () => {
    const s = convert(OPENAPI, 'com.example.orders@OrderPlaced');
    assert.equal(s.source, 'com.example.orders');
    assert.equal(s.detailType, 'Order Placed');
    assert.equal(s.samples, 0);
    assert.deepEqual(s.origin, {
      kind: 'registry',
      registryName: 'shop',
      schemaName: 'com.example.orders@OrderPlaced',
      version: '2',
    });
    const f = byPath(s);
    assert.deepEqual(
      [...f.keys()],
      [
        'clientIp',
        'customer',
        'customer.id',
        'customer.referredBy',
        'customer.tier',
        'items',
        'items.price',
        'items.sku',
        'note',
        'orderId',
        'placedAt',
        'quantity',
        'status',
        'tags',
        'total',
      ],
    );
    // A $ref cycle (a customer referred by a customer) stops where it repeats: the field, not its fields again.
    assert.equal(s.truncated, false);
    assert.deepEqual(f.get('customer.referredBy')?.types, ['object']);
    assert.deepEqual(f.get('quantity')?.types, ['number']);
    assert.deepEqual(f.get('note')?.types, ['null', 'string']);
    assert.deepEqual([f.get('status')?.examples, f.get('status')?.enumLike], [['PLACED', 'CANCELLED'], true]);
    assert.deepEqual([f.get('tags')?.itemTypes, f.get('tags')?.examples], [['string'], ['gift', 'express']]);
    assert.deepEqual(f.get('items')?.itemTypes, ['object']);
    assert.equal(f.get('placedAt')?.format, 'timestamp');
    assert.equal(f.get('clientIp')?.format, 'ip');
    // Required all the way down: always there.
    assert.equal(f.get('orderId')?.always, true);
    assert.equal(f.get('customer.id')?.always, true);
    assert.equal(f.get('customer.tier')?.always, false);
    assert.equal(f.get('items.sku')?.always, false, 'items are optional, so their fields are');
  });

  test('JSON Schema draft 4: the event at the root, the detail in definitions', () => {
    const s = convert(DRAFT4, 'com.example.payments@PaymentAuthorized');
    assert.equal(s.source, 'com.example.payments');
    assert.equal(s.detailType, 'Payment Authorized');
    const f = byPath(s);
    assert.deepEqual([...f.keys()], ['amount', 'card', 'card.last4', 'method']);
    assert.deepEqual(f.get('card')?.types, ['null', 'object']);
    assert.equal(f.get('amount')?.always, true);
  });

  test('without the extensions, the schema name gives source and detail-type', () => {
    const bare = { ...DRAFT4 } as Record<string, unknown>;
    delete bare['x-amazon-events-source'];
    delete bare['x-amazon-events-detail-type'];
    const s = convert(bare, 'com.example.payments@PaymentAuthorized');
    assert.deepEqual([s.source, s.detailType], ['com.example.payments', 'PaymentAuthorized']);
  });

  test('what cannot be read says why', () => {
    const bad = (content: string, name = 'x') =>
      schemaFromRegistryContent(content, { registryName: 'r', schemaName: name });
    assert.deepEqual(bad('{'), { ok: false, reason: bad('{').ok ? '' : (bad('{') as { reason: string }).reason });
    assert.match((bad('{') as { reason: string }).reason, /^the schema is not JSON/);
    assert.deepEqual(bad('[1]'), { ok: false, reason: 'the schema is not a JSON object' });
    assert.match((bad('{"type": "object"}') as { reason: string }).reason, /names no source and detail-type/);
  });

  test('hostile documents are bounded: deep nesting, a $ref chain, huge property lists', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 1000; i++) deep = { type: 'object', properties: { a: deep } };
    const s = convert({ ...DRAFT4, definitions: { PaymentAuthorized: deep } }, 'a@b');
    assert.equal(s.truncated, true);
    assert.ok(s.fields.length <= 12);
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) properties[`p${i}`] = { type: 'string' };
    const wide = convert({ ...DRAFT4, definitions: { PaymentAuthorized: { type: 'object', properties } } }, 'a@b');
    assert.equal(wide.truncated, true);
    assert.ok(wide.fields.length <= 500);
    const loop = convert(
      {
        ...DRAFT4,
        definitions: { PaymentAuthorized: { $ref: '#/definitions/B' }, B: { $ref: '#/definitions/PaymentAuthorized' } },
      },
      'a@b',
    );
    assert.deepEqual(loop.fields, []);
  });
});
