// Typed access to the extension's settings. Every setting the client reads goes through this module; names and
// defaults match `contributes.configuration` in package.json.
import * as vscode from 'vscode';
import { DEFAULT_PATTERN_FILE_GLOBS, SETTINGS_SECTION } from '../../server/src/languageserver/protocol';

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
}

export const AWS_SETTING_KEYS = {
  profile: 'aws.profile',
  region: 'aws.region',
  endpoint: 'aws.endpoint',
  putEventsMaxBytes: 'aws.putEventsMaxBytes',
  localBusPort: 'localBus.port',
} as const;

function stringSetting(section: vscode.WorkspaceConfiguration, key: string): string {
  const v = section.get<unknown>(key);
  return typeof v === 'string' ? v.trim() : '';
}

function integerSetting(
  section: vscode.WorkspaceConfiguration,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = section.get<unknown>(key);
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fallback;
}

export function readAwsSettings(): AwsSettings {
  const section = vscode.workspace.getConfiguration(CONFIG_SECTION);
  return {
    profile: stringSetting(section, AWS_SETTING_KEYS.profile),
    region: stringSetting(section, AWS_SETTING_KEYS.region),
    endpoint: stringSetting(section, AWS_SETTING_KEYS.endpoint),
    putEventsMaxBytes: integerSetting(section, AWS_SETTING_KEYS.putEventsMaxBytes, 256 * 1024, 1, 16 * 1024 * 1024),
    localBusPort: integerSetting(section, AWS_SETTING_KEYS.localBusPort, 0, 0, 65535),
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
