import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalIdChecksum } from '@dangjian/db';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const iso = (date: Date) => date.toISOString().slice(0, 10);
const today = () => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
const daysAgo = (n: number) => new Date(today().getTime() - n * 86_400_000);

let serial = 0;
/** A valid national ID of a given birth date and sex; area 110101 never occurs in the demo data. */
function nationalId(birth: string, gender: 'MALE' | 'FEMALE' = 'MALE'): string {
  serial += 1;
  const sequence = String(serial % 100).padStart(2, '0') + String((serial % 5) * 2 + (gender === 'MALE' ? 1 : 0));
  const first17 = `110101${birth.replaceAll('-', '')}${sequence}`;
  return first17 + nationalIdChecksum(first17);
}

function expectError(result: GqlResult, code: string, field?: string) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code).toBe(code);
  if (field) expect(result.errors![0]!.extensions?.field).toBe(field);
}

const MEMBER_FIELDS = `id name gender status joinedAt fullMemberAt birthYear birthDate ethnicity education nationalId phone organization { code }`;
const MEMBER = `query ($id: ID!) { member(id: $id) { ${MEMBER_FIELDS} } }`;
const REGISTER = `mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { ${MEMBER_FIELDS} nationalIdClear: nationalId(clear: true) } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateMemberInput!) { updateMember(id: $id, input: $input) { ${MEMBER_FIELDS} } }`;
const CONVERT = `mutation ($id: ID!, $date: Date!) { convertToFullMember(id: $id, date: $date) { status fullMemberAt } }`;

