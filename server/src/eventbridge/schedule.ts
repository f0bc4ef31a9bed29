// Schedule expressions of EventBridge rules (`rate(...)`, `cron(...)`) and of EventBridge Scheduler (also `at(...)`):
// reading them as AWS does, saying what is wrong, and computing when they fire. Pure: no clock is read here, the
// caller passes "now". Times are epoch milliseconds; a time zone is an IANA name read through Node's Intl.

/** Why an expression is not valid: a message (our words: AWS answers only "Parameter ScheduleExpression is not valid.") and where, in the expression's own offsets. */
export interface ScheduleProblem {
  readonly message: string;
  readonly offset: number;
  readonly length: number;
  /** For a Unix cron of five fields: the AWS expression it means, when that is unambiguous. */
  readonly replacement?: string;
}

export type RateUnit = 'minute' | 'hour' | 'day';

export interface CronField {
  /** The field as written. */
  readonly text: string;
  readonly offset: number;
}

export interface CronSchedule {
  readonly kind: 'cron';
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** Undefined when `?`. */
  readonly dayOfMonth: readonly DayOfMonthItem[] | undefined;
  readonly months: ReadonlySet<number>;
  /** Undefined when `?`. */
  readonly dayOfWeek: readonly DayOfWeekItem[] | undefined;
  /** Undefined when `*` (every year AWS runs: 1970–2199). */
  readonly years: ReadonlySet<number> | undefined;
}

type DayOfMonthItem =
  | { readonly kind: 'days'; readonly days: ReadonlySet<number> }
  | { readonly kind: 'last'; readonly minus: number }
  | { readonly kind: 'lastWeekday' }
  | { readonly kind: 'nearestWeekday'; readonly day: number };

type DayOfWeekItem =
  | { readonly kind: 'days'; readonly days: ReadonlySet<number> }
  | { readonly kind: 'last'; readonly day: number }
  | { readonly kind: 'nth'; readonly day: number; readonly nth: number };

export type Schedule =
  | { readonly kind: 'rate'; readonly value: number; readonly unit: RateUnit }
  | CronSchedule
  | { readonly kind: 'at'; readonly time: string };

export type ScheduleReading = { readonly schedule: Schedule } | { readonly problem: ScheduleProblem };

/** Who reads the expression: EventBridge rules take rate and cron; EventBridge Scheduler also `at(...)`. */
export type ScheduleDialect = 'rule' | 'scheduler';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
export const FIRST_YEAR = 1970;
export const LAST_YEAR = 2199;

const whole = (expression: string, message: string): { problem: ScheduleProblem } => ({
  problem: { message, offset: 0, length: expression.length },
});

/** Reads a schedule expression; a problem says what AWS would refuse. */
export function readScheduleExpression(expression: string, dialect: ScheduleDialect): ScheduleReading {
  const call = /^(rate|cron|at)\((.*)\)$/s.exec(expression);
  if (!call || (call[1] === 'at' && dialect === 'rule')) {
    const kinds = dialect === 'rule' ? 'rate(value unit) or cron(fields)' : 'at(...), rate(...) or cron(...)';
    const trimmed = expression.trim() !== expression ? ' (it has spaces around it)' : '';
    return whole(expression, `A schedule expression is ${kinds}, not "${expression}"${trimmed}`);
  }
  const inner = call[2];
  const innerOffset = call[1].length + 1;
  if (call[1] === 'rate') return readRate(inner, innerOffset, expression, dialect);
  if (call[1] === 'at') return readAt(inner, innerOffset);
  return readCron(inner, innerOffset);
}

