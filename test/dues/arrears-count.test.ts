import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalIdChecksum } from '@dangjian/db';
import { gqlAllPages, startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';
import { dueWindow } from '../../packages/core/src/dues/statement.ts';

// A committee's arrears count (`members(filter: { under, inArrears: true }) { totalCount }`) reads the
// unsettled runs by index (open runs of members on the roll, closed runs ending in or after the window).
// It must count exactly the members the list returns, the members whose `unpaidMonths` are not empty, and
// what the count read before the runs carried `onRoll` — on members of every kind: no dues, paid up,
// underpaid, an old gap, exempt, paid ahead with gaps, suspended, left, transferred out and back,
// transferred to another branch, joined this month, a gap settled later. The count sums the rollup
// DuesArrearsRollup (kept by triggers on the runs): after every kind of write — dues, lifecycle, a
// transfer, a whole branch moved to another committee, a member deleted — it must equal a recount.

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const now = new Date();
const month = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
const iso = (d: Date) => d.toISOString().slice(0, 10);

function expectOk<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

const COUNT = `query ($filter: MemberFilter) { members(filter: $filter, first: 1) { totalCount } }`;
const LIST = `query ($filter: MemberFilter, $first: Int, $after: String) { members(filter: $filter, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`;
const UNPAID = `query ($filter: MemberFilter, $months: Int!, $first: Int, $after: String) { members(filter: $filter, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id unpaidMonths(months: $months) } } } }`;

describe('arrears count of a subtree', () => {
  let server: TestServer;
  let secretary: string;
  let committee: string;
  let reader: string;
  let branchGid: string;
  let otherGid: string;
  let committeeGid: string;
  let serial = 300;
  const named = new Map<string, string>();

  async function newMember(name: string, joinedMonthsAgo: number): Promise<string> {
    const first17 = `11010119850101${String(serial++).padStart(3, '0')}`;
    const joinedAt = iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - joinedMonthsAgo, 1)));
    const data = expectOk(
      await server.gql(
        `mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
        { input: { organizationId: branchGid, name, nationalId: first17 + nationalIdChecksum(first17), joinedAt } },
        secretary,
      ),
    );
    named.set(name, data.registerMember.id);
    return data.registerMember.id as string;
  }
  const pay = async (memberId: string, offsets: number[], amount = '10', skip: number[] = []) =>
    expectOk(
      await server.gql(
        `mutation ($input: PayDuesInput!) { payDues(input: $input) { total } }`,
        { input: { memberId, method: 'CASH', items: offsets.filter((o) => !skip.includes(o)).map((o) => ({ month: month(o), amount })) } },
        secretary,
      ),
    );
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const setBase = async (memberId: string, monthlyBase: string, from: number) =>
    expectOk(
      await server.gql(
        `mutation ($input: SetDuesBaseInput!) { setDuesBase(input: $input) { standard } }`,
        { input: { memberId, category: 'EMPLOYED', monthlyBase, effectiveFrom: month(from) } },
        secretary,
      ),
    );
  const lifecycle = async (memberId: string, kind: string) =>
    expectOk(
      await server.gql(
        `mutation ($id: ID!, $input: RecordMemberLifecycleInput!) { recordMemberLifecycle(id: $id, input: $input) { standing } }`,
        { id: memberId, input: { kind, date: iso(now), reason: '测试' } },
        secretary,
      ),
    );

  /** The count as it was read before the runs carried `onRoll` (the member's standing joined instead). */
  async function countBefore(under: string, months: number): Promise<number> {
    const org = await server.db.client.organization.findUniqueOrThrow({ where: { id: rawId(under) } });
    // The department's default due day (none set here): the month's last day.
    const window = dueWindow(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())), null, months);
    const first = iso(window[0]!);
    const last = iso(window[window.length - 1]!);
    const [row] = await server.db.client.$queryRaw<{ count: number }[]>`
      SELECT COUNT(DISTINCT r."memberId")::int AS count FROM "DuesUnsettledRun" r
      WHERE r.path LIKE ${`${org.path}%`} AND r."fromMonth" <= ${last}::date
        AND (r."toMonth" IS NULL OR r."toMonth" >= ${first}::date)
        AND EXISTS (SELECT 1 FROM "Member" m WHERE m.id = r."memberId" AND m.standing IN ('ACTIVE', 'SUSPENDED'))`;
    return row!.count;
  }

  /** Rows where the rollup differs from a recount of the open runs on the roll (none when it is right). */
  async function rollupDrift(): Promise<unknown[]> {
    return server.db.client.$queryRaw<unknown[]>`
      WITH recount AS (
        SELECT a.id AS "organizationId", r."fromMonth", coalesce(r."gapFrom", DATE '0001-01-01') AS "gapFrom",
               coalesce(r."gapTo", DATE '0001-01-01') AS "gapTo", count(*)::int AS members
          FROM "DuesUnsettledRun" r CROSS JOIN LATERAL unnest(string_to_array(btrim(r.path, '/'), '/')) AS a(id)
         WHERE r."toMonth" IS NULL AND r."onRoll"
         GROUP BY 1, 2, 3, 4),
      kept AS (SELECT "organizationId", "fromMonth", "gapFrom", "gapTo", members FROM "DuesArrearsRollup")
      (SELECT 'missing' AS side, * FROM (SELECT * FROM recount EXCEPT SELECT * FROM kept) x)
      UNION ALL
      (SELECT 'extra', * FROM (SELECT * FROM kept EXCEPT SELECT * FROM recount) y)`;
  }

  /** Count, list and reference of one subtree and window; returns the members in arrears. */
  async function arrears(under: string, months: number): Promise<Set<string>> {
    const count = expectOk(await server.gql(COUNT, { filter: { under, inArrears: true, arrearsMonths: months } }, reader)).members
      .totalCount;
    const list = await gqlAllPages(server, LIST, { filter: { under, inArrears: true, arrearsMonths: months } }, reader, 'members');
    const ids = new Set<string>(list.data.members.edges.map((e: any) => e.node.id));
    const all = await gqlAllPages(server, UNPAID, { filter: { under }, months }, reader, 'members');
    const reference = new Set<string>(all.data.members.edges.filter((e: any) => e.node.unpaidMonths.length > 0).map((e: any) => e.node.id));
    expect(ids, `under ${under}, ${months} months: list vs unpaidMonths`).toEqual(reference);
    expect(count, `under ${under}, ${months} months: count vs list`).toBe(ids.size);
    expect(count, `under ${under}, ${months} months: count vs the count before`).toBe(await countBefore(under, months));
    return ids;
  }

  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ-BGS', ['SECRETARY'], 'bgs-secretary');
    committee = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    reader = await server.token('SZJGGW-MZJ', ['MEMBER']);
    const branch = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-BGS' } });
    const mzj = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
    const other = await server.db.client.organization.findFirstOrThrow({
      where: { parentId: mzj.id, kind: 'BRANCH', code: { not: 'SZJGGW-MZJ-BGS' } },
    });
    branchGid = gid('Organization', branch.id);
    otherGid = gid('Organization', other.id);
    committeeGid = gid('Organization', mzj.id);

    await newMember('无缴费', 20);
    await pay(await newMember('按时缴清', 8), range(-8, -1));
    const partial = await newMember('少交一月', 8);
    await setBase(partial, '6000', -8); // 90.00 a month
    await pay(partial, range(-8, -1), '90', [-2]);
    await pay(partial, [-2], '50');
    await pay(await newMember('旧欠一月', 8), range(-8, -1), '10', [-5]);
    const exempt = await newMember('免交党员', 8);
    await setBase(exempt, '3000', -8);
    await pay(exempt, range(-8, -4), '15');
    expectOk(
      await server.gql(
        `mutation ($input: RecordDuesReductionInput!) { recordDuesReduction(input: $input) { exempt } }`,
        {
          input: {
            memberId: exempt,
            approvedById: committeeGid,
            fromMonth: month(-3),
            toMonth: month(0),
            monthlyAmount: '0',
            reason: '重病住院',
            decisionNumber: '民党〔2026〕9号',
            approvedAt: iso(now),
          },
        },
        committee,
      ),
    );
    // Paid ahead with gaps: closed runs that lie after the window.
    await pay(await newMember('预交有缺', 8), [...range(-8, 0), 2, 4]);
    await pay(await newMember('预交当月缺', 8), [...range(-8, -1), 1, 2]);
    // A gap in the window and a later one after it (paid ahead): the latest gap alone would miss the first.
    await pay(await newMember('欠缴又预交', 8), [...range(-8, -1), 2], '10', [-2]);
    await lifecycle(await newMember('停止党籍', 12), 'SUSPENDED');
    await lifecycle(await newMember('出党', 12), 'EXPELLED');
    await newMember('转出又转回', 12);
    await newMember('已转出', 12);
    const moved = await newMember('调往他支部', 12);
    expectOk(
      await server.gql(
        `mutation ($id: ID!, $to: ID!) { transferMember(id: $id, toOrganizationId: $to, reason: "工作调动") { id } }`,
        { id: moved, to: otherGid },
        committee,
      ),
    );
    await newMember('本月入党', 0);
    const settled = await newMember('后来补交', 8);
    await pay(settled, range(-8, -1), '10', [-3]);
    await pay(settled, [-3]);
    // About thirty writes through the API: more than the default hook time on a busy machine.
  }, 300_000);
  afterAll(() => server?.close());

  it('agrees with the list, unpaidMonths and the count before, for every window and subtree', async () => {
    for (const months of [1, 2, 3, 6, 12, 24]) {
      for (const under of [committeeGid, branchGid, otherGid]) await arrears(under, months);
    }
    const three = await arrears(branchGid, 3);
    const six = await arrears(branchGid, 6);
    const inThree = (name: string) => three.has(named.get(name)!);
    expect(['无缴费', '少交一月', '欠缴又预交', '停止党籍', '转出又转回', '已转出'].filter((n) => !inThree(n))).toEqual([]);
    // (预交当月缺 and 本月入党 owe the current month only on its last day: the comparisons above cover them.)
    expect(['按时缴清', '旧欠一月', '免交党员', '预交有缺', '出党', '调往他支部', '后来补交'].filter(inThree)).toEqual([]);
    expect(six.has(named.get('旧欠一月')!)).toBe(true);
    expect((await arrears(otherGid, 3)).has(named.get('调往他支部')!)).toBe(true);
    expect(await rollupDrift()).toEqual([]);
  });

  it('follows a change of standing written outside the API (database trigger)', async () => {
    const db = server.db.client;
    await db.member.update({ where: { id: rawId(named.get('已转出')!) }, data: { standing: 'TRANSFERRED_OUT' } });
    await db.member.update({ where: { id: rawId(named.get('转出又转回')!) }, data: { standing: 'TRANSFERRED_OUT' } });
    await db.member.update({ where: { id: rawId(named.get('转出又转回')!) }, data: { standing: 'ACTIVE' } });
    for (const months of [1, 3, 24]) {
      const ids = await arrears(branchGid, months);
      expect(ids.has(named.get('已转出')!)).toBe(false);
      expect(ids.has(named.get('转出又转回')!)).toBe(true);
      await arrears(committeeGid, months);
    }
    expect(await rollupDrift()).toEqual([]);
  });

  it('follows a branch moved to another committee and a member deleted', async () => {
    const admin = await server.token('SZJGGW', ['ADMIN']);
    const rootReader = await server.token('SZJGGW', ['MEMBER']);
    const fgw = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-FGW' } });
    const fgwGid = gid('Organization', fgw.id);
    const rootGid = gid('Organization', fgw.parentId!);
    const count = async (under: string) =>
      expectOk(await server.gql(COUNT, { filter: { under, inArrears: true } }, rootReader)).members.totalCount as number;
    const [committeeBefore, fgwBefore, rootBefore, branchBefore] = [
      await count(committeeGid),
      await count(fgwGid),
      await count(rootGid),
      await count(branchGid),
    ];
    expect(branchBefore).toBeGreaterThan(0);
    expectOk(
      await server.gql(
        `mutation ($id: ID!, $to: ID!) { moveOrganization(id: $id, newParentId: $to) { id } }`,
        { id: branchGid, to: fgwGid },
        admin,
      ),
    );
    expect(await rollupDrift()).toEqual([]);
    expect(await count(committeeGid)).toBe(committeeBefore - branchBefore);
    expect(await count(fgwGid)).toBe(fgwBefore + branchBefore);
    expect(await count(rootGid)).toBe(rootBefore);
    expect(await count(branchGid)).toBe(branchBefore);
    for (const months of [1, 3, 24]) await arrears(otherGid, months);

    // A member deleted outright (the runs go with it by cascade): one fewer in arrears everywhere above.
    await server.db.client.member.delete({ where: { id: rawId(named.get('无缴费')!) } });
    expect(await rollupDrift()).toEqual([]);
    expect(await count(branchGid)).toBe(branchBefore - 1);
    expect(await count(rootGid)).toBe(rootBefore - 1);
  });
});
