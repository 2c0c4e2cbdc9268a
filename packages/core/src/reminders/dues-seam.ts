// SEAM: the one place the reminder rules read unpaid dues. Today it wraps the dues logic of
// member-dues.ts / member-rules.ts / member-queries.ts (a month is due from the month of joining, unpaid
// when no DuesPayment names it, the window ends with the current month). When dues move to their new
// statements, point this function at them; the dues rule (rules/dues-unpaid.ts) does not change.

import type { PrismaClient } from '@dangjian/db';
import { utcToday } from '../kit/dates.ts';
import { arrearsWhere } from '../schema/member-queries.ts';
import { monthStart, unpaidMonths, windowMonths } from '../schema/member-rules.ts';

/** A member with an unpaid month in the window, as the dues rule needs it. */
export interface UnpaidDues {
  memberId: string;
  name: string;
  organization: { id: string; path: string };
  joinedAt: Date;
  /** `YYYY-MM` of each unpaid due month of the window, oldest first (today's `unpaidMonths`). */
  unpaid: string[];
  /** The latest month paid for at all (before or inside the window), null if never. */
  lastPaidMonth: Date | null;
}

/**
 * Members under `path` with an unpaid due month among the last `months` months (the current one included),
 * in three statements whatever their number: the members (today's `arrearsWhere`), their payments in the
 * window, and their latest payment.
 */
export async function unpaidDuesUnder(db: PrismaClient, path: string, now: Date, months: number): Promise<UnpaidDues[]> {
  const today = utcToday(now);
  const members = await db.member.findMany({
    where: { AND: [{ organization: { path: { startsWith: path } } }, arrearsWhere(true, months, today)] },
    select: { id: true, name: true, joinedAt: true, organization: { select: { id: true, path: true } } },
    orderBy: { id: 'asc' },
  });
  if (members.length === 0) return [];
  const ids = members.map((m) => m.id);
  const since = windowMonths(today, months)[0]!;
  const [inWindow, latest] = await Promise.all([
    db.duesPayment.findMany({ where: { memberId: { in: ids }, month: { gte: since } }, select: { memberId: true, month: true } }),
    db.duesPayment.groupBy({ by: ['memberId'], where: { memberId: { in: ids } }, _max: { month: true } }),
  ]);
  const paid = new Map<string, Date[]>();
  for (const row of inWindow) paid.set(row.memberId, [...(paid.get(row.memberId) ?? []), row.month]);
  const last = new Map(latest.map((row) => [row.memberId, row._max.month ? monthStart(row._max.month) : null]));
  return members.map((m) => ({
    memberId: m.id,
    name: m.name,
    organization: m.organization,
    joinedAt: m.joinedAt,
    unpaid: unpaidMonths(m.joinedAt, paid.get(m.id) ?? [], today, months),
    lastPaidMonth: last.get(m.id) ?? null,
  }));
}