function readRate(inner: string, innerOffset: number, expression: string, dialect: ScheduleDialect): ScheduleReading {
  const m = /^(\S+) (\S+)$/.exec(inner);
  if (!m)
    return whole(
      expression,
      'A rate expression is rate(value unit): a number, one space and a unit, as rate(5 minutes)',
    );
  const value = Number(m[1]);
  if (!/^\d+$/.test(m[1]) || value < 1)
    return {
      problem: {
        message: `The rate's value must be a positive whole number, not "${m[1]}"`,
        offset: innerOffset,
        length: m[1].length,
      },
    };
  const unitOffset = innerOffset + m[1].length + 1;
  const unitMatch = /^(minute|hour|day)(s?)$/.exec(m[2]);
  if (!unitMatch)
    return {
      problem: {
        message: `The rate's unit is minute(s), hour(s) or day(s), not "${m[2]}"`,
        offset: unitOffset,
        length: m[2].length,
      },
    };
  const plural = unitMatch[2] === 's';
  // EventBridge rules hold the unit to the number; EventBridge Scheduler takes either (AWS's own samples write
  // rate(5 minute) for schedules).
  if (dialect === 'scheduler') return { schedule: { kind: 'rate', value, unit: unitMatch[1] as RateUnit } };
  if (value === 1 && plural)
    return {
      problem: {
        message: `A rate of 1 takes the singular unit: rate(1 ${unitMatch[1]})`,
        offset: unitOffset,
        length: m[2].length,
      },
    };
  if (value > 1 && !plural)
    return {
      problem: {
        message: `A rate above 1 takes the plural unit: rate(${value} ${unitMatch[1]}s)`,
        offset: unitOffset,
        length: m[2].length,
      },
    };
  return { schedule: { kind: 'rate', value, unit: unitMatch[1] as RateUnit } };
}

function readAt(inner: string, innerOffset: number): ScheduleReading {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(inner);
  const bad = {
    problem: {
      message: `A one-time schedule is at(yyyy-mm-ddThh:mm:ss), not at(${inner})`,
      offset: innerOffset,
      length: inner.length,
    },
  };
  if (!m) return bad;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return { problem: { ...bad.problem, message: `at(${inner}) is not a date and time that exists` } };
  return { schedule: { kind: 'at', time: inner } };
}

// ---------------------------------------------------------------------------------------------------------------
// cron

type FieldName = 'minutes' | 'hours' | 'day-of-month' | 'month' | 'day-of-week' | 'year';

function readCron(inner: string, innerOffset: number): ScheduleReading {
  const fields: CronField[] = [];
  for (const m of inner.matchAll(/\S+/g)) fields.push({ text: m[0], offset: innerOffset + m.index });
  const span = { offset: innerOffset, length: inner.length };
  if (/^\s*[^\s,]+(\s*,\s*[^\s,]+){5}\s*$/.test(inner))
    return {
      problem: {
        ...span,
        message:
          'The six fields of a cron expression are separated by spaces, not commas (a comma makes a list inside one field)',
      },
    };
  if (fields.length === 5) {
    return {
      problem: {
        ...span,
        message:
          'This looks like a Unix cron of five fields: AWS cron takes six (minutes hours day-of-month month day-of-week year), ' +
          'with ? in day-of-month or day-of-week, and numbers days of the week 1-7 from Sunday',
        replacement: unixCronReplacement(fields.map((f) => f.text)),
      },
    };
  }
  if (fields.length !== 6)
    return {
      problem: {
        ...span,
        message: `A cron expression has six fields (minutes hours day-of-month month day-of-week year), not ${fields.length}`,
      },
    };
  const [minF, hourF, domF, monF, dowF, yearF] = fields;
  const minutes = readNumberField(minF, 0, 59, undefined, 'minutes');
  if ('problem' in minutes) return minutes;
  const hours = readNumberField(hourF, 0, 23, undefined, 'hours');
  if ('problem' in hours) return hours;
  const months = readNumberField(monF, 1, 12, MONTHS, 'month');
  if ('problem' in months) return months;
  const years =
    yearF.text === '*' ? { values: undefined } : readNumberField(yearF, FIRST_YEAR, LAST_YEAR, undefined, 'year');
  if ('problem' in years) return years;
  const domQ = domF.text === '?';
  const dowQ = dowF.text === '?';
  if (domQ === dowQ) {
    return {
      problem: {
        offset: domF.offset,
        length: dowF.offset + dowF.text.length - domF.offset,
        message: domQ
          ? 'Only one of day-of-month and day-of-week can be ?: the other says which days'
          : 'One of day-of-month and day-of-week must be ? (AWS cron does not take both): write ? in the one you do not use',
      },
    };
  }
  let dayOfMonth: DayOfMonthItem[] | undefined;
  if (!domQ) {
    const read = readDayOfMonth(domF);
    if ('problem' in read) return read;
    dayOfMonth = read.items;
  }
  let dayOfWeek: DayOfWeekItem[] | undefined;
  if (!dowQ) {
    const read = readDayOfWeek(dowF);
    if ('problem' in read) return read;
    dayOfWeek = read.items;
  }
  return {
    schedule: {
      kind: 'cron',
      minutes: minutes.values!,
      hours: hours.values!,
      dayOfMonth,
      months: months.values!,
      dayOfWeek,
      years: years.values,
    },
  };
}

