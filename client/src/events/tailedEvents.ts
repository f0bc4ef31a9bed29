// The events the tail output showed lately (a rule's CloudWatch Logs targets, the local bus's log groups), kept in
// memory so that "Create Pattern from Event" and "Save as Sample Event" can offer them: a log message that is an
// event (a JSON object with source and detail-type) is kept, newest first, up to a bound. Pure.

export interface TailedEventEntry {
  readonly event: Record<string, unknown>;
  readonly logGroupName: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
}

export class RecentTailedEvents {
  private readonly entries: TailedEventEntry[] = [];

  constructor(private readonly max = 100) {}

  /** Keeps a tailed log message when it is an event; returns whether it was. */
  add(message: string, logGroupName: string, timestamp: number): boolean {
    let value: unknown;
    try {
      value = JSON.parse(message);
    } catch {
      return false;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const event = value as Record<string, unknown>;
    if (typeof event.source !== 'string' || typeof event['detail-type'] !== 'string') return false;
    this.entries.unshift({ event, logGroupName, timestamp });
    if (this.entries.length > this.max) this.entries.length = this.max;
    return true;
  }

  /** Newest first. */
  list(): readonly TailedEventEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/** The events of every tail of this window. */
export const recentTailedEvents = new RecentTailedEvents();

/** A line for a picker: `aws.s3 / Object Created`, and when and where it was seen. */
export function describeTailedEvent(e: TailedEventEntry): { label: string; description: string } {
  return {
    label: `${String(e.event.source)} / ${String(e.event['detail-type'])}`,
    description: `${new Date(e.timestamp).toISOString()} · ${e.logGroupName}`,
  };
}
