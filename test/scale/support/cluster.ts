import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { baseEnv, runCli, startCli, type GqlResult } from '@dangjian/testing';
import { startProxy, type TcpProxy } from './proxy.ts';

export const JWT_SECRET = 'scale-test-secret-0123456789abcdef0123';

/**
 * PostgreSQL and Redis for the scale tests, from the `postgres` test project's environment; null with
 * the reason when either is missing (the suite is then skipped, saying why).
 */
export function scaleTargets(): { databaseUrl: string; redisUrl: string } | { skip: string } {
  const database = process.env.DANGJIAN_TEST_DATABASE;
  const redis = process.env.DANGJIAN_TEST_REDIS;
  if (!database || database === 'embedded') return { skip: 'scale tests need PostgreSQL and Redis: set DATABASE_URL and REDIS_URL' };
  if (!redis) return { skip: 'scale tests need Redis: set REDIS_URL' };
  return { databaseUrl: database, redisUrl: redis };
}

/** One `dangjian serve` child process. */
export interface Node {
  url: string;
  wsUrl: string;
  child: ReturnType<typeof startCli>['child'];
  exited: Promise<number | null>;
  output(): string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string, headers?: Record<string, string>): Promise<GqlResult<T>>;
  ws(token: string, onClosed?: (code: number) => void): Client;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface Cluster {
  nodes: Node[];
  pgProxy: TcpProxy | null;
  redisProxy: TcpProxy | null;
  /** A direct connection (no proxy) to the cluster's schema, for setting up and checking rows. */
  sql: pg.Pool;
  schema: string;
  token(orgCode: string, roles: string[], user?: string, claims?: Record<string, unknown>): Promise<string>;
  orgId(code: string): Promise<string>;
  start(): Promise<Node>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  nodes: number;
  /** Route the servers' PostgreSQL / Redis traffic through a proxy the test can cut. */
  proxyPostgres?: boolean;
  proxyRedis?: boolean;
  env?: Record<string, string>;
  /** Seed the demo data (default true). */
  seed?: boolean;
}

function withSchema(url: string, schema: string, port?: number): string {
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  if (port) {
    u.hostname = '127.0.0.1';
    u.port = String(port);
  }
  return u.toString();
}

/** A fresh schema, migrated and seeded with the CLI, and N identical server processes on it. */
export async function startCluster(targets: { databaseUrl: string; redisUrl: string }, options: ClusterOptions): Promise<Cluster> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const direct = withSchema(targets.databaseUrl, schema);
  const setup = baseEnv({ DATABASE_URL: direct });
  const migrated = await runCli(['migrate', 'deploy'], setup);
  if (migrated.code !== 0) throw new Error(`migrate deploy failed:\n${migrated.stdout}\n${migrated.stderr}`);
  if (options.seed !== false) {
    const seeded = await runCli(['seed'], setup);
    if (seeded.code !== 0) throw new Error(`seed failed:\n${seeded.stdout}\n${seeded.stderr}`);
  }
  const dbTarget = new URL(targets.databaseUrl);
  const redisTarget = new URL(targets.redisUrl);
  const pgProxy = options.proxyPostgres ? await startProxy(dbTarget.hostname, Number(dbTarget.port || 5432)) : null;
  const redisProxy = options.proxyRedis ? await startProxy(redisTarget.hostname, Number(redisTarget.port || 6379)) : null;
  const redisUrl = redisProxy ? `redis://127.0.0.1:${redisProxy.port}${redisTarget.pathname}` : targets.redisUrl;
  const sql = new pg.Pool({ connectionString: targets.databaseUrl, max: 4, options: `-c search_path="${schema}"` });
  sql.on('error', () => {});
  const env = baseEnv({
    DATABASE_URL: withSchema(targets.databaseUrl, schema, pgProxy?.port),
    REDIS_URL: redisUrl,
    REDIS_CHANNEL_PREFIX: `scale-${schema}:`,
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET,
    DATABASE_POOL_SIZE: '5',
    ...options.env,
  });
  const nodes: Node[] = [];
  const start = async (): Promise<Node> => {
    const cli = startCli(['serve'], env);
    const url = await cli.ready;
    const sockets: Client[] = [];
    const node: Node = {
      url,
      wsUrl: url.replace(/^http/, 'ws'),
      child: cli.child,
      exited: cli.exited,
      output: cli.output,
      async gql(query, variables, token, headers) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
          body: JSON.stringify({ query, variables }),
        });
        return (await res.json()) as GqlResult;
      },
      ws(token, onClosed) {
        const client = createClient({
          url: node.wsUrl,
          webSocketImpl: WebSocket,
          lazy: false,
          retryAttempts: 0,
          onNonLazyError: () => {}, // closes are reported through `onClosed` and the subscription sinks
          connectionParams: { authorization: `Bearer ${token}` },
          on: onClosed ? { closed: (event) => onClosed((event as { code: number }).code) } : undefined,
        });
        sockets.push(client);
        return client;
      },
      async stop(signal = 'SIGTERM') {
        if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill(signal);
        const code = await cli.exited;
        await Promise.all(sockets.map((s) => s.dispose()));
        return code;
      },
    };
    nodes.push(node);
    return node;
  };
  for (let i = 0; i < options.nodes; i++) await start();
  const orgIds = new Map<string, string>();
  const orgId = async (code: string) => {
    let id = orgIds.get(code);
    if (!id) {
      const { rows } = await sql.query<{ id: string }>('SELECT id FROM "Organization" WHERE code = $1', [code]);
      if (!rows[0]) throw new Error(`no organization ${code}`);
      id = rows[0].id;
      orgIds.set(code, id);
    }
    return id;
  };
  return {
    nodes,
    pgProxy,
    redisProxy,
    sql,
    schema,
    orgId,
    start,
    async token(orgCode, roles, user = 'scale-user', claims = {}) {
      return new SignJWT({ org: await orgId(orgCode), roles, ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user)
        .setIssuer('dangjian')
        .setAudience('dangjian-api')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(JWT_SECRET));
    },
    async close() {
      pgProxy?.restore();
      redisProxy?.restore();
      await Promise.all(nodes.map((n) => n.stop('SIGKILL').catch(() => {})));
      await pgProxy?.close();
      await redisProxy?.close();
      await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
      await sql.end();
    },
  };
}

/** A subscription that records what arrives, for assertions after the fact. */
export function record<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const results: GqlResult<T>[] = [];
  let error: unknown = null;
  let completed = false;
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => void results.push(value as GqlResult<T>),
      error: (e) => void (error = e),
      complete: () => void (completed = true),
    },
  );
  return {
    results,
    get error() {
      return error;
    },
    get completed() {
      return completed;
    },
    unsubscribe,
    /** Resolves once `predicate` holds, failing after `timeoutMs`. */
    async until(predicate: (results: GqlResult<T>[]) => boolean, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(results)) {
        if (error) throw new Error(`subscription failed: ${JSON.stringify(error)}`);
        if (Date.now() > deadline)
          throw new Error(`subscription: condition not met within ${timeoutMs} ms; got ${JSON.stringify(results)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return results;
    },
  };
}

/** Polls until `check` resolves truthy; returns the time it took. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (true) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
