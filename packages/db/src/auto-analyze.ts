// PostgreSQL keeps planner statistics current through autovacuum's analyze; the embedded database runs no
// autovacuum launcher, so its statistics were those of the last explicit ANALYZE (a publication's, an
// import's) or none at all, however the tables grew through the API. This is that analyze, run by the
// server on an interval (DANGJIAN_AUTOANALYZE_INTERVAL_MS).

/** What the check needs of PGlite: plain queries, which wait for any open transaction to end. */
export interface AnalyzeQueryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/**
 * PostgreSQL's defaults (`autovacuum_analyze_threshold`, `_scale_factor`): a table is analyzed once more than
 * 50 rows plus 10 % of its rows changed since its last ANALYZE.
 */
export const AUTOVACUUM_ANALYZE = { threshold: 50, scaleFactor: 0.1 } as const;

/** Autovacuum's rule: are `changed` rows of a table estimated at `tuples` rows (-1: never analyzed) enough? */
export const worthAnalyzing = (changed: number, tuples: number): boolean =>
  changed > AUTOVACUUM_ANALYZE.threshold + AUTOVACUUM_ANALYZE.scaleFactor * Math.max(0, tuples);

/**
 * ANALYZE the tables of the current schema changed (rows inserted, updated or deleted) by more than autovacuum's
 * threshold since their last ANALYZE, one statement each so that requests wait for one table's sampling at a
 * time; returns their names. Runs on PGlite itself, not through Prisma: statement counters and query hooks
 * see only the application's statements.
 */
export async function analyzeChangedTables(db: AnalyzeQueryable): Promise<string[]> {
  // The single backend reports its table counters to pg_stat_user_tables now and then; ask for the report at
  // the end of this statement, so the next one reads every change made so far.
  await db.query('SELECT pg_stat_force_next_flush()');
  const { rows } = await db.query<{ name: string }>(
    `SELECT s.relname AS name
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname = current_schema()
        AND s.n_mod_since_analyze > $1::float8 + $2::float8 * greatest(c.reltuples, 0)
      ORDER BY s.relname`,
    [AUTOVACUUM_ANALYZE.threshold, AUTOVACUUM_ANALYZE.scaleFactor],
  );
  for (const { name } of rows) await db.query(`ANALYZE "${name.replaceAll('"', '""')}"`);
  return rows.map((r) => r.name);
}
