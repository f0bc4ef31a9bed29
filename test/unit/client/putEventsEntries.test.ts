import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_MAX_REQUEST_BYTES,
  checkPutEventsEntries,
  entriesFromJson,
  entrySize,
  withBus,
  type PutEventsEntry,
} from '../../../client/src/aws/putEventsEntries';

const ok: PutEventsEntry = { Source: 'shop', DetailType: 'OrderCreated', Detail: '{"total":1}' };

describe('entrySize (PROTOCOL.md section 6)', () => {
  it('counts the UTF-8 bytes of Source, DetailType, Detail and Resources, plus 14 for Time', () => {
    assert.equal(entrySize(ok), 4 + 12 + 11);
    assert.equal(entrySize({ ...ok, Time: new Date(0) }), 4 + 12 + 11 + 14);
    assert.equal(entrySize({ ...ok, Resources: ['ab', 'é'] }), 4 + 12 + 11 + 2 + 2);
    assert.equal(entrySize({ Source: '€' }), 3);
    // Fields that do not count: the bus, the trace header.
    assert.equal(entrySize({ ...ok, EventBusName: 'very-long-bus-name', TraceHeader: 'x' }), 27);
  });
});

describe('checkPutEventsEntries', () => {
  it('accepts 1 to 10 good entries', () => {
    assert.deepEqual(checkPutEventsEntries([ok]), []);
    assert.deepEqual(checkPutEventsEntries(Array(10).fill(ok)), []);
  });

  it('rejects 0 and 11 entries', () => {
    assert.match(checkPutEventsEntries([])[0].message, /no entries/);
    const eleven = checkPutEventsEntries(Array(11).fill(ok));
    assert.equal(eleven.length, 1);
    assert.equal(eleven[0].field, 'Entries');
    assert.match(eleven[0].message, /11 entries.*at most 10/);
  });

  it('applies the size limit to the total, at exactly the limit and one byte over', () => {
    const base = entrySize({ Source: 's', DetailType: 'd', Detail: '{"a":""}' });
    const fill = (total: number): PutEventsEntry => ({
      Source: 's',
      DetailType: 'd',
      Detail: `{"a":"${'x'.repeat(total - base)}"}`,
    });
    assert.deepEqual(checkPutEventsEntries([fill(DEFAULT_MAX_REQUEST_BYTES)]), []);
    const over = checkPutEventsEntries([fill(DEFAULT_MAX_REQUEST_BYTES + 1)]);
    assert.equal(over.length, 1);
    assert.match(over[0].message, /262145 bytes.*limit is 262144/);
    // Summed over entries.
    const half = fill(DEFAULT_MAX_REQUEST_BYTES / 2);
    assert.equal(checkPutEventsEntries([half, half]).length, 0);
    assert.equal(checkPutEventsEntries([half, half, ok]).length, 1);
  });

  it('takes a configured limit (1 MB accounts)', () => {
    const big: PutEventsEntry = { ...ok, Detail: `{"a":"${'x'.repeat(300_000)}"}` };
    assert.equal(checkPutEventsEntries([big]).length, 1);
    assert.deepEqual(checkPutEventsEntries([big], { maxRequestBytes: 1024 * 1024 }), []);
  });

  it('requires Source, DetailType and Detail on every entry, naming the entry', () => {
    const problems = checkPutEventsEntries([ok, { Source: '', DetailType: 'x' }]);
    assert.deepEqual(
      problems.map((p) => [p.index, p.field]),
      [
        [1, 'Source'],
        [1, 'Detail'],
      ],
    );
    assert.match(problems[0].message, /^Entry 2: Source is required/);
  });

  it('requires Detail to be a JSON object', () => {
    for (const [detail, why] of [
      ['[1]', /an array/],
      ['"text"', /not string/],
      ['null', /not null/],
      ['12', /not number/],
      ['{oops', /not valid JSON/],
    ] as const) {
      const problems = checkPutEventsEntries([{ ...ok, Detail: detail }]);
      assert.equal(problems.length, 1, detail);
      assert.equal(problems[0].field, 'Detail');
      assert.match(problems[0].message, why);
    }
  });

  it('limits DetailType to 128 characters, resources to 2048, nesting to 1000 levels', () => {
    assert.equal(checkPutEventsEntries([{ ...ok, DetailType: 'd'.repeat(128) }]).length, 0);
    assert.equal(checkPutEventsEntries([{ ...ok, DetailType: 'd'.repeat(129) }])[0].field, 'DetailType');
    assert.equal(checkPutEventsEntries([{ ...ok, Resources: ['r'.repeat(2049)] }])[0].field, 'Resources');
    const deep = `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`;
    assert.equal(checkPutEventsEntries([{ ...ok, Detail: deep }]).length, 0);
    const deeper = `${'{"a":'.repeat(1001)}1${'}'.repeat(1001)}`;
    assert.match(checkPutEventsEntries([{ ...ok, Detail: deeper }])[0].message, /deeper than 1000/);
  });

  it('reports every problem, not just the first', () => {
    const problems = checkPutEventsEntries([...Array<PutEventsEntry>(11).fill(ok), { Detail: '[]' }]);
    assert.ok(problems.length >= 4);
  });
});

