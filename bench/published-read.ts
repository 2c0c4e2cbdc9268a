/**
 * The published ranking read of scenario 8 alone (`node --import tsx bench/published-read.ts`, with
 * BENCH_DATABASE_URL naming seeded scale data): publishes a scheme of the scenario's items but the dues one,
 * then times `scorecards(orderBy: TOTAL, first: 20)` over HTTP, one connection, as s8 does. Without the dues
 * item (most of a live card's cost) publication stays within the mutation's transaction timeout on a busy
 * machine, where the full scheme's does not; the read is the same: every covered organization's frozen
 * card, 19 items each instead of 20. `--rounds`, `--duration` as for bench/run.ts; BENCH_SCHEME_ID reads a
 * scheme already published instead.
 */
import { fmt } from './lib/stats.ts';
import { RANKING } from './scenarios/s8.ts';
import { RANKING_ITEMS } from './scenarios/s8-scheme.ts';
import { loadRound, post, quiet } from './scenarios/http-load.ts';
import { bearerHeaders } from './setup/auth.ts';
import { createContext } from './setup/context.ts';
import { fixtureFromPg } from './setup/database.ts';
import { parseOptions } from './setup/options.ts';
import { startOurs } from './setup/servers.ts';

const ctx = createContext(parseOptions(process.argv.slice(2), process.env));
const { options } = ctx;
const fixture = await fixtureFromPg(options.pgUrl);
const headers = await bearerHeaders(fixture.rootId);
const proc = await startOurs(options, 'published-read', 'postgres');
ctx.track(proc);

async function gql(query: string, variables: Record<string, unknown>) {
  const json = await post(proc.url, JSON.stringify({ query, variables }), headers);
  if (json.errors || !json.data) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(json).slice(0, 400)}`);
  return json.data;
}

try {
  let scheme = process.env.BENCH_SCHEME_ID;
  if (!scheme) {
    const items = RANKING_ITEMS.filter((i) => i.indicatorId !== 'core.dues.onTime');
    const total = items.reduce((sum, i) => sum + Math.round(Number(i.maxPoints) * 100), 0);
    const input = {
      year: new Date().getUTCFullYear(),
      name: `基准发布读取 ${new Date().toISOString()}`,
      totalPoints: (total / 100).toFixed(2),
      kinds: ['BRANCH', 'TEMPORARY_BRANCH'],
      items,
    };
    const create = `mutation ($input: CreateAssessmentSchemeInput!) { createAssessmentScheme(input: $input) { id } }`;
    scheme = (await gql(create, { input })).createAssessmentScheme.id as string;
    const started = performance.now();
    await gql(`mutation ($id: ID!) { publishAssessmentScheme(id: $id) { id } }`, { id: scheme });
    ctx.log(`published ${scheme} (${items.length} items) in ${fmt(performance.now() - started)} ms`);
  }
  const body = JSON.stringify({ query: RANKING, variables: { s: scheme } });
  for (let i = 0; i < 3; i++) await post(proc.url, body, headers);
  await quiet(proc);
  const one = await post(proc.url, body, headers);
  ctx.log(`cards: ${one.data.scorecards.totalCount}, SQL per request: ${await proc.statements(true)}`);
  for (let round = 1; round <= options.rounds; round++) {
    const r = await loadRound(proc.url, body, headers, 1, options.duration);
    ctx.log(`published read round ${round}: p50 ${r.p50} ms, p99 ${r.p99} ms (${r.requests} requests, ${r.non2xx + r.errors} bad)`);
  }
} finally {
  await ctx.stopAll();
}
