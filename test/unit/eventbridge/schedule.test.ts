// Schedule expressions: reading them as AWS does, and our own evaluator of when a cron fires (UTC and time zones).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  atInstant,
  isKnownTimeZone,
  nextCronTimes,
  readScheduleExpression,
  unixCronReplacement,
  type CronSchedule,
} from '../../../server/src/eventbridge';

function cron(expression: string): CronSchedule {
  const r = readScheduleExpression(expression, 'rule');
  if ('problem' in r) throw new Error(`${expression}: ${r.problem.message}`);
  assert.equal(r.schedule.kind, 'cron');
  return r.schedule;
}

function problem(expression: string, dialect: 'rule' | 'scheduler' = 'rule'): string {
  const r = readScheduleExpression(expression, dialect);
  assert.ok('problem' in r, `${expression} should not be valid`);
  return r.problem.message;
}

const iso = (times: number[]): string[] => times.map((t) => new Date(t).toISOString().slice(0, 16));
const at = (s: string): number => Date.parse(s);

describe('rate expressions', () => {
  test('singular for 1, plural above', () => {
    assert.deepEqual(readScheduleExpression('rate(1 minute)', 'rule'), {
      schedule: { kind: 'rate', value: 1, unit: 'minute' },
    });
    assert.deepEqual(readScheduleExpression('rate(5 hours)', 'rule'), {
      schedule: { kind: 'rate', value: 5, unit: 'hour' },
    });
    assert.match(problem('rate(1 minutes)'), /singular unit: rate\(1 minute\)/);
    assert.match(problem('rate(5 day)'), /plural unit: rate\(5 days\)/);
    // EventBridge Scheduler takes either form (AWS's own samples write rate(5 minute) for schedules).
    assert.deepEqual(readScheduleExpression('rate(5 minute)', 'scheduler'), {
      schedule: { kind: 'rate', value: 5, unit: 'minute' },
    });
  });
  test('a positive whole number and a known unit', () => {
    assert.match(problem('rate(0 minutes)'), /positive whole number/);
    assert.match(problem('rate(1.5 hours)'), /positive whole number/);
    assert.match(problem('rate(2 weeks)'), /minute\(s\), hour\(s\) or day\(s\)/);
    assert.match(problem('rate(5minutes)'), /rate\(value unit\)/);
  });
  test('the problem is placed on the part that is wrong', () => {
    const r = readScheduleExpression('rate(5 minute)', 'rule');
    assert.ok('problem' in r);
    assert.equal('rate(5 minute)'.slice(r.problem.offset, r.problem.offset + r.problem.length), 'minute');
  });
});

