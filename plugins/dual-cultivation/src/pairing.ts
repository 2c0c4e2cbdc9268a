import {
  decodeId,
  InputError,
  loadMember,
  loadOrganization,
  modelRef,
  organizationIdsUnder,
  requestLoader,
  resolveUnder,
  type Builder,
  type Context,
} from '@dangjian/core';
import type { HelpPairingStatus, Prisma } from '@dangjian/db';
import { inViewerScope, money, viewerOrganizationIds, viewerOrganizationIdSet } from './access.ts';
import type { Deps } from './deps.ts';
import { DEFAULT_VISIT_WINDOW_DAYS, MAX_VISIT_WINDOW_DAYS, visitWindowProblem, visitWindowStart } from './pairing-rules.ts';
import { registerPairingMutations } from './pairing-mutations.ts';
import { registerPairingVisit } from './pairing-visit.ts';
import { utcToday } from './personal-data-rules.ts';

interface VisitStats {
  count: number;
  last: Date | null;
}

/** Visit count and latest visit of many pairings in one grouped statement. */
function visitStats(ctx: Context, pairingId: string): Promise<VisitStats> {
  return requestLoader<string, VisitStats>(ctx, 'dual-cultivation.visitStats', async (ids) => {
    const rows = await ctx.db.helpPairingVisit.groupBy({
      by: ['pairingId'],
      where: { pairingId: { in: [...ids] } },
      _count: { _all: true },
      _max: { date: true },
    });
    const byId = new Map(rows.map((r) => [r.pairingId, { count: r._count._all, last: r._max.date }]));
    return ids.map((id) => byId.get(id) ?? { count: 0, last: null });
  }).load(pairingId);
}

interface PairingFilterInput {
  under?: string | number | null;
  status?: HelpPairingStatus | null;
  memberId?: string | number | null;
  talentId?: string | number | null;
  householdId?: string | number | null;
}

async function pairingsWhere(ctx: Context, filter: PairingFilterInput | null | undefined): Promise<Prisma.HelpPairingWhereInput> {
  const f = filter ?? {};
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  return {
    organizationId: { in: await organizationIdsUnder(ctx, path) },
    ...(f.status ? { status: f.status } : {}),
    ...(f.memberId ? { memberId: decodeId('Member', String(f.memberId), 'filter.memberId') } : {}),
    ...(f.talentId ? { talentId: decodeId('Talent', String(f.talentId), 'filter.talentId') } : {}),
    ...(f.householdId ? { householdId: decodeId('DifficultHousehold', String(f.householdId), 'filter.householdId') } : {}),
  };
}

async function staleWhere(ctx: Context, under: string | number | null | undefined, days: number): Promise<Prisma.HelpPairingWhereInput> {
  const problem = visitWindowProblem(days);
  if (problem) throw new InputError('days', problem);
  const path = await resolveUnder(ctx, under);
  const since = visitWindowStart(utcToday(), days);
  return {
    organizationId: { in: await organizationIdsUnder(ctx, path) },
    status: 'OPEN',
    startedAt: { lte: since },
    visits: { none: { date: { gte: since } } },
  };
}

