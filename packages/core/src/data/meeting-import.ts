// 组织生活导入: the meetings of a 组织生活记录台账, one meeting a row, as a 组织员 keeps it — who held it,
// the kind, the day, the topic, and who attended and who was absent (with the reason) written out as lists
// of people in two cells. The rules are recordMeeting's: a 党小组 holds only 党小组会, attendees are members
// of the organization (for a 党小组 or 临时党支部: of its parent) who had joined by the day.

import { randomUUID } from 'node:crypto';
import type { MeetingKind, OrganizationKind, PrismaClient } from '@dangjian/db';
import type { Tx } from '../activity/record.ts';
import type { Context } from '../context.ts';
import { isoDate } from '../kit/dates.ts';
import { TEXT_KINDS } from '../kit/validate/text.ts';
import { membershipScopePath } from '../schema/cadre-rules.ts';
import { MEETING_KIND_LABELS } from '../schema/meeting-cadence.ts';
import type { ColumnSpec, RowReader } from './columns.ts';
import type { ChunkOutcome, ImportKind, ImportOptions } from './engine.ts';
import { splitByExisting } from './existing.ts';
import { type FoundMember, MembersByNationalId, membersByName, normalNationalId } from './member-lookup.ts';

export type MeetingColumn = 'organizationCode' | 'kind' | 'date' | 'topic' | 'present' | 'absent' | 'expected' | 'presentCount';

/** The most people one meeting lists (recordMeeting's limit). */
const MAX_ATTENDEES = 1000;

/** The columns of the meeting template, in template order. */
export const MEETING_COLUMNS: readonly ColumnSpec<MeetingColumn>[] = [
  {
    key: 'organizationCode',
    header: '党组织代码',
    aliases: ['组织代码', '所在党组织代码', 'organizationCode'],
    required: false,
    note: '召开会议的党组织的代码，须在您的管辖范围内；不填时为导入时指定的党组织',
    example: 'SZMZJ-ZB1',
  },
  {
    key: 'kind',
    header: '会议类型',
    aliases: ['会议类别', '类型', 'kind'],
    required: true,
    note: `${Object.values(MEETING_KIND_LABELS).join('、')}（党员大会、支委会 也可）；党小组只登记党小组会`,
    example: '支部党员大会',
  },
  {
    key: 'date',
    header: '会议日期',
    aliases: ['日期', '召开日期', 'date'],
    required: true,
    note: '必填，日期，不晚于今天',
    example: '2026-03-15',
  },
  {
    key: 'topic',
    header: '会议主题',
    aliases: ['主题', '会议内容', 'topic'],
    required: true,
    note: `必填，最多 ${TEXT_KINDS.name.max} 个字；同一党组织同一天同类型同主题的会议只登记一次`,
    example: '学习贯彻党的二十届四中全会精神',
  },
  {
    key: 'present',
    header: '出席人员',
    aliases: ['参会人员', '实到人员', 'present'],
    required: true,
    note: '必填，用顿号、逗号或换行分隔；每人写 姓名、身份证号，或 姓名（身份证号）；本组织有同名党员时须写身份证号',
    example: '张三、李四、王五（110101198503070014）',
  },
  {
    key: 'absent',
    header: '缺席人员及原因',
    aliases: ['缺席人员', '请假人员', 'absent'],
    required: false,
    note: '每人写 姓名：原因（如 赵六：出差），人员的写法同出席人员；每名缺席人员须写明原因',
    example: '赵六：出差、钱七：病假',
  },
  {
    key: 'expected',
    header: '应到人数',
    aliases: ['expected'],
    required: false,
    note: '选填，用于核对：须等于出席与缺席人数之和',
    example: '5',
  },
  {
    key: 'presentCount',
    header: '实到人数',
    aliases: ['presentCount'],
    required: false,
    note: '选填，用于核对：须等于出席人数',
    example: '4',
  },
];

