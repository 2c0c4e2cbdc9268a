// Calendar dates. Every date the schema stores (terms, meetings, deadlines, service days) is a UTC
// calendar date: midnight UTC of the day, as the `Date` scalar parses it.

/** `YYYY-MM-DD` of a stored calendar date, for summaries, messages and activity data. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Today (or the day of `now`) as a UTC calendar date, the unit in which dates are stored. */
export function utcToday(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
