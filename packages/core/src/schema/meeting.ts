import type { Prisma } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { organizationScope } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { requestLoader } from '../loaders.ts';
import { resolveUnder } from '../kit/under.ts';
import { decodeId } from './global-id.ts';
import { registerMeetingMutations } from './meeting-mutations.ts';
import { registerMeetingShortfalls } from './meeting-shortfalls.ts';
import { registerMeetingShortfallConnection } from './meeting-shortfall-connection.ts';
import { checkNotBefore } from '../kit/validate/index.ts';
import { MeetingKind } from '@dangjian/db';

function defineKind(builder: Builder) {
  return builder.enumType(MeetingKind, {
    name: 'MeetingKind',
    description: '组织生活类别 — kind of meeting (三会一课 and related)',
    values: {
      GENERAL_MEETING: { description: '支部党员大会 — branch general meeting (due quarterly)' },
      COMMITTEE_MEETING: { description: '支部委员会 — branch committee meeting (due monthly); also a committee’s own meeting' },
      GROUP_MEETING: { description: '党小组会 — party group meeting (due monthly from each group); held by a 党小组' },
      PARTY_LECTURE: { description: '党课 — party lecture (due quarterly)' },
      THEME_DAY: { description: '主题党日 — monthly theme day (due monthly)' },
      ORGANIZATIONAL_LIFE_MEETING: { description: '组织生活会 — yearly organizational life meeting' },
      DEMOCRATIC_LIFE_MEETING: { description: '民主生活会 — yearly democratic life meeting of a leadership team' },
    },
  });
}

/** The GraphQL enum of meeting kinds. */
export type MeetingKindRef = ReturnType<typeof defineKind>;

interface AttendanceCounts {
  present: number;
  absent: number;
}

/** Present and absent counts for many meetings in one grouped statement. */
async function countAttendance(ctx: Context, meetingIds: readonly string[]): Promise<AttendanceCounts[]> {
  const rows = await ctx.db.meetingAttendance.groupBy({
    by: ['meetingId', 'present'],
    where: { meetingId: { in: [...meetingIds] } },
    _count: { _all: true },
  });
  const counts = new Map(meetingIds.map((id) => [id, { present: 0, absent: 0 }]));
  for (const row of rows) {
    const entry = counts.get(row.meetingId);
    if (entry) entry[row.present ? 'present' : 'absent'] = row._count._all;
  }
  return meetingIds.map((id) => counts.get(id)!);
}

const attendanceOf = (ctx: Context, meetingId: string) =>
  requestLoader(ctx, 'meeting.attendanceCounts', (ids: readonly string[]) => countAttendance(ctx, ids)).load(meetingId);

interface MeetingFilterInput {
  under?: string | number | null;
  kind?: MeetingKind[] | null;
  from?: Date | null;
  to?: Date | null;
}

