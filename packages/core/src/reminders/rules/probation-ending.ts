import { isoDate, utcToday } from '../../kit/dates.ts';
import { addMonths } from '../../schema/member-rules.ts';
import { daysBetween, type Reminder, type ReminderRule, type ReminderScope } from '../rule.ts';

/** A probationary member, as the rule reads it. */
export interface ProbationRow {
  id: string;
  name: string;
  joinedAt: Date;
  organization: { id: string; path: string };
}

/** The day a probation that began on `joinedAt` ends: one year later. */
export function probationEnd(joinedAt: Date): Date {
  return addMonths(joinedAt, 12);
}

/**
 * 转正提醒 — a probationary member whose year (from joining) ends within 30 days, so the branch prepares
 * the vote on full membership. To the member's branch SECRETARY.
 */
export const probationEndingRule: ReminderRule<ProbationRow[]> = {
  id: 'core.probationEnding',
  description: '转正提醒 — a probationary member’s year ends within the threshold (days); to the SECRETARY',
  unit: 'DAYS',
  defaults: [30],
  async load(db, { root, now, thresholds }) {
    const today = utcToday(now);
    const horizon = new Date(today.getTime() + Math.max(...thresholds) * 86_400_000);
    return db.member.findMany({
      where: {
        status: 'PROBATIONARY',
        organization: { path: { startsWith: root.path } },
        // joinedAt + 1 year within [today, horizon]: joinedAt within the same window a year earlier (± a leap day).
        joinedAt: { gte: addMonths(today, -12), lte: addMonths(horizon, -12) },
      },
      select: { id: true, name: true, joinedAt: true, organization: { select: { id: true, path: true } } },
      orderBy: { id: 'asc' },
    });
  },
  evaluate(rows, scope) {
    return rows.flatMap((row) => probationReminder(row, scope) ?? []);
  },
};

function probationReminder(row: ProbationRow, { now, thresholds }: ReminderScope): Reminder | null {
  const end = probationEnd(row.joinedAt);
  const left = daysBetween(utcToday(now), end);
  if (left < 0) return null;
  const days = [...thresholds].sort((a, b) => a - b).find((n) => left <= n);
  if (days === undefined) return null;
  return {
    subjectType: 'Member',
    subjectId: row.id,
    threshold: `${days}d@${isoDate(end)}`,
    organization: row.organization,
    to: [{ organizationId: row.organization.id, role: 'SECRETARY' }],
    title: `${row.name}预备期将满`,
    body: `${row.name}的预备期将于${isoDate(end)}届满（还有${left}天），请及时召开支部党员大会讨论其转正。`,
  };
}
