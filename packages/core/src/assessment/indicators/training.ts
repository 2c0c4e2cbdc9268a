// 干部培训学时 as an indicator: hours of training of the organization's own cadres in the period, per cadre.

import type { PrismaClient } from '@dangjian/db';
import { POST_LABELS } from '../../schema/cadre-rules.ts';
import type { IndicatorDefinition, IndicatorEvidence } from '../indicator.ts';
import { applicableIds, measuredUntil, oneDecimal, valuesOf } from '../indicator-values.ts';
import { CADRE_KINDS, heldWithin, postLabel } from './cadres.ts';

/** The cadres (members with a post held at some time in [from, until]) of many organizations: one statement. */
export async function cadresWithin(db: PrismaClient, ids: readonly string[], from: Date, until: Date) {
  return db.cadre.findMany({
    where: { organizationId: { in: [...ids] }, ...heldWithin(from, until) },
    select: {
      id: true,
      organizationId: true,
      memberId: true,
      post: true,
      startDate: true,
      endDate: true,
      member: { select: { name: true } },
    },
    orderBy: [{ startDate: 'asc' }, { id: 'asc' }],
  });
}

/** Distinct members per organization: a person holding two posts is one cadre. */
export function cadreMembers(cadres: readonly { organizationId: string; memberId: string }[]): Map<string, Set<string>> {
  const byOrg = new Map<string, Set<string>>();
  for (const c of cadres) {
    const set = byOrg.get(c.organizationId) ?? new Set<string>();
    set.add(c.memberId);
    byOrg.set(c.organizationId, set);
  }
  return byOrg;
}

/**
 * Evidence rows for the cadres not in `counted` (each person once, at their first post): they count in an
 * indicator's denominator, so they are shown as falling short.
 */
export function cadresFallingShort(cadres: Awaited<ReturnType<typeof cadresWithin>>, counted: ReadonlySet<string>): IndicatorEvidence[] {
  const rows: IndicatorEvidence[] = [];
  const shown = new Set<string>();
  for (const c of cadres) {
    if (counted.has(c.memberId) || shown.has(c.memberId)) continue;
    shown.add(c.memberId);
    rows.push({
      type: 'Cadre',
      id: c.id,
      label: postLabel(POST_LABELS[c.post], c.member.name, c.startDate, c.endDate),
      date: c.startDate,
      counts: false,
    });
  }
  return rows;
}

/** 干部人均培训学时: training hours of the organization's cadres in the period ÷ its cadres. */
export const cadreTrainingHoursIndicator: IndicatorDefinition = {
  id: 'core.training.cadreHours',
  name: '党务干部人均培训学时',
  description:
    '期间内本组织党务干部（期间内任过职的党员，兼任多个职务的算一人）参加培训的学时之和除以干部人数，保留一位小数；没有干部时不适用。' +
    '适用于除党小组外的各类党组织 — training hours in the period of the organization’s cadres (members holding one of its posts at some ' +
    'time in the period, each counted once) divided by their number, to one decimal; null without cadres. Every kind but 党小组.',
  unit: 'HOURS',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: CADRE_KINDS,
  async value({ db, organizations, period, today }) {
    const ids = applicableIds(organizations, CADRE_KINDS);
    const until = measuredUntil(period, today);
    const cadres = ids.length === 0 ? [] : await cadresWithin(db, ids, period.from, until);
    const members = cadreMembers(cadres);
    const hours =
      cadres.length === 0
        ? []
        : await db.training.groupBy({
            by: ['memberId'],
            where: { memberId: { in: [...new Set(cadres.map((c) => c.memberId))] }, date: { gte: period.from, lte: until } },
            _sum: { hours: true },
          });
    const byMember = new Map(hours.map((h) => [h.memberId, Number(h._sum.hours ?? 0)]));
    return valuesOf(organizations, CADRE_KINDS, (id) => {
      const set = members.get(id);
      if (!set || set.size === 0) return null;
      let total = 0;
      for (const m of set) total += byMember.get(m) ?? 0;
      return oneDecimal(total / set.size);
    });
  },
  async evidence({ db, organization, period, today }) {
    if (!CADRE_KINDS.includes(organization.kind)) return [];
    const until = measuredUntil(period, today);
    const cadres = await cadresWithin(db, [organization.id], period.from, until);
    if (cadres.length === 0) return [];
    const trainings = await db.training.findMany({
      where: { memberId: { in: [...new Set(cadres.map((c) => c.memberId))] }, date: { gte: period.from, lte: until } },
      select: { id: true, memberId: true, course: true, hours: true, date: true, member: { select: { name: true } } },
      orderBy: [{ date: 'asc' }, { id: 'asc' }],
    });
    const trained = new Set(trainings.map((t) => t.memberId));
    const rows: IndicatorEvidence[] = trainings.map((t) => ({
      type: 'Training',
      id: t.id,
      label: `${t.member.name} ${t.course} ${t.hours.toFixed(1)}学时`,
      date: t.date,
      counts: true,
    }));
    // Cadres without a training in the period count in the denominator: shown as falling short.
    rows.push(...cadresFallingShort(cadres, trained));
    return rows;
  },
};
