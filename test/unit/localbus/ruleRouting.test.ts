// The bus routes each event through all its rules compiled into one matcher; rule changes must take effect at once.
import '../hermeticAws';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBridgeStore, type EventEnvelope } from '../../../server/src/localbus/eventBridgeService';
import { eventMatches } from '../../../server/src/localbus/patternMatching';

function storeRecording(): { store: EventBridgeStore; delivered: string[] } {
  const delivered: string[] = [];
  const store = new EventBridgeStore(
    'us-east-1',
    '123456789012',
    { putEventsMaxBytes: 256 * 1024, maxRulesPerBus: 10_000, maxBusesPerRegion: 10 },
    ({ rule, target }) => delivered.push(`${rule.name}/${target.Id}`),
  );
  return { store, delivered };
}

function envelope(source: string, detail: Record<string, unknown>): EventEnvelope {
  return {
    version: '0',
    id: 'e1',
    'detail-type': 'Thing Happened',
    source,
    account: '123456789012',
    time: '2026-11-27T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

test('500 rules: the bus delivers to exactly the rules the reference engine matches, in rule order', () => {
  const { store, delivered } = storeRecording();
  const bus = store.bus(undefined);
  for (let i = 0; i < 500; i++) {
    const pattern =
      i % 3 === 0
        ? { source: [`app.${i % 7}`] }
        : i % 3 === 1
          ? { detail: { n: [{ numeric: ['>=', i % 50] }] } }
          : { source: [{ prefix: 'app.' }], detail: { tag: [`t${i % 4}`] } };
    const rule = store.putRule(bus, { name: `r${i}`, eventPattern: JSON.stringify(pattern) });
    store.putTargets(rule, [{ Id: 't', Arn: 'arn:aws:logs:us-east-1:123456789012:log-group:g' }]);
  }
  for (const event of [envelope('app.3', { n: 20, tag: 't1' }), envelope('other', { n: 0 }), envelope('app.0', {})]) {
    delivered.length = 0;
    store.route(bus, event, 0, (e) => assert.fail(String(e)));
    const want = [...bus.rules.values()].filter((r) => r.compiled && eventMatches(r.compiled, event)).map((r) => `${r.name}/t`);
    assert.ok(want.length > 0);
    assert.deepEqual(delivered, want);
  }
});

test('replacing, disabling and deleting a rule changes routing for the next event', () => {
  const { store, delivered } = storeRecording();
  const bus = store.bus(undefined);
  const target = { Id: 't', Arn: 'arn:aws:logs:us-east-1:123456789012:log-group:g' };
  store.putTargets(store.putRule(bus, { name: 'a', eventPattern: '{"source":["x"]}' }), [target]);
  store.putRule(bus, { name: 'b', eventPattern: '{"source":["y"]}' });
  const route = (source: string): string[] => {
    delivered.length = 0;
    store.route(bus, envelope(source, {}), 0, (e) => assert.fail(String(e)));
    return [...delivered];
  };
  assert.deepEqual(route('x'), ['a/t']);
  store.putRule(bus, { name: 'a', eventPattern: '{"source":["z"]}' });
  assert.deepEqual(route('x'), []);
  assert.deepEqual(route('z'), ['a/t']);
  store.putRule(bus, { name: 'a', eventPattern: '{"source":["z"]}', state: 'DISABLED' });
  assert.deepEqual(route('z'), []);
  store.putRule(bus, { name: 'a', eventPattern: '{"source":["z"]}', state: 'ENABLED' });
  assert.deepEqual(route('z'), ['a/t']);
  store.putTargets(store.rule(bus, 'b'), [target]);
  assert.deepEqual(route('y'), ['b/t']);
  store.rule(bus, 'b').targets.clear();
  store.deleteRule(bus, 'b');
  store.putRule(bus, { name: 'b', eventPattern: '{"source":["q"]}' });
  store.putTargets(store.rule(bus, 'b'), [target]);
  assert.deepEqual(route('y'), []);
  assert.deepEqual(route('q'), ['b/t']);
});
