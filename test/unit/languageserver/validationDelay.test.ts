// The server's wait before validating a changed document: as long as its recent validations after an edit took,
// within bounds. Pure functions of those durations, so they are tested as such (the benchmark measures the timing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adaptiveValidationDelay,
  CHEAP_VALIDATION_MS,
  typicalValidationMs,
  VALIDATION_DELAY_BOUNDS,
} from '../../../server/src/languageserver/server';

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

test('a validation that ends before the next keystroke of fast typing waits the minimum', () => {
  assert.ok(min + CHEAP_VALIDATION_MS <= 100);
  assert.equal(adaptiveValidationDelay(min + 0.4), min);
  assert.equal(adaptiveValidationDelay(35), min);
  assert.equal(adaptiveValidationDelay(CHEAP_VALIDATION_MS - 0.1), min);
});

test('from there, the delay is the last validation time, rounded to whole milliseconds', () => {
  assert.equal(adaptiveValidationDelay(CHEAP_VALIDATION_MS), CHEAP_VALIDATION_MS);
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

test('one expensive validation among cheap ones does not slow the edits after it; a run of them does', () => {
  assert.equal(typicalValidationMs([]), undefined);
  assert.equal(typicalValidationMs([1_500]), 1_500);
  // A large paste after cheap edits, then its undo: the undo waits as a cheap edit does.
  assert.equal(typicalValidationMs([30, 1_500]), 30);
  assert.equal(typicalValidationMs([30, 30, 1_500]), 30);
  // Expensive edit after expensive edit: they wait for the user to pause.
  assert.equal(typicalValidationMs([30, 1_500, 1_400]), 1_400);
  assert.equal(typicalValidationMs([30, 30, 30, 1_500, 1_400, 1_600]), 1_500);
  assert.equal(adaptiveValidationDelay(typicalValidationMs([30, 1_500, 1_400])), VALIDATION_DELAY_BOUNDS.max);
});
