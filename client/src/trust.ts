// Workspace trust, as pure decisions: which settings a workspace may set, and what the AWS commands say when the
// workspace is not trusted. In an untrusted workspace the language features run (they only read the open documents),
// but nothing reads ~/.aws, talks to AWS, or starts the local bus, and the settings that choose where requests go and
// with which credentials are taken from the user's settings only. config.ts and awsContext.ts apply these.

/**
 * Settings (under `eventbridgePatterns.`) that a workspace could use against the user: where requests go (endpoint,
 * region), with whose credentials (profile), the guard on production profiles, and the local bus's port. Listed in
 * package.json `capabilities.untrustedWorkspaces.restrictedConfigurations` (a unit test holds the two together).
 */
export const RESTRICTED_SETTING_KEYS = [
  'aws.profile',
  'aws.region',
  'aws.endpoint',
  'aws.confirmProduction',
  'localBus.port',
] as const;
export type RestrictedSettingKey = (typeof RESTRICTED_SETTING_KEYS)[number];

/** The per-scope values of one setting, as `WorkspaceConfiguration.inspect` gives them. */
export interface SettingInspection {
  readonly defaultValue?: unknown;
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

/** Reads settings of one section: the value in force by the editor's rules, and the values per scope. */
export interface SettingsInspector {
  get(key: string): unknown;
  inspect(key: string): SettingInspection | undefined;
}

export function isRestrictedSetting(key: string): key is RestrictedSettingKey {
  return (RESTRICTED_SETTING_KEYS as readonly string[]).includes(key);
}

/**
 * The value of a setting as the extension uses it: the editor's value when the workspace is trusted or the setting
 * is harmless; for a restricted setting in an untrusted workspace, the user's value (else the default), whatever the
 * workspace says.
 */
export function settingValue(key: string, isTrusted: boolean, settings: SettingsInspector): unknown {
  if (isTrusted || !isRestrictedSetting(key)) return settings.get(key);
  const inspection = settings.inspect(key);
  return inspection?.globalValue !== undefined ? inspection.globalValue : inspection?.defaultValue;
}

/** The restricted settings a workspace (or folder) sets that are ignored because it is not trusted. */
export function ignoredWorkspaceSettings(isTrusted: boolean, settings: SettingsInspector): RestrictedSettingKey[] {
  if (isTrusted) return [];
  return RESTRICTED_SETTING_KEYS.filter((key) => {
    const i = settings.inspect(key);
    return i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined;
  });
}

/**
 * What an action needs from the workspace. `validate` (the language server, testing a pattern with the engine) runs
 * anywhere; the rest touch credentials, AWS or the network and need trust.
 */
export type WorkspaceAction =
  | 'validate'
  | 'read AWS profiles'
  | 'send events'
  | 'tail log targets'
  | 'compare with AWS TestEventPattern'
  | 'start the local bus'
  | 'connect to AWS';

/** Why the action cannot run here, or undefined when it can. */
export function untrustedRefusal(action: WorkspaceAction, isTrusted: boolean): string | undefined {
  if (isTrusted || action === 'validate') return undefined;
  return `This workspace is not trusted: EventBridge Patterns does not read AWS credentials, call AWS or start the local bus in it (validation and completion still work). Trust it to ${action}.`;
}
