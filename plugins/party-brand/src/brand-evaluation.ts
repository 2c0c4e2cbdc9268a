import { IDEMPOTENCY_KEY_ARG, optionalText, uniqueOrConflict } from '@dangjian/core';
import { ConflictError, IllegalStateError, InputError, requestLoader, requireViewer, type Builder, type Context } from '@dangjian/core';
import { APPROVED_STATES, assertReviewer, STATE_LABELS } from './brand-rules.ts';
import { viewerKind } from './brand-review.ts';
import { findBrandForWrite } from './brand-write.ts';
import {
  averagesOf,
  checkEvaluationYear,
  checkScores,
  CRITERIA,
  overallScore,
  trendOf,
  type Scores,
  type Trend,
  type TrendDirection,
} from './evaluation-rules.ts';
import type { Deps } from './deps.ts';

interface Summary {
  count: number;
  average: (Scores & { overall: number }) | null;
  trend: Trend;
}

/**
 * Average and trend of many brands: the averages in one grouped statement, the yearly scores for the
 * trend in one more — whatever the number of brands on the page.
 */
async function summarize(ctx: Context, brandIds: readonly string[]): Promise<Summary[]> {
  const ids = [...brandIds];
  const [groups, rows] = await Promise.all([
    ctx.db.partyBrandEvaluation.groupBy({
      by: ['brandId'],
      where: { brandId: { in: ids } },
      _count: { _all: true },
      _avg: { integration: true, innovation: true, effect: true, publicity: true },
    }),
    ctx.db.partyBrandEvaluation.findMany({
      where: { brandId: { in: ids } },
      select: { brandId: true, year: true, integration: true, innovation: true, effect: true, publicity: true },
    }),
  ]);
  return ids.map((id) => {
    const group = groups.find((g) => g.brandId === id);
    return {
      count: group?._count._all ?? 0,
      average: group ? averagesOf(group._avg) : null,
      trend: trendOf(rows.filter((r) => r.brandId === id)),
    };
  });
}

