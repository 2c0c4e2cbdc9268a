/**
 * Scenario 8 (issue 23 §4): the working committee's scheme ranking on the scale data. Set-up creates a
 * scheme of 20 indicator items (core's and every plugin's) through the API; then, one request at a time,
 * (a) the live ranking `scorecards(orderBy: TOTAL, first: 20)` — every covered organization computed from
 * current data — and (b) after `publishAssessmentScheme`, the same ranking read from the frozen cards
 * (target p99 ≤ 50 ms). On PostgreSQL and on the embedded database. Each run creates (and publishes) a
 * scheme of its own, named with the run's time: a published scheme cannot be changed or deleted.
 */
import { fmt } from '../lib/stats.ts';
import type { Proc } from '../lib/proc.ts';
import type { BenchResults, RankingSummary } from '../results.ts';
import { globalId, type Headers } from '../setup/auth.ts';
import type { BenchContext } from '../setup/context.ts';
import type { BenchEnvironment } from '../setup/environment.ts';
import { startOurs, type Database } from '../setup/servers.ts';
import { loadRound, post, quiet, type Json } from './http-load.ts';
import { type PeerCard, peerRanking } from './s8-peer/index.ts';
import { RANKING_ITEMS, RANKING_TOTAL } from './s8-scheme.ts';
import pg from 'pg';

/** Live ranking requests timed one after another (seconds each on the scale data). */
const LIVE_REQUESTS = 7;

const CREATE = `mutation ($input: CreateAssessmentSchemeInput!) { createAssessmentScheme(input: $input) { id } }`;
const PUBLISH = `mutation ($id: ID!) { publishAssessmentScheme(id: $id) { id state } }`;
export const RANKING = `query Ranking($s: ID!) {
  scorecards(schemeId: $s, orderBy: TOTAL, first: 20) { totalCount edges { node { organization { code } total rank } } }
}`;

/** The ranking's answer in a shape both databases (ids of their own) and the peer give alike. */
export const rankingOf = (json: Json) => ({
  totalCount: json.data.scorecards.totalCount,
  top: json.data.scorecards.edges.map((e: Json) => [e.node.organization.code, e.node.total, e.node.rank]),
});