const KINDS: Readonly<Record<string, MeetingKind>> = {
  ...Object.fromEntries(Object.entries(MEETING_KIND_LABELS).map(([kind, label]) => [label, kind as MeetingKind])),
  ...Object.fromEntries(Object.keys(MEETING_KIND_LABELS).map((kind) => [kind, kind as MeetingKind])),
  党员大会: 'GENERAL_MEETING',
  支部大会: 'GENERAL_MEETING',
  支委会: 'COMMITTEE_MEETING',
  支委会议: 'COMMITTEE_MEETING',
  党小组会议: 'GROUP_MEETING',
  主题党日活动: 'THEME_DAY',
};

type Org = { id: string; path: string; kind: OrganizationKind; parentId: string | null; code: string };

/** One person as a cell lists them: a national ID, a name, or both; with the reason of an absence. */
interface Named {
  text: string;
  id: string | null;
  name: string | null;
  reason: string | null;
}

const ID_IN = /[0-9]{17}[0-9Xx]/;

/** The people of a list cell; a message in Chinese when an entry cannot be read. */
export function parsePeople(text: string, absent: boolean): Named[] | string {
  const people: Named[] = [];
  for (const entry of text
    .split(/[、,，;；\n]+/)
    .map((e) => e.trim())
    .filter(Boolean)) {
    let person = entry;
    let reason: string | null = null;
    const colon = /^([^:：]+)[:：](.*)$/.exec(entry);
    if (colon) {
      person = colon[1]!.trim();
      reason = colon[2]!.trim() || null;
    } else {
      // 赵六（出差）: a bracket that does not hold an ID holds the reason.
      const bracket = /^(.+?)[（(]([^）)]*)[）)]$/.exec(entry);
      if (bracket && !ID_IN.test(bracket[2]!)) {
        person = bracket[1]!.trim();
        reason = bracket[2]!.trim() || null;
      }
    }
    const idMatch = ID_IN.exec(person);
    let id: string | null = null;
    if (idMatch) {
      id = normalNationalId(idMatch[0]);
      if (!id) return `“${entry}”中的身份证号无效`;
    }
    const name = person.replace(ID_IN, '').replace(/[（()）\s]/g, '') || null;
    if (!id && !name) return `“${entry}”没有写明是谁`;
    if (name && [...name].length > 50) return `“${entry}”的姓名过长`;
    if (reason && [...reason].length > TEXT_KINDS.name.max) return `“${entry}”的原因过长`;
    if (!absent && reason) return `“${entry}”：出席人员不写原因（缺席的请写在缺席人员列）`;
    if (absent && !reason) return `“${entry}”：缺席人员须写明原因，如 ${name ?? '姓名'}：出差`;
    people.push({ text: entry, id, name, reason });
  }
  return people;
}

