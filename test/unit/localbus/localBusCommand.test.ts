import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { runLocalBusCommand } from '../../../server/src/localbus/localBusCommand';
import { FIXTURES, clientsFor, pollFor } from './localBusTestSupport';

void describe('local-bus command', () => {
  void it('prints the real port, serves the templates it was given, and stops cleanly when told to', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const stop = new AbortController();
    const exit = runLocalBusCommand(
      [
        '--port',
        '0',
        '--template',
        join(FIXTURES, 'orders-stack.json'),
        '--region',
        'eu-west-1',
        '--account=123456789012',
      ],
      {
        stdout: (l) => stdout.push(l),
        stderr: (l) => stderr.push(l),
        signal: stop.signal,
      },
    );
    try {
      const line = await pollFor(
        () => Promise.resolve(stdout.find((l) => l.startsWith('listening on '))),
        'the listening line',
      );
      const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      assert.ok(m, line);
      assert.notEqual(Number(m[2]), 0);
      const { events, logs } = clientsFor(m[1]);
      try {
        const sent = await events.send(
          new PutEventsCommand({
            Entries: [{ EventBusName: 'json-bus', Source: 'shop', DetailType: 'd', Detail: '{"x":1}' }],
          }),
        );
        assert.equal(sent.FailedEntryCount, 0);
        const found = await logs.send(new FilterLogEventsCommand({ logGroupName: '/app/orders-prod' }));
        assert.equal((JSON.parse(found.events![0].message!) as { account: string }).account, '123456789012');
      } finally {
        events.destroy();
        logs.destroy();
      }
      assert.deepEqual(stderr, []);
    } finally {
      stop.abort();
    }
    assert.equal(await exit, 0);
  });

  void it('stops on SIGTERM', async () => {
    const stdout: string[] = [];
    const exit = runLocalBusCommand(['--port', '0'], { stdout: (l) => stdout.push(l), stderr: () => undefined });
    await pollFor(() => Promise.resolve(stdout.find((l) => l.startsWith('listening on '))), 'the listening line');
    process.emit('SIGTERM');
    assert.equal(await exit, 0);
  });

  void it('refuses bad arguments and unparseable templates with a message', async () => {
    for (const [argv, expected] of [
      [[], /--port is required/],
      [['--port', 'x'], /--port must be a number/],
      [['--port', '0', '--region', 'Mars'], /not a region name/],
      [['--port', '0', '--account', '42'], /12 digits/],
      [['--port', '0', '--bogus'], /unknown argument --bogus/],
    ] as const) {
      const stderr: string[] = [];
      assert.equal(await runLocalBusCommand([...argv], { stdout: () => undefined, stderr: (l) => stderr.push(l) }), 2);
      assert.match(stderr[0], expected);
    }
    const stderr: string[] = [];
    const code = await runLocalBusCommand(['--port', '0', '--template', join(FIXTURES, 'not-a-template.yaml')], {
      stdout: () => undefined,
      stderr: (l) => stderr.push(l),
    });
    assert.equal(code, 1);
    assert.match(stderr.join('\n'), /not-a-template\.yaml: not valid YAML/);
    const missing: string[] = [];
    assert.equal(
      await runLocalBusCommand(['--port', '0', '--template', join(FIXTURES, 'missing.yaml')], {
        stdout: () => undefined,
        stderr: (l) => missing.push(l),
      }),
      1,
    );
    assert.match(missing.join('\n'), /cannot load template: .*ENOENT/);
  });

  void it('runs Lambda handlers only with --run-functions, and says on stderr which handler runs first', async () => {
    for (const runFunctions of [false, true]) {
      const stdout: string[] = [];
      const stderr: string[] = [];
      const stop = new AbortController();
      const exit = runLocalBusCommand(
        [
          '--port',
          '0',
          '--region',
          'eu-west-1',
          '--template',
          join(FIXTURES, 'functions', 'template.yaml'),
          ...(runFunctions ? ['--run-functions'] : []),
        ],
        { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), signal: stop.signal },
      );
      try {
        const line = await pollFor(
          () => Promise.resolve(stdout.find((l) => l.startsWith('listening on '))),
          'the listening line',
        );
        const { events, logs } = clientsFor(line.slice('listening on '.length));
        try {
          await events.send(
            new PutEventsCommand({ Entries: [{ Source: 'fixture.esm', DetailType: 'd', Detail: '{}' }] }),
          );
          const group = runFunctions ? '/aws/lambda/fixture-esm' : '/eventbridge-patterns/local-bus/undelivered';
          const found = await pollFor(async () => {
            const out = await logs
              .send(new FilterLogEventsCommand({ logGroupName: group }))
              .catch(() => ({ events: [] }));
            return out.events?.some((e) => e.message?.startsWith(runFunctions ? 'REPORT ' : '{'))
              ? out.events
              : undefined;
          }, `output in ${group}`);
          if (runFunctions) {
            assert.ok(found.some((e) => e.message?.endsWith('\tINFO\thello from fixture-esm')));
            assert.ok(
              stderr.includes(
                `local-bus: Running handler src/app.handler of function fixture-esm (nodejs20.x) for rule fixture-esm-rule, from ${join(FIXTURES, 'functions', 'esm')}`,
              ),
              stderr.join('\n'),
            );
          } else {
            assert.match(found[0].message!, /running functions is off/);
            assert.ok(!stderr.some((l) => l.includes('Running handler')));
          }
        } finally {
          events.destroy();
          logs.destroy();
        }
      } finally {
        stop.abort();
      }
      assert.equal(await exit, 0);
    }
  });
});
