// Production profiles: a write (PutEvents) through a profile the user marked as production asks first. Pure: the
// command (sendEventCommand.ts) shows the modal, this decides whether to and what it says.
import type { Connection } from './clients';
import type { Env, ProfileSet } from './profiles';
import type { SettingInspection } from '../trust';

export interface ProductionSettings {
  /** `eventbridgePatterns.aws.productionProfiles`: profile names, `*` and `?` as wildcards. */
  readonly productionProfiles: readonly string[];
  /** `eventbridgePatterns.aws.confirmProduction`. */
  readonly confirmProduction: boolean;
}

/**
 * `productionProfiles` from every scope together: a workspace may add names (its own production account) but never
 * remove the user's. Blank and non-string entries are dropped.
 */
export function productionProfilesFrom(inspection: SettingInspection | undefined): string[] {
  const names = new Set<string>();
  for (const value of [inspection?.globalValue, inspection?.workspaceValue, inspection?.workspaceFolderValue])
    if (Array.isArray(value))
      for (const name of value) if (typeof name === 'string' && name.trim() !== '') names.add(name.trim());
  return [...names];
}

export type ProductionDecision =
  /** The local bus or dummy loopback credentials: never production. */
  | { readonly kind: 'local' }
  | { readonly kind: 'not-production'; readonly profile: string }
  /** A production profile with confirmation turned off: go ahead, but say so in the log. */
  | { readonly kind: 'unconfirmed-production'; readonly profile: string; readonly pattern: string }
  | { readonly kind: 'confirm'; readonly profile: string; readonly pattern: string };

/** `*` matches any run of characters, `?` one; anything else literally (profile names are case-sensitive). */
export function profileMatches(name: string, pattern: string): boolean {
  const p = pattern.trim();
  if (p === '') return false;
  const source = p
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()[\]{}|/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(name);
}

/**
 * The profile whose credentials a connection signs with: the chosen one; for the SDK's default chain, AWS_PROFILE or
 * `default` (environment keys, if any, win there, but the name is still the best guess of which account it is).
 */
export function signingProfile(connection: Connection, env: Env = process.env): string | undefined {
  if (connection.localBus || connection.credentialSource === 'local-dummy') return undefined;
  return connection.profile ?? (env.AWS_PROFILE || 'default');
}

export function productionDecision(
  connection: Connection,
  settings: ProductionSettings,
  env: Env = process.env,
): ProductionDecision {
  const profile = signingProfile(connection, env);
  if (profile === undefined) return { kind: 'local' };
  const pattern = settings.productionProfiles.find((p) => profileMatches(profile, p));
  if (pattern === undefined) return { kind: 'not-production', profile };
  return settings.confirmProduction
    ? { kind: 'confirm', profile, pattern: pattern.trim() }
    : { kind: 'unconfirmed-production', profile, pattern: pattern.trim() };
}

const ACCOUNT_IN_ARN = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/;

/** The account id of a profile when its files name it (`sso_account_id`, or the account of `role_arn`). */
export function profileAccount(profiles: ProfileSet | undefined, profile: string): string | undefined {
  const s = profiles?.profiles.get(profile)?.settings;
  if (!s) return undefined;
  if (s.sso_account_id && /^\d{12}$/.test(s.sso_account_id)) return s.sso_account_id;
  return s.role_arn ? ACCOUNT_IN_ARN.exec(s.role_arn)?.[1] : undefined;
}

export interface ProductionPrompt {
  readonly message: string;
  readonly detail: string;
  /** The button that sends; dismissing the modal is the cancel. */
  readonly confirm: string;
}

/** The modal's text: the profile, the account and region when known, the bus and how many entries. */
export function productionPrompt(args: {
  readonly profile: string;
  readonly pattern: string;
  readonly region: string;
  readonly account?: string;
  readonly bus: string;
  readonly entries: number;
}): ProductionPrompt {
  const where = `${args.account ? `account ${args.account}, ` : ''}region ${args.region}`;
  const what = `${args.entries} ${args.entries === 1 ? 'event' : 'events'}`;
  return {
    message: `Send ${what} to the event bus ${args.bus} with the production profile ${args.profile} (${where})?`,
    detail: `Profile ${args.profile} is marked as production by "${args.pattern}" in eventbridgePatterns.aws.productionProfiles. Rules on ${args.bus} will act on ${args.entries === 1 ? 'it' : 'them'}. Nothing is sent unless you choose Send.`,
    confirm: 'Send',
  };
}
