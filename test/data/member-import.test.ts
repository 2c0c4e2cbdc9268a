import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@dangjian/testing';
import { badChecksum, get, nationalId, readXlsx, upload, xlsx, type CellInput } from './helpers.ts';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const IMPORT = `mutation ($file: File!, $under: ID, $mode: ImportMode, $existing: ExistingPersonPolicy) {
  importMembers(file: $file, under: $under, mode: $mode, existing: $existing) {
    batchId mode fileName rows created updated skipped rejected committed problemCount errorReportUrl
    problems { row column message }
  }
}`;

// Headers in an order of their own, with an extra column the import ignores.
const HEADERS = [
  '序号',
  '身份证号',
  '姓名',
  '性别',
  '民族',
  '出生日期',
  '学历',
  '手机号',
  '入党日期',
  '转正日期',
  '人员类别',
  '所在党组织代码',
  '备注',
];
const BGS = 'SZJGGW-MZJ-BGS';
const YLFW = 'SZJGGW-MZJ-YLFW';

interface Person {
  id: string;
  name: CellInput;
  gender: string | null;
  birth: CellInput;
  phone: string | null;
  joined: CellInput;
  full: CellInput;
  status: string | null;
  org: string | null;
}

const row = (n: number, p: Person): CellInput[] => [
  n,
  p.id,
  p.name,
  p.gender,
  '汉族',
  p.birth,
  '大学本科',
  p.phone,
  p.joined,
  p.full,
  p.status,
  p.org,
  '备注',
];

/** A clean person born in `year`, joined at 25, full member a year later (dates as Excel dates or text). */
function person(i: number, overrides: Partial<Person> = {}): Person {
  const year = 1970 + (i % 25);
  const birth = `${year}-0${1 + (i % 9)}-1${i % 10}`;
  const female = i % 3 === 0;
  return {
    id: nationalId(birth, female ? 'FEMALE' : 'MALE'),
    name: `导入${String(i).padStart(3, '0')}`,
    gender: female ? '女' : '男',
    birth: i % 2 ? new Date(`${birth}T00:00:00Z`) : birth,
    phone: `139${String(10_000_000 + i).slice(0, 8)}`,
    joined: i % 2 ? new Date(Date.UTC(year + 25, 6, 1)) : `${year + 25}/7/1`,
    full: i % 4 === 0 ? null : `${year + 26}年7月1日`,
    status: i % 4 === 0 ? '预备党员' : i % 4 === 1 ? '正式党员' : null,
    org: i % 2 ? BGS : YLFW,
    ...overrides,
  };
}

