// The commands on events that need no AWS: a pattern made from an event, and a tailed event saved as a sample event.
import type * as vscode from 'vscode';
import type { ServerRequests } from '../patternServer';
import { registerPatternFromEventCommand } from './patternFromEventCommand';
import { registerSaveSampleEventCommand } from './saveSampleEventCommand';

export { SAVE_SAMPLE_EVENT_COMMAND } from './saveSampleEventCommand';
export type { PatternFromEventArgs, PatternFromEventOutcome } from './patternFromEventCommand';

export function registerEventCommands(server: ServerRequests): vscode.Disposable[] {
  return [...registerPatternFromEventCommand(server), ...registerSaveSampleEventCommand()];
}
