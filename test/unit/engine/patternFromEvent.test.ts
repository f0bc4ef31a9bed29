// Pattern from an event: the fields listed, each operator's condition, the check that the built pattern matches its
// event, and merging into an existing pattern. Property tests round-trip generated events through every operator
// kind (the pattern must match the event, by the engine and by the independent simple matcher), and move the chosen
// value just outside what the operator accepts (the pattern must then not match). Seeded, so CI is deterministic.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  compilePattern,
  eventFields,
  matchesEvent,
  mergePatternInto,
  patternFromEvent,
  type EventField,
  type FieldChoice,
  type PatternOperator,
} from '../../../server/src/engine/index';
import { simpleMatches } from './simpleMatcher';

const SEED = Number(process.env.FC_SEED ?? 1405);
const RUNS = Number(process.env.FC_RUNS ?? 150);

const s3Event = {
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '123456789012',
  time: '2021-11-12T00:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:s3:::example-bucket'],
  detail: {
    bucket: { name: 'example-bucket' },
    object: { key: 'photos/2021/cat.JPG', size: 1234, etag: 'b1946ac92492d2347c6235b4d2611184' },
    'source-ip-address': '203.0.113.15',
    requester: '123456789012',
    items: [
      { name: 'a', qty: 1 },
      { name: 'b', qty: 2 },
    ],
    flag: true,
    none: null,
  },
};

function build(choices: FieldChoice[], event: unknown = s3Event): Record<string, unknown> {
  const r = patternFromEvent(event, choices);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.pattern;
}

function matches(pattern: unknown, event: unknown): boolean {
  const c = compilePattern(JSON.stringify(pattern));
  assert.ok(c.ok, c.ok ? '' : c.error.message);
  return matchesEvent(c.pattern, event);
}

describe('eventFields', () => {
  it('lists leaves by dotted path, source and detail-type first, then document order', () => {
    const paths = eventFields(s3Event).map((f) => f.path);
    assert.deepEqual(paths.slice(0, 4), ['source', 'detail-type', 'version', 'id']);
    assert.ok(paths.includes('detail.object.key'));
    assert.ok(!paths.includes('detail.object'), 'objects are not leaves');
  });

  it('gives a field inside an array of objects one path with every element as an occurrence', () => {
    const f = eventFields(s3Event).find((x) => x.path === 'detail.items.name')!;
    assert.deepEqual(
      f.leaves.map((l) => l.value),
      ['a', 'b'],
    );
    assert.deepEqual(f.leaves[1].location, ['detail', 'items', 1, 'name']);
    const resources = eventFields(s3Event).find((x) => x.path === 'resources')!;
    assert.equal(resources.leaves.length, 1);
  });

  it('offers the operators that fit each value', () => {
    const ops = (path: string): readonly PatternOperator[] =>
      eventFields(s3Event).find((f) => f.path === path)!.operators;
    assert.ok(ops('detail.source-ip-address').includes('cidr'));
    assert.ok(!ops('detail.object.key').includes('cidr'));
    assert.ok(ops('detail.object.size').includes('numeric'));
    assert.ok(!ops('detail.object.size').includes('prefix'));
    assert.deepEqual(ops('detail.flag'), ['exact', 'exists']);
    assert.deepEqual(ops('detail.none'), ['exact', 'exists']);
    // Pipes take no wildcard.
    const pipes = eventFields(s3Event, 'pipes').find((f) => f.path === 'detail.object.key')!;
    assert.ok(!pipes.operators.includes('wildcard'));
  });
});

