// 年度考核登记 as an indicator: the share of the organization's own cadres with a yearly assessment.

import { GRADE_LABELS } from '../../schema/cadre-rules.ts';
import type { IndicatorDefinition, IndicatorEvidence } from '../indicator.ts';
import { applicableIds, measuredUntil, percent, valuesOf, yearsOf } from '../indicator-values.ts';
import { CADRE_KINDS } from './cadres.ts';
import { cadreMembers, cadresFallingShort, cadresWithin } from './training.ts';

/** 干部年度考核登记率: cadres of the period with an assessment of one of its years ÷ cadres. */
export const assessmentsRecordedIndicator: IndicatorDefinition = {
  id: 'core.assessments.recorded',
  name: '党务干部年度考核登记率',
  description:
    '期间内本组织党务干部中登记了期间所在年度考核的人数占干部人数的百分比（兼任多个职务的算一人）；没有干部时不适用。适用于除党小组外的各类党组织 — ' +
    'share of the organization’s cadres (members holding one of its posts at some time in the period, each counted once) with a yearly ' +
    'assessment recorded for a year of the period; null without cadres. Every kind but 党小组.',
  unit: 'PERCENT',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: CADRE_KINDS,
  async value({ db, organizations, period, today }) {
    const ids = applicableIds(organizations, CADRE_KINDS);
    const cadres = ids.length === 0 ? [] : await cadresWithin(db, ids, period.from, measuredUntil(period, today));
    const members = cadreMembers(cadres);
    const { first, last } = yearsOf(period);
    const assessed =
      cadres.length === 0
        ? []
        : await db.assessment.findMany({
            where: { memberId: { in: [...new Set(cadres.map((c) => c.memberId))] }, year: { gte: first, lte: last } },
            select: { memberId: true },
            distinct: ['memberId'],
          });
    const done = new Set(assessed.map((a) => a.memberId));
    return valuesOf(organizations, CADRE_KINDS, (id) => {
      const set = members.get(id);
      if (!set) return null;
      return percent([...set].filter((m) => done.has(m)).length, set.size);
    });
  },
  async evidence({ db, organization, period, today }) {
    if (!CADRE_KINDS.includes(organization.kind)) return [];
    const cadres = await cadresWithin(db, [organization.id], period.from, measuredUntil(period, today));
    if (cadres.length === 0) return [];
    const { first, last } = yearsOf(period);
    const assessments = await db.assessment.findMany({
      where: { memberId: { in: [...new Set(cadres.map((c) => c.memberId))] }, year: { gte: first, lte: last } },
      select: { id: true, memberId: true, year: true, grade: true, member: { select: { name: true } } },
      orderBy: [{ year: 'asc' }, { id: 'asc' }],
    });
    const assessed = new Set(assessments.map((a) => a.memberId));
    const rows: IndicatorEvidence[] = assessments.map((a) => ({
      type: 'Assessment',
      id: a.id,
      label: `${a.member.name} ${a.year}年度考核 ${GRADE_LABELS[a.grade]}`,
      date: null,
      counts: true,
    }));
    rows.push(...cadresFallingShort(cadres, assessed));
    return rows;
  },
};
