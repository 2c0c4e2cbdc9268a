import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlAllPages, startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';
import { computeShortfalls, type MeetingCount } from '../packages/core/src/schema/meeting-cadence.ts';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const iso = (date: Date) => date.toISOString().slice(0, 10);
const today = () => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
const daysAgo = (n: number) => new Date(today().getTime() - n * 86_400_000);
/** First day of the month `n` months before the current one. */
const monthStart = (n: number) => new Date(Date.UTC(today().getUTCFullYear(), today().getUTCMonth() - n, 1));
/** Last day of the month `n` months before the current one. */
const monthEnd = (n: number) => new Date(Date.UTC(today().getUTCFullYear(), today().getUTCMonth() - n + 1, 0));

function expectError(result: GqlResult, code: string, field?: string) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field) expect(result.errors![0]!.extensions?.field).toBe(field);
}

function expectOk<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

const MEETING_FIELDS = `id kind date topic recordedAt presentCount absentCount attendanceRate
  organization { id code }
  attendance { present absenceReason member { id name } }`;
const RECORD = `mutation ($input: RecordMeetingInput!) { recordMeeting(input: $input) { ${MEETING_FIELDS} } }`;
const MEETING = `query ($id: ID!) { meeting(id: $id) { ${MEETING_FIELDS} } }`;
const NODE = `query ($id: ID!) { node(id: $id) { id } }`;
const MEETINGS = `query ($filter: MeetingFilter, $first: Int, $after: String) {
  meetings(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${MEETING_FIELDS} } } }
}`;
const SHORTFALLS = `query ($under: ID, $from: Date!, $to: Date!) {
  meetingShortfalls(under: $under, from: $from, to: $to) { organization { id code kind secretary { id } } kind cadence required held meetingCount }
}`;

const CONNECTION = `query ($under: ID, $from: Date!, $to: Date!, $first: Int, $after: String) {
  meetingShortfallConnection(under: $under, from: $from, to: $to, first: $first, after: $after) {
    totalCount countsByKind { kind count }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { organization { id code kind } kind cadence required held meetingCount } }
  }
}`;
const CADENCE_KINDS = ['GENERAL_MEETING', 'COMMITTEE_MEETING', 'GROUP_MEETING', 'PARTY_LECTURE', 'THEME_DAY'];

/** The 12-month window the demo data covers, minus the current month (still running). */
const PERIOD = () => ({ from: iso(monthStart(11)), to: iso(monthEnd(1)) });
const LAGGING = ['SZJGGW-KX-KPB', 'SZJGGW-XCB-WYC', 'SZJGGW-FGW-JGC'];

