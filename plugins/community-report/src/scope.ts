// Who sees what in 社区报到. Two kinds of viewer meet here: agency users (ADMIN, SECRETARY, MEMBER …),
// who see the records of organizations and members in their subtree, and community administrators
// (COMMUNITY_ADMIN), who see the records of their one community and nothing of the agency tree. Every
// read and write of this plugin goes through these filters, so anything outside them answers exactly
// like something that does not exist.

import {
  AGENCY_ROLES,
  ForbiddenError,
  loadMember,
  type MemberQuery,
  type OrganizationQuery,
  loadOrganization,
  NotFoundError,
  organizationIdsUnder,
  requestLoader,
  requireViewer,
  rootOf,
  type Context,
  type Viewer,
} from '@dangjian/core';
import type { Member, Organization, Prisma } from '@dangjian/db';

/** Writes on the agency side (registrations, claims, service records, teams) are kept by party-affairs cadres. */
export const AGENCY_WRITERS = { role: 'ADMIN', $any: { role: 'SECRETARY' } } as const;

/** Writes on the community side (demands, confirmations, verification) are the community's own. */
export const COMMUNITY_WRITERS = { role: 'COMMUNITY_ADMIN' } as const;

/** True when the viewer acts inside the agency tree. */
export function isAgencyViewer(viewer: Viewer): boolean {
  return viewer.roles.some((r) => AGENCY_ROLES.includes(r));
}

/**
 * The community a community administrator acts for, when it exists and belongs to their department
 * (the top-level organization of their token); null otherwise. Cached for the request.
 */
export function adminCommunityId(ctx: Context): Promise<string | null> {
  const viewer = requireViewer(ctx);
  if (!viewer.roles.includes('COMMUNITY_ADMIN') || !viewer.communityId) return Promise.resolve(null);
  return requestLoader<string, string | null>(ctx, 'community-report.adminCommunity', async (ids) => {
    const rows = await ctx.db.community.findMany({
      where: { id: { in: [...ids] }, rootOrganizationId: rootOf(viewer) },
      select: { id: true },
    });
    const found = new Set(rows.map((r) => r.id));
    return ids.map((id) => (found.has(id) ? id : null));
  }).load(viewer.communityId);
}

/** The community a community-side write acts on: the administrator's own, else FORBIDDEN. */
export async function requireAdminCommunity(ctx: Context): Promise<string> {
  const id = await adminCommunityId(ctx);
  if (!id) throw new ForbiddenError('requires a community administrator of an existing community of this department');
  return id;
}

/** Prisma filter for the communities the viewer sees: their department's, or their own one. Synchronous. */
export function communityWhere(ctx: Context): Prisma.CommunityWhereInput {
  const viewer = requireViewer(ctx);
  const root = rootOf(viewer);
  const any: Prisma.CommunityWhereInput[] = [];
  if (isAgencyViewer(viewer)) any.push({ rootOrganizationId: root });
  if (viewer.roles.includes('COMMUNITY_ADMIN') && viewer.communityId) any.push({ id: viewer.communityId, rootOrganizationId: root });
  return any.length ? { OR: any } : { id: { in: [] } };
}

/** What the viewer may see of records owned by organizations: ids of their subtree, and their community. */
export interface RecordScope {
  /** Organization ids of the viewer's subtree, or null for a viewer outside the agency tree. */
  organizationIds: string[] | null;
  /** The community administrator's community, or null. */
  communityId: string | null;
}

/** The viewer's record scope, from two cached per-request loads. */
export async function recordScope(ctx: Context): Promise<RecordScope> {
  const viewer = requireViewer(ctx);
  const [organizationIds, communityId] = await Promise.all([
    isAgencyViewer(viewer) ? organizationIdsUnder(ctx, viewer.organizationPath) : Promise.resolve(null),
    adminCommunityId(ctx),
  ]);
  return { organizationIds, communityId };
}

/** Filter for rows carrying `organizationId` and `communityId` (registrations, service records). */
export function ownedWhere(scope: RecordScope): { OR: { organizationId?: { in: string[] }; communityId?: string }[] } {
  const any: { organizationId?: { in: string[] }; communityId?: string }[] = [];
  if (scope.organizationIds) any.push({ organizationId: { in: scope.organizationIds } });
  if (scope.communityId) any.push({ communityId: scope.communityId });
  return { OR: any.length ? any : [{ organizationId: { in: [] } }] };
}

