/** What one benchmark run does, from its command-line flags and BENCH_* environment variables. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { dataDir } from './paths.ts';

export interface BenchOptions {
  /** Every scenario and contender for a fraction of a second on a tiny dataset; writes nothing. */
  smoke: boolean;
  /** Scenario keys from `--only`, or null for every scenario. */
  only: ReadonlySet<string> | null;
  /** Measured rounds per contender. */
  rounds: number;
  /** Seconds per HTTP round. */
  duration: number;
  /** Seconds of discarded HTTP load before measuring (0: three single requests instead). */
  warmup: number;
  /** Scenario 4's fan-out sizes. */
  subscriberCounts: number[];
  /** Scenario 5's subscribers. */
  redisSubscribers: number;
  /** Mutations (events) per subscription round. */
  eventsPerRound: number;
  /** Extra arguments of `dangjian seed --scale`. */
  seedArgs: string[];
  pgUrl: string;
  redisUrl: string;
  /** The embedded database of scenario 6. */
  pgliteDir: string;
  /** Rows of the import benchmark's roster (`--import-rows`, default 100 000). */
  importRows: number;
}

/** Reads the flags (`--smoke`, `--only`, `--rounds`, `--duration`, `--subscribers`) and BENCH_* variables. */
export function parseOptions(args: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values: flags } = parseArgs({
    args,
    options: {
      smoke: { type: 'boolean' },
      only: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      subscribers: { type: 'string' },
      'import-rows': { type: 'string' },
    },
  });
  const smoke = Boolean(flags.smoke);
  return {
    smoke,
    only: flags.only ? new Set(flags.only.split(',').map((s) => s.trim())) : null,
    rounds: Number(flags.rounds ?? (smoke ? 1 : 3)),
    // A smoke round checks that every request of a concurrent burst succeeds, not speed: 0.3 s is enough,
    // and the smoke runs inside `npm test`, beside the rest of the suite.
    duration: Number(flags.duration ?? (smoke ? 0.3 : 8)),
    warmup: smoke ? 0 : 3,
    subscriberCounts: flags.subscribers ? flags.subscribers.split(',').map(Number) : smoke ? [20] : [1000, 5000, 10000],
    redisSubscribers: smoke ? 20 : 1000,
    eventsPerRound: smoke ? 2 : 5,
    seedArgs: smoke ? ['--organizations', '120', '--members', '600'] : [],
    pgUrl: env.BENCH_DATABASE_URL ?? `postgresql://postgres@127.0.0.1:5432/${smoke ? 'bench_smoke' : 'bench'}`,
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    pgliteDir: resolve(dataDir, smoke ? 'pglite-smoke' : 'pglite'),
    importRows: Number(flags['import-rows'] ?? 100_000),
  };
}

/** Scenarios run only when `--only` names them (they rewrite databases of their own and take minutes). */
export const ONLY_WHEN_NAMED: ReadonlySet<string> = new Set(['import']);

/** Whether `--only` (if given) selects this scenario. */
export const wants = (options: BenchOptions, scenario: string): boolean =>
  options.only ? options.only.has(scenario) : !ONLY_WHEN_NAMED.has(scenario);

/** Whether a selected scenario reads the seeded scale data (every one but those that bring their own). */
export const wantsScaleData = (options: BenchOptions): boolean => !options.only || [...options.only].some((s) => !ONLY_WHEN_NAMED.has(s));

/** A full run: every scenario at full length, recorded in RESULTS.md. */
export const isFullRun = (options: BenchOptions): boolean => !options.smoke && !options.only;
