// The one place the reminder rules read unpaid dues: the dues statements of packages/core/src/dues (each
// month compared with the member's standard, due only after the department's due day). The dues rule
// (rules/dues-unpaid.ts) reads only what this returns.

import type { PrismaClient } from '@dangjian/db';
import { utcToday } from '../kit/dates.ts';
import { duesSettingsOf, loadDuesData } from '../dues/data.ts';
import { dueWindow, formatMonth, monthStatement } from '../dues/statement.ts';
import { arrearsWhere } from '../schema/member-queries.ts';
import { monthStart } from '../schema/member-rules.ts';

/** A member with an unpaid month in the window, as the dues rule needs it. */
export interface UnpaidDues {
  memberId: string;
  name: string;
  organization: { id: string; path: string };
  joinedAt: Date;
  /** `YYYY-MM` of each due month of the window not paid in full (unpaid or below the standard), oldest first. */
  unpaid: string[];
  /** The latest month paid for at all (before or inside the window), null if never. */
  lastPaidMonth: Date | null;
}

/**
 * Members on the roll under `path` with a month owed among the last `months` due months, in a fixed
 * number of statements whatever their number: the department's due day, the members (`arrearsWhere`),
 * their dues data in the window, and their latest payment.
 */
export async function unpaidDuesUnder(db: PrismaClient, path: string, now: Date, months: number): Promise<UnpaidDues[]> {
  const today = utcToday(now);
  const { dueDay } = await duesSettingsOf(db, path);
  const members = await db.member.findMany({
    where: { AND: [{ organization: { path: { startsWith: path } } }, arrearsWhere(true, months, dueDay, today)] },
    select: { id: true, name: true, joinedAt: true, organization: { select: { id: true, path: true } } },
    orderBy: { id: 'asc' },
  });
  if (members.length === 0) return [];
  const ids = members.map((m) => m.id);
  const window = dueWindow(today, dueDay, months);
  const [data, latest] = await Promise.all([
    loadDuesData(db, ids, window[0]),
    db.duesPayment.groupBy({ by: ['memberId'], where: { memberId: { in: ids } }, _max: { month: true } }),
  ]);
  const last = new Map(latest.map((row) => [row.memberId, row._max.month ? monthStart(row._max.month) : null]));
  return members.map((m) => {
    const dues = data.get(m.id);
    const joined = monthStart(m.joinedAt).getTime();
    const unpaid = dues
      ? window
          .filter((month) => month.getTime() >= joined)
          .map((month) => monthStatement(dues, month, dueDay, today))
          .filter((s) => s.due && !s.settled && s.status !== 'EXEMPT')
          .map((s) => formatMonth(s.month))
      : [];
    return {
      memberId: m.id,
      name: m.name,
      organization: m.organization,
      joinedAt: m.joinedAt,
      unpaid,
      lastPaidMonth: last.get(m.id) ?? null,
    };
  });
}