/** Filter for demand claims: the claimant's organization in the subtree, or the demand in the community. */
export function claimWhere(scope: RecordScope): Prisma.CommunityDemandClaimWhereInput {
  const any: Prisma.CommunityDemandClaimWhereInput[] = [];
  if (scope.organizationIds) any.push({ organizationId: { in: scope.organizationIds } });
  if (scope.communityId) any.push({ demand: { communityId: scope.communityId } });
  return { OR: any.length ? any : [{ organizationId: { in: [] } }] };
}

/** Filter for volunteer teams: agency-only, by the organization that runs the team. */
export function teamWhere(scope: RecordScope): Prisma.VolunteerTeamWhereInput {
  return { organizationId: { in: scope.organizationIds ?? [] } };
}

/** Loads a community the viewer sees or fails with NOT_FOUND, as if it did not exist. */
export async function findCommunity(db: Prisma.TransactionClient, ctx: Context, id: string, globalId: string) {
  const community = await db.community.findFirst({ where: { id, ...communityWhere(ctx) } });
  if (!community) throw new NotFoundError('Community', globalId);
  return community;
}

/** A member's name and the names of their organization and agency, for rows the viewer already sees. */
export interface MemberNames {
  name: string;
  organizationName: string;
  agency: string | null;
}

/**
 * Names of the members a visible row involves. Community administrators see no agency data through
 * core's queries, yet must know who registered, claimed or served in their community: these names are
 * read only for rows that passed the scope filters above, batched per request.
 */
export function memberNames(ctx: Context, memberId: string): Promise<MemberNames | null> {
  return requestLoader<string, MemberNames | null>(ctx, 'community-report.memberNames', async (ids) => {
    const rows = await ctx.db.member.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, name: true, organization: { select: { name: true, agency: true } } },
    });
    const byId = new Map(rows.map((r) => [r.id, { name: r.name, organizationName: r.organization.name, agency: r.organization.agency }]));
    return ids.map((id) => byId.get(id) ?? null);
  }).load(memberId);
}

/** Name and agency of an organization a visible row involves (see `memberNames`). */
export function organizationNames(ctx: Context, organizationId: string): Promise<{ name: string; agency: string | null } | null> {
  return requestLoader<string, { name: string; agency: string | null } | null>(ctx, 'community-report.organizationNames', async (ids) => {
    const rows = await ctx.db.organization.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, agency: true } });
    const byId = new Map(rows.map((r) => [r.id, { name: r.name, agency: r.agency }]));
    return ids.map((id) => byId.get(id) ?? null);
  }).load(organizationId);
}

/** Loads a member of the viewer's subtree with its organization (for writes), or NOT_FOUND. */
export async function findMemberForWrite(tx: Prisma.TransactionClient, ctx: Context, id: string, globalId: string) {
  const viewer = requireViewer(ctx);
  const member = isAgencyViewer(viewer)
    ? await tx.member.findFirst({
        where: { id, organization: { path: { startsWith: viewer.organizationPath } } },
        include: { organization: { select: { id: true, path: true, name: true, agency: true } } },
      })
    : null;
  if (!member) throw new NotFoundError('Member', globalId);
  return member;
}

/** Loads an organization of the viewer's subtree (for writes), or NOT_FOUND. */
export async function findOrganizationForWrite(tx: Prisma.TransactionClient, ctx: Context, id: string, globalId: string) {
  const viewer = requireViewer(ctx);
  const org = isAgencyViewer(viewer)
    ? await tx.organization.findFirst({
        where: { id, path: { startsWith: viewer.organizationPath } },
        select: { id: true, path: true, name: true, agency: true },
      })
    : null;
  if (!org) throw new NotFoundError('Organization', globalId);
  return org;
}

/** The organization an activity about a record is filed under: its own, or (once dissolved) the department's. */
export async function activityOrganization(tx: Prisma.TransactionClient, organizationId: string, rootOrganizationId: string) {
  const org = await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true, path: true } });
  return org ?? { id: rootOrganizationId, path: `/${rootOrganizationId}/` };
}

/**
 * Core's scoped loaders for a member or organization a row refers to. A viewer outside the agency tree
 * sees none of it, so they get null without a query (core's "nowhere" path is not a valid SQL text).
 */
export function scopedMember(ctx: Context, id: string, query?: MemberQuery): Promise<Member | null> {
  return isAgencyViewer(requireViewer(ctx)) ? loadMember(ctx, id, query) : Promise.resolve(null);
}

/** See `scopedMember`. */
export function scopedOrganization(ctx: Context, id: string, query?: OrganizationQuery): Promise<Organization | null> {
  return isAgencyViewer(requireViewer(ctx)) ? loadOrganization(ctx, id, query) : Promise.resolve(null);
}
