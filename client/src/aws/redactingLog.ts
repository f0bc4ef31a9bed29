// The one way AWS-side code writes to the "EventBridge Patterns" log: every line goes through `redactSecrets`, so an
// AWS error, an endpoint, a profile problem or a local bus warning cannot carry a credential into the log, whoever
// wrote the line. (Tailed log events, the user's own data, go to the separate "EventBridge Tail" output as they are.)
import { redactSecrets } from './errors';

/** What the AWS commands need of the log output channel (a subset of `vscode.LogOutputChannel`). */
export interface AwsLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(preserveFocus?: boolean): void;
}

export function redactingLog(sink: AwsLog): AwsLog {
  return {
    info: (message) => sink.info(redactSecrets(message)),
    warn: (message) => sink.warn(redactSecrets(message)),
    error: (message) => sink.error(redactSecrets(message)),
    show: (preserveFocus) => sink.show(preserveFocus),
  };
}