describe('cron expressions', () => {
  test('six fields with ? in exactly one of day-of-month and day-of-week', () => {
    cron('cron(0 12 * * ? *)');
    cron('cron(15 10 ? * MON-FRI *)');
    assert.match(problem('cron(0 12 * * * *)'), /One of day-of-month and day-of-week must be \?/);
    assert.match(problem('cron(0 12 ? * ? *)'), /Only one of day-of-month and day-of-week/);
    assert.match(problem('cron(0 12 * * ? * *)'), /six fields .* not 7/);
    assert.match(problem('cron(5, 0, 1, *, ?, *)'), /separated by spaces, not commas/);
  });
  test('values out of range, bad steps and names are refused with the field named', () => {
    assert.match(problem('cron(60 12 * * ? *)'), /minutes field "60".*out of range \(0-59\)/);
    assert.match(problem('cron(0 24 * * ? *)'), /hours field/);
    assert.match(problem('cron(0 12 * FOO ? *)'), /month field/);
    assert.match(problem('cron(0 12 ? * 8 *)'), /day-of-week field/);
    assert.match(problem('cron(0/0 12 * * ? *)'), /step/);
    assert.match(problem('cron(0 12 * * ? 1969)'), /year field/);
    assert.match(problem('cron(0 12 ? * 2#6 *)'), /#6 must be 1 to 5/);
  });
  test('a Unix cron of five fields gets its own message and the AWS expression it means', () => {
    const r = readScheduleExpression('cron(0 12 * * 1-5)', 'rule');
    assert.ok('problem' in r);
    assert.match(r.problem.message, /Unix cron of five fields/);
    assert.equal(r.problem.replacement, 'cron(0 12 ? * 2-6 *)');
    assert.equal(unixCronReplacement(['*/5', '*', '*', '*', '*']), 'cron(*/5 * * * ? *)');
    assert.equal(unixCronReplacement(['0', '0', '1', '*', '*']), 'cron(0 0 1 * ? *)');
    assert.equal(unixCronReplacement(['0', '0', '*', '*', '0,6']), 'cron(0 0 ? * 1,7 *)');
    // Unix runs on either day when both are set: AWS cannot say that, so no rewrite is offered.
    assert.equal(unixCronReplacement(['0', '0', '1', '*', '1']), undefined);
  });
  test('at() is EventBridge Scheduler only, and must be a real time', () => {
    assert.match(problem('at(2030-01-01T00:00:00)', 'rule'), /rate\(value unit\) or cron\(fields\)/);
    assert.deepEqual(readScheduleExpression('at(2030-01-01T00:00:00)', 'scheduler'), {
      schedule: { kind: 'at', time: '2030-01-01T00:00:00' },
    });
    assert.match(problem('at(2030-02-30T00:00:00)', 'scheduler'), /not a date and time that exists/);
    assert.match(problem('at(2030-01-01 00:00)', 'scheduler'), /at\(yyyy-mm-ddThh:mm:ss\)/);
  });
});

describe('when a cron fires', () => {
  test('every day at noon UTC', () => {
    assert.deepEqual(iso(nextCronTimes(cron('cron(0 12 * * ? *)'), at('2025-01-01T12:00:00Z'), 3)), [
      '2025-01-02T12:00',
      '2025-01-03T12:00',
      '2025-01-04T12:00',
    ]);
  });
  test('steps and lists', () => {
    assert.deepEqual(iso(nextCronTimes(cron('cron(0/20 8,17 * * ? *)'), at('2025-01-01T08:10:00Z'), 4)), [
      '2025-01-01T08:20',
      '2025-01-01T08:40',
      '2025-01-01T17:00',
      '2025-01-01T17:20',
    ]);
  });
  test('weekdays by name', () => {
    // 2025-01-03 is a Friday.
    assert.deepEqual(iso(nextCronTimes(cron('cron(0 9 ? * MON-FRI *)'), at('2025-01-03T10:00:00Z'), 2)), [
      '2025-01-06T09:00',
      '2025-01-07T09:00',
    ]);
  });
  test('L: the last day of the month, in leap years and not', () => {
    assert.deepEqual(iso(nextCronTimes(cron('cron(0 0 L * ? *)'), at('2024-02-10T00:00:00Z'), 3)), [
      '2024-02-29T00:00',
      '2024-03-31T00:00',
      '2024-04-30T00:00',
    ]);
    assert.deepEqual(iso(nextCronTimes(cron('cron(0 0 L 2 ? *)'), at('2025-01-01T00:00:00Z'), 4)), [
      '2025-02-28T00:00',
      '2026-02-28T00:00',
      '2027-02-28T00:00',
      '2028-02-29T00:00',
    ]);
  });
  test('W: the weekday nearest a day, within the month', () => {
    // 2025-03-15 is a Saturday (→ Friday 14th); 2025-06-15 a Sunday (→ Monday 16th); 2025-02-01 a Saturday (→ Monday 3rd).
    assert.deepEqual(iso(nextCronTimes(cron('cron(0 9 15W 3,6 ? 2025)'), at('2025-01-01T00:00:00Z'), 5)), [
      '2025-03-14T09:00',
      '2025-06-16T09:00',
    ]);
    assert.deepEqual(iso(nextCronTimes(cron('cron(0 9 1W 2 ? 2025)'), at('2025-01-01T00:00:00Z'), 1)), [
      '2025-02-03T09:00',
    ]);
  });
  test('#: the nth weekday, and 5L: the last Thursday', () => {
    assert.deepEqual(iso(nextCronTimes(cron('cron(0 10 ? * 6#3 *)'), at('2025-01-01T00:00:00Z'), 2)), [
      '2025-01-17T10:00',
      '2025-02-21T10:00',
    ]);
    assert.deepEqual(iso(nextCronTimes(cron('cron(0 10 ? * 5L *)'), at('2025-01-01T00:00:00Z'), 2)), [
      '2025-01-30T10:00',
      '2025-02-27T10:00',
    ]);
  });
  test('the year field ends a schedule', () => {
    assert.deepEqual(iso(nextCronTimes(cron('cron(0 0 1 1 ? 2030-2031)'), at('2025-01-01T00:00:00Z'), 5)), [
      '2030-01-01T00:00',
      '2031-01-01T00:00',
    ]);
    assert.deepEqual(nextCronTimes(cron('cron(0 0 1 1 ? 2020)'), at('2025-01-01T00:00:00Z'), 5), []);
  });
  test('in a time zone, across daylight saving time', () => {
    const s = cron('cron(30 2 * * ? *)');
    // New York springs forward on 2025-03-09: 02:30 does not exist that day and is skipped.
    assert.deepEqual(iso(nextCronTimes(s, at('2025-03-08T00:00:00Z'), 3, 'America/New_York')), [
      '2025-03-08T07:30',
      '2025-03-10T06:30',
      '2025-03-11T06:30',
    ]);
    // It falls back on 2025-11-02: 01:30 happens twice and fires once, the first time (EDT).
    assert.deepEqual(
      iso(nextCronTimes(cron('cron(30 1 * * ? *)'), at('2025-11-01T12:00:00Z'), 2, 'America/New_York')),
      ['2025-11-02T05:30', '2025-11-03T06:30'],
    );
  });
  test('at() in a time zone', () => {
    assert.equal(new Date(atInstant('2030-07-01T09:00:00', 'Europe/Paris')!).toISOString(), '2030-07-01T07:00:00.000Z');
    assert.equal(atInstant('2025-03-30T02:30:00', 'Europe/Paris'), undefined);
  });
  test('time zone names', () => {
    assert.equal(isKnownTimeZone('Europe/Paris'), true);
    assert.equal(isKnownTimeZone('UTC'), true);
    assert.equal(isKnownTimeZone('Europe/Pariss'), false);
    assert.equal(isKnownTimeZone(''), false);
  });
});
