export { openDatabase, dropPostgresSchema, type Database, type OpenOptions } from './database.ts';
export { AUTOVACUUM_ANALYZE, worthAnalyzing } from './auto-analyze.ts';
export type { PoolStats, StatementHook } from './instrument.ts';
export { parsePostgresUrl, type DatabaseOptions, type PostgresTarget } from './options.ts';
export {
  migrateDeploy,
  migrateDev,
  migrationDrift,
  migrateStatus,
  MigrationError,
  type MigrationPaths,
  type DeployResult,
  type StatusResult,
  type DevResult,
  type MigrationState,
} from './migrate/runner.ts';
export { projectMigrationPaths, repoRoot } from './paths.ts';
export { PrismaClient, Prisma } from './generated/prisma/client.ts';
export type * from './generated/prisma/client.ts';
// The enums as values too: the GraphQL enums of core and plugins are built from them (Pothos `enumType(Enum, …)`).
export * from './generated/prisma/enums.ts';
export { buildDemoDataset, buildScaleDataset, insertDataset, isSeeded, type Dataset } from './seed/index.ts';
// The seed's people, for generated import files (bench): the same names, ages and valid national IDs.
export { PersonFactory, type Person } from './seed/people.ts';
export { Random } from './seed/random.ts';
export { isValidNationalId, nationalIdChecksum, birthDateFromNationalId } from './national-id.ts';
export {
  PersonalDataVault,
  PersonalDataError,
  parseDataKeys,
  parseLookupKey,
  keyringFrom,
  generateKeyText,
  type DataKey,
  type DataKeyring,
  type ProtectedField,
} from './personal-data.ts';
