// What every indicator of the peer receives and returns, and the small arithmetic they share. Each
// indicator is ONE hand-written SQL statement over all the branches at once, its rules read from our
// implementation (packages/core/src/assessment/indicators, plugins/*/src/indicators.ts) and kept in step.
import type pg from 'pg';

/** A covered organization (党支部 or 临时党支部). */
export interface Branch {
  id: string;
  code: string;
  path: string;
  kind: 'BRANCH' | 'TEMPORARY_BRANCH';
}

/** The scheme's year as the indicators measure it (ISO dates). */
export interface PeerInput {
  pool: pg.Pool;
  branches: readonly Branch[];
  /** 1 January and 31 December of the scheme's year. */
  from: string;
  to: string;
  /** The last day measured: `to`, or today while the year runs. */
  until: string;
  today: string;
  year: number;
}

/** An indicator's value per branch id; a branch missing (or null) is not applicable. */
export type PeerValues = ReadonlyMap<string, number | null>;

export type PeerIndicator = (input: PeerInput) => Promise<PeerValues>;

/** `part` of `whole` as a percentage to one decimal (indicator-values.ts `percent`); null when nothing is owed. */
export const pct1 = (part: number, whole: number) => (whole <= 0 ? null : Math.round((part / whole) * 1000) / 10);

/** A value to one decimal, half away from zero (indicator-values.ts `oneDecimal`). */
export const oneDecimal = (value: number) => Math.round(value * 10) / 10;

export const ids = (branches: readonly Branch[]) => branches.map((b) => b.id);

/** A value for every branch: `f` of its row, or `missing` for a branch the statement returned no row for. */
export function byBranch<R extends { id: string }>(
  branches: readonly Branch[],
  rows: readonly R[],
  f: (row: R) => number | null,
  missing: number | null = null,
): PeerValues {
  const rowOf = new Map(rows.map((r) => [r.id, r]));
  return new Map(branches.map((b) => [b.id, rowOf.has(b.id) ? f(rowOf.get(b.id)!) : missing]));
}
