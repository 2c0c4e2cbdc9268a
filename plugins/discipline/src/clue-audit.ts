import { appendAuditIn, auditEntry, requestLoader, requireViewer, type Context } from '@dangjian/core';

/**
 * Writes the access log of one request's clue reads: every field resolved on a clue is a key, and the
 * batch becomes one row per clue listing its fields, in a single INSERT. The row is written before any
 * value is returned, so nothing about a clue is ever shown without its record. Rows are only ever
 * inserted: no code path updates or deletes them, and the database refuses to (see the migration).
 * The same transaction appends one record per clue to the platform's hash-chained audit trail.
 */
async function writeAccessLog(ctx: Context, keys: readonly string[]): Promise<true[]> {
  const viewer = requireViewer(ctx);
  const byClue = new Map<string, string[]>();
  for (const key of keys) {
    const [clueId, field] = JSON.parse(key) as [string, string];
    const fields = byClue.get(clueId) ?? [];
    fields.push(field);
    byClue.set(clueId, fields);
  }
  const at = new Date();
  await ctx.db.$transaction(async (tx) => {
    await tx.disciplineClueAccessLog.createMany({
      data: [...byClue].map(([clueId, fields]) => ({
        clueId,
        userId: viewer.userId,
        organizationId: viewer.organizationId,
        at,
        fields: fields.sort(),
      })),
    });
    await appendAuditIn(
      tx,
      [...byClue.keys()].map((clueId) => auditEntry(ctx, { operation: 'read:Clue', target: `Clue:${clueId}`, result: 'OK' })),
    );
  });
  return keys.map(() => true);
}

/** Records that the viewer read `field` of a clue (once per request and field) and resolves once it is written. */
export function auditClueRead(ctx: Context, clueId: string, field: string): Promise<true> {
  return requestLoader<string, true>(ctx, 'discipline.clueAccessLog', (keys) => writeAccessLog(ctx, keys)).load(
    JSON.stringify([clueId, field]),
  );
}

/** Resolves to `value` after recording the read. */
export async function audited<T>(ctx: Context, clueId: string, field: string, value: T): Promise<T> {
  await auditClueRead(ctx, clueId, field);
  return value;
}
