import type { Prisma } from '@dangjian/db';
import type { AnyReminderRule } from './rule.ts';

/** A department's thresholds per rule id, as stored in `ReminderSetting.thresholds`. */
export type ThresholdMap = Readonly<Record<string, readonly number[]>>;

/** Largest threshold a setting may name (months or days). */
export const MAX_THRESHOLD = 366;

/** The thresholds of `rule` for a department: its own setting, or the rule's defaults; largest first. */
export function thresholdsOf(rule: AnyReminderRule, stored: Prisma.JsonValue | null | undefined): number[] {
  const map = (stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : {}) as Record<string, unknown>;
  const own = map[rule.id];
  const valid =
    Array.isArray(own) && own.length > 0 && own.every((n) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_THRESHOLD);
  return [...((valid ? own : rule.defaults) as number[])].sort((a, b) => b - a);
}
