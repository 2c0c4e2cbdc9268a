import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const iso = (date: Date) => date.toISOString().slice(0, 10);
const today = () => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
const daysAgo = (n: number) => new Date(today().getTime() - n * 86_400_000);

function expectError(result: GqlResult, code: string, field?: string) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field) expect(result.errors![0]!.extensions?.field, JSON.stringify(result.errors)).toBe(field);
}

function expectOk<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

const FIELDS = `id name standing standingSince mobileSince mobileDestination mobileHost { id } lostContactSince lostContactEfforts retainedSince
  lifecycle { kind date reason details recordedBy }`;
const CHANGE = `mutation ($id: ID!, $input: RecordMemberLifecycleInput!) { recordMemberLifecycle(id: $id, input: $input) { ${FIELDS} } }`;
const MEMBERS = `query ($filter: MemberFilter) { members(filter: $filter, first: 100) { totalCount edges { node { id } } } }`;
const ORG = `query ($id: ID!) { node(id: $id) { ... on Organization { memberCount subtreeMemberCount members(first: 100) { totalCount edges { node { id } } } } } }`;

describe('member lifecycle (党籍变动)', () => {
  let server: TestServer;
  let secretary: string;
  let sibling: string;
  let branch: { id: string; gid: string };
  let members: { id: string; gid: string }[];

  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    sibling = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    const org = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-BGS' } });
    branch = { id: org.id, gid: gid('Organization', org.id) };
    const rows = await server.db.client.member.findMany({
      where: { organizationId: org.id, status: 'FULL' },
      orderBy: { name: 'asc' },
      take: 6,
    });
    members = rows.map((m) => ({ id: m.id, gid: gid('Member', m.id) }));
  });
  afterAll(() => server?.close());

  const roster = async () => {
    const org = expectOk(await server.gql(ORG, { id: branch.gid }, secretary)).node;
    const list = expectOk(await server.gql(MEMBERS, { filter: { organizationId: branch.gid } }, secretary)).members;
    return { org, list, ids: list.edges.map((e: any) => e.node.id) as string[] };
  };

  it('suspends and restores a membership, dated, reasoned and audited', async () => {
    const m = members[0]!;
    const date = iso(daysAgo(20));
    let r = expectOk(
      await server.gql(CHANGE, { id: m.gid, input: { kind: 'SUSPENDED', date, reason: '长期失联，支部大会决定停止党籍' } }, secretary),
    );
    expect(r.recordMemberLifecycle).toMatchObject({ standing: 'SUSPENDED', standingSince: date });
    expectError(await server.gql(CHANGE, { id: m.gid, input: { kind: 'SUSPENDED', date, reason: '再次' } }, secretary), 'ILLEGAL_STATE');
    expectError(
      await server.gql(CHANGE, { id: m.gid, input: { kind: 'RESTORED', date: iso(daysAgo(30)), reason: '早于' } }, secretary),
      'BAD_USER_INPUT',
      'input.date',
    );
    r = expectOk(
      await server.gql(CHANGE, { id: m.gid, input: { kind: 'RESTORED', date: iso(daysAgo(5)), reason: '恢复联系' } }, secretary),
    );
    expect(r.recordMemberLifecycle.standing).toBe('ACTIVE');
    expect(r.recordMemberLifecycle.lifecycle.map((e: any) => e.kind)).toEqual(['SUSPENDED', 'RESTORED']);
    expect(r.recordMemberLifecycle.lifecycle[0].recordedBy).toBe('mzj-secretary');
    expect(
      await server.db.client.activity.count({ where: { subjectId: m.id, kind: { in: ['member.suspended', 'member.restored'] } } }),
    ).toBe(2);
  });

  it('takes a member who left or died out of rosters, counts and arrears, but keeps them readable', async () => {
    const before = await roster();
    const [left, died] = [members[1]!, members[2]!];
    expectOk(await server.gql(CHANGE, { id: left.gid, input: { kind: 'EXPELLED', date: iso(daysAgo(3)), reason: '严重违纪' } }, secretary));
    expectOk(await server.gql(CHANGE, { id: died.gid, input: { kind: 'DIED', date: iso(daysAgo(2)), reason: '病故' } }, secretary));
    const after = await roster();
    expect(after.list.totalCount).toBe(before.list.totalCount - 2);
    expect(after.ids).not.toContain(left.gid);
    expect(after.org.memberCount).toBe(before.org.memberCount - 2);
    expect(after.org.subtreeMemberCount).toBe(before.org.subtreeMemberCount - 2);
    expect(after.org.members.edges.map((e: any) => e.node.id)).not.toContain(died.gid);
    const inArrears = expectOk(
      await server.gql(MEMBERS, { filter: { organizationId: branch.gid, inArrears: true, arrearsMonths: 24 } }, secretary),
    ).members;
    expect(inArrears.edges.map((e: any) => e.node.id)).not.toContain(left.gid);
    // Readable in history, and listed when asked for.
    const gone = expectOk(
      await server.gql(MEMBERS, { filter: { organizationId: branch.gid, standing: ['LEFT', 'DECEASED'] } }, secretary),
    ).members;
    expect(gone.edges.map((e: any) => e.node.id).sort()).toEqual([left.gid, died.gid].sort());
    const read = expectOk(await server.gql(`query ($id: ID!) { member(id: $id) { ${FIELDS} } }`, { id: left.gid }, secretary)).member;
    expect(read).toMatchObject({ standing: 'LEFT', lifecycle: [{ kind: 'EXPELLED', reason: '严重违纪' }] });
    // Leaving is final.
    expectError(
      await server.gql(CHANGE, { id: left.gid, input: { kind: 'RESTORED', date: iso(today()), reason: 'x' } }, secretary),
      'ILLEGAL_STATE',
    );
  });

  it('decides 自行脱党 only after six months without dues', async () => {
    const m = members[3]!;
    const month = new Date(Date.UTC(today().getUTCFullYear(), today().getUTCMonth() - 1, 1));
    await server.db.client.duesPayment.create({ data: { memberId: m.id, month, amount: '10.00' } });
    const res = await server.gql(CHANGE, { id: m.gid, input: { kind: 'LAPSED', date: iso(today()), reason: '半年未交党费' } }, secretary);
    expectError(res, 'BAD_USER_INPUT', 'input.date');
    expect(res.errors![0]!.message).toContain('six months');
  });

  it('records 流动党员, 失联党员 and 保留党籍 with filters for each group', async () => {
    const [mobile, lost] = [members[4]!, members[5]!];
    expectError(
      await server.gql(CHANGE, { id: mobile.gid, input: { kind: 'WENT_MOBILE', date: iso(daysAgo(40)), reason: '外出务工' } }, secretary),
      'BAD_USER_INPUT',
      'input.details',
    );
    const r = expectOk(
      await server.gql(
        CHANGE,
        {
          id: mobile.gid,
          input: {
            kind: 'WENT_MOBILE',
            date: iso(daysAgo(40)),
            reason: '外出务工',
            details: '深圳市南山区',
            hostOrganizationId: branch.gid,
          },
        },
        secretary,
      ),
    ).recordMemberLifecycle;
    expect(r).toMatchObject({
      standing: 'ACTIVE',
      mobileSince: iso(daysAgo(40)),
      mobileDestination: '深圳市南山区',
      mobileHost: { id: branch.gid },
    });
    expectOk(
      await server.gql(
        CHANGE,
        { id: lost.gid, input: { kind: 'LOST_CONTACT', date: iso(daysAgo(30)), reason: '联系不上', details: '电话、走访家属' } },
        secretary,
      ),
    );
    expectOk(
      await server.gql(CHANGE, { id: lost.gid, input: { kind: 'RETAINED', date: iso(daysAgo(10)), reason: '依规保留党籍' } }, secretary),
    );
    const list = async (filter: Record<string, unknown>) =>
      expectOk(await server.gql(MEMBERS, { filter: { organizationId: branch.gid, ...filter } }, secretary)).members.edges.map(
        (e: any) => e.node.id,
      );
    expect(await list({ mobile: true })).toEqual([mobile.gid]);
    expect(await list({ lostContact: true })).toEqual([lost.gid]);
    expect(await list({ retained: true })).toEqual([lost.gid]);
    expect(await list({ mobile: false })).not.toContain(mobile.gid);
    expectOk(
      await server.gql(CHANGE, { id: mobile.gid, input: { kind: 'MOBILE_RETURNED', date: iso(daysAgo(1)), reason: '返回' } }, secretary),
    );
    expect(await list({ mobile: true })).toEqual([]);
    expectError(
      await server.gql(CHANGE, { id: mobile.gid, input: { kind: 'MOBILE_RETURNED', date: iso(today()), reason: '再次' } }, secretary),
      'ILLEGAL_STATE',
    );
    expectError(
      await server.gql(CHANGE, { id: mobile.gid, input: { kind: 'PROBATION_CANCELLED', date: iso(today()), reason: 'x' } }, secretary),
      'BAD_USER_INPUT',
      'input.kind',
    );
  });

  it('lets a sibling agency change nothing', async () => {
    expectError(
      await server.gql(CHANGE, { id: members[0]!.gid, input: { kind: 'SUSPENDED', date: iso(today()), reason: 'x' } }, sibling),
      'NOT_FOUND',
    );
    expect(
      expectOk(await server.gql(MEMBERS, { filter: { standing: ['LEFT', 'DECEASED'] } }, sibling)).members.edges.map((e: any) => e.node.id),
    ).not.toContain(members[1]!.gid);
  });
});
