/**
 * Scenario 5: two processes over Redis vs one process in memory. A process hears its own events in
 * process and only the others' through Redis, so within the two-process run the subscribers on B
 * against those on A are Redis's hop under the same load.
 */
import { percentile } from '../lib/stats.ts';
import type { BenchResults } from '../results.ts';
import { tokenOf } from '../setup/auth.ts';
import type { BenchContext } from '../setup/context.ts';
import type { BenchEnvironment } from '../setup/environment.ts';
import { startOurs } from '../setup/servers.ts';
import { eventMutation, subscriptionRounds } from './subscription-rounds.ts';

/** Fills results.redis, then results.redisHop (the rows are kept should reading the hops fail). */
export async function runS5(ctx: BenchContext, env: BenchEnvironment, results: BenchResults): Promise<void> {
  ctx.log('scenario s5: Redis pub/sub between two processes');
  const { options } = ctx;
  const rootId = env.fixtures.get('ours')!.rootId;
  const single = await startOurs(options, 'ours', 'postgres');
  // Channels of their own, so that no other server on this Redis hears the benchmark's events.
  const redisEnv = { REDIS_URL: options.redisUrl, REDIS_CHANNEL_PREFIX: 'dangjian-bench:' };
  const a = await startOurs(options, 'ours-redis-a', 'postgres', redisEnv);
  const b = await startOurs(options, 'ours-redis-b', 'postgres', redisEnv);
  ctx.track(single, a, b);
  const token = tokenOf(env.bearer);
  results.redis.push(
    ...(await subscriptionRounds(
      ctx,
      [
        {
          key: 'in-memory',
          label: 'one process, in-process pub/sub',
          procs: [single],
          urls: [single.url],
          token,
          mutation: eventMutation(single.url, env.bearer, rootId),
        },
        {
          key: 'redis-2',
          label: 'two processes, Redis pub/sub (mutation on A, subscribers on A and B)',
          procs: [a, b],
          urls: [a.url, b.url],
          token,
          mutation: eventMutation(a.url, env.bearer, rootId),
        },
      ],
      options.redisSubscribers,
    )),
  );
  const [fromA, onB] = await Promise.all([a.bus(), b.bus()]);
  const receivedAt = new Map(onB.received);
  const hopsInOrder = fromA.published.map(([message, at]) => (receivedAt.has(message) ? receivedAt.get(message)! - at : null));
  // In publish order, so that a slow warm-up or first event of a round stands out from the rest.
  ctx.log(
    `  s5 Redis hop per event, in publish order (ms): ${hopsInOrder.map((hop) => (hop === null ? 'lost' : hop.toFixed(1))).join(' ')}`,
  );
  const hops = hopsInOrder.filter((hop) => hop !== null).sort((x, y) => x - y);
  ctx.check(hops.length > 0, 's5: B received the events A published through Redis');
  results.redisHop = {
    events: hops.length,
    p50: percentile(hops, 50),
    p99: percentile(hops, 99),
    max: hops[hops.length - 1] ?? Number.NaN,
  };
  await Promise.all([single.stop(), a.stop(), b.stop()]);
}
