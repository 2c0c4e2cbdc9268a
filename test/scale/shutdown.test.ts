import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record, scaleTargets, sleep, startCluster, type Cluster } from './support/cluster.ts';

const targets = scaleTargets();
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const CREATE = 'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id code } }';

describe.skipIf('skip' in targets)(`SIGTERM under load${'skip' in targets ? ` — skipped: ${targets.skip}` : ''}`, () => {
  let cluster: Cluster;
  beforeAll(async () => {
    // Through a proxy that slows PostgreSQL's answers, so mutations are still running when SIGTERM arrives.
    cluster = await startCluster(targets as { databaseUrl: string; redisUrl: string }, {
      nodes: 2,
      proxyPostgres: true,
      env: { SHUTDOWN_GRACE_MS: '20000' },
    });
  });
  afterAll(() => cluster?.close());

  it('refuses new connections, finishes in-flight mutations, closes sockets with 1001 and exits within 30 s', async () => {
    const [a, b] = cluster.nodes;
    const admin = await cluster.token('SZJGGW', ['ADMIN']);
    const parentId = gid('Organization', await cluster.orgId('SZJGGW-MZJ'));
    const closes: number[] = [];
    const sockets = [0, 1, 2].map(() => a!.ws(admin, (code) => closes.push(code)));
    const subs = sockets.map((s) => record(s, 'subscription { activityAdded { id kind } }'));
    await sleep(500);
    cluster.pgProxy!.delayMs = 400; // each mutation now takes seconds (about ten round trips)
    const codes = Array.from({ length: 6 }, (_, i) => `TERM-${i}`);
    const inFlight = codes.map((code) => a!.gql(CREATE, { input: { parentId, kind: 'BRANCH', name: code, code } }, admin));
    await sleep(1000); // received and running, not waiting in the listen backlog
    const signalled = Date.now();
    a!.child.kill('SIGTERM');
    await sleep(200);
    await expect(
      fetch(a!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
    ).rejects.toThrow();
    const results = await Promise.all(
      inFlight.map((p) => p.catch((e: Error) => ({ errors: [{ message: `${e.message} ${String(e.cause)}` }] }))),
    );
    if (results.some((r) => r.errors)) console.log(a!.output());
    for (const r of results) expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    const exitCode = await a!.exited;
    const took = Date.now() - signalled;
    console.log(`SIGTERM: exit ${exitCode} after ${took} ms with ${codes.length} mutations in flight`);
    expect(exitCode).toBe(0);
    expect(took).toBeLessThan(30_000);
    expect(closes).toEqual([1001, 1001, 1001]);
    for (const sub of subs) expect(sub.error === null || (sub.error as { code?: number }).code === 1001).toBe(true);
    cluster.pgProxy!.delayMs = 0;
    const { rows } = await cluster.sql.query<{ code: string }>('SELECT code FROM "Organization" WHERE code = ANY($1)', [codes]);
    expect(rows).toHaveLength(codes.length);
    // The other process kept serving throughout.
    expect((await b!.gql('{ organizations(first: 1) { totalCount } }', {}, admin)).errors).toBeUndefined();
  }, 90_000);
});
