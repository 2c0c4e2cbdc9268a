import type { Context } from '../context.ts';
import { UnauthenticatedError } from '../errors/errors.ts';
import type { Viewer } from './viewer.ts';

/** The signed-in viewer, or an UNAUTHENTICATED error. */
export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw new UnauthenticatedError();
  return ctx.viewer;
}

/** Prisma filter for organizations in the viewer's subtree (one indexed prefix match). */
export function organizationScope(ctx: Context) {
  return { path: { startsWith: requireViewer(ctx).organizationPath } };
}

/** Prisma filter for rows that belong to an organization in the viewer's subtree. */
export function ownedByScope(ctx: Context) {
  return { organization: organizationScope(ctx) };
}
