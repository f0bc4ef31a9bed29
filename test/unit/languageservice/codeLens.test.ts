// "Test against sample events" lenses through the facade, and the reading of events/**/*.json by the LSP layer.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import {
  SHOW_PATTERN_TEST_RESULTS_COMMAND,
  setSampleEvents,
  type PatternTestResults,
} from '../../../server/src/languageservice/features/patternCodeLens';
import { readSampleEventFiles } from '../../../server/src/languageserver/server';

function lenses(uri: string, text: string, service = getLanguageService()) {
  const doc = TextDocument.create(uri, uri.endsWith('.json') ? 'json' : 'yaml', 1, text);
  return service.doCodeLens(doc).map((l) => ({
    line: l.range.start.line,
    title: l.command?.title,
    command: l.command?.command,
    results: l.command?.arguments?.[0] as PatternTestResults,
  }));
}

const event = (state: string) =>
  JSON.stringify({
    version: '0',
    id: '1',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '123456789012',
    time: '2024-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { 'instance-id': 'i-1', state },
  });

const RUNNING =
  '{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], "detail": {"state": ["running"]}}';

describe('sample event lenses', () => {
  test("catalog samples and the user's files: counts, per-event verdicts, reasons for the misses", () => {
    const service = getLanguageService();
    setSampleEvents(service, [
      { name: 'events/running.json', text: event('running'), uri: 'file:///w/events/running.json' },
      { name: 'events/batch.json', text: `[${event('stopped')}, ${event('running')}]` },
      { name: 'events/broken.json', text: '{"source": ' },
    ]);
    const [lens, ...rest] = lenses('file:///w/rule.eventpattern.json', RUNNING, service);
    assert.equal(rest.length, 0);
    assert.equal(lens.title, '▶ 2 of 4 sample events match');
    assert.equal(lens.command, SHOW_PATTERN_TEST_RESULTS_COMMAND);
    assert.equal(lens.line, 0);
    const r = lens.results;
    assert.equal(r.uri, 'file:///w/rule.eventpattern.json');
    assert.deepEqual([r.matched, r.tested], [2, 4]);
    assert.deepEqual(r.range, { start: { line: 0, character: 0 }, end: { line: 0, character: RUNNING.length } });
    assert.deepEqual(
      r.results.map((x) => [x.name, x.origin, x.matched, x.error !== undefined]),
      [
        ['aws.ec2 / EC2 Instance State-change Notification (catalog sample)', 'catalog', false, false],
        ['events/running.json', 'workspace', true, false],
        ['events/batch.json[0]', 'workspace', false, false],
        ['events/batch.json[1]', 'workspace', true, false],
        ['events/broken.json', 'workspace', false, true],
      ],
    );
    assert.equal(r.results[1].uri, 'file:///w/events/running.json');
    assert.deepEqual(r.results[2].reasons.length, 1);
    assert.match(r.results[2].reasons[0], /^detail\.state is "stopped"; the pattern wants: .*"running"/);
    assert.match(r.results[0].reasons[0], /^detail\.state is "example-state"/);
    assert.deepEqual(r.results[1].reasons, []);
  });

  test('one lens per valid site, above the EventPattern key; none for an invalid pattern', () => {
    const text = [
      'Resources:',
      '  Good:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern:',
      '        source: [aws.ec2]',
      '        detail-type: [EC2 Instance State-change Notification]',
      '  Bad:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern:',
      '        source: aws.ec2',
      '  AsString:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      `      EventPattern: '${RUNNING}'`,
      '',
    ].join('\n');
    const found = lenses('file:///w/template.yaml', text);
    assert.deepEqual(
      found.map((l) => [l.line, l.title]),
      [
        [4, '▶ 1 of 1 sample event matches'],
        [15, '▶ 0 of 1 sample event matches'],
      ],
    );
  });

  test('a detail-type known without a schema brings no catalog sample; its schema siblings still do', () => {
    const pattern = (dts: string[]) =>
      JSON.stringify({ source: ['aws.glue'], 'detail-type': dts, detail: { state: ['FAILED'] } });
    const service = getLanguageService();
    setSampleEvents(service, []);
    assert.deepEqual(
      lenses('file:///w/p.eventpattern.json', pattern(['Glue Crawler State Change']), service).map((l) => l.title),
      ['▶ No sample events for this pattern: add some to events/*.json'],
    );
    const [both] = lenses(
      'file:///w/p.eventpattern.json',
      pattern(['Glue Crawler State Change', 'Glue Job State Change']),
      service,
    );
    assert.deepEqual(
      both.results.results.map((r) => r.name),
      ['aws.glue / Glue Job State Change (catalog sample)'],
    );
  });

  test('a source alone brings the catalog samples of its detail-types (bounded)', () => {
    const [lens] = lenses('file:///w/p.eventpattern.json', '{"source": ["aws.s3"]}');
    assert.equal(lens.results.results.length, 10);
    assert.ok(lens.results.results.every((x) => x.matched && x.name.startsWith('aws.s3 / ')));
  });

  test('no samples at all: the lens says where to put some', () => {
    const [lens] = lenses('file:///w/p.eventpattern.json', '{"source": ["com.example.orders"]}');
    assert.equal(lens.title, '▶ No sample events for this pattern: add some to events/*.json');
    assert.deepEqual(lens.results.results, []);
  });
});

describe('reading events/**/*.json', () => {
  test('files below events/ in each folder, sorted, with sizes and counts bounded and problems reported', async () => {
    const root = mkdtempSync(join(tmpdir(), 'eb-events-'));
    try {
      const a = join(root, 'a');
      mkdirSync(join(a, 'events', 'nested'), { recursive: true });
      writeFileSync(join(a, 'events', 'one.json'), '{"a": 1}');
      writeFileSync(join(a, 'events', 'nested', 'two.json'), '[{"b": 2}]');
      writeFileSync(join(a, 'events', 'notes.txt'), 'not an event');
      writeFileSync(join(a, 'events', 'big.json'), `{"x": "${'y'.repeat(200)}"}`);
      writeFileSync(join(a, 'events', 'three.json'), '{}');
      const b = join(root, 'b'); // no events/ folder: nothing to report
      mkdirSync(b);
      const folders = [pathToFileURL(a).href, pathToFileURL(b).href, 'untitled:whatever'];
      const loaded = await readSampleEventFiles(folders, { maxFiles: 2, maxFileBytes: 100, maxDepth: 4 });
      assert.deepEqual(
        loaded.files.map((f) => [f.name, f.text, f.uri]),
        [
          ['events/one.json', '{"a": 1}', pathToFileURL(join(a, 'events', 'one.json')).href],
          ['events/three.json', '{}', pathToFileURL(join(a, 'events', 'three.json')).href],
        ],
      );
      assert.equal(loaded.problems.length, 2);
      assert.match(loaded.problems[0], /big\.json is \d+ bytes, over the 100-byte limit for sample events: skipped$/);
      assert.equal(loaded.problems[1], '1 more sample event files skipped (at most 2 are read)');
      const all = await readSampleEventFiles(folders);
      assert.deepEqual(
        all.files.map((f) => f.name),
        ['events/big.json', 'events/one.json', 'events/three.json', 'events/nested/two.json'],
      );
      assert.deepEqual(all.problems, []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