function fieldProblem(field: CronField, message: string): { problem: ScheduleProblem } {
  return { problem: { message, offset: field.offset, length: field.text.length } };
}

function numberOf(text: string, names: readonly string[] | undefined): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (names) {
    const i = names.indexOf(text.toUpperCase());
    if (i >= 0) return i + 1;
  }
  return undefined;
}

/** A field of `*`, values, ranges (wrapping), steps and lists, as a set of numbers. */
function readNumberField(
  field: CronField,
  min: number,
  max: number,
  names: readonly string[] | undefined,
  name: FieldName,
): { values: Set<number> | undefined } | { problem: ScheduleProblem } {
  const values = new Set<number>();
  for (const part of field.text.split(',')) {
    const read = readRangePart(part, min, max, names);
    if (typeof read === 'string') return fieldProblem(field, `The ${name} field "${field.text}": ${read}`);
    for (const v of read) values.add(v);
  }
  return { values };
}

/** One element of a list: `*`, `5`, `MON`, `1-5`, `FRI-MON`, `0/15`, `*\/5`, `10-40/10`; the values, or why not. */
function readRangePart(
  part: string,
  min: number,
  max: number,
  names: readonly string[] | undefined,
): number[] | string {
  const m = /^([^/]+)(?:\/(.*))?$/.exec(part);
  if (!m) return `"${part}" is not a value, a range or a step`;
  let step = 1;
  if (m[2] !== undefined) {
    if (!/^\d+$/.test(m[2]) || Number(m[2]) < 1) return `the step "/${m[2]}" must be a positive whole number`;
    step = Number(m[2]);
  }
  let from: number;
  let to: number;
  if (m[1] === '*') {
    from = min;
    to = max;
  } else {
    const range = /^([^-]+)-([^-]+)$/.exec(m[1]);
    const a = numberOf(range ? range[1] : m[1], names);
    const b = range ? numberOf(range[2], names) : m[2] !== undefined ? max : a;
    const allowed = names ? `${min}-${max} or ${names[0]}-${names[names.length - 1]}` : `${min}-${max}`;
    if (a === undefined || b === undefined) return `"${m[1]}" is not a value (${allowed})`;
    if (a < min || a > max || b < min || b > max) return `"${m[1]}" is out of range (${allowed})`;
    from = a;
    to = b;
  }
  const out: number[] = [];
  const span = to >= from ? to - from : max - from + 1 + (to - min);
  for (let i = 0; i <= span; i += step) out.push(from + i > max ? from + i - max - 1 + min : from + i);
  return out;
}

function readDayOfMonth(field: CronField): { items: DayOfMonthItem[] } | { problem: ScheduleProblem } {
  const items: DayOfMonthItem[] = [];
  for (const part of field.text.split(',')) {
    const upper = part.toUpperCase();
    if (upper === 'LW') {
      items.push({ kind: 'lastWeekday' });
      continue;
    }
    const last = /^L(?:-(\d+))?$/.exec(upper);
    if (last) {
      const minus = last[1] === undefined ? 0 : Number(last[1]);
      if (minus > 30)
        return fieldProblem(field, `The day-of-month field "${field.text}": L-${minus} is more than a month back`);
      items.push({ kind: 'last', minus });
      continue;
    }
    const weekday = /^(\d+)W$/.exec(upper);
    if (weekday) {
      const day = Number(weekday[1]);
      if (day < 1 || day > 31)
        return fieldProblem(field, `The day-of-month field "${field.text}": ${day}W is out of range (1-31)`);
      items.push({ kind: 'nearestWeekday', day });
      continue;
    }
    const read = readRangePart(part, 1, 31, undefined);
    if (typeof read === 'string') return fieldProblem(field, `The day-of-month field "${field.text}": ${read}`);
    items.push({ kind: 'days', days: new Set(read) });
  }
  return { items };
}

