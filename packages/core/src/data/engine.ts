// The mechanics every import shares: spool the upload, read its rows in chunks, check them, write the
// valid ones in one transaction (the batch), and keep a record of the batch with its error report.
// What a kind of table means (members, organizations) is a `ImportKind` handed in.

import type { Readable } from 'node:stream';
import type { PrismaClient } from '@dangjian/db';
import { transact, type Tx } from '../activity/record.ts';
import { appendAudit, appendAuditIn } from '../audit/append.ts';
import { auditEntry } from '../audit/record.ts';
import type { Context } from '../context.ts';
import { withBoundedHeapGrowth } from '../kit/heap-growth.ts';
import { assertTableNames, refreshStatisticsAfter } from '../kit/statistics.ts';
import { type ColumnSpec, type ImportProblem, matchHeaders, RowReader } from './columns.ts';
import type { ImportLimits } from './limits.ts';
import { openTable, type Cell, type TableRow } from './rows.ts';
import { spoolTable } from './spool.ts';
import { writeWorkbook } from './workbook.ts';

/** 导入方式: check only; write all rows or none; write the rows that pass. */
export type ImportMode = 'VALIDATE' | 'ALL_OR_NOTHING' | 'VALID_ROWS';
/** 已登记人员: leave them as they are, or update them from the file. */
export type ExistingPolicy = 'SKIP' | 'UPDATE';

/** The organization an import acts for; every row must lie in its subtree. */
export interface ImportScope {
  id: string;
  path: string;
  kind: string;
  code: string;
  name: string;
}

export interface ImportOptions {
  mode: ImportMode;
  existing: ExistingPolicy;
  fileName: string;
  scope: ImportScope;
  limits: ImportLimits;
  /** Called after each chunk with the number of data rows read so far (the CLI's progress bar). */
  onProgress?: (rowsRead: number) => void;
  /** How long the writing transaction may run (default 15 minutes: a 100k-row batch on the embedded database). */
  transactionTimeoutMs?: number;
}

/** What happened to one chunk's rows. */
export interface ChunkOutcome {
  created: number;
  updated: number;
  skipped: number;
}

/** A kind of table: its columns and how a chunk of rows is checked and (when `write`) written. */
export interface ImportKind<K extends string> {
  /** `members`, `organizations`, `dues-bases` …: the batch's kind and the audit operation `import:<kind>`. */
  name: string;
  /** What the activity summary calls it, e.g. 党员花名册. */
  label: string;
  /** The activity kind of a committed batch, e.g. `member.imported`. */
  activity: string;
  /**
   * The tables a committed batch fills (with those its triggers fill): their planner statistics are refreshed
   * after a batch large enough to change them (`refreshStatisticsAfter`). None when omitted.
   */
  tables?: readonly string[];
  columns: readonly ColumnSpec<K>[];
  /** Lines for the template's instructions sheet about the layout of this kind (beside the per-column notes). */
  instructions?: readonly string[];
  /** Prepares per-import state (caches, duplicate sets) and returns the chunk processor. */
  start(ctx: Context, options: ImportOptions): (db: Tx | PrismaClient, rows: RowReader<K>[], write: boolean) => Promise<ChunkOutcome>;
}

/** The result of an import. */
export interface ImportOutcome {
  batchId: string;
  kind: string;
  mode: ImportMode;
  fileName: string;
  /** Data rows read. */
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  /** Rows with at least one problem. */
  rejected: number;
  /** True when rows were written. */
  committed: boolean;
  /** Every problem, by row and column (the first REPORTED_PROBLEMS of them). */
  problems: ImportProblem[];
  /** How many problems there were in all. */
  problemCount: number;
  hasErrorReport: boolean;
}

const CHUNK = 500;
/** Problems kept for the answer; the error report lists every rejected row up to REPORT_ROWS. */
export const REPORTED_PROBLEMS = 1000;
const REPORT_ROWS = 20_000;

class Rollback extends Error {}

/** Imports a table file: see the README section "数据导入导出" for the rules. */
export async function runImport<K extends string>(
  ctx: Context,
  kind: ImportKind<K>,
  source: Readable | AsyncIterable<Uint8Array>,
  options: ImportOptions,
): Promise<ImportOutcome> {
  // Checked before anything is written: a bad name found after the commit would report a written batch as failed.
  assertTableNames(kind.tables ?? []);
  // Memory flat in the rows read: see kit/heap-growth.ts for why this is a GC setting and not our objects.
  return withBoundedHeapGrowth(() => importTable(ctx, kind, source, options));
}

