// Events from a pattern: every matching event matches, every near miss fails exactly the condition it names (it does
// not match, and differs from a matching event at that field only, so restoring the field makes it match), and a
// pattern is called impossible only when no event can match it. Hand-written cases for each operator's boundary, a
// property test over generated patterns (every operator, `$or` at any depth, dotted and repeated keys), and the
// conformance cases: no pattern a recorded event matches is called impossible.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  compilePattern,
  generateEvents,
  matchesEventNode,
  nextDown,
  nextUp,
  parseEventText,
  patternImpossibility,
  type CompiledPattern,
  type Dialect,
  type GenerateResult,
  type NearMiss,
} from '../../../server/src/engine/index';
import { flattenNode, formatEventValue } from '../../../server/src/engine/eventModel';
import { matchValue } from '../../../server/src/engine/matcher';
import { repoRoot } from '../repoPaths';

function compile(text: string, dialect: Dialect = 'eventbus'): CompiledPattern {
  const c = compilePattern(text, { dialect });
  if (!c.ok) throw new Error(`not a valid pattern: ${text}: ${c.error.message}`);
  return c.pattern;
}

function matchesText(pattern: CompiledPattern, text: string): boolean {
  const parsed = parseEventText(text);
  assert.ok(parsed.ok, `generated event does not parse: ${text}`);
  return matchesEventNode(pattern, parsed.event);
}

/** The event's leaves as sorted `path=value@indexes` lines, leaving out one path (independent of the generator). */
function leaves(text: string, except: string): string[] {
  const parsed = parseEventText(text);
  assert.ok(parsed.ok);
  const out: string[] = [];
  for (const [path, list] of flattenNode(parsed.event).leaves) {
    if (path === except) continue;
    for (const leaf of list) {
      const at: number[] = [];
      for (let t = leaf.trail; t; t = t.parent) at.push(t.index);
      out.push(`${JSON.stringify(path)}=${formatEventValue(leaf.value)}@${at.join(',')}`);
    }
  }
  return out.sort();
}

/** The values an event holds at a path (as JSON text). */
function valuesAt(text: string, path: string): string[] {
  const parsed = parseEventText(text);
  assert.ok(parsed.ok);
  return (flattenNode(parsed.event).leaves.get(path) ?? []).map((l) => formatEventValue(l.value));
}

/** Checks every promise of a result; returns it for more specific assertions. */
function checkResult(pattern: CompiledPattern, r: GenerateResult, label: string): GenerateResult {
  if (!r.ok) {
    assert.ok(r.impossible, `${label}: the generator gave up: ${'reason' in r ? r.reason : ''}`);
    return r;
  }
  assert.ok(r.matching.length > 0, label);
  const texts = new Set<string>();
  for (const m of r.matching) {
    assert.ok(matchesText(pattern, m.line), `${label}: a "matching" event does not match: ${m.line}`);
    assert.ok(matchesText(pattern, m.text), label);
    assert.ok(!texts.has(m.line), `${label}: the same event twice`);
    texts.add(m.line);
  }
  for (const m of [...r.matching, ...r.nearMisses]) {
    if (pattern.dialect === 'eventbus' || pattern.dialect === 'archive') {
      const parsed = parseEventText(m.line);
      assert.ok(parsed.ok && parsed.event.type === 'object');
      const keys = new Set(parsed.event.properties.map((p) => p.key.value));
      for (const k of ['id', 'account', 'source', 'time', 'region', 'detail-type'])
        assert.ok(keys.has(k), `${label}: the event has no ${k}: ${m.line}`);
    }
  }
  for (const miss of r.nearMisses) checkNearMiss(pattern, miss, label);
  return r;
}