describe('meetings', () => {
  let server: TestServer;
  let statements = 0;
  let admin: string;
  let mzjAdmin: string;
  let bgsSecretary: string;
  let mzjReader: string;
  let kxAdmin: string;
  const org: Record<string, { id: string; gid: string; path: string }> = {};

  const counts = async () => {
    const db = server.db.client;
    return { meetings: await db.meeting.count(), attendance: await db.meetingAttendance.count(), activities: await db.activity.count() };
  };
  const membersOf = async (code: string, take = 6) =>
    (
      await server.db.client.member.findMany({
        where: { organizationId: org[code]!.id, joinedAt: { lt: daysAgo(400) } },
        orderBy: { name: 'asc' },
        take,
      })
    ).map((m) => ({
      ...m,
      gid: gid('Member', m.id),
    }));

  beforeAll(async () => {
    server = await startTestServer({ onQuery: () => void (statements += 1) });
    admin = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    mzjAdmin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    bgsSecretary = await server.token('SZJGGW-MZJ-BGS', ['SECRETARY'], 'bgs-secretary');
    mzjReader = await server.token('SZJGGW-MZJ', ['MEMBER'], 'mzj-reader');
    kxAdmin = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    for (const o of await server.db.client.organization.findMany())
      org[o.code] = { id: o.id, gid: gid('Organization', o.id), path: o.path };
  });
  afterAll(() => server?.close());

  describe('shortfalls of the demo data', () => {
    it('finds exactly the lagging branches short of the 三会一课 cadence', async () => {
      const { meetingShortfalls: rows } = expectOk(await server.gql(SHORTFALLS, PERIOD(), admin));
      const codes = new Set(rows.map((r: any) => r.organization.code));
      expect([...codes].sort()).toEqual([...LAGGING].sort());
      for (const row of rows) {
        expect(row.held).toBeLessThan(row.required);
        expect(['BRANCH', 'TEMPORARY_BRANCH']).toContain(row.organization.kind);
        expect(row.cadence).toBe(['GENERAL_MEETING', 'PARTY_LECTURE'].includes(row.kind) ? 'QUARTERLY' : 'MONTHLY');
        if (row.cadence === 'MONTHLY') expect(row.required).toBe(11);
      }
    });

    it('agrees, row by row, with the meetings in the database', async () => {
      const { meetingShortfalls: rows } = expectOk(await server.gql(SHORTFALLS, PERIOD(), admin));
      const months = Array.from({ length: 11 }, (_, i) => iso(monthStart(11 - i)).slice(0, 7));
      const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
      const wholeQuarters = [...new Set(months.map(quarterOf))].filter((q) => months.filter((m) => quarterOf(m) === q).length === 3);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const meetings = await server.db.client.meeting.findMany({
          where: { organizationId: rawId(row.organization.id), kind: row.kind, date: { gte: monthStart(11), lte: monthEnd(1) } },
        });
        const units = row.cadence === 'MONTHLY' ? months : wholeQuarters;
        const unitOf = (d: Date) => (row.cadence === 'MONTHLY' ? iso(d).slice(0, 7) : quarterOf(iso(d).slice(0, 7)));
        const inUnits = meetings.filter((m) => units.includes(unitOf(m.date)));
        expect(row, row.organization.code).toMatchObject({
          required: units.length,
          held: new Set(inUnits.map((m) => unitOf(m.date))).size,
          meetingCount: inUnits.length,
        });
      }
    });

    it('counts a meeting recorded for a missed month', async () => {
      const { meetingShortfalls: before } = expectOk(await server.gql(SHORTFALLS, PERIOD(), admin));
      const short = before.find((r: any) => r.kind === 'THEME_DAY' || r.kind === 'COMMITTEE_MEETING');
      expect(short).toBeDefined();
      const branch = short.organization.code as string;
      const held = await server.db.client.meeting.findMany({
        where: { organizationId: org[branch]!.id, kind: short.kind },
        select: { date: true },
      });
      const heldMonths = new Set(held.map((m) => iso(m.date).slice(0, 7)));
      const missed = Array.from({ length: 11 }, (_, i) => monthStart(i + 1)).find((m) => !heldMonths.has(iso(m).slice(0, 7)))!;
      const attendance = (await membersOf(branch, 3)).map((m) => ({ memberId: m.gid, present: true }));
      const input = {
        organizationId: org[branch]!.gid,
        kind: short.kind,
        date: iso(new Date(missed.getTime() + 9 * 86_400_000)),
        topic: '补记：研究月度党建工作安排',
        attendance,
      };
      expectOk(await server.gql(RECORD, { input }, admin));
      const { meetingShortfalls: after } = expectOk(await server.gql(SHORTFALLS, { ...PERIOD(), under: org[branch]!.gid }, admin));
      const now = after.find((r: any) => r.kind === short.kind);
      if (short.held + 1 === short.required) expect(now).toBeUndefined();
      else expect(now).toMatchObject({ required: short.required, held: short.held + 1, meetingCount: short.meetingCount + 1 });
    });

    it('uses a fixed number of SQL statements, however large the subtree', async () => {
      const run = async (under?: string) => {
        statements = 0;
        expectOk(await server.gql(SHORTFALLS, { ...PERIOD(), under }, admin));
        return statements;
      };
      await run(org.SZJGGW!.gid);
      expect(await run(org.SZJGGW!.gid)).toBe(await run(org['SZJGGW-XCB']!.gid));
    });

    it('requires only whole months and quarters, and nothing for a period shorter than a month', async () => {
      const { meetingShortfalls: rows } = expectOk(await server.gql(SHORTFALLS, { from: iso(daysAgo(20)), to: iso(daysAgo(0)) }, admin));
      expect(rows).toEqual([]);
      const future = expectOk(await server.gql(SHORTFALLS, { from: iso(daysAgo(-40)), to: iso(daysAgo(-100)) }, admin));
      expect(future.meetingShortfalls).toEqual([]);
    });

    it('refuses an inverted or overlong period and hides sibling agencies', async () => {
      expectError(await server.gql(SHORTFALLS, { from: iso(daysAgo(1)), to: iso(daysAgo(30)) }, admin), 'BAD_USER_INPUT', 'to');
      expectError(await server.gql(SHORTFALLS, { from: '2000-01-01', to: '2015-01-01' }, admin), 'BAD_USER_INPUT', 'to');
      expectError(await server.gql(SHORTFALLS, { ...PERIOD(), under: org['SZJGGW-XCB']!.gid }, kxAdmin), 'NOT_FOUND');
      const own = expectOk(await server.gql(SHORTFALLS, PERIOD(), kxAdmin));
      for (const row of own.meetingShortfalls) expect(row.organization.code.startsWith('SZJGGW-KX')).toBe(true);
      expectError(await server.gql(SHORTFALLS, PERIOD()), 'UNAUTHENTICATED');
    });
  });

  describe('shortfalls as a connection (meetingShortfallConnection)', () => {
    const short = (r: any) => ({
      code: r.organization.code,
      kind: r.kind,
      cadence: r.cadence,
      required: r.required,
      held: r.held,
      meetingCount: r.meetingCount,
    });
    const walk = async (variables: Record<string, unknown>, first: number, token = admin) => {
      const pages: any[] = [];
      let after: string | null = null;
      do {
        const page: any = expectOk(await server.gql(CONNECTION, { ...variables, first, after }, token)).meetingShortfallConnection;
        pages.push(page);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after && pages.length < 200);
      return pages;
    };

    it('pages through exactly the rows of the deprecated list, in its order, with the totals on every page', async () => {
      for (const period of [PERIOD(), { from: iso(monthStart(7)), to: iso(new Date(monthEnd(1).getTime() - 5 * 86_400_000)) }]) {
        const { meetingShortfalls: list } = expectOk(await server.gql(SHORTFALLS, period, admin));
        expect(list.length).toBeGreaterThan(3);
        const pages = await walk(period, 2);
        expect(pages.flatMap((p) => p.edges.map((e: any) => short(e.node)))).toEqual(list.map(short));
        const byKind = CADENCE_KINDS.map((kind) => ({ kind, count: list.filter((r: any) => r.kind === kind).length }));
        for (const [i, page] of pages.entries()) {
          expect(page.totalCount).toBe(list.length);
          expect(page.countsByKind).toEqual(byKind);
          expect(page.pageInfo.hasPreviousPage).toBe(i > 0);
          expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
        }
        expect(pages.at(-1).pageInfo.hasNextPage).toBe(false);
      }
    });

    it('agrees with the cadence rules of meeting-cadence.ts (computeShortfalls) over the demo data', async () => {
      const db = server.db.client;
      const from = monthStart(13);
      const to = new Date(monthEnd(1).getTime() - 3 * 86_400_000);
      const branches = await db.organization.findMany({
        where: { kind: { in: ['BRANCH', 'TEMPORARY_BRANCH'] } },
        include: {
          children: { where: { kind: 'GROUP' }, select: { id: true } },
          cadres: { where: { endDate: null, post: { not: 'SECRETARY' } } },
        },
        orderBy: { code: 'asc' },
      });
      expect(branches.some((b) => b.kind === 'TEMPORARY_BRANCH' && b.termStart)).toBe(true);
      const meetings = await db.meeting.findMany({ where: { date: { gte: from, lte: to } } });
      const counts = new Map<string, MeetingCount>();
      for (const m of meetings) {
        const key = `${m.organizationId}|${m.kind}|${iso(m.date).slice(0, 7)}`;
        const row = counts.get(key) ?? { organizationId: m.organizationId, kind: m.kind, month: iso(m.date).slice(0, 7), count: 0 };
        row.count += 1;
        counts.set(key, row);
      }
      const expected = computeShortfalls(
        from,
        to,
        branches.map((b) => ({
          id: b.id,
          activeFrom: b.kind === 'TEMPORARY_BRANCH' ? b.termStart : null,
          activeTo: b.kind === 'TEMPORARY_BRANCH' ? b.termEnd : null,
          groupIds: b.children.map((c) => c.id),
          hasCommittee: b.cadres.length > 0,
        })),
        [...counts.values()],
      );
      const code = new Map(branches.map((b) => [b.id, b.code]));
      const pages = await walk({ from: iso(from), to: iso(to) }, 100);
      expect(pages.flatMap((p) => p.edges.map((e: any) => short(e.node)))).toEqual(
        expected.map((r) => ({
          code: code.get(r.organizationId),
          kind: r.kind,
          cadence: r.cadence,
          required: r.required,
          held: r.held,
          meetingCount: r.meetingCount,
        })),
      );
    });

    it('uses a fixed number of SQL statements, whatever the subtree and the page', async () => {
      const run = async (variables: Record<string, unknown>) => {
        statements = 0;
        expectOk(await server.gql(CONNECTION, { ...PERIOD(), ...variables }, admin));
        return statements;
      };
      await run({ under: org.SZJGGW!.gid, first: 50 });
      const whole = await run({ under: org.SZJGGW!.gid, first: 50 });
      expect(whole).toBeLessThanOrEqual(3);
      expect(await run({ under: org['SZJGGW-XCB']!.gid, first: 1 })).toBe(whole);
      const [first] = await walk(PERIOD(), 1);
      expect(await run({ first: 1, after: first.pageInfo.endCursor })).toBe(whole - 1);
    });

    it('refuses bad paging and hides sibling agencies', async () => {
      expectError(await server.gql(CONNECTION, { ...PERIOD(), first: 101 }, admin), 'BAD_USER_INPUT', 'meetingShortfallConnection.first');
      expectError(await server.gql(CONNECTION, { ...PERIOD(), first: -1 }, admin), 'BAD_USER_INPUT');
      expectError(await server.gql(CONNECTION, { ...PERIOD(), after: 'not-a-cursor' }, admin), 'BAD_USER_INPUT');
      expectError(
        await server.gql(
          'query ($from: Date!, $to: Date!) { meetingShortfallConnection(from: $from, to: $to, last: 2) { totalCount } }',
          PERIOD(),
          admin,
        ),
        'BAD_USER_INPUT',
        'last',
      );
      expectError(await server.gql(CONNECTION, { ...PERIOD(), to: iso(monthStart(12)) }, admin), 'BAD_USER_INPUT', 'to');
      expectError(await server.gql(CONNECTION, { ...PERIOD(), under: org['SZJGGW-XCB']!.gid }, kxAdmin), 'NOT_FOUND');
      const own = await walk(PERIOD(), 100, kxAdmin);
      for (const e of own.flatMap((p) => p.edges)) expect(e.node.organization.code.startsWith('SZJGGW-KX')).toBe(true);
      expectError(await server.gql(CONNECTION, PERIOD()), 'UNAUTHENTICATED');
      const none = expectOk(await server.gql(CONNECTION, { from: iso(daysAgo(-40)), to: iso(daysAgo(-100)) }, admin));
      expect(none.meetingShortfallConnection).toMatchObject({
        totalCount: 0,
        edges: [],
        pageInfo: { hasNextPage: false, endCursor: null },
      });
    });
  });

  describe('recording', () => {
    let recorded: string;

    it('records a meeting with attendance and an activity', async () => {
      const [a, b, c, d, e, f] = await membersOf('SZJGGW-MZJ-BGS');
      const before = await counts();
      const input = {
        organizationId: org['SZJGGW-MZJ-BGS']!.gid,
        kind: 'GENERAL_MEETING',
        date: iso(daysAgo(1)),
        topic: ' 学习传达上级会议精神 ',
        attendance: [
          { memberId: a!.gid, present: true },
          { memberId: b!.gid, present: false, absenceReason: '出差' },
          { memberId: c!.gid, present: true, absenceReason: '' },
          { memberId: d!.gid, present: true },
          { memberId: e!.gid, present: true },
          { memberId: f!.gid, present: true },
        ],
      };
      const { recordMeeting: meeting } = expectOk(await server.gql(RECORD, { input }, bgsSecretary));
      recorded = meeting.id;
      expect(meeting).toMatchObject({
        kind: 'GENERAL_MEETING',
        date: iso(daysAgo(1)),
        topic: '学习传达上级会议精神',
        presentCount: 5,
        absentCount: 1,
        attendanceRate: 0.8333,
        organization: { code: 'SZJGGW-MZJ-BGS' },
      });
      expect(meeting.attendance).toHaveLength(6);
      expect(meeting.attendance[5]).toEqual({ present: false, absenceReason: '出差', member: { id: b!.gid, name: b!.name } });
      expect(await counts()).toEqual({
        meetings: before.meetings + 1,
        attendance: before.attendance + 6,
        activities: before.activities + 1,
      });
      const activity = await server.db.client.activity.findFirstOrThrow({ where: { kind: 'meeting.recorded' }, orderBy: { id: 'desc' } });
      expect(activity).toMatchObject({
        organizationId: org['SZJGGW-MZJ-BGS']!.id,
        subjectType: 'Meeting',
        subjectId: rawId(recorded),
        actorId: 'bgs-secretary',
      });
      expect(expectOk(await server.gql(MEETING, { id: recorded }, mzjReader)).meeting).toMatchObject({ id: recorded, presentCount: 5 });
    });

    it('refuses a second record of the same meeting', async () => {
      const [a] = await membersOf('SZJGGW-MZJ-BGS');
      const before = await counts();
      const input = {
        organizationId: org['SZJGGW-MZJ-BGS']!.gid,
        kind: 'GENERAL_MEETING',
        date: iso(daysAgo(1)),
        topic: '学习传达上级会议精神',
        attendance: [{ memberId: a!.gid, present: true }],
      };
      expectError(await server.gql(RECORD, { input }, mzjAdmin), 'CONFLICT', 'input.topic');
      expect(await counts()).toEqual(before);
    });

    it('names the attendee who is not a member, and writes nothing', async () => {
      const members = await membersOf('SZJGGW-MZJ-BGS', 5);
      const [outsider] = await membersOf('SZJGGW-MZJ-SHJZ', 1);
      const [sibling] = await membersOf('SZJGGW-KX-XHB', 1);
      const before = await counts();
      const attempt = (memberId: string) => {
        const attendance = members.map((m) => ({ memberId: m.gid, present: true }));
        attendance[3] = { memberId, present: true };
        return server.gql(
          RECORD,
          {
            input: {
              organizationId: org['SZJGGW-MZJ-BGS']!.gid,
              kind: 'THEME_DAY',
              date: iso(daysAgo(2)),
              topic: '走进社区开展志愿服务',
              attendance,
            },
          },
          mzjAdmin,
        );
      };
      const wrongBranch = await attempt(outsider!.gid);
      const otherAgency = await attempt(sibling!.gid);
      const missing = await attempt(gid('Member', '00000000-0000-7000-8000-000000000000'));
      for (const result of [wrongBranch, otherAgency, missing]) expectError(result, 'BAD_USER_INPUT', 'input.attendance[3].memberId');
      // A member of another agency reads exactly like one that does not exist.
      expect(otherAgency.errors![0]!.message).toBe(missing.errors![0]!.message);
      expect(await counts()).toEqual(before);
    });

    it('refuses bad input naming the field', async () => {
      const [a, b, c] = await membersOf('SZJGGW-MZJ-BGS');
      const before = await counts();
      const base = {
        organizationId: org['SZJGGW-MZJ-BGS']!.gid,
        kind: 'PARTY_LECTURE',
        date: iso(daysAgo(3)),
        topic: '党课：学党史 悟思想',
      };
      const ok = [
        { memberId: a!.gid, present: true },
        { memberId: b!.gid, present: true },
        { memberId: c!.gid, present: true },
      ];
      const record = (input: Record<string, unknown>) => server.gql(RECORD, { input: { ...base, attendance: ok, ...input } }, mzjAdmin);
      expectError(
        await record({ attendance: [ok[0], { memberId: b!.gid, present: false }] }),
        'BAD_USER_INPUT',
        'input.attendance[1].absenceReason',
      );
      expectError(
        await record({ attendance: [ok[0], { memberId: b!.gid, present: true, absenceReason: '病假' }] }),
        'BAD_USER_INPUT',
        'input.attendance[1].absenceReason',
      );
      expectError(
        await record({ attendance: [ok[0], ok[1], { memberId: a!.gid, present: true }] }),
        'BAD_USER_INPUT',
        'input.attendance[2].memberId',
      );
      expectError(
        await record({ attendance: [ok[0], { memberId: org['SZJGGW-MZJ']!.gid, present: true }] }),
        'BAD_USER_INPUT',
        'input.attendance[1].memberId',
      );
      expectError(await record({ attendance: [] }), 'BAD_USER_INPUT', 'input.attendance');
      expectError(await record({ date: iso(daysAgo(-1)) }), 'BAD_USER_INPUT', 'input.date');
      expectError(await record({ topic: '   ' }), 'BAD_USER_INPUT', 'input.topic');
      expectError(await record({ kind: 'GROUP_MEETING' }), 'BAD_USER_INPUT', 'input.kind');
      expect(await counts()).toEqual(before);
    });

    it('records a group meeting with members of the group’s branch, and a temporary branch meeting with secondees', async () => {
      const [a, b] = await membersOf('SZJGGW-MZJ-YLFW');
      const group = expectOk(
        await server.gql(
          RECORD,
          {
            input: {
              organizationId: org['SZJGGW-MZJ-YLFW-G1']!.gid,
              kind: 'GROUP_MEETING',
              date: iso(daysAgo(4)),
              topic: '交流学习体会',
              attendance: [
                { memberId: a!.gid, present: true },
                { memberId: b!.gid, present: true },
              ],
            },
          },
          mzjAdmin,
        ),
      );
      expect(group.recordMeeting).toMatchObject({ kind: 'GROUP_MEETING', attendanceRate: 1, organization: { code: 'SZJGGW-MZJ-YLFW-G1' } });
      expectError(
        await server.gql(
          RECORD,
          {
            input: {
              organizationId: org['SZJGGW-MZJ-YLFW-G1']!.gid,
              kind: 'THEME_DAY',
              date: iso(daysAgo(4)),
              topic: '交流学习体会',
              attendance: [{ memberId: a!.gid, present: true }],
            },
          },
          mzjAdmin,
        ),
        'BAD_USER_INPUT',
        'input.kind',
      );
      const [secondee] = await membersOf('SZJGGW-FGW-GDZC', 1);
      const temporary = expectOk(
        await server.gql(
          RECORD,
          {
            input: {
              organizationId: org['SZJGGW-FGW-ZDXM']!.gid,
              kind: 'THEME_DAY',
              date: iso(daysAgo(4)),
              topic: '学习身边先进典型',
              attendance: [{ memberId: secondee!.gid, present: true }],
            },
          },
          admin,
        ),
      );
      expect(temporary.recordMeeting.organization.code).toBe('SZJGGW-FGW-ZDXM');
    });

    it('lets only ADMIN and SECRETARY record, and a sibling agency not at all', async () => {
      const [a] = await membersOf('SZJGGW-MZJ-BGS');
      const input = {
        organizationId: org['SZJGGW-MZJ-BGS']!.gid,
        kind: 'THEME_DAY',
        date: iso(daysAgo(5)),
        topic: '结对帮扶走访困难群众',
        attendance: [{ memberId: a!.gid, present: true }],
      };
      const before = await counts();
      expectError(await server.gql(RECORD, { input }, mzjReader), 'FORBIDDEN');
      expectError(await server.gql(RECORD, { input }, kxAdmin), 'NOT_FOUND');
      expectError(await server.gql(RECORD, { input }), 'UNAUTHENTICATED');
      expect(await counts()).toEqual(before);
    });
  });

  describe('reading', () => {
    it('filters by subtree, kind and dates, with a total count', async () => {
      const filter = {
        under: org['SZJGGW-MZJ']!.gid,
        kind: ['THEME_DAY', 'PARTY_LECTURE'],
        from: iso(monthStart(6)),
        to: iso(monthEnd(1)),
      };
      const data = expectOk(await gqlAllPages(server, MEETINGS, { filter }, mzjReader, 'meetings'));
      const expected = await server.db.client.meeting.count({
        where: {
          organization: { path: { startsWith: org['SZJGGW-MZJ']!.path } },
          kind: { in: ['THEME_DAY', 'PARTY_LECTURE'] },
          date: { gte: monthStart(6), lte: monthEnd(1) },
        },
      });
      expect(expected).toBeGreaterThan(0);
      expect(data.meetings.totalCount).toBe(expected);
      expect(data.meetings.edges).toHaveLength(expected);
      const dates = data.meetings.edges.map((e: any) => e.node.date);
      expect(dates).toEqual([...dates].sort().reverse());
      for (const { node } of data.meetings.edges) {
        expect(['THEME_DAY', 'PARTY_LECTURE']).toContain(node.kind);
        expect(node.organization.code.startsWith('SZJGGW-MZJ')).toBe(true);
        expect(node.presentCount + node.absentCount).toBe(node.attendance.length);
      }
      expectError(
        await server.gql(MEETINGS, { filter: { from: iso(daysAgo(1)), to: iso(daysAgo(9)) } }, mzjReader),
        'BAD_USER_INPUT',
        'filter.to',
      );
    });

    it('reads attendance with a fixed number of SQL statements, however many meetings', async () => {
      const run = async (first: number) => {
        statements = 0;
        const data = expectOk(await server.gql(MEETINGS, { first }, admin));
        expect(data.meetings.edges).toHaveLength(first);
        return statements;
      };
      await run(2);
      expect(await run(80)).toBe(await run(2));
    });

    it('shows a sibling agency none of another agency’s meetings', async () => {
      const mzjMeeting = await server.db.client.meeting.findFirstOrThrow({
        where: { organization: { path: { startsWith: org['SZJGGW-MZJ']!.path } } },
      });
      expect(expectOk(await server.gql(MEETING, { id: gid('Meeting', mzjMeeting.id) }, kxAdmin)).meeting).toBeNull();
      expect(expectOk(await server.gql(NODE, { id: gid('Meeting', mzjMeeting.id) }, kxAdmin)).node).toBeNull();
      expectError(await server.gql(MEETINGS, { filter: { under: org['SZJGGW-MZJ']!.gid } }, kxAdmin), 'NOT_FOUND');
      const own = expectOk(await server.gql(MEETINGS, { first: 1 }, kxAdmin));
      expect(own.meetings.totalCount).toBe(
        await server.db.client.meeting.count({ where: { organization: { path: { startsWith: org['SZJGGW-KX']!.path } } } }),
      );
    });
  });
});
