// The account's EventBridge schema registries (discovered and custom), read for the custom sources the workspace
// names, converted into learned schemas (server/src/schemas) and cached on disk, so that completion and hover know a
// custom source's fields before any sample event exists. Never required: no credentials, no network or any error is
// one line in the output, and the editor works on without. No `vscode` import: the commands wire it in
// (../learnedEvents.ts).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  DescribeSchemaCommand,
  ListRegistriesCommand,
  ListSchemasCommand,
  SchemasClient,
} from '@aws-sdk/client-schemas';
import type { LearnedSchema } from '../../../shared';
import { schemaFromRegistryContent } from '../../../server/src/schemas';
import { connectionCredentials, type Connection } from './clients';
import { awsConfigFiles, type AwsConfigFiles } from './profiles';

/** The Schemas calls used, so tests can stand in for the service. */
export interface SchemasApi {
  listRegistries(nextToken: string | undefined, signal?: AbortSignal): Promise<{ names: string[]; nextToken?: string }>;
  listSchemas(
    registryName: string,
    prefix: string,
    nextToken: string | undefined,
    signal?: AbortSignal,
  ): Promise<{ names: string[]; nextToken?: string }>;
  describeSchema(
    registryName: string,
    schemaName: string,
    signal?: AbortSignal,
  ): Promise<{ content?: string; version?: string; type?: string }>;
}