/** The `meetings` filter as a Prisma where, always inside the viewer's subtree. */
async function meetingsWhere(ctx: Context, filter: MeetingFilterInput | null | undefined): Promise<Prisma.MeetingWhereInput> {
  const f = filter ?? {};
  checkNotBefore(f.to, f.from, 'filter.to', 'filter.from');
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  return {
    organization: { path: { startsWith: path } },
    ...(f.kind?.length ? { kind: { in: f.kind } } : {}),
    ...(f.from || f.to ? { date: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
  };
}

/** 组织生活 (Meeting): meetings with attendance, their queries, `recordMeeting` and the cadence check. */
export function registerMeeting(builder: Builder): void {
  const Kind = defineKind(builder);
  registerMeetingMutations(builder, { Kind });
  const Shortfall = registerMeetingShortfalls(builder, { Kind });
  registerMeetingShortfallConnection(builder, { Kind, Shortfall });

  builder.prismaNode('Meeting', {
    description: '组织生活 — one meeting held by an organization (三会一课, 主题党日, 组织生活会 …)',
    id: { field: 'id' },
    // `node(id:)` must answer for a meeting outside the viewer's subtree exactly as for a missing one.
    findUnique: (id, ctx) => ({ id, organization: organizationScope(ctx) }),
    nullable: true,
    fields: (t) => ({
      kind: t.expose('kind', { type: Kind, description: '类别 — kind' }),
      date: t.expose('date', { type: 'Date', description: '日期 — the day it was held' }),
      topic: t.exposeString('topic', { description: '主题 — topic' }),
      recordedAt: t.expose('createdAt', { type: 'DateTime', description: '登记时间 — when it was recorded' }),
      organization: t.relation('organization', { description: '党组织 — who held it' }),
      attendance: t.relation('attendance', {
        description: '出席情况 — who was expected and whether they came; present first, then by name',
        query: { orderBy: [{ present: 'desc' }, { member: { name: 'asc' } }, { memberId: 'asc' }] },
      }),
      presentCount: t.int({
        description: '实到人数 — attendees present',
        resolve: async (meeting, _args, ctx) => (await attendanceOf(ctx, meeting.id)).present,
      }),
      absentCount: t.int({
        description: '缺席人数 — attendees absent',
        resolve: async (meeting, _args, ctx) => (await attendanceOf(ctx, meeting.id)).absent,
      }),
      attendanceRate: t.float({
        nullable: true,
        description: '出席率 — present ÷ listed attendees, from 0 to 1 to four places (null when no attendance was recorded)',
        resolve: async (meeting, _args, ctx) => {
          const { present, absent } = await attendanceOf(ctx, meeting.id);
          return present + absent === 0 ? null : Math.round((present / (present + absent)) * 10_000) / 10_000;
        },
      }),
    }),
  });

  builder.prismaObject('MeetingAttendance', {
    description: '出席记录 — one member expected at a meeting, present or absent with a reason',
    fields: (t) => ({
      present: t.exposeBoolean('present', { description: '出席 — true when present' }),
      absenceReason: t.exposeString('absenceReason', {
        nullable: true,
        description: '缺席原因 — why absent (出差, 病假 …); null when present',
      }),
      member: t.relation('member', { description: '党员 — the member' }),
    }),
  });

  const Filter = builder.inputType('MeetingFilter', {
    description: '组织生活筛选 — conditions on meetings (all must hold)',
    fields: (t) => ({
      under: t.id({
        required: false,
        description: '党组织 — only meetings of this organization and everything below it (default: your own)',
      }),
      kind: t.field({ type: [Kind], required: false, description: '类别 — any of these kinds (a single value is accepted too)' }),
      from: t.field({ type: 'Date', required: false, description: '起始日期 — held on or after this day' }),
      to: t.field({ type: 'Date', required: false, description: '截止日期 — held on or before this day' }),
    }),
  });

  builder.queryField('meeting', (t) =>
    t.prismaField({
      type: 'Meeting',
      nullable: true,
      description: '组织生活 — one meeting by global ID; null when it does not exist or lies outside your subtree',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '全局 ID' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.meeting.findFirst({
          ...query,
          where: { id: decodeId('Meeting', String(args.id), 'id'), organization: organizationScope(ctx) },
        }),
    }),
  );

  builder.queryField('meetings', (t) =>
    t.prismaConnection(
      {
        type: 'Meeting',
        cursor: 'id',
        description: '组织生活列表 — meetings in your subtree, most recent first',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.meeting.findMany({ ...query, where: await meetingsWhere(ctx, args.filter), orderBy: [{ date: 'desc' }, { id: 'desc' }] }),
        totalCount: async (_root, args, ctx) => ctx.db.meeting.count({ where: await meetingsWhere(ctx, args.filter) }),
      },
      { description: '组织生活分页 — a page of meetings with the total count' },
      { description: '组织生活分页项 — one meeting of a page' },
    ),
  );
}