function checkNearMiss(pattern: CompiledPattern, miss: NearMiss, label: string): void {
  assert.ok(pattern.paths.has(miss.fails), `${label}: fails names no condition: ${miss.fails}`);
  assert.ok(!matchesText(pattern, miss.line), `${label}: a near miss matches: ${miss.line}`);
  // Restoring the field gives back an event that matches: the two differ at that field only.
  assert.ok(matchesText(pattern, miss.from.line), label);
  assert.deepEqual(leaves(miss.line, miss.fails), leaves(miss.from.line, miss.fails), `${label}: ${miss.fails}`);
  assert.notDeepEqual(valuesAt(miss.line, miss.fails), valuesAt(miss.from.line, miss.fails));
}

function run(
  text: string,
  options: { count?: number; dialect?: Dialect } = {},
): { pattern: CompiledPattern; r: GenerateResult } {
  const pattern = compile(text, options.dialect);
  const r = checkResult(pattern, generateEvents(pattern, { count: options.count ?? 1, nearMisses: true }), text);
  return { pattern, r };
}

function misses(text: string, dialect?: Dialect): { fails: string; values: string[]; why: string }[] {
  const { pattern, r } = run(text, dialect ? { dialect } : {});
  assert.ok(r.ok, `${text} is possible`);
  void pattern;
  return r.nearMisses.map((m) => ({ fails: m.fails, values: valuesAt(m.line, m.fails), why: m.why }));
}

function missValues(text: string, path: string): string[] {
  return misses(text)
    .filter((m) => m.fails === path)
    .map((m) => (m.values.length === 0 ? '<missing>' : m.values.join(',')));
}

describe('near misses fail at the boundary of each operator', () => {
  it('numeric ranges: the next double outside each bound', () => {
    assert.deepEqual(missValues('{"n":[{"numeric":[">=",1,"<",2]}]}', 'n'), ['0.9999999999999999', '2']);
    assert.deepEqual(missValues('{"n":[{"numeric":[">",0,"<=",0.5]}]}', 'n'), ['0', '0.5000000000000001']);
    assert.deepEqual(missValues('{"n":[{"numeric":["=",300]}]}', 'n'), ['299.99999999999994', '300.00000000000006']);
  });

  it('prefix and suffix: one character short, and the other case when case counts', () => {
    assert.deepEqual(missValues('{"k":[{"prefix":"img/"}]}', 'k'), ['"img"', '"IMG/sample"']);
    assert.deepEqual(missValues('{"k":[{"suffix":".png"}]}', 'k'), ['"png"', '"sample.PNG"']);
    assert.deepEqual(missValues('{"k":[{"prefix":{"equals-ignore-case":"Img"}}]}', 'k'), ['"Im"']);
    assert.deepEqual(missValues('{"k":[{"prefix":""}]}', 'k'), ['0']);
  });

  it('exact values: the other case, a wrong value, the neighbouring number, the other literal', () => {
    assert.deepEqual(missValues('{"s":["Running"]}', 's'), ['"rUNNING"', '"Runnin"']);
    assert.deepEqual(missValues('{"b":[true]}', 'b'), ['false']);
    assert.deepEqual(missValues('{"z":[null]}', 'z'), ['"null"']);
    assert.deepEqual(missValues('{"n":[5]}', 'n'), ['5.000000000000001', '"5"']);
  });

  it('exists: missing for true, present for false', () => {
    assert.deepEqual(missValues('{"x":[{"exists":true}]}', 'x'), ['<missing>']);
    assert.deepEqual(missValues('{"x":[{"exists":false}]}', 'x'), ['"sample"']);
    // Either holds: nothing can fail it.
    assert.deepEqual(missValues('{"x":[{"exists":true},{"exists":false}],"y":["1"]}', 'x'), []);
  });

  it('anything-but: the excluded values', () => {
    assert.deepEqual(missValues('{"s":[{"anything-but":["a","b"]}]}', 's'), ['"a"', '"b"']);
    assert.deepEqual(missValues('{"n":[{"anything-but":[100]}]}', 'n'), ['100']);
    assert.deepEqual(missValues('{"s":[{"anything-but":{"prefix":"tmp/"}}]}', 's'), ['"tmp/sample"']);
    assert.deepEqual(missValues('{"s":[{"anything-but":{"suffix":".tmp"}}]}', 's'), ['"sample.tmp"']);
    assert.deepEqual(missValues('{"s":[{"anything-but":{"equals-ignore-case":"Draft"}}]}', 's'), ['"dRAFT"']);
    assert.deepEqual(missValues('{"s":[{"anything-but":{"wildcard":"tmp/*.log"}}]}', 's'), ['"tmp/x.log"']);
  });

  it('cidr and IP strings: the address just outside', () => {
    assert.deepEqual(missValues('{"ip":[{"cidr":"10.0.0.0/24"}]}', 'ip'), ['"9.255.255.255"', '"10.0.1.0"']);
    assert.deepEqual(missValues('{"ip":[{"cidr":"2001:db8::/64"}]}', 'ip'), [
      '"2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"',
      '"2001:db8:0:1:0:0:0:0"',
    ]);
    assert.deepEqual(missValues('{"ip":[{"cidr":"0.0.0.0/0"}]}', 'ip'), ['"::1"']);
    assert.deepEqual(missValues('{"ip":["10.0.0.7"]}', 'ip'), ['"10.0.0.6"', '"10.0.0.8"']);
  });

  it('wildcard and equals-ignore-case: a string they do not match', () => {
    const w = missValues('{"w":[{"wildcard":"a*b"}]}', 'w');
    assert.ok(w.length > 0 && w.every((v) => v !== '"axb"'));
    assert.deepEqual(missValues('{"e":[{"equals-ignore-case":"Abc"}]}', 'e'), ['"Ab"']);
  });

  it('a list fails only with a value none of its entries accepts', () => {
    // "ab" is one of the values, so it is not a miss of "abc".
    assert.deepEqual(missValues('{"s":["abc","ab"]}', 's'), ['"ABC"', '"AB"', '"a"']);
  });

  it("each $or branch's conditions", () => {
    const m = misses('{"source":["a"],"$or":[{"detail":{"x":[1]}},{"detail":{"y":[{"prefix":"p"}]}}]}');
    const fails = new Set(m.map((x) => x.fails));
    assert.deepEqual([...fails].sort(), ['detail.x', 'detail.y', 'source']);
  });

  it('a near miss that another $or branch matches is left out', () => {
    // Failing b in the second branch leaves a=1, which the first branch matches.
    const m = misses('{"$or":[{"a":[1]},{"a":[1],"b":[2]}]}');
    assert.ok(
      m.every((x) => x.fails === 'a'),
      JSON.stringify(m),
    );
  });
});

