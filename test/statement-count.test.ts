import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@dangjian/db';
import { startTestServer, type TestServer } from '@dangjian/testing';

/** A small tree: a working committee, two committees, four branches. */
async function insertTree(db: Database): Promise<string[]> {
  const rootId = randomUUID();
  const rows: { id: string; kind: 'WORKING_COMMITTEE' | 'COMMITTEE' | 'BRANCH'; name: string; code: string; parentId: string | null; path: string; depth: number }[] = [
    { id: rootId, kind: 'WORKING_COMMITTEE', name: '测试工委', code: 'N1', parentId: null, path: `/${rootId}/`, depth: 0 },
  ];
  const branches: string[] = [];
  for (let c = 0; c < 2; c++) {
    const cid = randomUUID();
    rows.push({ id: cid, kind: 'COMMITTEE', name: `测试党委${c}`, code: `N1-${c}`, parentId: rootId, path: `/${rootId}/${cid}/`, depth: 1 });
    for (let b = 0; b < 2; b++) {
      const bid = randomUUID();
      rows.push({ id: bid, kind: 'BRANCH', name: `测试支部${c}${b}`, code: `N1-${c}-${b}`, parentId: cid, path: `/${rootId}/${cid}/${bid}/`, depth: 2 });
      branches.push(bid);
    }
  }
  await db.client.organization.createMany({ data: rows });
  return branches;
}

async function addMembers(db: Database, branches: string[], count: number, offset: number): Promise<void> {
  const members = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    name: `党员${offset + i}`,
    gender: 'MALE' as const,
    status: 'FULL' as const,
    joinedAt: new Date('2010-07-01'),
    organizationId: branches[(offset + i) % branches.length]!,
  }));
  await db.client.member.createMany({ data: members });
  await db.client.cadre.createMany({
    data: members.map((m) => ({ memberId: m.id, organizationId: m.organizationId, post: 'COMMITTEE_MEMBER' as const, startDate: new Date('2022-01-01') })),
  });
}

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
});