describe('members', () => {
  let server: TestServer;
  let admin: string;
  let secretary: string;
  let reader: string;
  let sibling: string;
  let shjz: { id: string; gid: string };
  let kxBranch: { id: string; gid: string };
  let committeeGid: string;
  let fixture: { id: string; gid: string; name: string; nationalId: string; phone: string; birthDate: Date; ethnicity: string };

  const counts = async () => ({
    members: await server.db.client.member.count(),
    activities: await server.db.client.activity.count(),
  });

  beforeAll(async () => {
    server = await startTestServer();
    const db = server.db.client;
    admin = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    reader = await server.token('SZJGGW-MZJ', ['MEMBER'], 'mzj-reader');
    sibling = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    const org = await db.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-SHJZ' } });
    shjz = { id: org.id, gid: gid('Organization', org.id) };
    const kx = await db.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-KX-XHB' } });
    kxBranch = { id: kx.id, gid: gid('Organization', kx.id) };
    committeeGid = gid('Organization', (await db.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } })).id);
    const m = await db.member.findFirstOrThrow({ where: { organizationId: shjz.id }, orderBy: { name: 'asc' } });
    fixture = {
      id: m.id,
      gid: gid('Member', m.id),
      name: m.name,
      nationalId: server.vault.decrypt(m.nationalId!, 'Member.nationalId'),
      phone: m.phone!,
      birthDate: m.birthDate!,
      ethnicity: m.ethnicity!,
    };
  });
  afterAll(() => server?.close());

  describe('reading', () => {
    it('answers a member with masked personal data for a plain reader', async () => {
      const result = await server.gql(MEMBER, { id: fixture.gid }, reader);
      expect(result.errors).toBeUndefined();
      const member = result.data.member;
      expect(member).toMatchObject({ id: fixture.gid, name: fixture.name, organization: { code: 'SZJGGW-MZJ-SHJZ' } });
      expect(member.nationalId).toBe(`${fixture.nationalId.slice(0, 4)}**********${fixture.nationalId.slice(-4)}`);
      expect(member.phone).toBe(`${fixture.phone.slice(0, 3)}****${fixture.phone.slice(-4)}`);
      expect(member.birthYear).toBe(fixture.birthDate.getUTCFullYear());
      expect(member).toMatchObject({ birthDate: null, ethnicity: null, education: null });
    });

    it('shows birth date, ethnicity and education to a secretary, still masking ID and phone', async () => {
      const { data } = await server.gql(MEMBER, { id: fixture.gid }, secretary);
      expect(data.member).toMatchObject({ birthDate: iso(fixture.birthDate), ethnicity: fixture.ethnicity });
      expect(data.member.education).toEqual(expect.any(String));
      expect(data.member.nationalId).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
      expect(data.member.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    });

    it('lists members of a subtree with totalCount, filters and paging', async () => {
      const db = server.db.client;
      const mzj = await db.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
      const inMzj = await db.member.count({ where: { organization: { path: { startsWith: mzj.path } } } });
      const list = `query ($filter: MemberFilter, $first: Int, $after: String) {
        members(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { name status organization { code } } } } }`;

      const all = await server.gql(list, { first: 10 }, reader);
      expect(all.data.members.totalCount).toBe(inMzj);
      expect(all.data.members.edges).toHaveLength(10);
      const next = await server.gql(list, { first: 10, after: all.data.members.pageInfo.endCursor }, reader);
      expect(next.data.members.edges[0].node.name >= all.data.members.edges[9].node.name).toBe(true);

      const direct = await server.gql(list, { filter: { organizationId: shjz.gid }, first: 100 }, reader);
      expect(direct.data.members.totalCount).toBe(await db.member.count({ where: { organizationId: shjz.id } }));
      expect(new Set(direct.data.members.edges.map((e: any) => e.node.organization.code))).toEqual(new Set(['SZJGGW-MZJ-SHJZ']));

      const probationary = await server.gql(list, { filter: { under: committeeGid, status: 'PROBATIONARY' } }, reader);
      expect(probationary.data.members.totalCount).toBe(
        await db.member.count({ where: { status: 'PROBATIONARY', organization: { path: { startsWith: mzj.path } } } }),
      );

      const search = await server.gql(list, { filter: { search: fixture.name } }, reader);
      expect(search.data.members.edges.map((e: any) => e.node.name)).toContain(fixture.name);
      expect(search.data.members.edges.every((e: any) => e.node.name.includes(fixture.name))).toBe(true);
    });

    it('shows a sibling organization’s user nothing, exactly as for a nonexistent member', async () => {
      const missing = gid('Member', '00000000-0000-7000-8000-000000000000');
      for (const id of [fixture.gid, missing]) {
        expect(await server.gql(MEMBER, { id }, sibling)).toEqual({ data: { member: null } });
        expect(await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { id }, sibling)).toEqual({ data: { node: null } });
      }
      const own = await server.gql(`query ($id: ID!) { node(id: $id) { ... on Member { name } } }`, { id: fixture.gid }, reader);
      expect(own).toEqual({ data: { node: { name: fixture.name } } });
      const list = `query ($filter: MemberFilter) { members(filter: $filter) { totalCount edges { node { id } } } }`;
      expect((await server.gql(list, { filter: { organizationId: shjz.gid } }, sibling)).data.members).toEqual({
        totalCount: 0,
        edges: [],
      });
      const foreign = await server.gql(list, { filter: { under: committeeGid } }, sibling);
      const nonexistent = await server.gql(
        list,
        { filter: { under: gid('Organization', '00000000-0000-7000-8000-000000000000') } },
        sibling,
      );
      expectError(foreign, 'NOT_FOUND');
      expectError(nonexistent, 'NOT_FOUND');
      expect(foreign.data).toEqual(nonexistent.data);
      const theirs = await server.gql(list, {}, sibling);
      expect(theirs.data.members.edges.map((e: any) => e.node.id)).not.toContain(fixture.gid);
    });

    it('refuses anonymous readers, also through node(id)', async () => {
      expectError(await server.gql(MEMBER, { id: fixture.gid }), 'UNAUTHENTICATED');
      expectError(await server.gql('{ members { totalCount } }'), 'UNAUTHENTICATED');
      const node = await server.gql(`query ($id: ID!) { node(id: $id) { ... on Member { name } } }`, { id: fixture.gid });
      expect(node.data?.node ?? null).toBeNull();
      expectError(node, 'UNAUTHENTICATED');
    });

    it('keeps the number of SQL statements flat as the page grows', async () => {
      const statements: string[] = [];
      const counting = await startTestServer({ onQuery: (sql) => statements.push(sql) });
      try {
        const token = await counting.token('SZJGGW', ['SECRETARY']);
        const query = `query ($first: Int) { members(first: $first) { totalCount edges { node {
          name organization { name } transfers { reason from { name } to { name } }
          dues(first: 3) { totalCount edges { node { month amount } } } unpaidMonths(months: 6) nationalId phone birthDate
        } } } }`;
        const run = async (first: number) => {
          statements.length = 0;
          const result = await counting.gql(query, { first }, token);
          expect(result.errors).toBeUndefined();
          expect(result.data.members.edges).toHaveLength(first);
          return statements.length;
        };
        // The first request also fills per-process caches (the department's plugin choice); measure after it.
        await run(3);
        const small = await run(3);
        const large = await run(60);
        expect(large).toBe(small);
        // Viewer, page, count, and one statement per relation or loader — none of them per member.
        expect(small).toBeLessThanOrEqual(10);
      } finally {
        await counting.close();
      }
    });
  });

  describe('personal data in clear', () => {
    const CLEAR = `query ($id: ID!) { member(id: $id) { name nationalId(clear: true) phone(clear: true) } }`;

    it('is FORBIDDEN on the field without ADMIN or SECRETARY, and leaves no audit record', async () => {
      const before = await counts();
      const result = await server.gql(CLEAR, { id: fixture.gid }, reader);
      expect(result.data.member).toEqual({ name: fixture.name, nationalId: null, phone: null });
      expect(result.errors?.map((e) => [e.extensions?.code, e.path?.at(-1)]).sort()).toEqual([
        ['FORBIDDEN', 'nationalId'],
        ['FORBIDDEN', 'phone'],
      ]);
      expect(await counts()).toEqual(before);
    });

    it('shows the clear values to a secretary and records one audit activity per member', async () => {
      const result = await server.gql(CLEAR, { id: fixture.gid }, secretary);
      expect(result.errors).toBeUndefined();
      expect(result.data.member).toEqual({ name: fixture.name, nationalId: fixture.nationalId, phone: fixture.phone });
      const audits = await server.db.client.activity.findMany({ where: { kind: 'member.personalDataRead', subjectId: fixture.id } });
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({
        actorId: 'mzj-secretary',
        organizationId: shjz.id,
        subjectType: 'Member',
        data: { fields: ['nationalId', 'phone'] },
      });
      expect(audits[0]!.summary).toContain(fixture.name);
      expect(audits[0]!.summary).toContain('身份证号');
      // The audit itself must not carry the data it protects.
      expect(JSON.stringify(audits[0])).not.toContain(fixture.nationalId);
    });

    it('writes one audit per member when a list is read in clear, in one statement', async () => {
      const before = await server.db.client.activity.count({ where: { kind: 'member.personalDataRead' } });
      const result = await server.gql(
        `{ members(first: 25, filter: { organizationId: "${shjz.gid}" }) { edges { node { id nationalId(clear: true) again: nationalId(clear: true) phone(clear: true) } } } }`,
        {},
        admin,
      );
      expect(result.errors).toBeUndefined();
      const read = result.data.members.edges.filter((e: any) => e.node.nationalId !== null);
      expect(read.every((e: any) => /^\d{17}[\dX]$/.test(e.node.nationalId))).toBe(true);
      const after = await server.db.client.activity.count({ where: { kind: 'member.personalDataRead' } });
      expect(after - before).toBe(read.length);
    });

    it('cannot be reached at all by an ADMIN of a sibling organization', async () => {
      expect(await server.gql(CLEAR, { id: fixture.gid }, sibling)).toEqual({ data: { member: null } });
    });
  });

  describe('registerMember', () => {
    const valid = () => ({
      organizationId: shjz.gid,
      name: '测试党员',
      nationalId: nationalId('1995-06-15'),
      phone: '13912345678',
      ethnicity: '汉族',
      education: '大学本科',
      joinedAt: iso(daysAgo(100)),
    });

    it('registers a probationary member, deriving birth date and gender from the ID, with an activity', async () => {
      const input = valid();
      const result = await server.gql(REGISTER, { input }, secretary);
      expect(result.errors).toBeUndefined();
      expect(result.data.registerMember).toMatchObject({
        name: '测试党员',
        gender: 'MALE',
        status: 'PROBATIONARY',
        fullMemberAt: null,
        birthDate: '1995-06-15',
        birthYear: 1995,
        phone: '139****5678',
        nationalIdClear: input.nationalId,
        organization: { code: 'SZJGGW-MZJ-SHJZ' },
      });
      const id = Buffer.from(result.data.registerMember.id, 'base64').toString().split(':')[1]!;
      const activity = await server.db.client.activity.findFirstOrThrow({ where: { kind: 'member.registered', subjectId: id } });
      expect(activity).toMatchObject({ organizationId: shjz.id, actorId: 'mzj-secretary' });
      expect(activity.summary).toContain('测试党员');
      expect(JSON.stringify(activity.data)).not.toContain(input.nationalId);
    });

    it('registers a full member when fullMemberAt is given (ADMIN), accepting a lower-case x', async () => {
      const id = nationalId('1980-01-31', 'FEMALE');
      const input = { ...valid(), nationalId: id.toLowerCase(), gender: 'FEMALE', joinedAt: '2005-07-01', fullMemberAt: '2006-07-01' };
      const result = await server.gql(REGISTER, { input }, admin);
      expect(result.errors).toBeUndefined();
      expect(result.data.registerMember).toMatchObject({
        status: 'FULL',
        fullMemberAt: '2006-07-01',
        gender: 'FEMALE',
        nationalIdClear: id.toUpperCase(),
      });
    });

    it.each([
      ['input.name', { name: '  ' }],
      ['input.name', { name: '名'.repeat(51) }],
      ['input.nationalId', { nationalId: '110101199506150000' }],
      ['input.nationalId', { nationalId: '11010119950615001' }],
      ['input.birthDate', { birthDate: '1995-06-16' }],
      ['input.gender', { gender: 'FEMALE' }],
      ['input.phone', { phone: '12345678901' }],
      ['input.phone', { phone: '1391234567' }],
      ['input.joinedAt', { joinedAt: iso(daysAgo(-1)) }],
      ['input.joinedAt', { joinedAt: '2013-06-14' }],
      ['input.fullMemberAt', { joinedAt: '2020-01-01', fullMemberAt: '2019-12-31' }],
      ['input.fullMemberAt', { joinedAt: '2020-01-01', fullMemberAt: iso(daysAgo(-3)) }],
    ])('rejects bad %s (%j) and writes nothing', async (field, change) => {
      const before = await counts();
      const result = await server.gql(REGISTER, { input: { ...valid(), ...change } }, secretary);
      expectError(result, 'BAD_USER_INPUT', field);
      expect(result.data).toBeNull();
      expect(await counts()).toEqual(before);
    });

    it('rejects an organization that is not a branch', async () => {
      const before = await counts();
      expectError(
        await server.gql(REGISTER, { input: { ...valid(), organizationId: committeeGid } }, secretary),
        'BAD_USER_INPUT',
        'input.organizationId',
      );
      expect(await counts()).toEqual(before);
    });

    it('refuses a duplicate national ID with CONFLICT', async () => {
      const before = await counts();
      const result = await server.gql(REGISTER, { input: { ...valid(), nationalId: fixture.nationalId, birthDate: null } }, secretary);
      expectError(result, 'CONFLICT', 'input.nationalId');
      expect(await counts()).toEqual(before);
    });

    it('lets exactly one of concurrent registrations with the same national ID through', async () => {
      const before = await counts();
      const input = { ...valid(), nationalId: nationalId('1993-11-02') };
      const register = `mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`;
      const results = await Promise.all([1, 2, 3].map(() => server.gql(register, { input }, secretary)));
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      for (const failed of results.filter((r) => r.errors)) expectError(failed, 'CONFLICT', 'input.nationalId');
      const after = await counts();
      expect(after.members - before.members).toBe(1);
      expect(after.activities - before.activities).toBe(1);
    });

    it('answers NOT_FOUND for a branch outside the subtree, as for a nonexistent one', async () => {
      const before = await counts();
      const outside = await server.gql(REGISTER, { input: { ...valid(), organizationId: kxBranch.gid } }, secretary);
      const missing = await server.gql(
        REGISTER,
        { input: { ...valid(), organizationId: gid('Organization', '00000000-0000-7000-8000-000000000000') } },
        secretary,
      );
      expectError(outside, 'NOT_FOUND');
      expectError(missing, 'NOT_FOUND');
      expect(await counts()).toEqual(before);
    });

    it('needs ADMIN or SECRETARY', async () => {
      expectError(await server.gql(REGISTER, { input: valid() }, reader), 'FORBIDDEN');
      expectError(await server.gql(REGISTER, { input: valid() }), 'UNAUTHENTICATED');
    });
  });

  describe('updateMember', () => {
    let target: { gid: string; id: string };
    beforeAll(async () => {
      const result = await server.gql(
        REGISTER,
        {
          input: {
            organizationId: shjz.gid,
            name: '待修改',
            nationalId: nationalId('1990-03-07'),
            joinedAt: '2015-05-04',
            fullMemberAt: '2016-05-04',
          },
        },
        admin,
      );
      target = { gid: result.data.registerMember.id, id: Buffer.from(result.data.registerMember.id, 'base64').toString().split(':')[1]! };
    });

    it('changes the given fields only and records their names, not their values', async () => {
      const result = await server.gql(
        UPDATE,
        { id: target.gid, input: { name: '已修改', phone: '18612340000', education: '硕士研究生' } },
        secretary,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data.updateMember).toMatchObject({
        name: '已修改',
        phone: '186****0000',
        education: '硕士研究生',
        joinedAt: '2015-05-04',
        status: 'FULL',
      });
      const activity = await server.db.client.activity.findFirstOrThrow({ where: { kind: 'member.updated', subjectId: target.id } });
      expect((activity.data as { fields: string[] }).fields.sort()).toEqual(['education', 'name', 'phone']);
      expect(JSON.stringify(activity)).not.toContain('18612340000');
    });

    it('lets a new national ID carry its birth date, and clears a phone with null', async () => {
      const id = nationalId('1991-08-20');
      const result = await server.gql(UPDATE, { id: target.gid, input: { nationalId: id, phone: null } }, secretary);
      expect(result.errors).toBeUndefined();
      expect(result.data.updateMember).toMatchObject({ birthDate: '1991-08-20', phone: null });
    });

    it.each([
      ['input.name', { name: null }],
      ['input.phone', { phone: '0571-8888' }],
      ['input.joinedAt', { joinedAt: iso(daysAgo(-2)) }],
      ['input.joinedAt', { joinedAt: '2005-01-01' }],
      ['input.birthDate', { birthDate: '1991-08-21' }],
      ['input.nationalId', { nationalId: nationalId('2000-01-01') }],
      ['input.fullMemberAt', { fullMemberAt: '2015-05-01' }],
      ['input', {}],
    ])('rejects bad %s (%j) and writes nothing', async (field, input) => {
      const before = await counts();
      const stored = await server.db.client.member.findUniqueOrThrow({ where: { id: target.id } });
      expectError(await server.gql(UPDATE, { id: target.gid, input }, secretary), 'BAD_USER_INPUT', field);
      expect(await counts()).toEqual(before);
      expect(await server.db.client.member.findUniqueOrThrow({ where: { id: target.id } })).toEqual(stored);
    });

    it('refuses another member’s national ID with CONFLICT', async () => {
      expectError(
        await server.gql(UPDATE, { id: target.gid, input: { nationalId: fixture.nationalId } }, secretary),
        'CONFLICT',
        'input.nationalId',
      );
    });

    it('does not let fullMemberAt convert a probationary member', async () => {
      const probationary = await server.db.client.member.findFirstOrThrow({ where: { status: 'PROBATIONARY', organizationId: shjz.id } });
      const result = await server.gql(UPDATE, { id: gid('Member', probationary.id), input: { fullMemberAt: iso(daysAgo(1)) } }, secretary);
      expectError(result, 'BAD_USER_INPUT', 'input.fullMemberAt');
    });

    it('answers NOT_FOUND to a sibling organization, as for a nonexistent member', async () => {
      const before = await counts();
      expectError(await server.gql(UPDATE, { id: target.gid, input: { name: '越权' } }, sibling), 'NOT_FOUND');
      expectError(
        await server.gql(UPDATE, { id: gid('Member', '00000000-0000-7000-8000-000000000000'), input: { name: '越权' } }, sibling),
        'NOT_FOUND',
      );
      expect(await counts()).toEqual(before);
    });
  });

  describe('convertToFullMember', () => {
    let probationary: { gid: string; joinedAt: Date };
    beforeAll(async () => {
      const m = await server.db.client.member.findFirstOrThrow({
        where: { status: 'PROBATIONARY', organization: { code: { startsWith: 'SZJGGW-MZJ' } } },
      });
      probationary = { gid: gid('Member', m.id), joinedAt: m.joinedAt };
    });

    it.each([
      ['date', () => iso(new Date(probationary.joinedAt.getTime() - 86_400_000))],
      ['date', () => iso(daysAgo(-1))],
    ])('rejects a bad %s and writes nothing', async (field, date) => {
      const before = await counts();
      expectError(await server.gql(CONVERT, { id: probationary.gid, date: date() }, secretary), 'BAD_USER_INPUT', field);
      expect(await counts()).toEqual(before);
    });

    it('answers NOT_FOUND to a sibling organization', async () => {
      expectError(await server.gql(CONVERT, { id: probationary.gid, date: iso(today()) }, sibling), 'NOT_FOUND');
    });

    it('converts a probationary member, with an activity, raising the version', async () => {
      const id = Buffer.from(probationary.gid, 'base64').toString().split(':')[1]!;
      const version = (await server.db.client.member.findUniqueOrThrow({ where: { id } })).version;
      const result = await server.gql(CONVERT, { id: probationary.gid, date: iso(today()) }, secretary);
      expect(result.errors).toBeUndefined();
      expect(result.data.convertToFullMember).toEqual({ status: 'FULL', fullMemberAt: iso(today()) });
      expect((await server.db.client.member.findUniqueOrThrow({ where: { id } })).version).toBe(version + 1);
      expect(await server.db.client.activity.count({ where: { kind: 'member.converted', subjectId: id } })).toBe(1);
    });

    it('refuses a member who is already full with ILLEGAL_STATE naming the state', async () => {
      const result = await server.gql(CONVERT, { id: probationary.gid, date: iso(today()) }, secretary);
      expectError(result, 'ILLEGAL_STATE');
      expect(result.errors![0]!.extensions?.state).toBe('FULL');
    });
  });
});
