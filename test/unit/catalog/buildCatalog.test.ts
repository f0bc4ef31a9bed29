// scripts/build-catalog.mjs, run as the build runs it.
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

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
const script = join(root, 'scripts', 'build-catalog.mjs');

function run(args: string[], scriptPath = script) {
  return spawnSync(process.execPath, [scriptPath, ...args], { encoding: 'utf8' });
}

void describe('build-catalog.mjs', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'build-catalog-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  void it('writes the catalog, prints one line, and skips when up to date', () => {
    const out = join(dir, 'a', 'catalog.json');
    const first = run(['--out', out]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(
      first.stdout,
      /^catalog: wrote .*\(\d+ sources, \d+ detail-types, \d+ KiB; \d+ sources with a complete list\) .* in \d+ ms\n$/,
    );
    const written = statSync(out).mtimeMs;
    const second = run(['--out', out]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /^catalog: .* is up to date\n$/);
    assert.equal(statSync(out).mtimeMs, written, 'not rewritten');
  });

  void it('is deterministic', () => {
    const a = join(dir, 'det-a.json');
    const b = join(dir, 'det-b.json');
    assert.equal(run(['--out', a]).status, 0);
    assert.equal(run(['--out', b, '--force']).status, 0);
    assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
    const parsed = JSON.parse(readFileSync(a, 'utf8')) as { format: unknown; sources: Record<string, unknown> };
    assert.equal(parsed.format, 2);
    assert.ok(Object.keys(parsed.sources).length > 0);
  });

  void it('fails clearly when the package is not installed', () => {
    // A copy of the script in a tree without node_modules resolves no package.
    const fakeRoot = join(dir, 'bare');
    mkdirSync(join(fakeRoot, 'scripts'), { recursive: true });
    writeFileSync(join(fakeRoot, 'package.json'), '{"name":"bare","private":true}');
    copyFileSync(script, join(fakeRoot, 'scripts', 'build-catalog.mjs'));
    copyFileSync(join(root, 'scripts', 'events-reference.mjs'), join(fakeRoot, 'scripts', 'events-reference.mjs'));
    const r = run(['--out', join(fakeRoot, 'catalog.json')], join(fakeRoot, 'scripts', 'build-catalog.mjs'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /@aws-cdk\/aws-service-spec is not installed .*npm ci/);
    assert.equal(existsSync(join(fakeRoot, 'catalog.json')), false);
  });

  void it('rejects unknown arguments', () => {
    const r = run(['--nope']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unknown argument --nope/);
  });

  void it('merges the events reference with the schemas, and says where each entry comes from', () => {
    const out = join(dir, 'merged.json');
    assert.equal(run(['--out', out]).status, 0);
    interface Entry {
      provenance: string;
      fields?: unknown[];
      sample?: unknown;
    }
    interface Source {
      provenance: string;
      complete: boolean;
      cloudTrail?: boolean;
      page?: string;
      read?: string;
      detailTypes: Record<string, Entry>;
    }
    const c = JSON.parse(readFileSync(out, 'utf8')) as {
      counts: {
        sources: Record<string, number>;
        detailTypes: Record<string, number>;
        completeSources: number;
      };
      sources: Record<string, Source>;
    };
    const glue = c.sources['aws.glue'];
    assert.equal(glue.provenance, 'both');
    assert.equal(glue.complete, true);
    assert.equal(glue.cloudTrail, true);
    assert.equal(glue.page, 'https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-glue.html');
    assert.match(glue.read ?? '', /^\d{4}-\d\d-\d\d$/);
    // Known from both: fields and a sample. Known from the reference only: the name alone.
    assert.equal(glue.detailTypes['Glue Job State Change'].provenance, 'both');
    assert.ok(glue.detailTypes['Glue Job State Change'].fields?.length);
    assert.deepEqual(glue.detailTypes['Glue Crawler State Change'], { provenance: 'reference' });
    // A source the reference does not list keeps its schemas, but its list is not complete.
    const a4b = c.sources['aws.a4b'];
    assert.equal(a4b.provenance, 'service-spec');
    assert.equal(a4b.complete, false);
    assert.equal(a4b.cloudTrail, undefined);
    // A source known from the reference's index only: no detail-types, not complete.
    assert.deepEqual(c.sources['aws.aiops'].detailTypes, {});
    assert.equal(c.sources['aws.aiops'].complete, false);
    // The counts add up to what the file holds.
    const all = Object.values(c.sources);
    const bySource = (p: string) => all.filter((x) => x.provenance === p).length;
    const byType = (p: string) =>
      all.flatMap((x) => Object.values(x.detailTypes)).filter((x) => x.provenance === p).length;
    for (const p of ['reference', 'service-spec', 'both']) {
      assert.equal(c.counts.sources[p], bySource(p), `${p} sources`);
      assert.equal(c.counts.detailTypes[p], byType(p), `${p} detail-types`);
    }
    assert.equal(c.counts.completeSources, all.filter((x) => x.complete).length);
    assert.ok(c.counts.sources.reference > c.counts.sources['service-spec'], JSON.stringify(c.counts));
  });

  void it('rebuilds when the reference data changes', () => {
    const ref = join(dir, 'ref-copy.json');
    const out = join(dir, 'ref-copy-catalog.json');
    copyFileSync(join(root, 'server', 'catalog-data', 'aws-events-reference.json'), ref);
    assert.equal(run(['--out', out, '--reference', ref]).status, 0);
    assert.match(run(['--out', out, '--reference', ref]).stdout, /is up to date/);
    const later = new Date(statSync(out).mtimeMs + 5000);
    utimesSync(ref, later, later);
    assert.match(run(['--out', out, '--reference', ref]).stdout, /^catalog: wrote /);
  });

  void it('fails clearly when the reference data is missing or bad, and writes nothing', () => {
    const out = join(dir, 'never.json');
    const cases: [string, string | undefined, RegExp][] = [
      ['missing.json', undefined, /missing\.json is missing: it is part of the repository/],
      ['not-json.json', '{ "sources": ', /not-json\.json is not valid JSON/],
      ['no-sources.json', '{"about": "x"}', /no-sources\.json: has no "sources" object/],
      [
        'bad-entry.json',
        JSON.stringify({
          sources: {
            'aws.glue': {
              page: 'https://example.com/glue',
              cloudTrail: null,
              read: '2026-01-01',
              complete: true,
              detailTypes: [],
            },
          },
        }),
        /bad-entry\.json: sources\["aws\.glue"\]: "page" must be a page of https:\/\/docs\.aws\.amazon\.com/,
      ],
      [
        'twice.json',
        JSON.stringify({
          sources: {
            'aws.glue': {
              page: 'https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-glue.html',
              cloudTrail: 'glue.amazonaws.com',
              read: '2026-01-01',
              complete: true,
              detailTypes: ['Glue Job State Change', 'Glue Job State Change'],
            },
          },
        }),
        /"Glue Job State Change" is listed twice/,
      ],
    ];
    for (const [name, text, message] of cases) {
      const ref = join(dir, name);
      if (text !== undefined) writeFileSync(ref, text);
      const r = run(['--out', out, '--reference', ref, '--force']);
      assert.equal(r.status, 1, name);
      assert.match(r.stderr, /^build-catalog: /, name);
      assert.match(r.stderr, message, name);
      assert.equal(existsSync(out), false, name);
    }
  });
});

