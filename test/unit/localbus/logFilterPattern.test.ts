import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FilterPatternError, compileFilterPattern } from '../../../server/src/localbus/logFilterPattern';

const matches = (pattern: string, message: string): boolean => compileFilterPattern(pattern)(message);

void describe('CloudWatch Logs filter patterns', () => {
  void it('matches everything for an empty pattern', () => {
    assert.equal(matches('', 'anything'), true);
    assert.equal(matches('   ', 'anything'), true);
  });

  void it('needs every plain term (case-sensitive substrings)', () => {
    assert.equal(matches('ERROR timeout', 'ERROR: request timeout'), true);
    assert.equal(matches('ERROR timeout', 'ERROR: request failed'), false);
    assert.equal(matches('ERROR', 'error'), false);
  });

  void it('treats a quoted phrase as one term', () => {
    assert.equal(matches('"request failed"', 'the request failed: 500'), true);
    assert.equal(matches('"request failed"', 'the request has failed'), false);
    assert.equal(matches('"a:b" c', 'x a:b c'), true);
  });

  void it('needs one of the ?terms and none of the -terms', () => {
    assert.equal(matches('?ERROR ?WARN', 'WARN disk'), true);
    assert.equal(matches('?ERROR ?WARN', 'INFO disk'), false);
    assert.equal(matches('ERROR -retry', 'ERROR will retry'), false);
    assert.equal(matches('ERROR -retry', 'ERROR giving up'), true);
    assert.equal(matches('-"health check"', 'GET /health check'), false);
  });

  void it('compares JSON fields: strings, wildcards, numbers, booleans, null, existence, && and ||', () => {
    const msg = JSON.stringify({ a: { b: 'order-17', n: 42, ok: true, z: null }, list: [{ id: 'x' }], s: '7' });
    assert.equal(matches('{ $.a.b = "order-17" }', msg), true);
    assert.equal(matches('{ $.a.b = order-17 }', msg), true);
    assert.equal(matches('{ $.a.b = "order-*" }', msg), true);
    assert.equal(matches('{ $.a.b != "order-*" }', msg), false);
    assert.equal(matches('{ $.a.n = 42 }', msg), true);
    assert.equal(matches('{ $.a.n >= 42 && $.a.n < 43 }', msg), true);
    assert.equal(matches('{ $.a.n > 42 }', msg), false);
    assert.equal(matches('{ $.a.n != 41 }', msg), true);
    assert.equal(matches('{ $.s = 7 }', msg), true, 'a numeric string compares as a number');
    assert.equal(matches('{ $.a.ok IS TRUE }', msg), true);
    assert.equal(matches('{ $.a.z IS NULL }', msg), true);
    assert.equal(matches('{ $.a.missing NOT EXISTS }', msg), true);
    assert.equal(matches('{ $.list[0].id = "x" }', msg), true);
    assert.equal(matches('{ ($.a.n = 1 || $.a.b = "order-17") && $.a.ok IS TRUE }', msg), true);
    assert.equal(matches('{ $.a.missing = "x" }', msg), false);
    assert.equal(matches('{ $.a.b = "order-17" }', 'not json'), false);
  });

  void it('refuses what it does not support or cannot parse', () => {
    for (const bad of ['[ip, user]', '%ERR.*%', '"open', '{ $.a = }', '{ $.a > "x" }', '{ $.a = 1', '{ a = 1 }']) {
      assert.throws(() => compileFilterPattern(bad), FilterPatternError, bad);
    }
    assert.throws(() => compileFilterPattern('x'.repeat(1025)), FilterPatternError);
  });
});