describe('patternFromEvent', () => {
  it('defaults to source and detail-type, exactly', () => {
    const r = patternFromEvent(s3Event);
    assert.ok(r.ok);
    assert.deepEqual(r.pattern, { source: ['aws.s3'], 'detail-type': ['Object Created'] });
  });

  it('writes each operator with a value made from the event', () => {
    const p = build([
      { path: 'detail.object.key', operator: 'prefix' },
      { path: 'detail.object.etag', operator: 'exists' },
      { path: 'detail.object.size', operator: 'numeric' },
      { path: 'detail.source-ip-address', operator: 'cidr' },
      { path: 'detail.bucket.name', operator: 'equals-ignore-case' },
      { path: 'detail.requester', operator: 'anything-but', argument: '111122223333,444455556666' },
    ]);
    assert.deepEqual(p, {
      detail: {
        object: {
          key: [{ prefix: 'photos/2021/' }],
          etag: [{ exists: true }],
          size: [{ numeric: ['>=', 1000, '<', 2000] }],
        },
        'source-ip-address': [{ cidr: '203.0.113.0/24' }],
        bucket: { name: [{ 'equals-ignore-case': 'example-bucket' }] },
        requester: [{ 'anything-but': ['111122223333', '444455556666'] }],
      },
    });
    assert.deepEqual(build([{ path: 'detail.object.key', operator: 'suffix' }]), {
      detail: { object: { key: [{ suffix: '.JPG' }] } },
    });
    assert.deepEqual(build([{ path: 'detail.object.key', operator: 'suffix-ignore-case', argument: '.jpg' }]), {
      detail: { object: { key: [{ suffix: { 'equals-ignore-case': '.jpg' } }] } },
    });
    assert.deepEqual(build([{ path: 'detail.object.key', operator: 'wildcard' }]), {
      detail: { object: { key: [{ wildcard: 'photos/2021/*' }] } },
    });
    assert.deepEqual(build([{ path: 'detail.object.size', operator: 'numeric', argument: '1000..' }]), {
      detail: { object: { size: [{ numeric: ['>=', 1000] }] } },
    });
    assert.deepEqual(build([{ path: 'detail.object.size', operator: 'numeric', argument: '1234' }]), {
      detail: { object: { size: [{ numeric: ['=', 1234] }] } },
    });
    assert.deepEqual(build([{ path: 'detail.source-ip-address', operator: 'cidr', argument: '/16' }]), {
      detail: { 'source-ip-address': [{ cidr: '203.0.0.0/16' }] },
    });
  });

  it('refuses an argument the event does not satisfy, instead of writing a pattern that does not match', () => {
    const refused = (choice: FieldChoice): string => {
      const r = patternFromEvent(s3Event, [choice]);
      assert.ok(!r.ok, `expected a refusal for ${JSON.stringify(choice)}`);
      return r.message;
    };
    assert.match(
      refused({ path: 'detail.object.key', operator: 'prefix', argument: 'videos/' }),
      /does not start with/,
    );
    assert.match(refused({ path: 'detail.object.size', operator: 'numeric', argument: '1..10' }), /outside/);
    assert.match(
      refused({ path: 'detail.requester', operator: 'anything-but', argument: '123456789012' }),
      /among the excluded/,
    );
    assert.match(refused({ path: 'detail.requester', operator: 'anything-but' }), /needs the values to exclude/);
    assert.match(refused({ path: 'detail.object.key', operator: 'cidr' }), /IP addresses/);
    assert.match(refused({ path: 'detail.object.key', operator: 'numeric' }), /numbers/);
    assert.match(
      refused({ path: 'detail.source-ip-address', operator: 'cidr', argument: '10.0.0.0/8' }),
      /does not match/,
    );
    assert.match(refused({ path: 'detail.nothing' }), /no field detail\.nothing/);
    assert.match(refused({ path: 'detail.object' }), /not a leaf/);
    assert.match(refused({ path: 'detail.object.key', operator: 'wildcard', argument: 'a**' }), /not valid/);
    const notObject = patternFromEvent([1, 2], [{ path: 'source' }]);
    assert.ok(!notObject.ok);
  });

  it('takes fields of one array element together, as EventBridge requires', () => {
    const p = build([{ path: 'detail.items.name', occurrence: 1 }, { path: 'detail.items.qty' }]);
    assert.deepEqual(p, { detail: { items: { name: ['b'], qty: [2] } } });
    // Asked for occurrences from different elements: refused, with the engine's reason.
    const r = patternFromEvent(s3Event, [
      { path: 'detail.items.name', occurrence: 0 },
      { path: 'detail.items.qty', occurrence: 1 },
    ]);
    assert.ok(!r.ok);
    assert.match(r.message, /does not match the event/);
  });

  it('writes an IPv6 network and keys holding dots', () => {
    const event = { source: 'x', detail: { ip: '2001:db8:85a3::8a2e:370:7334', 'a.b': 'v' } };
    assert.deepEqual(build([{ path: 'detail.ip', operator: 'cidr' }], event), {
      detail: { ip: [{ cidr: '2001:db8:85a3::/64' }] },
    });
    const p = build([{ path: 'detail.a.b' }], event);
    assert.ok(matches(p, event));
    assert.ok(!matches(p, { source: 'x', detail: { 'a.b': 'w' } }));
  });
});

