import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIni } from '../../../client/src/aws/ini';
import {
  awsConfigFiles,
  configuredEndpoint,
  configuredRegion,
  describeCredentials,
  parseProfiles,
  profileNames,
} from '../../../client/src/aws/profiles';

const CONFIG = `
# comment
; another comment
[default]
region = eu-west-1
output = json

[profile dev]
region=us-east-2
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer

[profile admin]
role_arn = arn:aws:iam::111122223333:role/Admin
source_profile = dev
region = eu-central-1

[profile tools]
credential_process = /usr/local/bin/get-creds --profile "tools #1"

[profile local]
region = us-east-1
endpoint_url = http://127.0.0.1:4010
services = local-services

[profile partial]
services = local-services

[profile ignored-endpoints]
endpoint_url = http://127.0.0.1:9
ignore_configured_endpoint_urls = true

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[services local-services]
eventbridge =
  endpoint_url = http://127.0.0.1:5000
cloudwatch_logs =
  endpoint_url = http://127.0.0.1:5001

[orphan]
region = ap-south-1
`;

const CREDENTIALS = `
[default]
aws_access_key_id = AKIAEXAMPLEDEFAULT01
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[temp]
aws_access_key_id = ASIAEXAMPLETEMP00001
aws_secret_access_key = secret
aws_session_token = token

[local]
aws_access_key_id = AKIDLOCAL
aws_secret_access_key = local-secret

[profile wrong]
aws_access_key_id = x
aws_secret_access_key = y
`;

describe('parseIni', () => {
  it('reads sections, keys (lower-cased), values as written and nested sub-properties', () => {
    const ini = parseIni('[a]\nKey = Value with = sign\nparent =\n  child = 1\n  other=two\nnext = 3\n');
    assert.equal(ini.sections.length, 1);
    assert.deepEqual({ ...ini.sections[0].values }, { key: 'Value with = sign', parent: '', next: '3' });
    assert.deepEqual({ ...ini.sections[0].nested.parent }, { child: '1', other: 'two' });
    assert.deepEqual(ini.problems, []);
  });

  it('handles CRLF, a BOM, comments, blank lines and repeated headers (merged)', () => {
    const ini = parseIni('\uFEFF# c\r\n[ a ]\r\nx = 1\r\n\r\n; c\r\n[a]\r\ny = 2\r\n');
    assert.equal(ini.sections.length, 1);
    assert.equal(ini.sections[0].header, 'a');
    assert.deepEqual({ ...ini.sections[0].values }, { x: '1', y: '2' });
  });

  it('reports lines it cannot read, with their numbers', () => {
    const ini = parseIni('orphan = 1\n[a\n[b]\njunk\n');
    assert.deepEqual(
      ini.problems.map((p) => p.line),
      [1, 2, 4],
    );
  });

  it('keeps a # inside a value (no inline comments)', () => {
    const ini = parseIni('[a]\ncmd = run --tag "#1"\n');
    assert.equal(ini.sections[0].values.cmd, 'run --tag "#1"');
  });
});

