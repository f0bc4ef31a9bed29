// Schema inference on our own sample events (test/fixtures/learned-events: orders and payments of a shop), and its
// bounds on hostile input.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_INFERENCE_LIMITS,
  fieldAt,
  fieldsBelow,
  inferSchemas,
  stringFormatOf,
  type LearnedSchema,
  type SampleInput,
} from '../../../server/src/schemas';
import { repoRoot } from '../repoPaths';

const EVENTS = join(repoRoot, 'test/fixtures/learned-events/events');

function fixtureInputs(): SampleInput[] {
  const inputs: SampleInput[] = [];
  for (const dir of readdirSync(EVENTS).sort()) {
    for (const name of readdirSync(join(EVENTS, dir)).sort()) {
      const parsed: unknown = JSON.parse(readFileSync(join(EVENTS, dir, name), 'utf8'));
      const file = `events/${dir}/${name}`;
      for (const event of Array.isArray(parsed) ? parsed : [parsed]) inputs.push({ event, file });
    }
  }
  return inputs;
}

function schemaOf(schemas: readonly LearnedSchema[], source: string, detailType: string): LearnedSchema {
  const found = schemas.find((s) => s.source === source && s.detailType === detailType);
  assert.ok(found, `${source} / ${detailType}`);
  return found;
}

function field(schema: LearnedSchema, path: string) {
  const f = schema.fields.find((x) => x.path === path);
  assert.ok(f, path);
  return f;
}

describe('schema inference on the fixtures', () => {
  const { schemas, skipped } = inferSchemas(fixtureInputs());

  test('one schema per (source, detail-type), with its sample count and files', () => {
    assert.equal(skipped, 0);
    assert.deepEqual(
      schemas.map((s) => [s.source, s.detailType, s.samples]),
      [
        ['com.example.orders', 'Order Placed', 4],
        ['com.example.orders', 'Order Shipped', 1],
        ['com.example.payments', 'Payment Authorized', 5],
      ],
    );
    const placed = schemaOf(schemas, 'com.example.orders', 'Order Placed');
    assert.deepEqual(placed.origin, {
      kind: 'samples',
      files: ['events/orders/placed-batch.json', 'events/orders/placed-gift.json', 'events/orders/placed-gold.json'],
      moreFiles: 0,
      localBus: 0,
    });
    assert.equal(placed.truncated, false);
  });

  test('paths below detail, nested objects and the fields of array elements', () => {
    const placed = schemaOf(schemas, 'com.example.orders', 'Order Placed');
    assert.deepEqual(
      placed.fields.map((f) => f.path),
      [
        'clientIp',
        'couponCode',
        'currency',
        'customer',
        'customer.email',
        'customer.id',
        'customer.tier',
        'items',
        'items.giftWrap',
        'items.price',
        'items.quantity',
        'items.sku',
        'orderId',
        'placedAt',
        'status',
        'total',
      ],
    );
    assert.deepEqual(field(placed, 'items').types, ['array']);
    assert.deepEqual(field(placed, 'items').itemTypes, ['object']);
    assert.deepEqual(field(placed, 'customer').types, ['object']);
    assert.deepEqual(field(placed, 'items.quantity').types, ['number']);
    const shipped = schemaOf(schemas, 'com.example.orders', 'Order Shipped');
    // An array of strings: its elements are the examples.
    assert.deepEqual(field(shipped, 'trackingNumbers').itemTypes, ['string']);
    assert.deepEqual(field(shipped, 'trackingNumbers').examples, ['JD0001', 'JD0002']);
  });

  test('how many samples have each field, and whether all do', () => {
    const placed = schemaOf(schemas, 'com.example.orders', 'Order Placed');
    assert.equal(field(placed, 'orderId').seen, 4);
    assert.equal(field(placed, 'orderId').always, true);
    // Optional: two orders have a coupon (one of them null), two have none.
    assert.equal(field(placed, 'couponCode').seen, 2);
    assert.equal(field(placed, 'couponCode').always, false);
    assert.deepEqual(field(placed, 'couponCode').types, ['null', 'string']);
    // Counted once per event, however many items have it.
    assert.equal(field(placed, 'items.sku').seen, 4);
    assert.equal(field(placed, 'items.giftWrap').seen, 1);
    const payments = schemaOf(schemas, 'com.example.payments', 'Payment Authorized');
    assert.equal(field(payments, 'card.brand').seen, 3);
    assert.equal(field(payments, 'card').always, false);
  });

  test('numbers, numbers written as strings, timestamps and IP addresses', () => {
    const placed = schemaOf(schemas, 'com.example.orders', 'Order Placed');
    assert.deepEqual(field(placed, 'total').types, ['number']);
    assert.deepEqual(field(placed, 'total').examples, [15, 64.5, 240, 129.9]); // in file order
    assert.equal(field(placed, 'total').format, undefined);
    assert.equal(field(placed, 'items.price').format, 'number-string');
    assert.equal(field(placed, 'placedAt').format, 'timestamp');
    assert.equal(field(placed, 'clientIp').format, 'ip'); // IPv4 and IPv6 alike
    const payments = schemaOf(schemas, 'com.example.payments', 'Payment Authorized');
    assert.equal(field(payments, 'amount').format, 'number-string');
    assert.equal(field(payments, 'authorizedAt').format, 'timestamp');
    assert.equal(field(payments, 'orderId').format, undefined);
  });

  test('enum-like strings: few distinct values over many samples; ids are not', () => {
    const placed = schemaOf(schemas, 'com.example.orders', 'Order Placed');
    assert.equal(field(placed, 'status').enumLike, true);
    assert.deepEqual(field(placed, 'status').examples, ['PLACED']);
    assert.equal(field(placed, 'currency').enumLike, true);
    assert.deepEqual(field(placed, 'currency').examples, ['USD', 'EUR']);
    assert.equal(field(placed, 'orderId').enumLike, undefined);
    // 3 distinct tiers over 4 orders: not repeated enough to call it an enum yet.
    assert.equal(field(placed, 'customer.tier').enumLike, undefined);
    const payments = schemaOf(schemas, 'com.example.payments', 'Payment Authorized');
    assert.equal(field(payments, 'method').enumLike, true);
    assert.deepEqual(field(payments, 'method').examples, ['card', 'paypal']);
    // Timestamps are never an enum, however few.
    assert.equal(field(payments, 'authorizedAt').enumLike, undefined);
  });

  test('look-ups: the fields below a path, and one field with the schemas that have it', () => {
    const orders = schemas.filter((s) => s.source === 'com.example.orders');
    assert.deepEqual(
      fieldsBelow(orders, ['customer']).map((f) => f.name),
      ['email', 'id', 'tier'],
    );
    const top = fieldsBelow(orders, []);
    assert.equal(top.find((f) => f.name === 'orderId')?.schemas.length, 2);
    assert.equal(top.find((f) => f.name === 'items')?.hasChildren, true);
    assert.equal(top.find((f) => f.name === 'total')?.hasChildren, false);
    assert.equal(fieldAt(orders, ['items', 'sku'])?.field.types[0], 'string');
    assert.equal(fieldAt(orders, ['items', 'nope']), undefined);
  });
});

