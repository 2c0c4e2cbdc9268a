/**
 * Points are exact: stored as Decimal with two places, added here as integer hundredths (分的百分之一),
 * never as floating-point sums.
 */

/** Hundredths of a decimal text or Prisma Decimal (`"12.5"` → 1250); rounds half away from zero beyond two places. */
export function toHundredths(value: { toString(): string } | string | number): number {
  const text = typeof value === 'number' ? String(value) : value.toString();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole, frac = ''] = match;
  const padded = `${frac}000`;
  let cents = Number(whole) * 100 + Number(padded.slice(0, 2));
  if (Number(padded[2]) >= 5) cents += 1;
  return sign ? -cents : cents;
}

/** Decimal text with two places (1250 → `"12.50"`). */
export function formatHundredths(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** True when a client's decimal text has at most two places (points) and is not negative. */
export function isPointsText(text: string): boolean {
  return /^\d{1,6}(\.\d{1,2})?$/.test(text);
}

/** True when a client's decimal text is a parameter value: at most two places, possibly negative. */
export function isParameterText(text: string): boolean {
  return /^-?\d{1,10}(\.\d{1,2})?$/.test(text);
}
