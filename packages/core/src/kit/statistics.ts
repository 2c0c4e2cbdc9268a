import { worthAnalyzing } from '@dangjian/db';

// After a bulk write, the tables' planner statistics are refreshed at once instead of waiting for
// autovacuum: the embedded database has no autovacuum at all, and a PostgreSQL server may run it a minute
// later or (as on the benchmark machine) not at all. With the statistics of before a publication (a scheme
// with no cards), the published ranking was planned as a nested loop over 6,371 organization rows:
// 50 ms instead of 20 ms (bench scenario 8, target p99 ≤ 50 ms).

/** What `refreshStatistics` needs of a Prisma client. */
interface RawExecutor {
  $executeRawUnsafe(query: string): Promise<number>;
}

/** What `refreshStatisticsAfter` needs besides: reading the tables' row estimates. */
interface RawReader extends RawExecutor {
  $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T>;
}

/** Table names that can be quoted as they are (the Prisma model names). */
const TABLE = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Throws on a name that is not a plain table name: callers check theirs before writing anything. */
export function assertTableNames(tables: readonly string[]): void {
  for (const table of tables) if (!TABLE.test(table)) throw new Error(`refreshStatistics: not a table name: ${table}`);
}

/**
 * `ANALYZE` the tables, after the writing transaction has committed. Best effort: the data is written, and
 * a failed ANALYZE (say, a database role that does not own the table) leaves only slower plans until
 * autovacuum runs, so it is reported through `warn` and not thrown at the client whose write succeeded.
 */
export async function refreshStatistics(
  db: RawExecutor,
  tables: readonly string[],
  warn: (message: string) => void = (message) => process.emitWarning(message, 'DangjianStatistics'),
): Promise<void> {
  assertTableNames(tables);
  try {
    await db.$executeRawUnsafe(`ANALYZE ${tables.map((t) => `"${t}"`).join(', ')}`);
  } catch (error) {
    warn(`ANALYZE ${tables.join(', ')} failed after a bulk write: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * After a committed bulk write of `rows` rows into `tables` (an import): `refreshStatistics` for the tables it
 * changed enough to matter by autovacuum's own rule (more than `autovacuum_analyze_threshold` +
 * `_scale_factor` × the table's rows, defaults: `worthAnalyzing`), which the embedded database never applies
 * and which a server may apply a minute later. A roster loaded into a new database is analyzed at once; five people added to 100k members skip the
 * sampling (a few hundred ms). Best effort as `refreshStatistics` is.
 */
export async function refreshStatisticsAfter(
  db: RawReader,
  tables: readonly string[],
  rows: number,
  warn: (message: string) => void = (message) => process.emitWarning(message, 'DangjianStatistics'),
): Promise<void> {
  assertTableNames(tables);
  if (!worthAnalyzing(rows, -1) || tables.length === 0) return;
  let stale: string[];
  try {
    // reltuples is -1 for a table never analyzed: nothing to keep, analyze it.
    const estimates = await db.$queryRawUnsafe<{ name: string; tuples: number }[]>(
      `SELECT t AS name, coalesce((SELECT reltuples FROM pg_class WHERE oid = to_regclass(format('%I', t))), -1)::float8 AS tuples
         FROM unnest($1::text[]) AS t`,
      [...tables],
    );
    stale = estimates.filter((e) => worthAnalyzing(rows, Number(e.tuples))).map((e) => e.name);
  } catch (error) {
    warn(
      `reading the row estimates of ${tables.join(', ')} failed after a bulk write: ${error instanceof Error ? error.message : String(error)}`,
    );
    return;
  }
  if (stale.length > 0) await refreshStatistics(db, stale, warn);
}
