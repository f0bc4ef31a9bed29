// Which AWS account, region and endpoint the commands talk to (a "connection"), and the SDK clients for it.
// Credentials come from the SDK's own provider chain for the chosen profile (static keys, SSO, assumed roles,
// credential_process ...); endpoints are resolved here (profiles.ts), since the SDK ignores a non-default profile's
// endpoint_url. The embedded local bus gets fixed dummy credentials, so nothing ever looks for real ones.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import {
  AWS_SERVICES,
  awsConfigFiles,
  configuredEndpoint,
  configuredRegion,
  type AwsConfigFiles,
  type AwsService,
  type Env,
  type ProfileSet,
} from './profiles';

/** What the user chose (settings `eventbridgePatterns.aws.*`); empty strings count as unset. */
export interface ConnectionSettings {
  readonly profile?: string;
  readonly region?: string;
  readonly endpoint?: string;
}

export type CredentialSource =
  /** The SDK chain for a named profile. */
  | 'profile'
  /** The SDK's default chain (AWS_PROFILE, environment, `default`). */
  | 'default-chain'
  /** Fixed dummy keys, for the local bus or another loopback endpoint. */
  | 'local-dummy';

export interface Connection {
  readonly profile?: string;
  readonly region: string;
  /** Endpoint per service; absent = the SDK's default (real AWS). */
  readonly endpoints: Readonly<Partial<Record<AwsService, string>>>;
  readonly credentialSource: CredentialSource;
  /** Every endpoint is the embedded local bus. */
  readonly localBus: boolean;
}

export type ConnectionResult = { ok: true; connection: Connection } | { ok: false; reason: string };

/** Dummy keys for loopback endpoints; never valid anywhere. */
export const LOCAL_DUMMY_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDLOCALEVENTBRIDGE',
  secretAccessKey: 'local-bus-dummy-secret',
});
/** The region the local bus uses when nothing else names one. */
export const LOCAL_DEFAULT_REGION = 'us-east-1';
/** The local bus's account (its default), for reading templates as it reads them when none runs. */
export const LOCAL_DEFAULT_ACCOUNT_ID = '000000000000';

const REGION_NAME = /^[a-z]{2}(-[a-z0-9]+){1,4}$/;

