import type { AnyPlugin } from '../plugin/define.ts';
import type { AnyReminderRule } from './rule.ts';
import {
  assessmentTaskDueRule,
  developmentDueRule,
  duesUnpaidRule,
  meetingDueRule,
  probationEndingRule,
  termEndingRule,
  transferLetterExpiringRule,
  transferReceiptOverdueRule,
} from './rules/index.ts';

/**
 * Core's reminder rules: each one module in rules/ listed here (a plugin adds its own through
 * `definePlugin({ reminders })`).
 */
export const CORE_REMINDER_RULES: readonly AnyReminderRule[] = [
  termEndingRule,
  meetingDueRule,
  probationEndingRule,
  duesUnpaidRule,
  developmentDueRule,
  assessmentTaskDueRule,
  transferReceiptOverdueRule,
  transferLetterExpiringRule,
];

/** Core's rules and those of the given plugins, in that order. */
export function reminderRulesOf(plugins: readonly AnyPlugin[]): AnyReminderRule[] {
  return [...CORE_REMINDER_RULES, ...plugins.flatMap((p) => p.reminders ?? [])];
}
