import pg from 'pg';
import type { DatabaseOptions, PostgresTarget } from './options.ts';
import { parsePostgresUrl } from './options.ts';

/** pg's OID for the one-byte internal `"char"` type used by PostgreSQL's catalogs. */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * A pool whose result metadata reports `"char"` columns as text. Prisma's pg adapter rejects OID 18,
 * which the schema engine meets in catalog queries (pg_constraint.contype …) while migrating.
 */
export class CatalogSafePool extends pg.Pool {
  override query(...args: unknown[]): any {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      return (result as Promise<pg.QueryResult>).then((res) => {
        for (const field of res.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
        return res;
      });
    }
    return result;
  }
}

/** Builds pg pool settings from parsed fields, so that a different database can be swapped in safely. */
export function poolConfig(
  target: PostgresTarget,
  options: Extract<DatabaseOptions, { kind: 'postgres' }>,
  database = target.database,
): pg.PoolConfig {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database,
    ssl: target.ssl ? { rejectUnauthorized: false } : undefined,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
    // Unqualified names (raw SQL, the schema engine's catalog queries) must land in the chosen schema.
    options: target.schema === 'public' ? undefined : `-c search_path="${target.schema}"`,
    application_name: 'dangjian',
  };
}

/** Opens one short-lived client for administrative statements (CREATE SCHEMA, CREATE DATABASE). */
export async function withAdminClient<T>(config: pg.PoolConfig, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...config, options: undefined });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export { parsePostgresUrl };
