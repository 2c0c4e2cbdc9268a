import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

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

const shared = { resolve: { alias }, test: { testTimeout: 60_000, hookTimeout: 120_000 } } as const;

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        ...shared,
        test: { ...shared.test, name: 'unit', include: unitTests, env: { DANGJIAN_TEST_DATABASE: 'embedded', DANGJIAN_TEST_REDIS: '' } },
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
