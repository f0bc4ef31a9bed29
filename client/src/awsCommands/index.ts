// The AWS commands: choose profile / region / endpoint, run the embedded local bus, send events, tail a rule's log
// targets, and test the pattern under the cursor. Each command can be driven without UI by passing an argument
// object (the end-to-end tests do); without one it asks with quick picks. Logic lives in ../aws/*; this is wiring.
import type * as vscode from 'vscode';
import type { AwsContext } from '../awsContext';
import { registerConnectionCommands } from './connectionCommands';
import { registerLocalBusCommands } from './localBusCommands';
import { registerMatchRulesCommand } from './matchRulesCommand';
import { registerSendEventCommand } from './sendEventCommand';
import { registerTailCommands } from './tailCommands';
import { registerTestPatternCommand } from './testPatternCommand';

export { AwsCommands } from './commandSupport';

/** Registers every AWS command (all contributed in package.json); the disposables go into context.subscriptions. */
export function registerAwsCommands(aws: AwsContext): vscode.Disposable[] {
  return [
    ...registerConnectionCommands(aws),
    ...registerLocalBusCommands(aws),
    ...registerSendEventCommand(aws),
    ...registerTailCommands(aws),
    ...registerTestPatternCommand(aws),
    ...registerMatchRulesCommand(aws),
  ];
}
