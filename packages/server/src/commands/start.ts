import { say } from '../cli-io.ts';
import { isSeeded, migrateDeploy, openDatabase, projectMigrationPaths } from '@dangjian/db';
import type { Config } from '../config.ts';
import { openVault } from '../personal-data.ts';
import { seedDatabase } from './seed.ts';
import { serve } from './serve.ts';

/** `npm start`: migrate, seed demo data on the first run only, then serve. */
export async function start(config: Config): Promise<void> {
  const startedAt = performance.now();
  const db = await openDatabase(config.database);
  try {
    const { applied } = await migrateDeploy(db, projectMigrationPaths);
    if (applied.length) say(`dangjian: applied ${applied.length} migration(s)`);
    if (!(await isSeeded(db.client))) await seedDatabase(db, openVault(config), {}, (m) => say(`dangjian: ${m}`));
  } catch (error) {
    await db.close();
    throw error;
  }
  await serve(config, startedAt, db);
}