describe('entriesFromJson', () => {
  it('reads an event envelope as EventBridge delivers it', () => {
    const r = entriesFromJson(
      JSON.stringify({
        version: '0',
        id: 'x',
        'detail-type': 'Object Created',
        source: 'aws.s3',
        account: '1',
        time: '2026-01-02T03:04:05Z',
        region: 'us-east-1',
        resources: ['arn:aws:s3:::b'],
        detail: { bucket: { name: 'b' } },
      }),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.entries, [
      {
        Source: 'aws.s3',
        DetailType: 'Object Created',
        Detail: '{"bucket":{"name":"b"}}',
        Resources: ['arn:aws:s3:::b'],
        Time: new Date('2026-01-02T03:04:05Z'),
      },
    ]);
  });

  it('reads PutEvents entries (Detail as text or as an object), a request and a list', () => {
    const single = entriesFromJson('{"Source":"s","DetailType":"d","Detail":{"a":1},"EventBusName":"b"}');
    assert.ok(single.ok);
    assert.deepEqual(single.entries, [{ Source: 's', DetailType: 'd', Detail: '{"a":1}', EventBusName: 'b' }]);
    const request = entriesFromJson(
      '{"Entries":[{"Source":"s","DetailType":"d","Detail":"{}"},{"source":"t","detail-type":"e","detail":{}}]}',
    );
    assert.ok(request.ok);
    assert.equal(request.entries.length, 2);
    assert.equal(request.entries[1].Source, 't');
    const list = entriesFromJson('[{"source":"a","detail-type":"b","detail":{}}]');
    assert.ok(list.ok && list.entries.length === 1);
  });

  it('says when the JSON is a pattern, not an event, or not an event at all', () => {
    const pattern = entriesFromJson('{"source":["aws.s3"],"detail-type":["Object Created"]}');
    assert.ok(!pattern.ok);
    assert.match(pattern.message, /looks like an event pattern/);
    const other = entriesFromJson('{"hello":1}');
    assert.ok(!other.ok && /not an event/.test(other.message));
    const bad = entriesFromJson('{');
    assert.ok(!bad.ok && /not valid JSON/.test(bad.message));
    const item = entriesFromJson('[{"source":"a","detail-type":"b","detail":{}}, 3]');
    assert.ok(!item.ok && /Item 2 is not a JSON object/.test(item.message));
  });

  it('sets the chosen bus on entries that name none', () => {
    assert.deepEqual(
      withBus([ok, { ...ok, EventBusName: 'other' }], 'orders').map((e) => e.EventBusName),
      ['orders', 'other'],
    );
  });
});
