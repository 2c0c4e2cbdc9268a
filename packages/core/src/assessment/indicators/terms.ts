// 按期换届 as an indicator: whether the organization's own terms stayed renewed on time through the period,
// by organization-rules.ts (isTermOverdue for the current term, termOverdueWithin for the renewals kept).

import type { OrganizationKind } from '@dangjian/db';
import { isoDate, utcToday } from '../../kit/dates.ts';
import { termOverdueWithin, type TermSpan } from '../../schema/organization-rules.ts';
import type { IndicatorDefinition, IndicatorEvidence } from '../indicator.ts';
import { applicableIds, measuredUntil, valuesOf } from '../indicator-values.ts';

/**
 * Elected organizations renew their terms (党委 5 years, 党总支 and 党支部 3). A working committee is not elected,
 * a temporary branch's term is its lifetime, and a group has none.
 */
const ELECTED_KINDS: readonly OrganizationKind[] = ['COMMITTEE', 'GENERAL_BRANCH', 'BRANCH'];

const span = (termStart: Date | null, termEnd: Date | null) =>
  `${termStart ? isoDate(termStart) : '?'} 至 ${termEnd ? isoDate(termEnd) : '?'}`;

/** 按期换届: 1 when no day of the period fell in an overdue term, 0 when one did; null when no term is recorded. */
export const termOnTimeIndicator: IndicatorDefinition = {
  id: 'core.terms.onTime',
  name: '按期换届',
  description:
    '期间内任何一天都没有届满未换届为1，否则为0（本届届满未换届，或往届届满后才换届且逾期的日子落在期间内）；未登记任期的不适用。' +
    '适用于党委、党总支、党支部，只看本组织的任期 — 1 when no day of the period fell in a term past its end without renewal ' +
    '(the current term ended and is not renewed, or a past term was renewed late with the overdue days in the period), else 0; ' +
    'null when no term is recorded. Applies to 党委, 党总支 and 党支部, the organization’s own terms.',
  unit: 'YES_NO',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: ELECTED_KINDS,
  async value({ db, organizations, period, today }) {
    const ids = applicableIds(organizations, ELECTED_KINDS);
    if (ids.length === 0) return valuesOf(organizations, ELECTED_KINDS, () => null);
    const until = measuredUntil(period, today);
    const [current, past] = await Promise.all([
      db.organization.findMany({ where: { id: { in: ids } }, select: { id: true, termEnd: true } }),
      db.organizationTerm.findMany({
        where: { organizationId: { in: ids }, termEnd: { not: null, lt: until } },
        select: { organizationId: true, termEnd: true, renewedAt: true },
      }),
    ]);
    const terms = new Map<string, TermSpan[]>(current.map((o) => [o.id, [{ termEnd: o.termEnd, renewedOn: null }]]));
    for (const t of past) terms.get(t.organizationId)?.push({ termEnd: t.termEnd, renewedOn: utcToday(t.renewedAt) });
    const recorded = new Set(current.filter((o) => o.termEnd).map((o) => o.id));
    for (const t of past) recorded.add(t.organizationId);
    return valuesOf(organizations, ELECTED_KINDS, (id) =>
      recorded.has(id) ? (termOverdueWithin(terms.get(id) ?? [], period.from, until) ? 0 : 1) : null,
    );
  },
  async evidence({ db, organization, period, today }) {
    if (!ELECTED_KINDS.includes(organization.kind)) return [];
    const until = measuredUntil(period, today);
    const org = await db.organization.findUnique({
      where: { id: organization.id },
      select: {
        id: true,
        termStart: true,
        termEnd: true,
        // Past terms that were running at some time in the period, or renewed in it.
        terms: {
          where: {
            OR: [{ termEnd: null }, { termEnd: { gte: period.from } }, { renewedAt: { gte: period.from } }],
            termStart: { lte: until },
          },
          orderBy: { renewedAt: 'asc' },
        },
      },
    });
    if (!org) return [];
    const rows: IndicatorEvidence[] = org.terms.map((t) => {
      const renewedOn = utcToday(t.renewedAt);
      return {
        type: 'OrganizationTerm',
        id: t.id,
        label: `往届 ${span(t.termStart, t.termEnd)}，${isoDate(renewedOn)}换届`,
        date: renewedOn,
        counts: !termOverdueWithin([{ termEnd: t.termEnd, renewedOn }], period.from, until),
      };
    });
    rows.push({
      type: 'Organization',
      id: org.id,
      label: `本届 ${span(org.termStart, org.termEnd)}`,
      date: org.termEnd,
      counts: !termOverdueWithin([{ termEnd: org.termEnd, renewedOn: null }], period.from, until),
    });
    return rows;
  },
};
