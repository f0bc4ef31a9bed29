import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  StartLiveTailCommand,
  type LiveTailSessionLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { startLocalBus } from '../../../server/src/localbus/localBusServer';
import { crc32, encodeEventStreamMessage } from '../../../server/src/localbus/eventStreamEncoding';
import { clientsFor, pollFor, withCode } from './localBusTestSupport';

void describe('event-stream framing', () => {
  void it('computes the IEEE CRC-32', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
  });

  void it('lays out prelude, prelude CRC, string headers, payload and message CRC', () => {
    const message = encodeEventStreamMessage({ ':message-type': 'event' }, Buffer.from('{}'));
    const headerLength = 1 + ':message-type'.length + 1 + 2 + 'event'.length;
    assert.equal(message.readUInt32BE(0), message.length);
    assert.equal(message.length, 12 + headerLength + 2 + 4);
    assert.equal(message.readUInt32BE(4), headerLength);
    assert.equal(message.readUInt32BE(8), crc32(message, 0, 8));
    assert.equal(message.readUInt8(12), ':message-type'.length);
    assert.equal(message.toString('utf8', 13, 13 + 13), ':message-type');
    assert.equal(message.readUInt8(26), 7, 'header value type 7 = string');
    assert.equal(message.readUInt16BE(27), 5);
    assert.equal(message.toString('utf8', 12 + headerLength, 12 + headerLength + 2), '{}');
    assert.equal(message.readUInt32BE(message.length - 4), crc32(message, 0, message.length - 4));
  });
});

void describe('StartLiveTail through the real SDK client', () => {
  void it('starts at once, streams events ingested later (PutLogEvents and EventBridge delivery), and stops on abort', async () => {
    const bus = await startLocalBus({ port: 0 });
    const { events, logs } = clientsFor(bus.url);
    const abort = new AbortController();
    try {
      await logs.send(new CreateLogGroupCommand({ logGroupName: 'tail-me' }));
      await logs.send(new CreateLogStreamCommand({ logGroupName: 'tail-me', logStreamName: 'app' }));
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: 'tail-me',
          logStreamName: 'app',
          logEvents: [{ timestamp: Date.now(), message: 'before the session ERROR' }],
        }),
      );
      await events.send(new PutRuleCommand({ Name: 'tail-rule', EventPattern: '{"source":["tail"]}' }));
      await events.send(
        new PutTargetsCommand({
          Rule: 'tail-rule',
          Targets: [{ Id: 'l', Arn: 'arn:aws:logs:eu-west-1:000000000000:log-group:tail-me' }],
        }),
      );

      const started = Date.now();
      const response = await logs.send(
        new StartLiveTailCommand({
          logGroupIdentifiers: ['arn:aws:logs:eu-west-1:000000000000:log-group:tail-me'],
          logEventFilterPattern: '?ERROR ?tail',
        }),
        { abortSignal: abort.signal },
      );
      assert.ok(Date.now() - started < 900, 'send() resolves on the sessionStart frame, before the first update');
      const seen: LiveTailSessionLogEvent[] = [];
      let sessionStart: Record<string, unknown> | undefined;
      let updates = 0;
      let wrote = false;
      const reading = (async () => {
        for await (const frame of response.responseStream!) {
          if (frame.sessionStart) sessionStart = frame.sessionStart as Record<string, unknown>;
          if (frame.sessionUpdate) {
            updates++;
            seen.push(...(frame.sessionUpdate.sessionResults ?? []));
            if (!wrote) {
              wrote = true;
              await logs.send(
                new PutLogEventsCommand({
                  logGroupName: 'tail-me',
                  logStreamName: 'app',
                  logEvents: [
                    { timestamp: Date.now(), message: 'later ERROR' },
                    { timestamp: Date.now(), message: 'later, filtered out' },
                  ],
                }),
              );
              await events.send(
                new PutEventsCommand({ Entries: [{ Source: 'tail', DetailType: 'd', Detail: '{"n":1}' }] }),
              );
            }
            if (seen.length >= 2) abort.abort();
          }
          assert.ok(updates < 10, 'the events arrive within a few updates');
        }
      })();
      // Aborting ends the stream; the SDK may surface that as an AbortError or as the socket reset it causes.
      await reading.catch((e: unknown) => {
        if (!abort.signal.aborted) throw e;
      });
      await pollFor(
        () => Promise.resolve(bus.activeLiveTails === 0 ? true : undefined),
        'the server to end the session after the client aborted',
      );
      assert.deepEqual(sessionStart?.logGroupIdentifiers, ['arn:aws:logs:eu-west-1:000000000000:log-group:tail-me']);
      assert.equal(sessionStart?.logEventFilterPattern, '?ERROR ?tail');
      assert.deepEqual(
        seen.map((e) => e.logStreamName),
        ['app', 'eventbridge/default/tail-rule'],
      );
      assert.equal(seen[0].message, 'later ERROR');
      assert.equal((JSON.parse(seen[1].message!) as { source: string }).source, 'tail');
      assert.equal(seen[0].logGroupIdentifier, 'arn:aws:logs:eu-west-1:000000000000:log-group:tail-me');
      assert.ok(typeof seen[0].ingestionTime === 'number' && typeof seen[0].timestamp === 'number');
    } finally {
      abort.abort();
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });

  void it('rejects a missing log group before streaming', async () => {
    const bus = await startLocalBus({ port: 0 });
    const { events, logs } = clientsFor(bus.url);
    try {
      await assert.rejects(
        logs.send(
          new StartLiveTailCommand({ logGroupIdentifiers: ['arn:aws:logs:eu-west-1:000000000000:log-group:nope'] }),
        ),
        withCode('ResourceNotFoundException'),
      );
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });

  void it('ends open sessions when the bus closes', async () => {
    const bus = await startLocalBus({ port: 0 });
    const { events, logs } = clientsFor(bus.url);
    try {
      await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      const response = await logs.send(
        new StartLiveTailCommand({ logGroupIdentifiers: ['arn:aws:logs:eu-west-1:000000000000:log-group:g'] }),
      );
      const consumed = (async () => {
        let frames = 0;
        try {
          for await (const frame of response.responseStream!) if (frame) frames++;
        } catch {
          // a closed connection may surface as an error: either way the stream ends
        }
        return frames;
      })();
      await bus.close();
      assert.ok((await consumed) >= 1);
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });
});
