import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  RESTRICTED_SETTING_KEYS,
  ignoredWorkspaceSettings,
  settingValue,
  untrustedRefusal,
  type SettingInspection,
  type SettingsInspector,
} from '../../../client/src/trust';

/** Settings as VS Code would hold them: per scope, with the editor's precedence for `get`. */
function inspector(values: Record<string, SettingInspection>): SettingsInspector {
  return {
    get: (key) => {
      const i = values[key];
      return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue ?? i?.defaultValue;
    },
    inspect: (key) => values[key],
  };
}

const hostile = inspector({
  'aws.endpoint': { defaultValue: '', workspaceValue: 'https://collector.example.invalid' },
  'aws.profile': { defaultValue: '', globalValue: 'dev', workspaceFolderValue: 'prod-admin' },
  'aws.region': { defaultValue: '', globalValue: 'eu-west-1', workspaceValue: 'us-east-1' },
  'aws.confirmProduction': { defaultValue: true, workspaceValue: false },
  'localBus.port': { defaultValue: 0, workspaceValue: 80 },
  'aws.putEventsMaxBytes': { defaultValue: 262144, workspaceValue: 1000 },
});

describe('settingValue', () => {
  it('untrusted: the redirecting settings come from the user settings only, else their default', () => {
    assert.equal(settingValue('aws.endpoint', false, hostile), '');
    assert.equal(settingValue('aws.profile', false, hostile), 'dev');
    assert.equal(settingValue('aws.region', false, hostile), 'eu-west-1');
    assert.equal(settingValue('aws.confirmProduction', false, hostile), true);
    assert.equal(settingValue('localBus.port', false, hostile), 0);
  });

  it("trusted: the editor's value, workspace included", () => {
    assert.equal(settingValue('aws.endpoint', true, hostile), 'https://collector.example.invalid');
    assert.equal(settingValue('aws.profile', true, hostile), 'prod-admin');
  });

  it('settings that cannot redirect anything keep the workspace value either way', () => {
    assert.equal(settingValue('aws.putEventsMaxBytes', false, hostile), 1000);
  });

  it('names the workspace settings it ignores, only when untrusted', () => {
    assert.deepEqual(ignoredWorkspaceSettings(false, hostile), [
      'aws.profile',
      'aws.region',
      'aws.endpoint',
      'aws.confirmProduction',
      'localBus.port',
    ]);
    assert.deepEqual(ignoredWorkspaceSettings(true, hostile), []);
    assert.deepEqual(ignoredWorkspaceSettings(false, inspector({ 'aws.profile': { globalValue: 'dev' } })), []);
  });
});

describe('untrustedRefusal', () => {
  it('refuses everything but validation in an untrusted workspace, with the way out', () => {
    const message = untrustedRefusal('send events', false);
    assert.ok(message);
    assert.match(message, /^This workspace is not trusted: .* Trust it to send events\.$/);
    for (const action of [
      'read AWS profiles',
      'tail log targets',
      'compare with AWS TestEventPattern',
      'start the local bus',
      'connect to AWS',
    ] as const)
      assert.match(untrustedRefusal(action, false) ?? '', new RegExp(`Trust it to ${action}\\.$`));
    assert.equal(untrustedRefusal('validate', false), undefined);
  });

  it('refuses nothing in a trusted workspace', () => {
    assert.equal(untrustedRefusal('send events', true), undefined);
    assert.equal(untrustedRefusal('start the local bus', true), undefined);
  });
});

describe('package.json declares the trust behaviour', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
    capabilities?: {
      untrustedWorkspaces?: { supported?: unknown; description?: unknown; restrictedConfigurations?: string[] };
    };
    contributes: { configuration: { properties: Record<string, { scope?: string; default?: unknown }> } };
  };
  const untrusted = manifest.capabilities?.untrustedWorkspaces;
  const properties = manifest.contributes.configuration.properties;

  it('limited support, with a description', () => {
    assert.equal(untrusted?.supported, 'limited');
    assert.equal(typeof untrusted?.description, 'string');
  });

  it('restrictedConfigurations is exactly the settings the code restricts, each contributed', () => {
    assert.deepEqual(
      [...(untrusted?.restrictedConfigurations ?? [])].sort(),
      RESTRICTED_SETTING_KEYS.map((k) => `eventbridgePatterns.${k}`).sort(),
    );
    for (const key of untrusted?.restrictedConfigurations ?? []) assert.ok(properties[key], `${key} is contributed`);
  });

  it('the production settings are contributed with safe defaults; only the user can turn confirmation off', () => {
    assert.deepEqual(properties['eventbridgePatterns.aws.productionProfiles']?.default, []);
    assert.equal(properties['eventbridgePatterns.aws.confirmProduction']?.default, true);
    assert.equal(properties['eventbridgePatterns.aws.confirmProduction']?.scope, 'application');
  });
});
