import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@dangjian/testing';
import { get, readXlsx } from './helpers.ts';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

describe('exporting rosters and meeting records', () => {
  let server: TestServer;
  let secretary: string;
  let reader: string;
  let sibling: string;
  let mzj: { id: string; path: string };
  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    reader = await server.token('SZJGGW-MZJ', ['MEMBER'], 'mzj-reader');
    sibling = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    mzj = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
  });
  afterAll(() => server?.close());

  const membersUnder = () =>
    server.db.client.member.findMany({ where: { organization: { path: { startsWith: mzj.path } } }, orderBy: { id: 'asc' } });

  it('exports the roster of the subtree masked by default, with Chinese headers, as an attachment', async () => {
    const res = await get(server, '/export/members.xlsx', reader);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; .*filename\*=UTF-8''%E5%85%9A%E5%91%98/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const rows = await readXlsx(await res.arrayBuffer());
    const members = await membersUnder();
    expect(rows[0]).toEqual([
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
      '所在党组织',
    ]);
    expect(rows).toHaveLength(members.length + 1);
    const first = members[0]!;
    const id = server.vault.decrypt(first.nationalId!, 'Member.nationalId');
    expect(rows[1]![0]).toBe(first.name);
    expect(rows[1]![4]).toBe(`${id.slice(0, 4)}**********${id.slice(-4)}`);
    expect(rows[1]![6]).toBe(`${first.phone!.slice(0, 3)}****${first.phone!.slice(-4)}`);
    // A plain member sees no birth date, ethnicity or education, as in the API.
    expect(rows[1]![3] ?? null).toBeNull();
    expect(rows[1]![2] ?? null).toBeNull();
    expect(rows.slice(1).every((r) => String(r[10]).startsWith('SZJGGW-MZJ'))).toBe(true);
  });

  it('exports in clear only for ADMIN or SECRETARY, and records each member read in clear', async () => {
    expect((await get(server, '/export/members.xlsx?clear=true', reader)).status).toBe(403);
    const before = await server.db.client.auditRecord.count({ where: { operation: 'read:Member.nationalId', userId: 'mzj-secretary' } });
    const res = await get(server, '/export/members.xlsx?clear=true', secretary);
    expect(res.status).toBe(200);
    const rows = await readXlsx(await res.arrayBuffer());
    const members = await membersUnder();
    expect(rows[1]![4]).toBe(server.vault.decrypt(members[0]!.nationalId!, 'Member.nationalId'));
    expect(rows[1]![6]).toBe(members[0]!.phone);
    const withId = members.filter((m) => m.nationalId !== null).length;
    expect(await server.db.client.auditRecord.count({ where: { operation: 'read:Member.nationalId', userId: 'mzj-secretary' } })).toBe(
      before + withId,
    );
    expect(
      await server.db.client.activity.count({ where: { kind: 'member.personalDataRead', actorId: 'mzj-secretary' } }),
    ).toBeGreaterThanOrEqual(withId);
    // The export's own record is written once its last byte is (with the row count): the client can have the
    // whole file a moment before it is committed. The clear reads above are recorded before any value leaves.
    await expect
      .poll(() =>
        server.db.client.auditRecord.count({
          where: { operation: 'export:members', userId: 'mzj-secretary', result: { contains: 'clear=true' } },
        }),
      )
      .toBe(1);
  });

  it('answers an organization outside the subtree like a missing one, and needs a token', async () => {
    const under = gid('Organization', mzj.id);
    expect((await get(server, `/export/members.xlsx?under=${encodeURIComponent(under)}`, sibling)).status).toBe(404);
    expect(
      (
        await get(
          server,
          `/export/members.xlsx?under=${encodeURIComponent(gid('Organization', '00000000-0000-0000-0000-000000000000'))}`,
          sibling,
        )
      ).status,
    ).toBe(404);
    expect((await get(server, '/export/members.xlsx')).status).toBe(401);
  });

  it('exports meeting records with attendance counts', async () => {
    const res = await get(server, `/export/meetings.xlsx?under=${encodeURIComponent(gid('Organization', mzj.id))}`, secretary);
    expect(res.status).toBe(200);
    const rows = await readXlsx(await res.arrayBuffer());
    const meetings = await server.db.client.meeting.count({ where: { organization: { path: { startsWith: mzj.path } } } });
    expect(rows[0]).toEqual(['组织代码', '组织名称', '会议类型', '日期', '主题', '应到人数', '实到人数']);
    expect(rows).toHaveLength(meetings + 1);
    expect(rows.slice(1).every((r) => Number(r[5]) >= Number(r[6]))).toBe(true);
  });
});
