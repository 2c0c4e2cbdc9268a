import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { pgliteMigrationFactory, postgresMigrationFactory } from './adapters.ts';
import { analyzeChangedTables } from './auto-analyze.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { instrumentedFactory, StatementInstrument, type PoolStats, type StatementHook } from './instrument.ts';
import type { DatabaseOptions } from './options.ts';
import { parsePostgresUrl } from './options.ts';
import { CatalogSafePool, poolConfig, withAdminClient } from './pg-pool.ts';

/** An open database: the Prisma client plus what migrations, health checks and shutdown need. */
export interface Database {
  readonly kind: DatabaseOptions['kind'];
  /** Human-readable location, never including a password. */
  readonly location: string;
  /** PostgreSQL only: the connection URL (with its password), for tools that open their own pool (the job queue). */
  readonly url?: string;
  readonly client: PrismaClient;
  /** A fresh migration-aware adapter factory for the schema engine (dispose what it connects). */
  migrationFactory(): SqlMigrationAwareDriverAdapterFactory;
  /** Resolves when the database answers `SELECT 1`; rejects otherwise. */
  ping(): Promise<void>;
  /** Connections in use, idle and waiting, read when asked (metrics). */
  poolStats(): PoolStats;
  /** Passes every SQL statement of the Prisma client through `hook` (tracing); null removes it. */
  instrument(hook: StatementHook | null): void;
  close(): Promise<void>;
  /** Embedded only: the whole data folder as a tar (tests clone a migrated, seeded database from it). */
  dumpDataDir?(): Promise<Blob>;
  /**
   * Embedded only (a server has autovacuum): analyzes the tables changed enough since their last ANALYZE
   * (`analyzeChangedTables`) and returns their names.
   */
  analyzeChanged?(): Promise<string[]>;
}

export interface OpenOptions {
  /** Called with every SQL statement the Prisma client sends (tests count them). */
  onQuery?: (sql: string) => void;
  /** Embedded only: start from a data folder dumped by `dumpDataDir` instead of an empty cluster. */
  loadDataDir?: Blob;
  /**
   * Embedded only, for a cluster whose data folder is dumped and copied many times (the test suite's
   * templates): 1 MB WAL segments and at most two kept, so a dump carries ~2 MB of WAL instead of two
   * 16 MB segments — half of the template's bytes, read and unpacked again by every test file.
   */
  compactWal?: boolean;
}

/**
 * PostgreSQL settings of the embedded database, on top of PGlite's own start-up flags. PGlite's initdb
 * leaves PostgreSQL's 128 MB of shared buffers, all of it inside the WebAssembly heap of the server
 * process; one connection over a data folder the OS caches anyway needs far less. 16 MB takes about
 * 100 MB off the idle RSS of `dangjian start` (bench/RESULTS.md, "Idle RSS").
 */
const EMBEDDED_SETTINGS = ['shared_buffers=16MB'];
const COMPACT_WAL_SETTINGS = ['min_wal_size=2MB', 'max_wal_size=32MB'];

/** Opens the embedded PGlite database or a PostgreSQL pool, ready for queries (not yet migrated). */
export async function openDatabase(options: DatabaseOptions, open: OpenOptions = {}): Promise<Database> {
  const log = open.onQuery ? ([{ emit: 'event', level: 'query' }] as const) : undefined;
  if (options.kind === 'embedded') {
    const inMemory = options.dataDir.startsWith('memory://');
    const dataDir = inMemory ? options.dataDir : resolve(options.dataDir);
    if (!inMemory) mkdirSync(dataDir, { recursive: true });
    const settings = open.compactWal ? [...EMBEDDED_SETTINGS, ...COMPACT_WAL_SETTINGS] : EMBEDDED_SETTINGS;
    const pglite = await PGlite.create(dataDir, {
      startParams: [...PGlite.defaultStartParams, ...settings.flatMap((setting) => ['-c', setting])],
      ...(open.compactWal ? { initDbStartParams: ['--wal-segsize=1'] } : {}),
      ...(open.loadDataDir ? { loadDataDir: open.loadDataDir } : {}),
    });
    const statements = new StatementInstrument();
    const client = new PrismaClient({
      adapter: instrumentedFactory(new PrismaPGlite(pglite), statements),
      log: log ? [...log] : undefined,
    });
    if (open.onQuery) client.$on('query' as never, (e: { query: string }) => open.onQuery?.(e.query));
    return {
      kind: 'embedded',
      location: inMemory ? 'in memory' : dataDir,
      client,
      migrationFactory: () => pgliteMigrationFactory(pglite),
      async ping() {
        await pglite.query('SELECT 1');
      },
      // One connection: busy while a statement runs; further statements queue behind it.
      poolStats: () => ({
        max: 1,
        inUse: Math.min(statements.inFlight, 1),
        idle: statements.inFlight > 0 ? 0 : 1,
        waiting: Math.max(statements.inFlight - 1, 0),
      }),
      instrument: (hook) => void (statements.hook = hook),
      async close() {
        await client.$disconnect();
        if (!pglite.closed) await pglite.close();
      },
      dumpDataDir: () => pglite.dumpDataDir('none'),
      analyzeChanged: () => analyzeChangedTables(pglite),
    };
  }
  const target = parsePostgresUrl(options.url);
  const pool = new CatalogSafePool(poolConfig(target, options));
  // An idle client dropped by the server must not crash the process; the next checkout reconnects.
  pool.on('error', () => {});
  const statements = new StatementInstrument();
  const client = new PrismaClient({
    adapter: instrumentedFactory(new PrismaPg(pool, { schema: target.schema }), statements),
    log: log ? [...log] : undefined,
  });
  if (open.onQuery) client.$on('query' as never, (e: { query: string }) => open.onQuery?.(e.query));
  const location = `postgres://${target.host}:${target.port}/${target.database}${target.schema === 'public' ? '' : ` (schema ${target.schema})`}`;
  return {
    kind: 'postgres',
    location,
    url: options.url,
    client,
    migrationFactory: () => postgresMigrationFactory(target, options),
    async ping() {
      await pool.query('SELECT 1');
    },
    poolStats: () => ({
      max: pool.options.max,
      inUse: pool.totalCount - pool.idleCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
    instrument: (hook) => void (statements.hook = hook),
    async close() {
      await client.$disconnect();
      await pool.end();
    },
  };
}

/** Drops a PostgreSQL schema and everything in it (tests use one fresh schema per run). */
export async function dropPostgresSchema(options: Extract<DatabaseOptions, { kind: 'postgres' }>): Promise<void> {
  const target = parsePostgresUrl(options.url);
  if (target.schema === 'public') throw new Error('refusing to drop the public schema');
  await withAdminClient(poolConfig(target, options), (client) => client.query(`DROP SCHEMA IF EXISTS "${target.schema}" CASCADE`));
}
