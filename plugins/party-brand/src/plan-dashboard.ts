import { type Builder, type Context, organizationIdsUnder, requestLoader, resolveUnder } from '@dangjian/core';
import type { PartyBrandPlanGoal, PartyBrandState } from '@dangjian/db';
import type { Deps } from './deps.ts';
import { rate, stateCounts, yearProgress, type MilestoneCount, type YearProgress } from './plan-rules.ts';

interface PlanFigures {
  states: { state: PartyBrandState; count: number }[];
  milestones: MilestoneCount[];
  goals: PartyBrandPlanGoal[];
}

/** A line of progress: one year, or the whole plan (year null). */
type Progress = Omit<YearProgress, 'year'> & { year: number | null };

interface Dashboard {
  total: number;
  byState: { state: PartyBrandState; count: number }[];
  years: Progress[];
  overall: Progress;
}

const KEY_SEPARATOR = '\u0001';

/**
 * The figures of many plans, each counted over the brands of one subtree, in three statements per
 * subtree (usually one): state counts grouped by plan and state; the first time each brand reached each
 * milestone (申报 SUBMITTED, 认定 APPROVED, 示范 MODEL) grouped by plan, milestone and year — a brand
 * returned and resubmitted counts as applied once, in the year it first applied; and the goals.
 */
async function loadFigures(ctx: Context, keys: readonly string[]): Promise<PlanFigures[]> {
  const byPath = new Map<string, string[]>();
  for (const key of keys) {
    const [planId, path] = key.split(KEY_SEPARATOR) as [string, string];
    byPath.set(path, [...(byPath.get(path) ?? []), planId]);
  }
  const figures = new Map<string, PlanFigures>();
  for (const [path, planIds] of byPath) {
    const orgIds = await organizationIdsUnder(ctx, path);
    const [states, milestones, goals] = await Promise.all([
      ctx.db.partyBrand.groupBy({
        by: ['planId', 'state'],
        where: { planId: { in: planIds }, organizationId: { in: orgIds } },
        _count: { _all: true },
      }),
      ctx.db.$queryRawUnsafe<{ planId: string; state: PartyBrandState; year: number; count: number }[]>(
        `SELECT f."planId", f.state, EXTRACT(YEAR FROM f.first_at)::int AS year, count(*)::int AS count
           FROM (SELECT b."planId", t."to"::text AS state, min(t."at") AS first_at
                   FROM "PartyBrandTransition" t
                   JOIN "PartyBrand" b ON b.id = t."brandId"
                  WHERE b."planId" = ANY($1::text[])
                    AND b."organizationId" = ANY($2::text[])
                    AND t."to"::text IN ('SUBMITTED', 'APPROVED', 'MODEL')
                  GROUP BY b."planId", t."brandId", t."to") f
          GROUP BY f."planId", f.state, year`,
        planIds,
        orgIds,
      ),
      ctx.db.partyBrandPlanGoal.findMany({ where: { planId: { in: planIds } } }),
    ]);
    for (const planId of planIds) {
      figures.set(`${planId}${KEY_SEPARATOR}${path}`, {
        states: states.filter((s) => s.planId === planId).map((s) => ({ state: s.state, count: s._count._all })),
        milestones: milestones.filter((m) => m.planId === planId).map((m) => ({ year: m.year, state: m.state, count: m.count })),
        goals: goals.filter((g) => g.planId === planId),
      });
    }
  }
  return keys.map((key) => figures.get(key)!);
}

/** 规划看板 (BrandPlanDashboard): `BrandPlan.dashboard(under)` — counts by state and progress against yearly goals. */
export function registerPlanDashboard(builder: Builder, { enums }: Deps): void {
  const StateCount = builder.objectRef<{ state: PartyBrandState; count: number }>('BrandStateCount').implement({
    description: '状态统计 — how many brands are in one state',
    fields: (t) => ({
      state: t.expose('state', { type: enums.State, description: '状态 — the state' }),
      count: t.exposeInt('count', { description: '数量 — brands in it' }),
    }),
  });

  const ProgressRef = builder.objectRef<Progress>('BrandPlanProgress').implement({
    description: '规划进度 — goals and what was achieved, for one year of a plan or for the whole plan',
    fields: (t) => ({
      year: t.exposeInt('year', { nullable: true, description: '年度 — the year; null for the whole plan' }),
      appliedGoal: t.exposeInt('appliedGoal', { description: '申报目标 — brands to be applied for' }),
      approvedGoal: t.exposeInt('approvedGoal', { description: '认定目标 — brands to be approved' }),
      modelGoal: t.exposeInt('modelGoal', { description: '示范目标 — brands to be named model' }),
      applied: t.exposeInt('applied', { description: '已申报 — brands first submitted in the period' }),
      approved: t.exposeInt('approved', { description: '已认定 — brands approved in the period (including any revoked later)' }),
      model: t.exposeInt('model', { description: '已命名示范 — brands named model in the period (including any revoked later)' }),
      appliedRate: t.float({
        nullable: true,
        description: '申报完成率 — applied ÷ goal, 0–1 to four places; null when the goal is 0',
        resolve: (p) => rate(p.applied, p.appliedGoal),
      }),
      approvedRate: t.float({
        nullable: true,
        description: '认定完成率 — approved ÷ goal; null when the goal is 0',
        resolve: (p) => rate(p.approved, p.approvedGoal),
      }),
      modelRate: t.float({
        nullable: true,
        description: '示范完成率 — named model ÷ goal; null when the goal is 0',
        resolve: (p) => rate(p.model, p.modelGoal),
      }),
    }),
  });

  const DashboardRef = builder.objectRef<Dashboard>('BrandPlanDashboard').implement({
    description: '规划看板 — a plan’s brands by state and its progress against the yearly goals, counted over one subtree',
    fields: (t) => ({
      total: t.exposeInt('total', { description: '品牌总数 — brands applied under the plan (any state)' }),
      byState: t.field({
        type: [StateCount],
        description: '按状态统计 — every state with its count, zeros included',
        resolve: (d) => d.byState,
      }),
      years: t.field({ type: [ProgressRef], description: '年度进度 — one line for each year of the plan', resolve: (d) => d.years }),
      overall: t.field({ type: ProgressRef, description: '总体进度 — the plan’s years added up', resolve: (d) => d.overall }),
    }),
  });

  builder.prismaObjectField('PartyBrandPlan', 'dashboard', (t) =>
    t.field({
      type: DashboardRef,
      description: '规划看板 — counts by state and progress against the yearly goals, over brands of your subtree (or of `under`)',
      args: {
        under: t.arg.id({ required: false, description: '党组织 — count only brands of this organization and below (default: your own)' }),
      },
      resolve: async (plan, args, ctx) => {
        const path = await resolveUnder(ctx, args.under, 'under');
        const figures = await requestLoader(ctx, 'party-brand.planFigures', (keys: readonly string[]) => loadFigures(ctx, keys)).load(
          `${plan.id}${KEY_SEPARATOR}${path}`,
        );
        const byState = stateCounts(figures.states);
        const years = yearProgress(plan.startYear, plan.endYear, figures.goals, figures.milestones);
        const sum = (key: Exclude<keyof YearProgress, 'year'>) => years.reduce((n, y) => n + y[key], 0);
        return {
          total: byState.reduce((n, s) => n + s.count, 0),
          byState,
          years,
          overall: {
            year: null,
            appliedGoal: sum('appliedGoal'),
            approvedGoal: sum('approvedGoal'),
            modelGoal: sum('modelGoal'),
            applied: sum('applied'),
            approved: sum('approved'),
            model: sum('model'),
          },
        };
      },
    }),
  );
}
