// Sample events: the catalog's (as the client asks for them) and one made to match a pattern.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern, matchesEvent, type CompiledPattern } from '../../../server/src/engine';
import { loadCatalog } from '../../../server/src/catalog/catalog';
import { catalogSample, catalogSources } from '../../../server/src/languageservice/languageService';
import { sampleEventForPattern } from '../../../server/src/languageservice/features/patternSamples';

function compiled(pattern: unknown): CompiledPattern {
  const c = compilePattern(JSON.stringify(pattern));
  if (!c.ok) assert.fail(c.error.message);
  return c.pattern;
}

function matches(pattern: unknown, event: unknown): boolean {
  return matchesEvent(compiled(pattern), event);
}

const PATTERNS: [string, unknown][] = [
  ['exact values', { source: ['shop'], 'detail-type': ['OrderCreated'], detail: { status: ['new', 'paid'] } }],
  ['prefix and suffix', { source: ['shop'], detail: { key: [{ prefix: 'incoming/' }], file: [{ suffix: '.png' }] } }],
  ['prefix equals-ignore-case', { source: ['shop'], detail: { key: [{ prefix: { 'equals-ignore-case': 'ABC' } }] } }],
  [
    'numeric ranges',
    {
      source: ['shop'],
      detail: { total: [{ numeric: ['>', 100, '<=', 200] }], n: [{ numeric: ['<', 0] }], e: [{ numeric: ['=', 5] }] },
    },
  ],
  ['exists', { source: ['shop'], detail: { must: [{ exists: true }], mustNot: [{ exists: false }] } }],
  [
    'anything-but',
    {
      source: ['shop'],
      detail: {
        state: [{ 'anything-but': ['a', 'b'] }],
        n: [{ 'anything-but': [1, 2] }],
        p: [{ 'anything-but': { prefix: 'x' } }],
      },
    },
  ],
  [
    'wildcard and equals-ignore-case',
    { source: ['shop'], detail: { path: [{ wildcard: 'a/*/b*' }], name: [{ 'equals-ignore-case': 'MiXeD' }] } },
  ],
  ['cidr', { source: ['shop'], detail: { ip: [{ cidr: '10.0.0.0/24' }] } }],
  ['null and booleans', { source: ['shop'], detail: { a: [null], b: [true], c: [false] } }],
  ['$or', { source: ['shop'], $or: [{ detail: { a: ['x'] } }, { detail: { b: ['y'] } }] }],
  ['resources', { source: ['shop'], resources: ['arn:aws:s3:::bucket'] }],
  ['nested objects', { source: ['shop'], detail: { a: { b: { c: [{ prefix: 'deep' }] } } } }],
];

describe('sampleEventForPattern', () => {
  for (const [name, pattern] of PATTERNS) {
    it(`makes an event the engine matches: ${name}`, () => {
      const event = sampleEventForPattern(compiled(pattern), { region: 'eu-west-1', accountId: '111122223333' });
      assert.ok(matches(pattern, event), JSON.stringify(event));
      assert.equal(event.region, 'eu-west-1');
      assert.equal(event.account, '111122223333');
      assert.equal(typeof event.detail, 'object');
    });
  }

  it("starts from the catalog sample for the pattern's source and detail-type, keeping its other fields", () => {
    const pattern = {
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { object: { key: [{ prefix: 'incoming/' }] } },
    };
    assert.ok(loadCatalog().sampleEvent('aws.s3', 'Object Created'), 'the catalog has aws.s3 / Object Created');
    const event = sampleEventForPattern(compiled(pattern));
    assert.ok(matches(pattern, event));
    const detail = event.detail as { bucket?: unknown; object: { key: string } };
    assert.ok(detail.bucket !== undefined, "the catalog sample's other fields are kept");
    assert.ok(detail.object.key.startsWith('incoming/'));
  });

  it('gives a plain envelope for a pattern no event can match', () => {
    const pattern = { a: [{ numeric: ['>', 5, '<', 5.000000000000001] }] };
    const event = sampleEventForPattern(compiled(pattern));
    assert.equal(event.version, '0');
    assert.deepEqual(event.detail, {});
    assert.equal(matches(pattern, event), false);
  });
});

describe('the catalog, as the client asks for it', () => {
  it('lists every source with its detail-types, and gives a sample event for a pair it knows', () => {
    const listed = catalogSources();
    assert.equal(listed.available, true);
    const s3 = listed.sources.find((s) => s.source === 'aws.s3');
    assert.ok(s3?.detailTypes.includes('Object Created'), JSON.stringify(s3));
    assert.equal(listed.sources.length, loadCatalog().sources().length);
    const sample = catalogSample('aws.s3', 'Object Created').event;
    assert.equal(sample?.source, 'aws.s3');
    assert.equal(sample?.['detail-type'], 'Object Created');
  });

  it('gives no event for a pair it does not know, or for parameters that are not strings', () => {
    assert.deepEqual(catalogSample('aws.s3', 'No Such Event'), {});
    assert.deepEqual(catalogSample(42, null), {});
  });
});
