// AWS profiles from the shared config and credentials files: which profiles exist, how each gets credentials, its
// region, and the endpoint configured for a service. Only reads; credentials themselves are left to the SDK's
// provider chain (clients.ts). `endpoint_url` is read here because the SDK honours it only for the profile named by
// AWS_PROFILE, not for a profile passed as a client option (PROTOCOL.md section 2).
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseIni, type IniSection } from './ini';

export type Env = Readonly<Record<string, string | undefined>>;

export interface AwsConfigFiles {
  readonly configPath: string;
  readonly credentialsPath: string;
}

/** How a profile gets its credentials, as far as the files tell. */
export type CredentialKind = 'static' | 'temporary' | 'sso' | 'assume-role' | 'web-identity' | 'process' | 'none';

export interface AwsProfile {
  readonly name: string;
  /** Merged settings: the config file's, then the credentials file's for the same name (which win). */
  readonly settings: Readonly<Record<string, string>>;
  readonly credentialKind: CredentialKind;
  readonly region?: string;
  readonly inConfigFile: boolean;
  readonly inCredentialsFile: boolean;
}

export interface SsoSession {
  readonly name: string;
  readonly startUrl?: string;
  readonly region?: string;
}

export interface ProfileProblem {
  readonly file: 'config' | 'credentials';
  readonly line: number;
  readonly message: string;
}

export interface ProfileSet {
  readonly profiles: ReadonlyMap<string, AwsProfile>;
  readonly ssoSessions: ReadonlyMap<string, SsoSession>;
  /** `[services name]` sections: service key (e.g. `eventbridge`) → settings. */
  readonly services: ReadonlyMap<string, Readonly<Record<string, Readonly<Record<string, string>>>>>;
  readonly problems: readonly ProfileProblem[];
}

/** The services this extension calls: the key used in `[services]` sections and in AWS_ENDPOINT_URL_<KEY>. */
export type AwsService = 'eventbridge' | 'cloudwatch_logs' | 'cloudformation';
export const AWS_SERVICES: readonly AwsService[] = ['eventbridge', 'cloudwatch_logs', 'cloudformation'];

