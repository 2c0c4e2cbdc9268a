import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMembers, insertTree, startTestServer, type TestServer } from '@dangjian/testing';

/** What a committee's dashboard asks (bench/scenarios/dashboard.ts), arrears left out: they are another area's. */
const DASHBOARD = `query ($id: ID!) {
  organization(id: $id) { name subtreeMemberCount }
  members(filter: { under: $id }) { totalCount }
  overdue: organizations(filter: { under: $id, overdueTerm: true }) { totalCount }
  meetingShortfallConnection(under: $id, from: "2025-01-01", to: "2025-03-31", first: 20) {
    totalCount countsByKind { kind count }
    pageInfo { hasNextPage endCursor }
    edges { node { organization { name code } kind required held meetingCount } }
  }
}`;

const QUERY = `{
  organizations(first: 50, filter: { kind: [COMMITTEE] }) {
    edges { node { name children { name members(first: 100) { totalCount edges { node { name cadrePosts { post organization { name } } } } } } } }
  }
}`;

describe('SQL statements per request do not grow with the rows returned', () => {
  let server: TestServer;
  let statements = 0;
  let branches: string[];
  beforeAll(async () => {
    server = await startTestServer({ dataset: null, onQuery: () => statements++ });
    branches = await insertTree(server.db);
  });
  afterAll(() => server?.close());

  async function countFor(token: string): Promise<{ statements: number; members: number }> {
    statements = 0;
    const result = await server.gql(QUERY, {}, token);
    expect(result.errors).toBeUndefined();
    const members = result.data.organizations.edges.flatMap((e: any) => e.node.children.flatMap((c: any) => c.members.edges));
    return { statements, members: members.length };
  }

  it('organizations → children → members → cadres: the same count for 10 and for 200 members', async () => {
    const token = await server.token('N1', ['MEMBER']);
    await addMembers(server.db, branches, 10, 0);
    // The first request also fills per-process caches (the department's plugin choice); measure after it.
    await countFor(token);
    const small = await countFor(token);
    await addMembers(server.db, branches, 190, 10);
    const large = await countFor(token);
    expect(small.members).toBe(10);
    expect(large.members).toBe(200);
    expect(large.statements).toBe(small.statements);
    expect(small.statements).toBeLessThanOrEqual(8);
  });

  it('a committee dashboard with meeting shortfalls: the same count for 4 and for 60 branches', async () => {
    const token = await server.token('N1', ['MEMBER']);
    const root = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'N1' } });
    const committee = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'N1-0' } });
    const id = Buffer.from(`Organization:${root.id}`).toString('base64');
    const dashboard = async () => {
      statements = 0;
      const result = await server.gql(DASHBOARD, { id }, token);
      expect(result.errors).toBeUndefined();
      return { statements, shortfalls: result.data.meetingShortfallConnection.totalCount as number };
    };
    await dashboard();
    const small = await dashboard();
    // 56 more branches, each with meetings in the quarter: more rows everywhere, the same statements.
    const more = Array.from({ length: 56 }, (_, i) => {
      const bid = randomUUID();
      return {
        id: bid,
        kind: 'BRANCH' as const,
        name: `加测支部${i}`,
        code: `N1-0-X${String(i).padStart(2, '0')}`,
        parentId: committee.id,
        path: `${committee.path}${bid}/`,
        depth: 2,
      };
    });
    await server.db.client.organization.createMany({ data: more });
    await server.db.client.meeting.createMany({
      data: more.flatMap((b) => [
        { organizationId: b.id, kind: 'THEME_DAY' as const, date: new Date('2025-01-15'), topic: '主题党日' },
        { organizationId: b.id, kind: 'GENERAL_MEETING' as const, date: new Date('2025-02-15'), topic: '党员大会' },
      ]),
    });
    const large = await dashboard();
    expect(large.shortfalls).toBeGreaterThan(small.shortfalls + 56);
    expect(large.statements).toBe(small.statements);
    expect(small.statements).toBeLessThanOrEqual(10);
  });
});
