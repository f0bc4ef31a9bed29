import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { editDistance, suggest } from '../../../server/src/catalog/catalog';

void describe('editDistance', () => {
  void it('counts insertions, deletions, substitutions and transpositions, ignoring case', () => {
    assert.equal(editDistance('aws.s3', 'aws.s3'), 0);
    assert.equal(editDistance('AWS.S3', 'aws.s3'), 0);
    assert.equal(editDistance('aws.s', 'aws.s3'), 1);
    assert.equal(editDistance('aws.s34', 'aws.s3'), 1);
    assert.equal(editDistance('aws.s4', 'aws.s3'), 1);
    assert.equal(editDistance('aws.3s', 'aws.s3'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  void it('gives up past the limit', () => {
    assert.equal(editDistance('aws.s3', 'aws.cloudformation', 2), 3);
    assert.equal(editDistance('abcdef', 'uvwxyz', 1), 2);
  });
});

void describe('suggest', () => {
  const sources = ['aws.ec2', 'aws.ecs', 'aws.s3', 'aws.states', 'aws.ssm'];

  void it('proposes the closest candidate', () => {
    assert.equal(suggest('aws.s33', sources), 'aws.s3');
    assert.equal(suggest('aws.stats', sources), 'aws.states');
    assert.equal(suggest('aws.ec', sources), 'aws.ec2', 'ties go to the earliest candidate');
  });

  void it('proposes a candidate that differs only in case', () => {
    assert.equal(suggest('AWS.S3', sources), 'aws.s3');
    assert.equal(
      suggest('EC2 Instance State Change Notification', ['EC2 Instance State-change Notification']),
      'EC2 Instance State-change Notification',
    );
  });

  void it('proposes nothing when nothing is close, or for an exact match', () => {
    assert.equal(suggest('aws.cloudformation', sources), undefined);
    assert.equal(suggest('xyz', sources), undefined);
    assert.equal(suggest('aws.s3', ['aws.s3']), undefined);
    assert.equal(suggest('anything', []), undefined);
  });

  void it('honours an explicit tolerance', () => {
    assert.equal(suggest('aws.s3x', sources, 0), undefined);
    assert.equal(suggest('aws.ssmxx', sources, 2), 'aws.ssm');
  });
});
