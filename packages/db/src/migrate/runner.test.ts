import { cp, mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { dropPostgresSchema, openDatabase } from '../database.ts';
import type { DatabaseOptions } from '../options.ts';
import { testDatabaseOptions } from '../testing.ts';
import { MigrationError, migrateDeploy, migrateDev, migrateStatus, migrationDrift } from './runner.ts';

const schema = `datasource db {\n  provider = "postgresql"\n}\n\nmodel Note {\n  id   Int    @id @default(autoincrement())\n  text String\n}\n`;

async function tableExists(db: Database, name: string): Promise<boolean> {
  const rows = await db.client.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`,
    name,
  );
  return rows[0]!.n === 1;
}

describe('migration runner on the WASM schema engine', () => {
  let dir: string;
  let options: DatabaseOptions;
  let db: Database;
  const paths = () => ({ migrationsDir: join(dir, 'migrations'), schemaDir: join(dir, 'schema') });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dangjian-migrate-'));
    await mkdir(join(dir, 'schema'), { recursive: true });
    await writeFile(join(dir, 'schema', 'base.prisma'), schema);
    options = testDatabaseOptions();
    db = await openDatabase(options);
  });

  afterAll(async () => {
    await db?.close();
    if (options?.kind === 'postgres') await dropPostgresSchema(options);
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a migration from the schema diff, then finds nothing more to create', async () => {
    const first = await migrateDev(db, paths(), 'notes');
    expect(first.created).toMatch(/^\d{14}_notes$/);
    expect(first.applied).toEqual([first.created]);
    expect(await readdir(join(dir, 'migrations'))).toEqual(expect.arrayContaining([first.created, 'migration_lock.toml']));
    expect(await tableExists(db, 'Note')).toBe(true);

    const again = await migrateDev(db, paths(), 'nothing');
    expect(again.created).toBeNull();
  });

  it('finds no drift between the migrations and the schema, then the SQL of a change with no migration', async () => {
    expect(await migrationDrift(db, paths())).toBeNull();
    const changed = join(dir, 'changed');
    await cp(join(dir, 'schema'), changed, { recursive: true });
    await writeFile(join(changed, 'tag.prisma'), 'model Tag {\n  id   Int    @id\n  name String\n}\n');
    const drift = await migrationDrift(db, { ...paths(), schemaDir: changed });
    expect(drift).toMatch(/CREATE TABLE "Tag"/);
    // The check replays the history on the shadow database only: nothing of it reaches this one.
    expect(await tableExists(db, 'Tag')).toBe(false);
  });

  it('deploys idempotently and records one row per migration', async () => {
    expect((await migrateDeploy(db, paths())).applied).toEqual([]);
    const rows = await db.client.$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM _prisma_migrations');
    expect(rows[0]!.n).toBe(1);
    const status = await migrateStatus(db, paths());
    expect(status.upToDate).toBe(true);
    expect(status.migrations.map((m) => m.state)).toEqual(['applied']);
  });

  it('reports a pending migration, then a failing one leaves the database as it was', async () => {
    const bad = join(dir, 'migrations', '99990101000000_broken');
    await mkdir(bad);
    // The first statement succeeds on its own; the second fails, so the whole script must roll back.
    await writeFile(join(bad, 'migration.sql'), 'CREATE TABLE "Half" (id int);\nINSERT INTO "NoSuchTable" VALUES (1);\n');
    const status = await migrateStatus(db, paths());
    expect(status.upToDate).toBe(false);
    expect(status.migrations.at(-1)).toMatchObject({ name: '99990101000000_broken', state: 'pending' });

    const error = await migrateDeploy(db, paths()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toMatch(/NoSuchTable/);
    expect((error as MigrationError).migrations).toEqual(['99990101000000_broken']);
    expect(await tableExists(db, 'Half')).toBe(false);

    // Fixed script: the next deploy applies it, since the failure was recorded as rolled back.
    await writeFile(join(bad, 'migration.sql'), 'CREATE TABLE "Half" (id int);\n');
    expect((await migrateDeploy(db, paths())).applied).toEqual(['99990101000000_broken']);
    expect(await tableExists(db, 'Half')).toBe(true);
  });

  it('reports an applied migration whose file was edited', async () => {
    const [name] = (await readdir(join(dir, 'migrations'))).filter((n) => n.endsWith('_notes'));
    const file = join(dir, 'migrations', name!, 'migration.sql');
    await cp(file, `${file}.orig`);
    await writeFile(file, '-- edited\nSELECT 1;\n');
    const status = await migrateStatus(db, paths());
    expect(status.migrations.find((m) => m.name === name)?.state).toBe('edited');
    await cp(`${file}.orig`, file);
    await rm(`${file}.orig`);
  });
});