void describe('events-reference.mjs', () => {
  const refScript = join(root, 'scripts', 'events-reference.mjs');
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'events-reference-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  void it('checks the data file in the repository and prints its counts', () => {
    const r = run(['--check'], refScript);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /aws-events-reference\.json: \d+ sources \(\d+ with a complete list\), \d+ detail-types, \d+ delivering via CloudTrail\n$/,
    );
  });

  // Pages written here in the shape the reference's markdown has (an index table, one page per service).
  const INDEX = [
    '# Events',
    '',
    '| Service | Event source | CloudTrail event source |',
    '| --- | --- | --- |',
    '| [Widgets](events-ref-widgets.md "events-ref-widgets.md") | aws.widgets | widgets.amazonaws.com |',
    '| [Gadgets](events-ref-gadgets.md) | aws.gadgets | n/a |',
    '| [Sprockets](events-ref-sprockets.md) | aws.sprockets | sprockets.amazonaws.com |',
    '',
  ].join('\n');
  const WIDGETS = [
    '# Widgets events',
    '',
    'Widgets sends the following events directly to EventBridge: ',
    '+ Widget Created',
    '+ Widget `Deleted`',
    '',
    '+ `source`: aws.widgets',
    '+ `eventSource`: widgets.amazonaws.com',
    '',
  ].join('\n');
  const GADGETS = [
    '# Gadgets events',
    '',
    'Gadgets sends the following events directly to EventBridge:',
    '',
    '- Gadget State Change',
    '',
    '_Delivery type_: Best effort',
    '',
    '- `source`: aws.gadgets',
    '',
  ].join('\n');

  void it('refreshes the data from pages: names, pages, CloudTrail, completeness', () => {
    const pages = join(dir, 'pages');
    mkdirSync(pages);
    writeFileSync(join(pages, 'events.md'), INDEX);
    writeFileSync(join(pages, 'events-ref-widgets.md'), WIDGETS);
    writeFileSync(join(pages, 'events-ref-gadgets.md'), GADGETS);
    const data = join(dir, 'data.json');
    const r = run(['--pages', pages, '--read', '2030-01-02', '--data', data], refScript);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2 pages and the index read; 3 sources \(2 complete\), 3 detail-types/);
    const written = JSON.parse(readFileSync(data, 'utf8')) as { sources: Record<string, unknown> };
    assert.deepEqual(written.sources, {
      'aws.gadgets': {
        page: 'https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-gadgets.html',
        cloudTrail: null,
        read: '2030-01-02',
        complete: true,
        detailTypes: ['Gadget State Change'],
      },
      'aws.sprockets': {
        page: 'https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-sprockets.html',
        cloudTrail: 'sprockets.amazonaws.com',
        read: '2030-01-02',
        complete: false,
        detailTypes: [],
      },
      'aws.widgets': {
        page: 'https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-widgets.html',
        cloudTrail: 'widgets.amazonaws.com',
        read: '2030-01-02',
        complete: true,
        detailTypes: ['Widget Created', 'Widget Deleted'],
      },
    });
    // The result is a valid input of the build.
    const out = join(dir, 'from-pages-catalog.json');
    const b = run(['--out', out, '--reference', data]);
    assert.equal(b.status, 0, b.stderr);
    const catalog = JSON.parse(readFileSync(out, 'utf8')) as { sources: Record<string, { provenance: string }> };
    assert.equal(catalog.sources['aws.widgets'].provenance, 'reference');

    // A later refresh with one page keeps the other entries; a source gone from the index is marked so.
    const later = join(dir, 'later');
    mkdirSync(later);
    writeFileSync(join(later, 'events.md'), INDEX.replace(/^.*aws\.gadgets.*$/m, ''));
    writeFileSync(
      join(later, 'events-ref-sprockets.md'),
      '- `source`: aws.sprockets\n- `eventSource`: sprockets.amazonaws.com\n',
    );
    const again = run(['--pages', later, '--read', '2030-02-03', '--data', data], refScript);
    assert.equal(again.status, 0, again.stderr);
    const refreshed = JSON.parse(readFileSync(data, 'utf8')) as {
      sources: Record<string, { complete: boolean; read: string; inIndex?: boolean; detailTypes: string[] }>;
    };
    assert.deepEqual(refreshed.sources['aws.sprockets'].complete, true, 'a CloudTrail-only page is complete');
    assert.deepEqual(refreshed.sources['aws.sprockets'].detailTypes, []);
    assert.equal(refreshed.sources['aws.widgets'].read, '2030-01-02', 'unchanged');
    assert.equal(refreshed.sources['aws.gadgets'].inIndex, false);
  });

  void it('refuses pages it cannot read, with the file and the reason', () => {
    const pages = join(dir, 'bad-pages');
    mkdirSync(pages);
    writeFileSync(join(pages, 'events-ref-nothing.md'), '# Some page\n\nNo list here.\n');
    const data = join(dir, 'bad-data.json');
    const r = run(['--pages', pages, '--data', data], refScript);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^events-reference: .*events-ref-nothing\.md: no "`source`: aws\.<service>" line/);
    assert.equal(existsSync(data), false);
    const empty = run(['--pages', join(dir, 'no-such-dir'), '--data', data], refScript);
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /no-such-dir: no such directory/);
    assert.match(run(['--frobnicate'], refScript).stderr, /unknown argument --frobnicate/);
  });
});
