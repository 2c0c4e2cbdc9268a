import { createHash } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import type { Database } from '../database.ts';
import { startSchemaEngine } from './engine.ts';
import { readMigrations, readSchemaFiles, writeMigration } from './files.ts';

/** Where the migration history and the Prisma schema live. */
export interface MigrationPaths {
  migrationsDir: string;
  schemaDir: string;
}

/** A migration command failed; `message` carries the database's own error text. */
export class MigrationError extends Error {
  constructor(
    message: string,
    /** Migrations involved in the failure, when known. */
    readonly migrations: string[] = [],
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

const filters = { externalTables: [], externalEnums: [] };

/** Remembers what the engine connects so that every connection (and its advisory lock) is released. */
function tracking(factory: SqlMigrationAwareDriverAdapterFactory) {
  const opened: SqlDriverAdapter[] = [];
  const track = async (adapter: Promise<SqlDriverAdapter>) => {
    const a = await adapter;
    opened.push(a);
    return a;
  };
  const wrapped: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    connectToShadowDb: () => track(factory.connectToShadowDb()),
  };
  const releaseAll = async () => {
    for (const adapter of opened.splice(0)) {
      // PGlite keeps one session for the whole process, so the engine's advisory lock must be let go of explicitly.
      await adapter.executeRaw({ sql: 'SELECT pg_advisory_unlock_all()', args: [], argTypes: [] }).catch(() => {});
      await adapter.dispose().catch(() => {});
    }
  };
  return { wrapped, releaseAll };
}

type Explain = (error: unknown) => string;

/** The Prisma schema files as the engine's `schema` parameters take them. */
type SchemaFiles = { files: { path: string; content: string }[] };

async function withEngine<T>(
  db: Database,
  paths: MigrationPaths,
  run: (engine: SchemaEngine, list: MigrationList, explain: Explain, schema: SchemaFiles) => Promise<T>,
): Promise<T> {
  const [schemaFiles, list] = await Promise.all([readSchemaFiles(paths.schemaDir), readMigrations(paths.migrationsDir)]);
  const { wrapped, releaseAll } = tracking(db.migrationFactory());
  let started: Awaited<ReturnType<typeof startSchemaEngine>> | undefined;
  try {
    started = await startSchemaEngine(wrapped, schemaFiles);
    return await run(started.engine, list, started.explain, { files: schemaFiles.map(([path, content]) => ({ path, content })) });
  } catch (error) {
    if (error instanceof MigrationError || !started) throw error;
    throw new MigrationError(started.explain(error));
  } finally {
    started?.engine.free();
    await releaseAll();
  }
}

/** Result of `migrate deploy`. */
export interface DeployResult {
  applied: string[];
}

/**
 * Applies pending migrations in name order (`prisma migrate deploy`). Each migration script is sent as
 * one statement batch, so PostgreSQL runs it atomically: when it fails, nothing of it stays, the
 * migration is marked rolled back, and a later deploy of a corrected script proceeds.
 */
export async function migrateDeploy(db: Database, paths: MigrationPaths): Promise<DeployResult> {
  return withEngine(db, paths, async (engine, migrationsList, explain) => {
    const before = await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters });
    if (before.failedMigrationNames.length > 0) {
      throw new MigrationError(
        `migrations ${before.failedMigrationNames.join(', ')} failed earlier and are not marked rolled back; ` +
          'check the database by hand, then mark them rolled back or applied',
        before.failedMigrationNames,
      );
    }
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters });
      return { applied: appliedMigrationNames };
    } catch (error) {
      const after = await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters });
      for (const migrationName of after.failedMigrationNames) await engine.markMigrationRolledBack({ migrationName });
      throw new MigrationError(explain(error), after.failedMigrationNames);
    }
  });
}

/**
 * Fast path for restarts: when `_prisma_migrations` already holds every local migration, finished,
 * with the same checksum, and nothing failed, there is nothing to deploy — so the WebAssembly engine
 * (about a second to start, and its memory) is not loaded at all. Anything else goes to the engine.
 */
async function isUpToDate(db: Database, paths: MigrationPaths): Promise<boolean> {
  const list = await readMigrations(paths.migrationsDir);
  let rows: { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }[];
  try {
    rows = await db.client.$queryRawUnsafe('SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations');
  } catch {
    return false;
  }
  if (rows.some((r) => r.finished_at === null && r.rolled_back_at === null)) return false;
  const applied = new Map(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r.checksum]));
  return list.migrationDirectories.every((dir) => {
    const content = dir.migrationFile.content;
    return content.tag === 'ok' && applied.get(dir.path) === createHash('sha256').update(content.value).digest('hex');
  });
}

/** One migration and where it stands. */
export interface MigrationState {
  name: string;
  state: 'applied' | 'pending' | 'failed' | 'edited' | 'missing-locally';
  appliedAt: Date | null;
}

/** Result of `migrate status`. */
export interface StatusResult {
  migrations: MigrationState[];
  upToDate: boolean;
}

