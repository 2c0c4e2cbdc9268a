import { IDEMPOTENCY_KEY_ARG, uniqueOrConflict } from '@dangjian/core';
import {
  ConflictError,
  decodeId,
  IllegalStateError,
  modelRef,
  NotFoundError,
  requestLoader,
  requiredText,
  requireViewer,
  rootOf,
  type Builder,
  type Context,
} from '@dangjian/core';
import type { CommunityDemandClaim, CommunityDemandClaimStatus, Prisma } from '@dangjian/db';
import { nextClaimStatus } from './community-rules.ts';
import { DEMAND_KIND_LABELS } from './enums.ts';
import type { Deps } from './deps.ts';
import { assertRegistered } from './registration.ts';
import {
  activityOrganization,
  AGENCY_WRITERS,
  claimWhere,
  COMMUNITY_WRITERS,
  findMemberForWrite,
  isAgencyViewer,
  memberNames,
  recordScope,
  requireAdminCommunity,
  scopedMember,
} from './scope.ts';

/** Claims of many demands that the viewer may see, in one statement. */
async function loadClaims(ctx: Context, demandIds: readonly string[]): Promise<CommunityDemandClaim[][]> {
  const rows = await ctx.db.communityDemandClaim.findMany({
    where: { AND: [claimWhere(await recordScope(ctx)), { demandId: { in: [...demandIds] } }] },
    orderBy: [{ claimedAt: 'asc' }, { id: 'asc' }],
  });
  const byDemand = new Map<string, CommunityDemandClaim[]>();
  for (const row of rows) byDemand.set(row.demandId, [...(byDemand.get(row.demandId) ?? []), row]);
  return demandIds.map((id) => byDemand.get(id) ?? []);
}

interface ClaimFilterInput {
  communityId?: string | number | null;
  demandId?: string | number | null;
  status?: CommunityDemandClaimStatus | null;
}

async function claimsWhere(ctx: Context, filter: ClaimFilterInput | null | undefined): Promise<Prisma.CommunityDemandClaimWhereInput> {
  const f = filter ?? {};
  const communityId = f.communityId ? decodeId('Community', String(f.communityId), 'filter.communityId') : null;
  const demandId = f.demandId ? decodeId('CommunityDemand', String(f.demandId), 'filter.demandId') : null;
  return {
    AND: [
      claimWhere(await recordScope(ctx)),
      communityId ? { demand: { communityId } } : {},
      demandId ? { demandId } : {},
      f.status ? { status: f.status } : {},
    ],
  };
}

/** A row of the demand, locked for the rest of the transaction so concurrent claims queue up behind it. */
interface LockedDemand {
  id: string;
  communityId: string;
  kind: keyof typeof DEMAND_KIND_LABELS;
  title: string;
  capacity: number;
  status: string;
}

