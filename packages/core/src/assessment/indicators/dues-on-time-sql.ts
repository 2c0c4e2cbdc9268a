// core.dues.onTime's counts in SQL: the month statements of dues/statement.ts (standard after a reduction,
// paid by the due date) for every member-month of a subtree, summed per organization in the database, so a
// ranking of thousands of branches reads a few thousand rows, not a year of dues of 100k members.
// dues-on-time-sql.db.test.ts checks it against the statements on varied data; keep the two in step.

import { Prisma, type PrismaClient } from '@dangjian/db';
import { isoDate } from '../../kit/dates.ts';

/** Chargeable member-months (standard above zero) and those paid in full by their due date, by organization path. */
export interface OnTimeCounts {
  readonly path: string;
  readonly chargeable: number;
  readonly onTime: number;
}

/**
 * The on-time counts of the members of each organization at or below `subtrees` (by the path of the
 * organization the member belongs to), for the months `from`–`to` (first days) that are due on `today`
 * under the department's due day. One statement.
 */
export async function onTimeCountsByPath(
  db: PrismaClient,
  subtrees: readonly string[],
  from: Date,
  to: Date,
  today: Date,
): Promise<OnTimeCounts[]> {
  if (subtrees.length === 0) return [];
  const likes = subtrees.map((p) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const rows = await db.$queryRaw<{ path: string; chargeable: number; onTime: number }[]>(Prisma.sql`
    WITH members AS (
      SELECT m.id, m."joinedAt", o.path, s."dueDay"
        FROM "Member" m
        JOIN "Organization" o ON o.id = m."organizationId"
        LEFT JOIN "DuesSetting" s ON s."organizationId" = split_part(o.path, '/', 2)
       WHERE o.path LIKE ANY(${likes}::text[])
    ),
    months AS (
      SELECT mb.id, mb.path, g.month::date AS month,
             -- the due date: the department's due day, or the month's last day (also when past it)
             (g.month + make_interval(days => LEAST(COALESCE(mb."dueDay", 31),
                extract(day FROM g.month + interval '1 month' - interval '1 day')::int) - 1))::date AS due
        FROM members mb
        CROSS JOIN LATERAL generate_series(
          GREATEST(${isoDate(from)}::date, date_trunc('month', mb."joinedAt")::date)::timestamp,
          ${isoDate(to)}::date::timestamp, interval '1 month') AS g(month)
    ),
    due_months AS (
      -- a month is due once its due date has passed (the latest due month is this one or the one before)
      SELECT * FROM months WHERE month < date_trunc('month', ${isoDate(today)}::date)::date OR ${isoDate(today)}::date > due
    ),
    bases AS (
      SELECT b."memberId", b."effectiveFrom",
             lead(b."effectiveFrom") OVER (PARTITION BY b."memberId" ORDER BY b."effectiveFrom") AS until,
             CASE b.category::text
               WHEN 'FARMER' THEN COALESCE(b."fixedFen", 20)::bigint
               WHEN 'EMPLOYED' THEN (2 * COALESCE(b."baseFen", 0)::bigint * CASE
                   WHEN COALESCE(b."baseFen", 0) <= 300000 THEN 50 WHEN COALESCE(b."baseFen", 0) <= 500000 THEN 100
                   WHEN COALESCE(b."baseFen", 0) <= 1000000 THEN 150 ELSE 200 END + 10000) / 20000
               WHEN 'ANNUAL_SALARY' THEN (2 * COALESCE(b."baseFen", 0)::bigint * CASE
                   WHEN COALESCE(b."baseFen", 0) <= 300000 THEN 50 WHEN COALESCE(b."baseFen", 0) <= 500000 THEN 100
                   WHEN COALESCE(b."baseFen", 0) <= 1000000 THEN 150 ELSE 200 END + 10000) / 20000
               WHEN 'RETIRED' THEN (2 * COALESCE(b."baseFen", 0)::bigint * CASE
                   WHEN COALESCE(b."baseFen", 0) <= 500000 THEN 50 ELSE 100 END + 10000) / 20000
               ELSE 20::bigint
             END AS standard
        FROM "DuesBase" b
       WHERE b."memberId" IN (SELECT id FROM members)
    ),
    paid AS (
      SELECT d.id, d.month, sum(round(p.amount * 100))::bigint AS fen
        FROM due_months d
        JOIN "DuesPayment" p ON p."memberId" = d.id AND p.month = d.month
       WHERE p."paidAt" < (d.due + 1)::timestamp
       GROUP BY d.id, d.month
    ),
    stated AS (
      SELECT d.path,
             CASE WHEN r."amountFen" IS NULL THEN b.standard
                  WHEN b.standard IS NULL THEN r."amountFen"::bigint
                  ELSE LEAST(b.standard, r."amountFen"::bigint) END AS standard,
             COALESCE(pd.fen, 0) AS paid_by_due
        FROM due_months d
        LEFT JOIN bases b ON b."memberId" = d.id AND b."effectiveFrom" <= d.month AND (b.until IS NULL OR d.month < b.until)
        -- a member's reductions do not overlap: at most one covers a month
        LEFT JOIN "DuesReduction" r ON r."memberId" = d.id AND r."fromMonth" <= d.month AND d.month <= r."toMonth"
        LEFT JOIN paid pd ON pd.id = d.id AND pd.month = d.month
    )
    SELECT path,
           count(*) FILTER (WHERE standard IS DISTINCT FROM 0)::int AS chargeable,
           count(*) FILTER (WHERE standard IS DISTINCT FROM 0
                              AND CASE WHEN standard IS NULL THEN paid_by_due > 0 ELSE paid_by_due >= standard END)::int AS "onTime"
      FROM stated
     GROUP BY path`);
  return rows.map((r) => ({ path: r.path, chargeable: Number(r.chargeable), onTime: Number(r.onTime) }));
}
