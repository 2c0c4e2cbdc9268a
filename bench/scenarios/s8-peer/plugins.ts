// The plugins' indicators in the scheme (plugins/*/src/indicators.ts): 党建品牌, 双培双带, 社区报到, 纪检监督.
// Each covers the organization's own records, except community-report's, which cover its subtree.
import { byBranch, ids, oneDecimal, pct1, type PeerIndicator } from './input.ts';

export const PLUGIN_INDICATORS: Record<string, PeerIndicator> = {
  /**
   * 品牌创建进度: the best state of the organization's brands at the end of `until` (each brand's latest
   * transition before the next day), scored DRAFT/RETURNED/REVOKED 0 … MODEL 4; 0 without a brand.
   */
  'party-brand.brands.stateReached': async ({ pool, branches, until }) => {
    const { rows } = await pool.query<{ id: string; score: number }>(
      `SELECT b."organizationId" AS id,
              max(CASE s.to::text WHEN 'SUBMITTED' THEN 1 WHEN 'APPROVED' THEN 2 WHEN 'CULTIVATING' THEN 3 WHEN 'MODEL' THEN 4 ELSE 0 END)::int AS score
         FROM "PartyBrand" b
         CROSS JOIN LATERAL (SELECT t.to FROM "PartyBrandTransition" t
                              WHERE t."brandId" = b.id AND t.at < ($2::date + 1)::timestamp ORDER BY t.at DESC LIMIT 1) s
        WHERE b."organizationId" = ANY($1::text[])
        GROUP BY b."organizationId"`,
      [ids(branches), until],
    );
    return byBranch(branches, rows, (r) => r.score, 0);
  },

  /** 品牌年度测评得分: the latest evaluated year's best overall score (mean of four criteria, two places); null without one. */
  'party-brand.evaluations.latestScore': async ({ pool, branches, year }) => {
    const { rows } = await pool.query<{ id: string; score: string }>(
      `SELECT DISTINCT ON (b."organizationId") b."organizationId" AS id,
              round((e.integration + e.innovation + e.effect + e.publicity) / 4.0, 2)::text AS score
         FROM "PartyBrandEvaluation" e JOIN "PartyBrand" b ON b.id = e."brandId"
        WHERE b."organizationId" = ANY($1::text[]) AND e.year = $2
        ORDER BY b."organizationId", e.year DESC, (e.integration + e.innovation + e.effect + e.publicity) DESC`,
      [ids(branches), year],
    );
    return byBranch(branches, rows, (r) => Number(r.score));
  },

  /** 结对帮带走访: open pairings of the period visited in it ÷ open pairings; null without one. */
  'dual-cultivation.pairings.visited': async ({ pool, branches, from, until }) => {
    const { rows } = await pool.query<{ id: string; open: number; visited: number }>(
      `SELECT p."organizationId" AS id, count(*)::int AS open,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "HelpPairingVisit" v WHERE v."pairingId" = p.id AND v.date BETWEEN $2::date AND $3::date))::int AS visited
         FROM "HelpPairing" p
        WHERE p."organizationId" = ANY($1::text[]) AND p."startedAt" <= $3::date AND (p."closedAt" IS NULL OR p."closedAt" >= $2::date)
        GROUP BY p."organizationId"`,
      [ids(branches), from, until],
    );
    return byBranch(branches, rows, (r) => pct1(r.visited, r.open));
  },

  /** 培养致富能人: distinct talents reaching a stage of the path in the period, at the organization following them; 0 without. */
  'dual-cultivation.talents.advanced': async ({ pool, branches, from, until }) => {
    const { rows } = await pool.query<{ id: string; talents: number }>(
      `SELECT "organizationId" AS id, count(DISTINCT "talentId")::int AS talents FROM "TalentStageRecord"
        WHERE "organizationId" = ANY($1::text[]) AND date BETWEEN $2::date AND $3::date
        GROUP BY "organizationId"`,
      [ids(branches), from, until],
    );
    return byBranch(branches, rows, (r) => r.talents, 0);
  },

  /** 报到党员人均服务时长 over the subtree: verified hours in the period ÷ members registered in it; null without one. */
  'community-report.service.hoursPerMember': async ({ pool, branches, from, until }) => {
    const { rows } = await pool.query<{ id: string; hours: string | null; members: number }>(
      `WITH scope AS (SELECT b.id AS branch, o.id FROM "Organization" b JOIN "Organization" o ON o.path LIKE b.path || '%' WHERE b.id = ANY($1::text[])),
       served AS (
         SELECT scope.branch, sum(s.hours) AS hours FROM scope JOIN "CommunityServiceRecord" s ON s."organizationId" = scope.id
          WHERE s.status = 'VERIFIED' AND s.date BETWEEN $2::date AND $3::date GROUP BY scope.branch),
       registered AS (
         SELECT scope.branch, count(DISTINCT r."memberId")::int AS members FROM scope JOIN "CommunityRegistration" r ON r."organizationId" = scope.id
          WHERE r."memberId" IS NOT NULL AND r.date <= $3::date AND (r."withdrawnOn" IS NULL OR r."withdrawnOn" >= $2::date) GROUP BY scope.branch)
       SELECT registered.branch AS id, served.hours::text AS hours, registered.members
         FROM registered LEFT JOIN served ON served.branch = registered.branch`,
      [ids(branches), from, until],
    );
    return byBranch(branches, rows, (r) => (r.members > 0 ? oneDecimal(oneDecimal(Number(r.hours ?? 0)) / r.members) : null));
  },

  /** 完成社区需求 over the subtree: demand claims completed (or confirmed) in the period; 0 without. */
  'community-report.demands.completed': async ({ pool, branches, from, until }) => {
    const { rows } = await pool.query<{ id: string; completed: number }>(
      `SELECT b.id, count(c.id)::int AS completed
         FROM "Organization" b JOIN "Organization" o ON o.path LIKE b.path || '%'
         JOIN "CommunityDemandClaim" c ON c."organizationId" = o.id
        WHERE b.id = ANY($1::text[]) AND c.status::text IN ('COMPLETED', 'CONFIRMED') AND c."completedAt" >= $2::date AND c."completedAt" < $3::date + 1
        GROUP BY b.id`,
      [ids(branches), from, until],
    );
    return byBranch(branches, rows, (r) => r.completed, 0);
  },

  /**
   * 按期整改率 at the inspected organization: of the items with a deadline in the period that are accepted
   * or overdue (not accepted, deadline before today), those accepted on or before the deadline day; null without one.
   */
  'discipline.rectifications.onTime': async ({ pool, branches, from, until, today }) => {
    const { rows } = await pool.query<{ id: string; due: number; on_time: number }>(
      `SELECT i."inspectedOrganizationId" AS id, count(*)::int AS due,
              count(*) FILTER (WHERE r.status = 'ACCEPTED' AND r."acceptedAt"::date <= r.deadline)::int AS on_time
         FROM "DisciplineRectification" r
         JOIN "DisciplineInspectionProblem" p ON p.id = r."problemId"
         JOIN "DisciplineInspection" i ON i.id = p."inspectionId"
        WHERE i."inspectedOrganizationId" = ANY($1::text[]) AND r.deadline BETWEEN $2::date AND $3::date
          AND (r.status = 'ACCEPTED' OR r.deadline < $4::date)
        GROUP BY i."inspectedOrganizationId"`,
      [ids(branches), from, until, today],
    );
    return byBranch(branches, rows, (r) => pct1(r.on_time, r.due));
  },

  /** 线索处置率 at the receiving organization: clues received in the period disposed of or closed by `until`; null without one. */
  'discipline.clues.disposed': async ({ pool, branches, from, until }) => {
    const { rows } = await pool.query<{ id: string; received: number; disposed: number }>(
      `SELECT "receivingOrganizationId" AS id, count(*)::int AS received,
              count(*) FILTER (WHERE status::text IN ('DISPOSED', 'CLOSED') AND "decidedAt" <= $3::date)::int AS disposed
         FROM "DisciplineClue"
        WHERE "receivingOrganizationId" = ANY($1::text[]) AND "receivedAt" BETWEEN $2::date AND $3::date
        GROUP BY "receivingOrganizationId"`,
      [ids(branches), from, until],
    );
    return byBranch(branches, rows, (r) => pct1(r.disposed, r.received));
  },
};
