// The peer's ranking: the covered branches, every indicator of the scheme (one statement each, run side by
// side on the pool), then points, veto cap, totals and competition ranks in TypeScript, as rules.ts scores.
import type pg from 'pg';
import type { SchemeItem } from '../s8-scheme.ts';
import { DUES_INDICATORS } from './dues.ts';
import type { Branch, PeerIndicator, PeerValues } from './input.ts';
import { MEETING_INDICATORS } from './meetings.ts';
import { PEOPLE_INDICATORS } from './people.ts';
import { PLUGIN_INDICATORS } from './plugins.ts';

/** Every indicator the peer re-implements, by id. */
export const PEER_INDICATORS: Readonly<Record<string, PeerIndicator>> = {
  ...MEETING_INDICATORS,
  ...DUES_INDICATORS,
  ...PEOPLE_INDICATORS,
  ...PLUGIN_INDICATORS,
};

const cents = (text: string) => Math.round(Number(text) * 100);
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** An item's points in hundredths for a value (null: not applicable, no points), and whether its veto failed. */
function score(item: SchemeItem, value: number | null): { points: number; vetoed: boolean } {
  if (value === null) return { points: 0, vetoed: false };
  const v = Math.round(value * 100);
  const max = cents(item.maxPoints);
  const { rule } = item;
  switch (rule.kind) {
    case 'PROPORTIONAL': {
      const target = cents(rule.target);
      return { points: Math.round((max * Math.max(0, Math.min(v, target))) / target), vetoed: false };
    }
    case 'STEPPED': {
      let points = 0;
      for (const step of rule.steps) if (v >= cents(step.atLeast)) points = Math.max(points, cents(step.points));
      return { points, vetoed: false };
    }
    case 'VETO':
      return v >= cents(rule.threshold) ? { points: max, vetoed: false } : { points: 0, vetoed: true };
  }
}

/** A card of the peer: the branch, its value per item (scheme order) and its total in hundredths. */
export interface PeerCard {
  id: string;
  code: string;
  path: string;
  values: (number | null)[];
  total: number;
}

/** Every branch's value of every item: one statement per distinct indicator, all under way at once. */
export async function peerValues(pool: pg.Pool, branches: readonly Branch[], items: readonly SchemeItem[], year: number, today: Date) {
  const input = {
    pool,
    branches,
    year,
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    until: iso(new Date(Math.min(Date.UTC(year, 11, 31), today.getTime()))),
    today: iso(today),
  };
  const indicatorIds = [...new Set(items.map((i) => i.indicatorId))];
  const computed = await Promise.all(
    indicatorIds.map((id) => {
      const indicator = PEER_INDICATORS[id];
      if (!indicator) throw new Error(`the peer does not implement ${id}`);
      return indicator(input);
    }),
  );
  return new Map<string, PeerValues>(indicatorIds.map((id, i) => [id, computed[i]!]));
}

/**
 * The peer's ranking of a department's branches for the scheme's items and year: every card, best first
 * (ties by path, as ours orders them), with competition ranks, and the first page as `rankingOf` gives ours.
 */
export async function peerRanking(
  pool: pg.Pool,
  departmentId: string,
  items: readonly SchemeItem[],
  year: number,
  today: Date,
  first = 20,
) {
  const { rows: branches } = await pool.query<Branch>(
    `SELECT id, code, path, kind::text AS kind FROM "Organization" WHERE path LIKE $1 AND kind IN ('BRANCH', 'TEMPORARY_BRANCH') ORDER BY path`,
    [`/${departmentId}/%`],
  );
  if (branches.length === 0) return { totalCount: 0, top: [] as unknown[], cards: [] as (PeerCard & { rank: number })[], statements: 1 };
  const byIndicator = await peerValues(pool, branches, items, year, today);
  const cards: PeerCard[] = branches.map((b) => {
    const values = items.map((item) => byIndicator.get(item.indicatorId)!.get(b.id) ?? null);
    // The sum of the applicable points, capped at the lowest cap of any failed veto (rules.ts cardTotal).
    let total = 0;
    let cap = Number.POSITIVE_INFINITY;
    for (const [i, item] of items.entries()) {
      const s = score(item, values[i]!);
      total += s.points;
      if (s.vetoed && item.rule.kind === 'VETO') cap = Math.min(cap, cents(item.rule.cap));
    }
    return { id: b.id, code: b.code, path: b.path, values, total: Math.min(total, cap) };
  });
  cards.sort((x, y) => y.total - x.total || (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  // Rank: one more than the cards with a higher total (equal totals share a rank).
  let rank = 0;
  const ranked = cards.map((c, i) => {
    if (i === 0 || c.total !== cards[i - 1]!.total) rank = i + 1;
    return { ...c, rank };
  });
  return {
    totalCount: branches.length,
    top: ranked.slice(0, first).map((c) => [c.code, (c.total / 100).toFixed(2), c.rank]),
    cards: ranked,
    // The branches, then one statement per distinct indicator.
    statements: 1 + byIndicator.size,
  };
}
