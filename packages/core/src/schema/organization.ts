import type { Prisma } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { organizationScope } from '../auth/subtree.ts';
import { InputError } from '../errors/errors.ts';
import { inSubtree } from '../auth/viewer.ts';
import { resolveUnder } from '../kit/under.ts';
import { modelRef } from './refs.ts';
import { decodeId } from './global-id.ts';
import type { Context } from '../context.ts';
import { requestLoader } from '../loaders.ts';
import { registerOrganizationMutations } from './organization-mutations.ts';
import { relatedPage, type RelatedPageSpec } from './related-pages.ts';
import { idsOnPath, isTermOverdue } from './organization-rules.ts';
import { utcToday } from '../kit/dates.ts';
import { OrganizationKind } from '@dangjian/db';
import { ON_ROLL } from './member-lifecycle-rules.ts';

const KIND_DESCRIPTIONS = {
  WORKING_COMMITTEE: { description: '机关工委 — the working committee leading all agency party organizations of a city or county' },
  COMMITTEE: { description: '党委 / 机关党委 — a party committee' },
  GENERAL_BRANCH: { description: '党总支 — a general branch' },
  BRANCH: { description: '党支部 — a branch' },
  TEMPORARY_BRANCH: { description: '临时党支部 — a temporary branch set up inside a reform or major project' },
  GROUP: { description: '党小组 — a party group inside a branch' },
} as const;

function defineKind(builder: Builder) {
  return builder.enumType(OrganizationKind, {
    name: 'OrganizationKind',
    description: '党组织类别 — kind of party organization, top down',
    values: KIND_DESCRIPTIONS,
  });
}

/** The GraphQL enum of organization kinds. */
export type OrganizationKindRef = ReturnType<typeof defineKind>;

/** A branch's members by name, paged per branch in SQL (see related-pages.ts). */
const MEMBERS_BY_NAME: RelatedPageSpec = {
  table: 'Member',
  foreignKey: 'organizationId',
  orderBy: ['name', 'id'],
  // Members who left or died are out of the roster (ON_ROLL in member-lifecycle-rules.ts).
  where: `t."standing" IN ('ACTIVE', 'SUSPENDED')`,
};

/** Direct members of many organizations in one grouped statement. */
async function countMembers(ctx: Context, ids: readonly string[]): Promise<number[]> {
  const rows = await ctx.db.member.groupBy({
    by: ['organizationId'],
    where: { organizationId: { in: [...ids] }, standing: { in: [...ON_ROLL] } },
    _count: { _all: true },
  });
  const byId = new Map(rows.map((r) => [r.organizationId, r._count._all]));
  return ids.map((id) => byId.get(id) ?? 0);
}

function descendantsWhere(org: { id: string; path: string }, kind: OrganizationKind[] | null | undefined): Prisma.OrganizationWhereInput {
  return { path: { startsWith: org.path }, NOT: { id: org.id }, ...(kind?.length ? { kind: { in: kind } } : {}) };
}

interface OrganizationFilterInput {
  kind?: OrganizationKind[] | null;
  under?: string | number | null;
  overdueTerm?: boolean | null;
  search?: string | null;
}

/** The `organizations` filter as a Prisma where, always inside the viewer's subtree. */
async function organizationsWhere(
  ctx: Context,
  filter: OrganizationFilterInput | null | undefined,
): Promise<Prisma.OrganizationWhereInput> {
  const f = filter ?? {};
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  const today = utcToday();
  return {
    AND: [
      { path: { startsWith: path } },
      f.kind?.length ? { kind: { in: f.kind } } : {},
      f.overdueTerm === true ? { termEnd: { lt: today } } : {},
      f.overdueTerm === false ? { OR: [{ termEnd: null }, { termEnd: { gte: today } }] } : {},
      f.search
        ? {
            OR: [
              { name: { contains: f.search, mode: 'insensitive' } },
              { code: { contains: f.search, mode: 'insensitive' } },
              { agency: { contains: f.search, mode: 'insensitive' } },
            ],
          }
        : {},
    ],
  };
}

