import { organizationScope, requireViewer, scopePath } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { NotFoundError } from '../errors/errors.ts';
import { decodeId } from '../schema/global-id.ts';

/**
 * The path of the organization an optional `under` argument names, inside the viewer's subtree; the
 * viewer's own path when it is absent. Takes the argument as GraphQL hands it (an `ID` arrives as a
 * string or a number). An organization outside the subtree answers NOT_FOUND, as a missing one does;
 * `field` names the argument in a BAD_USER_INPUT (e.g. `filter.under`).
 */
export async function resolveUnder(ctx: Context, under?: string | number | null, field = 'under'): Promise<string> {
  const viewer = requireViewer(ctx);
  if (under === null || under === undefined || under === '') return scopePath(viewer);
  const globalId = String(under);
  const id = decodeId('Organization', globalId, field);
  const org = await ctx.db.organization.findFirst({ where: { id, ...organizationScope(ctx) }, select: { path: true } });
  if (!org) throw new NotFoundError('Organization', globalId);
  return org.path;
}