describe('mergePatternInto', () => {
  const other = {
    ...s3Event,
    source: 'aws.ec2',
    'detail-type': 'EC2 Instance State-change Notification',
    detail: { state: 'running' },
  };

  it('appends the event’s conditions to fields the pattern names and adds the others', () => {
    const existing = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] };
    const generated = build([{ path: 'source' }, { path: 'detail.object.key', operator: 'prefix' }]);
    const r = mergePatternInto(existing, generated, s3Event);
    assert.ok(!r.ok, 'the existing detail-type rejects the S3 event');
    assert.match(r.message, /detail-type/);
    const both = build([{ path: 'source' }, { path: 'detail-type' }]);
    const merged = mergePatternInto(existing, both, s3Event);
    assert.ok(merged.ok);
    assert.deepEqual(merged.pattern, {
      source: ['aws.ec2', 'aws.s3'],
      'detail-type': ['EC2 Instance State-change Notification', 'Object Created'],
    });
    assert.ok(matches(merged.pattern, other) && matches(merged.pattern, s3Event));
    assert.deepEqual(existing.source, ['aws.ec2'], 'the existing pattern value is not changed');
  });

  it('does not repeat a condition already there, and follows keys written with dots', () => {
    const existing = { source: ['aws.s3'], 'detail.object.key': [{ prefix: 'docs/' }] };
    const generated = build([{ path: 'source' }, { path: 'detail.object.key', operator: 'prefix' }]);
    const r = mergePatternInto(existing, generated, s3Event);
    assert.ok(r.ok);
    assert.deepEqual(r.pattern, {
      source: ['aws.s3'],
      'detail.object.key': [{ prefix: 'docs/' }, { prefix: 'photos/2021/' }],
    });
  });

  it('refuses a field the pattern holds as an object, and a non-object pattern', () => {
    const r = mergePatternInto({ detail: { object: ['x'] } }, build([{ path: 'detail.object.key' }]), s3Event);
    assert.ok(!r.ok);
    assert.match(r.message, /as a field/);
    assert.ok(!mergePatternInto([], {}, s3Event).ok);
  });
});

// ---- properties ------------------------------------------------------------------------------------------------

const keyArb = fc.oneof(
  { weight: 5, arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9_-]{0,8}$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const scalarArb = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[a-z]{1,6}([/:.-][a-zA-Z0-9]{1,6}){0,3}$/),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
  fc.boolean(),
  fc.constant(null),
  fc.ipV4(),
  fc.ipV6(),
);
const { tree: detailArb } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
  tree: fc.dictionary(keyArb, tie('node'), { maxKeys: 5 }),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: scalarArb },
    { weight: 1, arbitrary: tie('tree') },
    { weight: 1, arbitrary: fc.array(tie('node'), { maxLength: 3 }) },
  ),
}));
const eventArb = fc.record({
  version: fc.constant('0'),
  id: fc.uuid(),
  'detail-type': fc.string({ minLength: 1, maxLength: 20 }),
  source: fc.stringMatching(/^[a-z]{2,8}(\.[a-z]{2,8}){0,2}$/),
  account: fc.stringMatching(/^\d{12}$/),
  time: fc.constant('2026-01-01T00:00:00Z'),
  region: fc.constantFrom('us-east-1', 'eu-west-1'),
  resources: fc.array(fc.string({ maxLength: 10 }), { maxLength: 2 }),
  detail: detailArb,
});

/** An argument for operators that need one: a value to exclude that differs from the event's. */
function argumentFor(op: PatternOperator, value: unknown): string | undefined {
  if (op !== 'anything-but') return undefined;
  if (typeof value === 'number') return String(value === 0 ? 1 : value * 2 === value ? value - 1 : value * 2);
  return JSON.stringify([`${String(value)}-not`]);
}

/** Whether a path goes through an array of objects (then other elements can satisfy a changed condition). */
function inArrayOfObjects(f: EventField): boolean {
  return f.leaves.some((l) => l.location.slice(0, -1).some((k) => typeof k === 'number'));
}

function setAt(event: unknown, location: readonly (string | number)[], value: unknown, remove = false): unknown {
  const copy = structuredClone(event) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const k of location.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  const last = location[location.length - 1];
  if (remove && !Array.isArray(at)) delete at[last];
  else at[last] = value;
  return copy;
}

