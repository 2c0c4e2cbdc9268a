import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@dangjian/testing';
import { get, readXlsx, upload, xlsx } from './helpers.ts';

const IMPORT = `mutation ($file: File!, $mode: ImportMode, $existing: ExistingPersonPolicy) {
  importOrganizations(file: $file, mode: $mode, existing: $existing) {
    rows created updated skipped rejected committed problems { row column message }
  }
}`;
const HEADERS = ['组织代码', '组织名称', '组织类别', '上级组织代码', '所在单位', '本届开始日期', '本届届满日期'];

describe('importing the organization tree', () => {
  let server: TestServer;
  let admin: string;
  let secretary: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
  });
  afterAll(() => server?.close());

  it('serves its template', async () => {
    const res = await get(server, '/data/templates/organizations.xlsx');
    expect(res.status).toBe(200);
    expect((await readXlsx(await res.arrayBuffer()))[0]).toEqual(HEADERS);
  });

  it('builds a subtree from codes and parent codes, checks nesting and scope, and re-imports without duplicates', async () => {
    const rows = [
      ['MZJ-NEW-ZZ', '新设党总支', '党总支', 'SZJGGW-MZJ', null, '2024-01-01', '2026-12-31'],
      ['MZJ-NEW-ZB1', '新设第一党支部', '党支部', 'MZJ-NEW-ZZ', null, null, null],
      ['MZJ-NEW-XZ', '第一党小组', '党小组', 'MZJ-NEW-ZB1', null, null, null],
      ['MZJ-BAD-1', '错放的党委', '党委', 'MZJ-NEW-ZB1', null, null, null],
      ['MZJ-BAD-2', '别家的支部', '党支部', 'SZJGGW-KX', null, null, null],
      ['MZJ-BAD-3', '后面才有上级', '党支部', 'MZJ-LATER', null, null, null],
      ['MZJ-NEW-ZB1', '重复', '党支部', 'MZJ-NEW-ZZ', null, null, null],
      ['MZJ-BAD-4', '届期颠倒', '党支部', 'MZJ-NEW-ZZ', null, '2025-01-01', '2024-01-01'],
      ['SZJGGW-KX-XHB', '占用别人的代码', '党支部', 'MZJ-NEW-ZZ', null, null, null],
    ];
    const file = await xlsx(HEADERS, rows);
    const before = await server.db.client.organization.count();
    const refused = await upload(server, IMPORT, { mode: 'ALL_OR_NOTHING' }, { name: 'tree.xlsx', body: file }, admin);
    expect(refused.errors).toBeUndefined();
    const outcome = refused.data.importOrganizations;
    expect(outcome).toMatchObject({ rows: 9, rejected: 6, committed: false });
    expect(outcome.problems.map((p: { row: number; column: string }) => [p.row, p.column])).toEqual([
      [5, '组织类别'],
      [6, '上级组织代码'],
      [7, '上级组织代码'],
      [8, '组织代码'],
      [9, '本届届满日期'],
      [10, '组织代码'],
    ]);
    expect(await server.db.client.organization.count()).toBe(before);

    const done = await upload(server, IMPORT, { mode: 'VALID_ROWS' }, { name: 'tree.xlsx', body: file }, admin);
    expect(done.data.importOrganizations).toMatchObject({ created: 3, committed: true });
    const group = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'MZJ-NEW-XZ' }, include: { parent: true } });
    const mzj = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
    expect(group.parent?.code).toBe('MZJ-NEW-ZB1');
    expect(group.path.startsWith(mzj.path)).toBe(true);
    expect(group.depth).toBe(mzj.depth + 3);
    expect(group.agency).toBe(mzj.agency);

    const again = await upload(server, IMPORT, { mode: 'VALID_ROWS' }, { name: 'tree.xlsx', body: file }, admin);
    expect(again.data.importOrganizations).toMatchObject({ created: 0, skipped: 3 });
    expect(await server.db.client.organization.count()).toBe(before + 3);
  });

  it('is for administrators only', async () => {
    const file = await xlsx(HEADERS, []);
    expect((await upload(server, IMPORT, {}, { name: 'x.xlsx', body: file }, secretary)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