async function gql(proc: Proc, headers: Headers, query: string, variables: Record<string, unknown>): Promise<Json> {
  const json = await post(proc.url, JSON.stringify({ query, variables }), headers);
  if (json.errors || !json.data) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(json).slice(0, 400)}`);
  return json.data;
}

/** One request alone after warm-up: its latency and SQL statements. */
async function single(proc: Proc, body: string, headers: Headers): Promise<{ ms: number; sql: number; json: Json }> {
  await quiet(proc);
  const started = performance.now();
  const json = await post(proc.url, body, headers);
  const ms = performance.now() - started;
  return { ms, sql: await proc.statements(true), json };
}

/** Scenario 8 on one database: create the scheme, measure the live ranking, publish, measure the read. */
async function runOn(ctx: BenchContext, env: BenchEnvironment, database: Database): Promise<RankingSummary> {
  const { options } = ctx;
  const key = database === 'postgres' ? 'ours' : 'ours-pglite';
  const headers = database === 'postgres' ? env.bearer : env.pgliteBearer;
  const proc = await startOurs(options, `s8-${key}`, database);
  ctx.track(proc);
  try {
    const year = new Date().getUTCFullYear();
    const name = `基准排名方案 ${new Date().toISOString()}`;
    const input = { year, name, totalPoints: RANKING_TOTAL, kinds: ['BRANCH', 'TEMPORARY_BRANCH'], items: RANKING_ITEMS };
    const scheme = (await gql(proc, headers, CREATE, { input })).createAssessmentScheme.id as string;
    const body = JSON.stringify({ query: RANKING, variables: { s: scheme } });

    // (a) Live: the first request (cold), then warm-up, then rounds of one connection.
    const first = await single(proc, body, headers);
    if (first.json.errors) throw new Error(`live ranking: ${JSON.stringify(first.json.errors).slice(0, 300)}`);
    const live = rankingOf(first.json);
    for (let i = 0; i < (options.smoke ? 1 : 3); i++) await post(proc.url, body, headers);
    const warm = await single(proc, body, headers);
    ctx.check(JSON.stringify(rankingOf(warm.json)) === JSON.stringify(live), `s8 ${key}: the live ranking is the same on every request`);
    // A live ranking takes seconds on the scale data (more than autocannon's timeout): timed request by request.
    const liveTimes: number[] = [];
    let liveBad = 0;
    for (let i = 0; i < (options.smoke ? 3 : LIVE_REQUESTS); i++) {
      const started = performance.now();
      const json = await post(proc.url, body, headers);
      liveTimes.push(performance.now() - started);
      if (json.errors || !json.data) liveBad += 1;
    }
    liveTimes.sort((a, b) => a - b);
    ctx.log(`  s8 live ${key}: ${liveTimes.map((t) => fmt(t)).join(', ')} ms`);

    // The peer (PostgreSQL only: it reads the tables directly) on the same scheme, every item re-implemented,
    // request by request; both must give the same ranking and the same cards.
    const peer = database === 'postgres' ? await peerComparison(ctx, proc, headers, env, year, scheme) : null;

    // (b) Published: freeze every card, then read the same ranking.
    await quiet(proc);
    const publishStarted = performance.now();
    await gql(proc, headers, PUBLISH, { id: scheme });
    const publishMs = performance.now() - publishStarted;
    const publishSql = await proc.statements(true);
    const firstPublished = await single(proc, body, headers);
    ctx.check(JSON.stringify(rankingOf(firstPublished.json)) === JSON.stringify(live), `s8 ${key}: the published ranking is the live one`);
    for (let i = 0; i < 3; i++) await post(proc.url, body, headers);
    const publishedOne = await single(proc, body, headers);
    const publishedRounds = [];
    for (let round = 1; round <= options.rounds; round++) {
      const r = await loadRound(proc.url, body, headers, 1, options.duration, options.smoke);
      publishedRounds.push(r);
      ctx.log(`  s8 published round ${round} ${key}: p50 ${r.p50} ms, p99 ${r.p99} ms (${r.requests} requests)`);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const summary: RankingSummary = {
      contender: key,
      covered: live.totalCount,
      items: RANKING_ITEMS.length,
      liveFirstMs: first.ms,
      liveSql: warm.sql,
      liveP50: liveTimes[Math.floor((liveTimes.length - 1) / 2)]!,
      // Of a handful of requests, p99 is the slowest.
      liveP99: liveTimes[liveTimes.length - 1]!,
      publishMs,
      publishSql,
      publishedSql: publishedOne.sql,
      publishedP50: med(publishedRounds.map((r) => r.p50)),
      publishedP99: med(publishedRounds.map((r) => r.p99)),
      bad: liveBad + publishedRounds.reduce((n, r) => n + r.non2xx + r.errors, 0),
      peer,
      top: live.top,
    };
    ctx.check(summary.bad === 0, `s8 ${key}: answered every request with 2xx`);
    ctx.log(
      `s8 ${key}: ${fmt(summary.covered)} cards, live p50 ${fmt(summary.liveP50)} / p99 ${fmt(summary.liveP99)} ms (${summary.liveSql} SQL), ` +
        `publish ${fmt(publishMs)} ms, published p50 ${fmt(summary.publishedP50)} / p99 ${fmt(summary.publishedP99)} ms (${summary.publishedSql} SQL)`,
    );
    return summary;
  } finally {
    await proc.stop();
  }
}

/** Cards of ours by organization, with every item's value: one alias per organization, one request. */
const sampleQuery = (count: number) =>
  `query Sample($s: ID!, ${Array.from({ length: count }, (_, i) => `$o${i}: ID!`).join(', ')}) {
  ${Array.from({ length: count }, (_, i) => `c${i}: scorecard(organizationId: $o${i}, schemeId: $s) { ...card }`).join('\n  ')}
}
fragment card on Scorecard { organization { code } total rank items { indicatorId value } }`;

/** A card as both sides give it: code, total, rank and each item's value (two places, null: not applicable). */
const cardOf = (code: string, total: string, rank: number, values: (string | null)[]) => JSON.stringify([code, total, rank, values]);
const peerCardOf = (c: PeerCard & { rank: number }) =>
  cardOf(
    c.code,
    (c.total / 100).toFixed(2),
    c.rank,
    c.values.map((v) => (v === null ? null : (Math.round(v * 100) / 100).toFixed(2))),
  );

/**
 * Ours and the peer on the s8 scheme (every item): whether they rank alike (first page: codes, totals,
 * ranks) and give the same cards item by item at three offsets (start, middle, end), then the live p50 of
 * each, requests one after another in pairs.
 */
async function peerComparison(ctx: BenchContext, proc: Proc, headers: Headers, env: BenchEnvironment, year: number, scheme: string) {
  const { options } = ctx;
  const body = JSON.stringify({ query: RANKING, variables: { s: scheme } });
  const departmentId = env.fixtures.get('ours')!.rootId;
  const pool = new pg.Pool({ connectionString: options.pgUrl, max: 8 });
  try {
    const now = new Date();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const requests = options.smoke ? 3 : LIVE_REQUESTS;
    const oursFirst = await single(proc, body, headers);
    const ours = rankingOf(oursFirst.json);
    const theirs = await peerRanking(pool, departmentId, RANKING_ITEMS, year, today);
    const same = JSON.stringify(ours) === JSON.stringify({ totalCount: theirs.totalCount, top: theirs.top });
    if (!same) ctx.log(`  s8 peer differs: ours ${JSON.stringify(ours).slice(0, 600)} / peer ${JSON.stringify(theirs.top).slice(0, 600)}`);
    ctx.check(same, `s8: the peer ranks the ${RANKING_ITEMS.length}-item scheme as ours does (codes, totals, ranks of the first page)`);

    // Cards item by item at the start, the middle and the end of the peer's ranking.
    const offsets = [0, Math.floor(theirs.totalCount / 2), Math.max(0, theirs.totalCount - 5)];
    const sampled = [...new Set(offsets.flatMap((o) => theirs.cards.slice(o, o + 5)))];
    const sample = await gql(proc, headers, sampleQuery(sampled.length), {
      s: scheme,
      ...Object.fromEntries(sampled.map((c, i) => [`o${i}`, globalId('Organization', c.id)])),
    });
    const oursSample = sampled.map((_, i) => {
      const card = sample[`c${i}`];
      if (!card) return cardOf('(none)', '', 0, []);
      return cardOf(
        card.organization.code,
        card.total,
        card.rank,
        RANKING_ITEMS.map((item) => card.items.find((x: Json) => x.indicatorId === item.indicatorId)?.value ?? null),
      );
    });
    const peerSample = sampled.map(peerCardOf);
    const differing = oursSample.filter((card: string, i: number) => card !== peerSample[i]);
    for (const [i, card] of oursSample.entries())
      if (card !== peerSample[i]) ctx.log(`  s8 peer card differs: ours ${card} / peer ${peerSample[i]}`);
    ctx.check(
      differing.length === 0 && oursSample.length === peerSample.length,
      `s8: the peer's cards equal ours item by item (${oursSample.length} cards at offsets ${offsets.join(', ')})`,
    );

    const oursTimes: number[] = [];
    const peerTimes: number[] = [];
    for (let i = 0; i < requests; i++) {
      let started = performance.now();
      await post(proc.url, body, headers);
      oursTimes.push(performance.now() - started);
      started = performance.now();
      await peerRanking(pool, departmentId, RANKING_ITEMS, year, today);
      peerTimes.push(performance.now() - started);
    }
    const p50 = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)]!;
    const result = {
      items: RANKING_ITEMS.length,
      oursP50: p50(oursTimes),
      peerP50: p50(peerTimes),
      oursSql: oursFirst.sql,
      peerSql: theirs.statements,
      same: same && differing.length === 0,
    };
    ctx.log(
      `  s8 peer (${result.items} items): ours ${oursTimes.map((t) => fmt(t)).join(', ')} ms; peer ${peerTimes.map((t) => fmt(t)).join(', ')} ms`,
    );
    ctx.log(
      `  s8 peer (${result.items} items): ours p50 ${fmt(result.oursP50)} ms (${result.oursSql} SQL), peer p50 ${fmt(result.peerP50)} ms (${result.peerSql} SQL), ` +
        `peer ÷ ours ${(result.peerP50 / result.oursP50).toFixed(2)}×, same ranking and sampled cards: ${result.same}`,
    );
    return result;
  } finally {
    await pool.end();
  }
}

/** Scenario 8 on PostgreSQL and the embedded database, as this machine has them; both must rank alike. */
export async function runS8(ctx: BenchContext, env: BenchEnvironment, results: BenchResults): Promise<void> {
  ctx.log('scenario s8: scheme ranking of the working committee (20 indicator items), live and published');
  if (env.havePostgres) results.ranking.push(await runOn(ctx, env, 'postgres'));
  if (env.runPglite) results.ranking.push(await runOn(ctx, env, 'pglite'));
  const [a, b] = results.ranking;
  if (a && b)
    ctx.check(
      JSON.stringify(a.top) === JSON.stringify(b.top) && a.covered === b.covered,
      `s8: ours-pglite returns the same ranking as ours`,
    );
}
