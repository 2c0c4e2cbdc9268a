import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId, nextResults, startTestServer, type TestServer } from '@dangjian/testing';

/** The value of one series in Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

const eventually = async (check: () => Promise<void>, ms = 5000) => {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
};

describe('metrics on their own port (METRICS_PORT)', () => {
  let server: TestServer;
  let metricsUrl: string;
  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_PORT: '0' } });
    metricsUrl = server.app.metricsUrl()!;
  });
  afterAll(() => server?.close());

  it('answers with requests, durations, errors, sockets, subscriptions, fan-out, pool and bus after traffic', async () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(metricsUrl).port).not.toBe(new URL(server.url).port);
    const admin = await server.token('SZJGGW-MZJ', ['ADMIN']);
    // A query, an error (UNAUTHENTICATED without a token; NOT_FOUND-style nulls are not errors), a validation error.
    expect((await server.gql('query Orgs { organizations(first: 2) { totalCount } }', {}, admin)).errors).toBeUndefined();
    expect(
      (await server.gql('mutation Upd { updateMember(id: "x", input: { education: "本科" }) { id } }')).errors?.[0]?.extensions?.code,
    ).toBe('UNAUTHENTICATED');
    await server.gql('query Bad { noSuchField }', {}, admin);

    // A socket with a subscription, and an event it receives.
    const client = server.ws(admin);
    const member = await server.db.client.member.findFirstOrThrow({ where: { organization: { code: { startsWith: 'SZJGGW-MZJ' } } } });
    const { done } = nextResults(client, 'subscription Feed { activityAdded { kind } }', {}, 1, 10_000);
    let text = '';
    await eventually(async () => {
      text = await (await fetch(metricsUrl)).text();
      expect(sample(text, 'dangjian_graphql_subscriptions')).toBe(1);
    });
    expect(sample(text, 'dangjian_websocket_sockets')).toBe(1);
    const update = await server.gql(
      'mutation Upd($id: ID!) { updateMember(id: $id, input: { education: "研究生" }) { id } }',
      { id: globalId('Member', member.id) },
      admin,
    );
    expect(update.errors).toBeUndefined();
    expect((await done)[0]?.data?.activityAdded.kind).toBe('member.updated');

    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    text = await res.text();
    if (process.env.DUMP_METRICS) (await import('node:fs')).writeFileSync(process.env.DUMP_METRICS, text);
    expect(sample(text, 'dangjian_graphql_requests_total', { operation: 'Orgs', type: 'query', transport: 'http' })).toBe(1);
    expect(sample(text, 'dangjian_graphql_requests_total', { operation: 'Upd', type: 'mutation', transport: 'http' })).toBe(2);
    expect(sample(text, 'dangjian_graphql_requests_total', { operation: 'Bad', type: 'query', transport: 'http' })).toBe(1);
    expect(sample(text, 'dangjian_graphql_requests_total', { operation: 'Feed', type: 'subscription', transport: 'ws' })).toBe(1);
    expect(sample(text, 'dangjian_graphql_request_duration_seconds_count', { operation: 'Orgs', type: 'query' })).toBe(1);
    expect(sample(text, 'dangjian_graphql_request_duration_seconds_bucket', { operation: 'Orgs', le: '+Inf' })).toBe(1);
    expect(sample(text, 'dangjian_graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);
    expect(sample(text, 'dangjian_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(sample(text, 'dangjian_event_fanout_duration_seconds_count', { topic: 'activity:added' })).toBeGreaterThanOrEqual(1);
    const kind = server.db.kind;
    expect(sample(text, 'dangjian_db_pool_max', { database: kind })).toBe(kind === 'embedded' ? 1 : 5);
    for (const series of ['dangjian_db_pool_in_use', 'dangjian_db_pool_idle', 'dangjian_db_pool_waiting']) {
      expect(sample(text, series, { database: kind })).toBeGreaterThanOrEqual(0);
    }
    if (server.config.redisUrl) expect(sample(text, 'dangjian_event_bus_redis_connected')).toBe(1);
    else expect(sample(text, 'dangjian_event_bus_redis_connected')).toBeUndefined();
    expect(sample(text, 'dangjian_event_bus_gaps_total')).toBe(0);
    expect(sample(text, 'dangjian_event_bus_outages_total')).toBe(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('is not on the API port, and the metrics port serves nothing else', async () => {
    expect((await fetch(new URL('/metrics', server.url))).status).toBe(404);
    expect((await fetch(new URL('/graphql', metricsUrl))).status).toBe(404);
  });
});

describe('metrics on the API port behind METRICS_TOKEN', () => {
  const token = 'metrics-token-0123456789abcdef0123';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_TOKEN: token }, dataset: null });
  });
  afterAll(() => server?.close());

  it('refuses a scrape without the bearer token and answers one with it', async () => {
    const url = new URL('/metrics', server.url);
    expect(server.app.metricsUrl()).toBeNull();
    await server.gql('{ __typename }');
    const refused = await fetch(url);
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain('dangjian_');
    expect((await fetch(url, { headers: { authorization: `Bearer ${token.slice(0, -1)}x` } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(sample(await ok.text(), 'dangjian_graphql_requests_total', { operation: 'anonymous', type: 'query' })).toBe(1);
  });
});

describe('metrics by default', () => {
  it('are not served at all', async () => {
    const server = await startTestServer({ dataset: null });
    try {
      expect(server.app.metricsUrl()).toBeNull();
      expect((await fetch(new URL('/metrics', server.url))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(!process.env.DANGJIAN_TEST_REDIS)('event-bus metrics through a Redis outage (this test’s own connection is killed)', () => {
  it('counts the outage and the gap, and reports the connection down and back', async () => {
    const { createEventBus } = await import('../packages/server/src/pubsub.ts');
    const { createMetrics } = await import('../packages/server/src/observability/metrics.ts');
    const { Redis } = await import('ioredis');
    const prefix = `metrics-test-${Date.now()}:`;
    const metrics = createMetrics();
    const bus = createEventBus(process.env.DANGJIAN_TEST_REDIS!, { channelPrefix: prefix, log: () => {}, onFanout: metrics.fanout });
    const admin = new Redis(process.env.DANGJIAN_TEST_REDIS!);
    try {
      metrics.connect({
        database: { kind: 'embedded', poolStats: () => ({ max: 1, inUse: 0, idle: 1, waiting: 0 }) },
        sockets: () => ({ sockets: 0, subscriptions: 0 }),
        bus: bus.state,
      });
      const scrape = () => metrics.registry.metrics();
      await eventually(async () => expect(sample(await scrape(), 'dangjian_event_bus_redis_connected')).toBe(1));
      // Only the connection named after this test's prefix: other suites sharing the Redis are left alone.
      const clients = String(await admin.client('LIST')).split('\n');
      const ours = clients.find((line) => line.includes(` name=${prefix}subscribe `));
      expect(ours).toBeDefined();
      await admin.client('KILL', 'ID', /\bid=(\d+)/.exec(ours!)![1]!);
      await eventually(async () => {
        const text = await scrape();
        expect(sample(text, 'dangjian_event_bus_outages_total')).toBe(1);
        expect(sample(text, 'dangjian_event_bus_gaps_total')).toBe(1);
        expect(sample(text, 'dangjian_event_bus_redis_connected')).toBe(1);
      }, 10_000);
    } finally {
      admin.disconnect();
      await bus.close();
    }
  });
});
