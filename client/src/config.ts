// Typed access to the extension's settings. Every setting the client reads goes through this module; names and
// defaults match `contributes.configuration` in package.json.
import * as vscode from 'vscode';
import { DEFAULT_PATTERN_FILE_GLOBS, SETTINGS_SECTION } from '../../shared';
import { productionProfilesFrom } from './aws/production';
import { settingValue, type SettingsInspector } from './trust';

/** The settings section. It is also the language client's id, so the client honours `<section>.trace.server`. */
export const CONFIG_SECTION = SETTINGS_SECTION;

export type TraceSetting = 'off' | 'messages' | 'verbose';

export interface ExtensionConfig {
  /** Globs, relative to a workspace folder, of standalone event pattern files. */
  readonly patternFileGlobs: readonly string[];
  /** How much of the traffic between client and server is logged to the output channel. */
  readonly traceServer: TraceSetting;
}

const TRACE_SETTINGS: readonly TraceSetting[] = ['off', 'messages', 'verbose'];

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Reads the settings; a value of the wrong type (hand-edited settings.json) gets its default. */
export function readConfig(scope?: vscode.ConfigurationScope): ExtensionConfig {
  const section = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const globs = section.get<unknown>('patternFileGlobs');
  const trace = section.get<unknown>('trace.server');
  return {
    patternFileGlobs: isStringArray(globs) ? globs : DEFAULT_PATTERN_FILE_GLOBS,
    traceServer: TRACE_SETTINGS.find((t) => t === trace) ?? 'off',
  };
}

export function affectsConfig(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(CONFIG_SECTION);
}

export function describeConfig(config: ExtensionConfig): string {
  return `pattern files ${JSON.stringify(config.patternFileGlobs)}, trace ${config.traceServer}`;
}

// ---- AWS connection settings (eventbridgePatterns.aws.*, eventbridgePatterns.localBus.*) ----

export interface AwsSettings {
  /** Profile name from ~/.aws/config or ~/.aws/credentials; empty = none chosen. */
  readonly profile: string;
  /** Region name; empty = the profile's or the environment's. */
  readonly region: string;
  /** Endpoint URL for every AWS call; empty = the profile's endpoint_url, the local bus, or AWS. */
  readonly endpoint: string;
  /** PutEvents size limit checked before sending. */
  readonly putEventsMaxBytes: number;
  /** Port for the embedded local bus; 0 = any free port. */
  readonly localBusPort: number;
  /** Profile names (`*`, `?` wildcards) whose writes ask first. */
  readonly productionProfiles: readonly string[];
  /** Ask before a write through a production profile. */
  readonly confirmProduction: boolean;
}

export const AWS_SETTING_KEYS = {
  profile: 'aws.profile',
  region: 'aws.region',
  endpoint: 'aws.endpoint',
  putEventsMaxBytes: 'aws.putEventsMaxBytes',
  localBusPort: 'localBus.port',
  productionProfiles: 'aws.productionProfiles',
  confirmProduction: 'aws.confirmProduction',
} as const;

function stringSetting(read: (key: string) => unknown, key: string): string {
  const v = read(key);
  return typeof v === 'string' ? v.trim() : '';
}

function integerSetting(
  read: (key: string) => unknown,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = read(key);
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fallback;
}

/** The settings section as trust.ts reads it. */
export function settingsInspector(section = vscode.workspace.getConfiguration(CONFIG_SECTION)): SettingsInspector {
  return { get: (key) => section.get<unknown>(key), inspect: (key) => section.inspect<unknown>(key) };
}

/**
 * The AWS settings in force. In an untrusted workspace the restricted ones (trust.ts) come from the user's settings
 * only, so a repository cannot point the commands at its own endpoint or another profile.
 */
export function readAwsSettings(
  isTrusted: boolean = vscode.workspace.isTrusted,
  settings: SettingsInspector = settingsInspector(),
): AwsSettings {
  const read = (key: string): unknown => settingValue(key, isTrusted, settings);
  return {
    profile: stringSetting(read, AWS_SETTING_KEYS.profile),
    region: stringSetting(read, AWS_SETTING_KEYS.region),
    endpoint: stringSetting(read, AWS_SETTING_KEYS.endpoint),
    putEventsMaxBytes: integerSetting(read, AWS_SETTING_KEYS.putEventsMaxBytes, 256 * 1024, 1, 16 * 1024 * 1024),
    localBusPort: integerSetting(read, AWS_SETTING_KEYS.localBusPort, 0, 0, 65535),
    productionProfiles: productionProfilesFrom(settings.inspect(AWS_SETTING_KEYS.productionProfiles)),
    confirmProduction: read(AWS_SETTING_KEYS.confirmProduction) !== false,
  };
}

/** Persists an AWS setting in the user settings (a profile is the user's, not the project's); '' removes it. */
export async function updateAwsSetting(key: 'profile' | 'region' | 'endpoint', value: string): Promise<void> {
  await vscode.workspace
    .getConfiguration(CONFIG_SECTION)
    .update(AWS_SETTING_KEYS[key], value === '' ? undefined : value, vscode.ConfigurationTarget.Global);
}

export function affectsAwsSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return (
    event.affectsConfiguration(`${CONFIG_SECTION}.aws`) || event.affectsConfiguration(`${CONFIG_SECTION}.localBus`)
  );
}
