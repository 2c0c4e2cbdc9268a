// 党费按时足额缴纳 (packages/core/src/assessment/indicators/dues.ts, dues-on-time-sql.ts): the share of
// chargeable member-months of the year, due by today, paid in full by their due day, over the branch's
// subtree.
import type { PeerIndicator } from './input.ts';

const pct2 = (part: number, whole: number) => (whole === 0 ? null : Math.round((part * 10_000) / whole) / 100);

/**
 * Member-months of the year due by today (the department's due day, else the month's end), chargeable when
 * the standard (base by category and bracket, lowered by a reduction) is not 0, on time when paid in full by
 * the due day; counted by the member's organization in SQL, summed up to each branch here.
 */
const SQL = `
  WITH mm AS (
    SELECT m.id, o.path, g.month::date AS month,
           (g.month + make_interval(days => LEAST(COALESCE(s."dueDay", 31), extract(day FROM g.month + interval '1 month - 1 day')::int) - 1))::date AS due
      FROM "Member" m
      JOIN "Organization" o ON o.id = m."organizationId"
      LEFT JOIN "DuesSetting" s ON s."organizationId" = split_part(o.path, '/', 2)
      CROSS JOIN LATERAL generate_series(GREATEST($2::date, date_trunc('month', m."joinedAt")::date)::timestamp,
                                         date_trunc('month', $3::date), interval '1 month') g(month)
     WHERE o.path LIKE $1 || '%'),
  due AS (SELECT * FROM mm WHERE month < date_trunc('month', $4::date) OR $4::date > due),
  base AS (
    SELECT b."memberId", b."effectiveFrom", lead(b."effectiveFrom") OVER (PARTITION BY b."memberId" ORDER BY b."effectiveFrom") AS next,
           CASE b.category::text
             WHEN 'FARMER' THEN COALESCE(b."fixedFen", 20)
             WHEN 'RETIRED' THEN (2 * COALESCE(b."baseFen", 0)::bigint * (CASE WHEN COALESCE(b."baseFen", 0) <= 500000 THEN 50 ELSE 100 END) + 10000) / 20000
             WHEN 'STUDENT' THEN 20 WHEN 'UNEMPLOYED' THEN 20 WHEN 'SUBSISTENCE' THEN 20
             ELSE (2 * COALESCE(b."baseFen", 0)::bigint * (CASE WHEN COALESCE(b."baseFen", 0) <= 300000 THEN 50 WHEN COALESCE(b."baseFen", 0) <= 500000 THEN 100 WHEN COALESCE(b."baseFen", 0) <= 1000000 THEN 150 ELSE 200 END) + 10000) / 20000
           END AS std
      FROM "DuesBase" b JOIN "Member" m ON m.id = b."memberId" JOIN "Organization" o ON o.id = m."organizationId"
     WHERE o.path LIKE $1 || '%'),
  paid AS (
    SELECT d.id, d.month, sum(round(p.amount * 100)) AS fen
      FROM due d JOIN "DuesPayment" p ON p."memberId" = d.id AND p.month = d.month AND p."paidAt" < (d.due + 1)::timestamp
     GROUP BY d.id, d.month),
  st AS (
    SELECT d.path, COALESCE(pd.fen, 0) AS paid,
           CASE WHEN r."amountFen" IS NULL THEN b.std WHEN b.std IS NULL THEN r."amountFen" ELSE LEAST(b.std, r."amountFen") END AS standard
      FROM due d
      LEFT JOIN base b ON b."memberId" = d.id AND b."effectiveFrom" <= d.month AND (b.next IS NULL OR d.month < b.next)
      LEFT JOIN "DuesReduction" r ON r."memberId" = d.id AND d.month BETWEEN r."fromMonth" AND r."toMonth"
      LEFT JOIN paid pd ON pd.id = d.id AND pd.month = d.month)
  SELECT path, count(*) FILTER (WHERE standard IS DISTINCT FROM 0)::int AS chargeable,
         count(*) FILTER (WHERE standard IS DISTINCT FROM 0 AND (CASE WHEN standard IS NULL THEN paid > 0 ELSE paid >= standard END))::int AS on_time
    FROM st GROUP BY path`;

export const DUES_INDICATORS: Record<string, PeerIndicator> = {
  'core.dues.onTime': async ({ pool, branches, from, to, today }) => {
    const department = `/${branches[0]!.path.split('/')[1]}/`;
    const { rows } = await pool.query<{ path: string; chargeable: number; on_time: number }>(SQL, [department, from, to, today]);
    const tally = new Map(branches.map((b) => [b.path, { chargeable: 0, onTime: 0 }]));
    for (const row of rows) {
      // Each organization's counts go to every covered ancestor (a branch's subtree includes its groups).
      for (let end = row.path.indexOf('/', 1); end > 0; end = row.path.indexOf('/', end + 1)) {
        const t = tally.get(row.path.slice(0, end + 1));
        if (t) {
          t.chargeable += Number(row.chargeable);
          t.onTime += Number(row.on_time);
        }
      }
    }
    return new Map(branches.map((b) => [b.id, pct2(tally.get(b.path)!.onTime, tally.get(b.path)!.chargeable)]));
  },
};
