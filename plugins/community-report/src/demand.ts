import {
  decodeId,
  IDEMPOTENCY_KEY_ARG,
  IllegalStateError,
  NotFoundError,
  optionalText,
  requestLoader,
  requiredText,
  type Builder,
  type Context,
} from '@dangjian/core';
import type { CommunityDemandKind, CommunityDemandStatus, Prisma } from '@dangjian/db';
import { checkCapacity } from './community-rules.ts';
import type { Deps } from './deps.ts';
import { COMMUNITY_WRITERS, communityWhere, requireAdminCommunity } from './scope.ts';

/** Claims taken on many demands, in one grouped statement (capacity is a property of the demand, so all claims count). */
async function countClaims(ctx: Context, demandIds: readonly string[]): Promise<number[]> {
  const rows = await ctx.db.communityDemandClaim.groupBy({
    by: ['demandId'],
    where: { demandId: { in: [...demandIds] } },
    _count: { _all: true },
  });
  const byId = new Map(rows.map((r) => [r.demandId, r._count._all]));
  return demandIds.map((id) => byId.get(id) ?? 0);
}

interface DemandFilterInput {
  communityId?: string | number | null;
  status?: CommunityDemandStatus | null;
  kind?: CommunityDemandKind | null;
}

/** The `communityDemands` filter as a Prisma where, always among the communities the viewer sees. */
function demandsWhere(ctx: Context, filter: DemandFilterInput | null | undefined): Prisma.CommunityDemandWhereInput {
  const f = filter ?? {};
  const communityId = f.communityId ? decodeId('Community', String(f.communityId), 'filter.communityId') : null;
  return {
    community: communityWhere(ctx),
    ...(communityId ? { communityId } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
  };
}

/** 需求清单 (CommunityDemand): the type, `communityDemands`, `publishCommunityDemand`, `closeCommunityDemand`. */
export function registerDemand(builder: Builder, { api, enums }: Deps): void {
  builder.prismaNode('CommunityDemand', {
    description: '需求 — an entry of a community’s demand list (需求清单): a micro-wish, help post or service project members may claim',
    id: { field: 'id', description: '全局 ID — global ID' },
    // Demands are public within the department (members must find them to claim), never beyond it.
    findUnique: (id, ctx) => ({ id, community: communityWhere(ctx) }),
    nullable: true,
    fields: (t) => ({
      kind: t.expose('kind', { type: enums.DemandKind, description: '类别 — micro-wish, help post or service project' }),
      title: t.exposeString('title', { description: '标题 — title, e.g. 为独居老人代购药品' }),
      description: t.exposeString('description', { nullable: true, description: '说明 — details' }),
      capacity: t.exposeInt('capacity', { description: '名额 — how many members may claim it' }),
      remainingCapacity: t.int({
        description: '剩余名额 — places left to claim',
        resolve: async (demand, _args, ctx) =>
          Math.max(
            0,
            demand.capacity -
              (await requestLoader(ctx, 'community-report.claimCounts', (ids: readonly string[]) => countClaims(ctx, ids)).load(demand.id)),
          ),
      }),
      status: t.expose('status', { type: enums.DemandStatus, description: '状态 — open for claims or closed' }),
      publishedAt: t.expose('createdAt', { type: 'DateTime', description: '发布时间 — when the community published it' }),
      community: t.relation('community', { description: '社区 — the community that published it' }),
    }),
  });

  const Filter = builder.inputType('CommunityDemandFilter', {
    description: '需求筛选 — conditions on demands (all must hold)',
    fields: (t) => ({
      communityId: t.id({ required: false, description: '社区 — only this community’s demands' }),
      status: t.field({ type: enums.DemandStatus, required: false, description: '状态 — e.g. OPEN for a community’s open demands' }),
      kind: t.field({ type: enums.DemandKind, required: false, description: '类别 — only this kind' }),
    }),
  });

  builder.queryField('communityDemands', (t) =>
    t.prismaConnection(
      {
        type: 'CommunityDemand',
        cursor: 'id',
        description: '需求清单 — demands of the communities you see, newest first',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件' }) },
        resolve: (query, _root, args, ctx) =>
          ctx.db.communityDemand.findMany({
            ...query,
            where: demandsWhere(ctx, args.filter),
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          }),
        totalCount: (_root, args, ctx) => ctx.db.communityDemand.count({ where: demandsWhere(ctx, args.filter) }),
      },
      { description: '需求分页 — a page of demands with the total count' },
      { description: '需求分页项 — one demand of a page' },
    ),
  );

  const PublishInput = builder.inputType('PublishCommunityDemandInput', {
    description: '发布需求 — a demand or post of your community',
    fields: (t) => ({
      kind: t.field({ type: enums.DemandKind, required: true, description: '类别 — kind' }),
      title: t.string({ required: true, description: '标题 — at most 100 characters' }),
      description: t.string({ required: false, description: '说明 — at most 2000 characters' }),
      capacity: t.int({ required: true, description: '名额 — how many members may claim it, 1 to 1000' }),
    }),
  });

  builder.mutationField('publishCommunityDemand', (t) =>
    t.prismaField({
      type: 'CommunityDemand',
      description: '发布需求 — publish a demand on your community’s demand list (COMMUNITY_ADMIN)',
      authScopes: COMMUNITY_WRITERS,
      args: {
        input: t.arg({ type: PublishInput, required: true, description: '需求信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const kind: CommunityDemandKind = input.kind;
        const title = requiredText(input.title, 'input.title', 'name', 100);
        const description = optionalText(input.description, 'input.description', 'long', 2000);
        const capacity = checkCapacity(input.capacity, 'input.capacity');
        const communityId = await requireAdminCommunity(ctx);
        return api.transact(ctx, (tx) =>
          tx.communityDemand.create({ ...query, data: { communityId, kind, title, description, capacity } }),
        );
      },
    }),
  );

  builder.mutationField('closeCommunityDemand', (t) =>
    t.prismaField({
      type: 'CommunityDemand',
      description: '关闭需求 — stop taking claims on a demand of your community (COMMUNITY_ADMIN); existing claims go on',
      authScopes: COMMUNITY_WRITERS,
      args: { id: t.arg.id({ required: true, description: '需求 — global ID' }) },
      resolve: async (query, _root, args, ctx) => {
        const id = decodeId('CommunityDemand', String(args.id), 'id');
        const communityId = await requireAdminCommunity(ctx);
        return api.transact(ctx, async (tx) => {
          const demand = await tx.communityDemand.findFirst({ where: { id, communityId } });
          if (!demand) throw new NotFoundError('CommunityDemand', String(args.id));
          if (demand.status !== 'OPEN') throw new IllegalStateError(`the demand is already ${demand.status}`, demand.status);
          return tx.communityDemand.update({ ...query, where: { id }, data: { status: 'CLOSED' } });
        });
      },
    }),
  );
}
