import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '@dangjian/db';
import type { EventBusState } from '../pubsub.ts';

/** What the gauges read when Prometheus scrapes (nothing is polled in between). */
export interface MetricsSources {
  /** The database kind (`embedded` or `postgres`) and its connections. */
  database: { kind: string; poolStats(): PoolStats };
  /** Open graphql-ws sockets and running subscriptions. */
  sockets(): { sockets: number; subscriptions: number };
  bus(): EventBusState;
}

/** One application's metrics, in a registry of its own (several apps in one test process stay apart). */
export interface Metrics {
  readonly registry: Registry;
  /** The envelop/yoga plugin counting operations, their duration and their errors. */
  readonly plugin: Plugin<Record<string, unknown>>;
  /** For the event bus: an event reached all its listeners. */
  fanout(topic: string, seconds: number): void;
  /** Connects the scrape-time gauges to what they read; until then they report nothing. */
  connect(sources: MetricsSources): void;
  /** For the reminder scheduler: a run finished, with what each rule produced. */
  reminderRun(trigger: string, results: readonly { rule: string; produced: number; error?: string }[]): void;
}

/**
 * Operation names come from clients: past this many distinct names (per label set), further ones count as
 * `other`, so a client sending random names cannot grow the series without bound.
 */
export const MAX_OPERATION_NAMES = 200;

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function boundedLabel(max: number) {
  const seen = new Set<string>();
  return (value: string): string => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return 'other';
    seen.add(value);
    return value;
  };
}

/** The error codes of a result, `extensions.code` or `INTERNAL_SERVER_ERROR` for one without a code. */
export function errorCodesOf(result: unknown): string[] {
  const results = Array.isArray(result) ? result : [result];
  const codes: string[] = [];
  for (const r of results) {
    const errors = (r as ExecutionResult | null)?.errors as readonly GraphQLError[] | undefined;
    if (!Array.isArray(errors)) continue;
    for (const error of errors) {
      const code = error?.extensions?.code;
      codes.push(typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : 'INTERNAL_SERVER_ERROR');
    }
  }
  return codes;
}

function operationOf(document: DocumentNode | undefined, operationName: string | null | undefined): { name: string; type: string } {
  const operation = document ? getOperationAST(document, operationName ?? undefined) : null;
  return { name: operation?.name?.value ?? operationName ?? 'anonymous', type: operation?.operation ?? 'unknown' };
}

