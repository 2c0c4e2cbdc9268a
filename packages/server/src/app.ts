import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { buildSchema, type Context, type SchemaModule, type Viewer } from '@dangjian/core';
import { openDatabase, type Database } from '@dangjian/db';
import { createAuthenticator } from './auth.ts';
import type { Config } from './config.ts';
import { healthHandler } from './health.ts';
import { createEventBus } from './pubsub.ts';
import { attachWebSocket } from './websocket.ts';

/** A configured, not yet listening server. */
export interface App {
  readonly db: Database;
  readonly schema: GraphQLSchema;
  readonly yoga: YogaServerInstance<Record<string, unknown>, Context>;
  /** Starts listening; resolves with the bound URL of the GraphQL endpoint. */
  listen(): Promise<string>;
  /**
   * Graceful stop: refuse new connections, close sockets with 1001, let in-flight requests finish
   * (up to the grace period), then close the database and event bus.
   */
  close(): Promise<void>;
}

export interface AppOptions {
  /** An already open database (tests share one); opened from config otherwise and closed by `close`. */
  db?: Database;
  /** Extra schema modules after the core ones (plugins, test fixtures). */
  modules?: readonly SchemaModule[];
  log?: (message: string) => void;
}

/** Wires database, schema, authentication, event bus, HTTP and WebSocket into one server. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? ((m: string) => console.log(m));
  const ownsDb = !options.db;
  const db = options.db ?? (await openDatabase(config.database));
  const schema = buildSchema(options.modules ?? []);
  const bus = createEventBus(config.redisUrl);
  const authenticate = await createAuthenticator(config, db.client);
  let shuttingDown = false;

  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.production ? false : { title: '党建 GraphQL', subscriptionsProtocol: 'WS' },
    logging: config.production ? 'warn' : 'info',
    // GraphQLErrors (typed errors with extensions.code) pass; anything unexpected is masked.
    maskedErrors: { isDev: false },
    context: async (initial): Promise<Context> => {
      const request = initial.request as Request | undefined;
      const connectionParams = initial.connectionParams as Record<string, unknown> | undefined;
      // Over graphql-ws there is no HTTP request: the token comes in the connection_init payload.
      const header =
        request?.headers.get('authorization') ??
        (typeof connectionParams?.authorization === 'string' ? connectionParams.authorization : null) ??
        (typeof connectionParams?.Authorization === 'string' ? connectionParams.Authorization : null);
      const viewer: Viewer | null = await authenticate(header);
      return { db: db.client, viewer, pubsub: bus.pubsub };
    },
  });

  const health = healthHandler(db, () => shuttingDown);
  const server: Server = createHttpServer(async (req, res) => {
    if (await health(req, res)) return;
    if (shuttingDown) res.setHeader('connection', 'close');
    await yoga.handle(req, res);
  });
  const ws = attachWebSocket(server, yoga as never);

  return {
    db,
    schema,
    yoga,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const { port } = server.address() as AddressInfo;
          const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`);
        });
      }),
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
      await bus.close();
      if (ownsDb) await db.close();
    },
  };
}
