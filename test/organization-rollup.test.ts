import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalIdChecksum } from '@dangjian/db';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

// Organization.subtreeMemberCount is a rollup column kept by database triggers (migrations
// subtree_member_rollup, subtree_member_rollup_on_roll). After every kind of write that changes it, every
// organization's kept count must equal a fresh count of the members on the roll in its subtree (standing
// ACTIVE or SUSPENDED: those who left or died are out of counts), and the API must show the new figures.

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

function ok<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

const COUNTS = `query ($code: String!, $id: ID!) {
  organization(code: $code) { subtreeMemberCount }
  members(filter: { under: $id }) { totalCount }
}`;

describe('党员总数 rollup (Organization.subtreeMemberCount)', () => {
  let server: TestServer;
  let root: string;
  const org: Record<string, { id: string; gid: string }> = {};
  let serial = 0;

  /** Organizations whose kept count differs from a fresh count of their subtree's members. */
  const drift = async () =>
    server.db.client.$queryRawUnsafe<{ code: string; kept: number; actual: number }[]>(
      `SELECT o.code, o."subtreeMemberCount" AS kept, c.actual
         FROM "Organization" o
         CROSS JOIN LATERAL (SELECT count(*)::int AS actual FROM "Member" m JOIN "Organization" x ON x.id = m."organizationId"
                              WHERE x.path LIKE o.path || '%' AND m.standing IN ('ACTIVE', 'SUSPENDED')) c
        WHERE o."subtreeMemberCount" <> c.actual`,
    );
  /** The count as the API shows it, both ways a dashboard reads it. */
  const shown = async (code: string) => {
    const data = ok(await server.gql(COUNTS, { code, id: org[code]!.gid }, root));
    expect(data.members.totalCount).toBe(data.organization.subtreeMemberCount);
    return data.organization.subtreeMemberCount as number;
  };
  const counts = async (...codes: string[]) => Object.fromEntries(await Promise.all(codes.map(async (c) => [c, await shown(c)])));
  const register = async (code: string) => {
    serial += 1;
    const first17 = `11010119900101${String(100 + serial).slice(-3)}`;
    const input = {
      organizationId: org[code]!.gid,
      name: `总数测试${serial}`,
      nationalId: first17 + nationalIdChecksum(first17),
      joinedAt: '2020-03-01',
    };
    return ok(await server.gql('mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }', { input }, root))
      .registerMember.id as string;
  };
  const transfer = async (memberGid: string, to: string) =>
    ok(
      await server.gql(
        'mutation ($id: ID!, $to: ID!) { transferMember(id: $id, toOrganizationId: $to, reason: "工作调动") { id } }',
        { id: memberGid, to: org[to]!.gid },
        root,
      ),
    );
  const refresh = async () => {
    for (const o of await server.db.client.organization.findMany({ select: { id: true, code: true } }))
      org[o.code] = { id: o.id, gid: gid('Organization', o.id) };
  };

  beforeAll(async () => {
    server = await startTestServer();
    root = await server.token('SZJGGW', ['ADMIN'], 'rollup-admin');
    await refresh();
  });
  afterAll(() => server?.close());

  it('is right for the seeded data (a bulk insert goes through the same triggers)', async () => {
    expect(await drift()).toEqual([]);
    const total = await server.db.client.member.count({ where: { standing: { in: ['ACTIVE', 'SUSPENDED'] } } });
    expect(await shown('SZJGGW')).toBe(total);
    expect(total).toBeGreaterThan(0);
  });

  it('follows members registered through the API, and a new organization starts at zero', async () => {
    const created = await server.gql(
      'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id subtreeMemberCount } }',
      { input: { parentId: org['SZJGGW-MZJ']!.gid, kind: 'BRANCH', name: '总数测试支部', code: 'SZJGGW-MZJ-ROLL' } },
      root,
    );
    expect(ok(created).createOrganization.subtreeMemberCount).toBe(0);
    await refresh();
    const before = await counts('SZJGGW', 'SZJGGW-MZJ');
    await register('SZJGGW-MZJ-ROLL');
    await register('SZJGGW-MZJ-ROLL');
    expect(await counts('SZJGGW', 'SZJGGW-MZJ', 'SZJGGW-MZJ-ROLL')).toEqual({
      SZJGGW: before.SZJGGW + 2,
      'SZJGGW-MZJ': before['SZJGGW-MZJ'] + 2,
      'SZJGGW-MZJ-ROLL': 2,
    });
    expect(await drift()).toEqual([]);
  });

  it('follows a member’s standing: off the roll (died, removed) −1, suspended stays counted, restored +1', async () => {
    const branch = 'SZJGGW-MZJ-BGS';
    const change = async (id: string, kind: string) =>
      ok(
        await server.gql(
          'mutation ($id: ID!, $input: RecordMemberLifecycleInput!) { recordMemberLifecycle(id: $id, input: $input) { standing } }',
          { id, input: { kind, date: '2026-01-05', reason: '测试党籍变动' } },
          root,
        ),
      );
    const a = await register(branch);
    const b = await register(branch);
    const before = await counts(branch, 'SZJGGW-MZJ', 'SZJGGW');
    await change(a, 'SUSPENDED'); // 停止党籍: still on the roll
    expect(await counts(branch, 'SZJGGW-MZJ', 'SZJGGW')).toEqual(before);
    await change(b, 'DIED');
    const after = await counts(branch, 'SZJGGW-MZJ', 'SZJGGW');
    for (const code of Object.keys(before)) expect(after[code]).toBe(before[code] - 1);
    await change(a, 'RESTORED');
    expect(await counts(branch, 'SZJGGW-MZJ', 'SZJGGW')).toEqual(after);
    expect(await drift()).toEqual([]);
  });

  it('moves a transferred member from one subtree to the other', async () => {
    const [member] = await server.db.client.member.findMany({ where: { organizationId: org['SZJGGW-MZJ-ROLL']!.id }, take: 1 });
    const target = await server.db.client.organization.findFirstOrThrow({ where: { code: { startsWith: 'SZJGGW-KX-' }, kind: 'BRANCH' } });
    await refresh();
    const before = await counts('SZJGGW', 'SZJGGW-MZJ', 'SZJGGW-KX', target.code);
    await transfer(gid('Member', member!.id), target.code);
    expect(await counts('SZJGGW', 'SZJGGW-MZJ', 'SZJGGW-KX', target.code)).toEqual({
      SZJGGW: before.SZJGGW,
      'SZJGGW-MZJ': before['SZJGGW-MZJ'] - 1,
      'SZJGGW-KX': before['SZJGGW-KX'] + 1,
      [target.code]: before[target.code] + 1,
    });
    expect(await drift()).toEqual([]);
  });

  it('carries a moved organization’s members (its whole subtree) to the new parent', async () => {
    const group = await server.gql(
      'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      { input: { parentId: org['SZJGGW-MZJ-ROLL']!.gid, kind: 'GROUP', name: '第一党小组', code: 'SZJGGW-MZJ-ROLL-G1' } },
      root,
    );
    ok(group);
    await refresh();
    const before = await counts('SZJGGW', 'SZJGGW-MZJ', 'SZJGGW-FGW', 'SZJGGW-MZJ-ROLL');
    expect(before['SZJGGW-MZJ-ROLL']).toBe(1);
    ok(
      await server.gql(
        'mutation ($id: ID!, $to: ID!) { moveOrganization(id: $id, newParentId: $to) { id } }',
        { id: org['SZJGGW-MZJ-ROLL']!.gid, to: org['SZJGGW-FGW']!.gid },
        root,
      ),
    );
    expect(await counts('SZJGGW', 'SZJGGW-MZJ', 'SZJGGW-FGW', 'SZJGGW-MZJ-ROLL')).toEqual({
      SZJGGW: before.SZJGGW,
      'SZJGGW-MZJ': before['SZJGGW-MZJ'] - 1,
      'SZJGGW-FGW': before['SZJGGW-FGW'] + 1,
      'SZJGGW-MZJ-ROLL': 1,
    });
    expect(await drift()).toEqual([]);
  });

  it('stays right when an emptied organization is dissolved, and when members are deleted', async () => {
    const [member] = await server.db.client.member.findMany({ where: { organizationId: org['SZJGGW-MZJ-ROLL']!.id } });
    const before = await counts('SZJGGW', 'SZJGGW-FGW', 'SZJGGW-MZJ');
    await transfer(gid('Member', member!.id), 'SZJGGW-MZJ-BGS');
    // (The emptied branch itself keeps transfer history rows, which its deletion would orphan: only its group is dissolved.)
    ok(await server.gql('mutation ($id: ID!) { dissolveOrganization(id: $id) }', { id: org['SZJGGW-MZJ-ROLL-G1']!.gid }, root));
    expect(await counts('SZJGGW', 'SZJGGW-FGW', 'SZJGGW-MZJ')).toEqual({
      SZJGGW: before.SZJGGW,
      'SZJGGW-FGW': before['SZJGGW-FGW'] - 1,
      'SZJGGW-MZJ': before['SZJGGW-MZJ'] + 1,
    });
    // The API deletes no member; a deletion by hand (a data fix) is kept by the same triggers.
    await server.db.client.$transaction(async (tx) => {
      await tx.meetingAttendance.deleteMany({ where: { memberId: member!.id } });
      await tx.member.delete({ where: { id: member!.id } });
    });
    expect(await counts('SZJGGW', 'SZJGGW-MZJ')).toEqual({ SZJGGW: before.SZJGGW - 1, 'SZJGGW-MZJ': before['SZJGGW-MZJ'] });
    expect(await drift()).toEqual([]);
  });
});
