import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  LOCAL_DEFAULT_REGION,
  checkEndpointUrl,
  describeConnection,
  isLoopbackEndpoint,
  resolveConnection,
} from '../../../client/src/aws/clients';
import { parseProfiles } from '../../../client/src/aws/profiles';

const set = parseProfiles(
  '[default]\nregion = eu-west-1\n[profile dev]\nregion = us-east-2\n[profile local]\nregion = ap-south-1\nendpoint_url = http://127.0.0.1:4010\n[profile nor]\n',
  '[default]\naws_access_key_id = AKIDX\naws_secret_access_key = y\n',
);
const BUS = 'http://127.0.0.1:5555';

describe('resolveConnection', () => {
  it('no profile and a running local bus: the local bus, dummy credentials, us-east-1', () => {
    const r = resolveConnection({}, parseProfiles('', ''), BUS, {});
    assert.ok(r.ok);
    assert.equal(r.connection.localBus, true);
    assert.equal(r.connection.credentialSource, 'local-dummy');
    assert.equal(r.connection.region, LOCAL_DEFAULT_REGION);
    assert.deepEqual(r.connection.endpoints, { eventbridge: BUS, cloudwatch_logs: BUS, cloudformation: BUS });
    assert.match(
      describeConnection(r.connection),
      /dummy local credentials, us-east-1, local bus http:\/\/127\.0\.0\.1:5555/,
    );
  });

  it("a profile wins over the local bus: AWS endpoints, the profile's region", () => {
    const r = resolveConnection({ profile: 'dev' }, set, BUS, {});
    assert.ok(r.ok);
    assert.equal(r.connection.localBus, false);
    assert.equal(r.connection.credentialSource, 'profile');
    assert.equal(r.connection.region, 'us-east-2');
    assert.deepEqual(r.connection.endpoints, {});
  });

  it("a profile's endpoint_url is used (the SDK would ignore it for a non-default profile)", () => {
    const r = resolveConnection({ profile: 'local' }, set, undefined, {});
    assert.ok(r.ok);
    assert.equal(r.connection.endpoints.cloudwatch_logs, 'http://127.0.0.1:4010');
    assert.equal(r.connection.region, 'ap-south-1');
    assert.equal(r.connection.credentialSource, 'profile');
  });

  it('the endpoint and region settings win over everything', () => {
    const r = resolveConnection(
      { profile: 'local', endpoint: 'http://localhost:9000', region: 'eu-north-1' },
      set,
      BUS,
      {},
    );
    assert.ok(r.ok);
    assert.equal(r.connection.endpoints.eventbridge, 'http://localhost:9000');
    assert.equal(r.connection.region, 'eu-north-1');
  });

  it("no profile and no bus: the default chain with the default profile's region", () => {
    const r = resolveConnection({}, set, undefined, {});
    assert.ok(r.ok);
    assert.equal(r.connection.credentialSource, 'default-chain');
    assert.equal(r.connection.region, 'eu-west-1');
  });

  it('no profile and a loopback endpoint setting: dummy credentials', () => {
    const r = resolveConnection({ endpoint: 'http://127.0.0.1:4566' }, parseProfiles('', ''), undefined, {});
    assert.ok(r.ok);
    assert.equal(r.connection.credentialSource, 'local-dummy');
    assert.equal(r.connection.localBus, false);
  });

  it('says why when it cannot connect', () => {
    const unknown = resolveConnection({ profile: 'ghost' }, set, BUS, {});
    assert.ok(!unknown.ok && /Profile ghost is not in the AWS config/.test(unknown.reason));
    const noRegion = resolveConnection({ profile: 'nor' }, set, undefined, {});
    assert.ok(!noRegion.ok && /No AWS region for profile nor.*Select Region/.test(noRegion.reason));
    const badRegion = resolveConnection({ profile: 'dev', region: 'Mars' }, set, undefined, {});
    assert.ok(!badRegion.ok && /not a region name/.test(badRegion.reason));
    const badEndpoint = resolveConnection({ endpoint: 'ftp://x' }, set, undefined, {});
    assert.ok(!badEndpoint.ok && /http/.test(badEndpoint.reason));
  });

  it('takes the region from AWS_REGION before the profile', () => {
    const r = resolveConnection({ profile: 'dev' }, set, undefined, { AWS_REGION: 'ca-central-1' });
    assert.ok(r.ok && r.connection.region === 'ca-central-1');
  });
});

describe('endpoint URLs', () => {
  it('accepts http(s) URLs without a path', () => {
    assert.equal(checkEndpointUrl('http://127.0.0.1:4010'), undefined);
    assert.equal(checkEndpointUrl('https://events.example.com/'), undefined);
    assert.match(checkEndpointUrl('127.0.0.1:4010') ?? '', /http/);
    assert.match(checkEndpointUrl('nonsense') ?? '', /not a URL/);
    assert.match(checkEndpointUrl('http://h/path') ?? '', /path/);
  });

  it('knows loopback hosts', () => {
    assert.ok(isLoopbackEndpoint('http://127.0.0.1:1'));
    assert.ok(isLoopbackEndpoint('http://localhost:1'));
    assert.ok(isLoopbackEndpoint('http://[::1]:1'));
    assert.ok(!isLoopbackEndpoint('https://events.us-east-1.amazonaws.com'));
  });
});
