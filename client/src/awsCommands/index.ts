// The AWS commands: choose profile / region / endpoint, run the embedded local bus, send events, tail a rule's log
// targets, and test the pattern under the cursor. Each command can be driven without UI by passing an argument
// object (the end-to-end tests do); without one it asks with quick picks. Logic lives in ../aws/*; this is wiring.
import type * as vscode from 'vscode';
import type { AwsContext } from '../awsContext';
import type { ServerRequests } from '../patternServer';
import { registerConnectionCommands } from './connectionCommands';
import { registerLocalBusCommands } from './localBusCommands';
import { registerMatchRulesCommand } from './matchRulesCommand';
import { registerSendEventCommand } from './sendEventCommand';
import { registerTailCommands } from './tailCommands';
import { registerTestPatternCommand } from './testPatternCommand';

export { AwsCommands } from './commandSupport';

/** What the commands use besides the AWS state: the language server, and the tool that runs the local bus. */
export interface AwsCommandServices {
  /** Answers what the extension needs to know about documents and events (the pattern under the cursor, ...). */
  readonly server: ServerRequests;
  /** dist/cli.js, run as the local bus's process. */
  readonly cliPath: string;
}

/** Registers every AWS command (all contributed in package.json); the disposables go into context.subscriptions. */
export function registerAwsCommands(aws: AwsContext, services: AwsCommandServices): vscode.Disposable[] {
  return [
    ...registerConnectionCommands(aws),
    ...registerLocalBusCommands(aws, services.cliPath, services.server),
    ...registerSendEventCommand(aws, services.server),
    ...registerTailCommands(aws, services.server),
    ...registerTestPatternCommand(aws, services.server),
    ...registerMatchRulesCommand(aws, services.server),
  ];
}
