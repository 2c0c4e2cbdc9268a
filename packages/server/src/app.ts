import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createYoga, type GraphiQLOptions, type YogaServerInstance } from 'graphql-yoga';
import {
  CORE_VERSION,
  createSchemaSet,
  reminderRulesOf,
  rootOf,
  type AnyPlugin,
  type Context,
  type SchemaModule,
  type SchemaSet,
  type Viewer,
} from '@dangjian/core';
import { openDatabase, type Database, type PersonalDataVault } from '@dangjian/db';
import { createAuthenticator } from './auth.ts';
import type { Config } from './config.ts';
import { healthHandler } from './health.ts';
import { createLogger, createObservability, type LogFn, type TracingOptions } from './observability/index.ts';
import { discoverPlugins, selectPlugins } from './plugins/discover.ts';
import { createPluginAccess } from './plugins/enablement.ts';
import { createEventBus } from './pubsub.ts';
import { createRevocationList } from './revocations.ts';
import { reminderOptionsFromEnv, type ReminderOptions } from './reminders/options.ts';
import { startReminders, type ReminderScheduler } from './reminders/scheduler.ts';
import { startAutoAnalyze } from './auto-analyze.ts';
import { bodyLimit } from './security/body-limit.ts';
import { createDataRoutes } from './data/routes.ts';
import { uploadBodyLimit } from './data/upload-limit.ts';
import { useAuditTrail } from './yoga-plugins/audit-trail.ts';
import { useCompiledExecution } from './yoga-plugins/compiled-execution.ts';
import { useDepartmentSchema } from './yoga-plugins/department-schema.ts';
import { useIdempotencyKeys } from './yoga-plugins/idempotency.ts';
import { queryLimitPlugins } from './yoga-plugins/limits.ts';
import { maskError, useIntrospectionPolicy, useRequestErrorMasking } from './yoga-plugins/production.ts';
import { useRateLimit } from './yoga-plugins/rate-limit.ts';
import { useSharedSubscriptionEvents } from './yoga-plugins/shared-subscription-events.ts';
import { useTrustedDocuments } from './yoga-plugins/trusted-documents.ts';
import { openVault } from './personal-data.ts';
import { assignRequestId, bearerOf, clientAddressOf, requestIdOf, requestIdOfRequest, useRequestIds } from './request-info.ts';
import { attachWebSocket } from './websocket.ts';

/** A configured, not yet listening server. */
export interface App {
  readonly db: Database;
  /** Encrypts and decrypts national IDs with the configured keys. */
  readonly vault: PersonalDataVault;
  /** The schema with every loaded plugin. */
  readonly schema: GraphQLSchema;
  /** Per-department schemas, derived from the full one and cached. */
  readonly schemas: SchemaSet;
  readonly yoga: YogaServerInstance<Record<string, unknown>, Context>;
  /** The reminder scheduler (stopped by `close`). */
  readonly reminders: ReminderScheduler;
  /** How many executions ran on graphql-jit (trusted documents; every query with DANGJIAN_COMPILED_EXECUTION=all). */
  compiledExecutions(): number;
  /** Starts listening; resolves with the bound URL of the GraphQL endpoint. */
  listen(): Promise<string>;
  /** The URL of `/metrics` on METRICS_PORT once listening; null without a metrics port. */
  metricsUrl(): string | null;
  /**
   * Graceful stop: refuse new connections, close sockets with 1001, let in-flight requests finish
   * (up to the grace period), then close the database and event bus.
   */
  close(): Promise<void>;
}

export interface AppOptions {
  /** An already open database (tests share one); opened from config otherwise and closed by `close`. */
  db?: Database;
  /** Extra schema modules after the core ones (test fixtures). */
  modules?: readonly SchemaModule[];
  /** The installed plugins; discovered in node_modules when omitted. DANGJIAN_PLUGINS selects among them. */
  plugins?: readonly AnyPlugin[];
  /** Where information lines go (the LOG_FORMAT logger on stdout by default). */
  log?: LogFn;
  /** Where masked errors are logged with their request id (the LOG_FORMAT logger by default). */
  errorLog?: LogFn;
  /** Tracing settings for tests (an in-memory exporter); tracing itself is on only with OTEL_EXPORTER_OTLP_ENDPOINT. */
  tracing?: TracingOptions;
  /** The national-ID vault; from the configuration when omitted (tests pass one to read rows back). */
  vault?: PersonalDataVault;
  /** Reminder scheduling; from DANGJIAN_REMINDERS / DANGJIAN_REMINDER_CRON / DANGJIAN_REMINDER_INTERVAL_MS when omitted. */
  reminders?: Partial<ReminderOptions>;
  /**
   * Builds the schema set of the selected plugins and modules (`createSchemaSet` when omitted). A schema set
   * depends on nothing else, so a process that starts many servers (the test suite) can share one per
   * plugin and module list instead of building it again for each.
   */
  schemaSet?: (plugins: readonly AnyPlugin[], modules: readonly SchemaModule[] | undefined) => SchemaSet;
}

