import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toPatternSettings, SEVERITY_CATEGORIES } from '../../../shared';
import { repoRoot } from '../repoPaths';

test('severity per category comes from the settings; anything invalid falls back to the default', () => {
  const s = toPatternSettings({ severity: { aws: 'warning', lint: 'off', limits: 'loud', dialect: 3 } });
  assert.deepEqual(s.severity, { aws: 'warning', limits: 'default', dialect: 'default', lint: 'off' });
  assert.deepEqual(toPatternSettings(undefined).severity, { aws: 'default', limits: 'default', dialect: 'default', lint: 'default' });
});

test('every severity category is a contributed setting with the same choices', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { enum?: string[] }> } };
  };
  for (const c of SEVERITY_CATEGORIES) {
    const prop = pkg.contributes.configuration.properties[`eventbridgePatterns.severity.${c}`];
    assert.ok(prop, `eventbridgePatterns.severity.${c} is contributed`);
    assert.deepEqual(prop.enum, ['default', 'error', 'warning', 'information', 'hint', 'off']);
  }
});

test('eventbridgePatterns.validation.yamlSyntax: a boolean, on by default, and a contributed setting', () => {
  assert.deepEqual(toPatternSettings(undefined).validation, { yamlSyntax: true });
  assert.deepEqual(toPatternSettings({ validation: { yamlSyntax: false } }).validation, { yamlSyntax: false });
  assert.deepEqual(toPatternSettings({ validation: { yamlSyntax: 'no' } }).validation, { yamlSyntax: true });
  assert.deepEqual(toPatternSettings({ validation: 3 }).validation, { yamlSyntax: true });
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { type?: string; default?: unknown }> } };
  };
  const prop = pkg.contributes.configuration.properties['eventbridgePatterns.validation.yamlSyntax'];
  assert.deepEqual([prop?.type, prop?.default], ['boolean', true]);
});
