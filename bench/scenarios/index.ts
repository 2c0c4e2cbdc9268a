/**
 * Runs the scenarios `--only` selects, in the order of a full run: HTTP (1–3, 6, 7), then the scheme ranking
 * (8), then fan-out (4), then Redis (5); the import benchmark only when named (`--only import`).
 */
import type { BenchResults } from '../results.ts';
import type { BenchContext } from '../setup/context.ts';
import { availableContenders } from '../setup/contenders.ts';
import type { BenchEnvironment } from '../setup/environment.ts';
import { wants } from '../setup/options.ts';
import { runHttpScenarios } from './http.ts';
import { runImportBench } from './import.ts';
import { runS4 } from './s4.ts';
import { runS5 } from './s5.ts';
import { runS8 } from './s8.ts';

/** Fills results as each scenario finishes, so that a run aborted later still reports what it measured. */
export async function runScenarios(ctx: BenchContext, env: BenchEnvironment, results: BenchResults): Promise<void> {
  if (wants(ctx.options, 'import')) await runImportBench(ctx, ctx.options.importRows);
  if (env.fixtures.size === 0) return;
  await runHttpScenarios(ctx, env, await availableContenders(ctx, env), results);
  // The scheme ranking (s8) runs its servers alone: each measures one request at a time.
  if (wants(ctx.options, 's8')) await runS8(ctx, env, results);
  // Subscriptions compare against peers and Redis on PostgreSQL only.
  if (wants(ctx.options, 's4') && env.havePostgres) await runS4(ctx, env, results);
  if (wants(ctx.options, 's5') && env.havePostgres) {
    if (env.haveRedis) await runS5(ctx, env, results);
    else ctx.warn(`Scenario 5 skipped: Redis at ${ctx.options.redisUrl} did not answer.`);
  }
}
