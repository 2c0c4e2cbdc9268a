import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createEventBus } from '../pubsub.ts';
import { createMetrics, errorCodesOf, MAX_OPERATION_NAMES, metricsHandler } from './metrics.ts';

const schema = createSchema({
  typeDefs: 'type Query { hello: String, denied: String, broken: String }',
  resolvers: {
    Query: {
      hello: () => 'world',
      denied: () => {
        throw new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } });
      },
      broken: () => {
        throw new Error('boom');
      },
    },
  },
});

function yogaWith(metrics: ReturnType<typeof createMetrics>) {
  return createYoga({ schema, plugins: [metrics.plugin], logging: false });
}

const post = (yoga: ReturnType<typeof yogaWith>, query: string, operationName?: string) =>
  yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, operationName }),
  });

const value = async (metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string> = {}) => {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
};

describe('metrics plugin (yoga.fetch, no port)', () => {
  it('counts operations by name and type, times them, and counts errors by code', async () => {
    const metrics = createMetrics();
    const yoga = yogaWith(metrics);
    await post(yoga, 'query Hi { hello }');
    await post(yoga, 'query Hi { hello }');
    await post(yoga, '{ denied }');
    await post(yoga, '{ broken }');
    await post(yoga, '{ nope }');
    await post(yoga, '{ hello');
    expect(await value(metrics, 'dangjian_graphql_requests_total', { operation: 'Hi', type: 'query', transport: 'http' })).toBe(2);
    expect(await value(metrics, 'dangjian_graphql_requests_total', { operation: 'anonymous', type: 'query' })).toBe(3);
    expect(await value(metrics, 'dangjian_graphql_requests_total', { operation: 'anonymous', type: 'unknown' })).toBe(1);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/dangjian_graphql_request_duration_seconds_count\{operation="Hi",type="query",transport="http"\} 2/);
    expect(await value(metrics, 'dangjian_graphql_errors_total', { code: 'FORBIDDEN' })).toBe(1);
    expect(await value(metrics, 'dangjian_graphql_errors_total', { code: 'INTERNAL_SERVER_ERROR' })).toBe(1);
    expect(await value(metrics, 'dangjian_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(await value(metrics, 'dangjian_graphql_errors_total', { code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
  });

  it('bounds the operation names a client can create', async () => {
    const metrics = createMetrics();
    const yoga = yogaWith(metrics);
    for (let i = 0; i < MAX_OPERATION_NAMES + 5; i++) await post(yoga, `query Q${i} { hello }`);
    const names = new Set(
      (await metrics.registry.getMetricsAsJSON())
        .find((m) => m.name === 'dangjian_graphql_requests_total')!
        .values.map((v) => v.labels.operation),
    );
    expect(names.size).toBe(MAX_OPERATION_NAMES + 1);
    expect(await value(metrics, 'dangjian_graphql_requests_total', { operation: 'other' })).toBe(5);
  });

  it('keeps each application in a registry of its own', async () => {
    const a = createMetrics();
    const b = createMetrics();
    await post(yogaWith(a), 'query Hi { hello }');
    expect(await value(a, 'dangjian_graphql_requests_total', { operation: 'Hi' })).toBe(1);
    expect(await value(b, 'dangjian_graphql_requests_total', { operation: 'Hi' })).toBeUndefined();
  });
});

describe('scrape-time figures', () => {
  it('reads sockets, pool and bus when scraped; the Redis gauge exists only with Redis', async () => {
    const metrics = createMetrics();
    let inUse = 3;
    const bus = { redisConnected: null as boolean | null, outages: 1, gaps: 2, publishFailures: 4 };
    metrics.connect({
      database: { kind: 'postgres', poolStats: () => ({ max: 10, inUse, idle: 2, waiting: 1 }) },
      sockets: () => ({ sockets: 7, subscriptions: 9 }),
      bus: () => bus,
    });
    expect(await value(metrics, 'dangjian_db_pool_in_use', { database: 'postgres' })).toBe(3);
    inUse = 5;
    expect(await value(metrics, 'dangjian_db_pool_in_use', { database: 'postgres' })).toBe(5);
    expect(await value(metrics, 'dangjian_db_pool_waiting')).toBe(1);
    expect(await value(metrics, 'dangjian_websocket_sockets')).toBe(7);
    expect(await value(metrics, 'dangjian_graphql_subscriptions')).toBe(9);
    expect(await value(metrics, 'dangjian_event_bus_gaps_total')).toBe(2);
    expect(await value(metrics, 'dangjian_event_bus_outages_total')).toBe(1);
    expect(await value(metrics, 'dangjian_event_bus_publish_failures_total')).toBe(4);
    expect(await value(metrics, 'dangjian_event_bus_redis_connected')).toBeUndefined();

    const withRedis = createMetrics();
    bus.redisConnected = false;
    withRedis.connect({
      database: { kind: 'embedded', poolStats: () => ({ max: 1, inUse: 0, idle: 1, waiting: 0 }) },
      sockets: () => ({ sockets: 0, subscriptions: 0 }),
      bus: () => bus,
    });
    expect(await value(withRedis, 'dangjian_event_bus_redis_connected')).toBe(0);
    bus.redisConnected = true;
    expect(await value(withRedis, 'dangjian_event_bus_redis_connected')).toBe(1);
  });

  it('times an event fan-out across dispatch chunks', async () => {
    const metrics = createMetrics();
    const bus = createEventBus(null, { onFanout: metrics.fanout });
    let heard = 0;
    for (let i = 0; i < 1200; i++) bus.pubsub.listen('bus:gap', () => heard++);
    bus.pubsub.publish('bus:gap', { since: new Date().toISOString() });
    while (heard < 1200) await new Promise((r) => setImmediate(r));
    expect(await metrics.registry.metrics()).toMatch(/dangjian_event_fanout_duration_seconds_count\{topic="bus:gap"\} 1/);
    expect(bus.state()).toEqual({ redisConnected: null, outages: 0, gaps: 0, publishFailures: 0 });
    await bus.close();
  });
});

describe('errorCodesOf', () => {
  it('takes extensions.code, and INTERNAL_SERVER_ERROR for an error without a usable one', () => {
    expect(errorCodesOf({ errors: [{ extensions: { code: 'NOT_FOUND' } }, { message: 'x' }, { extensions: { code: 'a b{"' } }] })).toEqual([
      'NOT_FOUND',
      'INTERNAL_SERVER_ERROR',
      'INTERNAL_SERVER_ERROR',
    ]);
    expect(errorCodesOf([{ data: {} }, { errors: [{ extensions: { code: 'CONFLICT' } }] }])).toEqual(['CONFLICT']);
    expect(errorCodesOf(null)).toEqual([]);
  });
});

describe('metricsHandler', () => {
  it('answers /metrics only, with the bearer token when one is set', async () => {
    const metrics = createMetrics();
    const handle = metricsHandler(metrics.registry, 't'.repeat(32));
    const server = createServer(async (req, res) => {
      if (!(await handle(req, res))) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/other`)).status).toBe(404);
      const refused = await fetch(`${base}/metrics`);
      expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="metrics"']);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
      const ok = await fetch(`${base}/metrics?x=1`, { headers: { authorization: `Bearer ${'t'.repeat(32)}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('# TYPE dangjian_graphql_requests_total counter');
      expect((await fetch(`${base}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${'t'.repeat(32)}` } })).status).toBe(405);
    } finally {
      server.close();
    }
  });
});
