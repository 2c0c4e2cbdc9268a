import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { AnyPlugin, Role, SchemaModule } from '@dangjian/core';
import { buildDemoDataset, generateKeyText, insertDataset, PersonalDataVault, type Database, type Dataset } from '@dangjian/db';
import { openTestDatabase } from '@dangjian/db/testing';
import { SignJWT } from 'jose';
import { createApp, loadConfig, type App, type AppOptions, type Config, type TracingOptions } from '@dangjian/server';
import { inject } from 'vitest';
import { sharedSchemaSet } from './schema-sets.ts';
import type {} from './templates.ts';

/** A GraphQL response as clients see it. */
export interface GqlResult<T = any> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** A started server on an ephemeral port with a migrated database, and clients to talk to it. */
export interface TestServer {
  url: string;
  wsUrl: string;
  app: App;
  db: Database;
  config: Config;
  /** The server's national-ID vault (to read encrypted rows back in assertions). */
  vault: PersonalDataVault;
  /** Signs a token for a user acting for an organization (id or code). */
  token(org: string, roles: Role[], user?: string): Promise<string>;
  /** POSTs a GraphQL operation over HTTP. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  /** Opens a graphql-ws client (closed by `close`). */
  ws(token?: string): Client;
  close(): Promise<void>;
}

export interface TestServerOptions {
  modules?: readonly SchemaModule[];
  /** Plugins to install; the ones in node_modules when omitted. */
  plugins?: readonly AnyPlugin[];
  /** Data inserted before start; the demo dataset by default, `null` for an empty database. */
  dataset?: Dataset | null;
  env?: Record<string, string>;
  onQuery?: (sql: string) => void;
  /** Receives the server's error log (masked errors and refused tokens, with their request ids). */
  errorLog?: (line: string, fields?: { requestId?: string }) => void;
  /** Tracing settings (an in-memory exporter); tracing is on only when `env` sets OTEL_EXPORTER_OTLP_ENDPOINT. */
  tracing?: TracingOptions;
  /** Reminder scheduling (off by default in tests: NODE_ENV=test). */
  reminders?: AppOptions['reminders'];
}

export const TEST_JWT_SECRET = 'test-secret-0123456789abcdef0123456789';

/** Starts a whole application the way `dangjian serve` does, on the suite's database. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  // On the embedded database, the run's seeded template (see global-setup.ts) when the demo data is asked
  // for and its national IDs are readable with the template's keys; else the migrated empty template, and the
  // data is inserted here — never a cluster initialized and migrated again for one file.
  const templates = inject('dangjianTemplates');
  const ownKeys = options.env?.DANGJIAN_DATA_KEYS !== undefined || options.env?.DANGJIAN_LOOKUP_KEY !== undefined;
  const template = !templates ? undefined : options.dataset === undefined && !ownKeys ? templates.demo : templates.empty;
  const { db, dispose } = await openTestDatabase({ onQuery: options.onQuery, template });
  const keys = templates && template === templates.demo ? templates.keys : generateKeyText('test');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    SHUTDOWN_GRACE_MS: '2000',
    ...(process.env.DANGJIAN_TEST_REDIS ? { REDIS_URL: process.env.DANGJIAN_TEST_REDIS } : {}),
    // DANGJIAN_COMPILED_EXECUTION=all runs a suite's documents on graphql-jit instead of graphql-js.
    ...(process.env.DANGJIAN_COMPILED_EXECUTION ? { DANGJIAN_COMPILED_EXECUTION: process.env.DANGJIAN_COMPILED_EXECUTION } : {}),
    // A bus of its own on the shared Redis: test files run side by side on seeded data whose ids repeat, so
    // another file's event would pass this server's subtree checks (a second app of the same test shares it
    // through `server.config`).
    REDIS_CHANNEL_PREFIX: `test-${randomUUID()}:`,
    // Fresh keys for every server, as production requires them to be configured.
    DANGJIAN_DATA_KEYS: keys.dataKeys,
    DANGJIAN_LOOKUP_KEY: keys.lookupKey,
    ...options.env,
  });
  const vault = new PersonalDataVault(config.dataKeys!);
  if (!templates || template !== templates.demo) {
    const dataset = options.dataset === undefined ? buildDemoDataset({ today: new Date() }) : options.dataset;
    if (dataset) await insertDataset(db.client, dataset, vault);
  }
  const app = await createApp(config, {
    db,
    vault,
    modules: options.modules,
    plugins: options.plugins,
    log: () => {},
    errorLog: options.errorLog,
    tracing: options.tracing,
    reminders: options.reminders,
    schemaSet: sharedSchemaSet,
  });
  const url = await app.listen();
  const wsUrl = url.replace(/^http/, 'ws');
  const sockets: Client[] = [];
  return {
    url,
    wsUrl,
    app,
    db,
    config,
    vault,
    async token(org, roles, user = 'test-user') {
      const found = await db.client.organization.findFirst({ where: { OR: [{ id: org }, { code: org }] }, select: { id: true } });
      if (!found) throw new Error(`test fixture: no organization ${org}`);
      // Signed here rather than with signToken, which (rightly) refuses in production mode.
      return new SignJWT({ org: found.id, roles })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user)
        .setIssuer('dangjian')
        .setAudience('dangjian-api')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(config.auth.jwtSecret ?? TEST_JWT_SECRET));
    },
    async gql(query, variables, token) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GqlResult;
    },
    ws(token) {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      });
      sockets.push(client);
      return client;
    },
    async close() {
      await Promise.all(sockets.map((s) => s.dispose()));
      await app.close();
      await dispose();
    },
  };
}

/** Collects the next `count` results of a subscription, failing after `timeoutMs`. */
export function nextResults<T = any>(client: Client, query: string, variables: Record<string, unknown>, count: number, timeoutMs = 10_000) {
  const results: GqlResult<T>[] = [];
  let unsubscribe = () => {};
  const done = new Promise<GqlResult<T>[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`subscription: got ${results.length} of ${count} results within ${timeoutMs} ms`));
    }, timeoutMs);
    unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          results.push(value as GqlResult<T>);
          if (results.length >= count) {
            clearTimeout(timer);
            unsubscribe();
            resolve(results);
          }
        },
        error: (error) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        },
        complete: () => {
          clearTimeout(timer);
          resolve(results);
        },
      },
    );
  });
  return { done, unsubscribe: () => unsubscribe() };
}

/**
 * Runs a connection query page by page (100 at a time, the maximum page size) and answers as if it had
 * been one page: the query takes `$first: Int` and `$after: String` and `field` names the connection
 * at the root (e.g. `members`); its selection must include `pageInfo { hasNextPage endCursor }`.
 */
export async function gqlAllPages<T = any>(
  server: TestServer,
  query: string,
  variables: Record<string, unknown>,
  token: string | undefined,
  field: string,
): Promise<GqlResult<T>> {
  const edges: unknown[] = [];
  let after: string | null = null;
  let last: GqlResult | null = null;
  for (;;) {
    last = await server.gql(query, { ...variables, first: 100, after }, token);
    const connection: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | undefined = last.data?.[field];
    if (last.errors || !connection) return last as GqlResult<T>;
    edges.push(...connection.edges);
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return { ...last, data: { ...last.data, [field]: { ...last.data[field], edges } } } as GqlResult<T>;
}