describe('matching events', () => {
  it('--count covers each value of a list and each $or branch', () => {
    const { r } = run('{"a":["x","y","z"]}', { count: 3 });
    assert.ok(r.ok);
    assert.deepEqual(r.matching.map((m) => valuesAt(m.line, 'a')[0]).sort(), ['"x"', '"y"', '"z"']);
    const or = run('{"$or":[{"a":["1"]},{"b":["2"]},{"c":["3"]}]}', { count: 3 });
    assert.ok(or.r.ok);
    assert.deepEqual(
      or.r.matching.map((m) => ['a', 'b', 'c'].filter((p) => valuesAt(m.line, p).length > 0).join()),
      ['a', 'b', 'c'],
    );
  });

  it('asks for more distinct events than there are: as many as there are', () => {
    const { r } = run('{"a":["only"]}', { count: 5 });
    assert.ok(r.ok);
    assert.equal(r.matching.length, 1);
    const ranges = run('{"a":[{"numeric":[">",0]}],"b":[{"prefix":"p"}]}', { count: 5 });
    assert.ok(ranges.r.ok);
    assert.equal(ranges.r.matching.length, 5);
  });

  it("builds on the catalog's sample for the source and detail-type, when the lookup has one", () => {
    const pattern = compile('{"source":["aws.x"],"detail-type":["Thing Done"],"detail":{"state":["done"]}}');
    const sample = {
      version: '0',
      id: 'abc',
      'detail-type': 'Thing Done',
      source: 'aws.x',
      account: '111122223333',
      time: '2024-01-01T00:00:00Z',
      region: 'eu-west-1',
      resources: ['arn:aws:x:::thing'],
      detail: { state: 'pending', items: [{ id: 1 }, { id: 2 }], extra: 'kept' },
    };
    const asked: string[] = [];
    const r = generateEvents(pattern, {
      lookup: (s, d) => {
        asked.push(`${s}/${d}`);
        return s === 'aws.x' && d === 'Thing Done' ? sample : undefined;
      },
    });
    assert.ok(r.ok);
    assert.deepEqual(asked, ['aws.x/Thing Done']);
    const event = r.matching[0].event as { detail: Record<string, unknown>; region: string; resources: unknown[] };
    assert.equal(event.detail['state'], 'done');
    assert.equal(event.detail['extra'], 'kept');
    assert.equal(event.region, 'eu-west-1');
    assert.deepEqual(event.resources, ['arn:aws:x:::thing']);
    // The lookup's object is not changed.
    assert.equal(sample.detail.state, 'pending');
  });

  it('a field inside an array of objects in the sample: one element is kept, so a near miss fails it', () => {
    const pattern = compile('{"source":["aws.x"],"detail-type":["T"],"detail":{"items":{"id":[{"numeric":[">",5]}]}}}');
    const sample = { source: 'aws.x', 'detail-type': 'T', detail: { items: [{ id: 1, name: 'a' }, { id: 9 }] } };
    const r = checkResult(pattern, generateEvents(pattern, { lookup: () => sample, nearMisses: true }), 'array sample');
    assert.ok(r.ok);
    assert.ok(r.nearMisses.some((m) => m.fails === 'detail.items.id'));
  });

  it('a number EventBridge only matches by its spelling is written so', () => {
    const { r } = run('{"a":[12345678901234567890]}');
    assert.ok(r.ok);
    assert.match(r.matching[0].line, /"a":12345678901234567890[,}]/);
  });

  it('a field beside a field below it: the deeper one is written as a dotted key', () => {
    const { r } = run('{"a":["x"],"a.b":["y"]}');
    assert.ok(r.ok);
    assert.deepEqual(valuesAt(r.matching[0].line, 'a'), ['"x"']);
    assert.deepEqual(valuesAt(r.matching[0].line, 'a.b'), ['"y"']);
  });

  it('Pipes and Lambda patterns get records without an envelope', () => {
    const { r } = run('{"body":{"state":["ok"]}}', { dialect: 'pipes' });
    assert.ok(r.ok);
    assert.deepEqual(r.matching[0].event, { body: { state: 'ok' } });
  });

  it('the place to put a value for `exists: true` keeps a value already there', () => {
    const pattern = compile('{"source":["s"],"detail-type":["t"],"detail":{"k":[{"exists":true}]}}');
    const r = generateEvents(pattern, { lookup: () => ({ source: 's', 'detail-type': 't', detail: { k: 42 } }) });
    assert.ok(r.ok);
    assert.deepEqual(valuesAt(r.matching[0].line, 'detail.k'), ['42']);
  });
});

