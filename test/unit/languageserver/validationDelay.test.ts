// The server's wait before validating a changed document: as long as its last validation after an edit took,
// within bounds. A pure function of that duration, so it is tested as one (the benchmark measures the timing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adaptiveValidationDelay, VALIDATION_DELAY_BOUNDS } from '../../../server/src/languageserver/server';

const { min, max } = VALIDATION_DELAY_BOUNDS;

test('the bounds leave room for both cheap and expensive validations', () => {
  assert.ok(min > 0 && min < 50, `minimum ${min} ms`);
  assert.ok(max > min && max <= 500, `maximum ${max} ms`);
});

test('before any validation after an edit, and after a cheap one, the delay is the minimum', () => {
  assert.equal(adaptiveValidationDelay(undefined), min);
  assert.equal(adaptiveValidationDelay(Number.NaN), min);
  assert.equal(adaptiveValidationDelay(0), min);
  assert.equal(adaptiveValidationDelay(-3), min);
  assert.equal(adaptiveValidationDelay(min / 2), min);
});

test('in between, the delay is the last validation time, rounded to whole milliseconds', () => {
  assert.equal(adaptiveValidationDelay(min + 0.4), min);
  assert.equal(adaptiveValidationDelay(87.4), 87);
  assert.equal(adaptiveValidationDelay(87.6), 88);
  assert.equal(adaptiveValidationDelay(max - 1), max - 1);
});

test('an expensive validation waits the maximum at most', () => {
  assert.equal(adaptiveValidationDelay(max + 1), max);
  assert.equal(adaptiveValidationDelay(1_500), max);
  assert.equal(adaptiveValidationDelay(Number.POSITIVE_INFINITY), max);
});

test('the delay never shrinks as validations get slower', () => {
  let previous = adaptiveValidationDelay(0);
  for (let ms = 0; ms <= 2 * max; ms += 0.5) {
    const delay = adaptiveValidationDelay(ms);
    assert.ok(delay >= previous && delay >= min && delay <= max, `${ms} ms -> ${delay} ms`);
    assert.ok(Number.isInteger(delay));
    previous = delay;
  }
});
