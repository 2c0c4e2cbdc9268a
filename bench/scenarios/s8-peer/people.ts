// Terms and cadres (packages/core/src/assessment/indicators/terms.ts, cadres.ts, training.ts,
// assessments.ts). A cadre is a member holding one of the organization's posts on some day of
// [1 January, until], each person counted once; the secretary is the one in post on `until`.
import { byBranch, ids, oneDecimal, pct1, type PeerIndicator } from './input.ts';

/** The organization's cadres of the period, each member once: the CTE the cadre indicators start from. */
const CADRES = `cadre AS (
  SELECT DISTINCT "organizationId" AS id, "memberId" FROM "Cadre"
   WHERE "organizationId" = ANY($1::text[]) AND "startDate" <= $3::date AND ("endDate" IS NULL OR "endDate" >= $2::date))`;

/** Posts of secretary held on `until` ($2). */
const SECRETARIES = `"Cadre" c WHERE c."organizationId" = ANY($1::text[]) AND c.post = 'SECRETARY'
  AND c."startDate" <= $2::date AND (c."endDate" IS NULL OR c."endDate" >= $2::date)`;

export const PEOPLE_INDICATORS: Record<string, PeerIndicator> = {
  /**
   * 按期换届, elected kinds only (a 临时党支部 is not applicable): 0 when the current term ended before `until`
   * or a past term ending before `until` was renewed late with its renewal day in the period; null when
   * no term is recorded (no current end, no past term ending before `until`).
   */
  'core.terms.onTime': async ({ pool, branches, from, until }) => {
    const elected = branches.filter((b) => b.kind === 'BRANCH');
    const { rows } = await pool.query<{ id: string; value: number | null }>(
      `SELECT o.id,
              CASE WHEN o."termEnd" < $3::date
                     OR EXISTS (SELECT 1 FROM "OrganizationTerm" t WHERE t."organizationId" = o.id AND t."termEnd" < $3::date
                                   AND t."renewedAt"::date > t."termEnd" AND t."renewedAt"::date >= $2::date) THEN 0
                   WHEN o."termEnd" IS NOT NULL
                     OR EXISTS (SELECT 1 FROM "OrganizationTerm" t WHERE t."organizationId" = o.id AND t."termEnd" < $3::date) THEN 1
              END AS value
         FROM "Organization" o WHERE o.id = ANY($1::text[])`,
      [ids(elected), from, until],
    );
    return byBranch(branches, rows, (r) => r.value);
  },

  /** 书记在岗: 1 with a secretary in post on `until`, else 0 (the scheme's veto). */
  'core.cadres.secretaryInPost': async ({ pool, branches, until }) => {
    const { rows } = await pool.query<{ id: string }>(`SELECT DISTINCT c."organizationId" AS id FROM ${SECRETARIES}`, [
      ids(branches),
      until,
    ]);
    return byBranch(branches, rows, () => 1, 0);
  },

  /** 书记三年内受训: 1 when a secretary in post on `until` has a training in the three years up to it; null without one. */
  'core.cadres.secretaryTrained': async ({ pool, branches, until }) => {
    const { rows } = await pool.query<{ id: string; trained: boolean }>(
      `SELECT c."organizationId" AS id,
              bool_or(EXISTS (SELECT 1 FROM "Training" t WHERE t."memberId" = c."memberId"
                                AND t.date BETWEEN ($2::date - interval '3 years')::date AND $2::date)) AS trained
         FROM ${SECRETARIES}
        GROUP BY c."organizationId"`,
      [ids(branches), until],
    );
    return byBranch(branches, rows, (r) => (r.trained ? 1 : 0));
  },

  /** 干部人均培训学时: the cadres' training hours in the period ÷ cadres, to one decimal; null without cadres. */
  'core.training.cadreHours': async ({ pool, branches, from, until }) => {
    const { rows } = await pool.query<{ id: string; cadres: number; hours: string }>(
      `WITH ${CADRES},
       hours AS (
         SELECT "memberId", sum(hours) AS hours FROM "Training"
          WHERE "memberId" IN (SELECT "memberId" FROM cadre) AND date BETWEEN $2::date AND $3::date GROUP BY "memberId")
       SELECT c.id, count(*)::int AS cadres, COALESCE(sum(h.hours), 0)::text AS hours
         FROM cadre c LEFT JOIN hours h ON h."memberId" = c."memberId" GROUP BY c.id`,
      [ids(branches), from, until],
    );
    return byBranch(branches, rows, (r) => oneDecimal(Number(r.hours) / r.cadres));
  },

  /** 干部年度考核登记率: cadres with an assessment of the scheme's year ÷ cadres; null without cadres. */
  'core.assessments.recorded': async ({ pool, branches, from, until, year }) => {
    const { rows } = await pool.query<{ id: string; cadres: number; assessed: number }>(
      `WITH ${CADRES}
       SELECT c.id, count(*)::int AS cadres,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "Assessment" a WHERE a."memberId" = c."memberId" AND a.year = $4))::int AS assessed
         FROM cadre c GROUP BY c.id`,
      [ids(branches), from, until, year],
    );
    return byBranch(branches, rows, (r) => pct1(r.assessed, r.cadres));
  },
};
