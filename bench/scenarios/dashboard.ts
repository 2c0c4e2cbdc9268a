/**
 * Scenario 7: a committee dashboard — what the working committee's home screen shows, on the scale data
 * (10k organizations, 100k members), each query measured on its own and all of them as one request.
 * One connection: a request at a time, so p50/p99 are the latency one user sees (target: p99 ≤ 100 ms
 * for every query). `--only s7` runs them all on PostgreSQL and on the embedded database.
 */
import { globalId } from '../setup/auth.ts';
import type { HttpScenario } from './http-scenario.ts';

/** The last whole calendar quarter before today (UTC): a dashboard's "last quarter". */
export function lastQuarter(today: Date = new Date()): { from: string; to: string } {
  const q = Math.floor(today.getUTCMonth() / 3);
  const start = new Date(Date.UTC(today.getUTCFullYear(), (q - 1) * 3, 1));
  const end = new Date(Date.UTC(today.getUTCFullYear(), q * 3, 0));
  return { from: start.toISOString().slice(0, 10), to: end.toISOString().slice(0, 10) };
}

/** The dashboard's queries, by part; each is one scenario, and `s7` sends all of them in one request. */
export const DASHBOARD_PARTS = {
  members: 'members: members(filter: { under: $id }) { totalCount }',
  subtree: 'organization(id: $id) { name subtreeMemberCount }',
  shortfalls: `shortfalls: meetingShortfallConnection(under: $id, from: $from, to: $to, first: 20) {
    totalCount countsByKind { kind count }
    pageInfo { hasNextPage endCursor }
    edges { node { organization { name code } kind required held meetingCount } }
  }`,
  overdue: 'overdue: organizations(filter: { under: $id, overdueTerm: true }) { totalCount }',
  // Summed from the dues rollup of the committee (DuesArrearsRollup, kept by triggers on the unsettled runs).
  arrears: 'arrears: members(filter: { under: $id, inArrears: true }) { totalCount }',
  // The scheme ranking (issue 23 §4) is scenario 8 (s8.ts): it creates and publishes a scheme of its own.
} as const;

type Part = keyof typeof DASHBOARD_PARTS;

/** The query of some parts; only the shortfalls take the period (GraphQL refuses unused variables). */
function queryOf(parts: readonly Part[]): string {
  const period = parts.includes('shortfalls') ? ', $from: Date!, $to: Date!' : '';
  return `query Dashboard($id: ID!${period}) {\n  ${parts.map((p) => DASHBOARD_PARTS[p]).join('\n  ')}\n}`;
}

function scenario(key: string, title: string, parts: readonly Part[]): HttpScenario {
  const query = queryOf(parts);
  return {
    key,
    group: 's7',
    title,
    contenders: ['ours', 'ours-pglite'],
    connections: 1,
    body: (_key, f) =>
      JSON.stringify({
        query,
        variables: { id: globalId('Organization', f.rootId), ...(parts.includes('shortfalls') ? lastQuarter() : {}) },
      }),
    // The databases have ids of their own: compare what does not name a row by id.
    normalize: (json) => json.data,
  };
}

export const dashboardScenarios: readonly HttpScenario[] = [
  scenario('s7', 'committee dashboard, every query below in one request', ['members', 'subtree', 'shortfalls', 'overdue', 'arrears']),
  scenario('s7m', 'dashboard: members under the committee (totalCount)', ['members']),
  scenario('s7c', 'dashboard: subtreeMemberCount', ['subtree']),
  scenario('s7s', 'dashboard: meeting shortfalls of the last quarter (totalCount, counts per kind, first page of 20)', ['shortfalls']),
  scenario('s7o', 'dashboard: organizations with an overdue term (totalCount)', ['overdue']),
  scenario('s7a', 'dashboard: members in dues arrears (totalCount, from the dues arrears rollup)', ['arrears']),
];
