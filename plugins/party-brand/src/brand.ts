import {
  type Builder,
  type Context,
  decodeId,
  InputError,
  loadOrganization,
  modelRef,
  optionalText,
  organizationIdsUnder,
  requestLoader,
  requireViewer,
  resolveUnder,
  scopePath,
} from '@dangjian/core';
import type { PartyBrand, PartyBrandPlan, PartyBrandState, Prisma } from '@dangjian/db';
import { HOLDING_STATES } from './brand-rules.ts';
import type { Deps } from './deps.ts';
import { brandScope, planOrganizationIds } from './scope.ts';

interface BrandFilterInput {
  plan?: string | number | null;
  state?: PartyBrandState[] | null;
  under?: string | number | null;
  search?: string | null;
}

/** The `brands` filter as a Prisma where, always inside the viewer's subtree. */
async function brandsWhere(ctx: Context, filter: BrandFilterInput | null | undefined): Promise<Prisma.PartyBrandWhereInput> {
  const f = filter ?? {};
  const search = optionalText(f.search, 'filter.search', 'name', 100);
  const planId = f.plan === null || f.plan === undefined ? null : decodeId('BrandPlan', String(f.plan), 'filter.plan');
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  return {
    AND: [
      { organizationId: { in: await organizationIdsUnder(ctx, path) } },
      planId ? { planId } : {},
      f.state?.length ? { state: { in: f.state } } : {},
      search
        ? {
            OR: [
              { name: { contains: search, mode: 'insensitive' } },
              { slogan: { contains: search, mode: 'insensitive' } },
              { business: { contains: search, mode: 'insensitive' } },
              { description: { contains: search, mode: 'insensitive' } },
            ],
          }
        : {},
    ],
  };
}

/** The plan with this id if the viewer may read it (a plan of their subtree or of a committee above), else null. */
export function loadPlan(ctx: Context, id: string): Promise<PartyBrandPlan | null> {
  return requestLoader<string, PartyBrandPlan | null>(ctx, 'party-brand.plan', async (ids) => {
    const visible = await planOrganizationIds(ctx, scopePath(requireViewer(ctx)));
    const rows = await ctx.db.partyBrandPlan.findMany({ where: { id: { in: [...ids] }, organizationId: { in: visible } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((i) => byId.get(i) ?? null);
  }).load(id);
}

/** The brand an organization holds now (一个支部一个品牌: at most one not returned or revoked). */
function loadCurrentBrand(ctx: Context, organizationId: string): Promise<PartyBrand | null> {
  return requestLoader<string, PartyBrand | null>(ctx, 'party-brand.currentBrand', async (ids) => {
    const rows = await ctx.db.partyBrand.findMany({ where: { organizationId: { in: [...ids] }, state: { in: [...HOLDING_STATES] } } });
    const byOrg = new Map(rows.map((r) => [r.organizationId, r]));
    return ids.map((i) => byOrg.get(i) ?? null);
  }).load(organizationId);
}

/** 党建品牌 (Brand): the type, `brand`, `brands` and `Organization.currentBrand`. */
export function registerBrand(builder: Builder, { enums }: Deps): void {
  builder.prismaNode('PartyBrand', {
    name: 'Brand',
    description: '党建品牌 — an organization’s party-building brand tying party work to its agency’s business (一个支部一个品牌)',
    id: { field: 'id' },
    // `node(id:)` must answer for a brand outside the viewer's subtree exactly as for a missing one.
    findUnique: async (id, ctx) => ({ id, ...(await brandScope(ctx)) }),
    nullable: true,
    fields: (t) => ({
      organization: t.prismaField({
        type: modelRef(builder, 'Organization'),
        nullable: true,
        description: '党组织 — the organization whose brand it is (null only if it has since left your subtree)',
        resolve: (query, brand, _args, ctx) => loadOrganization(ctx, brand.organizationId, query),
      }),
      plan: t.field({
        type: modelRef(builder, 'PartyBrandPlan'),
        nullable: true,
        description: '品牌创建规划 — the plan it was applied under; null when none',
        resolve: (brand, _args, ctx) => (brand.planId ? loadPlan(ctx, brand.planId) : null),
      }),
      name: t.exposeString('name', { description: '品牌名称 — name, e.g. 为民强政' }),
      slogan: t.exposeString('slogan', { nullable: true, description: '品牌口号 — slogan' }),
      business: t.exposeString('business', { description: '党建+业务 — the business it serves, written 党建+X (e.g. 党建+科技)' }),
      description: t.exposeString('description', { nullable: true, description: '品牌内涵 — what the brand means' }),
      goals: t.exposeString('goals', { nullable: true, description: '创建目标 — what it sets out to achieve' }),
      measures: t.exposeString('measures', { nullable: true, description: '主要举措 — how it will get there' }),
      state: t.expose('state', { type: enums.State, description: '状态 — current state' }),
      history: t.relation('transitions', {
        description: '状态记录 — every state change with actor, time and comment, oldest first',
        query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
      }),
      evaluations: t.relation('evaluations', {
        description: '年度测评 — the committee’s yearly evaluations, oldest year first',
        query: { orderBy: { year: 'asc' } },
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime', description: '创建时间 — when the draft was created' }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime', description: '更新时间 — when it last changed' }),
    }),
  });

  builder.prismaObjectField('Organization', 'currentBrand', (t) =>
    t.field({
      type: modelRef(builder, 'PartyBrand'),
      nullable: true,
      description: '当前党建品牌 — the brand this organization holds now (not returned or revoked); null when none',
      resolve: (org, _args, ctx) => loadCurrentBrand(ctx, org.id),
    }),
  );

  const Filter = builder.inputType('BrandFilter', {
    description: '党建品牌筛选 — conditions on brands (all must hold)',
    fields: (t) => ({
      plan: t.id({ required: false, description: '品牌创建规划 — only brands applied under this plan' }),
      state: t.field({ type: [enums.State], required: false, description: '状态 — any of these states (a single value is accepted too)' }),
      under: t.id({
        required: false,
        description: '党组织 — only brands of this organization and everything below it (default: your own)',
      }),
      search: t.string({
        required: false,
        description: '关键词 — text in the name, slogan, business or description (at most 100 characters)',
      }),
    }),
  });

  builder.queryField('brand', (t) =>
    t.prismaField({
      type: 'PartyBrand',
      nullable: true,
      description: '党建品牌 — one brand by global ID; null when it does not exist or lies outside your subtree',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '全局 ID — global ID of the brand' }) },
      resolve: async (query, _root, args, ctx) =>
        ctx.db.partyBrand.findFirst({ ...query, where: { id: decodeId('Brand', String(args.id), 'id'), ...(await brandScope(ctx)) } }),
    }),
  );

  builder.queryField('brands', (t) =>
    t.prismaConnection(
      {
        type: 'PartyBrand',
        cursor: 'id',
        description: '党建品牌列表 — brands in your subtree, most recently changed first',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件 — filter' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.partyBrand.findMany({
            ...query,
            where: await brandsWhere(ctx, args.filter),
            orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.partyBrand.count({ where: await brandsWhere(ctx, args.filter) }),
      },
      { description: '党建品牌分页 — a page of brands with the total count' },
      { description: '党建品牌分页项 — one brand of a page' },
    ),
  );
}
