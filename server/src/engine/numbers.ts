// EventBridge compares numbers as IEEE-754 doubles, but only numbers whose decimal text is exactly a double:
// event-ruler requires BigDecimal(text) to equal the double's shortest decimal form. `0.1` and `1e300` qualify;
// `12345678901234567890` and `1e400` do not (in a pattern that is an error, in an event such a number only
// matches by its literal spelling).

/** A decimal number as (sign, significant digits without leading/trailing zeros, exponent of the last digit). */
interface Decimal {
  readonly negative: boolean;
  readonly digits: string;
  readonly exponent: number;
}

const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function toDecimal(text: string): Decimal | undefined {
  const m = NUMBER_TEXT.exec(text);
  if (!m) return undefined;
  const intPart = m[2];
  const frac = m[3] ?? '';
  let digits = (intPart + frac).replace(/^0+/, '');
  // An exponent beyond any double's range cannot be a double; avoid huge numbers from hostile input.
  const expText = m[4] ?? '0';
  if (expText.replace(/^[+-]?0*/, '').length > 6) return { negative: m[1] === '-', digits: digits || '0', exponent: 1e9 };
  let exponent = Number(expText) - frac.length;
  if (digits === '') return { negative: false, digits: '0', exponent: 0 };
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  return { negative: m[1] === '-', digits, exponent };
}

function sameDecimal(a: Decimal, b: Decimal): boolean {
  if (a.digits === '0' && b.digits === '0') return true;
  return a.negative === b.negative && a.digits === b.digits && a.exponent === b.exponent;
}

/**
 * The double value of a JSON number text if EventBridge can compare it numerically, else undefined.
 */
export function comparableNumber(text: string): number | undefined {
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  const exact = toDecimal(text);
  if (!exact) return undefined;
  // JavaScript's Number#toString gives the shortest round-trip form, as BigDecimal.valueOf(double) aims to.
  const shortest = toDecimal(numberToPlainText(value));
  if (!shortest || !sameDecimal(exact, shortest)) return undefined;
  return value === 0 ? 0 : value;
}

function numberToPlainText(value: number): string {
  const s = String(value);
  return s.replace(/e\+/, 'e');
}

/** Orders doubles, used by range matching. */
export function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
