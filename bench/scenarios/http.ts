/**
 * Scenarios 1–3 over HTTP, and 6 (our server on the embedded database as one more contender in them).
 * Every contender of the selected scenarios is started before the first one, so that all share the
 * machine alike, and stopped after the last.
 */
import type { BenchResults } from '../results.ts';
import type { Contender } from '../setup/contenders.ts';
import type { BenchContext } from '../setup/context.ts';
import type { BenchEnvironment } from '../setup/environment.ts';
import { wants } from '../setup/options.ts';
import { measureHttpScenario, type HttpScenario, type RunningContender } from './http-scenario.ts';
import { s1 } from './s1.ts';
import { s1t } from './s1t.ts';
import { s2 } from './s2.ts';
import { s2n } from './s2n.ts';
import { s3 } from './s3.ts';
import { dashboardScenarios } from './dashboard.ts';
import { s3d } from './s3d.ts';

/** In the order they run and are reported. */
export const httpScenarios: readonly HttpScenario[] = [s1, s1t, s2, s2n, s3, s3d, ...dashboardScenarios];

/** Fills results.http (one entry per scenario) and results.rss (per contender). */
export async function runHttpScenarios(
  ctx: BenchContext,
  env: BenchEnvironment,
  contenders: Map<string, Contender>,
  results: BenchResults,
): Promise<void> {
  // `--only s6` compares the databases on every HTTP scenario that has both.
  const scenarios = httpScenarios.filter(
    (s) =>
      wants(ctx.options, s.key) ||
      Boolean(s.group && ctx.options.only?.has(s.group)) ||
      // s6 compares the databases on scenarios 1–3; the dashboard (s7) measures both of its own accord.
      Boolean(ctx.options.only?.has('s6') && s.contenders.includes('ours-pglite') && !s.group),
  );
  if (!scenarios.length) return;
  const keys = [...new Set(scenarios.flatMap((s) => s.contenders))].filter(
    (k) => contenders.has(k) && (k !== 'ours-pglite' || env.runPglite),
  );
  ctx.log(`starting ${keys.join(', ')}`);
  const running = new Map<string, RunningContender>();
  await Promise.all(
    keys.map(async (key) => {
      const contender = contenders.get(key)!;
      const proc = await contender.start();
      ctx.track(proc);
      running.set(key, { contender, proc });
    }),
  );
  for (const s of scenarios) {
    const rows = await measureHttpScenario(ctx, s, running, env.fixtures);
    results.http.set(s.key, rows);
    s.report?.(ctx, rows);
  }
  // Every key's peak first: a process shared by two keys (s1t) is gone once the first of them stops it.
  for (const key of keys) results.rss.set(key, running.get(key)!.proc.peakRssMb());
  for (const key of keys) await running.get(key)!.proc.stop();
}
