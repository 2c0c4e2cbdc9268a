import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record, scaleTargets, sleep, startCluster, waitFor, type Cluster } from './support/cluster.ts';

const targets = scaleTargets();
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const CREATE = 'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id code } }';
const SUBSCRIBE = 'subscription { activityAdded { id kind } }';
const OUTAGE_MS = 60_000;

describe.skipIf('skip' in targets)(`Redis unreachable for 60 s${'skip' in targets ? ` — skipped: ${targets.skip}` : ''}`, () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(targets as { databaseUrl: string; redisUrl: string }, { nodes: 2, proxyRedis: true });
  });
  afterAll(() => cluster?.close());

  it('mutations still commit, nothing crashes, subscribers on the writing process hear at once, and the others catch up once Redis is back', async () => {
    const [a, b] = cluster.nodes;
    const admin = await cluster.token('SZJGGW', ['ADMIN']);
    const parentId = gid('Organization', await cluster.orgId('SZJGGW-MZJ'));
    const create = (node: typeof a, code: string) => node!.gql(CREATE, { input: { parentId, kind: 'BRANCH', name: code, code } }, admin);
    const onA = record(a!.ws(admin), SUBSCRIBE);
    const onB = record(b!.ws(admin), SUBSCRIBE);
    await sleep(500);
    expect((await create(b, 'BEFORE')).errors).toBeUndefined();
    await onA.until((r) => r.length === 1);

    cluster.redisProxy!.cut();
    const cutAt = Date.now();
    const during: string[] = [];
    for (let i = 0; i < 6; i++) {
      const node = i % 2 ? a : b;
      const local = i % 2 ? onA : onB;
      const heard = local.results.length;
      const started = Date.now();
      const result = await create(node, `DURING-${i}`);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      // Not held up until Redis is back (the outage lasts 60 s): publishing fails at once (no offline queue).
      // In CI on Node 24, beside the rest of the suite, single mutations here took 2.2 and 4.4 s (not yet
      // explained: the same mutation before the cut is not timed); 2 s and then 4 s bounds failed there.
      expect(Date.now() - started).toBeLessThan(10_000);
      during.push(result.data.createOrganization.code);
      // Redis is not needed between a process and its own subscribers.
      await local.until((r) => r.length > heard, 2000);
      await sleep(2000);
    }
    while (Date.now() - cutAt < OUTAGE_MS) await sleep(1000);
    for (const node of [a, b]) expect(node!.child.exitCode).toBeNull();

    cluster.redisProxy!.restore();
    const restoredAt = Date.now();
    await Promise.all([onA, onB].map((sub) => sub.until((r) => r.length >= 1 + during.length, 15_000)));
    const caughtUp = Date.now() - restoredAt;
    expect((await create(a, 'AFTER')).errors).toBeUndefined();
    await Promise.all([onA, onB].map((sub) => sub.until((r) => r.length >= 2 + during.length, 10_000)));
    await sleep(500);
    const { rows } = await cluster.sql.query<{ id: string }>(`SELECT id FROM "Activity" WHERE kind = 'organization.created' ORDER BY id`);
    const expected = rows.map((r) => gid('Activity', r.id));
    expect(expected).toHaveLength(2 + during.length);
    for (const sub of [onA, onB]) {
      const got = sub.results.map((r) => r.data!.activityAdded.id);
      // Every activity exactly once. Across an outage the catch-ups of different gaps (this process lost its
      // subscription; another failed to publish) may deliver the missed ones out of id order; the live
      // events before and after the outage keep their places.
      expect(new Set(got).size).toBe(got.length);
      expect([...got].sort()).toEqual([...expected].sort());
      expect(got[0]).toBe(expected[0]);
      expect(got.at(-1)).toBe(expected.at(-1));
    }
    console.log(`redis outage: subscribers caught up ${caughtUp} ms after Redis returned`);
    for (const node of [a, b]) {
      expect(node!.child.exitCode).toBeNull();
      expect(node!.output()).not.toMatch(/Unhandled|unhandledRejection|uncaught/i);
    }
    await waitFor(async () => true, 10, 'noop');
  }, 150_000);
});
