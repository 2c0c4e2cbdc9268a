import {
  activityDetails,
  type ActivityEvent,
  activitySubscription,
  type Builder,
  type Context,
  decodeId,
  loadMember,
  loadOrganization,
  modelRef,
  requireViewer,
  resolveUnder,
} from '@dangjian/core';
import type { DisciplineClueChannel, DisciplineClueStatus, Prisma } from '@dangjian/db';
import { visibleClueWhere } from './access.ts';
import { audited } from './clue-audit.ts';
import { isDisciplineHead } from './clue-rules.ts';
import type { Deps } from './deps.ts';

interface Reporter {
  name: string;
  contact: string | null;
}

interface ClueFilterInput {
  under?: string | number | null;
  status?: DisciplineClueStatus[] | null;
  channel?: DisciplineClueChannel[] | null;
}

async function cluesWhere(ctx: Context, filter: ClueFilterInput | null | undefined): Promise<Prisma.DisciplineClueWhereInput> {
  const f = filter ?? {};
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  return {
    ...(await visibleClueWhere(ctx, path)),
    ...(f.status?.length ? { status: { in: f.status } } : {}),
    ...(f.channel?.length ? { channel: { in: f.channel } } : {}),
  };
}

/**
 * 问题线索 (Clue): the type, `clue`, `clues` and the `clueReceived` subscription. Every path goes through
 * `visibleClueWhere`, and every field resolved on a clue — its id included — is written to the access log
 * before it is returned.
 */
