import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { dropPostgresSchema, openDatabase } from '../database.ts';
import { projectMigrationPaths } from '../paths.ts';
import { testDatabaseOptions } from '../testing.ts';
import { migrationDrift } from './runner.ts';

const options = testDatabaseOptions();

afterAll(async () => {
  if (options.kind === 'postgres') await dropPostgresSchema(options);
});

it('the committed migrations produce exactly the Prisma schema (no drift, nothing to create)', async () => {
  const db = await openDatabase(options);
  try {
    const drift = await migrationDrift(db, projectMigrationPaths);
    expect(drift, `schema changes without a migration; run: npx dangjian migrate dev --name <name>\n${drift}`).toBeNull();
  } finally {
    await db.close();
  }
  // The history replayed once by the WASM schema engine on its shadow database: seconds alone, but it starts
  // first, beside the suite's other heavy files.
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
