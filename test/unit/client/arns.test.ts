import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { busName, logGroupFromArn, parseArn, ruleFromArn, ruleFromPhysicalId } from '../../../client/src/aws/arns';

describe('ARNs', () => {
  it('parses the parts, keeping colons in the resource', () => {
    assert.deepEqual(parseArn('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/x:*'), {
      partition: 'aws',
      service: 'logs',
      region: 'eu-west-1',
      accountId: '123456789012',
      resource: 'log-group:/aws/events/x:*',
    });
    assert.equal(parseArn('not an arn'), undefined);
    assert.equal(parseArn('arn:aws:logs'), undefined);
  });

  it('finds log groups in target ARNs, with or without the trailing :*', () => {
    const expected = {
      name: '/aws/events/orders',
      arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/orders',
      region: 'eu-west-1',
      accountId: '123456789012',
    };
    assert.deepEqual(logGroupFromArn('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/orders:*'), expected);
    assert.deepEqual(logGroupFromArn('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/orders'), expected);
    assert.equal(logGroupFromArn('arn:aws:logs:eu-west-1:123456789012:log-group:g:log-stream:s')?.name, 'g');
    assert.equal(
      logGroupFromArn('arn:aws-cn:logs:cn-north-1:1:log-group:g')?.arn,
      'arn:aws-cn:logs:cn-north-1:1:log-group:g',
    );
  });

  it('rejects targets that are not log groups', () => {
    assert.equal(logGroupFromArn('arn:aws:sqs:eu-west-1:123456789012:queue'), undefined);
    assert.equal(logGroupFromArn('arn:aws:lambda:eu-west-1:123456789012:function:f'), undefined);
    assert.equal(logGroupFromArn('arn:aws:logs:eu-west-1:123456789012:destination:d'), undefined);
    assert.equal(logGroupFromArn('arn:aws:logs:eu-west-1:123456789012:log-group::*'), undefined);
  });

  it('reads rule ARNs on the default and on custom buses', () => {
    assert.deepEqual(ruleFromArn('arn:aws:events:us-east-1:1:rule/r1'), { name: 'r1', eventBusName: 'default' });
    assert.deepEqual(ruleFromArn('arn:aws:events:us-east-1:1:rule/orders/r2'), { name: 'r2', eventBusName: 'orders' });
    assert.equal(ruleFromArn('arn:aws:events:us-east-1:1:event-bus/orders'), undefined);
  });

  it('reads CloudFormation physical ids of rules (NAME, BUS|NAME, ARN)', () => {
    assert.deepEqual(ruleFromPhysicalId('stack-Rule-ABC'), { name: 'stack-Rule-ABC', eventBusName: 'default' });
    assert.deepEqual(ruleFromPhysicalId('stack-Rule-ABC', 'orders'), {
      name: 'stack-Rule-ABC',
      eventBusName: 'orders',
    });
    assert.deepEqual(ruleFromPhysicalId('orders|big-orders'), { name: 'big-orders', eventBusName: 'orders' });
    assert.deepEqual(ruleFromPhysicalId('arn:aws:events:us-east-1:1:rule/orders/x'), {
      name: 'x',
      eventBusName: 'orders',
    });
    assert.equal(ruleFromPhysicalId(''), undefined);
    assert.equal(ruleFromPhysicalId('|x'), undefined);
  });

  it('takes a bus name from a name or an ARN', () => {
    assert.equal(busName('orders'), 'orders');
    assert.equal(busName('arn:aws:events:us-east-1:1:event-bus/orders'), 'orders');
  });
});
