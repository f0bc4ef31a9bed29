// Where saved sample events go (Generate Sample Events, Save as Sample Event): events/<source>/<detail-type>-<n>.json
// (near misses: -near-miss-<n>.json), the next free number, names made safe for every file system, SNS's folder kept
// for SNS messages; and the tailed events kept for the pickers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventKind,
  nextSampleEventPath,
  safeFileName,
  sampleEventFileName,
  sampleEventFolder,
} from '../../../client/src/sampleEventFiles';
import { describeTailedEvent, RecentTailedEvents } from '../../../client/src/events/tailedEvents';

const s3 = { source: 'aws.s3', 'detail-type': 'Object Created' };

describe('sample event files', () => {
  it('events/<source>/<detail-type>-<n>.json, near misses named so', () => {
    assert.deepEqual(sampleEventFolder(s3), ['events', 'aws.s3']);
    assert.equal(sampleEventFileName(s3, 1), 'Object Created-1.json');
    assert.equal(sampleEventFileName(s3, 2, 'near-miss'), 'Object Created-near-miss-2.json');
  });

  it('the next number free on disk and in the batch', () => {
    const onDisk = new Set(['events/aws.s3/Object Created-1.json', 'events/aws.s3/Object Created-3.json']);
    const claimed = new Set<string>();
    const taken = (p: string): boolean => onDisk.has(p);
    assert.equal(nextSampleEventPath(s3, 'event', taken, claimed), 'events/aws.s3/Object Created-2.json');
    assert.equal(nextSampleEventPath(s3, 'event', taken, claimed), 'events/aws.s3/Object Created-4.json');
    assert.equal(nextSampleEventPath(s3, 'near-miss', taken, claimed), 'events/aws.s3/Object Created-near-miss-1.json');
  });

  it('makes names safe: reserved characters, control characters, trailing dots, reserved names, length', () => {
    const event = { source: 'my/app:v2', 'detail-type': 'A<b>"c"|d?*' };
    assert.equal(
      nextSampleEventPath(event, 'event', () => false, new Set()),
      'events/my_app_v2/A_b__c__d__-1.json',
    );
    assert.equal(safeFileName('..'), '_');
    assert.equal(safeFileName(''), '_');
    assert.equal(safeFileName('', 'x'), 'x');
    assert.equal(safeFileName(42, 'x'), 'x');
    assert.equal(safeFileName('  spaced \t out. . '), 'spaced out');
    assert.equal(safeFileName('CON'), '_CON');
    assert.equal(safeFileName('nul.txt'), '_nul.txt');
    assert.equal(safeFileName('line\nbreak\u0007'), 'line break_');
    assert.equal(safeFileName('x'.repeat(300)).length, 100);
    assert.equal(safeFileName('../../etc/passwd'), '.._.._etc_passwd');
    assert.deepEqual(sampleEventFolder({ body: 'a record' }), ['events', 'no-source']);
    assert.equal(sampleEventFileName({}, 1), 'event-1.json');
  });

  it('a source named sns does not land in events/sns/, which holds SNS messages', () => {
    assert.deepEqual(sampleEventFolder({ source: 'sns' }), ['events', 'sns-source']);
    assert.deepEqual(sampleEventFolder({ source: 'SNS' }), ['events', 'SNS-source']);
  });

  it('reads source and detail-type only when they are strings', () => {
    assert.deepEqual(eventKind({ source: 'a', 'detail-type': 'b' }), { source: 'a', detailType: 'b' });
    assert.equal(eventKind({ source: 'a' }), undefined);
    assert.equal(eventKind([]), undefined);
    assert.equal(eventKind(null), undefined);
  });
});

describe('RecentTailedEvents', () => {
  it('keeps log messages that are events, newest first, up to its bound', () => {
    const recent = new RecentTailedEvents(2);
    assert.equal(recent.add('not json', '/g', 1), false);
    assert.equal(recent.add('{"message": "a log line"}', '/g', 2), false);
    assert.equal(recent.add('[1]', '/g', 2), false);
    assert.equal(recent.add('{"source": "a", "detail-type": "one"}', '/g', 3), true);
    recent.add('{"source": "a", "detail-type": "two"}', '/g', 4);
    recent.add('{"source": "a", "detail-type": "three"}', '/aws/events/local', 5);
    assert.deepEqual(
      recent.list().map((e) => e.event['detail-type']),
      ['three', 'two'],
    );
    assert.deepEqual(describeTailedEvent(recent.list()[0]), {
      label: 'a / three',
      description: '1970-01-01T00:00:00.005Z · /aws/events/local',
    });
    recent.clear();
    assert.equal(recent.list().length, 0);
  });
});
