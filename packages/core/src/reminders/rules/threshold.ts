import { daysBetween } from '../rule.ts';

/**
 * The threshold a deadline has crossed on `today`: `overdue` once it has passed, else the smallest
 * threshold (in days) it lies within, or null while it is further away than all of them.
 */
export function deadlineThreshold(today: Date, deadline: Date, thresholds: readonly number[]): { key: string; left: number } | null {
  const left = daysBetween(today, deadline);
  if (left < 0) return { key: 'overdue', left };
  const days = [...thresholds].sort((a, b) => a - b).find((n) => left <= n);
  return days === undefined ? null : { key: `${days}d`, left };
}
