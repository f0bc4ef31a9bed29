// The messages between the extension and the local bus it runs as a child process (`dist/cli.js local-bus --ipc`,
// see client/src/aws/localBusHost.ts for why a process), over Node's IPC channel. Plain JSON both ways.

/** The flag that makes `local-bus` talk to its parent over IPC instead of waiting for a signal. */
export const LOCAL_BUS_IPC_FLAG = '--ipc';

/**
 * The flag that lets `local-bus` run the handlers of Lambda targets (the workspace's code). The extension passes it
 * only in a trusted workspace; on the command line it is off unless given.
 */
export const LOCAL_BUS_RUN_FUNCTIONS_FLAG = '--run-functions';

/** A template file for the bus: its path (for messages and generated names) and its text (unsaved edits included). */
export interface TemplateFile {
  readonly path: string;
  readonly text: string;
}

/** From the extension to the bus. */
export type LocalBusRequest =
  /** Load the templates into a region: their buses, rules with their targets, and log groups. */
  | { readonly type: 'load'; readonly id: number; readonly region: string; readonly templates: readonly TemplateFile[] }
  /** List the scheduled rules of every region's default bus (answered by `scheduled-rules`). */
  | { readonly type: 'scheduled-rules'; readonly id: number }
  /** Fire a scheduled rule of `region`'s default bus now (answered by `fired`); its regular times do not change. */
  | { readonly type: 'fire-rule'; readonly id: number; readonly region: string; readonly ruleName: string }
  /** Close the bus and exit. */
  | { readonly type: 'stop' };

/** A rule with a ScheduleExpression, as the bus runs it. */
export interface ScheduledRuleSummary {
  readonly region: string;
  readonly ruleName: string;
  readonly ruleArn: string;
  readonly scheduleExpression: string;
  /** ENABLED or DISABLED. */
  readonly state: string;
  readonly targets: number;
  /** Epoch milliseconds of the next time it fires; absent when it does not fire (disabled, invalid, ended). */
  readonly nextFireTime?: number;
  /** Why the expression is not valid, when it is not. */
  readonly problem?: string;
}

/** From the bus to the extension. */
export type LocalBusReport =
  /** The bus accepts requests at `url`. Sent once, first. */
  | { readonly type: 'listening'; readonly url: string; readonly port: number; readonly accountId: string }
  /**
   * The answer to `load`: the templates loaded, the warnings (a template that does not parse is one and is skipped);
   * `error` when loading failed as a whole.
   */
  | {
      readonly type: 'loaded';
      readonly id: number;
      readonly loaded: readonly string[];
      readonly warnings: readonly string[];
      readonly error?: string;
    }
  /** The answer to `scheduled-rules`. */
  | { readonly type: 'scheduled-rules'; readonly id: number; readonly rules: readonly ScheduledRuleSummary[] }
  /**
   * The answer to `fire-rule`: the event sent (its id and time) and to how many targets, the deliveries that failed;
   * `error` when the rule could not be fired (no such rule, no schedule).
   */
  | {
      readonly type: 'fired';
      readonly id: number;
      readonly eventId?: string;
      readonly time?: string;
      readonly targets: number;
      readonly failures: readonly string[];
      readonly error?: string;
    }
  /** Worth a line in the log: a delivery that failed, a request refused. */
  | { readonly type: 'warning'; readonly message: string }
  /**
   * An event PutEvents accepted, as the bus made it (envelope and detail), for the editor to learn the user's own
   * events from. Not every event: at most a few of each (source, detail-type); see hostedLocalBus.ts.
   */
  | { readonly type: 'event'; readonly event: Readonly<Record<string, unknown>> }
  /**
   * A handler is about to run for the first time in this bus's life: `message` says which (`Running handler
   * src/app.handler of function X (nodejs20.x) for rule Y, from ...`), for the user to see.
   */
  | {
      readonly type: 'function-run';
      readonly functionName: string;
      readonly handler: string;
      readonly runtime: string;
      /** What invoked it: `rule <name>`, `SNS topic <arn>`. */
      readonly trigger: string;
      readonly message: string;
    };

/** A cheap test before parsing: CloudFormation / SAM templates have `Resources` with `AWS::` types. */
export function looksLikeTemplate(text: string): boolean {
  return /\bResources\b/.test(text) && /AWS::(Events|Serverless|Logs)::/.test(text);
}
