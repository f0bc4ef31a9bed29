import { describe, it, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  Catalog,
  CatalogError,
  findCatalogFile,
  loadCatalog,
  type CatalogField,
} from '../../../server/src/catalog/catalog';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'scripts', 'build-catalog.mjs'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no scripts/build-catalog.mjs above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const root = repoRoot();
const catalogPath = join(root, 'server', 'generated', 'catalog.json');

function names(fields: readonly CatalogField[] | undefined): string[] {
  return (fields ?? []).map((f) => f.name);
}

void describe('the generated catalog', () => {
  let catalog: Catalog;

  before(() => {
    // A fast no-op when `npm run build` already generated it; generates it when a test run comes first.
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-catalog.mjs')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    catalog = loadCatalog(catalogPath);
  });

  void it('is found by walking up from the compiled code', () => {
    assert.equal(findCatalogFile(), catalogPath);
    assert.equal(loadCatalog().isAvailable(), true);
    assert.equal(loadCatalog(), loadCatalog(), 'one Catalog per path');
  });

  void it('has plausible counts and says where it came from', () => {
    const { sources, detailTypes } = catalog.stats();
    assert.ok(sources >= 50 && sources <= 1000, `${sources} sources`);
    assert.ok(detailTypes >= 250 && detailTypes <= 10000, `${detailTypes} detail-types`);
    assert.match(
      catalog.generatedFrom(),
      /^@aws-cdk\/aws-service-spec@\d+\.\d+\.\d+ \+ https:\/\/docs\.aws\.amazon\.com\/eventbridge\/latest\/ref\/events\.html \(read \d{4}-\d\d-\d\d/,
    );
    assert.deepEqual([...catalog.sources()], [...catalog.sources()].sort());
    for (const s of catalog.sources()) assert.match(s, /^aws\.[a-z0-9.-]+$/);
  });

  void it('knows aws.s3 "Object Created" and detail.bucket.name', () => {
    assert.ok(catalog.findSource('aws.s3'));
    assert.ok(catalog.detailTypes('aws.s3').includes('Object Created'));
    const top = catalog.detailFields('aws.s3', 'Object Created', []);
    assert.ok(names(top).includes('bucket') && names(top).includes('object'), names(top).join());
    assert.deepEqual(names(catalog.detailFields('aws.s3', 'Object Created', ['bucket'])), ['name']);
    const name = catalog.detailField('aws.s3', 'Object Created', ['bucket', 'name']);
    assert.equal(name?.type, 'string');
    assert.equal(catalog.detailField('aws.s3', 'Object Created', ['object', 'size'])?.type, 'number');
    assert.deepEqual(catalog.detailFields('aws.s3', 'Object Created', ['bucket', 'name']), []);
    assert.equal(catalog.detailFields('aws.s3', 'Object Created', ['bucket', 'nope']), undefined);
    assert.deepEqual(catalog.findDetailType('aws.s3', 'Object Created')?.resourceTypes, ['AWS::S3::Bucket']);
  });

  void it('knows aws.ec2 "EC2 Instance State-change Notification" and detail.state', () => {
    const fields = catalog.detailFields('aws.ec2', 'EC2 Instance State-change Notification', []);
    assert.ok(names(fields).includes('state'));
    assert.ok(names(fields).includes('instance-id'));
    assert.equal(catalog.detailField('aws.ec2', 'EC2 Instance State-change Notification', ['state'])?.type, 'string');
  });

  void it('knows the aws.rds DB snapshot events', () => {
    const dts = catalog.detailTypes('aws.rds');
    assert.ok(dts.includes('RDS DB Snapshot Event'), dts.join());
    assert.ok(dts.includes('RDS DB Cluster Snapshot Event'), dts.join());
    const fields = names(catalog.detailFields('aws.rds', 'RDS DB Snapshot Event', []));
    for (const f of ['SourceArn', 'SourceIdentifier', 'EventCategories', 'Message']) assert.ok(fields.includes(f), f);
    const categories = catalog.detailField('aws.rds', 'RDS DB Snapshot Event', ['EventCategories']);
    assert.equal(categories?.type, 'array');
    assert.equal(categories?.items?.type, 'string');
  });

  void it('looks through arrays of objects and treats a map segment as a key', () => {
    const data = catalog.detailField('aws.network-firewall', 'Firewall Configuration Changed', ['data']);
    assert.equal(data?.type, 'array');
    assert.ok(names(data?.children).includes('Availability Zone'));
    assert.equal(
      catalog.detailField('aws.network-firewall', 'Firewall Configuration Changed', ['data', 'Availability Zone'])
        ?.type,
      'string',
    );
    const tags = catalog.detailField('aws.rds', 'RDS DB Snapshot Event', ['Tags']);
    assert.equal(tags?.type, 'map');
    assert.deepEqual(catalog.detailFields('aws.rds', 'RDS DB Snapshot Event', ['Tags']), []);
    const env = catalog.detailField('aws.rds', 'RDS DB Snapshot Event', ['Tags', 'env']);
    assert.equal(env?.name, 'env');
    assert.equal(env?.type, 'string');
  });

  void it('merges a detail-type published under two schema names', () => {
    const entry = catalog.findDetailType('aws.network-firewall', 'Firewall Configuration Changed');
    assert.equal(entry?.schemas?.length, 2);
  });

  void it('has a sample envelope for every detail-type, matching its source and detail-type', () => {
    let count = 0;
    for (const source of catalog.sources()) {
      for (const dt of catalog.detailTypes(source)) {
        const sample = catalog.sampleEvent(source, dt);
        assert.ok(sample, `${source} / ${dt}`);
        const roundTrip: unknown = JSON.parse(JSON.stringify(sample));
        assert.deepEqual(roundTrip, sample, 'plain JSON');
        assert.equal(sample.source, source);
        assert.equal(sample['detail-type'], dt);
        assert.equal(sample.version, '0');
        assert.match(sample.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.match(sample.account, /^\d{12}$/);
        assert.ok(!Number.isNaN(Date.parse(sample.time)), sample.time);
        assert.match(sample.region, /^[a-z]{2}-[a-z]+-\d$/);
        assert.ok(Array.isArray(sample.resources));
        for (const arn of sample.resources) assert.match(arn, /^arn:aws:/);
        assert.equal(typeof sample.detail, 'object');
        // Every top-level field of the schema appears in the sample's detail.
        for (const f of catalog.detailFields(source, dt, []) ?? []) assert.ok(f.name in sample.detail, f.name);
        count++;
      }
    }
    assert.equal(count, catalog.stats().detailTypes);
  });

  void it('gives the S3 sample the schema shape and a resource ARN', () => {
    const sample = catalog.sampleEvent('aws.s3', 'Object Created');
    const detail = sample?.detail as { bucket: { name: unknown }; object: { size: unknown } } | undefined;
    assert.equal(typeof detail?.bucket.name, 'string');
    assert.equal(detail?.object.size, 0);
    assert.deepEqual(sample?.resources, [`arn:aws:s3:::${String(detail?.bucket.name)}`]);
  });

  void it('hands out copies of samples', () => {
    const a = catalog.sampleEvent('aws.s3', 'Object Created');
    assert.ok(a);
    a.detail = {};
    assert.notDeepEqual(catalog.sampleEvent('aws.s3', 'Object Created')?.detail, {});
  });

  void it('answers unknown names with empty or undefined, never throws', () => {
    assert.equal(catalog.findSource('aws.nope'), undefined);
    assert.equal(catalog.findSource('AWS.S3'), undefined, 'sources match case-sensitively');
    assert.equal(catalog.findSource('constructor'), undefined);
    assert.equal(catalog.findSource('__proto__'), undefined);
    assert.deepEqual(catalog.detailTypes('aws.nope'), []);
    assert.equal(catalog.findDetailType('aws.s3', 'toString'), undefined);
    assert.equal(catalog.detailFields('aws.s3', 'Object Deleted Forever', []), undefined);
    assert.equal(catalog.sampleEvent('aws.nope', 'Object Created'), undefined);
  });

  void it('lists detail-types across sources and the sources of a detail-type', () => {
    const all = catalog.allDetailTypes();
    assert.ok(all.includes('Object Created') && all.includes('AWS API Call via CloudTrail'));
    assert.equal(new Set(all).size, all.length);
    const trail = catalog.sourcesOf('AWS API Call via CloudTrail');
    assert.ok(trail.includes('aws.ec2') && trail.length > 5, trail.join());
  });
});

void describe('the catalog from the events reference', () => {
  let catalog: Catalog;

  before(() => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-catalog.mjs')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    catalog = loadCatalog(catalogPath);
  });

  const GLUE = [
    'Glue Job State Change',
    'Glue Catalog State Change',
    'Glue Crawler State Change',
    'Glue Scheduled Crawler Invocation Failure',
    'Glue Job Run Status',
    'Glue Crawler Table Change',
    'Glue Data Catalog Database State Change',
    'Glue Data Catalog Table State Change',
    'Glue Statistics Task Started',
    'Glue Statistics Task Succeeded',
    'Glue Statistics Task Failed',
    'Glue Auto Statistics Invocation Failure',
    'Glue Scheduled Statistics Invocation Failure',
    'Data Quality Task State Change',
    'Data Quality Evaluation Results Available',
    'Entity Metering Event',
    'Auto debug metadata key shared from Orca',
  ];

  void it('knows every detail-type AWS documents for aws.glue, and where each is known from', () => {
    const dts = catalog.detailTypes('aws.glue');
    for (const dt of GLUE) assert.ok(dts.includes(dt), dt);
    assert.equal(catalog.isDetailTypeListComplete('aws.glue'), true);
    assert.equal(catalog.deliversViaCloudTrail('aws.glue'), true);
    assert.equal(catalog.provenance('aws.glue'), 'both');
    assert.equal(catalog.provenance('aws.glue', 'Glue Job State Change'), 'both');
    assert.equal(catalog.provenance('aws.glue', 'Glue Crawler State Change'), 'reference');
    assert.equal(catalog.hasSchema('aws.glue', 'Glue Job State Change'), true);
    assert.equal(catalog.hasSchema('aws.glue', 'Glue Crawler State Change'), false);
    assert.equal(
      catalog.findSource('aws.glue')?.page,
      'https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-glue.html',
    );
    assert.match(catalog.findSource('aws.glue')?.read ?? '', /^\d{4}-\d\d-\d\d$/);
  });

  void it('says whether a source publishes a detail-type: yes, no (complete list), or cannot tell', () => {
    assert.equal(catalog.publishes('aws.glue', 'Glue Crawler State Change'), true);
    assert.equal(catalog.publishes('aws.glue', 'AWS API Call via CloudTrail'), true);
    assert.equal(catalog.publishes('aws.glue', 'AWS Service Event via CloudTrail'), true, 'CloudTrail delivery');
    assert.equal(catalog.publishes('aws.glue', 'Glue Crawler Exploded'), false);
    assert.equal(catalog.publishes('aws.glue', 'glue crawler state change'), false, 'case-sensitive');
    // Both spellings AWS documents for IoT Analytics are published.
    assert.equal(catalog.publishes('aws.iotanalytics', 'IoT Analytics Dataset Lifecycle Notification'), true);
    assert.equal(catalog.publishes('aws.iotanalytics', 'IoT Analytics DataSet Lifecycle Notification'), true);
    // CloudWatch alarms come from aws.cloudwatch, its API calls via CloudTrail from aws.monitoring.
    assert.equal(catalog.deliversViaCloudTrail('aws.cloudwatch'), false);
    assert.equal(catalog.publishes('aws.cloudwatch', 'AWS API Call via CloudTrail'), false);
    assert.equal(catalog.publishes('aws.monitoring', 'AWS API Call via CloudTrail'), true);
    // Elsewhere a page naming no CloudTrail delivery leaves the answer open.
    assert.equal(catalog.publishes('aws.application-autoscaling', 'AWS API Call via CloudTrail'), undefined);
    // A CloudTrail-only service: its list is complete and empty of direct events.
    assert.equal(catalog.isDetailTypeListComplete('aws.sqs'), true);
    assert.equal(catalog.publishes('aws.sqs', 'AWS API Call via CloudTrail'), true);
    assert.equal(catalog.publishes('aws.sqs', 'Queue Created'), false);
    // Known only from the index, or only from the schemas: the list is not complete, the answer unknown.
    assert.ok(catalog.findSource('aws.aiops'));
    assert.equal(catalog.isDetailTypeListComplete('aws.aiops'), false);
    assert.equal(catalog.publishes('aws.aiops', 'Anything'), undefined);
    assert.equal(catalog.provenance('aws.a4b'), 'service-spec');
    assert.equal(catalog.publishes('aws.a4b', 'Anything'), undefined);
    assert.equal(catalog.publishes('aws.nope', 'Anything'), undefined);
  });

  void it('documents the CloudTrail API calls for the sources that deliver them', () => {
    const glue = catalog.documentedDetailTypes('aws.glue');
    for (const dt of GLUE) assert.ok(glue.includes(dt), dt);
    assert.equal(glue.filter((x) => x === 'AWS API Call via CloudTrail').length, 1);
    assert.deepEqual(catalog.documentedDetailTypes('aws.sqs'), ['AWS API Call via CloudTrail']);
    assert.ok(!catalog.documentedDetailTypes('aws.cloudwatch').includes('AWS API Call via CloudTrail'));
  });

  void it('gives a bare envelope for a detail-type known without a schema', () => {
    const sample = catalog.sampleEvent('aws.glue', 'Glue Crawler State Change');
    assert.ok(sample);
    assert.equal(sample.source, 'aws.glue');
    assert.equal(sample['detail-type'], 'Glue Crawler State Change');
    assert.deepEqual(sample.detail, {});
    assert.deepEqual(catalog.sampleEvent('aws.glue', 'Glue Crawler State Change'), sample, 'deterministic');
    assert.equal(catalog.detailFields('aws.glue', 'Glue Crawler State Change', []), undefined);
    assert.equal(catalog.detailField('aws.glue', 'Glue Crawler State Change', ['state']), undefined);
  });

  void it('matches the figures the README gives for it', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const n = (text: string) => Number(text.replace(/,/g, ''));
    const m =
      /\*\*([\d,]+) sources\*\* \(([\d,]+) from the reference only, ([\d,]+) from both, ([\d,]+) from the\s+schemas only\) and \*\*([\d,]+) detail-types\*\* \(([\d,]+) from the reference only, ([\d,]+) from both, ([\d,]+) from the schemas only; ([\d,]+)\s+with fields and a sample\)\. For ([\d,]+) sources/.exec(
        readme,
      );
    assert.ok(m, 'the README states the catalog figures');
    const s = catalog.stats();
    const withSchema = catalog
      .sources()
      .reduce((k, src) => k + catalog.detailTypes(src).filter((dt) => catalog.hasSchema(src, dt)).length, 0);
    assert.deepEqual(m.slice(1).map(n), [
      s.sources,
      s.byProvenance.sources.reference,
      s.byProvenance.sources.both,
      s.byProvenance.sources['service-spec'],
      s.detailTypes,
      s.byProvenance.detailTypes.reference,
      s.byProvenance.detailTypes.both,
      s.byProvenance.detailTypes['service-spec'],
      withSchema,
      s.completeSources,
    ]);
  });

  void it('counts its sources and detail-types by provenance', () => {
    const s = catalog.stats();
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    assert.equal(sum(s.byProvenance.sources), s.sources);
    assert.equal(sum(s.byProvenance.detailTypes), s.detailTypes);
    assert.ok(s.sources >= 300, `${s.sources} sources`);
    assert.ok(s.completeSources >= 150, `${s.completeSources} complete`);
    assert.ok(s.byProvenance.detailTypes.reference > 0 && s.byProvenance.detailTypes.both > 0);
  });
});

