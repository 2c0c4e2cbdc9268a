import type { DevelopmentRecord, Member, Organization, Prisma } from '@dangjian/db';
import { organizationScope, ownedByScope, requireViewer } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { requestLoader } from '../loaders.ts';
import { plannedRowsById, type FindByIds, type PlannedQuery } from '../schema/planned-rows.ts';

/*
 * Plugin models refer to core rows by plain id columns (core's Prisma models do not know plugins), so
 * plugins resolve those references through these per-request, subtree-scoped batch loaders: one query
 * per request and type however many rows point at organizations or members.
 */

/** The selection a member-returning `t.prismaField` resolver is handed (Member is in select mode). */
export type MemberQuery = PlannedQuery<Prisma.MemberSelect, Prisma.MemberInclude>;

/** The selection an organization-returning `t.prismaField` resolver is handed. */
export type OrganizationQuery = PlannedQuery<Prisma.OrganizationSelect, Prisma.OrganizationInclude>;

/**
 * Rows by id through a per-request loader per planned selection: one statement per selection and
 * request. Loading with the planned selection gives the row what its selected fields read, so none of
 * them reloads it on its own (one statement per row, since the reload is subtree-scoped).
 */
function loadPlanned<Row extends { id: string }, Q extends PlannedQuery<object, object>>(
  ctx: Context,
  name: string,
  id: string,
  query: Q,
  find: FindByIds<Row, Q>,
): Promise<Row | null> {
  return requestLoader<string, Row | null>(ctx, `${name}:${JSON.stringify(query)}`, async (ids) => {
    const byId = await plannedRowsById(ids, query, find);
    return ids.map((i) => byId.get(i) ?? null);
  }).load(id);
}

/**
 * The organization with this id if it lies in the viewer's subtree, else null (as if it did not exist).
 * Pass the `query` of a `t.prismaField` resolver: organizations asked for with the same selection are
 * read in one statement per request, with what their selected fields need.
 */
export function loadOrganization(ctx: Context, id: string, query: OrganizationQuery = {}): Promise<Organization | null> {
  return loadPlanned(
    ctx,
    'core.organization',
    id,
    query,
    (ids, planned) =>
      ctx.db.organization.findMany({ ...planned, where: { id: { in: ids }, ...organizationScope(ctx) } }) as Promise<Organization[]>,
  );
}

/**
 * The member with this id if their membership lies in the viewer's subtree, else null. Pass the
 * `query` of a `t.prismaField` resolver: members asked for with the same selection are read in one
 * statement per request.
 */
export function loadMember(ctx: Context, id: string, query: MemberQuery = {}): Promise<Member | null> {
  return loadPlanned(
    ctx,
    'core.member',
    id,
    query,
    (ids, planned) => ctx.db.member.findMany({ ...planned, where: { id: { in: ids }, ...ownedByScope(ctx) } }) as Promise<Member[]>,
  );
}

/** The selection a development-record-returning `t.prismaField` resolver is handed. */
export type DevelopmentRecordQuery = PlannedQuery<Prisma.DevelopmentRecordSelect, Prisma.DevelopmentRecordInclude>;

/**
 * The development record (发展记录) with this id if its branch lies in the viewer's subtree, else null.
 * Records asked for with the same selection are read in one statement per request.
 */
export function loadDevelopmentRecord(ctx: Context, id: string, query: DevelopmentRecordQuery = {}): Promise<DevelopmentRecord | null> {
  return loadPlanned(
    ctx,
    'core.developmentRecord',
    id,
    query,
    (ids, planned) =>
      ctx.db.developmentRecord.findMany({
        ...planned,
        where: { id: { in: ids }, organization: organizationScope(ctx) },
      }) as Promise<DevelopmentRecord[]>,
  );
}

/** Ids of every organization under a path (the path's own included), cached for the request. */
export function organizationIdsUnder(ctx: Context, path: string): Promise<string[]> {
  requireViewer(ctx);
  return requestLoader<string, string[]>(ctx, 'core.subtreeIds', async (paths) =>
    Promise.all(
      paths.map(async (p) =>
        (await ctx.db.organization.findMany({ where: { path: { startsWith: p } }, select: { id: true } })).map((r) => r.id),
      ),
    ),
  ).load(path);
}
