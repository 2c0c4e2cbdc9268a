// 双培双带's indicators. Each covers the organization's own records, attributed as the yearly figures
// (figures.ts) attribute them: talents to the organization following them when a stage was reached,
// pairings and households to the paired member's organization when paired.

import { applicableIds, isoDate, measuredUntil, percent, valuesOf, type IndicatorDefinition, type IndicatorPeriod } from '@dangjian/core';
import type { OrganizationKind, PrismaClient } from '@dangjian/db';
import { figureRows, type FigureRow } from './figures.ts';
import { STAGE_LABELS } from './path-rules.ts';
import { addDays } from './personal-data-rules.ts';

/** Organizations whose members cultivate talents and pair with households. */
const KINDS: readonly OrganizationKind[] = ['COMMITTEE', 'GENERAL_BRANCH', 'BRANCH', 'TEMPORARY_BRANCH'];

/** The yearly figures' computation over the days measured of a period (end exclusive: the day after). */
async function figuresOver(db: PrismaClient, ids: readonly string[], period: IndicatorPeriod, today: Date) {
  const rows = ids.length === 0 ? [] : await figureRows(db, ids, period.from, addDays(measuredUntil(period, today), 1));
  return new Map<string, FigureRow>(rows.filter((r) => r.org !== null).map((r) => [r.org!, r]));
}

/** 培养致富能人: distinct talents who reached a stage of the path into the party in the period. */
export const talentsAdvancedIndicator: IndicatorDefinition = {
  id: 'dual-cultivation.talents.advanced',
  name: '培养致富能人数',
  description:
    '期间内在入党路径上进入新阶段（入党申请人、积极分子、发展对象、预备党员）的致富能人人数（同一人只计一次），计入当时联系该能人的组织 — distinct ' +
    'talents who reached a stage of the path into the party in the period, counted at the organization following them then; ' +
    'applies to 党委, 党总支, 党支部, 临时党支部, own records.',
  unit: 'COUNT',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: KINDS,
  async value({ db, organizations, period, today }) {
    const figures = await figuresOver(db, applicableIds(organizations, KINDS), period, today);
    return valuesOf(organizations, KINDS, (id) => figures.get(id)?.talents ?? 0);
  },
  async evidence({ db, organization, period, today }) {
    if (!KINDS.includes(organization.kind)) return [];
    const stages = await db.talentStageRecord.findMany({
      where: { organizationId: organization.id, date: { gte: period.from, lte: measuredUntil(period, today) } },
      select: { talentId: true, stage: true, date: true, talent: { select: { name: true } } },
      orderBy: [{ date: 'asc' }, { id: 'asc' }],
    });
    // TalentStageRecord is not a node: each row points at the talent, whose path lists its stages.
    return stages.map((s) => ({
      type: 'Talent',
      id: s.talentId,
      label: `${s.talent.name} ${isoDate(s.date)} 成为${STAGE_LABELS[s.stage]}`,
      date: s.date,
      counts: true,
    }));
  },
};

/** 帮扶困难户: distinct households in a pairing open at some time in the period. */
export const householdsHelpedIndicator: IndicatorDefinition = {
  id: 'dual-cultivation.households.helped',
  name: '结对帮扶困难户数',
  description:
    '期间内有结对帮扶（期间内某一天处于结对中）的困难户户数（同一户只计一次），计入结对党员当时所在组织 — distinct households in difficulty ' +
    'in a pairing open at some time in the period, counted at the paired member’s organization; applies to 党委, 党总支, 党支部, 临时党支部, own records.',
  unit: 'COUNT',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: KINDS,
  async value({ db, organizations, period, today }) {
    const figures = await figuresOver(db, applicableIds(organizations, KINDS), period, today);
    return valuesOf(organizations, KINDS, (id) => figures.get(id)?.households ?? 0);
  },
  async evidence({ db, organization, period, today }) {
    if (!KINDS.includes(organization.kind)) return [];
    const pairings = await db.helpPairing.findMany({
      where: { ...openWithin(period, today), organizationId: organization.id, householdId: { not: null } },
      select: { startedAt: true, household: { select: { id: true, name: true, village: true } } },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
    });
    const seen = new Set<string>();
    return pairings.flatMap((p) => {
      if (!p.household || seen.has(p.household.id)) return [];
      seen.add(p.household.id);
      return [
        {
          type: 'DifficultHousehold',
          id: p.household.id,
          label: `${p.household.name}（${p.household.village}）`,
          date: p.startedAt,
          counts: true,
        },
      ];
    });
  },
};

/** Prisma filter: pairings open at some time in the days measured of a period (as the yearly figures count them). */
function openWithin(period: IndicatorPeriod, today: Date) {
  return { startedAt: { lte: measuredUntil(period, today) }, OR: [{ closedAt: null }, { closedAt: { gte: period.from } }] };
}

/** 结对走访率: pairings open in the period with at least one visit in it ÷ pairings open in it. */
export const pairingsVisitedIndicator: IndicatorDefinition = {
  id: 'dual-cultivation.pairings.visited',
  name: '结对走访率',
  description:
    '期间内处于结对中的结对子里，期间内至少走访帮扶一次的百分比；没有结对时不适用。计入结对党员当时所在组织 — share of the pairings open at some ' +
    'time in the period with at least one visit in it; null without pairings; applies to 党委, 党总支, 党支部, 临时党支部, own records.',
  unit: 'PERCENT',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: KINDS,
  async value({ db, organizations, period, today }) {
    const ids = applicableIds(organizations, KINDS);
    const until = measuredUntil(period, today);
    const rows =
      ids.length === 0
        ? []
        : await db.$queryRaw<{ org: string; open: number; visited: number }[]>`
            SELECT p."organizationId" AS org, count(*)::int AS open,
                   count(*) FILTER (WHERE EXISTS (
                     SELECT 1 FROM "HelpPairingVisit" v
                      WHERE v."pairingId" = p.id AND v.date >= ${isoDate(period.from)}::date AND v.date <= ${isoDate(until)}::date))::int AS visited
              FROM "HelpPairing" p
             WHERE p."organizationId" = ANY(${ids}::text[])
               AND p."startedAt" <= ${isoDate(until)}::date
               AND (p."closedAt" IS NULL OR p."closedAt" >= ${isoDate(period.from)}::date)
             GROUP BY p."organizationId"`;
    const byOrg = new Map(rows.map((r) => [r.org, r]));
    return valuesOf(organizations, KINDS, (id) => {
      const row = byOrg.get(id);
      return row ? percent(row.visited, row.open) : null;
    });
  },
  async evidence({ db, organization, period, today }) {
    if (!KINDS.includes(organization.kind)) return [];
    const until = measuredUntil(period, today);
    const pairings = await db.helpPairing.findMany({
      where: { ...openWithin(period, today), organizationId: organization.id },
      select: {
        id: true,
        startedAt: true,
        goals: true,
        visits: { where: { date: { gte: period.from, lte: until } }, select: { date: true }, orderBy: { date: 'desc' }, take: 1 },
      },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
    });
    return pairings.map((p) => ({
      type: 'HelpPairing',
      id: p.id,
      label: `结对 ${isoDate(p.startedAt)}起：${p.goals.slice(0, 40)}${p.visits[0] ? `（最近走访 ${isoDate(p.visits[0].date)}）` : '（期间内未走访）'}`,
      date: p.startedAt,
      counts: p.visits.length > 0,
    }));
  },
};

/** The plugin's indicators, in the order they are offered. */
export const INDICATORS: readonly IndicatorDefinition[] = [talentsAdvancedIndicator, pairingsVisitedIndicator, householdsHelpedIndicator];
