import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const require = createRequire(import.meta.url);
// One graphql module for every package — the one Node itself resolves for the (externalized) server
// libraries — or instanceof checks fail across "realms" and typed errors get masked.
const alias = { graphql: require.resolve('graphql') };

const postgresUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

const unitTests = ['packages/*/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'bench/**/*.test.ts'];
const appTests = ['test/**/*.test.ts', 'plugins/*/test/**/*.test.ts'];
/** Tests that talk to a database run again on PostgreSQL (and Redis) when CI provides them. */
const databaseTests = ['packages/db/src/**/*.test.ts', 'packages/core/src/**/*.db.test.ts', ...appTests];

// isolate: false — each worker imports the server, the schema and the database drivers once and runs its
// test files one after another with them, instead of re-importing everything for each of ~100 files: the
// embedded suite spent more of its time importing than testing (CPU time 347 s → 220 s on this machine).
// Test files therefore must not leave global state behind (env changes, mocks, module-level singletons
// they mutate): each starts its own server and database, as startTestServer does.
const shared = { resolve: { alias }, test: { testTimeout: 60_000, hookTimeout: 120_000, isolate: false } } as const;

/**
 * Unit test files that replace a module with vi.mock need a module graph of their own (a module another
 * file loaded first would keep its real imports): found by reading the files, so a new one is not
 * forgotten, and run isolated in a project of their own.
 */
function testFilesUsingViMock(dirs: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(`${import.meta.dirname}/${dir}`, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts') && /\bvi\.(do)?mock\(/.test(readFileSync(`${import.meta.dirname}/${path}`, 'utf8')))
        found.push(path);
    }
  };
  // Paths relative to the repository root, as `include` reads them, whatever the working directory.
  for (const dir of dirs) if (existsSync(`${import.meta.dirname}/${dir}`)) walk(dir);
  return found;
}
const mockingTests = testFilesUsingViMock(['packages', 'plugins', 'bench']);

/**
 * Test files that take far longer than the others, started first: on a fresh clone vitest knows no
 * durations and starts the largest files first, so the smallest file — the benchmark smoke run, a minute of
 * child processes — started last and the run waited for it alone. The same for the other files of a minute
 * or more (child processes, the WASM schema engine): sorted by size they came last, and the run ended with
 * two of them alone on the workers. Listed in the order they start.
 */
const longFiles = [
  'test/bench-smoke.test.ts',
  'test/cli.test.ts',
  'packages/db/src/migrate/drift.test.ts',
  'packages/db/src/migrate/runner.test.ts',
  'test/data/cli-import.test.ts',
  'test/security/personal-data.test.ts',
  'test/security/audit.test.ts',
  'test/hostile-input.test.ts',
];

class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const long = (spec: TestSpecification) => longFiles.some((f) => spec.moduleId.endsWith(`/${f}`));
    const rank = (spec: TestSpecification) => longFiles.findIndex((f) => spec.moduleId.endsWith(`/${f}`));
    return [...sorted.filter(long).sort((a, b) => rank(a) - rank(b)), ...sorted.filter((spec) => !long(spec))];
  }
}

export default defineConfig({
  test: {
    reporters: ['default'],
    sequence: { sequencer: LongFilesFirst },
    // One worker more than cores: application tests wait on sockets, timers and the database, and with one
    // worker per core the embedded suite used 137 % of two cores (vitest 310 s); with three, 190 % (213 s).
    maxWorkers: availableParallelism() + 1,
    projects: [
      {
        ...shared,
        test: {
          ...shared.test,
          name: 'unit',
          include: unitTests,
          exclude: ['**/node_modules/**', ...mockingTests],
          env: { DANGJIAN_TEST_DATABASE: 'embedded', DANGJIAN_TEST_REDIS: '' },
        },
      },
      {
        ...shared,
        test: {
          ...shared.test,
          name: 'unit-mocking',
          include: mockingTests,
          isolate: true,
          env: { DANGJIAN_TEST_DATABASE: 'embedded', DANGJIAN_TEST_REDIS: '' },
        },
      },
      {
        ...shared,
        test: {
          ...shared.test,
          name: 'app',
          include: appTests,
          // One migrated and seeded embedded database per run; each test file starts from a copy of it.
          globalSetup: ['packages/testing/src/global-setup.ts'],
          // Multi-process tests need PostgreSQL and Redis: they run once, in the postgres project, or are
          // reported here as skipped (with the reason) when there is none.
          exclude: postgresUrl ? ['**/node_modules/**', 'test/scale/**'] : ['**/node_modules/**'],
          env: { DANGJIAN_TEST_DATABASE: 'embedded', DANGJIAN_TEST_REDIS: '' },
        },
      },
      ...(postgresUrl
        ? [
            {
              ...shared,
              test: {
                ...shared.test,
                name: 'postgres',
                include: databaseTests,
                exclude: ['test/schema.test.ts', 'test/bench-smoke.test.ts', 'test/release.test.ts'],
                env: { DANGJIAN_TEST_DATABASE: postgresUrl, DANGJIAN_TEST_REDIS: redisUrl ?? '' },
              },
            },
          ]
        : []),
    ],
  },
});
