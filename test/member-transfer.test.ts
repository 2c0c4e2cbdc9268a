import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

function expectError(result: GqlResult, code: string, field?: string) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code).toBe(code);
  if (field) expect(result.errors![0]!.extensions?.field).toBe(field);
}

const TRANSFER = `mutation ($id: ID!, $to: ID!, $reason: String!) {
  transferMember(id: $id, toOrganizationId: $to, reason: $reason) {
    organization { code } transfers { reason actorId transferredAt from { code } to { code } } } }`;
const HISTORY = `query ($id: ID!) { member(id: $id) { name organization { code } transfers { reason from { code } to { code } } } }`;

describe('组织关系转接 (transferMember)', () => {
  let server: TestServer;
  let admin: string;
  let secretary: string;
  let reader: string;
  let kxAdmin: string;
  const org: Record<string, string> = {};
  let member: { id: string; gid: string; name: string };

  const counts = async () => ({
    transfers: await server.db.client.memberTransfer.count(),
    activities: await server.db.client.activity.count(),
    inShjz: await server.db.client.member.count({ where: { organization: { code: 'SZJGGW-MZJ-SHJZ' } } }),
  });

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    reader = await server.token('SZJGGW-MZJ', ['MEMBER']);
    kxAdmin = await server.token('SZJGGW-KX', ['ADMIN']);
    for (const code of ['SZJGGW-MZJ', 'SZJGGW-MZJ-SHJZ', 'SZJGGW-MZJ-BGS', 'SZJGGW-MZJ-YLFW-G1', 'SZJGGW-KX-XHB']) {
      org[code] = gid('Organization', (await server.db.client.organization.findUniqueOrThrow({ where: { code } })).id);
    }
    const m = await server.db.client.member.findFirstOrThrow({
      where: { organization: { code: 'SZJGGW-MZJ-SHJZ' } },
      orderBy: { joinedAt: 'asc' },
    });
    member = { id: m.id, gid: gid('Member', m.id), name: m.name };
  });
  afterAll(() => server?.close());

  it.each([
    ['reason', () => ({ reason: '   ' })],
    ['reason', () => ({ reason: '调'.repeat(201) })],
    ['toOrganizationId', () => ({ to: org['SZJGGW-MZJ-SHJZ'] })],
    ['toOrganizationId', () => ({ to: org['SZJGGW-MZJ'] })],
    ['toOrganizationId', () => ({ to: org['SZJGGW-MZJ-YLFW-G1'] })],
    ['toOrganizationId', () => ({ to: member.gid })],
  ])('rejects a bad %s and writes nothing', async (field, change) => {
    const before = await counts();
    const result = await server.gql(TRANSFER, { id: member.gid, to: org['SZJGGW-MZJ-BGS'], reason: '工作调动', ...change() }, secretary);
    expectError(result, 'BAD_USER_INPUT', field);
    expect(await counts()).toEqual(before);
  });

  it('answers NOT_FOUND for a target branch outside the subtree, as for a nonexistent one', async () => {
    const before = await counts();
    const outside = await server.gql(TRANSFER, { id: member.gid, to: org['SZJGGW-KX-XHB'], reason: '工作调动' }, secretary);
    const missing = await server.gql(
      TRANSFER,
      { id: member.gid, to: gid('Organization', '00000000-0000-7000-8000-000000000000'), reason: '工作调动' },
      secretary,
    );
    expectError(outside, 'NOT_FOUND');
    expectError(missing, 'NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it('answers NOT_FOUND to a sibling organization for a member it cannot see, and FORBIDDEN to a plain member', async () => {
    const before = await counts();
    expectError(await server.gql(TRANSFER, { id: member.gid, to: org['SZJGGW-KX-XHB'], reason: '工作调动' }, kxAdmin), 'NOT_FOUND');
    expectError(await server.gql(TRANSFER, { id: member.gid, to: org['SZJGGW-MZJ-BGS'], reason: '工作调动' }, reader), 'FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('moves a membership inside the subtree, keeping history and recording both sides', async () => {
    const version = (await server.db.client.member.findUniqueOrThrow({ where: { id: member.id } })).version;
    const result = await server.gql(TRANSFER, { id: member.gid, to: org['SZJGGW-MZJ-BGS'], reason: '内部岗位调整' }, secretary);
    expect(result.errors).toBeUndefined();
    // The move raised the version: an edit prepared before it is refused, not applied over it.
    expect((await server.db.client.member.findUniqueOrThrow({ where: { id: member.id } })).version).toBe(version + 1);
    const stale = await server.gql(
      `mutation ($id: ID!, $v: Int!) { updateMember(id: $id, input: { ethnicity: "汉族" }, expectedVersion: $v) { version } }`,
      { id: member.gid, v: version },
      secretary,
    );
    expectError(stale, 'CONFLICT', 'expectedVersion');
    expect(result.data.transferMember.organization).toEqual({ code: 'SZJGGW-MZJ-BGS' });
    expect(result.data.transferMember.transfers).toEqual([
      {
        reason: '内部岗位调整',
        actorId: 'mzj-secretary',
        transferredAt: expect.any(String),
        from: { code: 'SZJGGW-MZJ-SHJZ' },
        to: { code: 'SZJGGW-MZJ-BGS' },
      },
    ]);
    const activities = await server.db.client.activity.findMany({
      where: { subjectId: member.id, kind: { startsWith: 'member.transferred' } },
      include: { organization: true },
    });
    expect(activities.map((a) => [a.kind, a.organization?.code]).sort()).toEqual([
      ['member.transferred', 'SZJGGW-MZJ-SHJZ'],
      ['member.transferredIn', 'SZJGGW-MZJ-BGS'],
    ]);
    expect(activities[0]!.summary).toContain(member.name);
  });

  it('shows a receiving organization the history without leaking where the member came from', async () => {
    const moved = await server.gql(TRANSFER, { id: member.gid, to: org['SZJGGW-KX-XHB'], reason: '调任市科协' }, admin);
    expect(moved.errors).toBeUndefined();

    const theirs = await server.gql(HISTORY, { id: member.gid }, kxAdmin);
    expect(theirs.data.member).toEqual({
      name: member.name,
      organization: { code: 'SZJGGW-KX-XHB' },
      transfers: [
        { reason: '调任市科协', from: null, to: { code: 'SZJGGW-KX-XHB' } },
        { reason: '内部岗位调整', from: null, to: null },
      ],
    });
    // The sending side no longer sees the member at all.
    expect(await server.gql(HISTORY, { id: member.gid }, secretary)).toEqual({ data: { member: null } });
    // The root sees every end.
    const root = await server.gql(HISTORY, { id: member.gid }, admin);
    expect(root.data.member.transfers.map((t: any) => [t.from.code, t.to.code])).toEqual([
      ['SZJGGW-MZJ-BGS', 'SZJGGW-KX-XHB'],
      ['SZJGGW-MZJ-SHJZ', 'SZJGGW-MZJ-BGS'],
    ]);
  });
});
