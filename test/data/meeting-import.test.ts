import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@dangjian/testing';
import { get, readXlsx, upload, xlsx, type CellInput } from './helpers.ts';

const IMPORT = `mutation ($file: File!, $mode: ImportMode, $existing: ExistingPersonPolicy) {
  importMeetings(file: $file, mode: $mode, existing: $existing) {
    batchId rows created updated skipped rejected committed problemCount errorReportUrl problems { row column message }
  }
}`;
// A 组织生活记录台账 as a 组织员 keeps it: 主持人 is a column the import ignores.
const HEADERS = ['序号', '党组织代码', '会议类型', '会议日期', '会议主题', '主持人', '出席人员', '缺席人员及原因', '应到人数', '实到人数'];
const BGS = 'SZJGGW-MZJ-BGS';

interface Person {
  id: string;
  name: string;
  memberId: string;
}

describe('importing meetings with attendance', () => {
  let server: TestServer;
  let secretary: string;
  let p: Person[];
  let outsider: string;
  const expected: { row: number; column: string | null; message: RegExp }[] = [];
  let clean: CellInput[][];
  let file: Buffer;

  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    const db = server.db.client;
    const bgs = await db.organization.findUniqueOrThrow({ where: { code: BGS } });
    const members = await db.member.findMany({ where: { organization: { path: { startsWith: bgs.path } } }, orderBy: { id: 'asc' } });
    // People a register names by name alone must be the only one of that name in the branch.
    const unique = members.filter((m) => members.filter((o) => o.name === m.name).length === 1 && m.joinedAt < new Date('2026-01-01'));
    expect(unique.length).toBeGreaterThanOrEqual(5);
    p = unique.slice(0, 5).map((m) => ({ id: server.vault.decrypt(m.nationalId!, 'Member.nationalId'), name: m.name, memberId: m.id }));
    const other = await db.member.findFirstOrThrow({ where: { organization: { code: 'SZJGGW-KX-XHB' } } });
    outsider = server.vault.decrypt(other.nationalId!, 'Member.nationalId');
    const [a, b, c, d, e] = p as [Person, Person, Person, Person, Person];
    clean = [
      [
        1,
        BGS,
        '支部党员大会',
        '2026-03-15',
        '学习贯彻全会精神',
        '书记',
        `${a.name}、${b.name}，${c.name}（${c.id}）`,
        `${d.name}：出差`,
        4,
        3,
      ],
      [
        2,
        BGS,
        'COMMITTEE_MEETING',
        new Date(Date.UTC(2026, 3, 2)),
        '研究发展党员工作',
        null,
        `${a.id}\n${b.id}`,
        `${e.name}（病假）`,
        null,
        null,
      ],
      // No code: the meeting of the organization the import acts for (the committee), its members from below.
      [3, null, '党课', '2026年5月10日', '书记讲党课', null, a.name, null, 1, 1],
    ];
    const mistakes: [CellInput[], string | null, RegExp][] = [
      [
        [4, 'SZJGGW-KX-XHB', '党课', '2026-05-10', '别处的党课', null, a.name, null, null, null],
        '党组织代码',
        /不存在或不在您的管辖范围内/,
      ],
      [[5, BGS, '座谈会', '2026-05-10', '座谈', null, a.name, null, null, null], '会议类型', /不是有效值/],
      [[6, BGS, '党课', '2099-01-01', '未来的党课', null, a.name, null, null, null], '会议日期', /不能晚于今天/],
      [[7, BGS, '党课', '2026-05-11', '党课', null, '查无此人', null, null, null], '出席人员', /没有此姓名的党员/],
      [[8, BGS, '党课', '2026-05-12', '党课', null, a.name, d.name, null, null], '缺席人员及原因', /须写明原因/],
      [[9, BGS, '党课', '2026-05-13', '党课', null, `${a.name}、${a.id}`, null, null, null], '出席人员', /是同一人/],
      [[10, BGS, '党课', '2026-05-14', '党课', null, `${a.name}、${b.name}`, null, 9, null], '应到人数', /与出席、缺席人数之和（2）不一致/],
      [[11, BGS, '党小组会', '2026-05-15', '小组学习', null, a.name, null, null, null], '会议类型', /党小组会由召开它的党小组登记/],
      [[12, BGS, '党课', '2026-05-16', '党课', null, `冒名（${a.id}）`, null, null, null], '出席人员', /与该身份证号登记的姓名/],
      [[13, BGS, '支部党员大会', '2026-03-15', '学习贯彻全会精神', null, a.name, null, null, null], '会议主题', /与第 2 行是同一次会议/],
      [[14, BGS, '党课', '2026-05-17', null, null, a.name, null, null, null], '会议主题', /必填/],
      [[15, BGS, '党课', '2026-05-18', '党课', null, outsider, null, null, null], '出席人员', /没有此身份证号的党员/],
    ];
    for (const [, column, message] of mistakes) expected.push({ row: clean.length + expected.length + 2, column, message });
    file = await xlsx(HEADERS, [...clean, ...mistakes.map((m) => m[0])]);
  });
  afterAll(() => server?.close());

  it('serves the template, whose instructions describe the one-meeting-a-row layout', async () => {
    const res = await get(server, '/data/templates/meetings.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('组织生活记录导入模板.xlsx'));
    const body = await res.arrayBuffer();
    expect((await readXlsx(body))[0]).toEqual([
      '党组织代码',
      '会议类型',
      '会议日期',
      '会议主题',
      '出席人员',
      '缺席人员及原因',
      '应到人数',
      '实到人数',
    ]);
    expect((await readXlsx(body, 1)).some((r) => String(r[2]).startsWith('每行是一次会议'))).toBe(true);
  });

  it('reports each mistake with row and column and writes nothing of a refused batch', async () => {
    const before = await server.db.client.meeting.count();
    const result = await upload(server, IMPORT, { mode: 'ALL_OR_NOTHING' }, { name: '组织生活台账.xlsx', body: file }, secretary);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const outcome = result.data.importMeetings;
    expect(outcome).toMatchObject({ committed: false, created: 0, rejected: expected.length, rows: clean.length + expected.length });
    for (const e of expected) {
      const found = outcome.problems.filter((x: { row: number }) => x.row === e.row);
      expect(found, `row ${e.row}: ${JSON.stringify(outcome.problems)}`).toHaveLength(1);
      expect(found[0].column, JSON.stringify(found)).toBe(e.column);
      expect(found[0].message).toMatch(e.message);
    }
    expect(outcome.problems).toHaveLength(expected.length);
    expect(await server.db.client.meeting.count()).toBe(before);
    const audit = await server.db.client.auditRecord.findFirstOrThrow({ where: { target: `ImportBatch:${outcome.batchId}` } });
    expect(audit).toMatchObject({ operation: 'import:meetings', userId: 'mzj-secretary' });
  });

  it('imports the valid meetings with attendance and leave reasons, and a re-import adds none', async () => {
    const db = server.db.client;
    const before = await db.meeting.count();
    const first = await upload(server, IMPORT, { mode: 'VALID_ROWS' }, { name: '组织生活台账.xlsx', body: file }, secretary);
    expect(first.data.importMeetings).toMatchObject({ committed: true, created: clean.length, rejected: expected.length });
    expect(await db.meeting.count()).toBe(before + clean.length);
    const general = await db.meeting.findFirstOrThrow({
      where: { organization: { code: BGS }, kind: 'GENERAL_MEETING', topic: '学习贯彻全会精神' },
      include: { attendance: true },
    });
    expect(general.date.toISOString().slice(0, 10)).toBe('2026-03-15');
    const of = (i: number) => general.attendance.find((x) => x.memberId === p[i]!.memberId);
    expect(general.attendance).toHaveLength(4);
    expect(of(0)).toMatchObject({ present: true, absenceReason: null });
    expect(of(3)).toMatchObject({ present: false, absenceReason: '出差' });
    const committee = await db.meeting.findFirstOrThrow({
      where: { organization: { code: BGS }, kind: 'COMMITTEE_MEETING', date: new Date('2026-04-02'), topic: '研究发展党员工作' },
      include: { attendance: true },
    });
    expect(committee.attendance.find((x) => x.memberId === p[4]!.memberId)).toMatchObject({ present: false, absenceReason: '病假' });
    const lecture = await db.meeting.findFirstOrThrow({
      where: { topic: '书记讲党课', date: new Date('2026-05-10') },
      include: { organization: true },
    });
    expect(lecture.organization.code).toBe('SZJGGW-MZJ');
    expect(await db.activity.count({ where: { kind: 'meeting.imported', subjectId: first.data.importMeetings.batchId } })).toBe(1);

    const again = await upload(server, IMPORT, { mode: 'VALID_ROWS' }, { name: '组织生活台账.xlsx', body: file }, secretary);
    expect(again.data.importMeetings).toMatchObject({ committed: true, created: 0, skipped: clean.length });
    expect(await db.meeting.count()).toBe(before + clean.length);

    // A corrected register replaces the attendance when asked to.
    const [a, b, c, d] = p as [Person, Person, Person, Person];
    const corrected = await xlsx(HEADERS, [
      [1, BGS, '党员大会', '2026-03-15', '学习贯彻全会精神', null, `${a.name}、${b.name}、${c.name}、${d.name}`, null, 4, 4],
    ]);
    const update = await upload(
      server,
      IMPORT,
      { mode: 'ALL_OR_NOTHING', existing: 'UPDATE' },
      { name: 'u.xlsx', body: corrected },
      secretary,
    );
    expect(update.data.importMeetings).toMatchObject({ committed: true, updated: 1, created: 0 });
    const attendance = await db.meetingAttendance.findMany({ where: { meetingId: general.id } });
    expect(attendance.filter((x) => x.present)).toHaveLength(4);
    expect(await db.meeting.count()).toBe(before + clean.length);
  });
});
