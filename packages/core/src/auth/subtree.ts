import type { Context } from '../context.ts';
import { UnauthenticatedError } from '../errors/errors.ts';
import { AGENCY_ROLES, type Viewer } from './viewer.ts';

/** The signed-in viewer, or an UNAUTHENTICATED error. */
export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw new UnauthenticatedError();
  return ctx.viewer;
}

/** A path no organization has: the scope of a viewer who acts outside the agency tree. */
const NOWHERE = '/~/';

/** The path prefix of what the viewer may see in the agency tree. */
export function scopePath(viewer: Viewer): string {
  return viewer.roles.some((r) => AGENCY_ROLES.includes(r)) ? viewer.organizationPath : NOWHERE;
}

/**
 * Prisma filter for organizations in the viewer's subtree (one indexed prefix match). A community
 * administrator holds no agency role and so matches nothing here: they see only their community's data.
 */
export function organizationScope(ctx: Context) {
  return { path: { startsWith: scopePath(requireViewer(ctx)) } };
}

/** Prisma filter for rows that belong to an organization in the viewer's subtree. */
export function ownedByScope(ctx: Context) {
  return { organization: organizationScope(ctx) };
}
