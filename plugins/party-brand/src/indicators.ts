// 党建品牌's indicators: the brand state an organization holds at the period's end, and its latest yearly
// evaluation score. Both cover the organization's own brands (一个支部一个品牌), not its subtree.

import { applicableIds, measuredUntil, valuesOf, yearsOf, type IndicatorDefinition } from '@dangjian/core';
import type { PrismaClient } from '@dangjian/db';
import { BRAND_ORGANIZATION_KINDS, STATE_LABELS, STATE_SCORES, stateOnDay } from './brand-rules.ts';
import { overallScore } from './evaluation-rules.ts';

const KINDS = BRAND_ORGANIZATION_KINDS;

/** Brands of many organizations with their state history up to a day: one statement (with its relation read). */
async function brandsWithHistory(db: PrismaClient, ids: readonly string[], until: Date) {
  return db.partyBrand.findMany({
    where: { organizationId: { in: [...ids] } },
    select: {
      id: true,
      name: true,
      organizationId: true,
      transitions: { where: { at: { lt: new Date(until.getTime() + 86_400_000) } }, select: { to: true, at: true } },
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/** 品牌创建进度: the furthest state among the organization's brands at the period's end, scored 0–4. */
export const brandStateIndicator: IndicatorDefinition = {
  id: 'party-brand.brands.stateReached',
  name: '党建品牌创建进度',
  description:
    '期间最后一天（未结束时为今天）本组织党建品牌所处状态的得分，多个品牌取最高：无品牌或草稿、退回、撤销0分，已申报1分，已认定2分，培育中3分，' +
    '示范品牌4分。适用于党委、党总支、党支部、临时党支部 — the state the organization’s own brand held on the period’s last day (today while it ' +
    'runs), the best of its brands: none, draft, returned or revoked 0, submitted 1, approved 2, cultivating 3, model 4.',
  unit: 'SCORE',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: KINDS,
  async value({ db, organizations, period, today }) {
    const ids = applicableIds(organizations, KINDS);
    const brands = ids.length === 0 ? [] : await brandsWithHistory(db, ids, measuredUntil(period, today));
    const best = new Map<string, number>();
    for (const brand of brands) {
      const state = stateOnDay(brand.transitions, measuredUntil(period, today));
      const score = state ? STATE_SCORES[state] : 0;
      best.set(brand.organizationId, Math.max(best.get(brand.organizationId) ?? 0, score));
    }
    return valuesOf(organizations, KINDS, (id) => best.get(id) ?? 0);
  },
  async evidence({ db, organization, period, today }) {
    if (!KINDS.includes(organization.kind)) return [];
    const until = measuredUntil(period, today);
    const brands = await brandsWithHistory(db, [organization.id], until);
    return brands.flatMap((brand) => {
      const state = stateOnDay(brand.transitions, until);
      if (!state) return [];
      return [
        { type: 'Brand', id: brand.id, label: `${brand.name}（${STATE_LABELS[state]}）`, date: null, counts: STATE_SCORES[state] > 0 },
      ];
    });
  },
};

/** Evaluations of the organizations' brands for the years of a period: one statement. */
async function evaluationsOf(db: PrismaClient, ids: readonly string[], first: number, last: number) {
  return db.partyBrandEvaluation.findMany({
    where: { brand: { organizationId: { in: [...ids] } }, year: { gte: first, lte: last } },
    select: {
      year: true,
      integration: true,
      innovation: true,
      effect: true,
      publicity: true,
      brand: { select: { id: true, name: true, organizationId: true } },
    },
    orderBy: [{ year: 'asc' }, { id: 'asc' }],
  });
}

/** The latest year's best overall score per organization, with the evaluation it came from. */
function latestScores(evaluations: Awaited<ReturnType<typeof evaluationsOf>>) {
  const latest = new Map<string, { year: number; score: number; brandId: string }>();
  for (const e of evaluations) {
    const score = overallScore(e);
    const current = latest.get(e.brand.organizationId);
    if (!current || e.year > current.year || (e.year === current.year && score > current.score))
      latest.set(e.brand.organizationId, { year: e.year, score, brandId: e.brand.id });
  }
  return latest;
}

/** 品牌年度测评得分: the overall score of the latest yearly evaluation in the period. */
export const brandEvaluationIndicator: IndicatorDefinition = {
  id: 'party-brand.evaluations.latestScore',
  name: '党建品牌年度测评得分',
  description:
    '期间所含年度中最近一次年度测评的总分（融合、创新、成效、宣传四项平均，0–100），多个品牌取最高；期间内没有测评时不适用。' +
    '适用于党委、党总支、党支部、临时党支部，只看本组织的品牌 — the overall score (mean of the four criteria, 0–100) of the latest yearly ' +
    'evaluation of a year of the period, the best of the organization’s own brands; null without an evaluation in the period.',
  unit: 'SCORE',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: KINDS,
  async value({ db, organizations, period }) {
    const ids = applicableIds(organizations, KINDS);
    const { first, last } = yearsOf(period);
    const latest = latestScores(ids.length === 0 ? [] : await evaluationsOf(db, ids, first, last));
    return valuesOf(organizations, KINDS, (id) => latest.get(id)?.score ?? null);
  },
  async evidence({ db, organization, period }) {
    if (!KINDS.includes(organization.kind)) return [];
    const { first, last } = yearsOf(period);
    const evaluations = await evaluationsOf(db, [organization.id], first, last);
    const chosen = latestScores(evaluations).get(organization.id);
    // PartyBrandEvaluation is not a node: each row points at its brand (GraphQL type Brand), which lists its evaluations.
    return evaluations.map((e) => ({
      type: 'Brand',
      id: e.brand.id,
      label: `${e.brand.name} ${e.year}年度测评 ${overallScore(e)}分`,
      date: null,
      counts: chosen !== undefined && e.year === chosen.year && e.brand.id === chosen.brandId,
    }));
  },
};

/** The plugin's indicators, in the order they are offered. */
export const INDICATORS: readonly IndicatorDefinition[] = [brandStateIndicator, brandEvaluationIndicator];
