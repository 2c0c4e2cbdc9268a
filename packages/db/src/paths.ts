import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationPaths } from './migrate/runner.ts';

/** The repository root, where `prisma/` lives. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The project's own migration history and multi-file Prisma schema. */
export const projectMigrationPaths: MigrationPaths = {
  migrationsDir: resolve(repoRoot, 'prisma/migrations'),
  schemaDir: resolve(repoRoot, 'prisma/schema'),
};
