import {
  checkNotBefore,
  decodeId,
  ForbiddenError,
  InputError,
  loadOrganization,
  modelRef,
  NotFoundError,
  requireViewer,
  resolveUnder,
  type Builder,
} from '@dangjian/core';
import type { DisciplineClueChannel, DisciplineClueStatus, DisciplineDisposition } from '@dangjian/db';
import { visibleClueWhere } from './access.ts';
import type { Deps } from './deps.ts';
import { isDisciplineHead } from './clue-rules.ts';

const CHANNELS: DisciplineClueChannel[] = ['SUPERIOR', 'PEER', 'SUBORDINATE', 'PUBLIC'];
const STATUSES: DisciplineClueStatus[] = ['RECEIVED', 'UNDER_REVIEW', 'DISPOSED', 'CLOSED'];
const DISPOSITIONS: DisciplineDisposition[] = ['TALK_REMINDER', 'CRITICISM', 'ADMONISHMENT', 'PARTY_DISCIPLINE', 'CLOSED_NO_ACTION'];

interface Statistics {
  total: number;
  byChannel: { channel: DisciplineClueChannel; count: number }[];
  byStatus: { status: DisciplineClueStatus; count: number }[];
  byDisposition: { disposition: DisciplineDisposition; count: number }[];
}

/** Counts per value, every value listed (zero included) so the shape never depends on the data. */
function complete<K extends string, F extends string>(values: readonly K[], rows: { key: K | null; n: number }[], field: F) {
  const counts = new Map(rows.map((r) => [r.key, r.n]));
  return values.map((value) => ({ [field]: value, count: counts.get(value) ?? 0 }) as { [P in F]: K } & { count: number });
}

