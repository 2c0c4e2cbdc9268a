import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaleTargets, sleep, startCluster, waitFor, type Cluster } from './support/cluster.ts';

const targets = scaleTargets();
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const CREATE = 'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id code } }';
const OUTAGE_MS = 30_000;

describe.skipIf('skip' in targets)(`PostgreSQL unreachable for 30 s${'skip' in targets ? ` — skipped: ${targets.skip}` : ''}`, () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(targets as { databaseUrl: string; redisUrl: string }, { nodes: 2, proxyPostgres: true });
  });
  afterAll(() => cluster?.close());

  it('fails requests within 5 s with a masked error, reports not ready, does not crash, recovers within 10 s, loses no committed write', async () => {
    const [a, b] = cluster.nodes;
    const admin = await cluster.token('SZJGGW', ['ADMIN']);
    const parentId = gid('Organization', await cluster.orgId('SZJGGW-MZJ'));
    const create = (node: typeof a, code: string) => node!.gql(CREATE, { input: { parentId, kind: 'BRANCH', name: code, code } }, admin);
    const committed: string[] = [];
    for (const code of ['PRE-1', 'PRE-2']) {
      const result = await create(a, code);
      expect(result.errors).toBeUndefined();
      committed.push(code);
    }
    expect((await fetch(a!.url.replace('/graphql', '/readyz'))).status).toBe(200);

    cluster.pgProxy!.cut();
    const cutAt = Date.now();
    const latencies: number[] = [];
    for (const [i, node] of [a, b, a, b].entries()) {
      const started = Date.now();
      const result = i % 2 ? await node!.gql('{ organizations(first: 5) { totalCount } }', {}, admin) : await create(node, `DOWN-${i}`);
      latencies.push(Date.now() - started);
      expect(result.errors?.[0]?.message).toBe('Unexpected error.');
      expect(JSON.stringify(result)).not.toMatch(/ECONNREFUSED|5432|postgres/i);
    }
    expect(Math.max(...latencies)).toBeLessThan(5000);
    for (const node of [a, b]) expect((await fetch(node!.url.replace('/graphql', '/readyz'))).status).toBe(503);
    // Stay down for the rest of the 30 s, probing now and then as a load balancer would.
    while (Date.now() - cutAt < OUTAGE_MS) {
      await sleep(3000);
      expect((await fetch(a!.url.replace('/graphql', '/healthz'))).status).toBe(200);
    }
    for (const node of [a, b]) expect(node!.child.exitCode).toBeNull();

    cluster.pgProxy!.restore();
    const recovery = await Promise.all(
      [a, b].map((node, i) =>
        waitFor(
          async () => {
            const ready = (await fetch(node!.url.replace('/graphql', '/readyz'))).status === 200;
            const result = ready ? await create(node, `POST-${i}`) : null;
            return ready && !result?.errors;
          },
          10_000,
          'recovery',
        ),
      ),
    );
    committed.push('POST-0', 'POST-1');
    console.log(
      `postgres outage: failure latencies ${latencies.join(', ')} ms; recovery ${recovery.join(', ')} ms after the database returned`,
    );
    expect(Math.max(...recovery)).toBeLessThan(10_000);
    const { rows } = await cluster.sql.query<{ code: string }>('SELECT code FROM "Organization" WHERE code = ANY($1)', [committed]);
    expect(rows.map((r) => r.code).sort()).toEqual([...committed].sort());
    for (const node of [a, b]) {
      expect(node!.child.exitCode).toBeNull();
      expect(node!.output()).not.toMatch(/Unhandled|unhandledRejection|uncaught/i);
    }
  }, 120_000);
});
