import {
  activityDetails,
  type ActivityEvent,
  activitySubscription,
  checkNotBefore,
  checkNotFuture,
  IDEMPOTENCY_KEY_ARG,
  isoDate,
  requiredText,
} from '@dangjian/core';
import {
  decodeId,
  IllegalStateError,
  InputError,
  modelRef,
  NotFoundError,
  resolveUnder,
  requireViewer,
  type Builder,
  type Context,
} from '@dangjian/core';
import type { CommunityServiceKind, CommunityServiceStatus, Prisma } from '@dangjian/db';
import { dailyLimitError, formatTenths, nextServiceStatus, parseServiceHours, toTenths } from './community-rules.ts';
import { SERVICE_KIND_LABELS } from './enums.ts';
import type { Deps } from './deps.ts';
import { assertRegistered, underIds } from './registration.ts';
import {
  activityOrganization,
  AGENCY_WRITERS,
  COMMUNITY_WRITERS,
  findCommunity,
  findMemberForWrite,
  memberNames,
  ownedWhere,
  recordScope,
  requireAdminCommunity,
  scopedMember,
} from './scope.ts';

interface ServiceFilterInput {
  communityId?: string | number | null;
  under?: string | number | null;
  memberId?: string | number | null;
  status?: CommunityServiceStatus | null;
  kind?: CommunityServiceKind | null;
  from?: Date | null;
  to?: Date | null;
}