/**
 * GraphiQL in development: subscriptions over graphql-ws (the header editor's contents are sent as the
 * socket's connectionParams), and the header editor prefilled with the Authorization header a token from
 * `npx dangjian token` goes into; kept across reloads in the browser's storage.
 */
const graphiqlOptions = {
  title: '党建 GraphQL',
  subscriptionsProtocol: 'WS',
  defaultHeaders: JSON.stringify({ Authorization: 'Bearer <npx dangjian token --org SZJGGW --role ADMIN>' }, null, 2),
  shouldPersistHeaders: true,
} as const;

async function renderGraphiQLLazily(options: GraphiQLOptions): Promise<string> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  return renderGraphiQL(options);
}

/** Wires database, schema, authentication, event bus, HTTP and WebSocket into one server. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.log && options.errorLog ? null : createLogger(config.logFormat);
  const log: LogFn = options.log ?? logger!.info;
  const errorLog: LogFn = options.errorLog ?? logger!.error;
  const observability = await createObservability(config, { tracing: options.tracing });
  const ownsDb = !options.db;
  const db = options.db ?? (await openDatabase(config.database));
  const vault = options.vault ?? openVault(config);
  const plugins = selectPlugins(options.plugins ?? (await discoverPlugins()), config.plugins);
  const schemas = options.schemaSet
    ? options.schemaSet(plugins, options.modules)
    : createSchemaSet(plugins, { coreVersion: CORE_VERSION, modules: options.modules });
  const bus = createEventBus(config.redisUrl, {
    channelPrefix: config.redisChannelPrefix,
    log: errorLog,
    onFanout: observability.onFanout,
  });
  const access = createPluginAccess(db.client, schemas.plugins, bus.pubsub);
  // Sockets exist only once attached below; a revocation heard before that has nothing to close.
  let closeRevokedSockets: (userId: string, revokedBefore: number) => void = () => {};
  const revocations = await createRevocationList(db.client, bus.pubsub, (userId, before) => closeRevokedSockets(userId, before));
  // A correctly signed token refused by the token policy means the identity provider is misconfigured: the
  // operator reads why (user, role names, lifetime) in the error log.
  const authenticate = await createAuthenticator(config, db.client, { isRevoked: revocations.isRevoked, log: errorLog });
  let shuttingDown = false;
  const reminders = await startReminders({
    db,
    vault,
    pubsub: bus.pubsub,
    rules: reminderRulesOf(schemas.plugins),
    enabledFor: (rootId) => access.enabledFor(rootId),
    options: { ...reminderOptionsFromEnv(), ...options.reminders },
    log: errorLog,
    onRun: observability.onReminderRun,
  });
  const autoAnalyze = startAutoAnalyze(db, config.autoAnalyzeIntervalMs, errorLog);

  // A request authenticates once: the schema choice and the context share the result.
  const viewers = new WeakMap<object, Promise<Viewer | null>>();
  const viewerFor = (key: object, header: string | null, requestId?: string): Promise<Viewer | null> => {
    let viewer = viewers.get(key);
    if (!viewer) {
      viewer = authenticate(header, requestId);
      viewers.set(key, viewer);
    }
    return viewer;
  };
  /** The schema of the viewer's department: core plus the plugins its top-level organization enabled. */
  const schemaFor = async (viewer: Viewer | null): Promise<GraphQLSchema> =>
    viewer ? schemas.schemaFor(await access.enabledFor(rootOf(viewer))) : schemas.schemaFor([]);

  const departmentSchema = useDepartmentSchema({
    viewerFor: (request) => viewerFor(request, request.headers.get('authorization'), requestIdOfRequest(request)),
    schemaFor,
  });
  const trustedDocuments = useTrustedDocuments({
    ...config.trustedDocuments,
    maxTokens: config.limits.maxTokens,
    viewerOf: (request) => viewerFor(request, request.headers.get('authorization'), requestIdOfRequest(request)).catch(() => null),
  });
  const compiledExecution = useCompiledExecution({ mode: config.compiledExecution, isTrusted: trustedDocuments.isTrusted });
  const yoga = createYoga<Record<string, unknown>, Context>({
    // Anonymous requests see the core; useDepartmentSchema swaps in each request's department schema.
    schema: schemas.schemaFor([]),
    plugins: [
      // First: setExecuteFn replaces the execute function, and a plugin that wraps one (the audit trail,
      // tracing) wraps the one in place when its own onExecute runs — so the compiled executor must be in
      // place before them, or it would drop their wrappers (a trusted mutation went unaudited).
      compiledExecution,
      useRequestIds(),
      ...observability.plugins,
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'x-dangjian-csrf'] }),
      trustedDocuments,
      ...queryLimitPlugins(config),
      useIdempotencyKeys(),
      useSharedSubscriptionEvents(),
      useRateLimit({ perUserPerMinute: config.limits.ratePerUserPerMinute, perFieldPerMinute: config.limits.ratePerFieldPerMinute }),
      useAuditTrail(errorLog),
      useRequestErrorMasking(errorLog),
      useIntrospectionPolicy(config, (context) => {
        const ctx = context as { request?: Request; departmentViewer?: Viewer | null };
        return ctx.departmentViewer ?? (ctx.request ? departmentSchema.viewerOf(ctx.request) : null);
      }),
      departmentSchema,
    ],
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // GraphiQL from the installed package, scripts, styles and editor workers inline: the intranets this
    // serves have no internet, and yoga's default page loads all of them from a public CDN.
    // Loaded on the first page request: the module holds the whole GraphiQL bundle as strings (≈ 30 MB of
    // heap held for the life of the process, bench/RESULTS.md "Idle RSS").
    renderGraphiQL: renderGraphiQLLazily,
    graphiql: config.production ? false : graphiqlOptions,
    logging: config.production ? 'warn' : 'info',
    // GraphQLErrors (typed errors with extensions.code) pass; anything unexpected is masked, with a
    // request id the server log shares.
    maskedErrors: { maskError: maskError(errorLog) },
    batching: false,
    // bodyLimit (below, on the Node request) refuses a body over the limit or without a Content-Length
    // before it is read, and Node's parser never delivers more than the Content-Length. Yoga's own limit
    // would pipe every body through a TransformStream as well: 40 % of a bare yoga server's throughput
    // on a small query (bench/RESULTS.md).
    maxRequestBodySize: false,
    context: async (initial): Promise<Context> => {
      const request = initial.request as Request | undefined;
      const connectionParams = initial.connectionParams as Record<string, unknown> | undefined;
      // Over graphql-ws there is no HTTP request: the token comes in the connection_init payload.
      const header = request ? request.headers.get('authorization') : bearerOf(connectionParams);
      const req = (initial as { req?: IncomingMessage }).req;
      const viewer: Viewer | null = await viewerFor(request ?? connectionParams ?? initial, header, requestIdOf(req));
      // Every operation on a socket shares its upgrade request: those get an id each.
      const requestInfo = {
        id: (request ? requestIdOf(req) : undefined) ?? randomUUID(),
        clientAddress: clientAddressOf(req, config.trustProxy),
      };
      return { db: db.client, viewer, pubsub: bus.pubsub, plugins: access, vault, requestInfo, reminders };
    },
  });

  const health = healthHandler(db, () => shuttingDown);
  const dataRoutes = createDataRoutes({
    db: db.client,
    authenticate: (header) => authenticate(header),
    context: (viewer, req) => ({
      db: db.client,
      viewer,
      pubsub: bus.pubsub,
      plugins: access,
      vault,
      requestInfo: { id: randomUUID(), clientAddress: clientAddressOf(req, config.trustProxy) },
    }),
  });
  const uploadLimit = uploadBodyLimit(config.limits.maxBodyBytes);
  const server: Server = createHttpServer(async (req, res) => {
    if (await health(req, res)) return;
    if (await observability.handle(req, res)) return;
    if (await dataRoutes(req, res)) return;
    if (!bodyLimit(req, res, uploadLimit(req))) return;
    if (shuttingDown) res.setHeader('connection', 'close');
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    assignRequestId(req, requestId);
    await yoga.handle(req, res);
  });
  const ws = attachWebSocket(server, yoga as never, {
    authenticate: (connectionParams, req) => viewerFor(connectionParams, bearerOf(connectionParams), requestIdOf(req)),
    limits: { maxSubscriptionsPerSocket: config.limits.maxSubscriptionsPerSocket, maxFrameBytes: 64 * 1024, initTimeoutMs: 3000 },
    schemaFor: async (connectionParams) => schemaFor(await viewerFor(connectionParams, bearerOf(connectionParams)).catch(() => null)),
    rootOf: async (connectionParams) => {
      const viewer = await viewerFor(connectionParams, bearerOf(connectionParams)).catch(() => null);
      return viewer ? rootOf(viewer) : null;
    },
    invalidate: (rootId) => access.invalidate(rootId),
    pubsub: bus.pubsub,
  });
  closeRevokedSockets = (userId, before) => ws.revoke(userId, before);
  observability.attach(db, { sockets: ws.stats, bus: bus.state });
  let metricsUrl: string | null = null;

  return {
    db,
    vault,
    schema: schemas.full,
    schemas,
    yoga,
    reminders,
    compiledExecutions: compiledExecution.executions,
    metricsUrl: () => metricsUrl,
    listen: async () => {
      metricsUrl = await observability.listen(config.host);
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const { port } = server.address() as AddressInfo;
          const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`);
        });
      });
    },
    async close() {
      if (shuttingDown) return;
      shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await ws.close();
      server.closeIdleConnections();
      const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), config.shutdownGraceMs).unref());
      if ((await Promise.race([closed, grace])) === 'timeout') {
        log(`shutdown: in-flight requests still running after ${config.shutdownGraceMs} ms, closing them`);
        server.closeAllConnections();
        await closed;
      }
      await reminders.stop();
      await autoAnalyze.stop();
      access.stop();
      revocations.stop();
      await bus.close();
      await observability.close();
      if (ownsDb) await db.close();
    },
  };
}
