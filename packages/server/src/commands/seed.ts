import { say } from '../cli-io.ts';
import {
  buildDemoDataset,
  buildScaleDataset,
  insertDataset,
  isSeeded,
  openDatabase,
  type Database,
  type PersonalDataVault,
} from '@dangjian/db';
import type { Config } from '../config.ts';
import { openVault } from '../personal-data.ts';

export interface SeedOptions {
  scale?: boolean;
  organizations?: number;
  members?: number;
  /** Seed even when the database already has organizations. */
  force?: boolean;
}

/** Inserts demo (or synthetic scale) data in one transaction; returns false when skipped. */
export async function seedDatabase(db: Database, vault: PersonalDataVault, options: SeedOptions = {}, log = say): Promise<boolean> {
  if (!options.force && (await isSeeded(db.client))) {
    log('database already has organizations: not seeding (use --force to add anyway)');
    return false;
  }
  const started = performance.now();
  const dataset = options.scale
    ? buildScaleDataset({ organizations: options.organizations ?? 10_000, members: options.members ?? 100_000 })
    : buildDemoDataset();
  await insertDataset(db.client, dataset, vault);
  // A bulk load leaves the planner without statistics until autovacuum gets round to the tables: the
  // first nested reads would be planned blind (and index-only scans would still visit the heap).
  if (options.scale) await db.client.$executeRawUnsafe('VACUUM (ANALYZE)');
  log(
    `seeded ${dataset.organizations.length} organizations, ${dataset.members.length} members, ${dataset.cadres.length} cadres ` +
      `in ${Math.round(performance.now() - started)} ms`,
  );
  return true;
}

/** `dangjian seed [--scale] [--organizations N] [--members N] [--force]`. */
export async function seed(config: Config, options: SeedOptions): Promise<number> {
  const db = await openDatabase(config.database);
  try {
    await seedDatabase(db, openVault(config), options);
    return 0;
  } finally {
    await db.close();
  }
}