/** Where the files are: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/. Read at each call. */
export function awsConfigFiles(env: Env = process.env, home: string = homedir()): AwsConfigFiles {
  const expand = (p: string): string => (p === '~' || p.startsWith('~/') ? join(home, p.slice(1)) : p);
  return {
    configPath: expand(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')),
    credentialsPath: expand(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')),
  };
}

function credentialKindOf(s: Readonly<Record<string, string>>): CredentialKind {
  if (s.role_arn && s.web_identity_token_file) return 'web-identity';
  if (s.role_arn && (s.source_profile || s.credential_source)) return 'assume-role';
  if (s.sso_session || s.sso_start_url) return 'sso';
  if (s.credential_process) return 'process';
  if (s.aws_access_key_id && s.aws_secret_access_key) return s.aws_session_token ? 'temporary' : 'static';
  return 'none';
}

/** Reads the profile set from the two file texts (either may be empty). */
export function parseProfiles(configText: string, credentialsText: string): ProfileSet {
  const problems: ProfileProblem[] = [];
  const merged = new Map<string, { settings: Record<string, string>; config: boolean; credentials: boolean }>();
  const ssoSessions = new Map<string, SsoSession>();
  const services = new Map<string, Record<string, Record<string, string>>>();
  const addProfile = (name: string, section: IniSection, from: 'config' | 'credentials'): void => {
    const entry = merged.get(name) ?? { settings: {}, config: false, credentials: false };
    Object.assign(entry.settings, section.values);
    entry[from] = true;
    merged.set(name, entry);
  };

  const config = parseIni(configText);
  for (const p of config.problems) problems.push({ file: 'config', ...p });
  for (const section of config.sections) {
    const m = /^(profile|sso-session|services)\s+(.+)$/.exec(section.header);
    if (section.header === 'default') addProfile('default', section, 'config');
    else if (m?.[1] === 'profile') addProfile(m[2], section, 'config');
    else if (m?.[1] === 'sso-session') {
      ssoSessions.set(m[2], {
        name: m[2],
        ...(section.values.sso_start_url ? { startUrl: section.values.sso_start_url } : {}),
        ...(section.values.sso_region ? { region: section.values.sso_region } : {}),
      });
    } else if (m?.[1] === 'services') {
      services.set(m[2], { ...section.nested });
    } else {
      problems.push({
        file: 'config',
        line: section.line,
        message: `[${section.header}] is ignored in the config file: write [profile ${section.header}]`,
      });
    }
  }

  const credentials = parseIni(credentialsText);
  for (const p of credentials.problems) problems.push({ file: 'credentials', ...p });
  for (const section of credentials.sections) {
    if (/^profile\s/.test(section.header))
      problems.push({
        file: 'credentials',
        line: section.line,
        message: `[${section.header}] in the credentials file names a profile "${section.header}"; the credentials file uses [${section.header.replace(/^profile\s+/, '')}]`,
      });
    addProfile(section.header, section, 'credentials');
  }

  const profiles = new Map<string, AwsProfile>();
  for (const [name, entry] of merged) {
    const settings = entry.settings;
    profiles.set(name, {
      name,
      settings,
      credentialKind: credentialKindOf(settings),
      ...(settings.region ? { region: settings.region } : {}),
      inConfigFile: entry.config,
      inCredentialsFile: entry.credentials,
    });
  }
  for (const profile of profiles.values()) {
    const s = profile.settings;
    if (s.sso_session && !ssoSessions.has(s.sso_session))
      problems.push({
        file: 'config',
        line: 0,
        message: `profile ${profile.name}: sso_session ${s.sso_session} has no [sso-session ${s.sso_session}] section`,
      });
    if (s.source_profile && !profiles.has(s.source_profile))
      problems.push({
        file: 'config',
        line: 0,
        message: `profile ${profile.name}: source_profile ${s.source_profile} does not exist`,
      });
    if (s.services && !services.has(s.services))
      problems.push({
        file: 'config',
        line: 0,
        message: `profile ${profile.name}: services ${s.services} has no [services ${s.services}] section`,
      });
  }
  return { profiles, ssoSessions, services, problems };
}

async function readIfPresent(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

/** Reads both files (a missing file counts as empty). */
export async function loadProfiles(files: AwsConfigFiles = awsConfigFiles()): Promise<ProfileSet> {
  const [configText, credentialsText] = await Promise.all([
    readIfPresent(files.configPath),
    readIfPresent(files.credentialsPath),
  ]);
  return parseProfiles(configText, credentialsText);
}

/** Profile names, `default` first, then alphabetical. */
export function profileNames(set: ProfileSet): string[] {
  return [...set.profiles.keys()].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}

/** The profile's credential source in words, without any secret. */
export function describeCredentials(profile: AwsProfile): string {
  const s = profile.settings;
  switch (profile.credentialKind) {
    case 'static':
      return 'access key';
    case 'temporary':
      return 'temporary access key (with session token)';
    case 'sso':
      return s.sso_session
        ? `IAM Identity Center (sso-session ${s.sso_session})`
        : 'IAM Identity Center (legacy sso_start_url)';
    case 'assume-role':
      return `assumes ${s.role_arn} from ${s.source_profile ? `profile ${s.source_profile}` : s.credential_source}`;
    case 'web-identity':
      return `assumes ${s.role_arn} with a web identity token`;
    case 'process':
      return 'credential_process';
    case 'none':
      return 'no credentials in the files';
  }
}

/** AWS_ENDPOINT_URL_<SERVICE>: the service key upper-cased. */
export function endpointEnvName(service: AwsService): string {
  return `AWS_ENDPOINT_URL_${service.toUpperCase()}`;
}

/**
 * The endpoint configured for `service` when using `profileName`, with the SDK's precedence: the service's
 * environment variable, AWS_ENDPOINT_URL, the profile's `services` section, the profile's `endpoint_url`.
 * None when `ignore_configured_endpoint_urls` (profile or AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) is true.
 */
export function configuredEndpoint(
  set: ProfileSet,
  profileName: string | undefined,
  service: AwsService,
  env: Env = process.env,
): string | undefined {
  const profile = profileName === undefined ? undefined : set.profiles.get(profileName);
  const ignore =
    env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true' ||
    profile?.settings.ignore_configured_endpoint_urls?.toLowerCase() === 'true';
  if (ignore) return undefined;
  const fromEnv = env[endpointEnvName(service)] || env.AWS_ENDPOINT_URL;
  if (fromEnv) return fromEnv;
  if (!profile) return undefined;
  const servicesName = profile.settings.services;
  const fromServices = servicesName ? set.services.get(servicesName)?.[service]?.endpoint_url : undefined;
  return fromServices || profile.settings.endpoint_url || undefined;
}

/** The region for a profile: AWS_REGION / AWS_DEFAULT_REGION, then the profile's `region`. */
export function configuredRegion(
  set: ProfileSet,
  profileName: string | undefined,
  env: Env = process.env,
): string | undefined {
  return (
    env.AWS_REGION ||
    env.AWS_DEFAULT_REGION ||
    (profileName === undefined ? undefined : set.profiles.get(profileName)?.region) ||
    undefined
  );
}
