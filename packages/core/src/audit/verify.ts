import type { PrismaClient } from '@dangjian/db';
import { auditHash, GENESIS_HASH } from './chain.ts';

/** Outcome of walking the chain from the first record. */
export interface ChainReport {
  /** Records checked before the walk ended (all of them when intact). */
  checked: number;
  /** The first record that does not fit, or null when the chain is intact. */
  firstBroken: { seq: number; reason: string } | null;
}

/**
 * Recomputes every link in `seq` order. Reports the first record whose hash does not match its content,
 * whose `prevHash` is not its predecessor's hash, or that follows a gap (a deleted record).
 */
export async function verifyAuditChain(db: PrismaClient, batchSize = 2000): Promise<ChainReport> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db.auditRecord.findMany({
      where: { seq: { gte: expectedSeq } },
      orderBy: { seq: 'asc' },
      take: batchSize,
    });
    if (rows.length === 0) return { checked, firstBroken: null };
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return {
          checked,
          firstBroken: {
            seq: row.seq,
            reason: `records ${expectedSeq}–${row.seq - 1} are missing`,
          },
        };
      }
      if (row.prevHash !== prevHash) {
        return {
          checked,
          firstBroken: {
            seq: row.seq,
            reason: `prevHash does not match the hash of record ${row.seq - 1}`,
          },
        };
      }
      const computed = auditHash(row);
      if (computed !== row.hash) {
        return {
          checked,
          firstBroken: {
            seq: row.seq,
            reason: 'content does not match its hash (the record was altered)',
          },
        };
      }
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
}
