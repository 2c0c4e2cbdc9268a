// The secretary (书记) as indicators: in post at the period's end, and trained within three years (轮训
// every secretary within three years). Both look at the organization's own secretary post only.

import type { OrganizationKind, PrismaClient } from '@dangjian/db';
import { isoDate } from '../../kit/dates.ts';
import { POST_LABELS, yearsBefore } from '../../schema/cadre-rules.ts';
import type { IndicatorDefinition, IndicatorEvidence } from '../indicator.ts';
import { applicableIds, measuredUntil, valuesOf } from '../indicator-values.ts';

/** Organizations with party-affairs posts: every kind but the 党小组 (a group has a leader, not cadres). */
export const CADRE_KINDS: readonly OrganizationKind[] = ['WORKING_COMMITTEE', 'COMMITTEE', 'GENERAL_BRANCH', 'BRANCH', 'TEMPORARY_BRANCH'];

/** Years within which a secretary must have been trained (轮训 every secretary within three years). */
const TRAINING_YEARS = 3;

/** Prisma filter for posts held on `day`. */
export const heldOn = (day: Date) => ({ startDate: { lte: day }, OR: [{ endDate: null }, { endDate: { gte: day } }] });

/** Prisma filter for posts held on some day of [from, until]. */
export const heldWithin = (from: Date, until: Date) => ({ startDate: { lte: until }, OR: [{ endDate: null }, { endDate: { gte: from } }] });

/** `书记 张三 2023-01-05 至今` */
export const postLabel = (post: string, name: string, startDate: Date, endDate: Date | null) =>
  `${post} ${name} ${isoDate(startDate)} 至 ${endDate ? isoDate(endDate) : '今'}`;

/** The secretaries in post on `day` of many organizations (the latest appointed first): one statement. */
async function secretariesOn(db: PrismaClient, ids: readonly string[], day: Date, trainedSince: Date) {
  return db.cadre.findMany({
    where: { organizationId: { in: [...ids] }, post: 'SECRETARY', ...heldOn(day) },
    select: {
      id: true,
      organizationId: true,
      startDate: true,
      endDate: true,
      member: {
        select: {
          name: true,
          trainings: {
            where: { date: { gte: trainedSince, lte: day } },
            select: { id: true, course: true, hours: true, date: true },
            orderBy: [{ date: 'desc' }, { id: 'asc' }],
          },
        },
      },
    },
    orderBy: [{ startDate: 'desc' }, { id: 'asc' }],
  });
}

/** 书记在岗: 1 when the organization has a secretary in post on the period's last day (or today), else 0. */
export const secretaryInPostIndicator: IndicatorDefinition = {
  id: 'core.cadres.secretaryInPost',
  name: '书记在岗',
  description:
    '期间最后一天（期间未结束时为今天）有在任书记为1，书记空缺为0；适用于除党小组外的各类党组织，只看本组织的书记职务 — 1 when the ' +
    'organization has a secretary in post on the period’s last day (today while the period runs), 0 when the post is vacant; ' +
    'every kind but 党小组, the organization’s own post.',
  unit: 'YES_NO',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: CADRE_KINDS,
  async value({ db, organizations, period, today }) {
    const ids = applicableIds(organizations, CADRE_KINDS);
    const until = measuredUntil(period, today);
    const held =
      ids.length === 0
        ? []
        : await db.cadre.groupBy({ by: ['organizationId'], where: { organizationId: { in: ids }, post: 'SECRETARY', ...heldOn(until) } });
    const staffed = new Set(held.map((r) => r.organizationId));
    return valuesOf(organizations, CADRE_KINDS, (id) => (staffed.has(id) ? 1 : 0));
  },
  async evidence({ db, organization, period, today }) {
    if (!CADRE_KINDS.includes(organization.kind)) return [];
    const until = measuredUntil(period, today);
    const posts = await db.cadre.findMany({
      where: { organizationId: organization.id, post: 'SECRETARY', ...heldWithin(period.from, until) },
      select: { id: true, startDate: true, endDate: true, member: { select: { name: true } } },
      orderBy: [{ startDate: 'asc' }, { id: 'asc' }],
    });
    return posts.map((p) => ({
      type: 'Cadre',
      id: p.id,
      label: postLabel(POST_LABELS.SECRETARY, p.member.name, p.startDate, p.endDate),
      date: p.startDate,
      counts: p.startDate.getTime() <= until.getTime() && (p.endDate === null || p.endDate.getTime() >= until.getTime()),
    }));
  },
};

/** 书记三年内受训: 1 when the secretary in post at the period's end was trained in the three years before it. */
export const secretaryTrainedIndicator: IndicatorDefinition = {
  id: 'core.cadres.secretaryTrained',
  name: '书记三年内参加培训',
  description:
    '期间最后一天（期间未结束时为今天）在任的书记在此前三年内有培训记录为1，否则为0；书记空缺时不适用。适用于除党小组外的各类党组织 — 1 when ' +
    'the secretary in post on the period’s last day (today while it runs) has a training in the three years up to that day, else 0; ' +
    'null when the post is vacant. Every kind but 党小组.',
  unit: 'YES_NO',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: CADRE_KINDS,
  async value({ db, organizations, period, today }) {
    const ids = applicableIds(organizations, CADRE_KINDS);
    const until = measuredUntil(period, today);
    const secretaries = ids.length === 0 ? [] : await secretariesOn(db, ids, until, yearsBefore(until, TRAINING_YEARS));
    const trained = new Map<string, number>();
    // Two secretaries at once (a handover day): the organization counts as trained when either is.
    for (const s of secretaries)
      trained.set(s.organizationId, Math.max(trained.get(s.organizationId) ?? 0, s.member.trainings.length > 0 ? 1 : 0));
    return valuesOf(organizations, CADRE_KINDS, (id) => trained.get(id) ?? null);
  },
  async evidence({ db, organization, period, today }) {
    if (!CADRE_KINDS.includes(organization.kind)) return [];
    const until = measuredUntil(period, today);
    const secretaries = await secretariesOn(db, [organization.id], until, yearsBefore(until, TRAINING_YEARS));
    return secretaries.flatMap((s): IndicatorEvidence[] => [
      {
        type: 'Cadre',
        id: s.id,
        label: postLabel(POST_LABELS.SECRETARY, s.member.name, s.startDate, s.endDate),
        date: s.startDate,
        counts: s.member.trainings.length > 0,
      },
      ...s.member.trainings.map((t) => ({
        type: 'Training',
        id: t.id,
        label: `${s.member.name} ${t.course} ${t.hours.toFixed(1)}学时`,
        date: t.date,
        counts: true,
      })),
    ]);
  },
};
