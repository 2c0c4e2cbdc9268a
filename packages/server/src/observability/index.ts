import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '@dangjian/db';
import type { Config } from '../config.ts';
import { createMetrics, metricsHandler, type Metrics, type MetricsSources } from './metrics.ts';
import type { Tracing, TracingOptions } from './tracing.ts';

export { createLogger, redactText, type LogFields, type LogFn, type Logger } from './logger.ts';
export type { TracingOptions } from './tracing.ts';

/** Metrics and tracing of one application, as configured; each part is absent when not configured. */
export interface Observability {
  /** Yoga plugins (metrics first, so its clock starts before any other plugin runs). */
  readonly plugins: Plugin<Record<string, unknown>>[];
  /** For the event bus. */
  readonly onFanout: ((topic: string, seconds: number) => void) | undefined;
  /** For the reminder scheduler (absent without metrics). */
  readonly onReminderRun: Metrics['reminderRun'] | undefined;
  /** Wires what the gauges read, and SQL statement spans into the database. */
  attach(db: Database, sources: Omit<MetricsSources, 'database'>): void;
  /** `/metrics` on the main port (with METRICS_TOKEN and no METRICS_PORT); false when not handled. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Opens the metrics port, if configured; resolves with its URL. */
  listen(host: string): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * Metrics when METRICS_PORT or METRICS_TOKEN is set; tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set (its
 * module, and with it every OpenTelemetry package, is imported only then).
 */
export async function createObservability(config: Config, options: { tracing?: TracingOptions } = {}): Promise<Observability> {
  const metrics = config.metrics.port !== null || config.metrics.token ? createMetrics() : null;
  const tracing: Tracing | null = config.tracing
    ? await (await import('./tracing.ts')).startTracing(config.tracing, options.tracing)
    : null;
  const handler = metrics && metricsHandler(metrics.registry, config.metrics.token);
  let metricsServer: Server | null = null;
  let attached: Database | null = null;
  return {
    plugins: [...(metrics ? [metrics.plugin] : []), ...(tracing?.plugins ?? [])],
    onFanout: metrics?.fanout,
    onReminderRun: metrics?.reminderRun,
    attach(db, sources) {
      metrics?.connect({ ...sources, database: { kind: db.kind, poolStats: () => db.poolStats() } });
      if (tracing) {
        db.instrument(tracing.statementHook);
        attached = db;
      }
    },
    handle: async (req, res) => (handler && config.metrics.port === null ? handler(req, res) : false),
    listen(host) {
      if (!handler || config.metrics.port === null) return Promise.resolve(null);
      const server = createServer(async (req, res) => {
        if (!(await handler(req, res))) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      });
      metricsServer = server;
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.metrics.port ?? 0, host, () => {
          const { port } = server.address() as AddressInfo;
          const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
          resolve(`http://${shown.includes(':') ? `[${shown}]` : shown}:${port}/metrics`);
        });
      });
    },
    async close() {
      const server = metricsServer;
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
      server?.closeAllConnections();
      attached?.instrument(null);
      await tracing?.shutdown();
    },
  };
}