/** 结对子 (HelpPairing): the type and its queries; mutations and visits live beside it. */
export function registerPairing(builder: Builder, deps: Deps): void {
  const { enums } = deps;
  const OrganizationRef = modelRef(builder, 'Organization');
  const MemberRef = modelRef(builder, 'Member');
  const TalentRef = modelRef(builder, 'Talent');
  const HouseholdRef = modelRef(builder, 'DifficultHousehold');

  builder.prismaNode('HelpPairing', {
    description:
      '结对子 — a member paired with a talent (致富能人) or a household in difficulty (困难户), with goals, visits and an outcome',
    id: { field: 'id', description: '全局 ID — global ID' },
    nullable: true,
    findUnique: async (id, ctx) => ({ id, organizationId: { in: await viewerOrganizationIds(ctx) } }),
    fields: (t) => ({
      member: t.prismaField({
        type: MemberRef,
        nullable: true,
        description: '结对党员 — the member (null when the membership has since moved outside your subtree)',
        resolve: (query, p, _args, ctx) => loadMember(ctx, p.memberId, query),
      }),
      organization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '党组织 — the member’s organization when paired; the pairing is read and counted there',
        resolve: (query, p, _args, ctx) => loadOrganization(ctx, p.organizationId, query),
      }),
      talent: t.field({
        type: TalentRef,
        nullable: true,
        description: '结对致富能人 — the talent, for a pairing with a talent (null otherwise, or outside your subtree)',
        // Loaded with the pairing's own query, then held to the subtree: the talent may be followed elsewhere.
        select: (_args, _ctx, nested) => ({ talent: nested(true) }),
        resolve: async (p, _args, ctx) => (p.talent && (await viewerOrganizationIdSet(ctx)).has(p.talent.organizationId) ? p.talent : null),
      }),
      household: t.field({
        type: HouseholdRef,
        nullable: true,
        description: '结对困难户 — the household, for a pairing with a household (null otherwise, or outside your subtree)',
        select: (_args, _ctx, nested) => ({ household: nested(true) }),
        resolve: async (p, _args, ctx) =>
          p.household && (await viewerOrganizationIdSet(ctx)).has(p.household.organizationId) ? p.household : null,
      }),
      goals: t.exposeString('goals', { description: '帮扶目标 — goals of the pairing' }),
      status: t.expose('status', { type: enums.PairingStatus, description: '状态 — open or closed' }),
      startedAt: t.expose('startedAt', { type: 'Date', description: '结对日期 — when the pairing started' }),
      closedAt: t.expose('closedAt', { type: 'Date', nullable: true, description: '结束日期 — when it was closed (null while open)' }),
      result: t.exposeString('result', { nullable: true, description: '帮扶成效 — result stated when closing' }),
      incomeChange: t.field({
        type: 'Decimal',
        nullable: true,
        description: '收入变化 — yearly income change of the helped party in yuan (negative for a fall), stated when closing',
        resolve: (p) => money(p.incomeChange),
      }),
      jobsCreated: t.exposeInt('jobsCreated', { nullable: true, description: '带动就业 — jobs created, stated when closing' }),
      visits: t.relation('visits', {
        description: '走访帮扶记录 — visits and help given, most recent first',
        query: { orderBy: [{ date: 'desc' }, { createdAt: 'desc' }] },
      }),
      visitCount: t.int({
        description: '走访次数 — number of visits recorded',
        resolve: async (p, _args, ctx) => (await visitStats(ctx, p.id)).count,
      }),
      lastVisitedAt: t.field({
        type: 'Date',
        nullable: true,
        description: '最近走访 — date of the latest visit (null when none)',
        resolve: async (p, _args, ctx) => (await visitStats(ctx, p.id)).last,
      }),
    }),
  });

  const Filter = builder.inputType('HelpPairingFilter', {
    description: '结对筛选 — conditions on pairings (all must hold); always limited to your subtree',
    fields: (t) => ({
      under: t.id({ required: false, description: '党组织范围 — only pairings of this organization and below (default: your own)' }),
      status: t.field({ type: enums.PairingStatus, required: false, description: '状态 — only open or only closed pairings' }),
      memberId: t.id({ required: false, description: '党员 — only this member’s pairings' }),
      talentId: t.id({ required: false, description: '致富能人 — only pairings with this talent' }),
      householdId: t.id({ required: false, description: '困难户 — only pairings with this household' }),
    }),
  });

  builder.queryField('helpPairing', (t) =>
    t.prismaField({
      type: 'HelpPairing',
      nullable: true,
      description: '结对子 — one pairing by global ID; null when it does not exist or lies outside your subtree',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '全局 ID — global ID of the pairing' }) },
      resolve: async (query, _root, args, ctx) =>
        ctx.db.helpPairing.findFirst({
          ...query,
          where: { id: decodeId('HelpPairing', String(args.id), 'id'), ...(await inViewerScope(ctx)) },
        }),
    }),
  );

  builder.queryField('helpPairings', (t) =>
    t.prismaConnection(
      {
        type: 'HelpPairing',
        cursor: 'id',
        description: '结对列表 — pairings of your subtree, most recently started first',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件 — filter' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.helpPairing.findMany({
            ...query,
            where: await pairingsWhere(ctx, args.filter),
            orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.helpPairing.count({ where: await pairingsWhere(ctx, args.filter) }),
      },
      { description: '结对分页 — a page of pairings' },
      { description: '结对分页项 — one pairing with its cursor' },
    ),
  );

  builder.queryField('helpPairingsWithoutRecentVisit', (t) =>
    t.prismaConnection(
      {
        type: 'HelpPairing',
        cursor: 'id',
        description:
          '久未走访 — OPEN pairings of your subtree with no visit dated within the last `days` days (on or after today − days); pairings started within that window are not yet late. Oldest first.',
        authScopes: { authenticated: true },
        args: {
          under: t.arg.id({ required: false, description: '党组织 — this organization and everything below it (default: your own)' }),
          days: t.arg.int({
            required: true,
            defaultValue: DEFAULT_VISIT_WINDOW_DAYS,
            description: `天数 — the window, 1–${MAX_VISIT_WINDOW_DAYS} (default ${DEFAULT_VISIT_WINDOW_DAYS})`,
          }),
        },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.helpPairing.findMany({
            ...query,
            where: await staleWhere(ctx, args.under, args.days),
            orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.helpPairing.count({ where: await staleWhere(ctx, args.under, args.days) }),
      },
      { description: '久未走访分页 — a page of pairings lacking a recent visit' },
      { description: '久未走访分页项 — one pairing with its cursor' },
    ),
  );

  registerPairingMutations(builder, deps);
  registerPairingVisit(builder, deps);
}
