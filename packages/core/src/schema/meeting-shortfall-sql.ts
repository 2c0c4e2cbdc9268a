// The 三会一课 shortfalls of a subtree, computed in the database: one statement gives a page of
// shortfalls (keyset on branch code and kind) and the number of shortfalls of each kind, whatever the
// number of branches. The rules are those of meeting-cadence.ts (whose `computeShortfalls` states them
// in TypeScript and is the reference the tests compare this statement against):
// - required: the calendar months (monthly kinds) or quarters (quarterly kinds) lying wholly inside the
//   period — for a 临时党支部 the period cut to its term — times the holders (党小组会: the branch's groups);
// - held: of those months or quarters, the (holder, month/quarter) pairs with at least one such meeting;
// - 支部委员会 only where the branch holds a current post besides the secretary.

import type { MeetingKind } from '@dangjian/db';
import type { Context } from '../context.ts';
import { isoDate } from '../kit/dates.ts';
import { CADENCE, type Shortfall } from './meeting-cadence.ts';

/** Where a page starts: after this branch code and kind (its position in CADENCE). */
export interface ShortfallKey {
  code: string;
  ord: number;
}

export interface ShortfallQuery {
  /** The subtree's path (`/…/id/`). */
  path: string;
  from: Date;
  to: Date;
  after: ShortfallKey | null;
  /** Rows to return; null for all. */
  limit: number | null;
}

/** A shortfall of the page with its keyset position. */
export type ShortfallRow = Shortfall & { key: ShortfallKey };

export interface ShortfallResult {
  rows: ShortfallRow[];
  /** Shortfalls of each cadence kind in the whole subtree and period (zero for a kind with none). */
  counts: Map<MeetingKind, number>;
}

// The statement names the five kinds by their position in CADENCE (1 支部党员大会 … 5 主题党日): the
// committee and group conditions are theirs. A change of CADENCE must change the statement too.
const ORDER = ['GENERAL_MEETING', 'COMMITTEE_MEETING', 'GROUP_MEETING', 'PARTY_LECTURE', 'THEME_DAY'];
if (CADENCE.map(([kind]) => kind).join() !== ORDER.join()) throw new Error('meeting-shortfall-sql.ts: CADENCE changed');

// $1 path prefix pattern, $2 from, $3 to (dates), $4 after code (or null), $5 after kind position, $6 limit (or null).
/** The whole months [mfirst, mlast) and quarters [qfirst, qlast) inside [s, e] (SQL dates), and how many. */
function windowsOf(s: string, e: string): string {
  const first = (unit: string, span: string) =>
    `CASE WHEN date_trunc('${unit}', ${s}::timestamp) = ${s}::timestamp THEN ${s} ELSE (date_trunc('${unit}', ${s}::timestamp) + interval '${span}')::date END`;
  const last = (unit: string) => `date_trunc('${unit}', (${e} + 1)::timestamp)::date`;
  const months = (a: string, b: string) =>
    `GREATEST(0, (extract(year FROM ${b}) * 12 + extract(month FROM ${b})) - (extract(year FROM ${a}) * 12 + extract(month FROM ${a})))::int`;
  return `SELECT f.mfirst, f.mlast, f.qfirst, f.qlast, ${months('f.mfirst', 'f.mlast')} AS months, ${months('f.qfirst', 'f.qlast')} / 3 AS quarters
    FROM (SELECT ${first('month', '1 month')} AS mfirst, ${last('month')} AS mlast,
                 ${first('quarter', '3 months')} AS qfirst, ${last('quarter')} AS qlast) f`;
}

