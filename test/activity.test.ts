import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId, nextResults, startTestServer, type TestServer } from '@dangjian/testing';

describe('activity feed visibility', () => {
  let server: TestServer;
  let auditedId: string;
  let plainId: string;
  beforeAll(async () => {
    server = await startTestServer();
    const org = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
    const audited = await server.db.client.activity.create({
      data: { kind: 'member.personalDataRead', organizationId: org.id, path: org.path, summary: '查看身份证号', actorId: 'a' },
    });
    const plain = await server.db.client.activity.create({
      data: { kind: 'member.updated', organizationId: org.id, path: org.path, summary: '修改党员信息' },
    });
    auditedId = globalId('Activity', audited.id);
    plainId = globalId('Activity', plain.id);
  });
  afterAll(() => server?.close());

  const byNode = (id: string, token: string) =>
    server.gql('query ($id: ID!) { node(id: $id) { ... on Activity { kind } } }', { id }, token);

  it('restricted kinds (reads of personal data) are for auditors only — in lists, counts and node(id)', async () => {
    const member = await server.token('SZJGGW-MZJ', ['MEMBER']);
    const auditor = await server.token('SZJGGW-MZJ', ['AUDITOR']);
    // 三员分立: the administrator (who may read personal data in clear) does not read the record of those reads.
    const admin = await server.token('SZJGGW-MZJ', ['ADMIN', 'SECRETARY', 'DISCIPLINE']);
    expect((await byNode(auditedId, admin)).data).toEqual({ node: null });
    expect((await byNode(auditedId, member)).data).toEqual({ node: null });
    expect((await byNode(auditedId, auditor)).data).toEqual({ node: { kind: 'member.personalDataRead' } });
    expect((await byNode(plainId, member)).data).toEqual({ node: { kind: 'member.updated' } });
    const count = (token: string) => server.gql('{ activities(kinds: ["member.personalDataRead"]) { totalCount } }', {}, token);
    expect((await count(member)).data.activities.totalCount).toBe(0);
    expect((await count(admin)).data.activities.totalCount).toBe(0);
    expect((await server.gql('{ activities { edges { node { kind } } } }', {}, admin)).data.activities.edges).not.toContainEqual({
      node: { kind: 'member.personalDataRead' },
    });
    expect((await count(auditor)).data.activities.totalCount).toBe(1);
  });

  it('replays restricted kinds to an auditor’s subscription and never to an administrator’s', async () => {
    const subscribe = async (roles: ('ADMIN' | 'AUDITOR')[]) => {
      const client = server.ws(await server.token('SZJGGW-MZJ', roles));
      // Resume from before both activities: the replay from the table applies the same role filter as the feed.
      const { done } = nextResults(
        client,
        'subscription { activityAdded(after: "QWN0aXZpdHk6MDAwMDAwMDAtMDAwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAw") { kind } }',
        {},
        1,
        5_000,
      );
      return (await done).map((r) => r.data?.activityAdded.kind);
    };
    expect(await subscribe(['ADMIN'])).toEqual(['member.updated']);
    expect((await subscribe(['AUDITOR']))[0]).toBe('member.personalDataRead');
  });

  it('a sibling subtree sees neither', async () => {
    const sibling = await server.token('SZJGGW-KX', ['AUDITOR']);
    expect((await byNode(auditedId, sibling)).data).toEqual({ node: null });
    expect((await byNode(plainId, sibling)).data).toEqual({ node: null });
  });
});
