/** Scenario 4: subscription fan-out on one process, ours against Apollo Server 5 + graphql-ws, at each size. */
import type { BenchResults } from '../results.ts';
import { tokenOf } from '../setup/auth.ts';
import type { BenchContext } from '../setup/context.ts';
import type { BenchEnvironment } from '../setup/environment.ts';
import { startOurs, startPeer } from '../setup/servers.ts';
import { eventMutation, subscriptionRounds } from './subscription-rounds.ts';

/** Adds each size's rows to results.subs as soon as it is measured, so an aborted run still reports them. */
export async function runS4(ctx: BenchContext, env: BenchEnvironment, results: BenchResults): Promise<void> {
  ctx.log('scenario s4: subscription fan-out on one process');
  const rootId = env.fixtures.get('ours')!.rootId;
  for (const n of ctx.options.subscriberCounts) {
    // Fresh servers per size: the previous size's sockets and garbage must not weigh on this one.
    const ours = await startOurs(ctx.options, 'ours', 'postgres');
    const apollo = await startPeer(ctx.options, 'apollo-ws', 'apollo', { PEER_SUBSCRIPTIONS: '1' });
    ctx.track(ours, apollo);
    results.subs.push(
      ...(await subscriptionRounds(
        ctx,
        [
          {
            key: 'ours',
            label: 'dangjian (graphql-ws, in-process pub/sub)',
            procs: [ours],
            urls: [ours.url],
            token: tokenOf(env.bearer),
            mutation: eventMutation(ours.url, env.bearer, rootId),
          },
          {
            key: 'apollo',
            label: 'Apollo Server 5 + graphql-ws',
            procs: [apollo],
            urls: [apollo.url],
            token: null,
            mutation: eventMutation(apollo.url, {}, rootId),
          },
        ],
        n,
      )),
    );
    await ours.stop();
    await apollo.stop();
  }
}
