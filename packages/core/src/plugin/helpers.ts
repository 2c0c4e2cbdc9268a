import type { Member, Organization, Prisma } from '@dangjian/db';
import { organizationScope, ownedByScope, requireViewer } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { requestLoader } from '../loaders.ts';

/*
 * Plugin models refer to core rows by plain id columns (core's Prisma models do not know plugins), so
 * plugins resolve those references through these per-request, subtree-scoped batch loaders: one query
 * per request and type however many rows point at organizations or members.
 */

/** The organization with this id if it lies in the viewer's subtree, else null (as if it did not exist). */
export function loadOrganization(ctx: Context, id: string): Promise<Organization | null> {
  return requestLoader<string, Organization | null>(ctx, 'core.organization', async (ids) => {
    const rows = await ctx.db.organization.findMany({ where: { id: { in: [...ids] }, ...organizationScope(ctx) } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((i) => byId.get(i) ?? null);
  }).load(id);
}

/**
 * What Pothos plans for a member a field returns: a `t.prismaField` resolver is handed it as `query`.
 * Loading with it gives the member every column and relation its selected fields read, so none of them
 * reloads the member on its own (Member is in select mode).
 */
export interface MemberQuery {
  select?: Prisma.MemberSelect;
  include?: Prisma.MemberInclude;
}

/**
 * The member with this id if their membership lies in the viewer's subtree, else null. Pass the
 * `query` of a `t.prismaField` resolver: members asked for with the same selection are read in one
 * statement per request.
 */
export function loadMember(ctx: Context, id: string, query: MemberQuery = {}): Promise<Member | null> {
  const shape = JSON.stringify(query);
  return requestLoader<string, Member | null>(ctx, `core.member:${shape}`, async (ids) => {
    // The id is what the rows are matched back by, whatever the selection.
    const planned = query.select ? { select: { ...query.select, id: true } } : query;
    const rows = (await ctx.db.member.findMany({ ...planned, where: { id: { in: [...ids] }, ...ownedByScope(ctx) } })) as Member[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((i) => byId.get(i) ?? null);
  }).load(id);
}

/** Ids of every organization under a path (the path's own included), cached for the request. */
export function organizationIdsUnder(ctx: Context, path: string): Promise<string[]> {
  requireViewer(ctx);
  return requestLoader<string, string[]>(ctx, 'core.subtreeIds', async (paths) =>
    Promise.all(
      paths.map(async (p) => (await ctx.db.organization.findMany({ where: { path: { startsWith: p } }, select: { id: true } })).map((r) => r.id)),
    ),
  ).load(path);
}
