import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@dangjian/testing';
import { badChecksum, get, nationalId, readXlsx, upload, xlsx, type CellInput } from './helpers.ts';

const result = `batchId rows created updated skipped rejected committed problemCount errorReportUrl problems { row column message }`;
const BASES = `mutation ($file: File!, $mode: ImportMode, $existing: ExistingPersonPolicy) {
  importDuesBases(file: $file, mode: $mode, existing: $existing) { ${result} }
}`;
const PAYMENTS = `mutation ($file: File!, $mode: ImportMode, $existing: ExistingPersonPolicy) {
  importDuesPayments(file: $file, mode: $mode, existing: $existing) { ${result} }
}`;

interface Person {
  id: string;
  name: string;
  memberId: string;
}
type Expected = { row: number; column: string | null; message: RegExp };

/** Checks each expected problem is reported once at its row and column, and nothing else. */
function expectProblems(outcome: { problems: { row: number; column: string | null; message: string }[] }, expected: Expected[]) {
  for (const e of expected) {
    const found = outcome.problems.filter((p) => p.row === e.row);
    expect(found, `row ${e.row}: ${JSON.stringify(outcome.problems)}`).toHaveLength(1);
    expect(found[0]!.column, JSON.stringify(found)).toBe(e.column);
    expect(found[0]!.message).toMatch(e.message);
  }
  expect(outcome.problems).toHaveLength(expected.length);
}