export function registerClue(builder: Builder, { api, enums }: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');
  const MemberRef = modelRef(builder, 'Member');

  const ReporterRef = builder.objectRef<Reporter>('ClueReporter').implement({
    description: '举报人 — who reported a clue; shown only to the head of the receiving discipline body',
    fields: (t) => ({
      name: t.exposeString('name', { description: '姓名 — name' }),
      contact: t.exposeString('contact', { nullable: true, description: '联系方式 — how to reach them, if given' }),
    }),
  });

  builder.prismaNode('DisciplineClue', {
    name: 'Clue',
    description:
      '问题线索 — a confidential clue about a member or organization. Readable only by DISCIPLINE acting for the receiving organization or a superior, never by its subject; every read is logged.',
    id: { resolve: (clue, ctx) => audited(ctx, clue.id, 'id', clue.id) },
    findUnique: async (id, ctx) => ({ ...(await visibleClueWhere(ctx)), id }),
    nullable: true,
    fields: (t) => ({
      channel: t.field({
        type: enums.Channel,
        description: '线索来源 — channel',
        resolve: (c, _a, ctx) => audited(ctx, c.id, 'channel', c.channel),
      }),
      anonymous: t.boolean({
        description: '匿名 — true when the reporter gave no name',
        resolve: (c, _a, ctx) => audited(ctx, c.id, 'anonymous', c.reporterName === null),
      }),
      reporter: t.field({
        type: ReporterRef,
        nullable: true,
        description:
          '举报人 — null when anonymous, and withheld (null) unless you hold DISCIPLINE and ADMIN acting for the receiving organization (纪委书记)',
        resolve: (c, _a, ctx) => {
          const head = isDisciplineHead(requireViewer(ctx), c.receivingOrganizationId);
          const value = head && c.reporterName !== null ? { name: c.reporterName, contact: c.reporterContact } : null;
          return audited(ctx, c.id, head ? 'reporter' : 'reporter:withheld', value);
        },
      }),
      subjectMember: t.prismaField({
        type: MemberRef,
        nullable: true,
        description: '被反映党员 — the member the clue is about (null when it is about an organization)',
        resolve: async (query, c, _a, ctx) =>
          audited(ctx, c.id, 'subjectMember', c.subjectMemberId ? await loadMember(ctx, c.subjectMemberId, query) : null),
      }),
      subjectOrganization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '被反映党组织 — the organization the clue is about (null when it is about a member)',
        resolve: async (query, c, _a, ctx) =>
          audited(
            ctx,
            c.id,
            'subjectOrganization',
            c.subjectOrganizationId ? await loadOrganization(ctx, c.subjectOrganizationId, query) : null,
          ),
      }),
      receivingOrganization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '受理党组织 — the organization whose discipline body received it',
        resolve: async (query, c, _a, ctx) =>
          audited(ctx, c.id, 'receivingOrganization', await loadOrganization(ctx, c.receivingOrganizationId, query)),
      }),
      content: t.string({ description: '线索内容 — what was reported', resolve: (c, _a, ctx) => audited(ctx, c.id, 'content', c.content) }),
      receivedAt: t.field({
        type: 'Date',
        description: '受理日期 — the day it was received',
        resolve: (c, _a, ctx) => audited(ctx, c.id, 'receivedAt', c.receivedAt),
      }),
      status: t.field({
        type: enums.Status,
        description: '线索状态 — state',
        resolve: (c, _a, ctx) => audited(ctx, c.id, 'status', c.status),
      }),
      disposition: t.field({
        type: enums.Disposition,
        nullable: true,
        description: '处置方式 — how it ended (null until disposed of or closed)',
        resolve: (c, _a, ctx) => audited(ctx, c.id, 'disposition', c.disposition),
      }),
      decision: t.string({
        nullable: true,
        description: '处置意见 — the decision text',
        resolve: (c, _a, ctx) => audited(ctx, c.id, 'decision', c.decision),
      }),
      decidedAt: t.field({
        type: 'Date',
        nullable: true,
        description: '处置日期 — the day of the decision',
        resolve: (c, _a, ctx) => audited(ctx, c.id, 'decidedAt', c.decidedAt),
      }),
      deciderId: t.string({
        nullable: true,
        description: '处置人 — user id of who recorded the decision',
        resolve: (c, _a, ctx) => audited(ctx, c.id, 'deciderId', c.deciderId),
      }),
      registeredBy: t.string({
        description: '登记人 — user id of who registered it',
        resolve: (c, _a, ctx) => audited(ctx, c.id, 'registeredBy', c.registeredBy),
      }),
      registeredAt: t.field({
        type: 'DateTime',
        description: '登记时间 — when it was registered',
        resolve: (c, _a, ctx) => audited(ctx, c.id, 'registeredAt', c.createdAt),
      }),
    }),
  });

  builder.queryField('clue', (t) =>
    t.prismaField({
      type: 'DisciplineClue',
      nullable: true,
      description: '问题线索 — one clue by global ID; null when it does not exist or you may not read it (the two are indistinguishable)',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '全局 ID' }) },
      resolve: async (query, _root, args, ctx) =>
        ctx.db.disciplineClue.findFirst({
          ...query,
          where: { id: decodeId('Clue', String(args.id), 'id'), ...(await visibleClueWhere(ctx)) },
        }),
    }),
  );

  const Filter = builder.inputType('ClueFilter', {
    description: '线索筛选 — conditions on clues (all must hold)',
    fields: (t) => ({
      under: t.id({
        required: false,
        description: '党组织 — clues received by this organization and everything below it (default: your own)',
      }),
      status: t.field({ type: [enums.Status], required: false, description: '线索状态 — any of these states' }),
      channel: t.field({ type: [enums.Channel], required: false, description: '线索来源 — any of these channels' }),
    }),
  });

  builder.queryField('clues', (t) =>
    t.prismaConnection(
      {
        type: 'DisciplineClue',
        cursor: 'id',
        description:
          '问题线索列表 — clues you may read (DISCIPLINE, received in your subtree, not about you), most recently received first; empty for anyone else',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.disciplineClue.findMany({
            ...query,
            where: await cluesWhere(ctx, args.filter),
            orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.disciplineClue.count({ where: await cluesWhere(ctx, args.filter) }),
      },
      { description: '线索分页 — a page of clues with the total count' },
      { description: '线索分页项 — one clue of a page' },
    ),
  );

  builder.subscriptionField('clueReceived', (t) =>
    t.prismaField({
      type: 'DisciplineClue',
      description:
        '新线索 — streams clues as they are received in a subtree, to those who may read them (DISCIPLINE, not the subject); silent for anyone else',
      authScopes: { authenticated: true },
      args: {
        under: t.arg.id({ required: false, description: '党组织 — watch this organization and everything below it (default: your own)' }),
      },
      subscribe: (_root, args, ctx) =>
        activitySubscription(ctx, {
          kinds: ['discipline.clueReceived'],
          under: args.under,
          // Only clues this viewer may read (DISCIPLINE, not about themselves) are streamed.
          refine: async (event, path) => {
            const subjectId = (await activityDetails(ctx, event))?.subjectId;
            return (
              !!subjectId && (await ctx.db.disciplineClue.count({ where: { id: subjectId, ...(await visibleClueWhere(ctx, path)) } })) > 0
            );
          },
        }),
      resolve: async (query, event, _args, ctx) => {
        const { subjectId } = (await activityDetails(ctx, event as unknown as ActivityEvent))!;
        return ctx.db.disciplineClue.findUniqueOrThrow({ ...query, where: { id: subjectId! } });
      },
    }),
  );
}
