// Yearly figures of verified service hours: per member, per organization (its whole subtree), the
// leaderboard of organizations, and the members who registered but have not served. Every figure is one
// grouped statement, whatever the number of members or records.

import { decodeId, InputError, modelRef, requestLoader, requireViewer, resolveUnder, type Builder, type Context } from '@dangjian/core';
import { checkYear, formatTenths, toTenths, yearRange } from './community-rules.ts';
import { underIds } from './registration.ts';
import { isAgencyViewer, memberNames, ownedWhere, recordScope, scopedMember, scopedOrganization } from './scope.ts';
import type { Deps } from './deps.ts';

interface MemberHours {
  memberId: string;
  tenths: number;
  services: number;
}

interface OrganizationHours {
  organizationId: string;
  name: string;
  tenths: number;
  services: number;
  members: number;
}

function checkLimit(limit: number | null | undefined, field: string): number {
  const value = limit ?? 50;
  if (!Number.isInteger(value) || value < 1 || value > 500) throw new InputError(field, 'must be between 1 and 500');
  return value;
}

/**
 * Verified hours per `year:id` key, where the id is a member's or a community's: one grouped statement
 * per year asked, within the viewer's scope. Request loaders of both call it.
 */
export async function verifiedHoursBy(ctx: Context, column: 'memberId' | 'communityId', keys: readonly string[]): Promise<string[]> {
  const scope = await recordScope(ctx);
  const byYear = new Map<number, string[]>();
  for (const key of keys) {
    const [year, id] = key.split(':') as [string, string];
    byYear.set(Number(year), [...(byYear.get(Number(year)) ?? []), id]);
  }
  const sums = new Map<string, number>();
  for (const [year, ids] of byYear) {
    const { from, to } = yearRange(year);
    const rows = await ctx.db.communityServiceRecord.groupBy({
      by: [column],
      where: { AND: [ownedWhere(scope), { [column]: { in: ids }, status: 'VERIFIED', date: { gte: from, lt: to } }] },
      _sum: { hours: true },
    });
    for (const row of rows) sums.set(`${year}:${row[column]}`, toTenths(row._sum.hours));
  }
  return keys.map((k) => formatTenths(sums.get(k) ?? 0));
}

/** Verified hours filed in each organization's subtree in one year, one statement per year asked. */
async function hoursOfSubtrees(ctx: Context, keys: readonly string[]): Promise<string[]> {
  const byYear = new Map<number, string[]>();
  for (const key of keys) {
    const [year, path] = [key.slice(0, 4), key.slice(5)];
    byYear.set(Number(year), [...(byYear.get(Number(year)) ?? []), path]);
  }
  const sums = new Map<string, number>();
  for (const [year, paths] of byYear) {
    const { from, to } = yearRange(year);
    const rows = await ctx.db.$queryRaw<{ path: string; hours: string }[]>`
      SELECT p.path, coalesce(sum(s.hours), 0)::text AS hours
        FROM unnest(${paths}::text[]) AS p(path)
        JOIN "Organization" o ON o.path LIKE p.path || '%'
        JOIN "CommunityServiceRecord" s ON s."organizationId" = o.id
       WHERE s.status = 'VERIFIED' AND s.date >= ${from} AND s.date < ${to}
       GROUP BY p.path`;
    for (const row of rows) sums.set(`${year}:${row.path}`, toTenths(row.hours));
  }
  return keys.map((k) => formatTenths(sums.get(k) ?? 0));
}

/** The child organizations of a subtree ranked by the verified hours of their own subtrees. */
async function leaderboard(ctx: Context, path: string, year: number, limit: number): Promise<OrganizationHours[]> {
  const { from, to } = yearRange(year);
  const depth = path.split('/').filter(Boolean).length;
  const rows = await ctx.db.$queryRaw<{ id: string; name: string; hours: string; services: number; members: number }[]>`
    SELECT c.id, c.name, coalesce(sum(s.hours), 0)::text AS hours, count(s.id)::int AS services, count(DISTINCT s."memberId")::int AS members
      FROM "Organization" c
      LEFT JOIN "Organization" o ON o.path LIKE c.path || '%'
      LEFT JOIN "CommunityServiceRecord" s
        ON s."organizationId" = o.id AND s.status = 'VERIFIED' AND s.date >= ${from} AND s.date < ${to}
     WHERE c.path LIKE ${path} || '%' AND c.depth = ${depth}
     GROUP BY c.id, c.name, c.code
     ORDER BY coalesce(sum(s.hours), 0) DESC, c.code ASC
     LIMIT ${limit}`;
  return rows.map((r) => ({ organizationId: r.id, name: r.name, tenths: toTenths(r.hours), services: r.services, members: r.members }));
}