/** The meeting import (ADMIN or SECRETARY, as recordMeeting). */
export const meetingImport: ImportKind<MeetingColumn> = {
  name: 'meetings',
  label: '组织生活记录',
  activity: 'meeting.imported',
  tables: ['Meeting', 'MeetingAttendance'],
  columns: MEETING_COLUMNS,
  instructions: [
    '每行是一次会议（组织生活记录台账的一行）：召开的党组织、会议类型、日期、主题，出席人员和缺席人员各写在一个单元格里。',
    '人员写法：姓名（本党组织中没有同名党员时），或 身份证号，或 姓名（身份证号）；多人用顿号、逗号或换行分隔。缺席人员写 姓名：原因，如 赵六：出差。',
    '出席和缺席人员须是召开会议的党组织（党小组、临时党支部为其上级党支部）及其下级的党员，会议日期不早于其入党日期；主持人、记录人等其他列被忽略。',
    '同一党组织同一天同类型同主题的会议视为同一次：再次导入不会重复登记，按“已登记记录”选项跳过或更新（更新时以文件中的出席情况为准）。',
  ],
  start(ctx: Context, options: ImportOptions) {
    const orgs = new Map<string, Org | null>();
    const members = new MembersByNationalId(ctx, options.scope.path);
    const seen = new Map<string, number>();
    return async (db: Tx | PrismaClient, readers: RowReader<MeetingColumn>[], write: boolean): Promise<ChunkOutcome> => {
      const parsed = readers.map((reader) => {
        const present = reader.text('present', 20_000, { multiline: true });
        const absent = reader.text('absent', 20_000, { multiline: true });
        const lists = { present: [] as Named[], absent: [] as Named[] };
        for (const [key, text] of [
          ['present', present],
          ['absent', absent],
        ] as const) {
          if (!text) continue;
          const people = parsePeople(text, key === 'absent');
          if (typeof people === 'string') reader.problem(key, people);
          else lists[key] = people;
        }
        return {
          reader,
          code: reader.text('organizationCode', 50),
          kind: reader.choice('kind', KINDS),
          date: reader.date('date', { notFuture: true }),
          topic: reader.text('topic', TEXT_KINDS.name.max),
          expected: count(reader, 'expected'),
          presentCount: count(reader, 'presentCount'),
          ...lists,
        };
      });
      const codes = [...new Set(parsed.flatMap((p) => (p.code && !orgs.has(p.code) ? [p.code] : [])))];
      if (codes.length > 0) {
        const found = await db.organization.findMany({
          where: { code: { in: codes }, path: { startsWith: options.scope.path } },
          select: { id: true, path: true, kind: true, parentId: true, code: true },
        });
        for (const code of codes) orgs.set(code, found.find((o) => o.code === code) ?? null);
      }
      const scopeOrg = await scopeOrganization(db, options, orgs);
      await members.load(
        db,
        parsed.flatMap((p) => [...p.present, ...p.absent].flatMap((n) => (n.id ? [n.id] : []))),
      );
      const nameOnly = parsed.flatMap((p) => [...p.present, ...p.absent].flatMap((n) => (n.id || !n.name ? [] : [n.name])));
      const named = await membersByName(db, nameOnly, options.scope.path);

      const rows: { reader: RowReader<MeetingColumn>; org: Org; kind: MeetingKind; date: Date; topic: string; attendance: Attendance[] }[] =
        [];
      for (const p of parsed) {
        const { reader } = p;
        const org = p.code ? orgs.get(p.code) : scopeOrg;
        if (!org) {
          reader.problem('organizationCode', `组织代码“${p.code}”不存在或不在您的管辖范围内`);
          continue;
        }
        if (p.kind && (p.kind === 'GROUP_MEETING') !== (org.kind === 'GROUP')) {
          reader.problem('kind', org.kind === 'GROUP' ? '党小组只登记党小组会' : '党小组会由召开它的党小组登记（请填写党小组的组织代码）');
        }
        if (p.present.length + p.absent.length > MAX_ATTENDEES) reader.problem('present', `一次会议最多登记 ${MAX_ATTENDEES} 人`);
        if (p.expected != null && p.expected !== p.present.length + p.absent.length) {
          reader.problem('expected', `与出席、缺席人数之和（${p.present.length + p.absent.length}）不一致`);
        }
        if (p.presentCount != null && p.presentCount !== p.present.length) {
          reader.problem('presentCount', `与出席人员人数（${p.present.length}）不一致`);
        }
        if (reader.problems.length > 0 || !p.kind || !p.date || !p.topic) continue;
        const attendance = resolveAttendance(reader, p, org, p.date, members, named);
        if (!attendance) continue;
        const key = `${org.id}|${p.kind}|${isoDate(p.date)}|${p.topic}`;
        const first = seen.get(key);
        if (first !== undefined) {
          reader.problem('topic', `与第 ${first} 行是同一次会议（同一党组织、同一天、同类型、同主题）`);
          continue;
        }
        seen.set(key, reader.row);
        rows.push({ reader, org, kind: p.kind, date: p.date, topic: p.topic, attendance });
      }
      const outcome: ChunkOutcome = { created: 0, updated: 0, skipped: 0 };
      if (rows.length === 0) return outcome;
      const stored = await db.meeting.findMany({
        where: { OR: rows.map((r) => ({ organizationId: r.org.id, kind: r.kind, date: r.date, topic: r.topic })) },
        select: { id: true, organizationId: true, kind: true, date: true, topic: true },
      });
      const byKey = new Map(stored.map((m) => [`${m.organizationId}|${m.kind}|${isoDate(m.date)}|${m.topic}`, m.id]));
      const news = await splitByExisting(
        rows,
        (r) => byKey.get(`${r.org.id}|${r.kind}|${isoDate(r.date)}|${r.topic}`),
        options,
        write,
        outcome,
        async (r, id) => {
          // The attendance is replaced by the file's: the register is what the 组织员 corrected.
          await db.meetingAttendance.deleteMany({ where: { meetingId: id } });
          await db.meetingAttendance.createMany({ data: r.attendance.map((a) => ({ meetingId: id, ...a })) });
        },
      );
      const creates = news.map((row) => ({ id: randomUUID(), row }));
      if (write && creates.length > 0) {
        await db.meeting.createMany({
          data: creates.map(({ id, row }) => ({ id, organizationId: row.org.id, kind: row.kind, date: row.date, topic: row.topic })),
        });
        await db.meetingAttendance.createMany({
          data: creates.flatMap(({ id, row }) => row.attendance.map((a) => ({ meetingId: id, ...a }))),
        });
      }
      outcome.created += creates.length;
      return outcome;
    };
  },
};