describe('impossible patterns', () => {
  const impossible = (text: string, dialect: Dialect = 'eventbus'): string | undefined => {
    const pattern = compile(text, dialect);
    const r = checkResult(pattern, generateEvents(pattern, { nearMisses: true }), text);
    return r.ok ? undefined : r.impossible?.reason;
  };

  it('an empty numeric range between neighbouring doubles', () => {
    assert.equal(
      impossible('{"a":[{"numeric":[">",5,"<",5.000000000000001]}]}'),
      'No event can match this pattern: a: no number is > 5 and < 5.000000000000001 (5 and 5.000000000000001 are neighbouring doubles)',
    );
    assert.equal(impossible('{"a":[{"numeric":[">=",5,"<",5.000000000000001]}]}'), undefined);
  });

  it('beyond the largest double', () => {
    assert.match(impossible('{"a":[{"numeric":[">",1.7976931348623157e308]}]}') ?? '', /the largest is/);
    assert.match(impossible('{"a":[{"numeric":["<",-1.7976931348623157e308]}]}') ?? '', /the least is/);
    assert.equal(impossible('{"a":[{"numeric":[">=",1.7976931348623157e308]}]}'), undefined);
  });

  it('`exists: false` on a field every event on a bus has; not so for Pipes', () => {
    assert.match(impossible('{"source":[{"exists":false}]}') ?? '', /every event on an event bus has a source/);
    assert.match(impossible('{"detail-type":[{"exists":false}]}', 'archive') ?? '', /detail-type/);
    assert.equal(impossible('{"source":[{"exists":false}]}', 'pipes'), undefined);
    // `resources` may be empty, and `detail` is an object: neither has a value of its own.
    assert.equal(impossible('{"resources":[{"exists":false}]}'), undefined);
    assert.equal(impossible('{"detail":[{"exists":false}]}'), undefined);
  });

  it('a list of conditions is an OR: one possible entry is enough', () => {
    assert.equal(impossible('{"a":[{"numeric":[">",5,"<",5.000000000000001]},"x"]}'), undefined);
    assert.equal(impossible('{"a":[{"numeric":[">",5,"<",5.000000000000001]},{"exists":false}]}'), undefined);
  });

  it('$or: impossible only when every branch is', () => {
    const empty = '{"numeric":[">",5,"<",5.000000000000001]}';
    assert.equal(impossible(`{"$or":[{"a":[${empty}]},{"b":["y"]}]}`), undefined);
    assert.match(
      impossible(`{"$or":[{"a":[${empty}]},{"b":[{"numeric":["<",-1.7976931348623157e308]}]}]}`) ?? '',
      /none of its 2 \$or combinations can/,
    );
  });

  it('a key repeated beside and inside $or is overridden, not combined', () => {
    const empty = '{"numeric":[">",5,"<",5.000000000000001]}';
    // The branch's `a` replaces the outer one: that branch asks only for "x".
    assert.equal(impossible(`{"a":[${empty}],"$or":[{"a":["x"]},{"b":["y"]}]}`), undefined);
    const { r } = run(`{"a":[${empty}],"$or":[{"a":["x"]},{"b":["y"]}]}`, { count: 2 });
    assert.ok(r.ok && r.matching.some((m) => valuesAt(m.line, 'a')[0] === '"x"'));
    // Duplicate keys: the last wins.
    assert.equal(impossible(`{"a":[${empty}],"a":["x"]}`), undefined);
    assert.notEqual(impossible(`{"a":["x"],"a":[${empty}]}`), undefined);
  });

  it('conditions that look contradictory but are not: dotted paths, arrays, exists', () => {
    // `a` absent and `a.b` present: a is an object.
    assert.equal(impossible('{"a":[{"exists":false}],"a.b":[{"exists":true}]}'), undefined);
    // Different elements of an event array can carry different values of one field.
    assert.equal(impossible('{"tags":["x"],"tags.k":["y"]}'), undefined);
    assert.equal(impossible('{"a":[{"numeric":[">",10]}],"b":[{"numeric":["<",0]}]}'), undefined);
  });
});

