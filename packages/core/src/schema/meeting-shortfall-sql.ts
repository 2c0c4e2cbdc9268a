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

/** The cadence table as SQL `VALUES`, built once from CADENCE so the two cannot disagree. */
const KINDS_SQL = CADENCE.map(([kind, cadence], i) => `('${kind}'::"MeetingKind", ${i + 1}, ${cadence === 'MONTHLY' ? 1 : 3})`).join(', ');

// $1 path prefix pattern, $2 from, $3 to (dates), $4 after code (or null), $5 after kind position, $6 limit (or null).
// branch: each branch's [s, e] (the period, or a 临时党支部's part of it), committee and number of groups;
// win: the whole months or quarters inside each distinct [s, e] as the date range [first, last) and their
//   number — computed per distinct range (a handful), not per branch;
// due: (branch, kind) pairs owed something; holder: who holds each (the branch, or for 党小组会 each group);
// met: months/quarters held and meetings per (branch, kind); short: the pairs held in fewer than required.
// The last SELECT gives the page (keyset after ($4, $5), row numbers for its order) and the counts per kind.
export const SHORTFALLS_SQL = `
WITH kinds(kind, ord, span) AS (VALUES ${KINDS_SQL}),
grp AS (
  SELECT g.id, g."parentId" FROM "Organization" g WHERE g.path LIKE $1 AND g.kind = 'GROUP'
),
branch AS (
  SELECT o.id, o.code,
         GREATEST($2::date, CASE WHEN o.kind = 'TEMPORARY_BRANCH' THEN o."termStart" END) AS s,
         LEAST($3::date, CASE WHEN o.kind = 'TEMPORARY_BRANCH' THEN o."termEnd" END) AS e,
         EXISTS (SELECT 1 FROM "Cadre" c
                  WHERE c."organizationId" = o.id AND c."endDate" IS NULL AND c.post <> 'SECRETARY') AS committee,
         coalesce(n.groups, 0) AS groups
    FROM "Organization" o
    LEFT JOIN (SELECT "parentId", count(*)::int AS groups FROM grp GROUP BY "parentId") n ON n."parentId" = o.id
   WHERE o.path LIKE $1 AND o.kind IN ('BRANCH', 'TEMPORARY_BRANCH')
),
win AS (
  SELECT w.s, w.e, k.kind, k.ord, k.span, u.first, u.last,
         ((extract(year FROM u.last) - extract(year FROM u.first)) * 12
           + extract(month FROM u.last) - extract(month FROM u.first))::int / k.span AS units
    FROM (SELECT DISTINCT s, e FROM branch WHERE s <= e) w
   CROSS JOIN kinds k
   CROSS JOIN LATERAL (SELECT CASE k.span WHEN 1 THEN 'month' ELSE 'quarter' END AS unit) x
   CROSS JOIN LATERAL (
     SELECT CASE WHEN date_trunc(x.unit, w.s::timestamp) = w.s::timestamp THEN w.s
                 ELSE (date_trunc(x.unit, w.s::timestamp) + make_interval(months => k.span))::date END AS first,
            date_trunc(x.unit, (w.e + 1)::timestamp)::date AS last
   ) u
),
due AS (
  SELECT b.id, b.code, w.kind, w.ord, w.span, w.first, w.last,
         w.units * CASE WHEN w.kind = 'GROUP_MEETING' THEN b.groups ELSE 1 END AS required
    FROM branch b
    JOIN win w ON w.s = b.s AND w.e = b.e
   WHERE w.units > 0 AND (w.kind <> 'COMMITTEE_MEETING' OR b.committee)
     AND (w.kind <> 'GROUP_MEETING' OR b.groups > 0)
),
holder AS (
  SELECT d.id, d.kind, d.span, d.first, d.last, d.id AS holder FROM due d WHERE d.kind <> 'GROUP_MEETING'
  UNION ALL
  SELECT d.id, d.kind, d.span, d.first, d.last, g.id FROM due d JOIN grp g ON g."parentId" = d.id WHERE d.kind = 'GROUP_MEETING'
),
met AS (
  SELECT h.id, h.kind,
         count(DISTINCT (m."organizationId", date_trunc(CASE h.span WHEN 1 THEN 'month' ELSE 'quarter' END, m.date::timestamp)))::int AS held,
         count(*)::int AS meetings
    FROM holder h
    JOIN "Meeting" m ON m."organizationId" = h.holder AND m.kind = h.kind AND m.date >= h.first AND m.date < h.last
   GROUP BY h.id, h.kind
),
short AS (
  SELECT d.id, d.code, d.kind, d.ord, d.span, d.required, coalesce(met.held, 0) AS held, coalesce(met.meetings, 0) AS meetings
    FROM due d
    LEFT JOIN met ON met.id = d.id AND met.kind = d.kind
   WHERE coalesce(met.held, 0) < d.required
)
SELECT p.id AS "organizationId", p.code, p.kind::text AS kind, p.ord, p.required, p.held, p.meetings,
       row_number() OVER (ORDER BY p.code, p.ord)::int AS pos, NULL::int AS n
  FROM (SELECT * FROM short
         WHERE $4::text IS NULL OR (code, ord) > ($4::text, $5::int)
         ORDER BY code, ord
         LIMIT $6::int) p
UNION ALL
SELECT NULL, NULL, kind::text, NULL, NULL, NULL, NULL, NULL, count(*)::int FROM short GROUP BY kind`;

interface RawRow {
  organizationId: string | null;
  code: string | null;
  kind: string;
  ord: number | null;
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
    if (r.organizationId === null) counts.set(r.kind as MeetingKind, r.n ?? 0);
    else page.push(r);
  }
  // UNION ALL keeps no order: the page is put back in the order the database sorted it (code, then kind),
  // by its row number rather than by a JavaScript string comparison, which might collate differently.
  page.sort((a, b) => a.pos! - b.pos!);
  const rows = page.map((r): ShortfallRow => {
    const [kind, cadence] = CADENCE[r.ord! - 1]!;
    return {
      organizationId: r.organizationId!,
      kind,
      cadence,
      required: r.required!,
      held: r.held!,
      meetingCount: r.meetings!,
      key: { code: r.code!, ord: r.ord! },
    };
  });
  return { rows, counts };
}