// One row per branch carries all five kinds (r = required, h = held, n = meetings; 1–5 by CADENCE order):
// - branch: each branch's [s, e] (the period, or a 临时党支部's part of it), committee, number of groups;
// - bw: each branch with the whole months and quarters of its [s, e] (windowsOf), computed once for the
//   period and only for the 临时党支部 whose term cuts it;
// - held: per branch, the months/quarters with a meeting of each kind (党小组会: per group) and the meetings,
//   from the meetings of the branch and its groups inside those ranges;
// - res: required and held per kind; a kind is short where held < required.
// The last SELECT gives the page — the first branches short of something after the cursor, unpivoted into
// (branch, kind) rows, row numbers for their order — and the number of shortfalls of each kind.
export const SHORTFALLS_SQL = `
WITH grp AS (
  SELECT g.id, g."parentId" FROM "Organization" g WHERE g.path LIKE $1 AND g.kind = 'GROUP'
),
branch AS (
  SELECT o.id, o.code,
         GREATEST($2::date, CASE WHEN o.kind = 'TEMPORARY_BRANCH' THEN o."termStart" END) AS s,
         LEAST($3::date, CASE WHEN o.kind = 'TEMPORARY_BRANCH' THEN o."termEnd" END) AS e,
         EXISTS (SELECT 1 FROM "Cadre" c
                  WHERE c."organizationId" = o.id AND c."endDate" IS NULL AND c.post <> 'SECRETARY') AS committee,
         coalesce(n.groups, 0) AS groups,
         coalesce(o.kind = 'TEMPORARY_BRANCH' AND (o."termStart" > $2::date OR o."termEnd" < $3::date), false) AS cut
    FROM "Organization" o
    LEFT JOIN (SELECT "parentId", count(*)::int AS groups FROM grp GROUP BY "parentId") n ON n."parentId" = o.id
   WHERE o.path LIKE $1 AND o.kind IN ('BRANCH', 'TEMPORARY_BRANCH')
),
bw AS (
  SELECT b.id, b.code, b.committee, b.groups, w.* FROM branch b CROSS JOIN (${windowsOf('$2::date', '$3::date')}) w WHERE NOT b.cut
  UNION ALL
  SELECT b.id, b.code, b.committee, b.groups, w.* FROM branch b CROSS JOIN LATERAL (${windowsOf('b.s', 'b.e')}) w WHERE b.cut AND b.s <= b.e
),
held AS (
  SELECT h.branch,
         count(DISTINCT date_trunc('quarter', m.date::timestamp)) FILTER (WHERE m.kind = 'GENERAL_MEETING')::int AS h1,
         count(*) FILTER (WHERE m.kind = 'GENERAL_MEETING')::int AS n1,
         count(DISTINCT date_trunc('month', m.date::timestamp)) FILTER (WHERE m.kind = 'COMMITTEE_MEETING')::int AS h2,
         count(*) FILTER (WHERE m.kind = 'COMMITTEE_MEETING')::int AS n2,
         count(DISTINCT (m."organizationId", date_trunc('month', m.date::timestamp))) FILTER (WHERE m.kind = 'GROUP_MEETING')::int AS h3,
         count(*) FILTER (WHERE m.kind = 'GROUP_MEETING')::int AS n3,
         count(DISTINCT date_trunc('quarter', m.date::timestamp)) FILTER (WHERE m.kind = 'PARTY_LECTURE')::int AS h4,
         count(*) FILTER (WHERE m.kind = 'PARTY_LECTURE')::int AS n4,
         count(DISTINCT date_trunc('month', m.date::timestamp)) FILTER (WHERE m.kind = 'THEME_DAY')::int AS h5,
         count(*) FILTER (WHERE m.kind = 'THEME_DAY')::int AS n5
    FROM (SELECT bw.id AS branch, bw.id AS holder, false AS is_group, bw.mfirst, bw.mlast, bw.qfirst, bw.qlast FROM bw
          UNION ALL
          SELECT bw.id, g.id, true, bw.mfirst, bw.mlast, bw.qfirst, bw.qlast FROM bw JOIN grp g ON g."parentId" = bw.id) h
    JOIN "Meeting" m ON m."organizationId" = h.holder
     AND m.date >= LEAST(h.mfirst, h.qfirst) AND m.date < GREATEST(h.mlast, h.qlast)
   WHERE CASE WHEN h.is_group THEN m.kind = 'GROUP_MEETING'
              ELSE m.kind IN ('GENERAL_MEETING', 'COMMITTEE_MEETING', 'PARTY_LECTURE', 'THEME_DAY') END
     AND CASE WHEN m.kind IN ('GENERAL_MEETING', 'PARTY_LECTURE') THEN m.date >= h.qfirst AND m.date < h.qlast
              ELSE m.date >= h.mfirst AND m.date < h.mlast END
   GROUP BY h.branch
),
res AS (
  SELECT bw.id, bw.code,
         bw.quarters AS r1, coalesce(h.h1, 0) AS h1, coalesce(h.n1, 0) AS n1,
         CASE WHEN bw.committee THEN bw.months ELSE 0 END AS r2, coalesce(h.h2, 0) AS h2, coalesce(h.n2, 0) AS n2,
         bw.months * bw.groups AS r3, coalesce(h.h3, 0) AS h3, coalesce(h.n3, 0) AS n3,
         bw.quarters AS r4, coalesce(h.h4, 0) AS h4, coalesce(h.n4, 0) AS n4,
         bw.months AS r5, coalesce(h.h5, 0) AS h5, coalesce(h.n5, 0) AS n5
    FROM bw LEFT JOIN held h ON h.branch = bw.id
)
SELECT p.id AS "organizationId", p.code, k.ord, k.required, k.held, k.meetings,
       row_number() OVER (ORDER BY p.code, k.ord)::int AS pos, NULL::int AS n
  FROM (SELECT * FROM res
         WHERE (h1 < r1 OR h2 < r2 OR h3 < r3 OR h4 < r4 OR h5 < r5) AND ($4::text IS NULL OR code >= $4::text)
         ORDER BY code
         LIMIT $6::int + 1) p
 CROSS JOIN LATERAL (VALUES (1, p.r1, p.h1, p.n1), (2, p.r2, p.h2, p.n2), (3, p.r3, p.h3, p.n3),
                            (4, p.r4, p.h4, p.n4), (5, p.r5, p.h5, p.n5)) AS k(ord, required, held, meetings)
 WHERE k.held < k.required AND ($4::text IS NULL OR (p.code, k.ord) > ($4::text, $5::int))
UNION ALL
SELECT NULL, NULL, k.ord, NULL, NULL, NULL, NULL, k.n
  FROM (SELECT count(*) FILTER (WHERE h1 < r1)::int AS c1, count(*) FILTER (WHERE h2 < r2)::int AS c2,
               count(*) FILTER (WHERE h3 < r3)::int AS c3, count(*) FILTER (WHERE h4 < r4)::int AS c4,
               count(*) FILTER (WHERE h5 < r5)::int AS c5
          FROM res) c
 CROSS JOIN LATERAL (VALUES (1, c.c1), (2, c.c2), (3, c.c3), (4, c.c4), (5, c.c5)) AS k(ord, n)`;