describe('schema inference input', () => {
  test('PutEvents entries (Source, DetailType, Detail as JSON text) count as events; other values are skipped', () => {
    const { schemas, skipped } = inferSchemas([
      { event: { Source: 'com.example.a', DetailType: 'T', Detail: '{"n": 1}' }, localBus: true },
      { event: { source: 'com.example.a', 'detail-type': 'T', detail: { n: 2, s: 'x' } } },
      { event: [1, 2] },
      { event: 'text' },
      { event: { source: 'no detail-type' } },
    ]);
    assert.equal(skipped, 3);
    assert.equal(schemas.length, 1);
    assert.equal(schemas[0].samples, 2);
    assert.deepEqual(schemas[0].origin, { kind: 'samples', files: [], moreFiles: 0, localBus: 1 });
    assert.deepEqual(
      schemas[0].fields.map((f) => [f.path, f.seen]),
      [
        ['n', 2],
        ['s', 1],
      ],
    );
  });

  test('string formats', () => {
    assert.equal(stringFormatOf('10.0.0.1'), 'ip');
    assert.equal(stringFormatOf('fe80::1'), 'ip');
    assert.equal(stringFormatOf('2001:0db8:0000:0000:0000:ff00:0042:8329'), 'ip');
    assert.equal(stringFormatOf('256.1.1.1'), undefined);
    assert.equal(stringFormatOf('2026-12-05T04:00:00Z'), 'timestamp');
    assert.equal(stringFormatOf('2026-12-05T04:00:00.123+01:00'), 'timestamp');
    assert.equal(stringFormatOf('2026-13-45T99:00:00Z'), undefined);
    assert.equal(stringFormatOf('-12.5'), 'number-string');
    assert.equal(stringFormatOf('1e3'), 'number-string');
    assert.equal(stringFormatOf('007'), undefined);
    assert.equal(stringFormatOf(' 5'), undefined);
    assert.equal(stringFormatOf('12:30'), undefined);
  });
});

describe('schema inference bounds', () => {
  const event = (detail: unknown) => ({ source: 'com.example.x', 'detail-type': 'T', detail });

  test('deep nesting stops at the depth limit, without recursion', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const { schemas } = inferSchemas([{ event: event(deep) }]);
    assert.equal(schemas[0].truncated, true);
    assert.equal(schemas[0].fields.length, DEFAULT_INFERENCE_LIMITS.maxDepth);
  });

  test('many keys, many paths and long arrays are capped', () => {
    const wide: Record<string, number> = {};
    for (let i = 0; i < 50_000; i++) wide[`k${i}`] = i;
    const items = Array.from({ length: 100_000 }, (_, i) => ({ [`f${i}`]: i }));
    const { schemas } = inferSchemas([{ event: event(wide) }, { event: event({ items }) }]);
    assert.equal(schemas[0].truncated, true);
    assert.ok(schemas[0].fields.length <= DEFAULT_INFERENCE_LIMITS.maxPaths);
  });

  test('distinct values and long strings: a few examples are kept, and it says there are more', () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => ({
      event: event({ id: `id-${i}`, blob: 'x'.repeat(10_000 + i) }),
    }));
    const { schemas } = inferSchemas(inputs);
    const id = schemas[0].fields.find((f) => f.path === 'id')!;
    assert.equal(id.examples.length, DEFAULT_INFERENCE_LIMITS.maxExamples);
    assert.equal(id.moreValues, true);
    assert.equal(id.seen, 1000);
    assert.equal(id.enumLike, undefined);
    const blob = schemas[0].fields.find((f) => f.path === 'blob')!;
    assert.deepEqual(blob.examples, []);
    assert.deepEqual(blob.types, ['string']);
  });

  test('(source, detail-type) pairs beyond the limit are skipped', () => {
    const inputs = Array.from({ length: 30 }, (_, i) => ({
      event: { source: 'com.example.many', 'detail-type': `T${i}`, detail: {} },
    }));
    const { schemas, skipped } = inferSchemas(inputs, { ...DEFAULT_INFERENCE_LIMITS, maxSchemas: 10 });
    assert.equal(schemas.length, 10);
    assert.equal(skipped, 20);
  });
});
