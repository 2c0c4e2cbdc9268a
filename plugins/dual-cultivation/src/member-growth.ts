import {
  checkNotBefore,
  checkNotFuture,
  decodeId,
  IDEMPOTENCY_KEY_ARG,
  InputError,
  loadMember,
  loadOrganization,
  modelRef,
  organizationIdsUnder,
  requiredText,
  resolveUnder,
  type Builder,
  type Context,
} from '@dangjian/core';
import type { MemberGrowthKind, Prisma } from '@dangjian/db';
import { findMemberInScope, money, viewerOrganizationIds, WRITERS } from './access.ts';
import type { Deps } from './deps.ts';
import { isoDate, moneyProblem } from './personal-data-rules.ts';

const KIND_LABELS: Record<MemberGrowthKind, string> = { TRAINING: '参加技能培训', PROJECT: '创办项目', INCOME: '增收' };

interface GrowthFilterInput {
  under?: string | number | null;
  memberId?: string | number | null;
  kind?: MemberGrowthKind[] | null;
  from?: Date | null;
  to?: Date | null;
}

async function growthWhere(ctx: Context, filter: GrowthFilterInput | null | undefined): Promise<Prisma.MemberGrowthRecordWhereInput> {
  const f = filter ?? {};
  checkNotBefore(f.to, f.from, 'filter.to', 'filter.from');
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  return {
    organizationId: { in: await organizationIdsUnder(ctx, path) },
    ...(f.memberId ? { memberId: decodeId('Member', String(f.memberId), 'filter.memberId') } : {}),
    ...(f.kind?.length ? { kind: { in: f.kind } } : {}),
    ...(f.from || f.to ? { date: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
  };
}

/** 党员成长记录 (MemberGrowthRecord): 党员培养成致富能手 — training, projects and income of members. */
export function registerMemberGrowth(builder: Builder, { api, enums }: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');
  const MemberRef = modelRef(builder, 'Member');

  builder.prismaNode('MemberGrowthRecord', {
    description:
      '党员成长记录 — one step of a member growing into a leader of prosperity: skills training, a project started, or income raised',
    id: { field: 'id', description: '全局 ID — global ID' },
    nullable: true,
    findUnique: async (id, ctx) => ({ id, organizationId: { in: await viewerOrganizationIds(ctx) } }),
    fields: (t) => ({
      kind: t.expose('kind', { type: enums.GrowthKind, description: '类别 — training, project or income' }),
      description: t.exposeString('description', { description: '内容 — what was learned, started or earned' }),
      amount: t.field({
        type: 'Decimal',
        nullable: true,
        description: '金额 — yuan with two decimals: the income raised (INCOME) or the investment (PROJECT, optional); null for TRAINING',
        resolve: (r) => money(r.amount),
      }),
      date: t.expose('date', { type: 'Date', description: '日期 — when it happened' }),
      member: t.prismaField({
        type: MemberRef,
        nullable: true,
        description: '党员 — the member (null when the membership has since moved outside your subtree)',
        resolve: (query, r, _args, ctx) => loadMember(ctx, r.memberId, query),
      }),
      organization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '党组织 — the member’s organization when it was recorded (the yearly figures count it there)',
        resolve: (query, r, _args, ctx) => loadOrganization(ctx, r.organizationId, query),
      }),
    }),
  });

  const Filter = builder.inputType('MemberGrowthFilter', {
    description: '成长记录筛选 — conditions on growth records (all must hold); always limited to your subtree',
    fields: (t) => ({
      under: t.id({ required: false, description: '党组织范围 — only records of this organization and below (default: your own)' }),
      memberId: t.id({ required: false, description: '党员 — only this member’s records' }),
      kind: t.field({ type: [enums.GrowthKind], required: false, description: '类别 — any of these kinds' }),
      from: t.field({ type: 'Date', required: false, description: '起始日期 — on or after this day' }),
      to: t.field({ type: 'Date', required: false, description: '截止日期 — on or before this day' }),
    }),
  });

  builder.queryField('memberGrowthRecords', (t) =>
    t.prismaConnection(
      {
        type: 'MemberGrowthRecord',
        cursor: 'id',
        description: '党员成长记录 — growth records of members of your subtree, most recent first',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件 — filter' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.memberGrowthRecord.findMany({
            ...query,
            where: await growthWhere(ctx, args.filter),
            orderBy: [{ date: 'desc' }, { id: 'desc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.memberGrowthRecord.count({ where: await growthWhere(ctx, args.filter) }),
      },
      { description: '成长记录分页 — a page of growth records' },
      { description: '成长记录分页项 — one growth record with its cursor' },
    ),
  );

  const RecordInput = builder.inputType('RecordMemberGrowthInput', {
    description: '登记党员成长 — one training, project or income raised by a member',
    fields: (t) => ({
      memberId: t.id({ required: true, description: '党员 — a member of your subtree' }),
      kind: t.field({ type: enums.GrowthKind, required: true, description: '类别 — training, project or income' }),
      description: t.string({ required: true, description: '内容 — at most 500 characters' }),
      amount: t.field({
        type: 'Decimal',
        required: false,
        description:
          '金额 — yuan, at most two decimals, not negative: required for INCOME, optional for PROJECT (investment), not given for TRAINING',
      }),
      date: t.field({ type: 'Date', required: true, description: '日期 — not in the future, not before the member joined' }),
    }),
  });

  builder.mutationField('recordMemberGrowth', (t) =>
    t.prismaField({
      type: 'MemberGrowthRecord',
      description: '登记党员成长 — record a member’s training, project or income raised (ADMIN or SECRETARY)',
      authScopes: WRITERS,
      args: {
        input: t.arg({ type: RecordInput, required: true, description: '成长记录 — the record' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const description = requiredText(input.description, 'input.description', 'short', 500);
        checkNotFuture(input.date, 'input.date');
        const amount = input.amount ?? null;
        if (input.kind === 'INCOME' && amount === null) throw new InputError('input.amount', 'is required for INCOME: the yuan raised');
        if (input.kind === 'TRAINING' && amount !== null) throw new InputError('input.amount', 'is not given for TRAINING');
        const problem = amount === null ? null : moneyProblem(amount, false);
        if (problem) throw new InputError('input.amount', problem);
        return api.transact(ctx, async (tx, publish) => {
          const member = await findMemberInScope(tx, ctx, String(input.memberId), 'input.memberId');
          checkNotBefore(input.date, member.joinedAt, 'input.date', 'the day the member joined');
          const record = await tx.memberGrowthRecord.create({
            ...query,
            data: { memberId: member.id, organizationId: member.organizationId, kind: input.kind, description, amount, date: input.date },
          });
          await publish('dual-cultivation.growthRecorded', {
            organization: member.organization,
            subjectType: 'MemberGrowthRecord',
            subjectId: record.id,
            summary: `${member.name}${KIND_LABELS[input.kind]}：${description}${amount !== null ? `（${amount}元）` : ''}`,
            data: { kind: input.kind, date: isoDate(input.date), amount },
          });
          return record;
        });
      },
    }),
  );
}
