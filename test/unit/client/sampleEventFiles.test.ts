// "Save as Sample Event": the file an event is written to (events/<source>/<detail-type>-<n>.json, safe on every
// file system), and the tailed events kept for the pickers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventKind, safeFileName, sampleEventPath } from '../../../client/src/events/sampleEventFiles';
import { describeTailedEvent, RecentTailedEvents } from '../../../client/src/events/tailedEvents';

describe('sampleEventPath', () => {
  it('numbers from 1, after the highest number already there for the detail-type', () => {
    assert.equal(sampleEventPath('aws.s3', 'Object Created', []), 'events/aws.s3/Object Created-1.json');
    assert.equal(
      sampleEventPath('aws.s3', 'Object Created', [
        'Object Created-1.json',
        'Object Created-7.json',
        'Object Deleted-9.json',
        'notes.txt',
      ]),
      'events/aws.s3/Object Created-8.json',
    );
    // A removed file's number is not taken again: the next is after the highest.
    assert.equal(
      sampleEventPath('aws.s3', 'Object Created', ['Object Created-3.json']),
      'events/aws.s3/Object Created-4.json',
    );
  });

  it('makes names safe: reserved characters, control characters, trailing dots, reserved names, length', () => {
    assert.equal(
      sampleEventPath('my/app:v2', 'A<b>"c"|d?*', ['A_b__c__d__-2.json']),
      'events/my_app_v2/A_b__c__d__-3.json',
    );
    assert.equal(safeFileName('..'), '_');
    assert.equal(safeFileName(''), '_');
    assert.equal(safeFileName('  spaced \t out. . '), 'spaced out');
    assert.equal(safeFileName('CON'), '_CON');
    assert.equal(safeFileName('nul.txt'), '_nul.txt');
    assert.equal(safeFileName('line\nbreak\u0007'), 'line break_');
    assert.equal(safeFileName('x'.repeat(300)).length, 100);
    assert.equal(safeFileName('../../etc/passwd'), '.._.._etc_passwd');
    // A detail-type with regular-expression characters is still counted.
    assert.equal(sampleEventPath('s', 'a+b (c)', ['a+b (c)-4.json']), 'events/s/a+b (c)-5.json');
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
