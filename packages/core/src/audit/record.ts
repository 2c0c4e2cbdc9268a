import type { Context } from '../context.ts';
import { appendAudit, type AuditEntry } from './append.ts';
import { requestLoader } from '../loaders.ts';

/** A protected read: what was read (`read:Member.nationalId`), of which object, under which organization. */
export interface ProtectedRead {
  operation: string;
  target: string;
  organizationId: string | null;
}

/** The audit entry for `ctx`'s user and request. */
export function auditEntry(
  ctx: Context,
  fields: {
    operation: string;
    target: string | null;
    result: string;
    organizationId?: string | null;
  },
): AuditEntry {
  return {
    userId: ctx.viewer?.userId ?? null,
    organizationId: fields.organizationId ?? ctx.viewer?.organizationId ?? null,
    operation: fields.operation,
    target: fields.target,
    result: fields.result,
    clientAddress: ctx.requestInfo.clientAddress,
    requestId: ctx.requestInfo.id,
  };
}

/**
 * Records a read of protected data before the data is returned: the caller awaits it, so nothing is shown
 * without its record (fail closed). Reads of one request are batched into one append; the same read twice
 * in a request is recorded once.
 */
export async function auditProtectedRead(ctx: Context, read: ProtectedRead): Promise<void> {
  const key = JSON.stringify([read.operation, read.target, read.organizationId]);
  await requestLoader<string, true>(ctx, 'audit.protectedRead', async (keys) => {
    const entries = keys.map((k) => {
      const [operation, target, organizationId] = JSON.parse(k) as [string, string, string | null];
      return auditEntry(ctx, {
        operation,
        target,
        result: 'OK',
        organizationId,
      });
    });
    await appendAudit(ctx.db, entries);
    return keys.map(() => true as const);
  }).load(key);
}
