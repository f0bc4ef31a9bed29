// The events the local bus passes on go to the language server in batches: after a quiet time (a scheduler the test
// runs by hand) or as soon as a batch is full; a server that cannot be told does not break the bus.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ObservedEventForwarder } from '../../../client/src/aws/observedEvents';

function manualScheduler() {
  const queued: (() => void)[] = [];
  let cancelled = 0;
  return {
    schedule: (flush: () => void) => {
      queued.push(flush);
      return () => {
        cancelled++;
        const i = queued.indexOf(flush);
        if (i >= 0) queued.splice(i, 1);
      };
    },
    runAll: () => queued.splice(0).forEach((f) => f()),
    get pending() {
      return queued.length;
    },
    get cancelled() {
      return cancelled;
    },
  };
}

const event = (n: number) => ({ source: 'com.example.orders', 'detail-type': 'Order Placed', detail: { n } });

describe('observed events forwarder', () => {
  it('sends a burst as one batch after the quiet time', () => {
    const sent: unknown[][] = [];
    const clock = manualScheduler();
    const f = new ObservedEventForwarder({ send: (e) => sent.push([...e]), schedule: clock.schedule });
    f.add(event(1));
    f.add(event(2));
    f.add(event(3));
    assert.equal(sent.length, 0);
    assert.equal(clock.pending, 1, 'one timer for the burst');
    clock.runAll();
    assert.deepEqual(sent, [[event(1), event(2), event(3)]]);
    clock.runAll();
    assert.equal(sent.length, 1, 'nothing more to send');
  });

  it('sends a full batch at once, and the rest later', () => {
    const sent: unknown[][] = [];
    const clock = manualScheduler();
    const f = new ObservedEventForwarder({ send: (e) => sent.push([...e]), schedule: clock.schedule, batchSize: 2 });
    f.add(event(1));
    f.add(event(2));
    assert.deepEqual(sent, [[event(1), event(2)]]);
    assert.equal(clock.cancelled, 1, 'the timer of the sent batch is cancelled');
    f.add(event(3));
    clock.runAll();
    assert.deepEqual(sent, [[event(1), event(2)], [event(3)]]);
  });

  it('a failing send loses the batch only; dispose drops what is pending', () => {
    const clock = manualScheduler();
    let calls = 0;
    const f = new ObservedEventForwarder({
      send: () => {
        calls++;
        throw new Error('the server is not running');
      },
      schedule: clock.schedule,
    });
    f.add(event(1));
    assert.doesNotThrow(() => clock.runAll());
    assert.equal(calls, 1);
    f.add(event(2));
    f.dispose();
    clock.runAll();
    assert.equal(calls, 1);
  });
});