void describe('Catalog loading', () => {
  void it('does not read the file until asked, then reports a missing file clearly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    try {
      const path = join(dir, 'catalog.json');
      const c = loadCatalog(path);
      assert.equal(c.isAvailable(), false);
      assert.throws(
        () => c.sources(),
        (e: unknown) => e instanceof CatalogError && e.code === 'not-found' && /npm run build/.test(e.message),
      );
      writeFileSync(path, JSON.stringify({ format: 2, generatedFrom: 'x@1.0.0', sources: {} }));
      assert.equal(c.isAvailable(), true, 'picks up a catalog generated later');
      assert.deepEqual(c.sources(), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('rejects a file of another format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    try {
      const path = join(dir, 'catalog.json');
      writeFileSync(path, JSON.stringify({ format: 99, generatedFrom: 'x', sources: {} }));
      assert.throws(
        () => Catalog.fromFile(path).sources(),
        (e: unknown) => e instanceof CatalogError && e.code === 'invalid',
      );
      writeFileSync(path, '{ not json');
      assert.throws(
        () => Catalog.fromFile(path).sources(),
        (e: unknown) => e instanceof CatalogError && e.code === 'invalid',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('queries data given in memory', () => {
    const field = (name: string, type: CatalogField['type'], extra: Partial<CatalogField> = {}): CatalogField => ({
      name,
      type,
      ...extra,
    });
    const c = Catalog.fromData({
      format: 2,
      generatedFrom: 'fixture@0.0.0',
      sources: {
        'my.app': {
          provenance: 'service-spec',
          complete: false,
          detailTypes: {
            'Order Placed': {
              provenance: 'service-spec',
              schemas: ['my.app@OrderPlaced'],
              fields: [
                field('items', 'array', {
                  items: { type: 'object' },
                  children: [field('sku', 'string', { enum: ['A', 'B'] }), field('qty', 'integer')],
                }),
                field('labels', 'map', { items: { type: 'object' }, children: [field('color', 'string')] }),
              ],
              sample: {
                version: '0',
                id: 'x',
                'detail-type': 'Order Placed',
                source: 'my.app',
                account: '123456789012',
                time: '2024-01-01T00:00:00Z',
                region: 'us-east-1',
                resources: [],
                detail: {},
              },
            },
          },
        },
      },
    });
    assert.deepEqual(names(c.detailFields('my.app', 'Order Placed', ['items'])), ['sku', 'qty']);
    assert.deepEqual(c.detailField('my.app', 'Order Placed', ['items', 'sku'])?.enum, ['A', 'B']);
    assert.deepEqual(names(c.detailFields('my.app', 'Order Placed', ['labels'])), []);
    assert.deepEqual(names(c.detailFields('my.app', 'Order Placed', ['labels', 'any-key'])), ['color']);
    assert.equal(c.detailField('my.app', 'Order Placed', ['labels', 'k', 'color'])?.type, 'string');
    assert.equal(c.detailField('my.app', 'Order Placed', []), undefined);
    assert.throws(() => Catalog.fromData({ sources: {} }), CatalogError);
  });
});
