// Where saved sample events go: events/<source>/<detail-type>-<n>.json (near misses: -near-miss-<n>.json), the next
// free number, names made safe for file systems, and SNS's folder kept for SNS messages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  nextSampleEventPath,
  safeFileName,
  sampleEventFileName,
  sampleEventFolder,
} from '../../../client/src/sampleEventFiles';

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

  it('names a file system refuses are made safe; missing ones get a stand-in', () => {
    assert.equal(safeFileName('a/b\\c:d*e?f"g<h>i|j', 'x'), 'a-b-c-d-e-f-g-h-i-j');
    assert.equal(safeFileName('..', 'x'), 'x');
    assert.equal(safeFileName(' .hidden. ', 'x'), 'hidden');
    assert.equal(safeFileName(42, 'x'), 'x');
    assert.deepEqual(sampleEventFolder({ body: 'a record' }), ['events', 'no-source']);
    assert.equal(sampleEventFileName({}, 1), 'event-1.json');
    assert.equal(safeFileName('a'.repeat(300), 'x').length, 100);
  });

  it('a source named sns does not land in events/sns/, which holds SNS messages', () => {
    assert.deepEqual(sampleEventFolder({ source: 'sns' }), ['events', 'sns-source']);
    assert.deepEqual(sampleEventFolder({ source: 'SNS' }), ['events', 'SNS-source']);
  });
});
