// The extension's entry point (bundled to dist/extension.js). A thin client: the language server does the work.
import * as vscode from 'vscode';
import { registerAwsCommands } from './awsCommands';
import { AwsContext, createAwsStatusItem } from './awsContext';
import { registerCommands } from './commands';
import { GenerateSampleEvents } from './generateEventsCommand';
import { affectsConfig, describeConfig, readConfig } from './config';
import { PatternServer, type ServerStatus } from './patternServer';
import { registerPatternTestResults } from './patternTestResults';
import { registerTargetInputPreview } from './targetInputPreview';
import { registerSchemaRegistries } from './schemaRegistryCommands';
import { createServerStatusItem } from './serverStatusItem';
import { registerEventCommands } from './events';

export const OUTPUT_CHANNEL_NAME = 'EventBridge Patterns';

/** What activate() returns (`vscode.extensions.getExtension(id).exports`): the server's state, for tests. */
export interface EventBridgePatternsApi {
  /** Milliseconds from the bundle starting to load to the end of activate(). */
  readonly activationMs: number | undefined;
  readonly serverStatus: ServerStatus;
  readonly onDidChangeServerStatus: vscode.Event<ServerStatus>;
}

let server: PatternServer | undefined;

export function activate(context: vscode.ExtensionContext): EventBridgePatternsApi {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(output);
  const { version } = context.extension.packageJSON as { version: string };
  output.info(`Activating ${context.extension.id} ${version}; ${describeConfig(readConfig())}`);

  const patternServer = new PatternServer(context.asAbsolutePath('dist/server.js'), output);
  server = patternServer;
  context.subscriptions.push(
    patternServer,
    createServerStatusItem(patternServer),
    ...registerCommands(patternServer, output),
    // The server pulls its settings itself; this only keeps the log honest about what is in force.
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsConfig(event)) output.info(`Settings changed: ${describeConfig(readConfig())}`);
    }),
  );
  // AWS: profiles, the local bus, sending events, tailing rule targets, testing patterns.
  const aws = new AwsContext(output);
  context.subscriptions.push(
    aws,
    createAwsStatusItem(aws),
    ...registerAwsCommands(aws, { server: patternServer, cliPath: context.asAbsolutePath('dist/cli.js') }),
    // The account's schema registries, for completion and hover on custom sources.
    ...registerSchemaRegistries(context, aws, patternServer),
  );
  registerPatternTestResults(context); // the command behind the sample-event code lenses
  registerTargetInputPreview(context); // the command behind the lens above a target's input
  context.subscriptions.push(...new GenerateSampleEvents(patternServer, output).register());
  // Pattern from an event, and tailed events saved as sample events (no AWS call).
  context.subscriptions.push(...registerEventCommands(patternServer));
  void patternServer.start();

  // From the first line of the bundle to here: what loading and activating cost the editor.
  const loadStart = (globalThis as { __ebpLoadStart?: number }).__ebpLoadStart;
  const activationMs = loadStart === undefined ? undefined : Date.now() - loadStart;
  if (activationMs !== undefined) output.info(`Activated in ${activationMs} ms (loading the bundle included)`);
  return {
    activationMs,
    get serverStatus() {
      return patternServer.status;
    },
    onDidChangeServerStatus: patternServer.onDidChangeStatus,
  };
}

export async function deactivate(): Promise<void> {
  const stopping = server?.stop();
  server = undefined;
  await stopping;
}