interface RawRow {
  organizationId: string | null;
  code: string | null;
  ord: number;
  required: number | null;
  held: number | null;
  meetings: number | null;
  pos: number | null;
  n: number | null;
}

/** A page of shortfalls and the counts per kind, in one statement. */
export async function queryShortfalls(ctx: Context, q: ShortfallQuery): Promise<ShortfallResult> {
  const raw = await ctx.db.$queryRawUnsafe<RawRow[]>(
    SHORTFALLS_SQL,
    `${q.path}%`,
    isoDate(q.from),
    isoDate(q.to),
    q.after?.code ?? null,
    q.after?.ord ?? 0,
    q.limit,
  );
  const counts = new Map<MeetingKind, number>(CADENCE.map(([kind]) => [kind, 0]));
  const page: RawRow[] = [];
  for (const r of raw) {
    if (r.organizationId === null) counts.set(CADENCE[r.ord - 1]![0], r.n ?? 0);
    else page.push(r);
  }
  // UNION ALL keeps no order: the page is put back in the order the database sorted it (code, then kind),
  // by its row number rather than by a JavaScript string comparison, which might collate differently.
  // The statement reads a branch more than the page needs (so that a branch the cursor left half read
  // cannot shorten the page): the limit is applied here.
  page.sort((a, b) => a.pos! - b.pos!);
  const rows = page.slice(0, q.limit ?? page.length).map((r): ShortfallRow => {
    const [kind, cadence] = CADENCE[r.ord - 1]!;
    return {
      organizationId: r.organizationId!,
      kind,
      cadence,
      required: r.required!,
      held: r.held!,
      meetingCount: r.meetings!,
      key: { code: r.code!, ord: r.ord },
    };
  });
  return { rows, counts };
}
