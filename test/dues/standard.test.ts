import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalIdChecksum } from '@dangjian/db';
import { gqlAllPages, startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

// 党费 by the standard, through the public API: bases of every category at every bracket boundary,
// payments covering several months, underpaid / overpaid / exempt months, arrears with amounts,
// collection, the ledger and the department's due day.

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const now = new Date();
/** `YYYY-MM` of the month `offset` months from the current one (UTC). */
const month = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);

function expectOk<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}
function expectError(result: GqlResult, code: string, field?: string) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field) expect(result.errors![0]!.extensions?.field).toBe(field);
}

const SET_BASE = `mutation ($input: SetDuesBaseInput!) { setDuesBase(input: $input) { category monthlyBase fixedAmount standard effectiveFrom } }`;
const PAY = `mutation ($input: PayDuesInput!) { payDues(input: $input) { total method payerName payments { month amount } } }`;
const REDUCE = `mutation ($input: RecordDuesReductionInput!) { recordDuesReduction(input: $input) { fromMonth toMonth monthlyAmount exempt decisionNumber approvedBy { code } } }`;
const MONTHS = `query ($id: ID!, $from: String!, $to: String!) { member(id: $id) {
  duesMonths(from: $from, to: $to) { month category standard reduced paid owed voluntary due paidOnTime status }
  duesBases { category standard effectiveFrom } duesOwed(months: 12) unpaidMonths(months: 12) } }`;
const ARREARS = `query ($filter: MemberFilter, $first: Int, $after: String) { members(filter: $filter, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id duesOwed(months: 12) unpaidMonths(months: 12) } } } }`;

