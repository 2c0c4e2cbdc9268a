import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId, orgId, startTestServer, type TestServer } from '@dangjian/testing';

const ORG_FIELDS =
  'id name code kind depth termOverdue memberCount subtreeMemberCount parent { code } ancestors { code } children { code }';

describe('organizations: tree, queries and mutations', () => {
  let server: TestServer;
  let admin: string; // ADMIN of 市民政局机关党委
  let member: string; // plain member of the same
  let sibling: string; // ADMIN of 市科协机关党委, a sibling subtree
  let mzj: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.token('SZJGGW-MZJ', ['ADMIN']);
    member = await server.token('SZJGGW-MZJ', ['MEMBER']);
    sibling = await server.token('SZJGGW-KX', ['ADMIN']);
    mzj = await orgId(server.db, 'SZJGGW-MZJ');
  });
  afterAll(() => server?.close());

  const create = (input: Record<string, unknown>, token = admin) =>
    server.gql(`mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { ${ORG_FIELDS} } }`, { input }, token);

  it('reads one organization with parent, ancestors, children and counts', async () => {
    const { data, errors } = await server.gql(
      `query ($id: ID!) { organization(id: $id) { ${ORG_FIELDS} secretary { post member { name } } } }`,
      { id: mzj },
      admin,
    );
    expect(errors).toBeUndefined();
    const org = data.organization;
    expect(org.code).toBe('SZJGGW-MZJ');
    expect(org.kind).toBe('COMMITTEE');
    // The viewer acts for this organization: its parent lies outside what they may see.
    expect(org.parent).toBeNull();
    expect(org.ancestors).toEqual([]);
    expect(org.children.length).toBeGreaterThan(1);
    const direct = await server.db.client.member.count({
      where: {
        organization: {
          path: { startsWith: (await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } })).path },
        },
      },
    });
    expect(org.subtreeMemberCount).toBe(direct);
    expect(org.secretary.post).toBe('SECRETARY');
  });

  it('lists organizations with filters and a total count', async () => {
    const all = await server.gql('{ organizations(first: 100) { totalCount edges { node { code kind } } } }', {}, admin);
    const codes = all.data.organizations.edges.map((e: { node: { code: string } }) => e.node.code);
    expect(codes[0]).toBe('SZJGGW-MZJ');
    expect(codes.every((c: string) => c.startsWith('SZJGGW-MZJ'))).toBe(true);
    expect(all.data.organizations.totalCount).toBe(codes.length);

    const branches = await server.gql('{ organizations(filter: { kind: [BRANCH] }) { totalCount } }', {}, admin);
    expect(branches.data.organizations.totalCount).toBe(
      codes.length -
        1 -
        (await server.db.client.organization.count({ where: { code: { startsWith: 'SZJGGW-MZJ' }, kind: { not: 'BRANCH' } } })) +
        1,
    );

    const search = await server.gql('{ organizations(filter: { search: "养老" }) { edges { node { name } } } }', {}, admin);
    expect(search.data.organizations.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([expect.stringContaining('养老')]);

    const root = await server.token('SZJGGW', ['MEMBER']);
    const overdue = await server.gql(
      '{ organizations(filter: { overdueTerm: true }, first: 50) { edges { node { code termOverdue } } } }',
      {},
      root,
    );
    const rows = overdue.data.organizations.edges.map((e: { node: unknown }) => e.node);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r: { termOverdue: boolean }) => r.termOverdue)).toBe(true);
    const expected = await server.db.client.organization.count({
      where: { termEnd: { lt: new Date(new Date().toISOString().slice(0, 10)) } },
    });
    expect(rows).toHaveLength(expected);
  });

  it('pages with cursors', async () => {
    const first = await server.gql('{ organizations(first: 2) { pageInfo { hasNextPage endCursor } edges { node { code } } } }', {}, admin);
    const next = await server.gql(
      'query ($after: String) { organizations(first: 2, after: $after) { edges { node { code } } } }',
      { after: first.data.organizations.pageInfo.endCursor },
      admin,
    );
    expect(first.data.organizations.pageInfo.hasNextPage).toBe(true);
    const a = first.data.organizations.edges.map((e: { node: { code: string } }) => e.node.code);
    const b = next.data.organizations.edges.map((e: { node: { code: string } }) => e.node.code);
    expect(b).toHaveLength(2);
    expect(a.some((c: string) => b.includes(c))).toBe(false);
  });

  it('creates a branch under a committee and records the activity in the same transaction', async () => {
    const before = await server.db.client.activity.count();
    const { data, errors } = await create({
      parentId: mzj,
      kind: 'BRANCH',
      name: '慈善事业促进处党支部',
      code: 'SZJGGW-MZJ-CS',
      termStart: '2024-01-01',
      termEnd: '2027-01-01',
    });
    expect(errors).toBeUndefined();
    expect(data.createOrganization).toMatchObject({
      code: 'SZJGGW-MZJ-CS',
      kind: 'BRANCH',
      depth: 2,
      parent: { code: 'SZJGGW-MZJ' },
      ancestors: [{ code: 'SZJGGW-MZJ' }],
      memberCount: 0,
    });
    expect(await server.db.client.activity.count()).toBe(before + 1);
    const activity = await server.db.client.activity.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(activity).toMatchObject({ kind: 'organization.created', actorId: 'test-user' });
  });

  it('rejects bad input with the field named, and writes nothing', async () => {
    const count = await server.db.client.organization.count();
    const activities = await server.db.client.activity.count();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ parentId: mzj, kind: 'WORKING_COMMITTEE', name: 'x', code: 'X1' }, 'BAD_USER_INPUT', 'input.kind'],
      [{ parentId: mzj, kind: 'BRANCH', name: '  ', code: 'X2' }, 'BAD_USER_INPUT', 'input.name'],
      [{ parentId: mzj, kind: 'BRANCH', name: 'x', code: 'no spaces' }, 'BAD_USER_INPUT', 'input.code'],
      [
        { parentId: mzj, kind: 'BRANCH', name: 'x', code: 'X3', termStart: '2025-01-01', termEnd: '2024-01-01' },
        'BAD_USER_INPUT',
        'input.termEnd',
      ],
      [{ parentId: mzj, kind: 'BRANCH', name: 'x', code: 'SZJGGW-MZJ' }, 'CONFLICT', 'input.code'],
      [{ parentId: 'garbage', kind: 'BRANCH', name: 'x', code: 'X4' }, 'BAD_USER_INPUT', 'input.parentId'],
    ];
    for (const [input, code, field] of cases) {
      const { errors } = await create(input);
      expect(errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code, field });
    }
    const invalidDate = await create({ parentId: mzj, kind: 'BRANCH', name: 'x', code: 'X5', termStart: '2023-02-30' });
    expect(invalidDate.errors?.[0]?.message).toMatch(/2023-02-30/);
    expect(await server.db.client.organization.count()).toBe(count);
    expect(await server.db.client.activity.count()).toBe(activities);
  });

  it('creates of one code at once: one succeeds, the others hear CONFLICT on input.code (never a masked error)', async () => {
    const input = (n: number) => ({ parentId: mzj, kind: 'BRANCH', name: `同时建立的支部${n}`, code: 'SZJGGW-MZJ-RACE' });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => create(input(n))));
    expect(results.filter((r) => r.data?.createOrganization)).toHaveLength(1);
    const refused = results.filter((r) => r.errors);
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.code' });
    expect(await server.db.client.organization.count({ where: { code: 'SZJGGW-MZJ-RACE' } })).toBe(1);
  });

  it('only admins change the tree', async () => {
    const { errors } = await create({ parentId: mzj, kind: 'BRANCH', name: 'x', code: 'X6' }, member);
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a sibling subtree sees nothing: by id, node, filter, list and mutation', async () => {
    const byId = await server.gql('query ($id: ID!) { organization(id: $id) { name } node(id: $id) { id } }', { id: mzj }, sibling);
    expect(byId.errors).toBeUndefined();
    expect(byId.data).toEqual({ organization: null, node: null });
    const missing = globalId('Organization', '00000000-0000-7000-8000-000000000000');
    const nonexistent = await server.gql(
      'query ($id: ID!) { organization(id: $id) { name } node(id: $id) { id } }',
      { id: missing },
      sibling,
    );
    expect(nonexistent.data).toEqual(byId.data);

    const under = await server.gql('query ($id: ID!) { organizations(filter: { under: $id }) { totalCount } }', { id: mzj }, sibling);
    const underMissing = await server.gql(
      'query ($id: ID!) { organizations(filter: { under: $id }) { totalCount } }',
      { id: missing },
      sibling,
    );
    expect(under.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(underMissing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const list = await server.gql('{ organizations(first: 100) { edges { node { code } } } }', {}, sibling);
    expect(list.data.organizations.edges.every((e: { node: { code: string } }) => e.node.code.startsWith('SZJGGW-KX'))).toBe(true);

    const write = await create({ parentId: mzj, kind: 'BRANCH', name: 'x', code: 'X7' }, sibling);
    const writeMissing = await create({ parentId: missing, kind: 'BRANCH', name: 'x', code: 'X8' }, sibling);
    expect(write.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(writeMissing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('moves a subtree under a new parent, re-rooting every descendant', async () => {
    const root = await server.token('SZJGGW', ['ADMIN']);
    const branch = await create({ parentId: mzj, kind: 'BRANCH', name: '待调整党支部', code: 'SZJGGW-MZJ-MOVE' });
    const branchId = branch.data.createOrganization.id;
    const group = await create({ parentId: branchId, kind: 'GROUP', name: '第一党小组', code: 'SZJGGW-MZJ-MOVE-G1' });
    expect(group.errors).toBeUndefined();
    const fgw = await orgId(server.db, 'SZJGGW-FGW');

    const moved = await server.gql(
      'mutation ($id: ID!, $to: ID!) { moveOrganization(id: $id, newParentId: $to) { code depth parent { code } descendants { edges { node { code depth ancestors { code } } } } } }',
      { id: branchId, to: fgw },
      root,
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data.moveOrganization).toMatchObject({ depth: 2, parent: { code: 'SZJGGW-FGW' } });
    expect(moved.data.moveOrganization.descendants.edges[0].node).toEqual({
      code: 'SZJGGW-MZJ-MOVE-G1',
      depth: 3,
      ancestors: [{ code: 'SZJGGW' }, { code: 'SZJGGW-FGW' }, { code: 'SZJGGW-MZJ-MOVE' }],
    });
    // The old parent's admin no longer sees it.
    const gone = await server.gql('query ($id: ID!) { organization(id: $id) { code } }', { id: branchId }, admin);
    expect(gone.data.organization).toBeNull();

    const loop = await server.gql(
      'mutation ($id: ID!, $to: ID!) { moveOrganization(id: $id, newParentId: $to) { code } }',
      { id: branchId, to: group.data.createOrganization.id },
      root,
    );
    expect(loop.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newParentId' });
  });

  it('renews a term and keeps the old one in history', async () => {
    const code = 'SZJGGW-MZJ-CS';
    const id = await orgId(server.db, code);
    const renewed = await server.gql(
      'mutation ($id: ID!) { renewOrganizationTerm(id: $id, termStart: "2027-01-01", termEnd: "2030-01-01", note: "党员大会选举") { termStart termEnd termOverdue terms { termStart termEnd note } } }',
      { id },
      admin,
    );
    expect(renewed.errors).toBeUndefined();
    expect(renewed.data.renewOrganizationTerm).toEqual({
      termStart: '2027-01-01',
      termEnd: '2030-01-01',
      termOverdue: false,
      terms: [{ termStart: '2024-01-01', termEnd: '2027-01-01', note: '党员大会选举' }],
    });
    const backwards = await server.gql(
      'mutation ($id: ID!) { renewOrganizationTerm(id: $id, termStart: "2030-01-01", termEnd: "2029-01-01") { code } }',
      { id },
      admin,
    );
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'termEnd' });
  });

  it('dissolves only an empty organization, and its activities stay in the parent feed', async () => {
    const full = await orgId(server.db, 'SZJGGW-MZJ-SHJZ');
    const refused = await server.gql('mutation ($id: ID!) { dissolveOrganization(id: $id) }', { id: full }, admin);
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const empty = await orgId(server.db, 'SZJGGW-MZJ-CS');
    const done = await server.gql('mutation ($id: ID!) { dissolveOrganization(id: $id) }', { id: empty }, admin);
    expect(done.data).toEqual({ dissolveOrganization: empty });
    expect(await server.db.client.organization.count({ where: { code: 'SZJGGW-MZJ-CS' } })).toBe(0);
    const feed = await server.gql('{ activities(first: 20) { edges { node { kind summary } } } }', {}, admin);
    const kinds = feed.data.activities.edges.map((e: { node: { kind: string } }) => e.node.kind);
    expect(kinds).toEqual(expect.arrayContaining(['organization.dissolved', 'organization.termRenewed', 'organization.created']));
  });
  it('pages each branch’s members by name, forward and backward, for all branches of a nested read', async () => {
    type Page = {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
      edges: { cursor: string; node: { id: string; name: string } }[];
    };
    const PAGE = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id name } }';
    const query = `query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { organization(id: $id) { children { code
      members(first: $first, after: $after, last: $last, before: $before) { ${PAGE} } } } }`;
    const pageOf = async (vars: Record<string, unknown>) => {
      const { data, errors } = await server.gql(query, { id: mzj, ...vars }, admin);
      expect(errors).toBeUndefined();
      return data.organization.children as { code: string; members: Page }[];
    };
    const branches = await server.db.client.organization.findMany({ where: { parent: { code: 'SZJGGW-MZJ' } }, orderBy: { code: 'asc' } });
    const expected = new Map<string, string[]>();
    for (const b of branches) {
      const rows = await server.db.client.member.findMany({
        where: { organizationId: b.id },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        select: { id: true },
      });
      expected.set(
        b.code,
        rows.map((r) => globalId('Member', r.id)),
      );
    }
    expect([...expected.values()].some((ids) => ids.length > 2)).toBe(true);

    // Forward, two at a time: every branch pages on from its own cursor (each branch asked separately).
    for (const b of branches) {
      const want = expected.get(b.code)!;
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const children = await pageOf({ first: 2, after });
        const page = children.find((c) => c.code === b.code)!.members;
        expect(page.totalCount).toBe(want.length);
        seen.push(...page.edges.map((e) => e.node.id));
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(want);
    }

    // First pages of all branches in one request.
    const firsts = await pageOf({ first: 2 });
    for (const c of firsts) {
      expect(c.members.edges.map((e) => e.node.id)).toEqual(expected.get(c.code)!.slice(0, 2));
      expect(c.members.pageInfo.hasNextPage).toBe(expected.get(c.code)!.length > 2);
    }

    // Backward: the last two, then the two before them, in ascending order.
    const lasts = await pageOf({ last: 2 });
    for (const c of lasts) {
      const want = expected.get(c.code)!;
      expect(c.members.edges.map((e) => e.node.id)).toEqual(want.slice(-2));
      expect(c.members.pageInfo.hasPreviousPage).toBe(want.length > 2);
      expect(c.members.pageInfo.hasNextPage).toBe(false);
    }
    const big = lasts.find((c) => expected.get(c.code)!.length > 3)!;
    const before = (await pageOf({ last: 2, before: big.members.pageInfo.startCursor })).find((c) => c.code === big.code)!.members;
    expect(before.edges.map((e) => e.node.id)).toEqual(expected.get(big.code)!.slice(-4, -2));
    expect(before.pageInfo.hasNextPage).toBe(true);

    // An empty page is a page, not an error.
    const none = await pageOf({ first: 0 });
    expect(none.every((c) => c.members.edges.length === 0)).toBe(true);
  });
});
