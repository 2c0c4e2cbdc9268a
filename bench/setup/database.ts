/** The benchmark's data: a PostgreSQL database and an embedded one, migrated and seeded by the product's CLI. */
import { rm } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import pg from 'pg';
import { run } from '../lib/proc.ts';
import type { BenchContext } from './context.ts';
import { bin } from './paths.ts';

/** The ids every contender is asked about, and the size of the seeded data. */
export interface Fixture {
  rootId: string;
  committeeId: string;
  organizations: number;
  members: number;
}

/** Whether something listens at host:port (PostgreSQL and Redis are optional). */
export function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const socket = netConnect({ host, port, timeout: 1000 });
    socket.once('connect', () => (socket.destroy(), res(true)));
    socket.once('error', () => res(false));
    socket.once('timeout', () => (socket.destroy(), res(false)));
  });
}

/** Creates the database named in the URL when missing. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (name === 'test') throw new Error('refusing to benchmark on the "test" database (the test suite owns it)');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '')}"`);
  } finally {
    await client.end();
  }
}

/** Migrates and seeds (scale data) through the product's own CLI, skipping the seed when data is there. */
export async function prepare(ctx: BenchContext, env: Record<string, string>, label: string): Promise<void> {
  const started = performance.now();
  // The smoke run's data is tiny and compared across contenders: a database left by an older version (seeded
  // under other rules, e.g. dues before the standard) would disagree with a fresh one. Both start empty.
  if (ctx.options.smoke && env.DATABASE_URL) await emptyDatabase(env.DATABASE_URL);
  if (ctx.options.smoke && env.DANGJIAN_DATA_DIR) await rm(env.DANGJIAN_DATA_DIR, { recursive: true, force: true });
  await run(process.execPath, [bin, 'migrate', 'deploy'], env);
  const out = await run(process.execPath, [bin, 'seed', '--scale', ...ctx.options.seedArgs], env);
  ctx.log(`${label}: ${out.trim().split('\n').pop()} (${Math.round(performance.now() - started)} ms)`);
}

/** Drops everything in the database's public schema (the smoke database only). */
async function emptyDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
  } finally {
    await client.end();
  }
}

/** The fixture of the PostgreSQL database at this URL. */
export async function fixtureFromPg(url: string): Promise<Fixture> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fixtureFrom((sql) => client.query(sql).then((r) => r.rows));
  } finally {
    await client.end();
  }
}

/** The fixture of the embedded database in this folder. */
export async function fixtureFromPglite(dir: string): Promise<Fixture> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dir);
  try {
    return await fixtureFrom(async (sql) => (await db.query(sql)).rows as Record<string, unknown>[]);
  } finally {
    await db.close();
  }
}

async function fixtureFrom(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<Fixture> {
  const [root] = await query(`SELECT id FROM "Organization" WHERE "parentId" IS NULL AND kind = 'WORKING_COMMITTEE' ORDER BY code LIMIT 1`);
  const [committee] = await query(`SELECT id FROM "Organization" WHERE kind = 'COMMITTEE' ORDER BY depth, code LIMIT 1`);
  const [counts] = await query(`SELECT (SELECT count(*) FROM "Organization")::int AS o, (SELECT count(*) FROM "Member")::int AS m`);
  if (!root || !committee) throw new Error('no scale data (working committee and committees) found');
  return { rootId: String(root.id), committeeId: String(committee.id), organizations: Number(counts!.o), members: Number(counts!.m) };
}
