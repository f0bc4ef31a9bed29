// "Tail Rule Log Targets" and Lambda targets: the function's own log group (/aws/lambda/<name>) is tailed beside the
// rule's log-group targets, and a function that has not written a log yet is named rather than failing the tail.
import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { functionLogGroupFromArn } from '../../../client/src/aws/arns';
import { logTargetsOf, missingLogGroups } from '../../../client/src/aws/ruleTargets';
import { startLocalBus } from '../../../server/src/localbus';

describe('rule targets to tail', () => {
  it('include the log group of each Lambda function targeted, once, whatever the qualifier', () => {
    const targets = logTargetsOf([
      { Id: 'log', Arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/orders:*' },
      { Id: 'fn', Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:process-order' },
      { Id: 'alias', Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:process-order:live' },
      { Id: 'queue', Arn: 'arn:aws:sqs:eu-west-1:123456789012:orders' },
    ]);
    const fnGroup = {
      name: '/aws/lambda/process-order',
      arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/process-order',
      region: 'eu-west-1',
      accountId: '123456789012',
    };
    assert.deepEqual(
      targets.logGroups.map((g) => g.name),
      ['/aws/events/orders', '/aws/lambda/process-order'],
    );
    assert.deepEqual(targets.functionLogGroups, [fnGroup]);
    assert.deepEqual(targets.others, ['queue (arn:aws:sqs:eu-west-1:123456789012:orders)']);
    assert.equal(functionLogGroupFromArn('arn:aws:lambda:eu-west-1:123456789012:layer:x:1'), undefined);
    assert.equal(functionLogGroupFromArn('not an arn'), undefined);
  });

  it('leave out the groups of functions that have not written a log yet', async () => {
    const bus = await startLocalBus();
    const logs = new CloudWatchLogsClient({
      region: 'eu-west-1',
      endpoint: bus.url,
      credentials: { accessKeyId: 'AKIDTAILTEST', secretAccessKey: 'tail-test-secret' },
      maxAttempts: 1,
    });
    try {
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/ran' }));
      // A longer name sharing the prefix is another group.
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/never-2' }));
      const groups = logTargetsOf([
        { Id: 'a', Arn: 'arn:aws:lambda:eu-west-1:000000000000:function:ran' },
        { Id: 'b', Arn: 'arn:aws:lambda:eu-west-1:000000000000:function:never' },
      ]).functionLogGroups;
      assert.deepEqual(
        (await missingLogGroups(logs, groups)).map((g) => g.name),
        ['/aws/lambda/never'],
      );
    } finally {
      logs.destroy();
      await bus.close();
    }
  });
});
