// The events the local bus accepted, passed on to the language server (ObservedEventsNotification) so that it learns
// the schemas of the user's custom sources from them. Events come one at a time over the bus's IPC channel; they go
// to the server in batches, after a short quiet time or when a batch is full, so a burst is one message.
import type { EventObject } from '../../../shared';

export interface ObservedEventForwarderOptions {
  /** Sends one batch to the server. */
  readonly send: (events: readonly EventObject[]) => void;
  /** Events per batch; a full batch goes at once. */
  readonly batchSize?: number;
  /** Runs `flush` after a quiet time; returns a way to cancel it (tests pass their own). */
  readonly schedule?: (flush: () => void) => () => void;
}

const DEFAULT_BATCH = 50;
const QUIET_MS = 300;

export class ObservedEventForwarder {
  private pending: EventObject[] = [];
  private cancel: (() => void) | undefined;
  private readonly batchSize: number;
  private readonly schedule: (flush: () => void) => () => void;

  constructor(private readonly options: ObservedEventForwarderOptions) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
    this.schedule =
      options.schedule ??
      ((flush) => {
        const timer = setTimeout(flush, QUIET_MS);
        return () => clearTimeout(timer);
      });
  }

  add(event: Readonly<Record<string, unknown>>): void {
    this.pending.push({ ...event });
    if (this.pending.length >= this.batchSize) {
      this.flush();
      return;
    }
    this.cancel ??= this.schedule(() => {
      this.cancel = undefined;
      this.flush();
    });
  }

  /** Sends what is pending now. */
  flush(): void {
    this.cancel?.();
    this.cancel = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.options.send(batch);
    } catch {
      // The server is not running: the events are only lost for learning.
    }
  }

  dispose(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.pending = [];
  }
}