/** A value just outside what the built condition accepts, when that is well defined; else undefined. */
function outside(
  op: PatternOperator,
  value: unknown,
  condition: unknown,
): { value?: unknown; remove?: true } | undefined {
  const c = condition as Record<string, unknown>;
  switch (op) {
    case 'exact':
      if (typeof value === 'string') return { value: `${value}#` };
      if (typeof value === 'boolean') return { value: !value };
      if (value === null) return { value: 'null' };
      return typeof value === 'number' && Number.isFinite(value + 1) && value + 1 !== value
        ? { value: value + 1 }
        : undefined;
    case 'prefix':
    case 'suffix':
    case 'prefix-ignore-case':
    case 'suffix-ignore-case': {
      const arg = c[op.startsWith('prefix') ? 'prefix' : 'suffix'];
      const text = typeof arg === 'string' ? arg : (arg as Record<string, string>)['equals-ignore-case'];
      return text === '' ? undefined : { value: '' };
    }
    case 'equals-ignore-case':
      return value === '' ? undefined : { value: '' };
    case 'wildcard': {
      const w = c.wildcard as string;
      return w === '' || w.startsWith('*') ? undefined : { value: '' };
    }
    case 'numeric': {
      const expr = c.numeric as unknown[];
      return expr[0] === '>=' && expr[2] === '<' ? { value: expr[3] } : undefined;
    }
    case 'cidr': {
      const [addr, bits] = (c.cidr as string).split('/');
      if (!addr.includes('.') || bits !== '24') return undefined;
      const o = addr.split('.').map(Number);
      return { value: `${o[0]}.${o[1]}.${o[2] ^ 1}.${o[3]}` };
    }
    case 'anything-but': {
      const excluded = c['anything-but'];
      return { value: Array.isArray(excluded) ? excluded[0] : excluded };
    }
    case 'exists':
      return { remove: true };
  }
}

describe('patternFromEvent properties', () => {
  it('round-trips every field of generated events through every operator that fits it', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        for (const field of eventFields(event)) {
          for (const operator of field.operators) {
            const argument = argumentFor(operator, field.leaves[0].value);
            const choice: FieldChoice = { path: field.path, operator, ...(argument ? { argument } : {}) };
            const r = patternFromEvent(event, [{ path: 'source' }, choice]);
            assert.ok(
              r.ok,
              `${field.path} ${operator} on ${JSON.stringify(field.leaves[0].value)}: ${r.ok ? '' : r.message}`,
            );
            assert.ok(simpleMatches(r.pattern, event), `the simple matcher disagrees: ${JSON.stringify(r.pattern)}`);
          }
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('no longer matches once the chosen value moves outside what the operator accepts', () => {
    let checkedCount = 0;
    fc.assert(
      fc.property(eventArb, (event) => {
        for (const field of eventFields(event)) {
          if (field.leaves.length !== 1 || inArrayOfObjects(field)) continue;
          const leaf = field.leaves[0];
          if (typeof leaf.location[leaf.location.length - 1] === 'number') continue; // an element of a list of scalars
          for (const operator of field.operators) {
            const argument = argumentFor(operator, leaf.value);
            const r = patternFromEvent(event, [{ path: field.path, operator, ...(argument ? { argument } : {}) }]);
            assert.ok(r.ok, r.ok ? '' : r.message);
            let condition: unknown = r.pattern;
            for (const k of field.keys) condition = (condition as Record<string, unknown>)[k];
            const moved = outside(operator, leaf.value, (condition as unknown[])[0]);
            if (!moved) continue;
            // The same path spelt another way (a dotted key beside nested keys) would still hold the old value.
            if (eventFields(event).filter((f) => f.path === field.path).length !== 1) continue;
            const changed = setAt(event, leaf.location, moved.value, moved.remove);
            assert.equal(
              matches(r.pattern, changed),
              false,
              `${JSON.stringify(r.pattern)} still matches after ${field.path} became ${JSON.stringify(moved.value)}`,
            );
            checkedCount++;
          }
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    assert.ok(checkedCount > 100, `only ${checkedCount} changes checked`);
  });

  it('builds patterns of several fields outside arrays that match, and merges two events into one that matches both', () => {
    fc.assert(
      fc.property(eventArb, eventArb, fc.integer({ min: 0, max: 1000 }), (event, other, pick) => {
        const fields = eventFields(event).filter((f) => !inArrayOfObjects(f));
        const chosen = fields.filter((_, i) => (pick >> (i % 10)) & 1 || i < 2);
        const choices = chosen.map((f) => ({ path: f.path }));
        const r = patternFromEvent(event, choices);
        assert.ok(r.ok, r.ok ? '' : r.message);
        assert.ok(simpleMatches(r.pattern, event));
        // The other event with the same envelope fields: merging keeps what matched it and adds this event.
        const base = patternFromEvent(other, [{ path: 'source' }, { path: 'detail-type' }]);
        assert.ok(base.ok);
        const mine = patternFromEvent(event, [{ path: 'source' }, { path: 'detail-type' }]);
        assert.ok(mine.ok);
        const merged = mergePatternInto(base.pattern, mine.pattern, event);
        assert.ok(merged.ok, merged.ok ? '' : merged.message);
        assert.ok(matches(merged.pattern, event) && matches(merged.pattern, other));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
