import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from '../../../client/src/aws/clients';
import {
  productionDecision,
  productionProfilesFrom,
  productionPrompt,
  profileAccount,
  profileMatches,
  signingProfile,
} from '../../../client/src/aws/production';
import { parseProfiles } from '../../../client/src/aws/profiles';

function connection(partial: Partial<Connection>): Connection {
  return { region: 'eu-west-1', endpoints: {}, credentialSource: 'profile', localBus: false, ...partial };
}

const prodSettings = { productionProfiles: ['prod', 'live-*', 'acct-??'], confirmProduction: true };

describe('profileMatches', () => {
  it('exact names, * for any run and ? for one character; case-sensitive', () => {
    assert.ok(profileMatches('prod', 'prod'));
    assert.ok(!profileMatches('prod-eu', 'prod'));
    assert.ok(!profileMatches('Prod', 'prod'));
    assert.ok(profileMatches('live-eu', 'live-*'));
    assert.ok(profileMatches('live-', 'live-*'));
    assert.ok(profileMatches('acct-42', 'acct-??'));
    assert.ok(!profileMatches('acct-4', 'acct-??'));
    assert.ok(profileMatches('anything', '*'));
    assert.ok(profileMatches('prod', '  prod '), 'blanks around a pattern are ignored');
  });

  it('other characters are literal, not regular expression syntax', () => {
    assert.ok(!profileMatches('prodX', 'prod.'));
    assert.ok(profileMatches('a.b', 'a.b'));
    assert.ok(!profileMatches('axb', 'a.b'));
    assert.ok(profileMatches('team(1)', 'team(1)'));
    assert.ok(!profileMatches('x', ''));
  });
});

describe('productionDecision', () => {
  it('asks for a production profile, naming the pattern that marked it', () => {
    assert.deepEqual(productionDecision(connection({ profile: 'live-us' }), prodSettings), {
      kind: 'confirm',
      profile: 'live-us',
      pattern: 'live-*',
    });
  });

  it('does not ask for other profiles', () => {
    assert.deepEqual(productionDecision(connection({ profile: 'dev' }), prodSettings), {
      kind: 'not-production',
      profile: 'dev',
    });
    assert.equal(
      productionDecision(connection({ profile: 'prod' }), { ...prodSettings, productionProfiles: [] }).kind,
      'not-production',
    );
  });

  it('the local bus and dummy loopback credentials are never production, whatever the profile', () => {
    assert.equal(
      productionDecision(connection({ profile: 'prod', localBus: true, credentialSource: 'profile' }), prodSettings)
        .kind,
      'local',
    );
    assert.equal(
      productionDecision(connection({ credentialSource: 'local-dummy' }), {
        ...prodSettings,
        productionProfiles: ['*'],
      }).kind,
      'local',
    );
  });

  it("the SDK's default chain counts as AWS_PROFILE, else default", () => {
    const c = connection({ credentialSource: 'default-chain' });
    assert.equal(signingProfile(c, {}), 'default');
    assert.equal(signingProfile(c, { AWS_PROFILE: 'prod' }), 'prod');
    assert.equal(productionDecision(c, prodSettings, { AWS_PROFILE: 'prod' }).kind, 'confirm');
    assert.equal(productionDecision(c, { ...prodSettings, productionProfiles: ['default'] }, {}).kind, 'confirm');
    assert.equal(productionDecision(c, prodSettings, {}).kind, 'not-production');
  });

  it('with confirmation off, goes ahead but says it is production', () => {
    assert.deepEqual(
      productionDecision(connection({ profile: 'prod' }), { ...prodSettings, confirmProduction: false }),
      {
        kind: 'unconfirmed-production',
        profile: 'prod',
        pattern: 'prod',
      },
    );
  });
});

describe('productionProfilesFrom', () => {
  it("joins the user's and the workspace's lists: a workspace adds, never removes", () => {
    assert.deepEqual(
      productionProfilesFrom({
        defaultValue: [],
        globalValue: ['prod', ' live-* '],
        workspaceValue: ['shop-prod', 'prod', '', 7],
      }),
      ['prod', 'live-*', 'shop-prod'],
    );
    assert.deepEqual(productionProfilesFrom({ defaultValue: [], workspaceValue: [] }), []);
    assert.deepEqual(productionProfilesFrom({ globalValue: 'prod' }), [], 'a non-array value is ignored');
    assert.deepEqual(productionProfilesFrom(undefined), []);
  });
});

describe('profileAccount and productionPrompt', () => {
  const profiles = parseProfiles(
    [
      '[profile prod-sso]',
      'sso_session = corp',
      'sso_account_id = 111122223333',
      '[profile prod-role]',
      'role_arn = arn:aws:iam::444455556666:role/deployer',
      'source_profile = base',
      '[profile base]',
      'region = eu-west-1',
      '[sso-session corp]',
      'sso_start_url = https://example.invalid/start',
    ].join('\n'),
    '',
  );

  it('finds the account from sso_account_id or role_arn, else none', () => {
    assert.equal(profileAccount(profiles, 'prod-sso'), '111122223333');
    assert.equal(profileAccount(profiles, 'prod-role'), '444455556666');
    assert.equal(profileAccount(profiles, 'base'), undefined);
    assert.equal(profileAccount(profiles, 'ghost'), undefined);
    assert.equal(profileAccount(undefined, 'prod-sso'), undefined);
  });

  it('names the profile, the account and region, the bus and the count', () => {
    const p = productionPrompt({
      profile: 'prod-sso',
      pattern: 'prod-*',
      region: 'eu-west-1',
      account: '111122223333',
      bus: 'orders',
      entries: 2,
    });
    assert.equal(
      p.message,
      'Send 2 events to the event bus orders with the production profile prod-sso (account 111122223333, region eu-west-1)?',
    );
    assert.match(p.detail, /"prod-\*" in eventbridgePatterns\.aws\.productionProfiles/);
    assert.equal(p.confirm, 'Send');
    const unknownAccount = productionPrompt({
      profile: 'prod',
      pattern: 'prod',
      region: 'us-east-1',
      bus: 'default',
      entries: 1,
    });
    assert.equal(
      unknownAccount.message,
      'Send 1 event to the event bus default with the production profile prod (region us-east-1)?',
    );
  });
});
