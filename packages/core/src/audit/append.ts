import type { Prisma, PrismaClient } from '@dangjian/db';
import { auditHash, GENESIS_HASH } from './chain.ts';

/** What a caller says happened; sequence, time and hashes are assigned on append. */
export interface AuditEntry {
  userId: string | null;
  organizationId: string | null;
  operation: string;
  target: string | null;
  result: string;
  clientAddress: string | null;
  requestId: string | null;
}

// Any constant works; it names the one lock every appender (in any process) takes, so the chain is
// extended by one writer at a time and `seq` has no gaps.
const CHAIN_LOCK = 0x6461_6e67; // "dang"

/** Appends entries to the chain inside `tx` (the caller's transaction, so they commit or roll back with it). */
export async function appendAuditIn(tx: Prisma.TransactionClient, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK}::bigint)`;
  const last = await tx.auditRecord.findFirst({
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  // Timestamps are stored to the millisecond; hashing the truncated value keeps the stored row verifiable.
  const at = new Date();
  const rows = entries.map((entry) => {
    seq += 1;
    const fields = { ...entry, seq, at, prevHash };
    const hash = auditHash(fields);
    prevHash = hash;
    return { ...fields, hash };
  });
  await tx.auditRecord.createMany({ data: rows });
}

/** Appends entries in a transaction of their own. */
export async function appendAudit(db: PrismaClient, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.$transaction((tx) => appendAuditIn(tx, entries), {
    maxWait: 10_000,
    timeout: 15_000,
  });
}
