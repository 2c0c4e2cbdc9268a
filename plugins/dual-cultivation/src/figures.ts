import { InputError, loadOrganization, modelRef, organizationIdsUnder, resolveUnder, type Builder } from '@dangjian/core';
import type { Organization, PrismaClient } from '@dangjian/db';
import { yearBounds, yearProblem } from './pairing-rules.ts';
import { isoDate, utcToday } from './personal-data-rules.ts';
import type { Deps } from './deps.ts';

/** One organization's figures (org null: the total of all asked). */
export interface FigureRow {
  org: string | null;
  talents: number;
  developed: number;
  households: number;
  closed: number;
  jobs: number;
  pairingIncome: string;
  memberIncome: string;
  trainings: number;
  projects: number;
}

interface Figures extends FigureRow {
  organization: Organization | null;
}

/**
 * Every yearly figure of a subtree per organization, plus the subtree's total, in one SQL statement:
 * each source is grouped by organization with a grand-total grouping set (so distinct counts stay
 * distinct across organizations), and the sources are summed side by side.
 *
 * - talents: distinct talents that reached any stage of the path in the year, at the organization
 *   following them then;
 * - developed: talents who became PROBATIONARY members in the year;
 * - households: distinct households in a pairing that was open at some time in the year;
 * - closed, jobs, pairingIncome: pairings closed in the year, the jobs and income change they state;
 * - memberIncome, trainings, projects: members' growth records dated in the year.
 */
const FIGURES_SQL = `
  WITH stage AS (
    SELECT "organizationId" AS org, count(DISTINCT "talentId")::int AS talents,
           count(*) FILTER (WHERE stage = 'PROBATIONARY')::int AS developed
      FROM "TalentStageRecord"
     WHERE "organizationId" = ANY($1::text[]) AND date >= $2::date AND date < $3::date
     GROUP BY GROUPING SETS (("organizationId"), ())
  ), helped AS (
    SELECT "organizationId" AS org, count(DISTINCT "householdId")::int AS households
      FROM "HelpPairing"
     WHERE "organizationId" = ANY($1::text[]) AND "householdId" IS NOT NULL
       AND "startedAt" < $3::date AND ("closedAt" IS NULL OR "closedAt" >= $2::date)
     GROUP BY GROUPING SETS (("organizationId"), ())
  ), closed AS (
    SELECT "organizationId" AS org, count(*)::int AS closed, coalesce(sum("jobsCreated"), 0)::int AS jobs,
           coalesce(sum("incomeChange"), 0) AS income
      FROM "HelpPairing"
     WHERE "organizationId" = ANY($1::text[]) AND status = 'CLOSED' AND "closedAt" >= $2::date AND "closedAt" < $3::date
     GROUP BY GROUPING SETS (("organizationId"), ())
  ), growth AS (
    SELECT "organizationId" AS org, coalesce(sum(amount) FILTER (WHERE kind = 'INCOME'), 0) AS income,
           count(*) FILTER (WHERE kind = 'TRAINING')::int AS trainings, count(*) FILTER (WHERE kind = 'PROJECT')::int AS projects
      FROM "MemberGrowthRecord"
     WHERE "organizationId" = ANY($1::text[]) AND date >= $2::date AND date < $3::date
     GROUP BY GROUPING SETS (("organizationId"), ())
  ), every AS (
    SELECT org, talents, developed, 0 AS households, 0 AS closed, 0 AS jobs, 0::numeric AS pairing_income, 0::numeric AS member_income, 0 AS trainings, 0 AS projects FROM stage
    UNION ALL SELECT org, 0, 0, households, 0, 0, 0, 0, 0, 0 FROM helped
    UNION ALL SELECT org, 0, 0, 0, closed, jobs, income, 0, 0, 0 FROM closed
    UNION ALL SELECT org, 0, 0, 0, 0, 0, 0, income, trainings, projects FROM growth
  )
  SELECT org, sum(talents)::int AS talents, sum(developed)::int AS developed, sum(households)::int AS households,
         sum(closed)::int AS closed, sum(jobs)::int AS jobs,
         to_char(sum(pairing_income), 'FM9999999999990.00') AS "pairingIncome",
         to_char(sum(member_income), 'FM9999999999990.00') AS "memberIncome",
         sum(trainings)::int AS trainings, sum(projects)::int AS projects
    FROM every
   GROUP BY org`;

/**
 * The figures of many organizations over [start, end) (end exclusive), each attributed to its own records,
 * plus the total (org null): one statement. The yearly report and the plugin's indicators read it.
 */