describe('党费 by the standard', () => {
  let server: TestServer;
  let secretary: string;
  let committee: string;
  let reader: string;
  let branchGid: string;
  let committeeGid: string;
  let serial = 100;

  async function newMember(name: string, joinedMonthsAgo = 20): Promise<string> {
    const first17 = `11010119900101${String(serial++).padStart(3, '0')}`;
    const joinedAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - joinedMonthsAgo, 3)).toISOString().slice(0, 10);
    const data = expectOk(
      await server.gql(
        `mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
        { input: { organizationId: branchGid, name, nationalId: first17 + nationalIdChecksum(first17), joinedAt } },
        secretary,
      ),
    );
    return data.registerMember.id as string;
  }
  const setBase = (memberId: string, input: Record<string, unknown>, token = secretary) =>
    server.gql(SET_BASE, { input: { memberId, ...input } }, token);
  const pay = (memberId: string, items: { month: string; amount: string }[], extra: Record<string, unknown> = {}) =>
    server.gql(PAY, { input: { memberId, items, method: 'TRANSFER', ...extra } }, secretary);
  const months = async (id: string, from: string, to: string) => expectOk(await server.gql(MONTHS, { id, from, to }, reader)).member;

  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ-BGS', ['SECRETARY'], 'bgs-secretary');
    committee = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    reader = await server.token('SZJGGW-MZJ', ['MEMBER']);
    const branch = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-BGS' } });
    const mzj = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
    branchGid = gid('Organization', branch.id);
    committeeGid = gid('Organization', mzj.id);
  });
  afterAll(() => server?.close());

  it('applies every bracket of the employed, retired and 年薪制 standards, boundaries included', async () => {
    const employed = await newMember('在职党员');
    const bases = ['3000', '3000.01', '5000', '5000.01', '10000', '10000.01'];
    const expected = ['15.00', '30.00', '50.00', '75.00', '150.00', '200.00'];
    for (const [i, base] of bases.entries()) {
      const data = expectOk(await setBase(employed, { category: 'EMPLOYED', monthlyBase: base, effectiveFrom: month(-7 + i) }));
      expect(data.setDuesBase).toMatchObject({ standard: expected[i], monthlyBase: base.includes('.') ? base : `${base}.00` });
    }
    const m = await months(employed, month(-8), month(-2));
    expect(m.duesMonths.map((s: any) => s.standard)).toEqual([null, ...expected]);
    expect(m.duesBases.map((b: any) => b.effectiveFrom)).toEqual(bases.map((_, i) => month(-2 - i)));

    const retired = await newMember('离退休党员');
    expectOk(await setBase(retired, { category: 'RETIRED', monthlyBase: '5000', effectiveFrom: month(-3) }));
    expectOk(await setBase(retired, { category: 'RETIRED', monthlyBase: '5000.01', effectiveFrom: month(-2) }));
    expect((await months(retired, month(-3), month(-2))).duesMonths.map((s: any) => s.standard)).toEqual(['25.00', '50.00']);

    const annual = await newMember('年薪制党员');
    // 年薪制: the month's actual pay is the base, so a base is recorded for each month it changes.
    expectOk(await setBase(annual, { category: 'ANNUAL_SALARY', monthlyBase: '20000', effectiveFrom: month(-3) }));
    expectOk(await setBase(annual, { category: 'ANNUAL_SALARY', monthlyBase: '4000', effectiveFrom: month(-2) }));
    expect((await months(annual, month(-3), month(-2))).duesMonths.map((s: any) => s.standard)).toEqual(['400.00', '40.00']);
  });

  it('holds a nested field’s arguments to the text policy, naming the field and the argument', async () => {
    const member = await newMember('嵌套参数');
    // A parent plans a nested field into its own query before the nested resolver runs: the server
    // checks these arguments before execution, as it checks a root field's.
    expectError(
      await server.gql(MONTHS, { id: member, from: `${month(-1)}\u0000`, to: month(0) }, reader),
      'BAD_USER_INPUT',
      'duesMonths.from',
    );
    expectError(await server.gql(MONTHS, { id: member, from: month(-1), to: '\ud800' }, reader), 'BAD_USER_INPUT', 'duesMonths.to');
    expect((await months(member, month(-1), month(0))).duesMonths).toHaveLength(2);
  });

  it('fixed categories: a farmer’s chosen amount, 0.20 for students, the unemployed and 低保', async () => {
    const farmer = await newMember('农民党员');
    expectOk(await setBase(farmer, { category: 'FARMER', fixedAmount: '0.5', effectiveFrom: month(-2) }));
    expect((await months(farmer, month(-2), month(-2))).duesMonths[0]).toMatchObject({ category: 'FARMER', standard: '0.50' });
    for (const category of ['STUDENT', 'UNEMPLOYED', 'SUBSISTENCE']) {
      const id = await newMember(`${category}党员`);
      expectOk(await setBase(id, { category, effectiveFrom: month(-2) }));
      expect((await months(id, month(-2), month(-2))).duesMonths[0]).toMatchObject({ category, standard: '0.20' });
    }
  });

  it.each([
    ['input.monthlyBase', { category: 'EMPLOYED', effectiveFrom: month(-1) }],
    ['input.monthlyBase', { category: 'EMPLOYED', monthlyBase: '0', effectiveFrom: month(-1) }],
    ['input.monthlyBase', { category: 'EMPLOYED', monthlyBase: '1.001', effectiveFrom: month(-1) }],
    ['input.fixedAmount', { category: 'FARMER', fixedAmount: '1.01', effectiveFrom: month(-1) }],
    ['input.fixedAmount', { category: 'STUDENT', fixedAmount: '0.20', effectiveFrom: month(-1) }],
    ['input.effectiveFrom', { category: 'STUDENT', effectiveFrom: '2024-13' }],
    ['input.effectiveFrom', { category: 'STUDENT', effectiveFrom: month(-40) }],
  ])('refuses a base with a bad %s', async (field, input) => {
    const id = await newMember('基数校验');
    expectError(await setBase(id, input), 'BAD_USER_INPUT', field);
    expect(await server.db.client.duesBase.count({ where: { memberId: rawId(id) } })).toBe(0);
  });

  it('one payment covers several months; underpaid months stay owed, more is 自愿多交, 代缴 is recorded', async () => {
    const id = await newMember('多月缴纳', 6);
    expectOk(await setBase(id, { category: 'EMPLOYED', monthlyBase: '6000', effectiveFrom: month(-6) })); // 90.00 a month
    const paid = expectOk(
      await pay(
        id,
        [
          { month: month(-4), amount: '90' },
          { month: month(-3), amount: '50' },
          { month: month(-2), amount: '100.00' },
          { month: month(1), amount: '90' }, // 预交
        ],
        { payerName: '张三（配偶）', method: 'CASH' },
      ),
    );
    expect(paid.payDues).toMatchObject({ total: '330.00', method: 'CASH', payerName: '张三（配偶）' });
    expect(paid.payDues.payments.map((p: any) => p.month)).toEqual([month(-4), month(-3), month(-2), month(1)]);
    const m = await months(id, month(-6), month(1));
    const byMonth = Object.fromEntries(m.duesMonths.map((s: any) => [s.month, s]));
    expect(byMonth[month(-4)]).toMatchObject({ standard: '90.00', paid: '90.00', owed: '0.00', status: 'PAID', paidOnTime: false });
    expect(byMonth[month(-3)]).toMatchObject({ paid: '50.00', owed: '40.00', status: 'UNDERPAID', due: true });
    expect(byMonth[month(-2)]).toMatchObject({ paid: '100.00', voluntary: '10.00', status: 'PAID' });
    expect(byMonth[month(-1)]).toMatchObject({ paid: '0.00', owed: '90.00', status: 'UNPAID' });
    expect(byMonth[month(0)]).toMatchObject({ status: 'NOT_DUE', due: false });
    expect(byMonth[month(1)]).toMatchObject({ status: 'PAID', due: false });
    // Owed: months -6, -5 and -1 in full, 40.00 of -3.
    expect(m.unpaidMonths).toEqual([month(-6), month(-5), month(-3), month(-1)]);
    expect(m.duesOwed).toBe('310.00');
    const activity = await server.db.client.activity.findFirstOrThrow({ where: { kind: 'member.duesPaid', subjectId: rawId(id) } });
    expect(activity.data).toMatchObject({ amount: '330.00', voluntary: '10.00', underpaid: [month(-3)], payerName: '张三（配偶）' });

    // Paying the rest of an underpaid month settles it.
    expectOk(await pay(id, [{ month: month(-3), amount: '40' }]));
    expect((await months(id, month(-3), month(-3))).duesMonths[0]).toMatchObject({ paid: '90.00', owed: '0.00', status: 'PAID' });
  });

  it('refuses bad payment items, naming the item, and writes nothing', async () => {
    const id = await newMember('缴纳校验', 3);
    const before = await server.db.client.duesPayment.count();
    expectError(
      await pay(id, [
        { month: month(-1), amount: '1' },
        { month: month(-2), amount: '0' },
      ]),
      'BAD_USER_INPUT',
      'input.items[1].amount',
    );
    expectError(
      await pay(id, [
        { month: month(-1), amount: '1' },
        { month: month(-1), amount: '1' },
      ]),
      'BAD_USER_INPUT',
      'input.items[1].month',
    );
    expectError(await pay(id, [{ month: month(-9), amount: '1' }]), 'BAD_USER_INPUT', 'input.items[0].month');
    expectError(await pay(id, [{ month: month(13), amount: '1' }]), 'BAD_USER_INPUT', 'input.items[0].month');
    expectError(await pay(id, []), 'BAD_USER_INPUT', 'input.items');
    expectError(await pay(id, [{ month: month(-1), amount: '1' }], { method: 'UNKNOWN' }), 'BAD_USER_INPUT', 'input.method');
    expect(await server.db.client.duesPayment.count()).toBe(before);
  });

  it('an exemption approved by the committee above settles its months; a branch cannot approve its own', async () => {
    const id = await newMember('困难党员', 6);
    expectOk(await setBase(id, { category: 'EMPLOYED', monthlyBase: '3000', effectiveFrom: month(-6) })); // 15.00
    const input = {
      memberId: id,
      approvedById: committeeGid,
      fromMonth: month(-3),
      toMonth: month(-2),
      monthlyAmount: '0',
      reason: '重病住院',
      decisionNumber: '民党〔2026〕3号',
      approvedAt: new Date().toISOString().slice(0, 10),
    };
    // The branch secretary cannot see the committee above: as if it did not exist.
    expectError(await server.gql(REDUCE, { input }, secretary), 'NOT_FOUND');
    expectError(
      await server.gql(REDUCE, { input: { ...input, approvedById: branchGid } }, committee),
      'BAD_USER_INPUT',
      'input.approvedById',
    );
    const data = expectOk(await server.gql(REDUCE, { input }, committee));
    expect(data.recordDuesReduction).toMatchObject({ exempt: true, monthlyAmount: '0.00', approvedBy: { code: 'SZJGGW-MZJ' } });
    expectError(await server.gql(REDUCE, { input: { ...input, fromMonth: month(-2), toMonth: month(-1) } }, committee), 'CONFLICT');
    // A reduction to 5.00 for the month before: paying 5.00 settles it.
    expectOk(await server.gql(REDUCE, { input: { ...input, fromMonth: month(-4), toMonth: month(-4), monthlyAmount: '5' } }, committee));
    expectOk(await pay(id, [{ month: month(-4), amount: '5' }]));
    const m = await months(id, month(-4), month(-1));
    expect(m.duesMonths.map((s: any) => [s.status, s.standard, s.reduced])).toEqual([
      ['PAID', '5.00', true],
      ['EXEMPT', '0.00', true],
      ['EXEMPT', '0.00', true],
      ['UNPAID', '15.00', false],
    ]);
    expect(m.unpaidMonths).toEqual([month(-6), month(-5), month(-1)]);
    expect(m.duesOwed).toBe('45.00');
  });

  it('lists a subtree’s arrears with amounts in SQL: an underpaid month keeps a member in the list', async () => {
    const id = await newMember('少缴党员', 2);
    expectOk(await setBase(id, { category: 'EMPLOYED', monthlyBase: '4000', effectiveFrom: month(-2) })); // 40.00
    expectOk(
      await pay(id, [
        { month: month(-2), amount: '40' },
        { month: month(-1), amount: '39.99' },
      ]),
    );
    const list = async () =>
      (
        await gqlAllPages(server, ARREARS, { filter: { organizationId: branchGid, inArrears: true, arrearsMonths: 12 } }, reader, 'members')
      ).data.members.edges.map((e: any) => e.node);
    const owing = (await list()).find((n: any) => n.id === id);
    expect(owing).toMatchObject({ duesOwed: '0.01', unpaidMonths: [month(-1)] });
    expectOk(await pay(id, [{ month: month(-1), amount: '0.01' }]));
    expect((await list()).map((n: any) => n.id)).not.toContain(id);
  });

  it('follows a corrected joining date: months before it are no longer owed', async () => {
    const id = await newMember('入党日期更正', 3);
    const inList = async () =>
      (
        await gqlAllPages(server, ARREARS, { filter: { organizationId: branchGid, inArrears: true, arrearsMonths: 12 } }, reader, 'members')
      ).data.members.edges.map((e: any) => e.node.id);
    expect(await inList()).toContain(id);
    const joinedAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
    expectOk(
      await server.gql(
        `mutation ($id: ID!, $input: UpdateMemberInput!) { updateMember(id: $id, input: $input) { joinedAt } }`,
        { id, input: { joinedAt } },
        secretary,
      ),
    );
    // Joined this month: nothing is due yet.
    expect(await inList()).not.toContain(id);
    expect((await months(id, month(-3), month(0))).unpaidMonths).toEqual([]);
  });

  it('counts a subtree’s arrears where the member is now, after a transfer', async () => {
    const id = await newMember('转接欠缴', 3);
    const mzj = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
    const other = await server.db.client.organization.findFirstOrThrow({
      where: { parentId: mzj.id, kind: 'BRANCH', code: { not: 'SZJGGW-MZJ-BGS' } },
    });
    const COUNT = `query ($under: ID, $first: Int, $after: String) { members(filter: { under: $under, inArrears: true }, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`;
    const count = async (under: string) => {
      const all = await gqlAllPages(server, COUNT, { under }, reader, 'members');
      const ids = all.data.members.edges.map((e: any) => e.node.id);
      // The count (read from the runs alone) agrees with the list (read through the members).
      expect(all.data.members.totalCount).toBe(ids.length);
      return ids;
    };
    expect(await count(branchGid)).toContain(id);
    expectOk(
      await server.gql(
        `mutation ($id: ID!, $to: ID!) { transferMember(id: $id, toOrganizationId: $to, reason: "工作调动") { id } }`,
        { id, to: gid('Organization', other.id) },
        committee,
      ),
    );
    expect(await count(branchGid)).not.toContain(id);
    expect(await count(gid('Organization', other.id))).toContain(id);
  });

  it('collection rate per month and year, and the ledger handed upward', async () => {
    const year = now.getUTCFullYear();
    const query = `query ($id: ID!, $year: Int!) { duesCollection(organizationId: $id, year: $year) {
      total { dueMemberMonths paidMemberMonths onTimeMemberMonths rate expected paid owed }
      months { month dueMemberMonths paidMemberMonths rate }
      children { organization { code } total { dueMemberMonths paidMemberMonths } } } }`;
    const c = expectOk(await server.gql(query, { id: committeeGid, year }, reader)).duesCollection;
    expect(c.total.dueMemberMonths).toBeGreaterThan(0);
    expect(c.total.rate).toBeCloseTo((c.total.paidMemberMonths * 100) / c.total.dueMemberMonths, 2);
    expect(c.months.reduce((s: number, m: any) => s + m.dueMemberMonths, 0)).toBe(c.total.dueMemberMonths);
    expect(c.months.map((m: any) => m.month)).not.toContain(month(0)); // not due yet
    expect(c.children.reduce((s: number, ch: any) => s + ch.total.dueMemberMonths, 0)).toBe(c.total.dueMemberMonths);

    // The ledger: what the subtree received this year by payment date, all handed upward by default.
    const LEDGER = `query ($id: ID!, $year: Int!, $month: String) { duesLedger(organizationId: $id, year: $year, month: $month) {
      collected payments retainPercent retained handedUp rows { organization { code } collected payments } } }`;
    const ledger = expectOk(await server.gql(LEDGER, { id: committeeGid, year }, reader)).duesLedger;
    const mzj = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
    const rows = await server.db.client.duesPayment.findMany({
      where: {
        member: { organization: { path: { startsWith: mzj.path } } },
        paidAt: { gte: new Date(Date.UTC(year, 0, 1)), lt: new Date(Date.UTC(year + 1, 0, 1)) },
      },
    });
    const fen = rows.reduce((s, r) => s + Number(r.amount.toFixed(2).replace('.', '')), 0);
    expect(ledger).toMatchObject({ payments: rows.length, retainPercent: 0, retained: '0.00' });
    expect(ledger.collected).toBe(`${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`);
    expect(ledger.handedUp).toBe(ledger.collected);
    expect(ledger.rows.reduce((s: number, r: any) => s + r.payments, 0)).toBe(rows.length);

    // A department keeping 10 %: retained is rounded down to the fen, the rest handed upward.
    const admin = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    expectError(await server.gql(`mutation { setDuesSettings(retainPercent: 10) { retainPercent } }`, {}, committee), 'FORBIDDEN');
    expectOk(await server.gql(`mutation { setDuesSettings(retainPercent: 10) { retainPercent } }`, {}, admin));
    const kept = expectOk(await server.gql(LEDGER, { id: committeeGid, year }, reader)).duesLedger;
    expect(kept.retained).toBe(formatFen(Math.floor(fen / 10)));
    expect(kept.handedUp).toBe(formatFen(fen - Math.floor(fen / 10)));
    expectOk(await server.gql(`mutation { setDuesSettings(retainPercent: 0) { retainPercent } }`, {}, admin));
  });

  it('a department’s due day decides when the current month becomes owed', async () => {
    const admin = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    const id = await newMember('期限党员', 1);
    const day = now.getUTCDate();
    const dueDay = day > 1 ? day - 1 : null; // already past this month's due day (on the 1st: the month end)
    expectOk(await server.gql(`mutation ($d: Int) { setDuesSettings(dueDay: $d, retainPercent: 0) { dueDay } }`, { d: dueDay }, admin));
    const m = await months(id, month(-1), month(0));
    if (dueDay !== null) {
      expect(m.unpaidMonths).toEqual([month(-1), month(0)]);
      expect(m.duesMonths[1]).toMatchObject({ due: true, status: 'UNPAID' });
    } else {
      expect(m.unpaidMonths).toEqual([month(-1)]);
    }
    expectOk(await server.gql(`mutation { setDuesSettings(retainPercent: 0) { dueDay } }`, {}, admin));
    expect((await months(id, month(-1), month(0))).unpaidMonths).toEqual([month(-1)]);
    expectError(
      await server.gql(`mutation { setDuesSettings(dueDay: 29, retainPercent: 0) { dueDay } }`, {}, admin),
      'BAD_USER_INPUT',
      'dueDay',
    );
  });

  it('a sibling department sees none of it', async () => {
    const id = await newMember('别处党员', 2);
    const other = await server.token('SZJGGW-KX', ['SECRETARY']);
    expectError(await setBase(id, { category: 'STUDENT', effectiveFrom: month(-1) }, other), 'NOT_FOUND');
    expectError(
      await server.gql(PAY, { input: { memberId: id, items: [{ month: month(-1), amount: '1' }], method: 'CASH' } }, other),
      'NOT_FOUND',
    );
    expect((await server.gql(MONTHS, { id, from: month(-1), to: month(-1) }, other)).data.member).toBeNull();
    expectError(
      await server.gql(`query ($id: ID!) { duesLedger(organizationId: $id, year: 2026) { collected } }`, { id: committeeGid }, other),
      'NOT_FOUND',
    );
  });
});

function formatFen(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
