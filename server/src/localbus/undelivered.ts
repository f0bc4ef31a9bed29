// Targets the local bus does not run get a line per delivery in one log group, so "why did nothing arrive?" has an
// answer: which target would have been invoked, with what input, and why it was not.
import type { LogsStore } from './logsService';

export const UNDELIVERED_LOG_GROUP = '/eventbridge-patterns/local-bus/undelivered';

export interface UndeliveredTarget {
  readonly busName: string;
  readonly ruleName: string;
  readonly targetId: string;
  readonly targetArn: string;
  /** What the target would have received. */
  readonly input: string;
  readonly reason: string;
  readonly timestamp: number;
}

/** Appends the line to the group (created on first use), in a stream per rule: `<bus>/<rule>`. */
export function recordUndelivered(logs: LogsStore, u: UndeliveredTarget): void {
  const group = logs.groups.get(UNDELIVERED_LOG_GROUP) ?? logs.createGroup(UNDELIVERED_LOG_GROUP);
  const streamName = `${u.busName}/${u.ruleName}`;
  const stream = group.streams.get(streamName) ?? logs.createStream(group, streamName);
  logs.append(group, stream, [
    {
      timestamp: u.timestamp,
      message: `rule ${u.ruleName} on ${u.busName}: target ${u.targetId} (${u.targetArn}) was not invoked: ${u.reason}. Input: ${u.input}`,
    },
  ]);
}
