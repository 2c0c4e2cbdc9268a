// All seed dates are UTC midnight: the columns are @db.Date, and a local-time Date would shift a day
// on servers east or west of UTC.

/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/** UTC midnight of the given calendar date (month 1–12). */
export function utcDate(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

/** The same instant truncated to UTC midnight. */
export function startOfDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

/** Date moved by whole days. */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Date moved by calendar months; the day is clamped so 31 January + 1 month is 28/29 February. */
export function addMonths(date: Date, months: number): Date {
  // Hot in the 100k-member benchmark build: plain arithmetic instead of extra Date round trips.
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), daysInMonth(year, month))));
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Number of days of a month (0-based month, as Date uses). */
export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 1 && leap ? 29 : MONTH_DAYS[month]!;
}

/** Date moved by calendar years (29 February becomes 28 February in common years). */
export function addYears(date: Date, years: number): Date {
  return addMonths(date, years * 12);
}

/** First day of the date's month, the key dues payments use. */
export function monthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

/** Last day of the date's month. */
export function monthEnd(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0));
}

/** The earlier of two dates. */
export function minDate(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

/** The later of two dates. */
export function maxDate(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/** YYYYMMDD as embedded in national IDs. */
export function compactDate(date: Date): string {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  return `${y}${m < 10 ? '0' : ''}${m}${d < 10 ? '0' : ''}${d}`;
}
