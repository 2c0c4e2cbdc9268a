import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
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

async function readBlob(file: string): Promise<Blob> {
  return new Blob([(await readFile(file)) as Uint8Array<ArrayBuffer>]);
}

export interface TestDatabaseOptions extends OpenOptions {
  /**
   * A template written by `writeTestDatabaseTemplate`: on the embedded database the test's database is a
   * copy of it (already migrated, and seeded as the template was), instead of a fresh cluster migrated here.
   * Ignored on PostgreSQL.
   */
  template?: string;
}

/**
 * Migrates a fresh embedded database (or copies the template `from`), lets `seed` fill it, and writes its
 * data folder to `file`: every test file of a run can then start from a copy (`openTestDatabase({ template: file })`) in a fraction of the time
 * that initializing, migrating and seeding takes.
 */
export async function writeTestDatabaseTemplate(
  file: string,
  seed: (db: Database) => Promise<void> = async () => {},
  from?: string,
): Promise<void> {
  const loadDataDir = from ? await readBlob(from) : undefined;
  const db = await openDatabase({ kind: 'embedded', dataDir: 'memory://' }, { loadDataDir, compactWal: true });
  try {
    // A template made from another is migrated already.
    if (!from) await migrateDeploy(db, projectMigrationPaths);
    await seed(db);
    if (!from) {
      // The cluster's two template databases (~7 MB of catalogs each) are never used by a test: without
      // them every copy unpacks a third fewer files.
      for (const name of ['template0', 'template1']) {
        await db.client.$executeRawUnsafe(`ALTER DATABASE ${name} IS_TEMPLATE false`);
        await db.client.$executeRawUnsafe(`DROP DATABASE ${name}`);
      }
    }
    // The checkpoint lets PostgreSQL drop the WAL segments the dump would otherwise carry.
    await db.client.$executeRawUnsafe('CHECKPOINT');
    const dump = await db.dumpDataDir!();
    await writeFile(file, new Uint8Array(await dump.arrayBuffer()));
  } finally {
    await db.close();
  }
}

/** A migrated database for one test file, and a `dispose` that drops what it created. */
export async function openTestDatabase(
  open: TestDatabaseOptions = {},
): Promise<{ db: Database; options: DatabaseOptions; dispose: () => Promise<void> }> {
  const options = testDatabaseOptions();
  const { template, ...openOptions } = open;
  if (template && options.kind === 'embedded') {
    const db = await openDatabase(options, { ...openOptions, loadDataDir: await readBlob(template) });
    return { db, options, dispose: () => db.close() };
  }
  const db = await openDatabase(options, openOptions);
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