export function isLoopbackEndpoint(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** Checks an endpoint typed by the user; returns the problem, or undefined when fine. */
export function checkEndpointUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${text} is not a URL (expected e.g. http://127.0.0.1:4010)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${text}: the endpoint must be http:// or https://`;
  if (url.pathname !== '/' && url.pathname !== '') return `${text}: the endpoint must not have a path`;
  return undefined;
}

/**
 * Decides the connection: the endpoint setting, else the profile's configured endpoint, else (no profile chosen)
 * the running local bus; the region setting, else the environment/profile's region, else us-east-1 for a local
 * endpoint.
 */
export function resolveConnection(
  settings: ConnectionSettings,
  profiles: ProfileSet,
  localBusUrl: string | undefined,
  env: Env = process.env,
): ConnectionResult {
  const profile = settings.profile?.trim() || undefined;
  if (profile && !profiles.profiles.has(profile))
    return {
      ok: false,
      reason: `Profile ${profile} is not in the AWS config or credentials file: pick another with "EventBridge: Select AWS Profile".`,
    };
  const endpointSetting = settings.endpoint?.trim() || undefined;
  if (endpointSetting) {
    const problem = checkEndpointUrl(endpointSetting);
    if (problem) return { ok: false, reason: `${problem} (setting eventbridgePatterns.aws.endpoint)` };
  }
  const endpoints: Partial<Record<AwsService, string>> = {};
  for (const service of AWS_SERVICES) {
    const endpoint =
      endpointSetting ?? configuredEndpoint(profiles, profile, service, env) ?? (profile ? undefined : localBusUrl);
    if (endpoint) endpoints[service] = endpoint;
  }
  const all = AWS_SERVICES.map((s) => endpoints[s]);
  const localBus = localBusUrl !== undefined && all.every((e) => e === localBusUrl);
  const allLoopback = all.every((e) => e !== undefined && isLoopbackEndpoint(e));
  const credentialSource: CredentialSource = profile ? 'profile' : allLoopback ? 'local-dummy' : 'default-chain';
  // Without a profile, a loopback endpoint is not the default profile's account: its region is the setting's, the
  // environment's, or us-east-1.
  const region =
    settings.region?.trim() ||
    (credentialSource === 'local-dummy'
      ? env.AWS_REGION || env.AWS_DEFAULT_REGION || LOCAL_DEFAULT_REGION
      : configuredRegion(profiles, profile ?? env.AWS_PROFILE ?? 'default', env));
  if (!region)
    return {
      ok: false,
      reason: `No AWS region${profile ? ` for profile ${profile}` : ''}: pick one with "EventBridge: Select Region".`,
    };
  if (!REGION_NAME.test(region))
    return { ok: false, reason: `${region} is not a region name: pick one with "EventBridge: Select Region".` };
  return {
    ok: true,
    connection: { ...(profile ? { profile } : {}), region, endpoints, credentialSource, localBus },
  };
}

/** One line for the log and the status bar tooltip. No secrets: names only. */
export function describeConnection(c: Connection): string {
  const who =
    c.credentialSource === 'profile'
      ? `profile ${c.profile}`
      : c.credentialSource === 'local-dummy'
        ? 'dummy local credentials'
        : 'default credentials';
  const endpoints = [...new Set(Object.values(c.endpoints))];
  const where = c.localBus
    ? `local bus ${endpoints[0]}`
    : endpoints.length === 0
      ? 'AWS'
      : `endpoint ${endpoints.join(', ')}${Object.keys(c.endpoints).length < AWS_SERVICES.length ? ' (other services: AWS)' : ''}`;
  return `${who}, ${c.region}, ${where}`;
}

export interface AwsClients {
  readonly connection: Connection;
  readonly events: EventBridgeClient;
  readonly logs: CloudWatchLogsClient;
  readonly cloudFormation: CloudFormationClient;
  destroy(): void;
}

export interface ClientOptions {
  readonly files?: AwsConfigFiles;
  /** Attempts per call (the SDK default is 3). */
  readonly maxAttempts?: number;
}

/** The credentials of a connection: the local bus's dummy ones, or the profile's (read from `files`). */
export function connectionCredentials(connection: Connection, files: AwsConfigFiles) {
  return connection.credentialSource === 'local-dummy'
    ? () => Promise.resolve({ ...LOCAL_DUMMY_CREDENTIALS })
    : fromNodeProviderChain({
        ...(connection.profile ? { profile: connection.profile } : {}),
        filepath: files.credentialsPath,
        configFilepath: files.configPath,
        // Pick up `aws sso login` or edited files without restarting VS Code.
        ignoreCache: true,
        clientConfig: { region: connection.region },
      });
}

/** SDK clients for a connection. */
export function createAwsClients(connection: Connection, options: ClientOptions = {}): AwsClients {
  const files = options.files ?? awsConfigFiles();
  const credentials = connectionCredentials(connection, files);
  const common = {
    region: connection.region,
    credentials,
    maxAttempts: options.maxAttempts ?? (connection.credentialSource === 'local-dummy' ? 1 : 3),
  };
  const events = new EventBridgeClient({
    ...common,
    ...(connection.endpoints.eventbridge ? { endpoint: connection.endpoints.eventbridge } : {}),
  });
  const logsEndpoint = connection.endpoints.cloudwatch_logs;
  const logs = new CloudWatchLogsClient({
    ...common,
    // StartLiveTail's `stream-` host prefix must not be put in front of a custom host (PROTOCOL.md section 2).
    ...(logsEndpoint ? { endpoint: logsEndpoint, disableHostPrefix: true } : {}),
  });
  const cloudFormation = new CloudFormationClient({
    ...common,
    ...(connection.endpoints.cloudformation ? { endpoint: connection.endpoints.cloudformation } : {}),
  });
  return {
    connection,
    events,
    logs,
    cloudFormation,
    destroy() {
      events.destroy();
      logs.destroy();
      cloudFormation.destroy();
    },
  };
}