/** 党组织 (Organization): the tree node type, its fields, queries and (beside it) mutations. */
export function registerOrganization(builder: Builder): void {
  const Kind = defineKind(builder);
  registerOrganizationMutations(builder, { Kind });

  const Filter = builder.inputType('OrganizationFilter', {
    description: '党组织筛选 — conditions on organizations (all must hold)',
    fields: (t) => ({
      kind: t.field({ type: [Kind], required: false, description: '类别 — any of these kinds' }),
      under: t.id({ required: false, description: '上级 — only this organization and everything below it' }),
      overdueTerm: t.boolean({ required: false, description: '换届逾期 — true: only overdue terms; false: only current ones' }),
      search: t.string({ required: false, description: '搜索 — part of the name, code or agency' }),
    }),
  });

  const OrganizationRef = modelRef(builder, 'Organization');
  const CadreRef = modelRef(builder, 'Cadre');

  builder.prismaNode('Organization', {
    description: '党组织 — a party organization: working committee, committee, general branch, branch or group',
    id: { field: 'id' },
    // `node(id:)` must not reach outside the viewer's subtree either.
    findUnique: (id, ctx) => ({ id, ...organizationScope(ctx) }),
    nullable: true,
    fields: (t) => ({
      kind: t.expose('kind', { type: Kind, description: '类别 — kind' }),
      name: t.exposeString('name', { description: '名称 — name, e.g. 市民政局机关党委' }),
      code: t.exposeString('code', { description: '编码 — unique organization code' }),
      agency: t.exposeString('agency', { nullable: true, description: '单位 — the agency it belongs to' }),
      depth: t.exposeInt('depth', { description: '层级 — 0 for a top-level working committee' }),
      termStart: t.expose('termStart', { type: 'Date', nullable: true, description: '本届开始 — start of the current term' }),
      termEnd: t.expose('termEnd', { type: 'Date', nullable: true, description: '本届届满 — end of the current term' }),
      termOverdue: t.boolean({
        description: '换届逾期 — the current term has ended without renewal (不按期换届)',
        resolve: (org) => isTermOverdue(org.termEnd),
      }),
      parent: t.field({
        type: OrganizationRef,
        nullable: true,
        description: '上级党组织 — parent (null at the top, or when the parent lies outside what you may see)',
        select: (_args, _ctx, nested) => ({ parent: nested(true) }),
        // The viewer's own organization is the top of what they see: its parent must not leak.
        resolve: (org, _args, ctx) => (org.parent && ctx.viewer && inSubtree(ctx.viewer, org.parent.path) ? org.parent : null),
      }),
      children: t.relation('children', {
        description: '下级党组织 — direct children, by code',
        query: { orderBy: { code: 'asc' } },
      }),
      ancestors: t.prismaField({
        type: ['Organization'],
        description: '上级链 — ancestors you may see, top down (excluding this one)',
        resolve: (query, org, _args, ctx) => {
          const ids = idsOnPath(org.path).filter((id) => id !== org.id);
          if (ids.length === 0) return [];
          return ctx.db.organization.findMany({
            ...query,
            where: { id: { in: ids }, ...organizationScope(ctx) },
            orderBy: { depth: 'asc' },
          });
        },
      }),
      descendants: t.prismaConnection({
        type: 'Organization',
        cursor: 'id',
        description: '下级全部 — every organization below this one (not itself)',
        args: { kind: t.arg({ type: [Kind], required: false, description: '类别 — any of these kinds' }) },
        resolve: (query, org, args, ctx) =>
          ctx.db.organization.findMany({ ...query, where: descendantsWhere(org, args.kind), orderBy: [{ depth: 'asc' }, { code: 'asc' }] }),
        totalCount: (org, args, ctx) => ctx.db.organization.count({ where: descendantsWhere(org, args.kind) }),
      }),
      terms: t.relation('terms', {
        description: '历届 — past terms, most recent first (kept by each 换届)',
        query: { orderBy: { renewedAt: 'desc' } },
      }),
      secretary: t.field({
        type: CadreRef,
        nullable: true,
        description: '书记 — the current secretary, null when the post is vacant',
        select: (_args, _ctx, nested) => ({
          cadres: nested({ where: { post: 'SECRETARY', endDate: null }, orderBy: { startDate: 'desc' }, take: 1 }),
        }),
        resolve: (org) => org.cadres[0] ?? null,
      }),
      committee: t.relation('cadres', {
        description: '委员会 — current holders of party-affairs posts in this organization',
        query: { where: { endDate: null }, orderBy: [{ post: 'asc' }, { startDate: 'asc' }] },
      }),
      members: t.prismaConnection({
        type: 'Member',
        cursor: 'id',
        description: '直属党员 — members whose membership belongs directly here, by name',
        resolve: (query, org, _args, ctx) =>
          relatedPage(ctx, 'Organization.members', MEMBERS_BY_NAME, query, org.id, (ids, planned) =>
            ctx.db.member.findMany({ ...planned, where: { id: { in: ids } } }),
          ),
        totalCount: (org, _args, ctx) =>
          requestLoader(ctx, 'organization.memberCount', (ids: readonly string[]) => countMembers(ctx, ids)).load(org.id),
      }),
      memberCount: t.relationCount('members', {
        description: '直属党员数 — members whose membership belongs directly here (on the roll: not those who left or died)',
        where: { standing: { in: [...ON_ROLL] } },
      }),
      subtreeMemberCount: t.exposeInt('subtreeMemberCount', {
        // A rollup column kept by database triggers in every writing transaction (migrations
        // subtree_member_rollup and subtree_member_rollup_on_roll): members on the roll only, as memberCount.
        description: '党员总数 — members on the roll here and in every organization below (not those who left or died)',
      }),
    }),
  });

  builder.prismaNode('OrganizationTerm', {
    description: '届 — a past term of an organization, kept by 换届',
    id: { field: 'id' },
    // A node so that indicator evidence can point at it; outside the viewer's subtree it answers like a missing one.
    findUnique: (id, ctx) => ({ id, organization: organizationScope(ctx) }),
    nullable: true,
    fields: (t) => ({
      termStart: t.expose('termStart', { type: 'Date', nullable: true, description: '开始' }),
      termEnd: t.expose('termEnd', { type: 'Date', nullable: true, description: '届满' }),
      renewedAt: t.expose('renewedAt', { type: 'DateTime', description: '换届时间 — when this term was closed by a renewal' }),
      note: t.exposeString('note', { nullable: true, description: '说明' }),
    }),
  });

  builder.queryField('organization', (t) =>
    t.prismaField({
      type: 'Organization',
      nullable: true,
      description:
        '党组织 — one organization by global ID or by code (exactly one of them); null when it does not exist or lies outside your subtree',
      authScopes: { authenticated: true },
      args: {
        id: t.arg.id({ required: false, description: '全局 ID' }),
        code: t.arg.string({ required: false, description: '组织代码 — e.g. SZJGGW-MZJ' }),
      },
      resolve: (query, _root, args, ctx) => {
        if ((args.id == null) === (args.code == null))
          throw new InputError(args.id == null ? 'id' : 'code', 'give exactly one of id and code');
        // A code outside the subtree answers like a missing one, exactly as an id does.
        const where = args.id != null ? { id: decodeId('Organization', String(args.id), 'id') } : { code: args.code! };
        return ctx.db.organization.findFirst({ ...query, where: { ...where, ...organizationScope(ctx) } });
      },
    }),
  );

  builder.queryField('organizations', (t) =>
    t.prismaConnection({
      type: 'Organization',
      cursor: 'id',
      description: '党组织列表 — organizations in your subtree, top down then by code',
      authScopes: { authenticated: true },
      args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件' }) },
      resolve: async (query, _root, args, ctx) =>
        ctx.db.organization.findMany({
          ...query,
          where: await organizationsWhere(ctx, args.filter),
          orderBy: [{ depth: 'asc' }, { code: 'asc' }],
        }),
      totalCount: async (_root, args, ctx) => ctx.db.organization.count({ where: await organizationsWhere(ctx, args.filter) }),
    }),
  );
}