async function importTable<K extends string>(
  ctx: Context,
  kind: ImportKind<K>,
  source: Readable | AsyncIterable<Uint8Array>,
  options: ImportOptions,
): Promise<ImportOutcome> {
  const spooled = await spoolTable(source, options.limits);
  try {
    const table = await openTable(spooled, options.limits);
    const specs = new Map(kind.columns.map((c) => [c.key, c] as const));
    const { index, problems: headerProblems } = matchHeaders(table.headers, kind.columns);
    const state = {
      rows: 0,
      created: 0,
      updated: 0,
      skipped: 0,
      rejected: 0,
      problemCount: headerProblems.length,
      problems: [...headerProblems] as ImportProblem[],
      report: [] as { row: number; cells: readonly Cell[]; messages: string }[],
    };
    const process = kind.start(ctx, options);

    const consume = async (db: Tx | PrismaClient, write: boolean) => {
      if (headerProblems.length > 0) return;
      let chunk: TableRow[] = [];
      const flush = async () => {
        const readers = chunk.map((r) => new RowReader(r.row, r.cells, index, specs));
        const allowed = write && !(options.mode === 'ALL_OR_NOTHING' && state.rejected > 0);
        const outcome = await process(db, readers, allowed);
        for (const reader of readers) {
          if (reader.problems.length === 0) continue;
          state.rejected++;
          state.problemCount += reader.problems.length;
          for (const p of reader.problems) if (state.problems.length < REPORTED_PROBLEMS) state.problems.push(p);
          if (state.report.length < REPORT_ROWS) {
            const cells = chunk.find((r) => r.row === reader.row)!.cells;
            state.report.push({
              row: reader.row,
              cells,
              messages: reader.problems.map((p) => (p.column ? `${p.column}：${p.message}` : p.message)).join('；'),
            });
          }
        }
        // A validation run reports what an import would do.
        if (allowed || options.mode === 'VALIDATE') {
          state.created += outcome.created;
          state.updated += outcome.updated;
          state.skipped += outcome.skipped;
        } else state.skipped += outcome.skipped;
        state.rows += chunk.length;
        chunk = [];
        options.onProgress?.(state.rows);
      };
      for await (const row of table.rows) {
        chunk.push(row);
        if (chunk.length >= CHUNK) await flush();
      }
      if (chunk.length > 0) await flush();
    };

    const errorReport = async () =>
      state.report.length === 0
        ? null
        : writeWorkbook([
            {
              name: '错误报告',
              header: ['行号', ...table.headers, '错误'],
              rows: state.report.map((r) => [r.row, ...table.headers.map((_, i) => r.cells[i] ?? null), r.messages]),
            },
          ]);
    const summary = () =>
      `created=${state.created} updated=${state.updated} skipped=${state.skipped} rejected=${state.rejected} rows=${state.rows}`;
    const batchData = (committed: boolean, report: Buffer | null) => ({
      kind: kind.name,
      mode: options.mode,
      existing: options.existing,
      fileName: options.fileName.slice(0, 255),
      sha256: spooled.sha256,
      bytes: spooled.bytes,
      organizationId: options.scope.id,
      path: options.scope.path,
      userId: ctx.viewer?.userId ?? null,
      rows: state.rows,
      created: committed ? state.created : 0,
      updated: committed ? state.updated : 0,
      skipped: state.skipped,
      rejected: state.rejected,
      committed,
      errorReport: report ? new Uint8Array(report) : null,
    });
    const audit = (batchId: string, committed: boolean) =>
      auditEntry(ctx, {
        operation: `import:${kind.name}`,
        target: `ImportBatch:${batchId}`,
        result: `${committed ? 'OK' : options.mode === 'VALIDATE' ? 'VALIDATED' : 'REFUSED'} ${summary()}`,
        organizationId: options.scope.id,
      });

    let batchId: string | null = null;
    if (options.mode !== 'VALIDATE') {
      try {
        batchId = await transact(
          ctx,
          async (tx, record) => {
            await consume(tx, true);
            if (headerProblems.length > 0 || (options.mode === 'ALL_OR_NOTHING' && state.rejected > 0)) throw new Rollback();
            const batch = await tx.importBatch.create({ data: batchData(true, await errorReport()), select: { id: true } });
            await record({
              kind: kind.activity,
              organization: options.scope,
              subjectType: 'ImportBatch',
              subjectId: batch.id,
              summary: `${options.scope.name}导入${kind.label}：新增 ${state.created}，更新 ${state.updated}，跳过 ${state.skipped}，拒绝 ${state.rejected}`,
              data: { batchId: batch.id, created: state.created, updated: state.updated, skipped: state.skipped, rejected: state.rejected },
            });
            await appendAuditIn(tx, [audit(batch.id, true)]);
            return batch.id;
          },
          { timeout: options.transactionTimeoutMs ?? 15 * 60_000 },
        );
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
      }
    } else {
      await consume(ctx.db, false);
    }
    const committed = batchId !== null;
    // The rows are there; the planner learns of them now, not when (on the embedded database: if ever) autovacuum runs.
    if (committed && kind.tables) await refreshStatisticsAfter(ctx.db, kind.tables, state.created + state.updated);
    if (!batchId) {
      const batch = await ctx.db.importBatch.create({ data: batchData(false, await errorReport()), select: { id: true } });
      batchId = batch.id;
      await appendAudit(ctx.db, [audit(batchId, false)]);
    }
    return {
      batchId,
      kind: kind.name,
      mode: options.mode,
      fileName: options.fileName,
      rows: state.rows,
      created: committed || options.mode === 'VALIDATE' ? state.created : 0,
      updated: committed || options.mode === 'VALIDATE' ? state.updated : 0,
      skipped: state.skipped,
      rejected: state.rejected,
      committed,
      problems: state.problems,
      problemCount: state.problemCount,
      hasErrorReport: state.report.length > 0,
    };
  } finally {
    await spooled.dispose();
  }
}
