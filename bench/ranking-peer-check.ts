/**
 * Scenario 8's peer checked indicator by indicator: for every item of the s8 scheme, our indicator's `value`
 * and the peer's statement for every covered branch of the working committee, the values that differ
 * (a few examples each) and each side's time. Reads only.
 *
 *   DATABASE_URL=postgresql://…/bench_peer npx tsx bench/ranking-peer-check.ts
 */
import { indicatorsOf, type OwnedIndicator } from '@dangjian/core';
import { openDatabase, type PrismaClient } from '@dangjian/db';
import communityReport from '@dangjian/plugin-community-report';
import discipline from '@dangjian/plugin-discipline';
import dualCultivation from '@dangjian/plugin-dual-cultivation';
import partyBrand from '@dangjian/plugin-party-brand';
import pg from 'pg';
// Not exported by core: the check calls the indicators the server computes with.
import { CORE_INDICATORS } from '../packages/core/src/assessment/core-indicators.ts';
import { type Branch, peerValues } from './scenarios/s8-peer/index.ts';
import { RANKING_ITEMS } from './scenarios/s8-scheme.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL: the PostgreSQL database to check on');
const db = await openDatabase({ kind: 'postgres', url });
const client = db.client as PrismaClient;
const pool = new pg.Pool({ connectionString: url, max: 8 });
const indicators: OwnedIndicator[] = [
  ...CORE_INDICATORS,
  ...[communityReport, discipline, dualCultivation, partyBrand].flatMap((p) => indicatorsOf(p)),
];
// The working committee: the top-level organization with the most branches below it.
const { rows: roots } = await pool.query<{ id: string }>(
  `SELECT split_part(path, '/', 2) AS id FROM "Organization" WHERE kind IN ('BRANCH', 'TEMPORARY_BRANCH') GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
);
const branches = (
  await client.organization.findMany({
    where: { path: { startsWith: `/${roots[0]!.id}/` }, kind: { in: ['BRANCH', 'TEMPORARY_BRANCH'] } },
    select: { id: true, code: true, path: true, kind: true },
    orderBy: { path: 'asc' },
  })
).map((b) => b as Branch);
const now = new Date();
const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
const year = today.getUTCFullYear();
const period = { from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year, 11, 31)) };
console.log(`${branches.length} branches, ${RANKING_ITEMS.length} items, year ${year}, today ${today.toISOString().slice(0, 10)}`);

let differing = 0;
for (const item of RANKING_ITEMS) {
  const indicator = indicators.find((i) => i.id === item.indicatorId)!;
  let started = performance.now();
  const ours = await indicator.value({ db: client, organizations: branches, period, today });
  const oursMs = performance.now() - started;
  started = performance.now();
  const peer = (await peerValues(pool, branches, [item], year, today)).get(item.indicatorId)!;
  const peerMs = performance.now() - started;
  const diffs = branches.filter((b) => (ours.get(b.id) ?? null) !== (peer.get(b.id) ?? null));
  const applicable = branches.filter((b) => (ours.get(b.id) ?? null) !== null).length;
  differing += diffs.length;
  console.log(
    `${item.indicatorId.padEnd(42)} ours ${String(Math.round(oursMs)).padStart(5)} ms, peer ${String(Math.round(peerMs)).padStart(5)} ms, ` +
      `${applicable} applicable, ${diffs.length} differ${diffs
        .slice(0, 3)
        .map((b) => ` [${b.code} ${b.kind}: ours ${ours.get(b.id)} peer ${peer.get(b.id)}]`)
        .join('')}`,
  );
}
await pool.end();
await db.close();
process.exitCode = differing === 0 ? 0 : 1;
