// 三会一课 and 主题党日 against their cadence, and 组织生活会 held (packages/core/src/assessment/indicators/
// meetings.ts, schema/meeting-cadence.ts): only whole calendar months/quarters inside [1 January, until]
// are owed, clipped to a 临时党支部's term; a unit counts as held when a meeting of the kind fell in it;
// 党小组会 is owed by each 党小组 (child of kind GROUP), 支委会 only where the branch has a current post
// besides the secretary; a branch owing nothing is not applicable.
import { byBranch, ids, pct1, type PeerIndicator } from './input.ts';

type Unit = 'month' | 'quarter';

/** Who holds the meetings a branch owes: the branch itself, only a branch with a committee, or its groups. */
const HOLDERS = {
  branch: `SELECT id AS branch, id AS holder FROM branch`,
  committee: `SELECT b.id AS branch, b.id AS holder FROM branch b
               WHERE EXISTS (SELECT 1 FROM "Cadre" c WHERE c."organizationId" = b.id AND c."endDate" IS NULL AND c.post <> 'SECRETARY')`,
  groups: `SELECT b.id AS branch, g.id AS holder FROM branch b JOIN "Organization" g ON g."parentId" = b.id AND g.kind = 'GROUP'`,
};

function cadence(kind: string, unit: Unit, holders: keyof typeof HOLDERS): PeerIndicator {
  const step = unit === 'month' ? `interval '1 month'` : `interval '3 months'`;
  // One statement: the units each branch owes (generate_series over its measured span), its holders, and
  // the (holder, unit) pairs with a meeting of the kind.
  const sql = `
    WITH branch AS (
      SELECT o.id,
             GREATEST($2::date, CASE WHEN o.kind = 'TEMPORARY_BRANCH' THEN o."termStart" END) AS s,
             LEAST($3::date, CASE WHEN o.kind = 'TEMPORARY_BRANCH' THEN o."termEnd" END) AS e
        FROM "Organization" o WHERE o.id = ANY($1::text[])),
    unit AS (
      SELECT b.id, u::date AS unit
        FROM branch b CROSS JOIN LATERAL generate_series(date_trunc('${unit}', b.s::timestamp), b.e::timestamp, ${step}) u
       WHERE u >= b.s AND (u + ${step} - interval '1 day')::date <= b.e),
    holder AS (${HOLDERS[holders]}),
    held AS (
      SELECT DISTINCT m."organizationId" AS holder, date_trunc('${unit}', m.date::timestamp)::date AS unit
        FROM "Meeting" m
       WHERE m."organizationId" IN (SELECT holder FROM holder) AND m.kind = '${kind}' AND m.date BETWEEN $2::date AND $3::date)
    SELECT u.id, count(*)::int AS required, count(held.holder)::int AS held
      FROM unit u JOIN holder h ON h.branch = u.id LEFT JOIN held ON held.holder = h.holder AND held.unit = u.unit
     GROUP BY u.id`;
  return async ({ pool, branches, from, until }) => {
    const { rows } = await pool.query<{ id: string; required: number; held: number }>(sql, [ids(branches), from, until]);
    return byBranch(branches, rows, (r) => pct1(r.held, r.required));
  };
}

export const MEETING_INDICATORS: Record<string, PeerIndicator> = {
  'core.meetings.generalMeeting': cadence('GENERAL_MEETING', 'quarter', 'branch'),
  'core.meetings.committeeMeeting': cadence('COMMITTEE_MEETING', 'month', 'committee'),
  'core.meetings.groupMeeting': cadence('GROUP_MEETING', 'month', 'groups'),
  'core.meetings.partyLecture': cadence('PARTY_LECTURE', 'quarter', 'branch'),
  'core.meetings.themeDay': cadence('THEME_DAY', 'month', 'branch'),
  /** 1 when the branch held an 组织生活会 in the year, else 0. */
  'core.meetings.organizationalLife': async ({ pool, branches, from, to }) => {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT DISTINCT "organizationId" AS id FROM "Meeting"
        WHERE "organizationId" = ANY($1::text[]) AND kind = 'ORGANIZATIONAL_LIFE_MEETING' AND date BETWEEN $2::date AND $3::date`,
      [ids(branches), from, to],
    );
    return byBranch(branches, rows, () => 1, 0);
  },
};
