import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextResults, startTestServer, type TestServer } from '@dangjian/testing';

const CREATE = `mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name } }`;

describe('server over HTTP and graphql-ws', () => {
  let server: TestServer;
  let parentId: string;
  beforeAll(async () => {
    // Tables are checked for an ANALYZE every 100 ms while the other tests run beside it.
    server = await startTestServer({ env: { DANGJIAN_AUTOANALYZE_INTERVAL_MS: '100' } });
    const root = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
    parentId = Buffer.from(`Organization:${root.id}`).toString('base64');
  });
  afterAll(() => server?.close());

  it('keeps the embedded database’s planner statistics current, as autovacuum does on PostgreSQL', async () => {
    if (server.db.kind !== 'embedded') {
      expect(server.db.analyzeChanged).toBeUndefined();
      return;
    }
    const db = server.db.client;
    const estimate = async () =>
      Number((await db.$queryRawUnsafe<{ n: number }[]>(`SELECT reltuples::int AS n FROM pg_class WHERE relname = 'grown'`))[0]!.n);
    await db.$executeRawUnsafe('CREATE TABLE grown (id int)');
    await db.$executeRawUnsafe('INSERT INTO grown SELECT generate_series(1, 500)');
    const deadline = Date.now() + 10_000;
    while ((await estimate()) !== 500 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await estimate()).toBe(500);
  });

  it('answers { __typename } without a token', async () => {
    expect(await server.gql('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses everything else without a token, with UNAUTHENTICATED', async () => {
    const result = await server.gql('{ organizations { totalCount } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a forged or malformed token', async () => {
    const forged = (await server.token('SZJGGW', ['ADMIN'])).slice(0, -4) + 'AAAA';
    for (const token of [forged, 'not-a-jwt']) {
      const result = await server.gql('{ __typename }', {}, token);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('serves /healthz and /readyz', async () => {
    const base = server.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });

  it('streams activities to graphql-ws subscribers of that subtree only', async () => {
    const admin = await server.token('SZJGGW-MZJ', ['ADMIN']);
    const watcher = server.ws(await server.token('SZJGGW', ['MEMBER']));
    const sibling = server.ws(await server.token('SZJGGW-KX', ['MEMBER']));
    const query = 'subscription { activityAdded { kind summary organization { name } } }';
    const mine = nextResults(watcher, query, {}, 1);
    // Expected now, so that a timeout before the assertion below is not an unhandled rejection.
    const theirs = expect(nextResults(sibling, query, {}, 1, 1500).done).rejects.toThrow(/got 0 of 1/);
    await new Promise((r) => setTimeout(r, 300));
    const created = await server.gql(CREATE, { input: { parentId, kind: 'BRANCH', name: '测试党支部', code: 'T-WS-1' } }, admin);
    expect(created.errors).toBeUndefined();
    const [event] = await mine.done;
    expect(event?.data?.activityAdded).toEqual({
      kind: 'organization.created',
      summary: expect.stringContaining('测试党支部'),
      organization: { name: '测试党支部' },
    });
    await theirs;
  });

  it('shares an event executed once only with the subscribers whose stream accepts it', async () => {
    // `{ id kind summary }` is viewer-independent: one execution serves every subscriber of it.
    const admin = await server.token('SZJGGW-MZJ', ['ADMIN']);
    const shared = 'subscription { activityAdded { id kind summary } }';
    const watchers = await Promise.all([1, 2, 3].map(async () => server.ws(await server.token('SZJGGW', ['MEMBER']))));
    const sibling = server.ws(await server.token('SZJGGW-KX', ['MEMBER']));
    const mine = watchers.map((w) => nextResults(w, shared, {}, 1));
    const withOrganization = nextResults(watchers[0]!, 'subscription { activityAdded { id organization { name } } }', {}, 1);
    const theirs = expect(nextResults(sibling, shared, {}, 1, 1500).done).rejects.toThrow(/got 0 of 1/);
    await new Promise((r) => setTimeout(r, 300));
    const created = await server.gql(CREATE, { input: { parentId, kind: 'BRANCH', name: '共享党支部', code: 'T-WS-2' } }, admin);
    expect(created.errors).toBeUndefined();
    const events = (await Promise.all(mine.map((m) => m.done))).map(([event]) => event?.data?.activityAdded);
    expect(events[0]).toEqual({ id: expect.any(String), kind: 'organization.created', summary: expect.stringContaining('共享党支部') });
    expect(events[1]).toEqual(events[0]);
    expect(events[2]).toEqual(events[0]);
    const [own] = await withOrganization.done;
    expect(own?.data?.activityAdded).toEqual({ id: events[0].id, organization: { name: '共享党支部' } });
    await theirs;
  });

  it('refuses a subscription without a token', async () => {
    const anonymous = server.ws();
    const sub = nextResults(anonymous, 'subscription { activityAdded { kind } }', {}, 1, 3000);
    await expect(sub.done).rejects.toThrow(/"code":"UNAUTHENTICATED"/);
  });

  it('masks unexpected errors but passes typed ones', async () => {
    const admin = await server.token('SZJGGW-MZJ', ['ADMIN']);
    const bad = await server.gql(CREATE, { input: { parentId, kind: 'BRANCH', name: 'x', code: 'bad code!' } }, admin);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.code' });
  });
});
