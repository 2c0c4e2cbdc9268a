// The dues ledger, arrears list, development pipeline and scorecard exports, fetched as a client would (GET
// with the bearer token) and checked against what the GraphQL API answers for the same viewer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlAllPages, startTestServer, type TestServer } from '@dangjian/testing';
import { get, readXlsx } from './helpers.ts';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const under = (id: string) => `under=${encodeURIComponent(gid('Organization', id))}`;
const yuan = (cell: unknown) => (cell === null || cell === undefined ? null : Number(cell).toFixed(2));

// Answers are read field by field, as a client would: untyped.
function ok(result: { data?: unknown; errors?: unknown }): any {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data;
}

describe('exporting dues, development and scorecards', () => {
  let server: TestServer;
  let secretary: string;
  let reader: string;
  let sibling: string;
  let rootAdmin: string;
  let otherDepartment: string;
  let mzj: { id: string; path: string };
  let kx: { id: string };
  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    reader = await server.token('SZJGGW-MZJ', ['MEMBER'], 'mzj-reader');
    sibling = await server.token('SZJGGW-KX', ['ADMIN', 'SECRETARY'], 'kx-admin');
    rootAdmin = await server.token('SZJGGW', ['ADMIN', 'SECRETARY'], 'root-admin');
    // A second department, to show another department's scheme is not offered.
    const otherRoot = crypto.randomUUID();
    await server.db.client.organization.create({
      data: { id: otherRoot, kind: 'WORKING_COMMITTEE', name: '县直机关工委', code: 'XZJGGW', path: `/${otherRoot}/`, depth: 0 },
    });
    otherDepartment = await server.token('XZJGGW', ['ADMIN'], 'county-admin');
    mzj = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
    kx = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-KX' } });
  });
  afterAll(() => server?.close());

  const auditCount = (operation: string, userId: string) => server.db.client.auditRecord.count({ where: { operation, userId } });

  describe('dues ledger', () => {
    it('lists each member’s months with base, standard, paid and owed in yuan, as duesMonths answers', async () => {
      const res = await get(server, '/export/dues-ledger.xlsx?from=2026-01&to=2026-06', reader);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; /);
      const rows = await readXlsx(await res.arrayBuffer());
      expect(rows[0]).toEqual([
        '组织代码',
        '组织名称',
        '姓名',
        '月份',
        '类别',
        '缴费基数（元）',
        '应缴（元）',
        '实缴（元）',
        '欠缴（元）',
        '状态',
        '减免',
      ]);
      expect(rows.length).toBeGreaterThan(1);
      expect(rows.slice(1).every((r) => String(r[0]).startsWith('SZJGGW-MZJ'))).toBe(true);
      // A member with a unique name in the export, compared month by month with the API.
      const counts = new Map<string, number>();
      for (const r of rows.slice(1)) counts.set(String(r[2]), (counts.get(String(r[2])) ?? 0) + 1);
      const paid = rows.slice(1).find((r) => Number(r[7]) > 0 && counts.get(String(r[2])) === 6)!;
      expect(paid).toBeDefined();
      const member = await server.db.client.member.findFirstOrThrow({
        where: { name: String(paid[2]), organization: { code: String(paid[0]) } },
      });
      const api = ok(
        await server.gql(
          `query ($id: ID!) { node(id: $id) { ... on Member { duesMonths(from: "2026-01", to: "2026-06") { month standard paid owed due status } } } }`,
          { id: gid('Member', member.id) },
          reader,
        ),
      ).node.duesMonths as { month: string; standard: string | null; paid: string; owed: string | null; due: boolean }[];
      const mine = rows.slice(1).filter((r) => r[2] === member.name && r[0] === paid[0]);
      expect(mine.map((r) => r[3])).toEqual(api.map((m) => m.month));
      for (const [i, month] of api.entries()) {
        expect(yuan(mine[i]![6])).toBe(month.standard);
        expect(yuan(mine[i]![7])).toBe(month.paid);
        expect(yuan(mine[i]![8])).toBe(month.due ? month.owed : '0.00');
      }
    });

    it('refuses a bad month and a range over 36 months naming the argument', async () => {
      const bad = await get(server, '/export/dues-ledger.xlsx?from=2026-13', reader);
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('from');
      expect((await get(server, '/export/dues-ledger.xlsx?from=2020-01&to=2026-01', reader)).status).toBe(400);
    });

    it('answers an organization outside the subtree like a missing one, and needs a token', async () => {
      expect((await get(server, `/export/dues-ledger.xlsx?${under(mzj.id)}`, sibling)).status).toBe(404);
      expect((await get(server, '/export/dues-ledger.xlsx')).status).toBe(401);
    });
  });

  describe('dues arrears', () => {
    const MEMBERS = `query ($filter: MemberFilter, $first: Int, $after: String) {
      members(filter: $filter, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id name phone duesOwed(months: 3) } }
      }
    }`;

    it('lists the members the inArrears filter finds, with the amount duesOwed gives and the phone masked', async () => {
      const res = await get(server, '/export/dues-arrears.xlsx', reader);
      expect(res.status).toBe(200);
      const rows = await readXlsx(await res.arrayBuffer());
      expect(rows[0]).toEqual(['组织代码', '组织名称', '姓名', '手机号', '欠缴月数', '欠缴金额（元）', '欠缴月份']);
      const api = ok(await gqlAllPages(server, MEMBERS, { filter: { inArrears: true, arrearsMonths: 3 } }, reader, 'members')).members;
      expect(api.totalCount).toBeGreaterThan(0);
      expect(rows).toHaveLength(api.totalCount + 1);
      const owed = new Map(
        (api.edges as { node: { name: string; phone: string | null; duesOwed: string } }[]).map((e) => [e.node.name, e.node]),
      );
      for (const row of rows.slice(1)) {
        const node = owed.get(String(row[2]));
        expect(node).toBeDefined();
        if (node!.phone) expect(row[3]).toBe(node!.phone);
        expect(String(row[3] ?? '')).toMatch(/^(\d{3}\*{4}\d{4})?$/);
        expect(Number(row[4])).toBe(String(row[6]).split('、').length);
      }
      // Amounts as duesOwed gives them, for members whose names are unique in the subtree.
      const names = rows.slice(1).map((r) => String(r[2]));
      const unique = rows.slice(1).filter((r) => names.indexOf(String(r[2])) === names.lastIndexOf(String(r[2])));
      expect(unique.length).toBeGreaterThan(0);
      for (const row of unique) expect(yuan(row[5])).toBe(owed.get(String(row[2]))!.duesOwed);
    });

    it('exports phones in clear for a secretary only, each recorded as a clear read', async () => {
      expect((await get(server, '/export/dues-arrears.xlsx?clear=true', reader)).status).toBe(403);
      const before = await auditCount('read:Member.phone', 'mzj-secretary');
      const res = await get(server, '/export/dues-arrears.xlsx?clear=true&months=6', secretary);
      expect(res.status).toBe(200);
      const rows = (await readXlsx(await res.arrayBuffer())).slice(1);
      const withPhone = rows.filter((r) => r[3] !== null && r[3] !== undefined);
      expect(withPhone.length).toBeGreaterThan(0);
      expect(withPhone.every((r) => /^1\d{10}$/.test(String(r[3])))).toBe(true);
      expect(await auditCount('read:Member.phone', 'mzj-secretary')).toBe(before + withPhone.length);
      // The export's own record is written once its last byte is (with the row count): the client can have the
      // whole file a moment before it is committed. The clear reads above are recorded before any value leaves.
      await expect
        .poll(() =>
          server.db.client.auditRecord.count({
            where: { operation: 'export:dues-arrears', userId: 'mzj-secretary', result: { contains: 'clear=true' } },
          }),
        )
        .toBe(1);
      expect((await get(server, '/export/dues-arrears.xlsx?months=25', secretary)).status).toBe(400);
    });

    it('keeps to the subtree: a sibling committee is refused, the root sees more', async () => {
      expect((await get(server, `/export/dues-arrears.xlsx?${under(mzj.id)}`, sibling)).status).toBe(404);
      const rows = await readXlsx(await (await get(server, `/export/dues-arrears.xlsx?${under(kx.id)}`, rootAdmin)).arrayBuffer());
      expect(rows.slice(1).every((r) => String(r[0]).startsWith('SZJGGW-KX'))).toBe(true);
    });
  });

  describe('development pipeline', () => {
    const RECORDS = `query ($filter: DevelopmentFilter, $first: Int, $after: String) {
      developmentRecords(filter: $filter, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { id name nationalId step stepName nextDue { step dueBy overdue } } }
      }
    }`;

    it('lists each active record with its step, introducers and next deadline, national ID masked', async () => {
      const res = await get(server, '/export/development.xlsx', reader);
      expect(res.status).toBe(200);
      const rows = await readXlsx(await res.arrayBuffer());
      expect(rows[0]).toEqual([
        '组织代码',
        '组织名称',
        '姓名',
        '性别',
        '出生日期',
        '身份证号',
        '状态',
        '发展阶段',
        '当前步骤',
        '步骤名称',
        '步骤日期',
        '申请日期',
        '培养联系人',
        '入党介绍人',
        '预备期满',
        '下一到期步骤',
        '到期日期',
        '是否超期',
        '依据',
      ]);
      const api = ok(await gqlAllPages(server, RECORDS, {}, reader, 'developmentRecords')).developmentRecords;
      expect(api.totalCount).toBeGreaterThan(0);
      expect(rows).toHaveLength(api.totalCount + 1);
      const byMasked = new Map((api.edges as { node: any }[]).map((e) => [`${e.node.name}|${e.node.nationalId}`, e.node]));
      for (const row of rows.slice(1)) {
        const node = byMasked.get(`${row[2]}|${row[5]}`);
        expect(node).toBeDefined();
        expect(String(row[5])).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
        expect(row[8]).toBe(node.step);
        expect(row[9]).toBe(node.stepName);
        expect(row[6]).toBe('进行中');
        if (node.nextDue) {
          expect(String(row[15]).startsWith(`${node.nextDue.step} `)).toBe(true);
          expect((row[16] as Date).toISOString().slice(0, 10)).toBe(node.nextDue.dueBy);
          expect(row[17]).toBe(node.nextDue.overdue ? '是' : '否');
        } else expect(row[16] ?? null).toBeNull();
        // Introducers are named at step 9: two of them from then on.
        if (node.step >= 9) expect(String(row[13]).split('、')).toHaveLength(2);
        else expect(row[13] ?? null).toBeNull();
      }
    });

    it('exports national IDs in clear for a secretary only, each recorded as a clear read', async () => {
      expect((await get(server, '/export/development.xlsx?clear=true', reader)).status).toBe(403);
      const before = await auditCount('read:DevelopmentRecord.nationalId', 'mzj-secretary');
      const res = await get(server, '/export/development.xlsx?clear=true&state=ACTIVE,COMPLETED', secretary);
      expect(res.status).toBe(200);
      const rows = (await readXlsx(await res.arrayBuffer())).slice(1);
      const records = await server.db.client.developmentRecord.findMany({
        where: { organization: { path: { startsWith: mzj.path } }, state: { in: ['ACTIVE', 'COMPLETED'] } },
      });
      expect(rows).toHaveLength(records.length);
      const clear = new Set(records.map((r) => server.vault.decrypt(r.nationalId, 'DevelopmentRecord.nationalId')));
      expect(rows.every((r) => clear.has(String(r[5])))).toBe(true);
      expect(await auditCount('read:DevelopmentRecord.nationalId', 'mzj-secretary')).toBe(before + records.length);
      expect(
        await server.db.client.activity.count({ where: { kind: 'development.personalDataRead', actorId: 'mzj-secretary' } }),
      ).toBeGreaterThanOrEqual(records.length);
      expect((await get(server, '/export/development.xlsx?state=DONE', secretary)).status).toBe(400);
    });

    it('answers an organization outside the subtree like a missing one', async () => {
      expect((await get(server, `/export/development.xlsx?${under(mzj.id)}`, sibling)).status).toBe(404);
    });
  });

  describe('scorecards', () => {
    const SCHEMES = `query ($year: Int) { assessmentSchemes(year: $year) { id name year state } }`;
    const CARDS = `query ($schemeId: ID!, $under: ID, $first: Int, $after: String) {
      scorecards(schemeId: $schemeId, under: $under, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { total rank vetoed organization { code } items { name points notApplicable } } }
      }
    }`;
    let schemeId: string;
    beforeAll(async () => {
      const schemes = ok(await server.gql(SCHEMES, { year: new Date().getUTCFullYear() }, rootAdmin)).assessmentSchemes;
      expect(schemes.length).toBeGreaterThan(0);
      schemeId = schemes[0].id;
    });

    it('has one row per organization with total, rank, veto and each item’s points, as scorecards answers', async () => {
      const res = await get(server, `/export/scorecards.xlsx?scheme=${encodeURIComponent(schemeId)}`, rootAdmin);
      expect(res.status).toBe(200);
      const rows = await readXlsx(await res.arrayBuffer());
      expect(rows[0]!.slice(0, 8)).toEqual(['组织代码', '组织名称', '总分', '满分', '排名', '同级排名', '一票否决', '状态']);
      const api = ok(await gqlAllPages(server, CARDS, { schemeId }, rootAdmin, 'scorecards')).scorecards;
      expect(api.totalCount).toBeGreaterThan(0);
      expect(rows).toHaveLength(api.totalCount + 1);
      const first = api.edges[0].node;
      expect(rows[0]!.slice(8).map((h) => String(h).replace(/（[\d.]+分）$/, ''))).toEqual(first.items.map((i: any) => i.name));
      const byCode = new Map((api.edges as { node: any }[]).map((e) => [e.node.organization.code, e.node]));
      for (const row of rows.slice(1)) {
        const card = byCode.get(row[0]);
        expect(card).toBeDefined();
        expect(yuan(row[2])).toBe(card.total);
        expect(row[4]).toBe(card.rank);
        expect(row[6]).toBe(card.vetoed ? '是' : '否');
        for (const [i, item] of (card.items as any[]).entries()) {
          const cell = row[8 + i];
          if (item.notApplicable) expect(cell).toBe('不适用');
          else if (cell !== '否决') expect(yuan(cell)).toBe(item.points);
        }
      }
      // Highest total first.
      const totals = rows.slice(1).map((r) => Number(r[2]));
      expect(totals).toEqual([...totals].sort((a, b) => b - a));
    });

    it('keeps to the subtree and hides another department’s scheme', async () => {
      const mzjAdmin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
      const rows = await readXlsx(
        await (await get(server, `/export/scorecards.xlsx?scheme=${encodeURIComponent(schemeId)}`, mzjAdmin)).arrayBuffer(),
      );
      expect(rows.length).toBeGreaterThan(1);
      expect(rows.slice(1).every((r) => String(r[0]).startsWith('SZJGGW-MZJ'))).toBe(true);
      expect((await get(server, `/export/scorecards.xlsx?scheme=${encodeURIComponent(schemeId)}`, otherDepartment)).status).toBe(404);
      expect((await get(server, `/export/scorecards.xlsx?scheme=${encodeURIComponent(schemeId)}&${under(mzj.id)}`, sibling)).status).toBe(
        404,
      );
      expect((await get(server, '/export/scorecards.xlsx', rootAdmin)).status).toBe(400);
    });
  });
});
