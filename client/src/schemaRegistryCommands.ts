// The account's schema registries for the language server: the cached schemas are sent when the server starts, read
// again from AWS by "EventBridge: Refresh Schema Registries", and by themselves when a profile is selected and the
// cache is missing or a day old. Never required: without a connection, credentials or network, one line in the output
// says why, and completion works on from the samples and the catalog.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CustomSourcesRequest, RegistrySchemasNotification } from '../../shared';
import { describeConnection, type Connection } from './aws/clients';
import { describeAwsError, formatAwsError, redactSecrets } from './aws/errors';
import {
  cacheIsStale,
  connectionKey,
  createSchemasClient,
  fetchRegistrySchemas,
  readSchemaCache,
  SCHEMA_CACHE_FORMAT,
  sdkSchemasApi,
  writeSchemaCache,
  type SchemaCache,
} from './aws/schemaRegistries';
import type { AwsContext } from './awsContext';
import { readAwsSettings } from './config';
import type { PatternServer } from './patternServer';

export const REFRESH_SCHEMA_REGISTRIES_COMMAND = 'eventbridge.refreshSchemaRegistries';

export function registerSchemaRegistries(
  context: vscode.ExtensionContext,
  aws: AwsContext,
  server: PatternServer,
): vscode.Disposable[] {
  const output = aws.output;
  const cacheFile = (connection: Connection): string =>
    join(
      context.globalStorageUri.fsPath,
      'schema-registries',
      `${createHash('sha256').update(connectionKey(connection)).digest('hex').slice(0, 16)}.json`,
    );
  const send = (cache: SchemaCache | undefined): void =>
    server.notify(RegistrySchemasNotification, {
      schemas: cache?.schemas ?? [],
      ...(cache ? { fetchedAt: cache.fetchedAt } : {}),
    });
  let running: Promise<void> | undefined;

  /** Sends the cached schemas of the connection in force; reads them from AWS when asked, or when due. */
  async function update(force: boolean): Promise<void> {
    if (force && aws.refuseUntrusted('connect to AWS')) return;
    if (!aws.trusted) return;
    const resolved = await aws.connection();
    if (!resolved.ok) {
      if (force) say(`Schema registries not read: ${resolved.reason}`, true);
      return;
    }
    const connection = resolved.connection;
    if (connection.localBus) {
      send(undefined);
      if (force) say('Schema registries not read: the local bus has none; select an AWS profile to read them.', true);
      return;
    }
    const path = cacheFile(connection);
    const cache = await readSchemaCache(path);
    send(cache);
    const sources = await server
      .send(CustomSourcesRequest, {})
      .then((r) => (Array.isArray(r?.sources) ? r.sources.filter((s) => typeof s === 'string') : []))
      .catch(() => [] as string[]);
    // By itself only with a profile the user chose, for sources the workspace names, at most once a day.
    const due =
      readAwsSettings().profile !== '' && sources.length > 0 && cacheIsStale(cache, connectionKey(connection), sources);
    if (!force && !due) return;
    if (sources.length === 0) {
      say(
        'Schema registries not read: the patterns of the open files and the sample events name no custom source (one not starting with aws.).',
        force,
      );
      return;
    }
    const made = createSchemasClient(connection);
    if (!made.ok) {
      say(`Schema registries not read: ${made.reason}`, force);
      return;
    }
    try {
      output.info(`Reading the schema registries for ${sources.join(', ')} (${describeConnection(connection)})`);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Reading EventBridge schema registries' },
        () => fetchRegistrySchemas(sdkSchemasApi(made.client), sources),
      );
      const fresh: SchemaCache = {
        format: SCHEMA_CACHE_FORMAT,
        connection: connectionKey(connection),
        fetchedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        sources,
        schemas: result.schemas,
      };
      await writeSchemaCache(path, fresh).catch((e: unknown) =>
        output.warn(`Schema registries: the cache was not written: ${e instanceof Error ? e.message : String(e)}`),
      );
      send(fresh);
      for (const p of result.problems.slice(0, 10)) output.warn(`Schema registries: ${p}`);
      const line = `Schema registries: ${result.schemas.length} schema${result.schemas.length === 1 ? '' : 's'} of ${sources.join(', ')} in ${result.registries.length} registr${result.registries.length === 1 ? 'y' : 'ies'}`;
      output.info(line);
      if (force) void vscode.window.showInformationMessage(`EventBridge: ${line}.`);
    } catch (error) {
      const report = describeAwsError(error, aws.callContext(connection, 'ListRegistries'));
      say(`Schema registries not read: ${redactSecrets(formatAwsError(report))}`, force);
    } finally {
      made.client.destroy();
    }
  }

  function say(line: string, show: boolean): void {
    output.warn(line);
    if (show) void vscode.window.showWarningMessage(`EventBridge: ${line}`);
  }

  /** One update at a time; a failure is a line in the output, never an exception. */
  function run(force: boolean): Promise<void> {
    const next = (running ?? Promise.resolve()).then(() =>
      update(force).catch((e: unknown) =>
        output.warn(`Schema registries not read: ${redactSecrets(e instanceof Error ? e.message : String(e))}`),
      ),
    );
    running = next;
    return next;
  }

  return [
    vscode.commands.registerCommand(REFRESH_SCHEMA_REGISTRIES_COMMAND, () => run(true)),
    // A (re)started server has none: send the cache, and read the registries when due.
    server.onDidChangeStatus((status) => {
      if (status.kind === 'running') void run(false);
    }),
    // Another profile, region or endpoint: its own cache.
    aws.onDidChange(() => {
      if (server.status.kind === 'running') void run(false);
    }),
  ];
}
