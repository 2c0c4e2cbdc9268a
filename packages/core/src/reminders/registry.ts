import type { AnyPlugin } from '../plugin/define.ts';
import type { AnyReminderRule } from './rule.ts';
import { duesUnpaidRule, meetingDueRule, probationEndingRule, termEndingRule, transferReceiptOverdueRule } from './rules/index.ts';

/**
 * Core's reminder rules. Seams for rules other work will add (documented, not built here): development
 * steps due (发展党员), assessment tasks due (考核) — each
 * one more module in rules/ added to this list, or a plugin's `reminders`.
 */
export const CORE_REMINDER_RULES: readonly AnyReminderRule[] = [
  termEndingRule,
  meetingDueRule,
  probationEndingRule,
  duesUnpaidRule,
  transferReceiptOverdueRule,
];

/** Core's rules and those of the given plugins, in that order. */
export function reminderRulesOf(plugins: readonly AnyPlugin[]): AnyReminderRule[] {
  return [...CORE_REMINDER_RULES, ...plugins.flatMap((p) => p.reminders ?? [])];
}
