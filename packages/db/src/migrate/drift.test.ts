import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { dropPostgresSchema, openDatabase } from '../database.ts';
import { projectMigrationPaths } from '../paths.ts';
import { testDatabaseOptions } from '../testing.ts';
import { migrateDev } from './runner.ts';

const options = testDatabaseOptions();
const dir = await mkdtemp(join(tmpdir(), 'dangjian-drift-'));

afterAll(async () => {
  if (options.kind === 'postgres') await dropPostgresSchema(options);
  await rm(dir, { recursive: true, force: true });
});

it('the committed migrations produce exactly the Prisma schema (no drift, nothing to create)', async () => {
  // Work on a copy: a drift must fail this test, not write a migration into the repository.
  const paths = { migrationsDir: join(dir, 'migrations'), schemaDir: join(dir, 'schema') };
  await cp(projectMigrationPaths.migrationsDir, paths.migrationsDir, { recursive: true });
  await cp(projectMigrationPaths.schemaDir, paths.schemaDir, { recursive: true });
  const db = await openDatabase(options);
  try {
    const result = await migrateDev(db, paths, 'drift_check');
    const extra = result.created ? await readdir(join(paths.migrationsDir, result.created)) : [];
    expect(
      result.created,
      `schema changes without a migration; run: npx dangjian migrate dev --name <name> (${extra.join(',')})`,
    ).toBeNull();
  } finally {
    await db.close();
  }
  // Two clusters migrated and diffed by the WASM schema engine: ~20 s alone, and it starts first, beside the
  // suite's other heavy files (60 s was not enough on a busy machine).
}, 240_000);

it('prisma/schema holds the current copy of every plugin’s own Prisma file', async () => {
  const { readdir, readFile } = await import('node:fs/promises');
  const { existsSync } = await import('node:fs');
  const pluginsDir = join(projectMigrationPaths.schemaDir, '../../plugins');
  if (!existsSync(pluginsDir)) return;
  for (const plugin of await readdir(pluginsDir)) {
    const dir = join(pluginsDir, plugin, 'prisma');
    if (!existsSync(dir)) continue;
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.prisma'))) {
      const copy = join(projectMigrationPaths.schemaDir, file);
      expect(
        existsSync(copy) && (await readFile(copy, 'utf8')) === (await readFile(join(dir, file), 'utf8')),
        `${file}: run npm run build (or npm install) to sync it`,
      ).toBe(true);
    }
  }
});
