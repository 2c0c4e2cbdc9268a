import { createHash } from 'node:crypto';

/** `prevHash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** One audit record as stored (等保2.0 安全审计: time, user, organization, operation, target, result, client address). */
export interface AuditRecordFields {
  seq: number;
  at: Date;
  userId: string | null;
  organizationId: string | null;
  operation: string;
  target: string | null;
  result: string;
  clientAddress: string | null;
  requestId: string | null;
  prevHash: string;
}

/**
 * SHA-256 over a fixed-order JSON array of every field, the previous record's hash included: changing,
 * removing or reordering any record breaks every link after it. JSON (not concatenation) so that no two
 * different records can encode to the same bytes.
 */
export function auditHash(record: AuditRecordFields): string {
  const canonical = JSON.stringify([
    record.seq,
    record.at.toISOString(),
    record.userId,
    record.organizationId,
    record.operation,
    record.target,
    record.result,
    record.clientAddress,
    record.requestId,
    record.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
