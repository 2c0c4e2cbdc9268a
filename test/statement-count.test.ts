import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMembers, insertTree, startTestServer, type TestServer } from '@dangjian/testing';

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