/** The SDK client's calls as a SchemasApi. */
export function sdkSchemasApi(client: SchemasClient): SchemasApi {
  const opts = (signal?: AbortSignal) => (signal ? { abortSignal: signal } : {});
  return {
    async listRegistries(nextToken, signal) {
      const out = await client.send(
        new ListRegistriesCommand({ ...(nextToken ? { NextToken: nextToken } : {}), Limit: 100 }),
        opts(signal),
      );
      return {
        names: (out.Registries ?? []).flatMap((r) => (r.RegistryName ? [r.RegistryName] : [])),
        ...(out.NextToken ? { nextToken: out.NextToken } : {}),
      };
    },
    async listSchemas(registryName, prefix, nextToken, signal) {
      const out = await client.send(
        new ListSchemasCommand({
          RegistryName: registryName,
          SchemaNamePrefix: prefix,
          Limit: 100,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
        opts(signal),
      );
      return {
        names: (out.Schemas ?? []).flatMap((s) => (s.SchemaName ? [s.SchemaName] : [])),
        ...(out.NextToken ? { nextToken: out.NextToken } : {}),
      };
    },
    async describeSchema(registryName, schemaName, signal) {
      const out = await client.send(
        new DescribeSchemaCommand({ RegistryName: registryName, SchemaName: schemaName }),
        opts(signal),
      );
      return {
        ...(out.Content !== undefined ? { content: out.Content } : {}),
        ...(out.SchemaVersion !== undefined ? { version: out.SchemaVersion } : {}),
        ...(out.Type !== undefined ? { type: out.Type } : {}),
      };
    },
  };
}

/**
 * A Schemas client for a connection, or why there is none: the local bus does not serve Schemas. An endpoint set for
 * EventBridge (an emulator serving every service on one port) is used for Schemas too.
 */
export function createSchemasClient(
  connection: Connection,
  files: AwsConfigFiles = awsConfigFiles(),
): { ok: true; client: SchemasClient } | { ok: false; reason: string } {
  if (connection.localBus)
    return { ok: false, reason: 'the local bus has no schema registries (select an AWS profile to read them)' };
  const credentials = connectionCredentials(connection, files);
  const endpoint = connection.endpoints.eventbridge;
  return {
    ok: true,
    client: new SchemasClient({
      region: connection.region,
      credentials,
      maxAttempts: 2,
      ...(endpoint ? { endpoint } : {}),
    }),
  };
}

export interface RegistryFetchLimits {
  readonly maxRegistries: number;
  /** Schemas described in all. */
  readonly maxSchemas: number;
  /** Pages of one listing. */
  readonly maxPages: number;
  /** Longer schema contents are skipped. */
  readonly maxContentChars: number;
}

export const DEFAULT_REGISTRY_FETCH_LIMITS: RegistryFetchLimits = {
  maxRegistries: 50,
  maxSchemas: 300,
  maxPages: 10,
  maxContentChars: 1024 * 1024,
};

/** AWS's own registry: the schemas of `aws.*` events, which the event catalog already has. */
const AWS_REGISTRY = 'aws.events';

export interface RegistryFetchResult {
  readonly schemas: LearnedSchema[];
  /** Registries looked into. */
  readonly registries: string[];
  /** What went wrong with single schemas (the rest were read). */
  readonly problems: string[];
}

/**
 * The registries' schemas for the given custom sources: every registry but AWS's own is listed, with the schemas
 * named after each source (`source@DetailType`, as discovered schemas are named, or any name starting with the
 * source), each described and converted. A call that fails as a whole (no credentials, no network, access denied)
 * rejects; a schema that cannot be read or converted is a problem line.
 */
export async function fetchRegistrySchemas(
  api: SchemasApi,
  sources: readonly string[],
  options: { readonly signal?: AbortSignal; readonly limits?: RegistryFetchLimits } = {},
): Promise<RegistryFetchResult> {
  const limits = options.limits ?? DEFAULT_REGISTRY_FETCH_LIMITS;
  const { signal } = options;
  const wanted = new Set(sources);
  const registries: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < limits.maxPages; page++) {
    const listed = await api.listRegistries(token, signal);
    for (const name of listed.names)
      if (name !== AWS_REGISTRY && registries.length < limits.maxRegistries) registries.push(name);
    token = listed.nextToken;
    if (!token || registries.length >= limits.maxRegistries) break;
  }
  const schemas: LearnedSchema[] = [];
  const problems: string[] = [];
  let described = 0;
  for (const registryName of registries) {
    for (const source of [...wanted].sort()) {
      let next: string | undefined;
      for (let page = 0; page < limits.maxPages; page++) {
        const listed = await api.listSchemas(registryName, source, next, signal);
        for (const schemaName of listed.names) {
          if (described >= limits.maxSchemas) {
            problems.push(`more than ${limits.maxSchemas} schemas: the rest were not read`);
            return { schemas, registries, problems };
          }
          described++;
          try {
            const d = await api.describeSchema(registryName, schemaName, signal);
            if (d.content === undefined) throw new Error('no content');
            if (d.content.length > limits.maxContentChars) throw new Error(`${d.content.length} characters: too large`);
            const converted = schemaFromRegistryContent(d.content, {
              registryName,
              schemaName,
              ...(d.version !== undefined ? { version: d.version } : {}),
            });
            if (!converted.ok) throw new Error(converted.reason);
            // A prefix match may be another source (`com.example.orders` and `com.example.orders-v2`).
            if (wanted.has(converted.schema.source)) schemas.push(converted.schema);
          } catch (e) {
            if (signal?.aborted) throw e;
            problems.push(`${registryName}/${schemaName}: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
        next = listed.nextToken;
        if (!next) break;
      }
    }
  }
  return { schemas, registries, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// The cache on disk (in the extension's global storage): one file per connection

export const SCHEMA_CACHE_FORMAT = 1;

export interface SchemaCache {
  readonly format: number;
  /** The connection it was read with (connectionKey). */
  readonly connection: string;
  /** When it was read from AWS (ISO 8601). */
  readonly fetchedAt: string;
  readonly sources: readonly string[];
  readonly schemas: readonly LearnedSchema[];
}

/** Which account view a cache belongs to: profile, region and endpoint (names only, no secrets). */
export function connectionKey(connection: Connection): string {
  const endpoint = connection.endpoints.eventbridge ?? '';
  return `${connection.profile ?? `(${connection.credentialSource})`}|${connection.region}|${endpoint.replace(/\/\/[^@/]*@/, '//')}`;
}

/** The cached schemas, or undefined when there is no cache (or it is unreadable, or of another format). */
export async function readSchemaCache(path: string): Promise<SchemaCache | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const c = JSON.parse(text) as Partial<SchemaCache> | null;
    if (
      c?.format !== SCHEMA_CACHE_FORMAT ||
      typeof c.connection !== 'string' ||
      typeof c.fetchedAt !== 'string' ||
      !Array.isArray(c.schemas) ||
      !Array.isArray(c.sources)
    )
      return undefined;
    return c as SchemaCache;
  } catch {
    return undefined;
  }
}

/** Writes the cache whole (a temporary file renamed over it, so a crash never leaves half a file). */
export async function writeSchemaCache(path: string, cache: SchemaCache): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(cache), 'utf8');
  await rename(temporary, path);
}

/** How old a cache may be before it is read again by itself (the command reads it at any time). */
export const SCHEMA_CACHE_MAX_AGE_MS = 24 * 3_600_000;

/** Whether a cache should be read again from AWS: none, another connection, other sources wanted, or too old. */
export function cacheIsStale(
  cache: SchemaCache | undefined,
  key: string,
  sources: readonly string[],
  now: number = Date.now(),
): boolean {
  if (!cache || cache.connection !== key) return true;
  if (sources.some((s) => !cache.sources.includes(s))) return true;
  const at = Date.parse(cache.fetchedAt);
  return Number.isNaN(at) || now - at > SCHEMA_CACHE_MAX_AGE_MS;
}