export function figureRows(db: PrismaClient, ids: readonly string[], start: Date, end: Date): Promise<FigureRow[]> {
  return db.$queryRawUnsafe<FigureRow[]>(FIGURES_SQL, [...ids], isoDate(start), isoDate(end));
}

/** `dualCultivationFigures`: the yearly figures of a subtree per organization (for the yearly scorecard). */
export function registerFigures(builder: Builder, _deps: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');

  const FiguresRef = builder.objectRef<Figures>('DualCultivationFigures').implement({
    description: '双培双带年度数据 — one year’s dual-cultivation figures of an organization (or of a whole subtree)',
    fields: (t) => ({
      organization: t.field({
        type: OrganizationRef,
        nullable: true,
        description: '党组织 — the organization the figures are attributed to; null on the subtree total',
        resolve: (f) => f.organization,
      }),
      talentsCultivated: t.int({
        description: '培养致富能人 — distinct talents who reached a stage of the path in the year',
        resolve: (f) => f.talents,
      }),
      membersDeveloped: t.int({
        description: '发展党员 — talents who became probationary members in the year',
        resolve: (f) => f.developed,
      }),
      householdsHelped: t.int({
        description: '帮扶困难户 — distinct households in a pairing open at some time in the year',
        resolve: (f) => f.households,
      }),
      pairingsClosed: t.int({ description: '结对完成 — pairings closed in the year', resolve: (f) => f.closed }),
      jobsCreated: t.int({ description: '带动就业 — jobs created by the pairings closed in the year', resolve: (f) => f.jobs }),
      pairingIncomeRaised: t.field({
        type: 'Decimal',
        description: '结对增收 — yuan: sum of the income changes stated by pairings closed in the year',
        resolve: (f) => f.pairingIncome,
      }),
      memberIncomeRaised: t.field({
        type: 'Decimal',
        description: '党员增收 — yuan: sum of members’ INCOME growth records dated in the year',
        resolve: (f) => f.memberIncome,
      }),
      trainings: t.int({ description: '技能培训 — members’ TRAINING records in the year', resolve: (f) => f.trainings }),
      projects: t.int({ description: '创业项目 — members’ PROJECT records in the year', resolve: (f) => f.projects }),
    }),
  });

  const ReportRef = builder.objectRef<{ year: number; total: Figures; byOrganization: Figures[] }>('DualCultivationYearReport').implement({
    description: '双培双带年度报表 — a year’s figures of a subtree: the total and each organization with any figure',
    fields: (t) => ({
      year: t.int({ description: '年度 — the calendar year', resolve: (r) => r.year }),
      total: t.field({
        type: FiguresRef,
        description: '合计 — the whole subtree (distinct talents and households counted once)',
        resolve: (r) => r.total,
      }),
      byOrganization: t.field({
        type: [FiguresRef],
        description: '分组织 — each organization of the subtree with at least one figure, in tree order',
        resolve: (r) => r.byOrganization,
      }),
    }),
  });

  builder.queryField('dualCultivationFigures', (t) =>
    t.field({
      type: ReportRef,
      description:
        '双培双带年度数据 — talents cultivated, members developed from talents, households helped and income raised in a calendar year, per organization of a subtree',
      authScopes: { authenticated: true },
      args: {
        year: t.arg.int({ required: true, description: '年度 — a calendar year up to the current one' }),
        under: t.arg.id({ required: false, description: '党组织 — this organization and everything below it (default: your own)' }),
      },
      resolve: async (_root, args, ctx) => {
        const problem = yearProblem(args.year, utcToday());
        if (problem) throw new InputError('year', problem);
        const ids = await organizationIdsUnder(ctx, await resolveUnder(ctx, args.under));
        const { start, end } = yearBounds(args.year);
        const rows = await figureRows(ctx.db, ids, start, end);
        const totalRow = rows.find((r) => r.org === null);
        const empty: FigureRow = {
          org: null,
          talents: 0,
          developed: 0,
          households: 0,
          closed: 0,
          jobs: 0,
          pairingIncome: '0.00',
          memberIncome: '0.00',
          trainings: 0,
          projects: 0,
        };
        const perOrg = await Promise.all(
          rows.filter((r) => r.org !== null).map(async (r) => ({ ...r, organization: await loadOrganization(ctx, r.org!) })),
        );
        const byOrganization = perOrg
          .filter((f) => f.organization !== null)
          .sort((a, b) => a.organization!.path.localeCompare(b.organization!.path));
        return { year: args.year, total: { ...(totalRow ?? empty), organization: null }, byOrganization };
      },
    }),
  );
}
