// What every part of the plugin shares: who may write, how rows are kept inside the viewer's subtree,
// and loading core rows the way a mutation must (in the transaction, inside the subtree).

import {
  decodeId,
  InputError,
  NotFoundError,
  organizationIdsUnder,
  organizationScope,
  requireViewer,
  scopePath,
  type Context,
  type Tx,
} from '@dangjian/core';
import { Prisma } from '@dangjian/db';

/** Who may write dual-cultivation records: ADMIN or SECRETARY (the second role sits in a nested `$any`). */
export const WRITERS = { role: 'ADMIN', $any: { role: 'SECRETARY' } } as const;

/** Ids of every organization in the viewer's subtree (cached per request). */
export function viewerOrganizationIds(ctx: Context): Promise<string[]> {
  return organizationIdsUnder(ctx, scopePath(requireViewer(ctx)));
}

const idSets = new WeakMap<Context, Promise<ReadonlySet<string>>>();

/** The same ids as a set, for checking rows loaded through a relation (once per request). */
export function viewerOrganizationIdSet(ctx: Context): Promise<ReadonlySet<string>> {
  let set = idSets.get(ctx);
  if (!set) {
    set = viewerOrganizationIds(ctx).then((ids) => new Set(ids));
    idSets.set(ctx, set);
  }
  return set;
}

/** Prisma filter on this plugin's `organizationId` columns: rows of the viewer's subtree only. */
export async function inViewerScope(ctx: Context): Promise<{ organizationId: { in: string[] } }> {
  return { organizationId: { in: await viewerOrganizationIds(ctx) } };
}

/**
 * The organization of a plugin row, if it lies in the viewer's subtree — read through the transaction.
 * Inside a transaction nothing may go through `ctx.db` (the embedded database has one connection, which
 * the transaction holds), so mutations check scope here rather than with `inViewerScope`.
 */
export function scopedOrganization(tx: Tx, ctx: Context, organizationId: string) {
  return tx.organization.findFirst({ where: { id: organizationId, ...organizationScope(ctx) } });
}

// Loading core rows inside a transaction, scoped to the viewer's subtree, is core's job.
export { findMemberInScope, findOrganizationInScope, isUniqueViolation } from '@dangjian/core';

/** A Decimal column as money with its fen ("1200" → "1200.00"); null stays null. */
export function money(value: { toFixed(digits: number): string } | null): string | null {
  return value === null ? null : value.toFixed(2);
}