/** Compares the migrations folder with `_prisma_migrations` (`prisma migrate status`). */
export async function migrateStatus(db: Database, paths: MigrationPaths): Promise<StatusResult> {
  return withEngine(db, paths, async (engine, migrationsList) => {
    const diag = await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters });
    const rows = diag.hasMigrationsTable
      ? await db.client.$queryRawUnsafe<{ migration_name: string; finished_at: Date | null }[]>(
          'SELECT migration_name, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL ORDER BY migration_name',
        )
      : [];
    const applied = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.finished_at]));
    const local = migrationsList.migrationDirectories.map((d) => d.path);
    const migrations: MigrationState[] = local.map((name) => ({
      name,
      appliedAt: applied.get(name) ?? null,
      state: diag.failedMigrationNames.includes(name)
        ? 'failed'
        : diag.editedMigrationNames.includes(name)
          ? 'edited'
          : applied.has(name)
            ? 'applied'
            : 'pending',
    }));
    for (const [name, appliedAt] of applied) {
      if (!local.includes(name)) migrations.push({ name, appliedAt, state: 'missing-locally' });
    }
    return { migrations, upToDate: migrations.every((m) => m.state === 'applied') };
  });
}

/** Result of `migrate dev`. */
export interface DevResult {
  /** Folder name of the new migration, or null when the schema matched the history. */
  created: string | null;
  applied: string[];
  warnings: string[];
}

/**
 * Creates a migration from the difference between the migration history and the Prisma schema
 * (`prisma migrate dev --name X`), in the order the Prisma CLI uses: diagnose, apply pending,
 * evaluate data loss, create, write, apply.
 */
export async function migrateDev(
  db: Database,
  paths: MigrationPaths,
  name: string,
  options: { createOnly?: boolean } = {},
): Promise<DevResult> {
  if (!/^[a-z0-9_]+$/i.test(name)) throw new MigrationError(`migration name "${name}" must be letters, digits and underscores`);
  // Two developers (or sessions) creating migrations at once would each write the same change.
  const release = await lockDirectory(join(paths.migrationsDir, '.dev-lock'));
  try {
    return await createAndApply(db, paths, name, options);
  } finally {
    await release();
  }
}

async function lockDirectory(lock: string): Promise<() => Promise<void>> {
  await mkdir(dirname(lock), { recursive: true });
  const deadline = Date.now() + 300_000;
  while (true) {
    try {
      await mkdir(lock);
      return () => rm(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 600_000) await rm(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new MigrationError(`another migrate dev holds ${lock}`);
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function createAndApply(db: Database, paths: MigrationPaths, name: string, options: { createOnly?: boolean }): Promise<DevResult> {
  return withEngine(db, paths, async (engine, migrationsList, _explain, schema) => {
    const diagnostic = await engine.devDiagnostic({ migrationsList, filters });
    if (diagnostic.action.tag === 'reset') {
      throw new MigrationError(`the database has drifted from the migration history and would need a reset: ${diagnostic.action.reason}`);
    }
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters });
    // The engine opens its shadow database only inside a diagnosis that opts in to one; without it,
    // evaluating a fresh database fails with "shadow DB must be provided through an external factory".
    await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: true, filters });
    const loss = await engine.evaluateDataLoss({ migrationsList, schema, filters });
    if (loss.unexecutableSteps.length > 0) {
      throw new MigrationError(`the change cannot be applied: ${loss.unexecutableSteps.map((s) => s.message).join('; ')}`);
    }
    const created = await engine.createMigration({ draft: false, migrationName: name, migrationsList, schema, filters });
    if (created.migrationScript === null) return { created: null, applied: appliedMigrationNames, warnings: [] };
    await writeMigration(paths.migrationsDir, created.generatedMigrationName, created.migrationScript);
    const applied = [...appliedMigrationNames];
    if (!options.createOnly) {
      const { appliedMigrationNames: more } = await engine.applyMigrations({
        migrationsList: await readMigrations(paths.migrationsDir),
        filters,
      });
      applied.push(...more);
    }
    return { created: created.generatedMigrationName, applied, warnings: loss.warnings.map((w) => w.message) };
  });
}

/**
 * The SQL that would take a database built from the committed migrations to the Prisma schema, or null
 * when there is none (`prisma migrate diff --from-migrations --to-schema --script --exit-code`): the drift
 * check. The migrations are replayed once, on the shadow database; `db` itself is not touched. It replaced
 * a `migrate dev` into a scratch copy in the test suite, which migrated a cluster and replayed the history
 * on the shadow database three times more (47 s of the embedded suite's busiest minute).
 */
export async function migrationDrift(db: Database, paths: MigrationPaths): Promise<string | null> {
  return withEngine(db, paths, async (engine, migrationsList, _explain, schema) => {
    const result = await engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', ...schema },
      script: true,
      exitCode: true,
      filters,
    });
    // exitCode 2: the diff is not empty.
    return result.exitCode === 2 ? (result.stdout ?? '(the engine printed no script)') : null;
  });
}