interface Attendance {
  memberId: string;
  present: boolean;
  absenceReason: string | null;
}

/** A whole number cell (a head count); a problem when it is not one. */
function count(reader: RowReader<MeetingColumn>, key: 'expected' | 'presentCount'): number | null | undefined {
  const text = reader.text(key, 10);
  if (text === null || text === undefined) return text;
  if (!/^\d{1,5}$/.test(text)) {
    reader.problem(key, '应为人数（整数）');
    return undefined;
  }
  return Number(text);
}

/** The organization rows without a code are held by: the one the import acts for. */
async function scopeOrganization(db: Tx | PrismaClient, options: ImportOptions, orgs: Map<string, Org | null>): Promise<Org> {
  const known = orgs.get(options.scope.code);
  if (known) return known;
  const org = await db.organization.findUniqueOrThrow({
    where: { id: options.scope.id },
    select: { id: true, path: true, kind: true, parentId: true, code: true },
  });
  orgs.set(org.code, org);
  return org;
}

/** The members a row lists, checked as recordMeeting checks them; null (with problems recorded) when any is wrong. */
function resolveAttendance(
  reader: RowReader<MeetingColumn>,
  lists: { present: Named[]; absent: Named[] },
  org: Org,
  date: Date,
  byId: MembersByNationalId,
  named: readonly FoundMember[],
): Attendance[] | null {
  const within = membershipScopePath(org);
  const attendance: Attendance[] = [];
  const listed = new Map<string, string>();
  for (const key of ['present', 'absent'] as const) {
    for (const person of lists[key]) {
      let member: FoundMember | null = null;
      if (person.id) {
        member = byId.get(person.id);
        if (member && !member.path.startsWith(within)) member = null;
        if (!member) {
          reader.problem(key, `“${person.text}”：没有此身份证号的党员，或其不属于召开会议的党组织`);
          continue;
        }
        if (person.name && person.name !== member.name) {
          reader.problem(key, `“${person.text}”：与该身份证号登记的姓名“${member.name}”不一致`);
          continue;
        }
      } else {
        const candidates = named.filter((m) => m.name === person.name && m.path.startsWith(within));
        if (candidates.length !== 1) {
          reader.problem(
            key,
            candidates.length === 0
              ? `“${person.text}”：召开会议的党组织中没有此姓名的党员`
              : `“${person.text}”：召开会议的党组织中有 ${candidates.length} 名同名党员，请写作 姓名（身份证号）`,
          );
          continue;
        }
        member = candidates[0]!;
      }
      const before = listed.get(member.id);
      if (before) {
        reader.problem(key, `“${person.text}”与“${before}”是同一人，每人只能列一次`);
        continue;
      }
      listed.set(member.id, person.text);
      if (member.joinedAt.getTime() > date.getTime()) {
        reader.problem(key, `“${person.text}”：会议日期早于其入党日期`);
        continue;
      }
      attendance.push({ memberId: member.id, present: key === 'present', absenceReason: key === 'absent' ? person.reason : null });
    }
  }
  return reader.problems.length > 0 ? null : attendance;
}