// ---- property test: generated patterns ---------------------------------------------------------------------------

const KEYS = ['a', 'b', 'c', 'source', 'detail', 'x.y'];
const str = fc.constantFrom('', 'a', 'Ab', 'abc', 'é', 'ß', 'x-1', 'a.b', '10.0.0.1', '2001:db8::1');
const nonEmpty = fc.constantFrom('a', 'Ab', 'abc', 'é', 'ß', 'x-1', 'img/');
const num = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.constantFrom(0.5, -2.5, 0.1, 1e9, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324),
);
const wildcard = fc
  .array(fc.constantFrom('a', 'b', '*', '.', '\\*'), { maxLength: 5 })
  .map((t) => t.filter((x, i) => !(x === '*' && t[i - 1] === '*')).join(''));
const cidr = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 31 })).map(([o, m]) => `10.${o}.0.0/${m}`),
  fc.constantFrom('0.0.0.0/0', '255.255.255.254/31', '2001:db8::/32', '::/0', 'ffff::/127'),
);
const numeric = fc.oneof(
  fc.tuple(fc.constantFrom('=', '<', '<=', '>', '>='), num).map(([op, n]) => [op, n]),
  fc
    .tuple(fc.constantFrom('>', '>='), num, fc.constantFrom('<', '<='), num)
    .filter(([, lo, , hi]) => lo !== hi)
    .map(([g, lo, l, hi]) => [g, Math.min(lo, hi), l, Math.max(lo, hi)]),
  // Neighbouring doubles: empty unless a bound is inclusive.
  fc
    .tuple(fc.constantFrom('>', '>='), fc.integer({ min: -3, max: 3 }), fc.constantFrom('<', '<='))
    .map(([g, lo, l]) => [g, lo, l, nextUp(lo)]),
);
const condition: fc.Arbitrary<unknown> = fc.oneof(
  str,
  num,
  fc.constantFrom(true, false, null),
  str.map((s) => ({ prefix: s })),
  nonEmpty.map((s) => ({ prefix: { 'equals-ignore-case': s } })),
  str.map((s) => ({ suffix: s })),
  nonEmpty.map((s) => ({ suffix: { 'equals-ignore-case': s } })),
  str.map((s) => ({ 'equals-ignore-case': s })),
  wildcard.map((w) => ({ wildcard: w })),
  fc
    .oneof(str, num, fc.array(str, { minLength: 1, maxLength: 2 }), fc.array(num, { minLength: 1, maxLength: 2 }))
    .map((v) => ({ 'anything-but': v })),
  nonEmpty.map((s) => ({ 'anything-but': { prefix: s } })),
  nonEmpty.map((s) => ({ 'anything-but': { suffix: s } })),
  nonEmpty.map((s) => ({ 'anything-but': { 'equals-ignore-case': s } })),
  wildcard.map((w) => ({ 'anything-but': { wildcard: w } })),
  numeric.map((n) => ({ numeric: n })),
  numeric.map((n) => ({ numeric: n })),
  fc.boolean().map((b) => ({ exists: b })),
  cidr.map((c) => ({ cidr: c })),
);

