import { randomBytes } from 'node:crypto';
import type { Database, OpenOptions } from './database.ts';
import { dropPostgresSchema, openDatabase } from './database.ts';
import { migrateDeploy } from './migrate/runner.ts';
import type { DatabaseOptions } from './options.ts';
import { projectMigrationPaths } from './paths.ts';

/**
 * The database a test suite should use: the embedded PGlite in memory, or — when the test project sets
 * `DANGJIAN_TEST_DATABASE` to a PostgreSQL URL — a fresh schema of its own on that server.
 */
export function testDatabaseOptions(): DatabaseOptions {
  const target = process.env.DANGJIAN_TEST_DATABASE;
  if (!target || target === 'embedded') return { kind: 'embedded', dataDir: 'memory://' };
  const url = new URL(target);
  url.searchParams.set('schema', `t_${randomBytes(6).toString('hex')}`);
  return { kind: 'postgres', url: url.toString(), poolSize: 5, connectionTimeoutMs: 5000 };
}

/** A migrated database for one test file, and a `dispose` that drops what it created. */
export async function openTestDatabase(open: OpenOptions = {}): Promise<{ db: Database; options: DatabaseOptions; dispose: () => Promise<void> }> {
  const options = testDatabaseOptions();
  const db = await openDatabase(options, open);
  await migrateDeploy(db, projectMigrationPaths);
  return {
    db,
    options,
    async dispose() {
      await db.close();
      if (options.kind === 'postgres') await dropPostgresSchema(options);
    },
  };
}
