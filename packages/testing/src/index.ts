export {
  startTestServer,
  nextResults,
  gqlAllPages,
  TEST_JWT_SECRET,
  type TestServer,
  type TestServerOptions,
  type GqlResult,
} from './server.ts';
export { BIN, baseEnv, cliDatabaseEnv, runCli, spawnCli, startCli, type CliResult } from './cli.ts';
export { ATTACH_FILE, get, htmlAsPdf, pdf, upload } from './files.ts';
export { globalId, orgId } from './ids.ts';
export { addMembers, insertTree } from './tree.ts';
export { expectSqlFixture, normalizeSql, sqlRecorder, sqlSchemas } from './sql-fixtures.ts';
export { DEVELOPMENT_STEP_OFFSETS, PASSING_VOTE, developmentStepInput, walkDevelopmentSteps } from './development.ts';
