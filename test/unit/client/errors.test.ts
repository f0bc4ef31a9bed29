import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccessDeniedException, CloudWatchLogsServiceException } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeServiceException, ResourceNotFoundException } from '@aws-sdk/client-eventbridge';
import { describeAwsError, formatAwsError, redactSecrets } from '../../../client/src/aws/errors';

const meta = { httpStatusCode: 400, requestId: 'req-1', attempts: 1, totalRetryDelay: 0 };

function serviceError(name: string, message: string): EventBridgeServiceException {
  return new EventBridgeServiceException({ name, $fault: 'client', message, $metadata: meta });
}

describe('describeAwsError', () => {
  it('keeps the code, message and request id of a service error, with a next step', () => {
    const r = describeAwsError(
      new ResourceNotFoundException({ message: 'Event bus nope does not exist.', $metadata: meta }),
      { region: 'eu-west-1', operation: 'PutEvents' },
    );
    assert.equal(r.code, 'ResourceNotFoundException');
    assert.equal(r.message, 'Event bus nope does not exist.');
    assert.equal(r.requestId, 'req-1');
    assert.match(r.nextStep ?? '', /eu-west-1.*Select Region/);
    assert.equal(
      formatAwsError(r, 'PutEvents'),
      `PutEvents failed: ResourceNotFoundException: Event bus nope does not exist. ${r.nextStep}`,
    );
  });

  it('AccessDenied names the profile and the operation', () => {
    const e = new AccessDeniedException({
      message: 'User is not authorized to perform: logs:StartLiveTail',
      $metadata: meta,
    });
    const r = describeAwsError(e, { profile: 'dev', operation: 'StartLiveTail' });
    assert.equal(r.code, 'AccessDeniedException');
    assert.match(r.nextStep ?? '', /profile dev.*StartLiveTail/);
    assert.match(describeAwsError(serviceError('AccessDenied', 'no')).nextStep ?? '', /not allowed/);
  });

  it('expired tokens: ExpiredToken(Exception) suggests refreshing, with aws sso login for the profile', () => {
    for (const code of ['ExpiredTokenException', 'ExpiredToken']) {
      const r = describeAwsError(serviceError(code, 'The security token included in the request is expired'), {
        profile: 'dev',
      });
      assert.equal(r.code, code);
      assert.match(r.nextStep ?? '', /aws sso login --profile dev/);
    }
  });

  it('an expired SSO session from the credential chain says to run aws sso login --profile X', () => {
    const e = Object.assign(
      new Error("Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile."),
      { name: 'TokenProviderError' },
    );
    const r = describeAwsError(e, { profile: 'corp-dev' });
    assert.equal(r.code, 'ExpiredSsoToken');
    assert.match(r.nextStep ?? '', /`aws sso login --profile corp-dev`/);
    const cred = Object.assign(
      new Error(
        'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
      ),
      { name: 'CredentialsProviderError' },
    );
    assert.equal(describeAwsError(cred, { profile: 'x' }).code, 'ExpiredSsoToken');
  });

  it('no credentials: says how to configure them, or to use the local bus', () => {
    const e = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    const none = describeAwsError(e, {});
    assert.equal(none.code, 'CredentialsProviderError');
    assert.match(none.nextStep ?? '', /aws configure.*Select AWS Profile.*local bus/);
    assert.match(describeAwsError(e, { profile: 'p' }).nextStep ?? '', /profile p.*aws configure --profile p/);
  });

  it('rejected keys: UnrecognizedClientException / InvalidSignatureException', () => {
    for (const code of ['UnrecognizedClientException', 'InvalidSignatureException']) {
      const r = describeAwsError(
        new CloudWatchLogsServiceException({ name: code, $fault: 'client', message: 'bad', $metadata: meta }),
        { profile: 'p' },
      );
      assert.match(r.nextStep ?? '', /did not accept the credentials of profile p/);
    }
  });

  it('connection refused at an endpoint asks whether the local bus is running', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4010'), { code: 'ECONNREFUSED' });
    const local = describeAwsError(refused, { endpoint: 'http://127.0.0.1:4010', localBus: true });
    assert.equal(local.code, 'ECONNREFUSED');
    assert.match(local.nextStep ?? '', /Is the local bus running\?/);
    const custom = describeAwsError(refused, { endpoint: 'http://127.0.0.1:4010' });
    assert.match(custom.nextStep ?? '', /Nothing answers at http:\/\/127\.0\.0\.1:4010: is the local bus/);
    // Wrapped in a cause, or in an AggregateError (Node's happy eyeballs).
    const wrapped = new Error('request failed', { cause: refused });
    assert.equal(describeAwsError(wrapped, {}).code, 'ECONNREFUSED');
    const aggregate = Object.assign(new AggregateError([refused], 'x'), {});
    assert.equal(describeAwsError(aggregate, {}).code, 'ECONNREFUSED');
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND events.xx.amazonaws.com'), { code: 'ENOTFOUND' });
    assert.match(describeAwsError(dns, { region: 'xx' }).nextStep ?? '', /region name/);
  });

  it('cancellation is not an error to show', () => {
    const abort = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    assert.equal(describeAwsError(abort).cancelled, true);
  });

  it('unknown errors keep their name and message', () => {
    const r = describeAwsError(serviceError('SomethingNew', 'odd'));
    assert.equal(r.code, 'SomethingNew');
    assert.equal(r.nextStep, undefined);
    assert.equal(describeAwsError('plain string').message, 'plain string');
  });

  it('never repeats a secret that appears in an error message', () => {
    const e = new Error(
      'failed with aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and AKIAIOSFODNN7EXAMPLE token: IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD',
    );
    const r = describeAwsError(e);
    assert.ok(!r.message.includes('wJalrXUtnFEMI'), r.message);
    assert.ok(!r.message.includes('IOSFODNN7EXAM'), r.message);
    assert.ok(!r.message.includes('IQoJb3JpZ2luX2VjEJr'), r.message);
  });
});

describe('redactSecrets', () => {
  it('redacts named secrets whatever their shape', () => {
    assert.equal(redactSecrets('aws_session_token = abc'), 'aws_session_token = [redacted]');
    assert.equal(redactSecrets('{"secretAccessKey":"s3cr3t"}'), '{"secretAccessKey":"[redacted]"}');
    assert.equal(redactSecrets('x-amz-security-token: FQoG'), 'x-amz-security-token: [redacted]');
  });

  it('shortens access key ids to their kind and last four characters', () => {
    assert.equal(redactSecrets('key AKIAIOSFODNN7EXAMPLE used'), 'key AKIA…MPLE used');
    assert.equal(redactSecrets('ASIAY34FZKBOKMUTVV7A'), 'ASIA…VV7A');
  });

  it('redacts signatures and long base64 runs, and leaves ARNs, names and ids alone', () => {
    assert.match(redactSecrets('Signature=0123456789abcdef0123456789abcdef'), /Signature=\[redacted\]$/);
    assert.equal(redactSecrets('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), '[redacted]');
    const harmless =
      'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/orders-dev:* rule big-orders id 6a7e8feb-b491-4cf7-a9f1-bf3703467718';
    assert.equal(redactSecrets(harmless), harmless);
  });
});