/** Creates the metrics of one application: `dangjian_*` series plus Node's process metrics. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const operationName = boundedLabel(MAX_OPERATION_NAMES);
  const errorCode = boundedLabel(100);

  const requests = new Counter({
    name: 'dangjian_graphql_requests_total',
    help: 'GraphQL operations received, by operation name, type and transport (http or ws)',
    labelNames: ['operation', 'type', 'transport'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'dangjian_graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL operation: HTTP from request to response; graphql-ws from subscribe to the first result (the setup, for a subscription)',
    labelNames: ['operation', 'type', 'transport'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'dangjian_graphql_errors_total',
    help: 'GraphQL errors returned to clients, by extensions.code (INTERNAL_SERVER_ERROR: masked, without a code)',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const fanout = new Histogram({
    name: 'dangjian_event_fanout_duration_seconds',
    help: 'From an event being dispatched in this process to its last listener (subscription) having it, by topic',
    labelNames: ['topic'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  let sources: MetricsSources | null = null;
  const gauge = (
    name: string,
    help: string,
    read: (s: MetricsSources, set: (value: number, labels?: Record<string, string>) => void) => void,
    labelNames: string[] = [],
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        if (!sources) return;
        read(sources, (value, labels) => (labels ? this.set(labels, value) : this.set(value)));
      },
    });
  const counterGauge = (name: string, help: string, read: (s: MetricsSources) => number) =>
    // Monotonic figures the bus keeps itself, exposed as counters at scrape time.
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        if (sources) this.inc(read(sources));
      },
    });
  gauge('dangjian_websocket_sockets', 'Open graphql-ws sockets', (s, set) => set(s.sockets().sockets));
  gauge('dangjian_graphql_subscriptions', 'Running GraphQL subscriptions (graphql-ws)', (s, set) => set(s.sockets().subscriptions));
  const pool = (key: keyof PoolStats, help: string) =>
    gauge(
      `dangjian_db_pool_${key === 'inUse' ? 'in_use' : key}`,
      help,
      (s, set) => set(s.database.poolStats()[key], { database: s.database.kind }),
      ['database'],
    );
  pool('max', 'Most database connections the pool opens (embedded PGlite: 1)');
  pool('inUse', 'Database connections in use (embedded PGlite: 1 while a statement runs)');
  pool('idle', 'Open idle database connections');
  pool('waiting', 'Requests waiting for a database connection (embedded PGlite: statements queued behind the running one)');
  counterGauge('dangjian_event_bus_outages_total', 'Losses of the Redis subscription', (s) => s.bus().outages);
  counterGauge(
    'dangjian_event_bus_gaps_total',
    'Event-bus gaps heard (each makes open subscriptions catch up from the activity table)',
    (s) => s.bus().gaps,
  );
  counterGauge(
    'dangjian_event_bus_publish_failures_total',
    'Events not published to Redis (other processes catch up after the gap)',
    (s) => s.bus().publishFailures,
  );

  /** HTTP requests: start time, then the operation once parsed. */
  const httpRequests = new WeakMap<
    Request,
    { startedAt: number; params: boolean; operation?: { name: string; type: string }; operationName?: string | null }
  >();
  const countErrors = (result: unknown) => {
    for (const code of errorCodesOf(result)) errors.inc({ code: errorCode(code) });
  };
  const record = (operation: { name: string; type: string }, transport: 'http' | 'ws', seconds: number) => {
    const labels = { operation: operationName(operation.name), type: operation.type, transport };
    requests.inc(labels);
    duration.observe(labels, seconds);
  };

  /**
   * An operation starts executing: over HTTP its request is timed already (it only learns the operation); over
   * graphql-ws there is no request, so the operation is timed from here to its result (the returned callback).
   */
  const started = (args: { contextValue: unknown; document: DocumentNode; operationName?: string | null }) => {
    const request = (args.contextValue as { request?: Request }).request;
    const entry = request && httpRequests.get(request);
    const operation = operationOf(args.document, args.operationName);
    if (entry) {
      entry.operation = operation;
      return undefined;
    }
    const startedAt = performance.now();
    return (result: unknown) => {
      record(operation, 'ws', (performance.now() - startedAt) / 1000);
      if (!(Symbol.asyncIterator in (result as object))) countErrors(result);
    };
  };

  const plugin: Plugin<Record<string, unknown>> = {
    onRequest({ request, url }) {
      if (url.pathname === '/graphql') httpRequests.set(request, { startedAt: performance.now(), params: false });
    },
    onParams({ params, request }) {
      const entry = httpRequests.get(request);
      if (!entry) return;
      entry.params = true;
      entry.operationName = params.operationName;
    },
    onParse({ context }) {
      const entry = httpRequests.get((context as { request?: Request }).request as Request);
      if (!entry) return;
      return ({ result }) => {
        // Named (and typed) from the document even when validation refuses it before execution.
        if (result && typeof result === 'object' && 'kind' in result)
          entry.operation = operationOf(result as DocumentNode, entry.operationName);
      };
    },
    onExecute({ args }) {
      const done = started(args);
      return done && { onExecuteDone: ({ result }) => done(result) };
    },
    onSubscribe({ args }) {
      const done = started(args);
      return done && { onSubscribeResult: ({ result }) => done(result) };
    },
    onResultProcess({ request, result }) {
      if (httpRequests.has(request) && !(typeof result === 'object' && result !== null && Symbol.asyncIterator in result))
        countErrors(result);
    },
    onResponse({ request }) {
      const entry = httpRequests.get(request);
      if (!entry) return;
      httpRequests.delete(request);
      // Not a GraphQL operation (the GraphiQL page, a request refused before its parameters were read).
      if (!entry.params) return;
      // Refused before execution (parse, validation, limits): named as sent, type unknown.
      record(
        entry.operation ?? { name: entry.operationName ?? 'anonymous', type: 'unknown' },
        'http',
        (performance.now() - entry.startedAt) / 1000,
      );
    },
  };

  const reminderRuns = new Counter({
    name: 'dangjian_reminder_runs_total',
    help: 'Reminder check runs this process made, by trigger (schedule, catch-up, manual)',
    labelNames: ['trigger'],
    registers: [registry],
  });
  const reminders = new Counter({
    name: 'dangjian_reminders_produced_total',
    help: 'Notifications the reminder rules wrote in this process, by rule',
    labelNames: ['rule'],
    registers: [registry],
  });
  const reminderErrors = new Counter({
    name: 'dangjian_reminder_rule_errors_total',
    help: 'Reminder rule evaluations that failed (per department), by rule',
    labelNames: ['rule'],
    registers: [registry],
  });

  return {
    registry,
    plugin,
    fanout: (topic, seconds) => fanout.observe({ topic }, seconds),
    reminderRun(trigger, results) {
      reminderRuns.inc({ trigger });
      for (const r of results) {
        if (r.produced > 0) reminders.inc({ rule: r.rule }, r.produced);
        if (r.error !== undefined) reminderErrors.inc({ rule: r.rule });
      }
    },
    connect(s) {
      sources = s;
      // Without Redis there is no connection to report: the series is absent rather than a misleading 0.
      if (s.bus().redisConnected !== null) {
        gauge('dangjian_event_bus_redis_connected', 'Redis subscription live (1) or lost (0); absent without REDIS_URL', (src, set) =>
          set(src.bus().redisConnected ? 1 : 0),
        );
      }
    },
  };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7).trim() : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Answers `GET /metrics` (Prometheus text format); false for any other path. With a token, a request
 * without `Authorization: Bearer <token>` gets 401 and no figures.
 */
export function metricsHandler(registry: Registry, token: string | null) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return false;
    if (token && !tokenMatches(req.headers.authorization, token)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain' }).end('unauthorized\n');
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