function readDayOfWeek(field: CronField): { items: DayOfWeekItem[] } | { problem: ScheduleProblem } {
  const items: DayOfWeekItem[] = [];
  for (const part of field.text.split(',')) {
    const upper = part.toUpperCase();
    if (upper === 'L') {
      items.push({ kind: 'last', day: 7 });
      continue;
    }
    const last = /^(.+)L$/.exec(upper);
    if (last && numberOf(last[1], WEEKDAYS) !== undefined) {
      const day = numberOf(last[1], WEEKDAYS)!;
      if (day < 1 || day > 7)
        return fieldProblem(
          field,
          `The day-of-week field "${field.text}": "${last[1]}" is out of range (1-7 or SUN-SAT)`,
        );
      items.push({ kind: 'last', day });
      continue;
    }
    const nth = /^([^#]+)#(\d+)$/.exec(upper);
    if (nth) {
      const day = numberOf(nth[1], WEEKDAYS);
      if (day === undefined || day < 1 || day > 7)
        return fieldProblem(
          field,
          `The day-of-week field "${field.text}": "${nth[1]}" is not a day of the week (1-7 or SUN-SAT)`,
        );
      const n = Number(nth[2]);
      if (n < 1 || n > 5)
        return fieldProblem(
          field,
          `The day-of-week field "${field.text}": #${n} must be 1 to 5 (the nth such day of the month)`,
        );
      items.push({ kind: 'nth', day, nth: n });
      continue;
    }
    const read = readRangePart(part, 1, 7, WEEKDAYS);
    if (typeof read === 'string') return fieldProblem(field, `The day-of-week field "${field.text}": ${read}`);
    items.push({ kind: 'days', days: new Set(read) });
  }
  return { items };
}

/**
 * The AWS cron a Unix cron means, when that is unambiguous: a `*` day-of-month or day-of-week becomes `?` (Unix runs
 * on either when both are set, AWS cannot say that), days of the week move from 0-6 (Sunday 0 or 7) to 1-7, and the
 * year is `*`.
 */
export function unixCronReplacement(fields: readonly string[]): string | undefined {
  if (fields.length !== 5) return undefined;
  const [min, hour, dom, month, dow] = fields;
  let newDom = dom;
  let newDow: string | undefined = dow;
  if (dow === '*') newDow = '?';
  else if (dom === '*') {
    newDom = '?';
    newDow = unixWeekdays(dow);
  } else return undefined;
  if (newDow === undefined) return undefined;
  return `cron(${min} ${hour} ${newDom} ${month} ${newDow} *)`;
}

function unixWeekdays(dow: string): string | undefined {
  const shift = (t: string): string | undefined => {
    if (/^[A-Za-z]{3}$/.test(t)) return WEEKDAYS.includes(t.toUpperCase()) ? t : undefined;
    if (!/^\d$/.test(t)) return undefined;
    const n = Number(t);
    if (n > 7) return undefined;
    return String((n % 7) + 1);
  };
  const out: string[] = [];
  for (const part of dow.split(',')) {
    const range = /^([^-]+)-([^-]+)$/.exec(part);
    if (range) {
      const a = shift(range[1]);
      const b = shift(range[2]);
      // 5-7 in Unix (Friday to Sunday) wraps in AWS's numbering: say it as a list rather than guess.
      if (a === undefined || b === undefined || (/^\d$/.test(a) && Number(a) > Number(b))) return undefined;
      out.push(`${a}-${b}`);
    } else {
      const a = shift(part);
      if (a === undefined) return undefined;
      out.push(a);
    }
  }
  return out.join(',');
}

// ---------------------------------------------------------------------------------------------------------------
// When a schedule fires

/** True when the name is an IANA time zone this runtime knows. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.trim() === zone && zone !== '';
  } catch {
    return false;
  }
}

interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock time in `zone` at an instant, as if it were UTC (epoch ms). */
function wallAsUtc(ms: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/**
 * The instant a wall-clock time in `zone` stands for: the earlier one when the clock goes back and it happens twice,
 * undefined when the clock jumps over it.
 */
export function instantOfWallTime(wall: WallTime, zone: string): number | undefined {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  if (zone === 'UTC') return asUtc;
  const candidates = new Set<number>();
  for (const probe of [asUtc - 14 * 3600_000, asUtc, asUtc + 14 * 3600_000]) {
    const offset = wallAsUtc(probe, zone) - probe;
    candidates.add(asUtc - offset);
  }
  const good = [...candidates].filter((t) => wallAsUtc(t, zone) === asUtc).sort((a, b) => a - b);
  return good[0];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 (Sunday) to 7 (Saturday), as AWS numbers days of the week. */
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function isWeekday(year: number, month: number, day: number): boolean {
  const w = weekdayOf(year, month, day);
  return w !== 1 && w !== 7;
}

/** The weekday nearest to `day` in the same month (Quartz's and AWS's `W`). */
function nearestWeekday(year: number, month: number, day: number): number {
  const last = daysInMonth(year, month);
  const d = Math.min(day, last);
  const w = weekdayOf(year, month, d);
  if (w === 7) return d === 1 ? 3 : d - 1;
  if (w === 1) return d === last ? d - 2 : d + 1;
  return d;
}

function dayMatches(s: CronSchedule, year: number, month: number, day: number): boolean {
  if (s.years && !s.years.has(year)) return false;
  if (!s.months.has(month)) return false;
  const last = daysInMonth(year, month);
  if (s.dayOfMonth) {
    return s.dayOfMonth.some((item) => {
      switch (item.kind) {
        case 'days':
          return item.days.has(day);
        case 'last':
          return day === last - item.minus;
        case 'lastWeekday': {
          let d = last;
          while (!isWeekday(year, month, d)) d--;
          return day === d;
        }
        case 'nearestWeekday':
          return item.day <= last && day === nearestWeekday(year, month, item.day);
      }
    });
  }
  const w = weekdayOf(year, month, day);
  return s.dayOfWeek!.some((item) => {
    switch (item.kind) {
      case 'days':
        return item.days.has(w);
      case 'last':
        return w === item.day && day + 7 > last;
      case 'nth':
        return w === item.day && Math.ceil(day / 7) === item.nth;
    }
  });
}

/**
 * The next `count` instants (epoch ms) after `afterMs` at which a cron schedule fires, its fields read as wall-clock
 * time in `zone` (UTC for EventBridge rules). A wall-clock time the clock skips (daylight saving starts) is skipped;
 * one it passes twice fires once, the first time. Fewer when the schedule ends (its year field).
 */
export function nextCronTimes(s: CronSchedule, afterMs: number, count: number, zone = 'UTC'): number[] {
  const out: number[] = [];
  const hours = [...s.hours].sort((a, b) => a - b);
  const minutes = [...s.minutes].sort((a, b) => a - b);
  // Start a day early: the zone's wall clock may be behind UTC.
  const start = new Date(afterMs - 86400_000);
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth() + 1;
  let d = start.getUTCDate();
  const lastYear = s.years ? Math.max(...s.years) : LAST_YEAR;
  // Every day up to the last year it runs: bounded (at most about 84,000 days), and only matching days cost more.
  while (out.length < count && y <= lastYear) {
    if (dayMatches(s, y, m, d)) {
      for (const hour of hours) {
        for (const minute of minutes) {
          const t = instantOfWallTime({ year: y, month: m, day: d, hour, minute }, zone);
          if (t !== undefined && t > afterMs && out.length < count && !out.includes(t)) out.push(t);
        }
      }
    }
    d++;
    if (d > daysInMonth(y, m)) {
      d = 1;
      m++;
      if (m > 12) {
        m = 1;
        y++;
      }
    }
  }
  return out.sort((a, b) => a - b).slice(0, count);
}

/** The instant of an `at(...)` schedule in `zone`, or undefined when the clock skips that time there. */
export function atInstant(time: string, zone = 'UTC'): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(time);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const t = instantOfWallTime({ year, month, day, hour, minute }, zone);
  return t === undefined ? undefined : t + second * 1000;
}

/** An instant as `2026-12-05 06:00 (Sat)` in a zone, for hovers. */
export function formatInstant(ms: number, zone = 'UTC'): string {
  const wall = new Date(zone === 'UTC' ? ms : wallAsUtc(ms, zone));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ` +
    `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())} (${WEEKDAYS[wall.getUTCDay()].charAt(0)}${WEEKDAYS[wall.getUTCDay()].slice(1).toLowerCase()})`
  );
}