describe('importing dues bases and payments', () => {
  let server: TestServer;
  let secretary: string;
  let people: Person[];
  let outsider: string;

  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    const db = server.db.client;
    const members = await db.member.findMany({
      where: { organization: { code: 'SZJGGW-MZJ-BGS' }, joinedAt: { lt: new Date('2020-01-01') } },
      orderBy: { id: 'asc' },
      take: 8,
    });
    expect(members).toHaveLength(8);
    people = members.map((m) => ({ id: server.vault.decrypt(m.nationalId!, 'Member.nationalId'), name: m.name, memberId: m.id }));
    const other = await db.member.findFirstOrThrow({ where: { organization: { code: 'SZJGGW-KX-XHB' } } });
    outsider = server.vault.decrypt(other.nationalId!, 'Member.nationalId');
  });
  afterAll(() => server?.close());

  // Headers in an order of their own, with a 序号 column the import ignores.
  const BASE_HEADERS = ['序号', '姓名', '身份证号', '计缴类别', '起始月份', '月工资基数（元）', '定额（元）', '月缴标准（元）', '备注'];
  const baseFile = async () => {
    const [a, b, c, d, e, f] = people as [Person, Person, Person, Person, Person, Person];
    const clean: CellInput[][] = [
      [1, a.name, a.id, '在职', '2026-01', '6543.21', null, '98.15', '2026年度核定'],
      [2, b.name, b.id.toLowerCase(), 'EMPLOYED', '2026年1月', '5,000.00元', null, null, null],
      [3, c.name, c.id, '离退休', 2026, 4800.5, null, 24, null],
      [4, null, d.id, '学生', new Date(Date.UTC(2026, 0, 15)), null, null, '0.2', null],
      [5, e.name, e.id, '农民', '202601', null, '0.50', null, null],
    ];
    const mistakes: [CellInput[], string | null, RegExp][] = [
      [[6, f.name, badChecksum(f.id), '在职', '2026-01', '3000', null, null, null], '身份证号', /不是有效的 18 位身份证号/],
      [[7, '无此人', nationalId('1980-01-01'), '在职', '2026-01', '3000', null, null, null], '身份证号', /没有此身份证号的党员/],
      [[8, null, outsider, '在职', '2026-01', '3000', null, null, null], '身份证号', /没有此身份证号的党员/],
      [[9, '别人', f.id, '在职', '2026-01', '3000', null, null, null], '姓名', /与该身份证号登记的姓名/],
      [[10, f.name, f.id, '个体', '2026-01', '3000', null, null, null], '计缴类别', /不是有效值/],
      [[11, f.name, f.id, '在职', '2026-01', null, null, null, null], '月工资基数（元）', /计缴类别为在职时必须填写/],
      [[12, f.name, f.id, '学生', '2026-01', '3000', null, null, null], '月工资基数（元）', /计缴类别为学生时不填/],
      [[13, f.name, f.id, '农民', '2026-01', null, '2.00', null, null], '定额（元）', /应在 0.20 至 1.00 元之间/],
      [[14, f.name, f.id, '在职', '2026-01', '1234.567', null, null, null], '月工资基数（元）', /最多两位小数/],
      [[15, f.name, f.id, '在职', '2026-01', '6000', null, '60.00', null], '月缴标准（元）', /月缴标准（90.00 元）不一致/],
      [[16, f.name, f.id, '在职', '1950-01', '6000', null, null, null], '起始月份', /早于入党月份/],
      [[17, f.name, f.id, '在职', '2026-13', '6000', null, null, null], '起始月份', /不是有效月份/],
      [[18, a.name, a.id, '在职', '2026-01', '7000', null, null, null], '起始月份', /与第 2 行重复/],
    ];
    const rows = [...clean, ...mistakes.map((m) => m[0])];
    const expected = mistakes.map(([, column, message], i) => ({ row: clean.length + i + 2, column, message }));
    return { body: await xlsx(BASE_HEADERS, rows), expected, clean: clean.length };
  };

  it('serves the templates with Chinese headers and an instructions sheet', async () => {
    const bases = await get(server, '/data/templates/dues-bases.xlsx');
    expect(bases.status).toBe(200);
    expect(bases.headers.get('content-disposition')).toContain(encodeURIComponent('党费基数导入模板.xlsx'));
    const body = await bases.arrayBuffer();
    expect((await readXlsx(body))[0]).toEqual([
      '姓名',
      '身份证号',
      '计缴类别',
      '起始月份',
      '月工资基数（元）',
      '定额（元）',
      '月缴标准（元）',
      '备注',
    ]);
    expect((await readXlsx(body, 1)).some((r) => String(r[2]).includes('3000 元及以下 0.5%'))).toBe(true);
    const payments = await readXlsx(await (await get(server, '/data/templates/dues-payments.xlsx')).arrayBuffer());
    expect(payments[0]).toContain('缴纳月份');
  });

  it('checks every base by the dues rules, reports row and column, and writes nothing of a refused batch', async () => {
    const { body, expected, clean } = await baseFile();
    const before = await server.db.client.duesBase.count();
    const refused = await upload(server, BASES, { mode: 'ALL_OR_NOTHING' }, { name: '党费基数.xlsx', body }, secretary);
    expect(refused.errors, JSON.stringify(refused.errors)).toBeUndefined();
    const outcome = refused.data.importDuesBases;
    expect(outcome).toMatchObject({ committed: false, created: 0, rejected: expected.length, rows: clean + expected.length });
    expectProblems(outcome, expected);
    expect(await server.db.client.duesBase.count()).toBe(before);
    const report = await readXlsx(await (await get(server, outcome.errorReportUrl, secretary)).arrayBuffer());
    expect(report[0]).toEqual(['行号', ...BASE_HEADERS, '错误']);
    expect(report).toHaveLength(expected.length + 1);
  });

  it('imports the valid bases in exact fen with their standards, and re-importing adds nothing', async () => {
    const { body, expected, clean } = await baseFile();
    const first = await upload(server, BASES, { mode: 'VALID_ROWS' }, { name: '党费基数.xlsx', body }, secretary);
    expect(first.data.importDuesBases).toMatchObject({ committed: true, created: clean, rejected: expected.length });
    const stored = await server.db.client.duesBase.findMany({
      where: { memberId: { in: people.slice(0, 5).map((p) => p.memberId) }, effectiveFrom: new Date('2026-01-01') },
    });
    const of = (p: Person) => stored.find((b) => b.memberId === p.memberId);
    expect(of(people[0]!)).toMatchObject({ category: 'EMPLOYED', baseFen: 654_321, note: '2026年度核定', actorId: 'mzj-secretary' });
    expect(of(people[1]!)).toMatchObject({ baseFen: 500_000 });
    expect(of(people[2]!)).toMatchObject({ category: 'RETIRED', baseFen: 480_050 });
    expect(of(people[3]!)).toMatchObject({ category: 'STUDENT', baseFen: null, fixedFen: null });
    expect(of(people[4]!)).toMatchObject({ category: 'FARMER', fixedFen: 50 });
    // The API reads the standard the dues module computes from the imported base.
    const gid = Buffer.from(`Member:${people[0]!.memberId}`).toString('base64');
    const read = await server.gql(
      `{ node(id: "${gid}") { ... on Member { duesBases { effectiveFrom monthlyBase standard } } } }`,
      {},
      secretary,
    );
    expect(read.data.node.duesBases[0]).toEqual({ effectiveFrom: '2026-01', monthlyBase: '6543.21', standard: '98.15' });
    const activity = await server.db.client.activity.findFirstOrThrow({ where: { kind: 'dues.basesImported' } });
    expect(activity.summary).toContain(`新增 ${clean}`);

    const again = await upload(server, BASES, { mode: 'VALID_ROWS' }, { name: '党费基数.xlsx', body }, secretary);
    expect(again.data.importDuesBases).toMatchObject({ committed: true, created: 0, updated: 0, skipped: clean });
    expect(
      await server.db.client.duesBase.count({
        where: { memberId: { in: people.map((p) => p.memberId) }, effectiveFrom: new Date('2026-01-01') },
      }),
    ).toBe(stored.length);

    const changed = await xlsx(BASE_HEADERS, [[1, people[0]!.name, people[0]!.id, '在职', '2026-01', '7000.00', null, null, '调整']]);
    const update = await upload(
      server,
      BASES,
      { mode: 'ALL_OR_NOTHING', existing: 'UPDATE' },
      { name: 'u.xlsx', body: changed },
      secretary,
    );
    expect(update.data.importDuesBases).toMatchObject({ committed: true, updated: 1, created: 0 });
    expect(
      await server.db.client.duesBase.findFirst({ where: { memberId: people[0]!.memberId, effectiveFrom: new Date('2026-01-01') } }),
    ).toMatchObject({
      baseFen: 700_000,
      note: '调整',
    });
  });

  const PAY_HEADERS = ['姓名', '身份证号', '缴纳月份', '实缴金额（元）', '应缴金额（元）', '缴纳日期', '缴纳方式', '代缴人', '备注'];
  const paymentFile = async () => {
    const [a, b, c, , , f] = people as [Person, Person, Person, Person, Person, Person];
    // a: 7000.00 × 1.5 % = 105.00 a month (the updated base); b: 5000.00 × 1 % = 50.00.
    const clean: CellInput[][] = [
      [a.name, a.id, '2027-01至2027-03', '315.00', '315.00', '2026-03-05', '线上', null, null],
      [b.name, b.id, '2027-02', 50, 50, new Date(Date.UTC(2026, 1, 20)), '现金', null, null],
      [c.name, c.id, '2027-01、2027-02', '48.02', null, '2026/2/28', null, '家属', '补交'],
    ];
    const mistakes: [CellInput[], string | null, RegExp][] = [
      [[b.name, b.id, '2026-03至2026-05', '100.00', null, '2026-05-05', '现金', null, null], '实缴金额（元）', /不能平均分到 3 个月/],
      [[b.name, b.id, '2026-06', '50.00', '40.00', '2026-06-05', '现金', null, null], '应缴金额（元）', /应缴金额（50.00 元）不一致/],
      [[b.name, b.id, '2026-07', '50.00', null, '2099-01-01', '现金', null, null], '缴纳日期', /不能晚于今天/],
      [[b.name, b.id, '1950-01', '50.00', null, '2026-06-05', '现金', null, null], '缴纳月份', /早于入党月份/],
      [[b.name, b.id, '2026-13', '50.00', null, '2026-06-05', '现金', null, null], '缴纳月份', /不是有效月份/],
      [[b.name, b.id, '2026-08', '50.00', null, '2026-08-05', '刷卡', null, null], '缴纳方式', /不是有效值/],
      [[b.name, b.id, '2026-09', '0', null, '2026-09-05', '现金', null, null], '实缴金额（元）', /应大于零/],
      [[f.name, nationalId('1981-01-01'), '2026-01', '10', null, '2026-09-05', '现金', null, null], '身份证号', /没有此身份证号的党员/],
      [[a.name, a.id, '2027-01至2027-03', '315.00', null, '2026-03-05', '线上', null, null], null, /与第 2 行是同一笔缴纳/],
    ];
    const rows = [...clean, ...mistakes.map((m) => m[0])];
    const expected = mistakes.map(([, column, message], i) => ({ row: clean.length + i + 2, column, message }));
    return { body: await xlsx(PAY_HEADERS, rows), expected, clean: clean.length };
  };

  it('imports payments covering months, checks them against the standard, and never records one twice', async () => {
    const { body, expected, clean } = await paymentFile();
    const db = server.db.client;
    const before = await db.duesRemittance.count();
    const refused = await upload(server, PAYMENTS, { mode: 'ALL_OR_NOTHING' }, { name: '收缴台账.xlsx', body }, secretary);
    expect(refused.errors, JSON.stringify(refused.errors)).toBeUndefined();
    expect(refused.data.importDuesPayments).toMatchObject({ committed: false, created: 0, rejected: expected.length });
    expectProblems(refused.data.importDuesPayments, expected);
    expect(await db.duesRemittance.count()).toBe(before);

    const first = await upload(server, PAYMENTS, { mode: 'VALID_ROWS' }, { name: '收缴台账.xlsx', body }, secretary);
    expect(first.data.importDuesPayments).toMatchObject({ committed: true, created: clean, rejected: expected.length });
    expect(await db.duesRemittance.count()).toBe(before + clean);
    const a = await db.duesRemittance.findFirstOrThrow({
      where: { memberId: people[0]!.memberId, paidAt: new Date('2026-03-05') },
      include: { payments: { orderBy: { month: 'asc' } } },
    });
    expect(a).toMatchObject({ totalFen: 31_500, method: 'ONLINE' });
    expect(a.payments.map((p) => [p.month.toISOString().slice(0, 7), p.amount.toFixed(2)])).toEqual([
      ['2027-01', '105.00'],
      ['2027-02', '105.00'],
      ['2027-03', '105.00'],
    ]);
    const c = await db.duesRemittance.findFirstOrThrow({ where: { memberId: people[2]!.memberId, paidAt: new Date('2026-02-28') } });
    expect(c).toMatchObject({ totalFen: 4802, method: 'UNKNOWN', payerName: '家属', note: '补交' });
    // The month states follow, as after payDues: a's months are settled, c's 24.01 a month is (retired 4800.50 × 0.5 % = 24.00).
    const states = await db.duesMonthState.findMany({
      where: {
        memberId: { in: [people[0]!.memberId, people[2]!.memberId] },
        month: { lte: new Date('2027-03-01'), gte: new Date('2027-01-01') },
      },
    });
    expect(states.filter((s) => s.memberId === people[0]!.memberId).every((s) => s.settled && s.standardFen === 10_500)).toBe(true);
    expect(states.filter((s) => s.memberId === people[2]!.memberId).map((s) => [s.paidFen, s.standardFen, s.settled])).toEqual([
      [2401, 2400, true],
      [2401, 2400, true],
    ]);

    const again = await upload(server, PAYMENTS, { mode: 'VALID_ROWS' }, { name: '收缴台账.xlsx', body }, secretary);
    expect(again.data.importDuesPayments).toMatchObject({ committed: true, created: 0, skipped: clean });
    expect(await db.duesRemittance.count()).toBe(before + clean);

    const corrected = await xlsx(PAY_HEADERS, [
      [people[1]!.name, people[1]!.id, '2027-02', '60.00', null, '2026-02-20', '转账', null, '更正'],
    ]);
    const update = await upload(
      server,
      PAYMENTS,
      { mode: 'ALL_OR_NOTHING', existing: 'UPDATE' },
      { name: 'u.xlsx', body: corrected },
      secretary,
    );
    expect(update.data.importDuesPayments).toMatchObject({ committed: true, updated: 1, created: 0 });
    const b = await db.duesRemittance.findFirstOrThrow({
      where: { memberId: people[1]!.memberId, paidAt: new Date('2026-02-20') },
      include: { payments: true },
    });
    expect(b).toMatchObject({ totalFen: 6000, method: 'TRANSFER', note: '更正' });
    expect(b.payments.map((p) => p.amount.toFixed(2))).toEqual(['60.00']);
    expect(await db.duesMonthState.findFirst({ where: { memberId: people[1]!.memberId, month: new Date('2027-02-01') } })).toMatchObject({
      paidFen: 6000,
    });
  });

  it('recognises a payment recorded through recordDuesPayment when a ledger holding it is imported', async () => {
    const db = server.db.client;
    const g = people[6]!;
    // Three months after joining that hold no payment yet (the demo data pays some months).
    const paid = new Set(
      (await db.duesPayment.findMany({ where: { memberId: g.memberId }, select: { month: true } })).map((p) =>
        p.month.toISOString().slice(0, 7),
      ),
    );
    const months = Array.from({ length: 48 }, (_, i) => new Date(Date.UTC(2021, i, 1)).toISOString().slice(0, 7));
    const start = months.findIndex((m, i) => i + 2 < months.length && [m, months[i + 1]!, months[i + 2]!].every((x) => !paid.has(x)));
    const [m1, m2, m3] = months.slice(start, start + 3) as [string, string, string];
    const memberGid = Buffer.from(`Member:${g.memberId}`).toString('base64');
    for (const month of [m1, m2, m3]) {
      const recorded = await server.gql(
        `mutation ($memberId: ID!, $month: String!) { recordDuesPayment(memberId: $memberId, month: $month, amount: "30.00") { month } }`,
        { memberId: memberGid, month },
        secretary,
      );
      expect(recorded.errors, JSON.stringify(recorded.errors)).toBeUndefined();
    }
    const partsOf = () =>
      db.duesPayment.findMany({
        where: { memberId: g.memberId, month: { in: [m1, m2, m3].map((m) => new Date(`${m}-01`)) } },
        include: { remittance: true },
        orderBy: { month: 'asc' },
      });
    const legacy = await partsOf();
    expect(legacy.map((p) => p.remittanceId)).toEqual([null, null, null]);
    // The ledger holds them as the bookkeeper wrote them: one month, then two months on one line; its day
    // is the day of paying, not the day they were entered.
    const ledger = await xlsx(PAY_HEADERS, [
      [g.name, g.id, m1, '30.00', null, `${m1}-10`, '现金', null, null],
      [g.name, g.id, `${m2}、${m3}`, '60.00', null, `${m3}-10`, '转账', null, null],
    ]);
    const remittances = await db.duesRemittance.count({ where: { memberId: g.memberId } });
    const skipped = await upload(server, PAYMENTS, { mode: 'VALID_ROWS' }, { name: 'ledger.xlsx', body: ledger }, secretary);
    expect(skipped.data.importDuesPayments).toMatchObject({ committed: true, created: 0, skipped: 2, rejected: 0 });
    expect((await partsOf()).map((p) => p.id)).toEqual(legacy.map((p) => p.id));
    expect(await db.duesRemittance.count({ where: { memberId: g.memberId } })).toBe(remittances);

    // Under UPDATE the file's lines replace them: still one part a month, now with the ledger's day and method.
    const updated = await upload(
      server,
      PAYMENTS,
      { mode: 'ALL_OR_NOTHING', existing: 'UPDATE' },
      { name: 'ledger.xlsx', body: ledger },
      secretary,
    );
    expect(updated.data.importDuesPayments).toMatchObject({ committed: true, created: 0, updated: 2 });
    const parts = await partsOf();
    expect(parts.map((p) => [p.month.toISOString().slice(0, 7), p.amount.toFixed(2), p.remittance?.method])).toEqual([
      [m1, '30.00', 'CASH'],
      [m2, '30.00', 'TRANSFER'],
      [m3, '30.00', 'TRANSFER'],
    ]);
    expect(parts[1]!.remittanceId).toBe(parts[2]!.remittanceId);
    const states = await db.duesMonthState.findMany({
      where: { memberId: g.memberId, month: { in: [m1, m2, m3].map((m) => new Date(`${m}-01`)) } },
    });
    expect(states.map((s) => s.paidFen)).toEqual([3000, 3000, 3000]);

    // And the ledger once more adds nothing.
    const again = await upload(server, PAYMENTS, { mode: 'VALID_ROWS' }, { name: 'ledger.xlsx', body: ledger }, secretary);
    expect(again.data.importDuesPayments).toMatchObject({ committed: true, created: 0, skipped: 2 });
    expect(await partsOf()).toHaveLength(3);
  });
});