/** A pattern object as a list of entries, so that keys may repeat (the last wins). */
type Entry = [string, unknown[] | Entry[] | { or: Entry[][] }];

const objectArb = fc.letrec<{ obj: Entry[] }>((tie) => ({
  obj: fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...KEYS), fc.array(condition, { minLength: 1, maxLength: 3 })) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...KEYS), tie('obj')) },
      {
        weight: 1,
        arbitrary: fc.tuple(
          fc.constant('$or'),
          fc.array(tie('obj'), { minLength: 2, maxLength: 3 }).map((or) => ({ or })),
        ),
      },
    ),
    { minLength: 1, maxLength: 3 },
  ),
}));

function render(entries: Entry[]): string {
  return `{${entries
    .map(([k, v]) => {
      const value = Array.isArray(v)
        ? v.length > 0 && Array.isArray(v[0])
          ? render(v as Entry[])
          : JSON.stringify(v)
        : `[${v.or.map(render).join(',')}]`;
      return `${JSON.stringify(k)}:${value}`;
    })
    .join(',')}}`;
}

/** Independent check of an impossibility claim: each sub-rule has a field that no candidate value satisfies. */
function confirmImpossible(pattern: CompiledPattern): void {
  for (const rule of pattern.rules) {
    const hopeless = rule.some((field) =>
      field.matchers.every(({ matcher: m }) => {
        if (m.kind === 'exists') return !m.exists && ['source', 'detail-type'].includes(field.path);
        if (m.kind !== 'numeric') return false;
        const points = [m.lower?.value, m.upper?.value]
          .filter((x): x is number => x !== undefined)
          .flatMap((x) => [x, nextUp(x), nextDown(x)])
          .filter(Number.isFinite);
        return points.every((x) => !matchValue(m, { t: 'n', text: String(x), num: x }));
      }),
    );
    assert.ok(hopeless, `called impossible, but a sub-rule may match: ${JSON.stringify(rule.map((f) => f.path))}`);
  }
}