/** 年度测评 (BrandEvaluation): the type, `evaluateBrand` and `Brand.evaluationSummary`. */
export function registerBrandEvaluation(builder: Builder, { api, enums }: Deps): void {
  builder.prismaObject('PartyBrandEvaluation', {
    name: 'BrandEvaluation',
    description: '品牌年度测评 — the committee’s scores of a brand for one year (0–100 on each criterion)',
    fields: (t) => ({
      year: t.exposeInt('year', { description: '年度 — the year evaluated' }),
      integration: t.exposeInt('integration', { description: '融合度 — integration of party work with the business (0–100)' }),
      innovation: t.exposeInt('innovation', { description: '创新性 — innovation (0–100)' }),
      effect: t.exposeInt('effect', { description: '实效性 — effect achieved (0–100)' }),
      publicity: t.exposeInt('publicity', { description: '影响力 — publicity and influence (0–100)' }),
      overall: t.float({ description: '综合得分 — mean of the four criteria, to two places', resolve: (e) => overallScore(e) }),
      comments: t.exposeString('comments', { nullable: true, description: '评语 — the committee’s comments' }),
      evaluatorId: t.exposeString('evaluatorId', { nullable: true, description: '测评人 — user id of who recorded it' }),
      createdAt: t.expose('createdAt', { type: 'DateTime', description: '登记时间 — when it was recorded' }),
      brand: t.relation('brand', { description: '党建品牌 — the brand evaluated' }),
    }),
  });

  const Averages = builder.objectRef<Scores & { overall: number }>('BrandScoreAverages').implement({
    description: '平均得分 — a brand’s mean scores over all its evaluations, to two places',
    fields: (t) => ({
      integration: t.exposeFloat('integration', { description: '融合度 — mean integration score' }),
      innovation: t.exposeFloat('innovation', { description: '创新性 — mean innovation score' }),
      effect: t.exposeFloat('effect', { description: '实效性 — mean effect score' }),
      publicity: t.exposeFloat('publicity', { description: '影响力 — mean publicity score' }),
      overall: t.exposeFloat('overall', { description: '综合 — mean overall score' }),
    }),
  });
  const Point = builder.objectRef<{ year: number; score: number }>('BrandScorePoint').implement({
    description: '年度得分 — a brand’s overall score in one year',
    fields: (t) => ({
      year: t.exposeInt('year', { description: '年度 — year' }),
      score: t.exposeFloat('score', { description: '综合得分 — overall score that year' }),
    }),
  });
  const SummaryRef = builder.objectRef<Summary>('BrandEvaluationSummary').implement({
    description: '测评概况 — a brand’s evaluations summed up: how many, the averages and the trend',
    fields: (t) => ({
      count: t.exposeInt('count', { description: '测评次数 — evaluations recorded' }),
      average: t.field({
        type: Averages,
        nullable: true,
        description: '平均得分 — mean scores; null before the first evaluation',
        resolve: (s) => s.average,
      }),
      trend: t.field({ type: [Point], description: '得分走势 — overall score per year, oldest first', resolve: (s) => s.trend.points }),
      change: t.float({
        nullable: true,
        description: '变化 — latest overall score minus the previous one; null with fewer than two',
        resolve: (s) => s.trend.change,
      }),
      direction: t.field({
        type: enums.Direction,
        nullable: true,
        description: '走势 — direction of the latest change; null with fewer than two evaluations',
        resolve: (s): TrendDirection | null => s.trend.direction,
      }),
    }),
  });

  builder.prismaObjectField('PartyBrand', 'evaluationSummary', (t) =>
    t.field({
      type: SummaryRef,
      description: '测评概况 — average and trend of the brand’s yearly evaluations',
      resolve: (brand, _args, ctx) =>
        requestLoader(ctx, 'party-brand.evaluationSummary', (ids: readonly string[]) => summarize(ctx, ids)).load(brand.id),
    }),
  );

  const Input = builder.inputType('EvaluateBrandInput', {
    description: '品牌年度测评 — scores for one year, each a whole number from 0 to 100',
    fields: (t) => ({
      year: t.int({ required: true, description: '年度 — the year evaluated; not in the future nor before the brand was approved' }),
      integration: t.int({ required: true, description: '融合度 — integration with the business (0–100)' }),
      innovation: t.int({ required: true, description: '创新性 — innovation (0–100)' }),
      effect: t.int({ required: true, description: '实效性 — effect (0–100)' }),
      publicity: t.int({ required: true, description: '影响力 — publicity (0–100)' }),
      comments: t.string({ required: false, description: '评语 — comments (at most 2000 characters)' }),
    }),
  });

  builder.mutationField('evaluateBrand', (t) =>
    t.prismaField({
      type: 'PartyBrandEvaluation',
      description:
        '品牌年度测评 — record a year’s scores of an approved, cultivating or model brand (ADMIN of a committee above it); one per brand per year',
      authScopes: { role: 'ADMIN' },
      args: {
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
        brandId: t.arg.id({ required: true, description: '党建品牌 — global ID of the brand' }),
        input: t.arg({ type: Input, required: true, description: '测评 — the scores' }),
      },
      resolve: async (query, _root, { brandId, input }, ctx) => {
        const viewer = requireViewer(ctx);
        checkEvaluationYear(input.year, 'input.year');
        checkScores(input, 'input');
        const comments = optionalText(input.comments, 'input.comments', 'long', 2000);
        return api.transact(ctx, async (tx) => {
          const { brand, org } = await findBrandForWrite(tx, ctx, String(brandId), 'brandId');
          assertReviewer(viewer, await viewerKind(tx, ctx), org);
          if (!APPROVED_STATES.includes(brand.state)) {
            throw new IllegalStateError(
              `only an approved, cultivating or model brand is evaluated; this one is ${brand.state} (${STATE_LABELS[brand.state]})`,
              brand.state,
            );
          }
          const approval = await tx.partyBrandTransition.findFirst({
            where: { brandId: brand.id, to: 'APPROVED' },
            orderBy: { at: 'asc' },
            select: { at: true },
          });
          const approvedIn = approval?.at.getUTCFullYear();
          if (approvedIn && input.year < approvedIn)
            throw new InputError('input.year', `must not be before ${approvedIn}, when the brand was approved`);
          const conflict = () =>
            new ConflictError(`the brand「${brand.name}」already has an evaluation for ${input.year}`, { field: 'input.year' });
          if (await tx.partyBrandEvaluation.count({ where: { brandId: brand.id, year: input.year } })) throw conflict();
          const scores = Object.fromEntries(CRITERIA.map((key) => [key, input[key]])) as Scores;
          // Two evaluations of the same year at once: the unique index decides, and the loser hears why.
          return uniqueOrConflict(
            () =>
              tx.partyBrandEvaluation.create({
                ...query,
                data: { brandId: brand.id, year: input.year, ...scores, comments, evaluatorId: viewer.userId },
              }),
            conflict,
          );
        });
      },
    }),
  );
}
