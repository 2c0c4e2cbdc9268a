// 数据导出 — rows of a roster or of meeting records, page by page (keyset on id), so a 100k-row export is
// never held whole: the server writes each page into a streamed .xlsx and lets it go. Personal data is
// masked unless the export is in clear, which needs ADMIN or SECRETARY and is recorded page by page as
// clear reads (the same `member.personalDataRead` activity and audit records as the API) before the page
// is handed out.

import type { MeetingKind } from '@dangjian/db';
import { hasRole } from '../auth/viewer.ts';
import { requireViewer } from '../auth/subtree.ts';
import { recordClearReads } from '../audit/clear-reads.ts';
import type { Context } from '../context.ts';
import { ForbiddenError } from '../errors/errors.ts';
import { openNationalId } from '../privacy/national-id.ts';
import { CLEAR_READ_AUDIT } from '../schema/member-privacy.ts';
import { maskNationalId, maskPhone } from '../schema/member-rules.ts';
import type { Cell } from './rows.ts';

const PAGE = 1000;

/** The roster's columns: the import template's, so an export in clear can be imported elsewhere. */
export const MEMBER_EXPORT_HEADERS = [
  '姓名',
  '性别',
  '民族',
  '出生日期',
  '身份证号',
  '学历',
  '手机号',
  '人员类别',
  '入党日期',
  '转正日期',
  '所在党组织代码',
  '所在党组织',
] as const;

/** An export: its headers and its rows in pages. */
export interface ExportPages {
  headers: readonly string[];
  /** Excel number formats by column where not a date (`0.00` for yuan and points); dates are the default. */
  formats?: Readonly<Record<number, string>>;
  pages: AsyncGenerator<Cell[][]>;
}

/**
 * The members under `path` (a path inside the viewer's subtree, from `resolveUnder`). Masked unless `clear`;
 * clear needs ADMIN or SECRETARY (FORBIDDEN otherwise). Birth date, ethnicity and education are shown to the
 * same roles only, as the API shows them.
 */
export function memberExport(ctx: Context, path: string, options: { clear: boolean }): ExportPages {
  const viewer = requireViewer(ctx);
  const entitled = hasRole(viewer, 'ADMIN', 'SECRETARY');
  if (options.clear && !entitled)
    throw new ForbiddenError('exporting national IDs and phones in clear requires the ADMIN or SECRETARY role');
  async function* pages(): AsyncGenerator<Cell[][]> {
    let cursor: string | undefined;
    for (;;) {
      const members = await ctx.db.member.findMany({
        where: { organization: { path: { startsWith: path } }, ...(cursor ? { id: { gt: cursor } } : {}) },
        orderBy: { id: 'asc' },
        take: PAGE,
        select: {
          id: true,
          name: true,
          gender: true,
          ethnicity: true,
          birthDate: true,
          nationalId: true,
          education: true,
          phone: true,
          status: true,
          joinedAt: true,
          fullMemberAt: true,
          organization: { select: { id: true, path: true, code: true, name: true } },
        },
      });
      if (members.length === 0) return;
      cursor = members.at(-1)!.id;
      const rows = members.map((m) => {
        const id = openNationalId(ctx, m.nationalId, 'Member.nationalId');
        return {
          member: m,
          id,
          cells: [
            m.name,
            m.gender === 'MALE' ? '男' : '女',
            entitled ? m.ethnicity : null,
            entitled ? m.birthDate : null,
            id === null ? null : options.clear ? id : maskNationalId(id),
            entitled ? m.education : null,
            m.phone === null ? null : options.clear ? m.phone : maskPhone(m.phone),
            m.status === 'FULL' ? '正式党员' : '预备党员',
            m.joinedAt,
            m.fullMemberAt,
            m.organization.code,
            m.organization.name,
          ] as Cell[],
        };
      });
      if (options.clear) {
        // Fail closed: the page goes out only once its clear reads are on record.
        await recordClearReads(
          ctx,
          CLEAR_READ_AUDIT,
          rows.flatMap(({ member, id }) => {
            const fields = [...(id !== null ? (['nationalId'] as const) : []), ...(member.phone !== null ? (['phone'] as const) : [])];
            return fields.length ? [{ subject: { id: member.id, name: member.name, organization: member.organization }, fields }] : [];
          }),
        );
      }
      yield rows.map((r) => r.cells);
      if (members.length < PAGE) return;
    }
  }
  return { headers: MEMBER_EXPORT_HEADERS, pages: pages() };
}

const MEETING_KINDS: Record<MeetingKind, string> = {
  GENERAL_MEETING: '支部党员大会',
  COMMITTEE_MEETING: '支部委员会',
  GROUP_MEETING: '党小组会',
  PARTY_LECTURE: '党课',
  THEME_DAY: '主题党日',
  ORGANIZATIONAL_LIFE_MEETING: '组织生活会',
  DEMOCRATIC_LIFE_MEETING: '民主生活会',
};

/** The meetings held under `path`, with their attendance counts (organizational life, 三会一课). */
export function meetingExport(ctx: Context, path: string): ExportPages {
  requireViewer(ctx);
  async function* pages(): AsyncGenerator<Cell[][]> {
    let cursor: string | undefined;
    for (;;) {
      const meetings = await ctx.db.meeting.findMany({
        where: { organization: { path: { startsWith: path } }, ...(cursor ? { id: { gt: cursor } } : {}) },
        orderBy: { id: 'asc' },
        take: PAGE,
        select: { id: true, kind: true, date: true, topic: true, organization: { select: { code: true, name: true } } },
      });
      if (meetings.length === 0) return;
      cursor = meetings.at(-1)!.id;
      // One grouped query per page for the attendance counts.
      const counts = await ctx.db.meetingAttendance.groupBy({
        by: ['meetingId', 'present'],
        where: { meetingId: { in: meetings.map((m) => m.id) } },
        _count: { _all: true },
      });
      const count = (id: string, present?: boolean) =>
        counts.filter((c) => c.meetingId === id && (present === undefined || c.present === present)).reduce((n, c) => n + c._count._all, 0);
      yield meetings.map((m) => [
        m.organization.code,
        m.organization.name,
        MEETING_KINDS[m.kind],
        m.date,
        m.topic,
        count(m.id),
        count(m.id, true),
      ]);
      if (meetings.length < PAGE) return;
    }
  }
  return {
    headers: ['组织代码', '组织名称', '会议类型', '日期', '主题', '应到人数', '实到人数'],
    formats: { 5: '0', 6: '0' },
    pages: pages(),
  };
}