async function servicesWhere(
  ctx: Context,
  filter: ServiceFilterInput | null | undefined,
): Promise<Prisma.CommunityServiceRecordWhereInput> {
  const f = filter ?? {};
  checkNotBefore(f.to, f.from, 'filter.to', 'filter.from');
  const communityId = f.communityId ? decodeId('Community', String(f.communityId), 'filter.communityId') : null;
  const memberId = f.memberId ? decodeId('Member', String(f.memberId), 'filter.memberId') : null;
  const [scope, under] = await Promise.all([recordScope(ctx), underIds(ctx, f.under, 'filter.under')]);
  return {
    AND: [
      ownedWhere(scope),
      communityId ? { communityId } : {},
      memberId ? { memberId } : {},
      under ? { organizationId: { in: under } } : {},
      f.status ? { status: f.status } : {},
      f.kind ? { kind: f.kind } : {},
      f.from || f.to ? { date: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {},
    ],
  };
}

/** 服务记录 (CommunityServiceRecord): the type, its list, recording, verification by the community, and a subscription. */
export function registerService(builder: Builder, { api, enums }: Deps): void {
  const MemberRef = modelRef(builder, 'Member');

  builder.prismaNode('CommunityServiceRecord', {
    description: '服务记录 — hours a member served in a community (便民服务, 文明交通劝导, 创城 …), verified by the community',
    id: { field: 'id', description: '全局 ID — global ID' },
    findUnique: async (id, ctx) => ({ id, ...ownedWhere(await recordScope(ctx)) }),
    nullable: true,
    fields: (t) => ({
      member: t.prismaField({
        type: MemberRef,
        nullable: true,
        description: '党员 — who served; null outside your subtree (community administrators: see memberName)',
        resolve: (query, record, _args, ctx) => scopedMember(ctx, record.memberId, query),
      }),
      memberName: t.string({
        description: '党员姓名 — who served (shown to the community too)',
        resolve: async (record, _args, ctx) => (await memberNames(ctx, record.memberId))?.name ?? '',
      }),
      organizationName: t.string({
        description: '所在党组织 — the member’s organization when serving',
        resolve: async (record, _args, ctx) => (await memberNames(ctx, record.memberId))?.organizationName ?? '',
      }),
      community: t.relation('community', { description: '社区 — where the service took place' }),
      kind: t.expose('kind', { type: enums.ServiceKind, description: '类别 — kind of service' }),
      date: t.expose('date', { type: 'Date', description: '服务日期 — the day served' }),
      hours: t.field({
        type: 'Decimal',
        description: '时长 — hours, with one decimal place (e.g. "2.5")',
        resolve: (record) => formatTenths(toTenths(record.hours)),
      }),
      description: t.exposeString('description', { description: '服务内容 — what was done' }),
      status: t.expose('status', { type: enums.ServiceStatus, description: '状态 — submitted, verified or rejected' }),
      rejectReason: t.exposeString('rejectReason', {
        nullable: true,
        description: '驳回理由 — why the community rejected it (null otherwise)',
      }),
      reviewedAt: t.expose('reviewedAt', {
        type: 'DateTime',
        nullable: true,
        description: '核实时间 — when the community verified or rejected it',
      }),
    }),
  });

  const Filter = builder.inputType('CommunityServiceFilter', {
    description: '服务记录筛选 — conditions on service records (all must hold)',
    fields: (t) => ({
      communityId: t.id({ required: false, description: '社区 — only services in this community' }),
      under: t.id({ required: false, description: '党组织 — only services of members filed under this organization and below it' }),
      memberId: t.id({ required: false, description: '党员 — only this member’s services' }),
      status: t.field({ type: enums.ServiceStatus, required: false, description: '状态 — e.g. SUBMITTED for those awaiting verification' }),
      kind: t.field({ type: enums.ServiceKind, required: false, description: '类别 — only this kind' }),
      from: t.field({ type: 'Date', required: false, description: '起始日期 — served on or after this day' }),
      to: t.field({ type: 'Date', required: false, description: '截止日期 — served on or before this day' }),
    }),
  });

  builder.queryField('communityServiceRecords', (t) =>
    t.prismaConnection(
      {
        type: 'CommunityServiceRecord',
        cursor: 'id',
        description:
          '服务记录列表 — service records you may see (your subtree’s; a community administrator: their community’s), most recent first',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.communityServiceRecord.findMany({
            ...query,
            where: await servicesWhere(ctx, args.filter),
            orderBy: [{ date: 'desc' }, { id: 'desc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.communityServiceRecord.count({ where: await servicesWhere(ctx, args.filter) }),
      },
      { description: '服务记录分页 — a page of service records with the total count' },
      { description: '服务记录分页项 — one service record of a page' },
    ),
  );

  const RecordInput = builder.inputType('RecordCommunityServiceInput', {
    description: '登记服务 — hours a member served in a community',
    fields: (t) => ({
      memberId: t.id({
        required: true,
        description: '党员 — a member of your subtree registered (personally or through their organization) with the community',
      }),
      communityId: t.id({ required: true, description: '社区 — where the service took place' }),
      kind: t.field({ type: enums.ServiceKind, required: true, description: '类别 — kind of service' }),
      date: t.field({ type: 'Date', required: true, description: '服务日期 — not in the future' }),
      hours: t.field({
        type: 'Decimal',
        required: true,
        description:
          '时长 — more than 0, at most 12, one decimal place; the member’s submitted and verified hours of one day total at most 12',
      }),
      description: t.string({ required: true, description: '服务内容 — what was done, at most 1000 characters' }),
    }),
  });

  builder.mutationField('recordCommunityService', (t) =>
    t.prismaField({
      type: 'CommunityServiceRecord',
      description: '登记服务 — submit a member’s service hours for the community to verify (ADMIN or SECRETARY)',
      authScopes: AGENCY_WRITERS,
      args: {
        input: t.arg({ type: RecordInput, required: true, description: '服务信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const kind: CommunityServiceKind = input.kind;
        const memberId = decodeId('Member', String(input.memberId), 'input.memberId');
        const communityId = decodeId('Community', String(input.communityId), 'input.communityId');
        const tenths = parseServiceHours(input.hours, 'input.hours');
        checkNotFuture(input.date, 'input.date');
        const description = requiredText(input.description, 'input.description', 'short');
        return api.transact(ctx, async (tx) => {
          const community = await findCommunity(tx, ctx, communityId, String(input.communityId));
          const member = await findMemberForWrite(tx, ctx, memberId, String(input.memberId));
          await assertRegistered(tx, member, community, 'input.memberId');
          // One member's day is summed and written under a lock on that member, so two concurrent
          // submissions cannot both fit under the 12-hour limit.
          await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${`community-report:service-day:${memberId}`}))`;
          const day = await tx.communityServiceRecord.aggregate({
            where: { memberId, date: input.date, status: { not: 'REJECTED' } },
            _sum: { hours: true },
          });
          const over = dailyLimitError(toTenths(day._sum.hours), tenths);
          if (over) throw new InputError('input.hours', over);
          return tx.communityServiceRecord.create({
            ...query,
            data: {
              memberId,
              organizationId: member.organization.id,
              communityId,
              kind,
              date: input.date,
              hours: formatTenths(tenths),
              description,
            },
          });
        });
      },
    }),
  );

  /** Verifies or rejects a submitted record of the administrator's own community. */
  const review =
    (action: 'verify' | 'reject') =>
    async (
      query: { include?: Prisma.CommunityServiceRecordInclude; select?: Prisma.CommunityServiceRecordSelect },
      globalId: string,
      reason: string | null,
      ctx: Context,
    ) => {
      const id = decodeId('CommunityServiceRecord', globalId, 'id');
      const communityId = await requireAdminCommunity(ctx);
      const viewer = requireViewer(ctx);
      return api.transact(ctx, async (tx, publish) => {
        const record = await tx.communityServiceRecord.findFirst({ where: { id, communityId }, include: { community: true } });
        if (!record) throw new NotFoundError('CommunityServiceRecord', globalId);
        const next = nextServiceStatus(record.status, action);
        if (!next) throw new IllegalStateError(`a ${record.status} service record cannot be reviewed again`, record.status);
        const updated = await tx.communityServiceRecord.update({
          ...query,
          where: { id },
          data: { status: next, rejectReason: reason, reviewedAt: new Date(), reviewedBy: viewer.userId },
        });
        if (next === 'VERIFIED') {
          const name = (await tx.member.findUnique({ where: { id: record.memberId }, select: { name: true } }))?.name ?? '';
          const hours = formatTenths(toTenths(record.hours));
          await publish('community-report.serviceVerified', {
            organization: await activityOrganization(tx, record.organizationId, record.community.rootOrganizationId),
            subjectType: 'CommunityServiceRecord',
            subjectId: id,
            summary: `${record.community.name}核实${name}${SERVICE_KIND_LABELS[record.kind]}${hours}小时`,
            data: { memberId: record.memberId, communityId, kind: record.kind, date: isoDate(record.date), hours },
          });
        }
        return updated;
      });
    };

  builder.mutationField('verifyCommunityService', (t) =>
    t.prismaField({
      type: 'CommunityServiceRecord',
      description: '核实服务 — the community verifies a submitted service record in it (SUBMITTED → VERIFIED; COMMUNITY_ADMIN)',
      authScopes: COMMUNITY_WRITERS,
      args: { id: t.arg.id({ required: true, description: '服务记录 — global ID' }) },
      resolve: (query, _root, args, ctx) => review('verify')(query, String(args.id), null, ctx),
    }),
  );

  builder.mutationField('rejectCommunityService', (t) =>
    t.prismaField({
      type: 'CommunityServiceRecord',
      description: '驳回服务 — the community rejects a submitted service record in it (SUBMITTED → REJECTED; COMMUNITY_ADMIN)',
      authScopes: COMMUNITY_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '服务记录 — global ID' }),
        reason: t.arg.string({ required: true, description: '驳回理由 — why, at most 500 characters' }),
      },
      resolve: (query, _root, args, ctx) =>
        review('reject')(query, String(args.id), requiredText(args.reason, 'reason', 'short', 500), ctx),
    }),
  );

  const ServiceRef = modelRef(builder, 'CommunityServiceRecord');
  builder.subscriptionField('communityServiceVerified', (t) =>
    t.field({
      type: ServiceRef,
      nullable: true,
      description: '服务核实 — service records of your subtree as communities verify them',
      authScopes: { authenticated: true },
      args: { under: t.arg.id({ required: false, description: '党组织 — watch this organization and below it (default: your own)' }) },
      subscribe: (_root, args, ctx) => activitySubscription(ctx, { kinds: ['community-report.serviceVerified'], under: args.under }),
      resolve: async (event: unknown, _args, ctx) => {
        const activity = await activityDetails(ctx, event as ActivityEvent);
        if (!activity?.subjectId) return null;
        return ctx.db.communityServiceRecord.findFirst({ where: { id: activity.subjectId, ...ownedWhere(await recordScope(ctx)) } });
      },
    }),
  );
}
