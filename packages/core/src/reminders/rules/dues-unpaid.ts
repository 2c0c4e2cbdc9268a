import { utcToday } from '../../kit/dates.ts';
import { addMonths, formatMonth, monthStart } from '../../schema/member-rules.ts';
import { unpaidDuesUnder, type UnpaidDues } from '../dues-seam.ts';
import type { Reminder, ReminderRule, ReminderScope } from '../rule.ts';

/** Months from `from` to `to` counting both (first days of months). */
function monthsInclusive(from: Date, to: Date): number {
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth() + 1;
}

/**
 * 党费提醒 — a member who has paid nothing for the last 3 (and, later, 6) months, the current month
 * included. Six months unpaid without reason is where the rules speak of 自行脱党: that reminder says so
 * and that it is the branch's decision — nothing is ever done to the member automatically. To the
 * member's branch SECRETARY. The key names the first unpaid month of the run, so a member who pays and
 * falls behind again is reminded again, and a run is reminded once per threshold.
 */
export const duesUnpaidRule: ReminderRule<UnpaidDues[]> = {
  id: 'core.duesUnpaid',
  description:
    '党费提醒 — dues unpaid for the threshold (months) in a row; at 6 the 自行脱党 rule is named (a branch decision, never automatic); to the SECRETARY',
  unit: 'MONTHS',
  defaults: [6, 3],
  load(db, { root, now, thresholds }) {
    return unpaidDuesUnder(db, root.path, now, Math.min(...thresholds));
  },
  evaluate(rows, scope) {
    return rows.flatMap((row) => duesReminder(row, scope) ?? []);
  },
};

function duesReminder(row: UnpaidDues, { now, thresholds }: ReminderScope): Reminder | null {
  const current = monthStart(utcToday(now));
  const joined = monthStart(row.joinedAt);
  const afterPaid = row.lastPaidMonth ? addMonths(row.lastPaidMonth, 1) : joined;
  const runStart = afterPaid.getTime() > joined.getTime() ? afterPaid : joined;
  if (runStart.getTime() > current.getTime()) return null;
  const run = monthsInclusive(runStart, current);
  const months = [...thresholds].sort((a, b) => b - a).find((n) => run >= n);
  if (months === undefined) return null;
  const from = formatMonth(runStart);
  const severe = months >= 6;
  return {
    subjectType: 'Member',
    subjectId: row.memberId,
    threshold: `${months}m@${from}`,
    organization: row.organization,
    to: [{ organizationId: row.organization.id, role: 'SECRETARY' }],
    title: severe ? `${row.name}连续${months}个月未交纳党费` : `${row.name}党费欠缴提醒`,
    body: severe
      ? `${row.name}自${from}起已连续${run}个月未交纳党费。按党章规定，党员无正当理由连续六个月不交纳党费的，是自行脱党；是否按自行脱党处理须由支部研究决定，系统不会自动处理。请先谈话了解原因。`
      : `${row.name}自${from}起已连续${run}个月未交纳党费，请提醒其按时交纳。`,
  };
}