describe('importing a member roster', () => {
  let server: TestServer;
  let secretary: string;
  let reader: string;
  let sibling: string;
  let mzj: string;
  let clean: Person[];
  let roster: Buffer;
  let outsiderId: string;
  const expected: { row: number; column: string | null; message: RegExp }[] = [];

  const memberCount = () => server.db.client.member.count();

  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    reader = await server.token('SZJGGW-MZJ', ['MEMBER'], 'mzj-reader');
    sibling = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    const db = server.db.client;
    mzj = gid('Organization', (await db.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } })).id);
    const outsider = await db.member.findFirstOrThrow({ where: { organization: { code: 'SZJGGW-KX-XHB' } } });
    outsiderId = server.vault.decrypt(outsider.nationalId!, 'Member.nationalId');

    clean = Array.from({ length: 60 }, (_, i) => person(i + 1));
    const rows: CellInput[][] = clean.map((p, i) => row(i + 1, p));
    // A formula cell is read as its value.
    rows[2]![2] = { formula: 'CONCATENATE("导入","003")', result: '导入003' };
    // Mistakes, each in a row of its own; spreadsheet rows are the array index + 2 (header is row 1).
    const mistakes: [Person, string | null, RegExp][] = [
      [person(101, { id: badChecksum(nationalId('1980-05-05')) }), '身份证号', /不是有效的 18 位身份证号/],
      [person(102, { birth: '1960-01-01' }), '出生日期', /与身份证号中的出生日期/],
      [person(120, { gender: '男' }), '性别', /与身份证号不一致/],
      [person(104, { joined: '1980-01-01' }), '入党日期', /不能早于年满 18 周岁之日/],
      [person(105, { full: '1990-01-01' }), '转正日期', /应晚于入党日期/],
      [person(106, { phone: '12345' }), '手机号', /11 位手机号码/],
      [person(107, { org: 'NO-SUCH-ORG' }), '所在党组织代码', /不存在或不在您的管辖范围内/],
      [person(108, { org: 'SZJGGW-KX-XHB' }), '所在党组织代码', /不存在或不在您的管辖范围内/],
      [person(109, { org: 'SZJGGW-MZJ' }), '所在党组织代码', /不是党支部/],
      [person(110, { id: clean[4]!.id, birth: clean[4]!.birth, gender: clean[4]!.gender }), '身份证号', /与第 6 行的身份证号重复/],
      [
        person(111, { id: outsiderId, birth: null, gender: null, joined: '2024-01-01', full: null, status: null }),
        '身份证号',
        /已登记为其他党组织的党员/,
      ],
      [person(112, { joined: '2019-13-45' }), '入党日期', /不是有效日期/],
      [person(113, { name: null }), '姓名', /必填/],
      [person(114, { gender: '未知' }), '性别', /不是有效值/],
      [person(115, { status: '正式党员', full: null }), '转正日期', /必须填写转正日期/],
    ];
    for (const [p, column, message] of mistakes) {
      rows.push(row(rows.length + 1, p));
      expected.push({ row: rows.length + 1, column, message });
    }
    // An empty row in the middle is skipped, not rejected.
    rows.splice(30, 0, []);
    for (const e of expected) e.row += 1;
    roster = await xlsx(HEADERS, rows);
  });
  afterAll(() => server?.close());

  it('serves the template with Chinese headers and an instructions sheet, under its Chinese name', async () => {
    const res = await get(server, '/data/templates/members.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('党员花名册导入模板.xlsx')}`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await res.arrayBuffer();
    expect((await readXlsx(body))[0]).toEqual([
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
    ]);
    const instructions = await readXlsx(body, 1);
    expect(instructions[0]).toEqual(['列名', '是否必填', '填写说明', '示例']);
    expect(instructions.find((r) => r[0] === '身份证号')?.[1]).toBe('必填');
  });

  it('reports every mistake with its row and column, and writes nothing of a refused all-or-nothing batch', async () => {
    const before = await memberCount();
    const activities = await server.db.client.activity.count();
    const result = await upload(
      server,
      IMPORT,
      { under: mzj, mode: 'ALL_OR_NOTHING' },
      { name: '民政局花名册.xlsx', body: roster },
      secretary,
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const outcome = result.data.importMembers;
    expect(outcome).toMatchObject({ mode: 'ALL_OR_NOTHING', rows: 75, rejected: expected.length, committed: false, created: 0 });
    for (const e of expected) {
      const found = outcome.problems.filter((p: { row: number }) => p.row === e.row);
      expect(found, `row ${e.row}`).toHaveLength(1);
      expect(found[0].column, JSON.stringify(found)).toBe(e.column);
      expect(found[0].message).toMatch(e.message);
    }
    expect(outcome.problems).toHaveLength(expected.length);
    expect(await memberCount()).toBe(before);
    expect(await server.db.client.activity.count()).toBe(activities);
    // The batch is on record with who tried, and the audit trail names it.
    const audit = await server.db.client.auditRecord.findFirst({ where: { target: `ImportBatch:${outcome.batchId}` } });
    expect(audit).toMatchObject({ operation: 'import:members', userId: 'mzj-secretary' });
    expect(audit!.result).toMatch(/^REFUSED/);
  });

  it('offers the rejected rows as an .xlsx with an error column, to writers of the subtree only', async () => {
    const result = await upload(server, IMPORT, { under: mzj }, { name: '民政局花名册.xlsx', body: roster }, secretary);
    const outcome = result.data.importMembers;
    expect(outcome).toMatchObject({ mode: 'VALIDATE', committed: false, created: clean.length, rejected: expected.length });
    const res = await get(server, outcome.errorReportUrl, secretary);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('民政局花名册-错误报告.xlsx'));
    const rows = await readXlsx(await res.arrayBuffer());
    expect(rows[0]).toEqual(['行号', ...HEADERS, '错误']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(expected.map((e) => e.row));
    expect(String(rows[1]!.at(-1))).toMatch(/^身份证号：不是有效的/);
    expect((await get(server, outcome.errorReportUrl, sibling)).status).toBe(404);
    expect((await get(server, outcome.errorReportUrl, reader)).status).toBe(404);
    expect((await get(server, outcome.errorReportUrl)).status).toBe(401);
  });

  it('imports the valid rows, records one activity and an audit record, and re-importing creates no duplicates', async () => {
    const before = await memberCount();
    // The planner's row estimate of the member table (-1: never analyzed).
    const estimate = async () =>
      (await server.db.client.$queryRaw<{ n: number }[]>`SELECT reltuples::int AS n FROM pg_class WHERE oid = '"Member"'::regclass`)[0]!.n;
    // By autovacuum's rule (more than 50 rows + a tenth of the table) this import is large enough to re-analyze the table.
    expect(clean.length).toBeGreaterThan(50 + 0.1 * Math.max(0, await estimate()));
    expect(await estimate()).not.toBe(before + clean.length);
    const first = await upload(server, IMPORT, { mode: 'VALID_ROWS' }, { name: 'roster.xlsx', body: roster }, secretary);
    expect(first.errors).toBeUndefined();
    expect(first.data.importMembers).toMatchObject({ committed: true, created: clean.length, rejected: expected.length, skipped: 0 });
    expect(await memberCount()).toBe(before + clean.length);
    // Analyzed once the batch committed (the embedded database has no autovacuum to do it).
    expect(await estimate()).toBe(before + clean.length);
    const stored = await server.db.client.member.findFirstOrThrow({
      where: { nationalIdHash: server.vault.lookupHash(clean[2]!.id) },
      include: { organization: true },
    });
    expect(stored).toMatchObject({ name: '导入003', status: 'FULL', organization: { code: BGS }, ethnicity: '汉族' });
    const full = await server.db.client.member.findFirstOrThrow({ where: { nationalIdHash: server.vault.lookupHash(clean[0]!.id) } });
    expect(full.status).toBe('FULL');
    expect(full.fullMemberAt?.toISOString().slice(0, 10)).toBe('1997-07-01');
    const activity = await server.db.client.activity.findFirstOrThrow({
      where: { kind: 'member.imported', subjectId: first.data.importMembers.batchId },
    });
    expect(activity.summary).toContain(`新增 ${clean.length}`);

    const again = await upload(server, IMPORT, { mode: 'VALID_ROWS' }, { name: 'roster.xlsx', body: roster }, secretary);
    expect(again.data.importMembers).toMatchObject({ committed: true, created: 0, updated: 0, skipped: clean.length });
    expect(await memberCount()).toBe(before + clean.length);
  });

  it('updates people already registered when asked to', async () => {
    const changed = clean.slice(0, 5).map((p, i) => row(i + 1, { ...p, phone: '13700000000', name: `改名${i}` }));
    const file = await xlsx(HEADERS, changed);
    const result = await upload(
      server,
      IMPORT,
      { mode: 'ALL_OR_NOTHING', existing: 'UPDATE' },
      { name: 'update.xlsx', body: file },
      secretary,
    );
    expect(result.data.importMembers).toMatchObject({ committed: true, created: 0, updated: 5, rejected: 0 });
    const member = await server.db.client.member.findFirstOrThrow({ where: { nationalIdHash: server.vault.lookupHash(clean[1]!.id) } });
    expect(member).toMatchObject({ name: '改名1', phone: '13700000000', version: 1 });
  });

  it('reads CSV (UTF-8 with a byte-order mark) with the same headers', async () => {
    const p = person(200);
    const lines = [
      HEADERS.join(','),
      row(1, { ...p, birth: String(p.birth instanceof Date ? p.birth.toISOString().slice(0, 10) : p.birth), joined: '2001-07-01' })
        .map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : (c ?? '')))
        .join(','),
    ];
    const csv = `\uFEFF${lines.join('\r\n')}\r\n`;
    const result = await upload(server, IMPORT, { mode: 'VALID_ROWS' }, { name: '名单.csv', body: csv, type: 'text/csv' }, secretary);
    expect(result.errors).toBeUndefined();
    expect(result.data.importMembers).toMatchObject({ rows: 1, created: 1, rejected: 0 });
  });

  it('refuses missing columns, macro-enabled, malformed and oversized files with a clear error', async () => {
    const missing = await upload(server, IMPORT, {}, { name: 'x.xlsx', body: await xlsx(['姓名', '性别'], [['张三', '男']]) }, secretary);
    expect(missing.data.importMembers.problems).toEqual(
      expect.arrayContaining([
        { row: 0, column: '身份证号', message: '缺少必填列“身份证号”' },
        { row: 0, column: '入党日期', message: '缺少必填列“入党日期”' },
      ]),
    );
    const macro = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('....xl/vbaProject.bin....'), roster]);
    const refusedMacro = await upload(server, IMPORT, {}, { name: 'x.xlsm', body: macro }, secretary);
    expect(refusedMacro.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'file' } });
    expect(refusedMacro.errors?.[0]?.message).toContain('含宏');
    const broken = Buffer.concat([roster.subarray(0, 200), Buffer.alloc(300, 7)]);
    const refusedBroken = await upload(server, IMPORT, {}, { name: 'x.xlsx', body: broken }, secretary);
    expect(refusedBroken.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'file' } });
    expect(refusedBroken.errors?.[0]?.message).toContain('无法读取');
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(100)]);
    expect((await upload(server, IMPORT, {}, { name: 'x.xls', body: xls }, secretary)).errors?.[0]?.message).toContain('.xls');

    process.env.DANGJIAN_IMPORT_MAX_ROWS = '10';
    process.env.DANGJIAN_IMPORT_MAX_BYTES = '4000';
    try {
      const rows = await upload(
        server,
        IMPORT,
        {},
        { name: 'x.csv', body: [HEADERS.join(','), ...Array(11).fill('1,2,3')].join('\n') },
        secretary,
      );
      expect(rows.errors?.[0]?.message).toContain('数据行超过上限 10 行');
      const big = await upload(server, IMPORT, {}, { name: 'x.xlsx', body: roster }, secretary);
      expect(big.errors?.[0]?.message).toContain('文件超过大小上限');
    } finally {
      delete process.env.DANGJIAN_IMPORT_MAX_ROWS;
      delete process.env.DANGJIAN_IMPORT_MAX_BYTES;
    }
  });

  it('allows only writers, only in their subtree, and only with the CSRF header', async () => {
    const file = { name: 'x.xlsx', body: roster };
    expect((await upload(server, IMPORT, {}, file, reader)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await upload(server, IMPORT, { under: mzj }, file, sibling)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const noCsrf = await upload(server, IMPORT, {}, file, secretary, { csrf: false });
    expect(noCsrf.status).toBe(403);
  });
});