/** Figures of verified service hours, and the fields they add to Organization and Member. */
export function registerHours(builder: Builder, _deps: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');
  const MemberRef = modelRef(builder, 'Member');

  const MemberHoursRef = builder.objectRef<MemberHours>('MemberServiceHours').implement({
    description: '党员服务时长 — a member’s verified community service hours in a year',
    fields: (t) => ({
      memberId: t.id({
        description: '党员全局 ID — global ID of the member',
        resolve: (r) => Buffer.from(`Member:${r.memberId}`).toString('base64'),
      }),
      member: t.prismaField({
        type: MemberRef,
        nullable: true,
        description: '党员 — null outside your subtree (community administrators: see memberName)',
        resolve: (query, r, _a, ctx) => scopedMember(ctx, r.memberId, query),
      }),
      memberName: t.string({ description: '党员姓名', resolve: async (r, _a, ctx) => (await memberNames(ctx, r.memberId))?.name ?? '' }),
      organizationName: t.string({
        description: '所在党组织 — the member’s organization now',
        resolve: async (r, _a, ctx) => (await memberNames(ctx, r.memberId))?.organizationName ?? '',
      }),
      hours: t.field({
        type: 'Decimal',
        description: '已核实时长 — verified hours, one decimal place',
        resolve: (r) => formatTenths(r.tenths),
      }),
      services: t.int({ description: '服务次数 — verified service records', resolve: (r) => r.services }),
    }),
  });

  const OrganizationHoursRef = builder.objectRef<OrganizationHours>('OrganizationServiceHours').implement({
    description: '党组织服务时长 — verified community service hours of an organization and everything below it in a year',
    fields: (t) => ({
      organization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '党组织',
        resolve: (query, r, _a, ctx) => scopedOrganization(ctx, r.organizationId, query),
      }),
      name: t.string({ description: '名称 — the organization’s name', resolve: (r) => r.name }),
      hours: t.field({
        type: 'Decimal',
        description: '已核实时长 — verified hours, one decimal place',
        resolve: (r) => formatTenths(r.tenths),
      }),
      services: t.int({ description: '服务次数 — verified service records', resolve: (r) => r.services }),
      members: t.int({ description: '服务人数 — distinct members with verified service', resolve: (r) => r.members }),
    }),
  });

  builder.queryField('communityServiceHoursByMember', (t) =>
    t.field({
      type: [MemberHoursRef],
      description:
        '党员服务时长排行 — verified hours per member in a year, most first (your subtree’s; a community administrator: served in their community)',
      authScopes: { authenticated: true },
      args: {
        year: t.arg.int({ required: false, description: '年度 — year (default: this year)' }),
        under: t.arg.id({ required: false, description: '党组织 — only records filed under this organization and below it' }),
        communityId: t.arg.id({ required: false, description: '社区 — only services in this community' }),
        limit: t.arg.int({ required: false, description: '条数 — how many members, 1 to 500 (default 50)' }),
      },
      resolve: async (_root, args, ctx) => {
        const year = checkYear(args.year, 'year');
        const limit = checkLimit(args.limit, 'limit');
        const communityId = args.communityId ? decodeId('Community', String(args.communityId), 'communityId') : null;
        const [scope, under] = await Promise.all([recordScope(ctx), underIds(ctx, args.under, 'under')]);
        const { from, to } = yearRange(year);
        const rows = await ctx.db.communityServiceRecord.groupBy({
          by: ['memberId'],
          where: {
            AND: [
              ownedWhere(scope),
              { status: 'VERIFIED', date: { gte: from, lt: to } },
              communityId ? { communityId } : {},
              under ? { organizationId: { in: under } } : {},
            ],
          },
          _sum: { hours: true },
          _count: { _all: true },
          orderBy: [{ _sum: { hours: 'desc' } }, { memberId: 'asc' }],
          take: limit,
        });
        return rows.map((r) => ({ memberId: r.memberId, tenths: toTenths(r._sum.hours), services: r._count._all }));
      },
    }),
  );

  builder.queryField('communityServiceLeaderboard', (t) =>
    t.field({
      type: [OrganizationHoursRef],
      description:
        '党组织服务时长排行 — the organizations directly under `under` (default: your own) ranked by the verified hours of their subtrees in a year',
      authScopes: { authenticated: true },
      args: {
        year: t.arg.int({ required: false, description: '年度 — year (default: this year)' }),
        under: t.arg.id({ required: false, description: '党组织 — rank the organizations directly under this one (default: your own)' }),
        limit: t.arg.int({ required: false, description: '条数 — how many organizations, 1 to 500 (default 50)' }),
      },
      resolve: async (_root, args, ctx) => {
        const year = checkYear(args.year, 'year');
        const limit = checkLimit(args.limit, 'limit');
        // A community administrator ranks nothing: no organization lies in their (empty) agency subtree.
        if (!isAgencyViewer(requireViewer(ctx))) {
          if (args.under) await underIds(ctx, args.under, 'under');
          return [];
        }
        const path = await resolveUnder(ctx, args.under);
        return leaderboard(ctx, path, year, limit);
      },
    }),
  );

  builder.prismaObjectField('Organization', 'communityServiceHours', (t) =>
    t.field({
      type: 'Decimal',
      description: '社区服务时长 — verified community service hours filed in this organization and below it in a year',
      args: { year: t.arg.int({ required: false, description: '年度 — year (default: this year)' }) },
      resolve: (org, args, ctx) => {
        const year = checkYear(args.year, 'year');
        return requestLoader(ctx, 'community-report.subtreeHours', (keys: readonly string[]) => hoursOfSubtrees(ctx, keys)).load(
          `${year}:${org.path}`,
        );
      },
    }),
  );

  builder.prismaObjectField('Member', 'communityServiceHours', (t) =>
    t.field({
      type: 'Decimal',
      description: '社区服务时长 — the member’s verified community service hours in a year (records you may see)',
      args: { year: t.arg.int({ required: false, description: '年度 — year (default: this year)' }) },
      resolve: (member, args, ctx) => {
        const year = checkYear(args.year, 'year');
        return requestLoader(ctx, 'community-report.memberHours', (keys: readonly string[]) => verifiedHoursBy(ctx, 'memberId', keys)).load(
          `${year}:${member.id}`,
        );
      },
    }),
  );

  builder.queryField('registeredMembersWithoutService', (t) =>
    t.prismaConnection(
      {
        type: 'CommunityRegistration',
        cursor: 'id',
        description: '报到未服务 — active personal registrations whose member has no verified service (that you may see) in the year',
        authScopes: { authenticated: true },
        args: {
          year: t.arg.int({ required: false, description: '年度 — year (default: this year)' }),
          under: t.arg.id({ required: false, description: '党组织 — only registrations filed under this organization and below it' }),
          communityId: t.arg.id({ required: false, description: '社区 — only registrations with this community' }),
        },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.communityRegistration.findMany({
            ...query,
            where: await withoutServiceWhere(ctx, args),
            orderBy: [{ date: 'asc' }, { id: 'asc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.communityRegistration.count({ where: await withoutServiceWhere(ctx, args) }),
      },
      { description: '报到未服务分页 — a page of registrations with the total count' },
      { description: '报到未服务分页项 — one registration of a page' },
    ),
  );
}

/** Active personal registrations in scope whose member has no verified service in scope that year. */
async function withoutServiceWhere(
  ctx: Context,
  args: { year?: number | null; under?: string | number | null; communityId?: string | number | null },
) {
  const year = checkYear(args.year, 'year');
  const communityId = args.communityId ? decodeId('Community', String(args.communityId), 'communityId') : null;
  const [scope, under] = await Promise.all([recordScope(ctx), underIds(ctx, args.under, 'under')]);
  // Cached per year: the page and its totalCount share one grouped statement.
  const served = await requestLoader<number, string[]>(ctx, 'community-report.servedMembers', async (years) =>
    Promise.all(
      years.map(async (y) => {
        const { from, to } = yearRange(y);
        const rows = await ctx.db.communityServiceRecord.groupBy({
          by: ['memberId'],
          where: { AND: [ownedWhere(scope), { status: 'VERIFIED', date: { gte: from, lt: to } }] },
        });
        return rows.map((r) => r.memberId);
      }),
    ),
  ).load(year);
  return {
    AND: [
      ownedWhere(scope),
      { status: 'REGISTERED' as const, memberId: { not: null, notIn: served } },
      communityId ? { communityId } : {},
      under ? { organizationId: { in: under } } : {},
    ],
  };
}
