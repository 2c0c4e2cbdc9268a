/**
 * The peer benchmark: our server and its peers side by side, in one run, on the same PostgreSQL data.
 *
 *   npm run bench                     full run (~20 min), writes bench/RESULTS.md
 *   npm run bench -- --smoke          every scenario and contender for 0.3 s on a tiny dataset; checks that
 *                                     every contender gives the same, correct answer; writes nothing
 *   npm run bench -- --only s1,s4     some scenarios (full durations, no RESULTS.md)
 *   npm run bench -- --only s4 --subscribers 10000   other fan-out sizes
 *   npm run bench -- --only import    the import benchmark (100k members by CLI and API, both databases;
 *                                     --import-rows N for another size; BENCH_IMPORT_PATHS=cli for one path)
 *
 * Environment: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/bench, or …/bench_smoke
 * in smoke mode; created, migrated and seeded when missing), BENCH_REDIS_URL (default
 * redis://127.0.0.1:6379; scenario 5 is skipped when Redis does not answer), BENCH_SKIP_PGLITE=1 (s6–s8 on
 * PostgreSQL only: no embedded database to seed, for a loaded machine).
 *
 * Set-up is in setup/, each scenario in scenarios/, the text of the report in report.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderReport, spliceReport, summaryLine } from './report.ts';
import { emptyResults } from './results.ts';
import { runScenarios } from './scenarios/index.ts';
import { createContext } from './setup/context.ts';
import { prepareEnvironment } from './setup/environment.ts';
import { node24 } from './setup/node24.ts';
import { isFullRun, parseOptions, wants } from './setup/options.ts';
import { cacheDir, resultsFile } from './setup/paths.ts';
import { runFacts } from './setup/run-facts.ts';

const startedAt = Date.now();
const ctx = createContext(parseOptions(process.argv.slice(2), process.env));
const { options } = ctx;
process.on('SIGINT', () => void ctx.stopAll().then(() => process.exit(130)));

const results = emptyResults();
try {
  // PostGraphile's Node (a download on a fresh clone) is fetched while the databases are prepared.
  if (wants(options, 's2')) void node24(ctx);
  const env = await prepareEnvironment(ctx);
  const ours = env.fixtures.get('ours');
  if (ours) results.data = { organizations: ours.organizations, members: ours.members };
  await runScenarios(ctx, env, results);
} catch (error) {
  ctx.fail(`run aborted: ${(error as Error).stack ?? String(error)}`);
} finally {
  await ctx.stopAll();
}
// A full run is recorded even when a check failed: the failures are listed with it.
if (isFullRun(options)) for (const f of ctx.failures) ctx.note(`check failed: ${f.split('\n')[0]}`);
const text = renderReport({ results, notes: ctx.notes, settings: options, facts: runFacts(startedAt, Date.now()) });
writeFileSync(resolve(cacheDir, options.smoke ? 'last-smoke.md' : 'last-run.md'), `${text}\n`);
if (isFullRun(options)) {
  writeFileSync(resultsFile, spliceReport(existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : null, text));
  ctx.log('wrote bench/RESULTS.md');
} else {
  console.log(text);
}
ctx.log(summaryLine(ctx.failures, Math.round((Date.now() - startedAt) / 1000)));
process.exit(ctx.failures.length === 0 ? 0 : 1);