describe('parseProfiles', () => {
  const set = parseProfiles(CONFIG, CREDENTIALS);

  it('lists [default], [profile x] from config and [x] from credentials; default first', () => {
    assert.deepEqual(profileNames(set), [
      'default',
      'admin',
      'dev',
      'ignored-endpoints',
      'local',
      'partial',
      'profile wrong',
      'temp',
      'tools',
    ]);
  });

  it('merges both files for one profile, the credentials file winning', () => {
    const p = set.profiles.get('default')!;
    assert.equal(p.region, 'eu-west-1');
    assert.equal(p.inConfigFile, true);
    assert.equal(p.inCredentialsFile, true);
    assert.equal(p.credentialKind, 'static');
  });

  it('classifies credential sources', () => {
    const kinds = Object.fromEntries([...set.profiles.values()].map((p) => [p.name, p.credentialKind]));
    assert.equal(kinds.dev, 'sso');
    assert.equal(kinds.admin, 'assume-role');
    assert.equal(kinds.tools, 'process');
    assert.equal(kinds.temp, 'temporary');
    assert.equal(kinds.partial, 'none');
  });

  it('reads sso-session sections', () => {
    assert.deepEqual(set.ssoSessions.get('corp'), {
      name: 'corp',
      startUrl: 'https://corp.awsapps.com/start',
      region: 'us-east-1',
    });
  });

  it('reports [x] in the config file and [profile x] in the credentials file', () => {
    assert.ok(
      set.problems.some(
        (p) => p.file === 'config' && p.message.includes('[orphan]') && p.message.includes('[profile orphan]'),
      ),
    );
    assert.ok(set.problems.some((p) => p.file === 'credentials' && p.message.includes('[profile wrong]')));
    assert.ok(!set.profiles.has('orphan'));
  });

  it('reports dangling sso_session, source_profile and services references', () => {
    const s = parseProfiles(
      '[profile a]\nsso_session = nope\n[profile b]\nrole_arn = r\nsource_profile = ghost\n[profile c]\nservices = none\n',
      '',
    );
    assert.equal(s.problems.length, 3);
  });

  it('describes credentials without secrets', () => {
    for (const p of set.profiles.values()) {
      const text = describeCredentials(p);
      assert.ok(!text.includes('wJalr') && !text.includes('AKIA') && !text.includes('ASIA'), text);
    }
    assert.match(
      describeCredentials(set.profiles.get('admin')!),
      /assumes arn:aws:iam::111122223333:role\/Admin from profile dev/,
    );
  });
});

describe('configuredEndpoint', () => {
  const set = parseProfiles(CONFIG, CREDENTIALS);

  it('prefers the services section, then endpoint_url', () => {
    assert.equal(configuredEndpoint(set, 'local', 'eventbridge', {}), 'http://127.0.0.1:5000');
    assert.equal(configuredEndpoint(set, 'local', 'cloudwatch_logs', {}), 'http://127.0.0.1:5001');
    assert.equal(configuredEndpoint(set, 'local', 'cloudformation', {}), 'http://127.0.0.1:4010');
    assert.equal(configuredEndpoint(set, 'partial', 'cloudformation', {}), undefined);
    assert.equal(configuredEndpoint(set, 'dev', 'eventbridge', {}), undefined);
  });

  it('lets the environment win: the service variable, then AWS_ENDPOINT_URL', () => {
    assert.equal(
      configuredEndpoint(set, 'local', 'eventbridge', {
        AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://e',
        AWS_ENDPOINT_URL: 'http://g',
      }),
      'http://e',
    );
    assert.equal(configuredEndpoint(set, 'local', 'cloudwatch_logs', { AWS_ENDPOINT_URL: 'http://g' }), 'http://g');
    assert.equal(
      configuredEndpoint(set, undefined, 'cloudwatch_logs', { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://l' }),
      'http://l',
    );
  });

  it('honours ignore_configured_endpoint_urls', () => {
    assert.equal(configuredEndpoint(set, 'ignored-endpoints', 'eventbridge', {}), undefined);
    assert.equal(
      configuredEndpoint(set, 'local', 'eventbridge', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }),
      undefined,
    );
  });
});

describe('configuredRegion and file locations', () => {
  const set = parseProfiles(CONFIG, CREDENTIALS);
  it('takes AWS_REGION, AWS_DEFAULT_REGION, then the profile', () => {
    assert.equal(configuredRegion(set, 'admin', {}), 'eu-central-1');
    assert.equal(configuredRegion(set, 'admin', { AWS_DEFAULT_REGION: 'sa-east-1' }), 'sa-east-1');
    assert.equal(
      configuredRegion(set, 'admin', { AWS_REGION: 'ap-east-1', AWS_DEFAULT_REGION: 'sa-east-1' }),
      'ap-east-1',
    );
    assert.equal(configuredRegion(set, 'tools', {}), undefined);
  });

  it('finds the files under HOME or where the environment says, expanding ~', () => {
    assert.deepEqual(awsConfigFiles({}, '/home/u'), {
      configPath: '/home/u/.aws/config',
      credentialsPath: '/home/u/.aws/credentials',
    });
    assert.deepEqual(
      awsConfigFiles({ AWS_CONFIG_FILE: '~/cfg', AWS_SHARED_CREDENTIALS_FILE: '/etc/creds' }, '/home/u'),
      {
        configPath: '/home/u/cfg',
        credentialsPath: '/etc/creds',
      },
    );
  });
});
