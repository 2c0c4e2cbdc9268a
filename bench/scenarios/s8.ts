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
import type { Headers } from '../setup/auth.ts';
import type { BenchContext } from '../setup/context.ts';
import type { BenchEnvironment } from '../setup/environment.ts';
import { startOurs, type Database } from '../setup/servers.ts';
import { loadRound, post, quiet, type Json } from './http-load.ts';
import { PEER_ITEMS, PEER_TOTAL, peerRanking } from './s8-peer.ts';
import pg from 'pg';

const percent = (name: string, maxPoints: string, indicatorId: string, target = '100.00') => ({
  category: 'PARTY',
  name,
  maxPoints,
  source: 'INDICATOR',
  indicatorId,
  rule: { kind: 'PROPORTIONAL', target },
});
const stepped = (category: string, name: string, maxPoints: string, indicatorId: string, steps: [string, string][]) => ({
  category,
  name,
  maxPoints,
  source: 'INDICATOR',
  indicatorId,
  rule: { kind: 'STEPPED', steps: steps.map(([atLeast, points]) => ({ atLeast, points })) },
});
const yesNo = (name: string, maxPoints: string, indicatorId: string) =>
  stepped('PARTY', name, maxPoints, indicatorId, [['1.00', maxPoints]]);

/** 20 items, 100 points, on the indicator ids of core and the four plugins (README's indicator table). */
export const RANKING_ITEMS = [
  percent('支部党员大会按期召开', '10.00', 'core.meetings.generalMeeting'),
  percent('支委会按月召开', '6.00', 'core.meetings.committeeMeeting'),
  percent('党小组会按月召开', '4.00', 'core.meetings.groupMeeting'),
  percent('党课按季度开展', '6.00', 'core.meetings.partyLecture'),
  percent('主题党日按月开展', '12.00', 'core.meetings.themeDay'),
  yesNo('组织生活会召开', '5.00', 'core.meetings.organizationalLife'),
  stepped('PARTY', '党费按时足额缴纳', '8.00', 'core.dues.onTime', [
    ['80.00', '4.00'],
    ['95.00', '8.00'],
  ]),
  yesNo('按期换届', '5.00', 'core.terms.onTime'),
  {
    category: 'PARTY',
    name: '支部书记在岗（一票否决）',
    maxPoints: '0.00',
    source: 'INDICATOR',
    indicatorId: 'core.cadres.secretaryInPost',
    rule: { kind: 'VETO', threshold: '1.00', cap: '60.00' },
  },
  yesNo('支部书记三年内参加培训', '4.00', 'core.cadres.secretaryTrained'),
  percent('党务干部培训学时', '4.00', 'core.training.cadreHours', '32.00'),
  percent('干部年度考核登记', '4.00', 'core.assessments.recorded'),
  stepped('INTEGRATED', '党建品牌创建', '6.00', 'party-brand.brands.stateReached', [
    ['1.00', '2.00'],
    ['2.00', '4.00'],
    ['3.00', '6.00'],
  ]),
  { ...percent('党建品牌年度测评', '4.00', 'party-brand.evaluations.latestScore'), category: 'INTEGRATED' },
  { ...percent('结对帮带走访', '4.00', 'dual-cultivation.pairings.visited'), category: 'INTEGRATED' },
  stepped('BUSINESS', '培养致富能人', '4.00', 'dual-cultivation.talents.advanced', [['1.00', '4.00']]),
  { ...percent('报到党员服务时长', '4.00', 'community-report.service.hoursPerMember', '10.00'), category: 'INTEGRATED' },
  stepped('INTEGRATED', '完成社区需求', '4.00', 'community-report.demands.completed', [['1.00', '4.00']]),
  { ...percent('问题整改按期完成', '4.00', 'discipline.rectifications.onTime'), category: 'INTEGRATED' },
  { ...percent('问题线索处置', '2.00', 'discipline.clues.disposed'), category: 'INTEGRATED' },
];

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
    const input = { year, name, totalPoints: '100.00', kinds: ['BRANCH', 'TEMPORARY_BRANCH'], items: RANKING_ITEMS };
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

    // The peer (PostgreSQL only: it reads the tables directly): a scheme of the six items it re-implements,
    // ranked by ours and by the peer, request by request; both must give the same ranking.
    const peer = database === 'postgres' ? await peerComparison(ctx, proc, headers, env, year, name) : null;

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
      const r = await loadRound(proc.url, body, headers, 1, options.duration);
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

/** Ours and the peer on a scheme of PEER_ITEMS: live p50 of each (requests one after another) and whether they rank alike. */
async function peerComparison(ctx: BenchContext, proc: Proc, headers: Headers, env: BenchEnvironment, year: number, name: string) {
  const { options } = ctx;
  const input = { year, name: `${name} 对照`, totalPoints: PEER_TOTAL, kinds: ['BRANCH', 'TEMPORARY_BRANCH'], items: PEER_ITEMS };
  const scheme = (await gql(proc, headers, CREATE, { input })).createAssessmentScheme.id as string;
  const body = JSON.stringify({ query: RANKING, variables: { s: scheme } });
  const departmentId = env.fixtures.get('ours')!.rootId;
  const pool = new pg.Pool({ connectionString: options.pgUrl, max: 8 });
  try {
    const now = new Date();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const requests = options.smoke ? 3 : LIVE_REQUESTS;
    const oursFirst = await single(proc, body, headers);
    const ours = rankingOf(oursFirst.json);
    const theirs = await peerRanking(pool, departmentId, year, today);
    const same = JSON.stringify(ours) === JSON.stringify(theirs);
    if (!same) ctx.log(`  s8 peer differs: ours ${JSON.stringify(ours).slice(0, 600)} / peer ${JSON.stringify(theirs).slice(0, 600)}`);
    ctx.check(same, 's8: the peer ranks the six-item scheme as ours does');
    const oursTimes: number[] = [];
    const peerTimes: number[] = [];
    for (let i = 0; i < requests; i++) {
      let started = performance.now();
      await post(proc.url, body, headers);
      oursTimes.push(performance.now() - started);
      started = performance.now();
      await peerRanking(pool, departmentId, year, today);
      peerTimes.push(performance.now() - started);
    }
    const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const result = { items: PEER_ITEMS.length, oursP50: p50(oursTimes), peerP50: p50(peerTimes), oursSql: oursFirst.sql, same };
    ctx.log(
      `  s8 peer (${result.items} items): ours p50 ${fmt(result.oursP50)} ms, peer p50 ${fmt(result.peerP50)} ms, ` +
        `peer ÷ ours ${(result.peerP50 / result.oursP50).toFixed(2)}×, same ranking: ${same}`,
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
