// Pure rules of pairings (结对子) and of the yearly figures: the visit window and the calendar year.

import { addDays } from './personal-data-rules.ts';

/** Default window of `helpPairingsWithoutRecentVisit`: a pairing should be visited at least once a quarter. */
export const DEFAULT_VISIT_WINDOW_DAYS = 90;
/** Longest window a query may ask for. */
export const MAX_VISIT_WINDOW_DAYS = 366;

/**
 * First day of the visit window ending today: a visit on or after it is recent. A pairing counts as
 * lacking a recent visit when it is OPEN, started on or before this day (a pairing younger than the
 * window is not yet late) and has no visit dated on or after it.
 */
export function visitWindowStart(today: Date, days: number): Date {
  return addDays(today, -days);
}

/** Error text when a visit window is out of range, null when fine. */
export function visitWindowProblem(days: number): string | null {
  return Number.isInteger(days) && days >= 1 && days <= MAX_VISIT_WINDOW_DAYS ? null : `must be between 1 and ${MAX_VISIT_WINDOW_DAYS}`;
}

/** Earliest year the figures answer for (the latest is the current year). */
export const MIN_FIGURES_YEAR = 1949;

/** [1 January, next 1 January) of a calendar year, as UTC dates. */
export function yearBounds(year: number): { start: Date; end: Date } {
  return { start: new Date(Date.UTC(year, 0, 1)), end: new Date(Date.UTC(year + 1, 0, 1)) };
}

/** Error text when a year cannot have figures (before 1949 or after the current year), null when fine. */
export function yearProblem(year: number, today: Date): string | null {
  if (!Number.isInteger(year) || year < MIN_FIGURES_YEAR || year > today.getUTCFullYear()) {
    return `must be a year from ${MIN_FIGURES_YEAR} to ${today.getUTCFullYear()}`;
  }
  return null;
}
