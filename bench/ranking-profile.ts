/**
 * Where scenario 8's live ranking spends its time: each indicator's `value` for every covered organization
 * of the latest benchmark scheme, timed alone (SQL statements, wall time), then the whole computation.
 *
 *   DATABASE_URL=postgresql://…/perf_bench npx tsx bench/ranking-profile.ts
 *   DANGJIAN_DATA_DIR=bench/.data/pglite npx tsx bench/ranking-profile.ts
 */
import { indicatorsOf, type OwnedIndicator } from '@dangjian/core';
import { openDatabase, type PrismaClient } from '@dangjian/db';
import communityReport from '@dangjian/plugin-community-report';
import discipline from '@dangjian/plugin-discipline';
import dualCultivation from '@dangjian/plugin-dual-cultivation';
import partyBrand from '@dangjian/plugin-party-brand';
// Not exported by core: the profile times the computation the server runs.
import { CORE_INDICATORS } from '../packages/core/src/assessment/core-indicators.ts';
import { computeCards } from '../packages/core/src/assessment/scorecard-compute.ts';

const url = process.env.DATABASE_URL;
let statements = 0;
const db = await openDatabase(url ? { kind: 'postgres', url } : { kind: 'embedded', dataDir: process.env.DANGJIAN_DATA_DIR! }, {
  onQuery: () => void (statements += 1),
});
const client = db.client as PrismaClient;
const indicators: OwnedIndicator[] = [
  ...CORE_INDICATORS,
  ...[communityReport, discipline, dualCultivation, partyBrand].flatMap((p) => indicatorsOf(p)),
];
const scheme = await client.assessmentScheme.findFirstOrThrow({
  where: { name: { startsWith: '基准排名方案' } },
  orderBy: { createdAt: 'desc' },
  include: { items: true },
});
const organizations = await client.organization.findMany({
  where: { path: { startsWith: `/${scheme.organizationId}/` }, kind: { in: scheme.kinds } },
  select: { id: true, path: true, kind: true, parentId: true },
});
const today = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
const period = { from: new Date(Date.UTC(scheme.year, 0, 1)), to: new Date(Date.UTC(scheme.year, 11, 31)) };
console.log(`${scheme.name}: ${scheme.items.length} items, ${organizations.length} covered organizations`);
for (const item of [...scheme.items].sort((a, b) => a.position - b.position)) {
  const indicator = indicators.find((i) => i.id === item.indicatorId);
  if (!indicator) continue;
  const applicable = organizations.filter((o) => indicator.appliesTo.includes(o.kind));
  statements = 0;
  const started = performance.now();
  const values = await indicator.value({ db: client, organizations: applicable, period, today });
  console.log(
    `${indicator.id.padEnd(42)} ${String(Math.round(performance.now() - started)).padStart(6)} ms  ${statements} SQL  ${values.size} values`,
  );
}
statements = 0;
const started = performance.now();
const cards = await computeCards(client, scheme, {
  indicators,
  enabledPlugins: new Set(['community-report', 'discipline', 'dual-cultivation', 'party-brand']),
  today,
});
console.log(`computeCards: ${Math.round(performance.now() - started)} ms, ${statements} SQL, ${cards.length} cards`);
await db.close();
