import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalIdChecksum } from '@dangjian/db';
import { gqlAllPages, startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const now = new Date();
/** `YYYY-MM` of the month `offset` months from the current one (UTC). */
const month = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
const firstOf = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));

function expectError(result: GqlResult, code: string, field?: string) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code).toBe(code);
  if (field) expect(result.errors![0]!.extensions?.field).toBe(field);
}

const PAY = `mutation ($memberId: ID!, $month: String!, $amount: Decimal!) {
  recordDuesPayment(memberId: $memberId, month: $month, amount: $amount) { month amount paidAt member { name unpaidMonths } } }`;
const MEMBER = `query ($id: ID!, $months: Int) { member(id: $id) {
  unpaidMonths(months: $months) dues(first: 10) { totalCount edges { node { month amount } } } } }`;
const LIST = `query ($filter: MemberFilter, $first: Int, $after: String) { members(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id unpaidMonths } } } }`;

describe('party dues (党费)', () => {
  let server: TestServer;
  let secretary: string;
  let reader: string;
  let sibling: string;
  let branchGid: string;
  let newcomer: { gid: string; id: string };

  const counts = async () => ({
    payments: await server.db.client.duesPayment.count(),
    activities: await server.db.client.activity.count(),
  });

  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    reader = await server.token('SZJGGW-MZJ', ['MEMBER']);
    sibling = await server.token('SZJGGW-KX', ['SECRETARY']);
    const branch = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-BGS' } });
    branchGid = gid('Organization', branch.id);
    // A member who joined four months ago and has paid nothing yet.
    const first17 = '11010119920410' + '123';
    const joinedAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 4, 10)).toISOString().slice(0, 10);
    const registered = await server.gql(
      `mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
      { input: { organizationId: branchGid, name: '党费测试', nationalId: first17 + nationalIdChecksum(first17), joinedAt } },
      secretary,
    );
    expect(registered.errors).toBeUndefined();
    const id = registered.data.registerMember.id as string;
    newcomer = { gid: id, id: Buffer.from(id, 'base64').toString().split(':')[1]! };
  });
  afterAll(() => server?.close());

  // The window is the last N *due* months: with the default due date (the month's end) the current month is
  // never owed yet — before issue 25 it was listed from its first day.
  it('lists the unpaid months of the window of due months, never before joining and never the month not yet due', async () => {
    const three = await server.gql(MEMBER, { id: newcomer.gid }, reader);
    expect(three.data.member.unpaidMonths).toEqual([month(-3), month(-2), month(-1)]);
    const twelve = await server.gql(MEMBER, { id: newcomer.gid, months: 12 }, reader);
    expect(twelve.data.member.unpaidMonths).toEqual([month(-4), month(-3), month(-2), month(-1)]);
  });

  it('records a payment with an activity and shrinks the arrears', async () => {
    const result = await server.gql(PAY, { memberId: newcomer.gid, month: month(-1), amount: '12.5' }, secretary);
    expect(result.errors).toBeUndefined();
    expect(result.data.recordDuesPayment).toMatchObject({
      month: month(-1),
      amount: '12.50',
      member: { name: '党费测试', unpaidMonths: [month(-3), month(-2)] },
    });
    const activity = await server.db.client.activity.findFirstOrThrow({ where: { kind: 'member.duesPaid', subjectId: newcomer.id } });
    expect(activity).toMatchObject({ actorId: 'mzj-secretary', data: { month: month(-1), amount: '12.50' } });
    expect(activity.summary).toContain('党费测试');
    expect(activity.summary).toContain('12.50');
  });

  it('lists payments newest month first', async () => {
    await server.gql(PAY, { memberId: newcomer.gid, month: month(-3), amount: '12.50' }, secretary);
    const { data } = await server.gql(MEMBER, { id: newcomer.gid }, reader);
    expect(data.member.dues.totalCount).toBe(2);
    expect(data.member.dues.edges.map((e: any) => e.node.month)).toEqual([month(-1), month(-3)]);
  });

  it('filters members in arrears in SQL, moving a member out once every due month is paid', async () => {
    const inArrears = async (flag: boolean) =>
      (
        await gqlAllPages(server, LIST, { filter: { organizationId: branchGid, inArrears: flag } }, reader, 'members')
      ).data.members.edges.map((e: any) => e.node.id);
    expect(await inArrears(true)).toContain(newcomer.gid);
    expect(await inArrears(false)).not.toContain(newcomer.gid);
    for (const m of [month(-2), month(0)]) {
      expect((await server.gql(PAY, { memberId: newcomer.gid, month: m, amount: '12.50' }, secretary)).errors).toBeUndefined();
    }
    expect(await inArrears(true)).not.toContain(newcomer.gid);
    expect(await inArrears(false)).toContain(newcomer.gid);
    // A longer window reaches back to the unpaid month after joining.
    const longer = await gqlAllPages(
      server,
      LIST,
      { filter: { organizationId: branchGid, inArrears: true, arrearsMonths: 6 } },
      reader,
      'members',
    );
    expect(longer.data.members.edges.map((e: any) => e.node.id)).toContain(newcomer.gid);
  });

  it('agrees with the arrears computed from the stored rows, for every window', async () => {
    const db = server.db.client;
    const rootReader = await server.token('SZJGGW', ['MEMBER']);
    const members = await db.member.findMany({ include: { dues: true } });
    for (const months of [1, 3, 12]) {
      const owing = members.filter((m) => {
        const joined = Date.UTC(m.joinedAt.getUTCFullYear(), m.joinedAt.getUTCMonth(), 1);
        const paid = new Set(m.dues.map((d) => d.month.getTime()));
        // Due months: the window ends with last month (the current one falls due at its end).
        return Array.from({ length: months }, (_, i) => firstOf(-1 - i).getTime()).some((t) => t >= joined && !paid.has(t));
      });
      const result = await gqlAllPages(server, LIST, { filter: { inArrears: true, arrearsMonths: months } }, rootReader, 'members');
      expect(result.data.members.totalCount).toBe(owing.length);
      expect(new Set(result.data.members.edges.map((e: any) => e.node.id))).toEqual(new Set(owing.map((m) => gid('Member', m.id))));
      expect(result.data.members.edges.every((e: any) => months !== 3 || e.node.unpaidMonths.length > 0)).toBe(true);
      const paidUp = await gqlAllPages(server, LIST, { filter: { inArrears: false, arrearsMonths: months } }, rootReader, 'members');
      expect(paidUp.data.members.totalCount).toBe(members.length - owing.length);
      // The demo always stages arrears (不按时缴纳党费), so the comparison is never vacuous.
      if (months === 12) expect(owing.length).toBeGreaterThan(0);
    }
  });

  it.each([
    ['month', { month: '2024-13' }],
    ['month', { month: '2024-5' }],
    ['month', { month: month(1) }],
    ['month', { month: month(-5) }],
    ['amount', { amount: '0' }],
    ['amount', { amount: '-10' }],
    ['amount', { amount: '1.005' }],
  ])('rejects a bad %s (%j) and writes nothing', async (field, change) => {
    const before = await counts();
    const result = await server.gql(PAY, { memberId: newcomer.gid, month: month(-4), amount: '10.00', ...change }, secretary);
    expectError(result, 'BAD_USER_INPUT', field);
    expect(await counts()).toEqual(before);
  });

  it('rejects a second payment for the same month with CONFLICT', async () => {
    const before = await counts();
    expectError(await server.gql(PAY, { memberId: newcomer.gid, month: month(-1), amount: '12.50' }, secretary), 'CONFLICT', 'month');
    expect(await counts()).toEqual(before);
  });

  it('lets exactly one of two concurrent payments for a month through', async () => {
    const before = await counts();
    const results = await Promise.all(
      [1, 2, 3].map(() => server.gql(PAY, { memberId: newcomer.gid, month: month(-4), amount: '12.50' }, secretary)),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const failed of results.filter((r) => r.errors)) expectError(failed, 'CONFLICT', 'month');
    const after = await counts();
    expect(after.payments - before.payments).toBe(1);
    expect(after.activities - before.activities).toBe(1);
  });

  it('rejects a window outside 1–24 months', async () => {
    expectError(
      await gqlAllPages(server, LIST, { filter: { inArrears: true, arrearsMonths: 0 } }, reader, 'members'),
      'BAD_USER_INPUT',
      'filter.arrearsMonths',
    );
    expectError(await server.gql(MEMBER, { id: newcomer.gid, months: 25 }, reader), 'BAD_USER_INPUT', 'months');
  });

  it('answers NOT_FOUND to a sibling organization, as for a nonexistent member, and needs ADMIN or SECRETARY', async () => {
    const before = await counts();
    expectError(await server.gql(PAY, { memberId: newcomer.gid, month: month(-4), amount: '10' }, sibling), 'NOT_FOUND');
    expectError(
      await server.gql(PAY, { memberId: gid('Member', '00000000-0000-7000-8000-000000000000'), month: month(-4), amount: '10' }, sibling),
      'NOT_FOUND',
    );
    expectError(await server.gql(PAY, { memberId: newcomer.gid, month: month(-4), amount: '10' }, reader), 'FORBIDDEN');
    expect(await counts()).toEqual(before);
    const list = await gqlAllPages(server, LIST, { filter: { inArrears: true } }, sibling, 'members');
    expect(list.data.members.edges.map((e: any) => e.node.id)).not.toContain(newcomer.gid);
  });
});
