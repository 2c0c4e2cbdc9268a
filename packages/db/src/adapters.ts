import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseOptions, PostgresTarget } from './options.ts';
import { CatalogSafePool, poolConfig, withAdminClient } from './pg-pool.ts';

type PostgresOptions = Extract<DatabaseOptions, { kind: 'postgres' }>;

/**
 * pglite-prisma-adapter fires `exec` without awaiting it, so a failing migration script would be
 * reported as applied. Await it, so the schema engine sees the SQL error.
 */
function awaitingScripts(adapter: SqlDriverAdapter, run: (script: string) => Promise<unknown>): SqlDriverAdapter {
  return Object.assign(adapter, {
    async executeScript(script: string) {
      await run(script);
    },
  });
}

/**
 * An empty in-memory cluster, initialized once per process and kept as a dump: `migrate dev` opens a shadow
 * database for each of its four engine calls, and a new cluster's initdb takes 1.5 s of WASM where loading
 * the dump takes 0.35 s (the migration tests open a dozen shadows).
 */
let emptyCluster: Promise<File | Blob> | undefined;

async function freshShadow(): Promise<PGlite> {
  if (!emptyCluster) {
    const first = PGlite.create('memory://');
    emptyCluster = first.then((db) => db.dumpDataDir('none'));
    // A failed dump is not kept: the next shadow tries again.
    emptyCluster.catch(() => (emptyCluster = undefined));
    // The cluster dumped is still empty: it serves as this first shadow.
    await emptyCluster;
    return first;
  }
  return PGlite.create('memory://', { loadDataDir: await emptyCluster });
}

/** Migration-aware factory over an open PGlite instance; the shadow database is a fresh in-memory PGlite. */
export function pgliteMigrationFactory(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const base = new PrismaPGlite(pglite);
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    async connect() {
      return awaitingScripts(await base.connect(), (script) => pglite.exec(script));
    },
    async connectToShadowDb() {
      const shadow = await freshShadow();
      const adapter = await new PrismaPGlite(shadow).connect();
      return Object.assign(
        awaitingScripts(adapter, (script) => shadow.exec(script)),
        {
          async dispose() {
            await shadow.close();
          },
        },
      );
    },
  };
}

/**
 * Migration-aware factory for PostgreSQL. Prisma's own factory splits scripts on `;` (breaking `$$`
 * bodies) and, given a connection string, points its shadow database at the main one; this one sends
 * each script whole and builds the shadow connection from parsed fields, dropping it after its pool ends.
 */
export function postgresMigrationFactory(target: PostgresTarget, options: PostgresOptions): SqlMigrationAwareDriverAdapterFactory {
  const connectTo = async (database: string): Promise<SqlDriverAdapter> => {
    const pool = new CatalogSafePool({ ...poolConfig(target, options, database), max: 2 });
    const adapter = await new PrismaPg(pool, { schema: target.schema, disposeExternalPool: true }).connect();
    return awaitingScripts(adapter, (script) => pool.query(script));
  };
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async connect() {
      // The schema engine expects the target schema to exist; a fresh `?schema=` gets created here.
      if (target.schema !== 'public') {
        await withAdminClient(poolConfig(target, options), (client) => client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`));
      }
      return connectTo(target.database);
    },
    async connectToShadowDb() {
      const admin = poolConfig(target, options);
      const shadowName = `dangjian_shadow_${randomUUID().replaceAll('-', '')}`;
      await withAdminClient(admin, (client) => client.query(`CREATE DATABASE "${shadowName}"`));
      if (target.schema !== 'public') {
        await withAdminClient({ ...admin, database: shadowName }, (client) =>
          client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`),
        );
      }
      const adapter = await connectTo(shadowName);
      const dispose = adapter.dispose.bind(adapter);
      return Object.assign(adapter, {
        async dispose() {
          await dispose();
          await withAdminClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS "${shadowName}" WITH (FORCE)`));
        },
      });
    },
  };
}
