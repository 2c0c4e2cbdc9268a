import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { expect } from 'vitest';
import type { Database } from '@dangjian/db';

// SQL fixtures, PostGraphile's habit: the SQL a query sends is pinned in a file beside the query, so a change
// of query shape (a new statement, an N+1 creeping back, a lost batch) shows as a diff in review.

/** `UPDATE_SQL_FIXTURES=1 npx vitest run <test file>` rewrites the expected `.sql` files instead of comparing. */
export const updatingSqlFixtures = process.env.UPDATE_SQL_FIXTURES === '1';

/** Records the statements Prisma sends while `capture` runs: pass `onQuery` to `startTestServer`. */
export function sqlRecorder(): {
  onQuery: (sql: string) => void;
  /** Runs `run` and answers the statements sent meanwhile, in the order Prisma reported them. */
  capture: (run: () => Promise<unknown>) => Promise<string[]>;
} {
  let log: string[] | null = null;
  return {
    onQuery: (sql) => {
      log?.push(sql);
    },
    async capture(run) {
      log = [];
      try {
        await run();
        return log;
      } finally {
        log = null;
      }
    },
  };
}

/**
 * The schemas whose names qualify table and type names in Prisma's SQL: `public` on PGlite, the suite's own
 * fresh schema on PostgreSQL. Dropped by `normalizeSql`, so one fixture holds on both.
 */
export async function sqlSchemas(db: Database): Promise<string[]> {
  const [row] = await db.client.$queryRaw<{ schema: string }[]>`SELECT current_schema() AS schema`;
  return [...new Set(['public', row!.schema])];
}

/** Keywords that start a new line in a fixture, so a diff points at the clause that changed. */
const CLAUSES =
  /\s(FROM|WHERE|GROUP BY|HAVING|ORDER BY|LIMIT|OFFSET|(?:LEFT |INNER |CROSS )?JOIN(?: LATERAL)?|UNION(?: ALL)?|RETURNING|VALUES|SET|ON CONFLICT)\s/g;

/**
 * One statement as a fixture holds it: schema qualifiers dropped, whitespace collapsed, each `IN` list of bound
 * values written `IN ($n, …)` (its length is the number of rows, not the query's shape) and the placeholders
 * renumbered in order, then broken into one line per clause (outside string literals).
 */
export function normalizeSql(sql: string, schemas: readonly string[]): string {
  let text = sql.replace(/\s+/g, ' ').trim();
  for (const schema of schemas) text = text.replaceAll(`"${schema}".`, '');
  const renumbered = new Map<string, number>();
  let next = 0;
  text = text.replace(/IN \((\$\d+(?:, ?\$\d+)*)\)|\$(\d+)/g, (_match, list: string | undefined, single: string | undefined) => {
    if (list !== undefined) return `IN ($${++next}, …)`;
    if (!renumbered.has(single!)) renumbered.set(single!, ++next);
    return `$${renumbered.get(single!)}`;
  });
  return text
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(CLAUSES, (_m, clause: string) => `\n  ${clause} `)))
    .join('');
}

const UPDATE_COMMAND = 'UPDATE_SQL_FIXTURES=1 npx vitest run test/sql-fixtures.test.ts';

const header = (source: string) =>
  [
    `-- The SQL of ${source}, in the order it was sent; compared as a set of statements (on PostgreSQL`,
    '-- the batched reads of one level run concurrently). Normalized as packages/testing/src/sql-fixtures.ts says.',
    `-- Rewrite with ${UPDATE_COMMAND}`,
  ].join('\n');

/** The statements of a fixture file. */
function readSqlFixture(file: string): string[] {
  const body = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('--'))
    .join('\n');
  return body
    .split(/;\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Compares normalized statements with the fixture `file` (order aside), or writes it in update mode (only when
 * they differ, so the order seen on one database does not churn the file).
 */
export function expectSqlFixture(file: string, statements: readonly string[], source: string): void {
  const expected = existsSync(file) ? readSqlFixture(file) : null;
  const sorted = (list: readonly string[]) => [...list].sort();
  const same = expected !== null && JSON.stringify(sorted(expected)) === JSON.stringify(sorted(statements));
  if (updatingSqlFixtures) {
    if (!same) writeFileSync(file, `${header(source)}\n\n${statements.map((s) => `${s};\n`).join('\n')}`);
    return;
  }
  if (expected === null) throw new Error(`${file} is missing: write it with ${UPDATE_COMMAND}`);
  // Compared as text, so a failure shows a line diff of the statements (in sorted order) without escaping.
  const text = (list: readonly string[]) => `${sorted(list).join(';\n\n')};\n`;
  const why = `the SQL of ${source} differs from ${basename(file)}; if the change is meant, rewrite it with ${UPDATE_COMMAND}`;
  expect(text(statements), why).toBe(text(expected));
}