describe('generated patterns', () => {
  it('every matching event matches, every near miss fails exactly its condition, impossibility is real', () => {
    let impossibleCount = 0;
    let nearMissCount = 0;
    fc.assert(
      fc.property(objectArb.obj, fc.constantFrom<Dialect>('eventbus', 'pipes'), (entries, dialect) => {
        const text = render(entries);
        const c = compilePattern(text, { dialect });
        fc.pre(c.ok);
        if (!c.ok) return;
        const r = checkResult(c.pattern, generateEvents(c.pattern, { count: 3, nearMisses: true }), text);
        if (!r.ok) {
          impossibleCount++;
          confirmImpossible(c.pattern);
          assert.ok(patternImpossibility(c.pattern.rules, dialect));
        } else nearMissCount += r.nearMisses.length;
      }),
      { seed: Number(process.env['FC_SEED'] ?? 20261205), numRuns: Number(process.env['FC_RUNS'] ?? 600) },
    );
    // The arbitrary reaches both kinds of answer.
    assert.ok(impossibleCount > 0, 'no impossible pattern was generated');
    assert.ok(nearMissCount > 100, `only ${nearMissCount} near misses`);
  });
});

// ---- conformance: a pattern some recorded event matches is never called impossible -------------------------------

interface Case {
  readonly name: string;
  readonly patternText: string;
  readonly eventText: string;
  readonly expect: 'match' | 'nomatch' | 'invalid';
  readonly api?: string;
}

describe('conformance cases', () => {
  const cases = ['aws-recorded.json', 'event-ruler.json'].flatMap((f) =>
    (JSON.parse(readFileSync(join(repoRoot, 'test/conformance', f), 'utf8')) as Case[]).map((c) => ({ ...c, file: f })),
  );

  it('no pattern a recorded event matches is called impossible, and every valid pattern gets checked events', () => {
    let matched = 0;
    for (const c of cases) {
      if (c.expect === 'invalid') continue;
      // event-ruler's cases are the library's: its events need no envelope.
      const dialect: Dialect = c.file === 'aws-recorded.json' ? 'eventbus' : 'pipes';
      const compiled = compilePattern(c.patternText, { dialect });
      if (!compiled.ok) continue;
      const r = checkResult(compiled.pattern, generateEvents(compiled.pattern, { count: 2, nearMisses: true }), c.name);
      if (c.expect === 'match') {
        matched++;
        assert.ok(r.ok, `${c.file} ${c.name}: called impossible, but the recorded event matches`);
      }
    }
    assert.ok(matched > 150, `${matched} matching cases`);
  });
});

describe('bounds', () => {
  it('a long list gives at most 6 near misses of its field, and near misses stop at the limit asked', () => {
    const values = Array.from({ length: 40 }, (_, i) => `"value-${i}"`).join(',');
    const { r } = run(`{"a":[${values}],"b":[{"prefix":"p"}]}`);
    assert.ok(r.ok);
    assert.equal(r.nearMisses.filter((m) => m.fails === 'a').length, 6);
    assert.ok(r.nearMisses.some((m) => m.fails === 'b'));
    const pattern = compile('{"$or":[{"a":["1"]},{"b":["2"]},{"c":["3"]}],"d":[{"numeric":[">",0,"<",9]}]}');
    const limited = generateEvents(pattern, { nearMisses: true, maxNearMisses: 4 });
    assert.ok(limited.ok);
    assert.equal(limited.nearMisses.length, 4);
  });
});