/** 认领 (CommunityDemandClaim): the type, `communityDemandClaims`, claiming, completing and confirming. */
export function registerClaim(builder: Builder, { api, enums }: Deps): void {
  const MemberRef = modelRef(builder, 'Member');

  builder.prismaNode('CommunityDemandClaim', {
    description: '认领 — a member’s claim of a community demand, completed with a report and confirmed by the community',
    id: { field: 'id', description: '全局 ID — global ID' },
    findUnique: async (id, ctx) => ({ id, AND: [claimWhere(await recordScope(ctx))] }),
    nullable: true,
    fields: (t) => ({
      demand: t.relation('demand', { description: '需求 — the demand claimed' }),
      member: t.prismaField({
        type: MemberRef,
        nullable: true,
        description: '党员 — who claimed it; null outside your subtree (community administrators: see memberName)',
        resolve: (query, claim, _args, ctx) => scopedMember(ctx, claim.memberId, query),
      }),
      memberName: t.string({
        description: '党员姓名 — who claimed it (shown to the community too)',
        resolve: async (claim, _args, ctx) => (await memberNames(ctx, claim.memberId))?.name ?? '',
      }),
      organizationName: t.string({
        description: '所在党组织 — the claimant’s organization when claiming',
        resolve: async (claim, _args, ctx) => (await memberNames(ctx, claim.memberId))?.organizationName ?? '',
      }),
      status: t.expose('status', { type: enums.ClaimStatus, description: '状态 — claimed, completed or confirmed' }),
      report: t.exposeString('report', {
        nullable: true,
        description: '完成情况 — the member’s report of what was done (null until completed)',
      }),
      claimedAt: t.expose('claimedAt', { type: 'DateTime', description: '认领时间' }),
      completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true, description: '完成时间 — null until completed' }),
      confirmedAt: t.expose('confirmedAt', {
        type: 'DateTime',
        nullable: true,
        description: '确认时间 — null until the community confirms',
      }),
    }),
  });

  const ClaimRef = modelRef(builder, 'CommunityDemandClaim');
  builder.prismaObjectField('CommunityDemand', 'claims', (t) =>
    t.field({
      type: [ClaimRef],
      description: '认领情况 — claims of this demand you may see (your subtree’s; a community administrator: all), oldest first',
      resolve: (demand, _args, ctx) =>
        requestLoader(ctx, 'community-report.claims', (ids: readonly string[]) => loadClaims(ctx, ids)).load(demand.id),
    }),
  );

  const Filter = builder.inputType('CommunityDemandClaimFilter', {
    description: '认领筛选 — conditions on claims (all must hold)',
    fields: (t) => ({
      communityId: t.id({ required: false, description: '社区 — only claims of this community’s demands' }),
      demandId: t.id({ required: false, description: '需求 — only claims of this demand' }),
      status: t.field({ type: enums.ClaimStatus, required: false, description: '状态 — e.g. COMPLETED for claims awaiting confirmation' }),
    }),
  });

  builder.queryField('communityDemandClaims', (t) =>
    t.prismaConnection(
      {
        type: 'CommunityDemandClaim',
        cursor: 'id',
        description: '认领列表 — claims you may see, newest first',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.communityDemandClaim.findMany({
            ...query,
            where: await claimsWhere(ctx, args.filter),
            orderBy: [{ claimedAt: 'desc' }, { id: 'desc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.communityDemandClaim.count({ where: await claimsWhere(ctx, args.filter) }),
      },
      { description: '认领分页 — a page of claims with the total count' },
      { description: '认领分页项 — one claim of a page' },
    ),
  );

  builder.mutationField('claimCommunityDemand', (t) =>
    t.prismaField({
      type: 'CommunityDemandClaim',
      description:
        '认领需求 — a member of your subtree claims an open demand of a community they (or their organization) registered with, within its capacity (ADMIN or SECRETARY)',
      authScopes: AGENCY_WRITERS,
      args: {
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
        demandId: t.arg.id({ required: true, description: '需求 — global ID' }),
        memberId: t.arg.id({ required: true, description: '党员 — the member claiming it' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const demandId = decodeId('CommunityDemand', String(args.demandId), 'demandId');
        const memberId = decodeId('Member', String(args.memberId), 'memberId');
        const viewer = requireViewer(ctx);
        return api.transact(ctx, async (tx, publish) => {
          // The row lock serializes claims of one demand: two concurrent claims cannot both see a free place.
          const [demand] = await tx.$queryRaw<LockedDemand[]>`
            SELECT d.id, d."communityId", d.kind::text AS kind, d.title, d.capacity, d.status::text AS status
              FROM "CommunityDemand" d JOIN "Community" c ON c.id = d."communityId"
             WHERE d.id = ${demandId} AND c."rootOrganizationId" = ${rootOf(viewer)}
               FOR UPDATE OF d`;
          if (!demand || !isAgencyViewer(viewer)) throw new NotFoundError('CommunityDemand', String(args.demandId));
          if (demand.status !== 'OPEN') throw new IllegalStateError(`the demand is ${demand.status}`, demand.status);
          const member = await findMemberForWrite(tx, ctx, memberId, String(args.memberId));
          const community = await tx.community.findUniqueOrThrow({ where: { id: demand.communityId }, select: { id: true, name: true } });
          await assertRegistered(tx, member, community, 'memberId');
          const duplicate = () => new ConflictError(`${member.name} has already claimed this demand`, { field: 'memberId' });
          if ((await tx.communityDemandClaim.count({ where: { demandId, memberId } })) > 0) throw duplicate();
          const taken = await tx.communityDemandClaim.count({ where: { demandId } });
          if (taken >= demand.capacity)
            throw new ConflictError(`the demand is full: all ${demand.capacity} places are claimed`, { capacity: demand.capacity });
          const claim = await uniqueOrConflict(
            () => tx.communityDemandClaim.create({ ...query, data: { demandId, memberId, organizationId: member.organization.id } }),
            duplicate,
          );
          await publish('community-report.demandClaimed', {
            organization: member.organization,
            subjectType: 'CommunityDemandClaim',
            subjectId: claim.id,
            summary: `${member.name}认领${community.name}${DEMAND_KIND_LABELS[demand.kind]}：${demand.title}`,
            data: { demandId, communityId: community.id, memberId },
          });
          return claim;
        });
      },
    }),
  );

  builder.mutationField('completeCommunityDemandClaim', (t) =>
    t.prismaField({
      type: 'CommunityDemandClaim',
      description: '完成认领 — report a claim of your subtree as done (CLAIMED → COMPLETED; ADMIN or SECRETARY)',
      authScopes: AGENCY_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '认领 — global ID' }),
        report: t.arg.string({ required: true, description: '完成情况 — what was done, at most 2000 characters' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const id = decodeId('CommunityDemandClaim', String(args.id), 'id');
        const report = requiredText(args.report, 'report', 'long', 2000);
        const scope = await recordScope(ctx);
        return api.transact(ctx, async (tx, publish) => {
          const claim = await tx.communityDemandClaim.findFirst({
            where: { id, organizationId: { in: scope.organizationIds ?? [] } },
            include: { demand: { select: { title: true, community: { select: { name: true, rootOrganizationId: true } } } } },
          });
          if (!claim) throw new NotFoundError('CommunityDemandClaim', String(args.id));
          const next = nextClaimStatus(claim.status, 'complete');
          if (!next) throw new IllegalStateError(`a ${claim.status} claim cannot be completed`, claim.status);
          const updated = await tx.communityDemandClaim.update({
            ...query,
            where: { id },
            data: { status: next, report, completedAt: new Date() },
          });
          const name = (await tx.member.findUnique({ where: { id: claim.memberId }, select: { name: true } }))?.name ?? '';
          await publish('community-report.demandCompleted', {
            organization: await activityOrganization(tx, claim.organizationId, claim.demand.community.rootOrganizationId),
            subjectType: 'CommunityDemandClaim',
            subjectId: id,
            summary: `${name}完成${claim.demand.community.name}需求：${claim.demand.title}`,
            data: { demandId: claim.demandId, memberId: claim.memberId },
          });
          return updated;
        });
      },
    }),
  );

  builder.mutationField('confirmCommunityDemandClaim', (t) =>
    t.prismaField({
      type: 'CommunityDemandClaim',
      description: '确认完成 — the community confirms a completed claim of its own demand (COMPLETED → CONFIRMED; COMMUNITY_ADMIN)',
      authScopes: COMMUNITY_WRITERS,
      args: { id: t.arg.id({ required: true, description: '认领 — global ID' }) },
      resolve: async (query, _root, args, ctx) => {
        const id = decodeId('CommunityDemandClaim', String(args.id), 'id');
        const communityId = await requireAdminCommunity(ctx);
        return api.transact(ctx, async (tx) => {
          const claim = await tx.communityDemandClaim.findFirst({ where: { id, demand: { communityId } } });
          if (!claim) throw new NotFoundError('CommunityDemandClaim', String(args.id));
          const next = nextClaimStatus(claim.status, 'confirm');
          if (!next) throw new IllegalStateError(`a ${claim.status} claim cannot be confirmed`, claim.status);
          return tx.communityDemandClaim.update({ ...query, where: { id }, data: { status: next, confirmedAt: new Date() } });
        });
      },
    }),
  );
}