/** `clueStatistics` (counts only) and `clueAccessLog` (for the head of the receiving discipline body). */
export function registerClueStatistics(builder: Builder, { enums }: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');

  const ChannelCount = builder.objectRef<Statistics['byChannel'][number]>('ClueChannelCount').implement({
    description: '来源统计 — clues of one channel',
    fields: (t) => ({
      channel: t.field({ type: enums.Channel, description: '线索来源 — channel', resolve: (r) => r.channel }),
      count: t.exposeInt('count', { description: '件数 — clues' }),
    }),
  });
  const StatusCount = builder.objectRef<Statistics['byStatus'][number]>('ClueStatusCount').implement({
    description: '状态统计 — clues in one state',
    fields: (t) => ({
      status: t.field({ type: enums.Status, description: '线索状态 — state', resolve: (r) => r.status }),
      count: t.exposeInt('count', { description: '件数 — clues' }),
    }),
  });
  const DispositionCount = builder.objectRef<Statistics['byDisposition'][number]>('ClueDispositionCount').implement({
    description: '处置统计 — clues ended with one disposition',
    fields: (t) => ({
      disposition: t.field({ type: enums.Disposition, description: '处置方式 — disposition', resolve: (r) => r.disposition }),
      count: t.exposeInt('count', { description: '件数 — clues' }),
    }),
  });
  const StatisticsRef = builder.objectRef<Statistics>('ClueStatistics').implement({
    description: '线索统计 — counts of clues, never their content',
    fields: (t) => ({
      total: t.exposeInt('total', { description: '总数 — clues' }),
      byChannel: t.field({ type: [ChannelCount], description: '按来源 — per channel, every channel listed', resolve: (s) => s.byChannel }),
      byStatus: t.field({ type: [StatusCount], description: '按状态 — per state, every state listed', resolve: (s) => s.byStatus }),
      byDisposition: t.field({
        type: [DispositionCount],
        description: '按处置方式 — per disposition, every disposition listed',
        resolve: (s) => s.byDisposition,
      }),
    }),
  });

  builder.queryField('clueStatistics', (t) =>
    t.field({
      type: StatisticsRef,
      description:
        '线索统计 — clue counts by channel, state and disposition for the clues you may read (DISCIPLINE); zeros for anyone else',
      authScopes: { authenticated: true },
      args: {
        under: t.arg.id({
          required: false,
          description: '党组织 — clues received by this organization and everything below it (default: your own)',
        }),
        from: t.arg({ type: 'Date', required: false, description: '起始日期 — received on or after this day' }),
        to: t.arg({ type: 'Date', required: false, description: '截止日期 — received on or before this day' }),
      },
      resolve: async (_root, args, ctx) => {
        checkNotBefore(args.to, args.from, 'to', 'from');
        const path = await resolveUnder(ctx, args.under);
        const where = {
          ...(await visibleClueWhere(ctx, path)),
          ...(args.from || args.to
            ? { receivedAt: { ...(args.from ? { gte: args.from } : {}), ...(args.to ? { lte: args.to } : {}) } }
            : {}),
        };
        const [channels, statuses, dispositions] = await Promise.all([
          ctx.db.disciplineClue.groupBy({ by: ['channel'], where, _count: { _all: true } }),
          ctx.db.disciplineClue.groupBy({ by: ['status'], where, _count: { _all: true } }),
          ctx.db.disciplineClue.groupBy({ by: ['disposition'], where, _count: { _all: true } }),
        ]);
        return {
          total: channels.reduce((sum, r) => sum + r._count._all, 0),
          byChannel: complete(
            CHANNELS,
            channels.map((r) => ({ key: r.channel, n: r._count._all })),
            'channel',
          ),
          byStatus: complete(
            STATUSES,
            statuses.map((r) => ({ key: r.status, n: r._count._all })),
            'status',
          ),
          byDisposition: complete(
            DISPOSITIONS,
            dispositions.map((r) => ({ key: r.disposition, n: r._count._all })),
            'disposition',
          ),
        };
      },
    }),
  );

  builder.prismaObject('DisciplineClueAccessLog', {
    name: 'ClueAccessLogEntry',
    description: '线索查阅记录 — one request’s read of a clue: who, acting for which organization, when, which fields. Append-only.',
    fields: (t) => ({
      userId: t.exposeString('userId', { description: '查阅人 — user id of the reader' }),
      actingFor: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '查阅人所在党组织 — the organization the reader acted for (null outside your subtree)',
        resolve: (query, row, _args, ctx) => loadOrganization(ctx, row.organizationId, query),
      }),
      actingForId: t.exposeString('organizationId', {
        description: '查阅人所在党组织 ID — the raw id of that organization, kept even when outside your subtree',
      }),
      at: t.expose('at', { type: 'DateTime', description: '查阅时间 — when' }),
      fields: t.exposeStringList('fields', {
        description: '查阅字段 — the clue fields read (`reporter:withheld` when the reporter was asked for but not shown)',
      }),
    }),
  });

  builder.queryField('clueAccessLog', (t) =>
    t.prismaConnection(
      {
        type: 'DisciplineClueAccessLog',
        cursor: 'id',
        description:
          '线索查阅记录 — every read of a clue, oldest first (the head of the receiving discipline body: DISCIPLINE and ADMIN acting for the receiving organization)',
        authScopes: { authenticated: true },
        args: { clueId: t.arg.id({ required: true, description: '问题线索' }) },
        resolve: async (query, _root, args, ctx) => {
          const viewer = requireViewer(ctx);
          const id = decodeId('Clue', String(args.clueId), 'clueId');
          // Existence first, through the same gate as every other path: an unreadable clue is a missing one.
          const clue = await ctx.db.disciplineClue.findFirst({
            where: { id, ...(await visibleClueWhere(ctx)) },
            select: { id: true, receivingOrganizationId: true },
          });
          if (!clue) throw new NotFoundError('Clue', String(args.clueId));
          if (!isDisciplineHead(viewer, clue.receivingOrganizationId)) {
            throw new ForbiddenError(
              'only the head of the receiving discipline body (DISCIPLINE and ADMIN acting for it) lists the access log',
            );
          }
          return ctx.db.disciplineClueAccessLog.findMany({ ...query, where: { clueId: clue.id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
        },
        totalCount: async (_root, args, ctx) => {
          const id = decodeId('Clue', String(args.clueId), 'clueId');
          const clue = await ctx.db.disciplineClue.findFirst({
            where: { id, ...(await visibleClueWhere(ctx)) },
            select: { id: true, receivingOrganizationId: true },
          });
          if (!clue || !isDisciplineHead(requireViewer(ctx), clue.receivingOrganizationId)) return 0;
          return ctx.db.disciplineClueAccessLog.count({ where: { clueId: clue.id } });
        },
      },
      { description: '查阅记录分页 — a page of access-log entries with the total count' },
      { description: '查阅记录分页项 — one entry of a page' },
    ),
  );
}
