/** How our server and the peers are started: their environments and processes. */
import { startProcess, type Proc } from '../lib/proc.ts';
import { DATA_KEYS, JWT_SECRET } from './auth.ts';
import type { BenchOptions } from './options.ts';
import { bin, peerScript } from './paths.ts';

export type Database = 'postgres' | 'pglite';

/** Our server as production runs it, on PostgreSQL or the embedded database. */
export function oursEnv(options: BenchOptions, database: Database, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    JWT_SECRET,
    ...DATA_KEYS,
    HOST: '127.0.0.1',
    PORT: '0',
    // One benchmark user sends thousands of requests a second: lift the per-user budget (the limiter still runs).
    RATE_LIMIT_PER_MINUTE: '10000000',
    RATE_LIMIT_PER_FIELD_PER_MINUTE: '10000000',
    REDIS_URL: '',
    // The reminder checks (graphile-worker's polling on PostgreSQL) are background work of the product, not of
    // a request: off, so the peers and ours answer requests on the same footing.
    DANGJIAN_REMINDERS: 'off',
    ...(database === 'postgres'
      ? { DATABASE_URL: options.pgUrl, DANGJIAN_DATA_DIR: '' }
      : { DATABASE_URL: '', DANGJIAN_DATA_DIR: options.pgliteDir, BENCH_COUNT_PGLITE: '1' }),
    ...extra,
  };
}

/** `dangjian serve` under a name of its own (the name picks BENCH_OURS_NODE_ARGS in proc.ts). */
export function startOurs(options: BenchOptions, name: string, database: Database, extra: Record<string, string> = {}): Promise<Proc> {
  return startProcess({ name, args: [bin, 'serve'], env: oursEnv(options, database, extra) });
}

/** A peer server from bench/peers, on the same PostgreSQL data. */
export function startPeer(
  options: BenchOptions,
  name: string,
  script: string,
  extra: Record<string, string> = {},
  node?: string,
): Promise<Proc> {
  return startProcess({
    name,
    node,
    args: [peerScript(script)],
    env: { DATABASE_URL: options.pgUrl, PORT: '0', NODE_ENV: 'production', ...extra },
  });
}
