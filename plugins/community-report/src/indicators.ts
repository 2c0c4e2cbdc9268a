// 社区报到's indicators. Each covers the organization's whole subtree — records are filed at the member's
// organization (a branch), and a committee answers for its branches, as the plugin's yearly hours figures
// (hours.ts) count them.

import {
  applicableIds,
  isoDate,
  measuredUntil,
  oneDecimal,
  valuesOf,
  type IndicatorDefinition,
  type IndicatorOrganization,
} from '@dangjian/core';
import type { OrganizationKind } from '@dangjian/db';
import { formatTenths, toTenths } from './community-rules.ts';
import { SERVICE_KIND_LABELS } from './enums.ts';

/** Organizations whose members register with communities and serve there. */
const KINDS: readonly OrganizationKind[] = ['COMMITTEE', 'GENERAL_BRANCH', 'BRANCH', 'TEMPORARY_BRANCH'];

/** Paths of the applicable organizations, and the way back from a path to its organization. */
function pathsOf(organizations: readonly IndicatorOrganization[]) {
  const ids = new Set(applicableIds(organizations, KINDS));
  const applicable = organizations.filter((o) => ids.has(o.id));
  return { paths: applicable.map((o) => o.path), idOf: new Map(applicable.map((o) => [o.path, o.id])) };
}

/** 人均服务时长: verified service hours in the subtree over the period ÷ members registered (个人报到) in it. */
export const serviceHoursIndicator: IndicatorDefinition = {
  id: 'community-report.service.hoursPerMember',
  name: '报到党员人均服务时长',
  description:
    '期间内本组织及下级组织经社区核实的服务时长之和，除以期间内某一天处于报到状态的党员人数（个人报到，同一人只计一次），保留一位小数；没有报到党员时不适用 — ' +
    'verified community service hours of the subtree in the period divided by the members registered with a community (个人报到) at ' +
    'some time in the period, to one decimal; null with no registered member. Applies to 党委, 党总支, 党支部, 临时党支部, whole subtree.',
  unit: 'HOURS',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: KINDS,
  async value({ db, organizations, period, today }) {
    const { paths, idOf } = pathsOf(organizations);
    const from = isoDate(period.from);
    const until = isoDate(measuredUntil(period, today));
    const rows =
      paths.length === 0
        ? []
        : await db.$queryRaw<{ path: string; hours: string; members: number }[]>`
            WITH scope AS (SELECT p.path, o.id FROM unnest(${paths}::text[]) AS p(path) JOIN "Organization" o ON o.path LIKE p.path || '%'),
            served AS (
              SELECT scope.path, sum(s.hours) AS hours FROM scope
                JOIN "CommunityServiceRecord" s ON s."organizationId" = scope.id
               WHERE s.status = 'VERIFIED' AND s.date >= ${from}::date AND s.date <= ${until}::date
               GROUP BY scope.path),
            registered AS (
              SELECT scope.path, count(DISTINCT r."memberId")::int AS members FROM scope
                JOIN "CommunityRegistration" r ON r."organizationId" = scope.id
               WHERE r."memberId" IS NOT NULL AND r.date <= ${until}::date AND (r."withdrawnOn" IS NULL OR r."withdrawnOn" >= ${from}::date)
               GROUP BY scope.path)
            SELECT registered.path, coalesce(served.hours, 0)::text AS hours, registered.members
              FROM registered LEFT JOIN served ON served.path = registered.path`;
    const byId = new Map(rows.map((r) => [idOf.get(r.path), r]));
    return valuesOf(organizations, KINDS, (id) => {
      const row = byId.get(id);
      return row && row.members > 0 ? oneDecimal(toTenths(row.hours) / 10 / row.members) : null;
    });
  },
  async evidence({ db, organization, period, today }) {
    if (!KINDS.includes(organization.kind)) return [];
    const records = await db.communityServiceRecord.findMany({
      where: {
        status: 'VERIFIED',
        date: { gte: period.from, lte: measuredUntil(period, today) },
        organizationId: {
          in: (await db.organization.findMany({ where: { path: { startsWith: organization.path } }, select: { id: true } })).map(
            (o) => o.id,
          ),
        },
      },
      select: { id: true, kind: true, date: true, hours: true, community: { select: { name: true } } },
      orderBy: [{ date: 'asc' }, { id: 'asc' }],
    });
    return records.map((r) => ({
      type: 'CommunityServiceRecord',
      id: r.id,
      label: `${r.community.name} ${SERVICE_KIND_LABELS[r.kind]} ${formatTenths(toTenths(r.hours))}小时`,
      date: r.date,
      counts: true,
    }));
  },
};

/** 完成需求: demand claims completed in the period by members of the subtree. */
export const demandsCompletedIndicator: IndicatorDefinition = {
  id: 'community-report.demands.completed',
  name: '完成社区需求数',
  description:
    '期间内本组织及下级组织党员认领并完成（已完成或社区已确认）的社区需求认领数 — demand claims of the subtree’s members completed (completed or ' +
    'confirmed by the community) in the period. Applies to 党委, 党总支, 党支部, 临时党支部, whole subtree.',
  unit: 'COUNT',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: KINDS,
  async value({ db, organizations, period, today }) {
    const { paths, idOf } = pathsOf(organizations);
    // completedAt is an instant: the period's last day counts whole.
    const end = new Date(measuredUntil(period, today).getTime() + 86_400_000);
    const rows =
      paths.length === 0
        ? []
        : await db.$queryRaw<{ path: string; completed: number }[]>`
            SELECT p.path, count(c.id)::int AS completed
              FROM unnest(${paths}::text[]) AS p(path)
              JOIN "Organization" o ON o.path LIKE p.path || '%'
              JOIN "CommunityDemandClaim" c ON c."organizationId" = o.id
             WHERE c.status::text IN ('COMPLETED', 'CONFIRMED') AND c."completedAt" >= ${period.from} AND c."completedAt" < ${end}
             GROUP BY p.path`;
    const byId = new Map(rows.map((r) => [idOf.get(r.path), r.completed]));
    return valuesOf(organizations, KINDS, (id) => byId.get(id) ?? 0);
  },
  async evidence({ db, organization, period, today }) {
    if (!KINDS.includes(organization.kind)) return [];
    const end = new Date(measuredUntil(period, today).getTime() + 86_400_000);
    const claims = await db.communityDemandClaim.findMany({
      where: {
        status: { in: ['COMPLETED', 'CONFIRMED'] },
        completedAt: { gte: period.from, lt: end },
        organizationId: {
          in: (await db.organization.findMany({ where: { path: { startsWith: organization.path } }, select: { id: true } })).map(
            (o) => o.id,
          ),
        },
      },
      select: { id: true, completedAt: true, status: true, demand: { select: { title: true, community: { select: { name: true } } } } },
      orderBy: [{ completedAt: 'asc' }, { id: 'asc' }],
    });
    return claims.map((c) => ({
      type: 'CommunityDemandClaim',
      id: c.id,
      label: `${c.demand.community.name} ${c.demand.title}（${c.status === 'CONFIRMED' ? '社区已确认' : '已完成'}）`,
      date: c.completedAt,
      counts: true,
    }));
  },
};

/** The plugin's indicators, in the order they are offered. */
export const INDICATORS: readonly IndicatorDefinition[] = [serviceHoursIndicator, demandsCompletedIndicator];
