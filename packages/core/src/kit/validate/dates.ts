import { InputError } from '../../errors/errors.ts';
import { utcToday } from '../dates.ts';

/** The plausible range of every date and instant the API accepts: 1900-01-01 … 2100-12-31 (UTC). */
export const DATE_RANGE = { min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 11, 31, 23, 59, 59, 999)) } as const;

/** Whether a date lies in {@link DATE_RANGE}. */
export function isPlausibleDate(date: Date): boolean {
  return date.getTime() >= DATE_RANGE.min.getTime() && date.getTime() <= DATE_RANGE.max.getTime();
}

/** Refuses a date or instant outside {@link DATE_RANGE} (a year 1000 or 9999 is a typo), naming `field`. */
export function checkDateRange(date: Date | null | undefined, field: string): void {
  if (date && !isPlausibleDate(date)) throw new InputError(field, 'must lie between 1900-01-01 and 2100-12-31');
}

/** Records describe what already happened: a date after today (UTC) is a typo, not a plan. */
export function checkNotFuture(date: Date | null | undefined, field: string, today: Date = utcToday()): void {
  if (date && date.getTime() > today.getTime()) throw new InputError(field, 'must not be in the future');
}

/**
 * Refuses a `date` before `earliest`, naming `field`; `what` says what the earlier date is
 * (`filter.from`, `the start of the pairing` …). Either may be absent, then there is nothing to compare.
 */
export function checkNotBefore(date: Date | null | undefined, earliest: Date | null | undefined, field: string, what: string): void {
  if (date && earliest && date.getTime() < earliest.getTime())
    throw new InputError(field, `must not be before ${what} (${earliest.toISOString().slice(0, 10)})`);
}

/** Refuses a `date` on or before `start`, naming `field`; `what` names the start (`termStart` …). */
export function checkAfter(date: Date | null | undefined, start: Date | null | undefined, field: string, what: string): void {
  if (date && start && date.getTime() <= start.getTime()) throw new InputError(field, `must be after ${what}`);
}

/**
 * A reporting period [from, to] (both days included): both plausible, `to` not before `from`, and shorter
 * than `maxYears` (an answer that grows with the months of the period must stay bounded). Names the
 * arguments as the client wrote them (`from`, `to` by default).
 */
export function checkPeriod(
  from: Date,
  to: Date,
  maxYears: number,
  fields: { from: string; to: string } = { from: 'from', to: 'to' },
): void {
  checkDateRange(from, fields.from);
  checkDateRange(to, fields.to);
  checkNotBefore(to, from, fields.to, fields.from);
  const limit = Date.UTC(from.getUTCFullYear() + maxYears, from.getUTCMonth(), from.getUTCDate());
  if (to.getTime() >= limit) throw new InputError(fields.to, `the period must be shorter than ${maxYears} years`);
}
