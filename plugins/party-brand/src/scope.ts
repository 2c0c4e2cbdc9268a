import { organizationIdsUnder, requireViewer, scopePath, type Context } from '@dangjian/core';

/** Ids of every organization in the viewer's subtree (cached for the request). */
export function scopeIds(ctx: Context): Promise<string[]> {
  return organizationIdsUnder(ctx, scopePath(requireViewer(ctx)));
}

/** Prisma filter for brands of organizations in the viewer's subtree. */
export async function brandScope(ctx: Context): Promise<{ organizationId: { in: string[] } }> {
  return { organizationId: { in: await scopeIds(ctx) } };
}

/** Ids on a materialized path `/a/b/c/`: the organization and all its ancestors. */
export function idsOnPath(path: string): string[] {
  return path.split('/').filter(Boolean);
}

/**
 * Organizations whose brand plans the viewer sees under `path`: those in the subtree, and those above
 * it. A plan is the committee's instruction to every organization below it — a branch applies under
 * its working committee's plan, so it must be able to read that plan (its name, years and goals; the
 * committee itself still reads as null to it, and the plan's figures count only the viewer's subtree).
 */
export async function planOrganizationIds(ctx: Context, path: string): Promise<string[]> {
  const viewer = requireViewer(ctx);
  const below = await organizationIdsUnder(ctx, path);
  // A viewer without an agency role sees no agency data at all, and so no plan either.
  if (scopePath(viewer) !== viewer.organizationPath) return below;
  return [...new Set([...idsOnPath(path), ...below])];
}
