// 纪检监督's indicators: rectifications closed by their deadline (the organization inspected), and clues
// disposed of (the organization that received them). Both cover the organization's own records.

import { applicableIds, isoDate, measuredUntil, percent, valuesOf, type IndicatorDefinition } from '@dangjian/core';
import type { OrganizationKind, PrismaClient } from '@dangjian/db';
import { closedOnTime, isOverdue } from './rectification-rules.ts';

/** Organizations that are inspected and rectify. */
const INSPECTED_KINDS: readonly OrganizationKind[] = ['COMMITTEE', 'GENERAL_BRANCH', 'BRANCH', 'TEMPORARY_BRANCH'];
/** Organizations that receive clues (their discipline committee or member). */
const RECEIVING_KINDS: readonly OrganizationKind[] = ['WORKING_COMMITTEE', 'COMMITTEE', 'GENERAL_BRANCH', 'BRANCH', 'TEMPORARY_BRANCH'];

/** Rectification items due in [from, until] of the inspections of many organizations: one statement. */
async function dueItems(db: PrismaClient, ids: readonly string[], from: Date, until: Date) {
  return db.disciplineRectification.findMany({
    where: { deadline: { gte: from, lte: until }, problem: { inspection: { inspectedOrganizationId: { in: [...ids] } } } },
    select: {
      id: true,
      measure: true,
      deadline: true,
      status: true,
      acceptedAt: true,
      problem: { select: { inspection: { select: { inspectedOrganizationId: true } } } },
    },
    orderBy: [{ deadline: 'asc' }, { id: 'asc' }],
  });
}

/** 按期整改率: items accepted by their deadline ÷ items whose outcome is due (accepted, or overdue). */
export const rectificationsOnTimeIndicator: IndicatorDefinition = {
  id: 'discipline.rectifications.onTime',
  name: '按期整改率',
  description:
    '整改期限落在期间内的整改事项中，在期限当天或之前通过验收的百分比；分母为已验收或已逾期的事项（期限未过且未验收的不计）；没有到期事项时不适用。' +
    '按被督查组织计 — of the rectification items with a deadline in the period, the share accepted on or before the deadline, out of those ' +
    'accepted or overdue (rectification-rules.ts); null when none is due. Counted at the inspected organization (own records); applies to ' +
    '党委, 党总支, 党支部, 临时党支部.',
  unit: 'PERCENT',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: INSPECTED_KINDS,
  async value({ db, organizations, period, today }) {
    const ids = applicableIds(organizations, INSPECTED_KINDS);
    const items = ids.length === 0 ? [] : await dueItems(db, ids, period.from, measuredUntil(period, today));
    const tally = new Map<string, { onTime: number; due: number }>();
    for (const item of items) {
      const accepted = item.status === 'ACCEPTED';
      if (!accepted && !isOverdue(item, today)) continue;
      const org = item.problem.inspection.inspectedOrganizationId;
      const t = tally.get(org) ?? { onTime: 0, due: 0 };
      t.due += 1;
      if (closedOnTime(item)) t.onTime += 1;
      tally.set(org, t);
    }
    return valuesOf(organizations, INSPECTED_KINDS, (id) => {
      const t = tally.get(id);
      return t ? percent(t.onTime, t.due) : null;
    });
  },
  async evidence({ db, organization, period, today }) {
    if (!INSPECTED_KINDS.includes(organization.kind)) return [];
    const items = await dueItems(db, [organization.id], period.from, measuredUntil(period, today));
    return items
      .filter((item) => item.status === 'ACCEPTED' || isOverdue(item, today))
      .map((item) => ({
        type: 'Rectification',
        id: item.id,
        label: `${item.measure.slice(0, 40)}（期限 ${isoDate(item.deadline)}，${closedOnTime(item) ? '按期完成' : item.status === 'ACCEPTED' ? '逾期完成' : '逾期未完成'}）`,
        date: item.deadline,
        counts: closedOnTime(item),
      }));
  },
};

/** 线索处置率: clues received in the period that were disposed of or closed by its end ÷ clues received. */
export const cluesDisposedIndicator: IndicatorDefinition = {
  id: 'discipline.clues.disposed',
  name: '问题线索处置率',
  description:
    '期间内收到的问题线索中，在期间结束前（未结束时为今天）已处置或了结的百分比；期间内没有收到线索时不适用。按受理组织计。线索保密：只给出比率，不列出线索 — ' +
    'share of the clues received in the period that were disposed of or closed by its last day (today while it runs); null when none was ' +
    'received. Counted at the receiving organization (own records). Clues are confidential: the value is a share and the evidence lists ' +
    'no clue (discipline roles read them, audited, through the plugin’s own queries).',
  unit: 'PERCENT',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: RECEIVING_KINDS,
  async value({ db, organizations, period, today }) {
    const ids = applicableIds(organizations, RECEIVING_KINDS);
    const until = measuredUntil(period, today);
    const rows =
      ids.length === 0
        ? []
        : await db.$queryRaw<{ org: string; received: number; disposed: number }[]>`
            SELECT "receivingOrganizationId" AS org, count(*)::int AS received,
                   count(*) FILTER (WHERE status::text IN ('DISPOSED', 'CLOSED') AND "decidedAt" <= ${isoDate(until)}::date)::int AS disposed
              FROM "DisciplineClue"
             WHERE "receivingOrganizationId" = ANY(${ids}::text[])
               AND "receivedAt" >= ${isoDate(period.from)}::date AND "receivedAt" <= ${isoDate(until)}::date
             GROUP BY "receivingOrganizationId"`;
    const byOrg = new Map(rows.map((r) => [r.org, r]));
    return valuesOf(organizations, RECEIVING_KINDS, (id) => {
      const row = byOrg.get(id);
      return row ? percent(row.disposed, row.received) : null;
    });
  },
  // Clues and whoever reported them are secret, readable only by discipline roles with every read audited;
  // the evidence of an indicator is open to any viewer of the subtree, so it lists none.
  evidence: async () => [],
};

/** The plugin's indicators, in the order they are offered. */
export const INDICATORS: readonly IndicatorDefinition[] = [rectificationsOnTimeIndicator, cluesDisposedIndicator];
