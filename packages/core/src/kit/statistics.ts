// After a bulk write, the tables' planner statistics are refreshed at once instead of waiting for
// autovacuum: the embedded database has no autovacuum at all, and a PostgreSQL server may run it a minute
// later or (as on the benchmark machine) not at all. With the statistics of before a publication (a scheme
// with no cards), the published ranking was planned as a nested loop over 6,371 organization rows:
// 50 ms instead of 20 ms (bench scenario 8, target p99 ≤ 50 ms).

/** What `refreshStatistics` needs of a Prisma client. */
interface RawExecutor {
  $executeRawUnsafe(query: string): Promise<number>;
}

/** Table names that can be quoted as they are (the Prisma model names). */
const TABLE = /^[A-Za-z][A-Za-z0-9_]*$/;

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
  for (const table of tables) if (!TABLE.test(table)) throw new Error(`refreshStatistics: not a table name: ${table}`);
  try {
    await db.$executeRawUnsafe(`ANALYZE ${tables.map((t) => `"${t}"`).join(', ')}`);
  } catch (error) {
    warn(`ANALYZE ${tables.join(', ')} failed after a bulk write: ${error instanceof Error ? error.message : String(error)}`);
  }
}
