/** What the run can use (PostgreSQL, Redis, the embedded database), with the data seeded and ready. */
import { mkdirSync } from 'node:fs';
import { bearerHeaders, type Headers } from './auth.ts';
import type { BenchContext } from './context.ts';
import { ensureDatabase, fixtureFromPg, fixtureFromPglite, prepare, reachable, type Fixture } from './database.ts';
import { wants, wantsScaleData } from './options.ts';
import { cacheDir, dataDir } from './paths.ts';
import { oursEnv } from './servers.ts';

export interface BenchEnvironment {
  havePostgres: boolean;
  haveRedis: boolean;
  /** Our server also runs on the embedded database (scenario 6, or the only choice without PostgreSQL). */
  runPglite: boolean;
  /** Our server's data ('ours'), and that of the embedded database ('ours-pglite') when it runs. */
  fixtures: Map<string, Fixture>;
  /** For our server on PostgreSQL (or on PGlite when PostgreSQL is missing). */
  bearer: Headers;
  pgliteBearer: Headers;
}

/** Finds PostgreSQL and Redis, then creates, migrates and seeds the databases the selected scenarios read. */
export async function prepareEnvironment(ctx: BenchContext): Promise<BenchEnvironment> {
  const { options } = ctx;
  const pg = new URL(options.pgUrl);
  const havePostgres = await reachable(pg.hostname, Number(pg.port || 5432));
  const redis = new URL(options.redisUrl);
  const haveRedis = await reachable(redis.hostname, Number(redis.port || 6379));
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(cacheDir, { recursive: true });

  // Data: PostgreSQL (peers need it) and the embedded database (scenario 6), prepared side by side: each is
  // mostly one CLI process migrating and seeding, and the smoke run (a test) waits for the slower of them.
  const fixtures = new Map<string, Fixture>();
  if (!wantsScaleData(options)) {
    // The import benchmark alone: it prepares databases of its own.
    return { havePostgres, haveRedis, runPglite: false, fixtures, bearer: {}, pgliteBearer: {} };
  }
  const preparePostgres = async () => {
    if (!havePostgres) {
      ctx.warn('PostgreSQL was not reachable: only our server on the embedded database ran; peers and PostgreSQL scenarios were skipped.');
      return;
    }
    await ensureDatabase(options.pgUrl);
    await prepare(ctx, oursEnv(options, 'postgres'), `PostgreSQL ${pg.pathname.slice(1)}`);
    fixtures.set('ours', await fixtureFromPg(options.pgUrl));
  };
  // The dashboard (s7) and the scheme ranking (s8) are measured on both databases, like scenario 6's comparison.
  let runPglite =
    (process.env.BENCH_SKIP_PGLITE !== '1' && (wants(options, 's6') || wants(options, 's7') || wants(options, 's8'))) || !havePostgres;
  const preparePglite = async () => {
    if (!runPglite) return;
    try {
      await prepare(ctx, oursEnv(options, 'pglite'), `PGlite ${options.pgliteDir}`);
      fixtures.set('ours-pglite', await fixtureFromPglite(options.pgliteDir));
    } catch (error) {
      if (!havePostgres) throw error;
      runPglite = false;
      const message = `scenario 6 skipped: preparing the embedded database failed: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`;
      ctx.fail(message);
      ctx.note(message);
    }
  };
  const [postgresDone, pgliteDone] = await Promise.allSettled([preparePostgres(), preparePglite()]);
  for (const done of [postgresDone, pgliteDone]) if (done.status === 'rejected') throw done.reason;
  if (!havePostgres) fixtures.set('ours', fixtures.get('ours-pglite')!);
  const fx = fixtures.get('ours')!;
  ctx.log(`data: ${fx.organizations} organizations, ${fx.members} members`);
  const bearer = await bearerHeaders(fx.rootId);
  const pglite = fixtures.get('ours-pglite');
  const pgliteBearer = pglite ? await bearerHeaders(pglite.rootId) : bearer;
  return { havePostgres, haveRedis, runPglite, fixtures, bearer, pgliteBearer };
}
