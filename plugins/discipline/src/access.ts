import {
  ForbiddenError,
  hasRole,
  inSubtree,
  organizationIdsUnder,
  requireViewer,
  scopePath,
  type Context,
  type Viewer,
} from '@dangjian/core';
import type { Prisma } from '@dangjian/db';

/**
 * Roles that see inspections, problems and rectifications of their subtree: these are working papers of
 * the party committees, not news for every member.
 */
export const INSPECTION_READERS = ['ADMIN', 'SECRETARY', 'DISCIPLINE', 'AUDITOR'] as const;

/** Scope maps hold each scope once, so the second role goes into a nested `$any`. */
export const ADMIN_OR_DISCIPLINE = { role: 'ADMIN', $any: { role: 'DISCIPLINE' } } as const;
export const ADMIN_OR_SECRETARY = { role: 'ADMIN', $any: { role: 'SECRETARY' } } as const;

/** Ids of the organizations whose inspections the viewer sees under `path` (none for a plain member). */
export async function inspectedIdsUnder(ctx: Context, path: string): Promise<string[]> {
  const viewer = requireViewer(ctx);
  if (!hasRole(viewer, ...INSPECTION_READERS)) return [];
  return organizationIdsUnder(ctx, path);
}

/** The where of inspections visible to the viewer anywhere in their subtree. */
export async function visibleInspectionWhere(ctx: Context): Promise<Prisma.DisciplineInspectionWhereInput> {
  return { inspectedOrganizationId: { in: await inspectedIdsUnder(ctx, scopePath(requireViewer(ctx))) } };
}

/**
 * 督查方 — the viewer acts for the inspecting committee or a superior of it. ADMIN or DISCIPLINE is
 * checked by authScopes; this adds the place in the tree.
 */
export function assertInspectingSide(viewer: Viewer, inspecting: { path: string }): void {
  if (!inspecting.path.startsWith(viewer.organizationPath)) {
    throw new ForbiddenError('only the inspecting committee (or a superior of it) acts on its inspection findings');
  }
}

/**
 * 被督查方 — the viewer acts for the inspected organization (or between it and the inspecting committee),
 * but not for the inspecting committee or above it: nobody accepts their own rectification.
 */
export function assertInspectedSide(viewer: Viewer, inspected: { path: string }, inspecting: { path: string }): void {
  if (!inSubtree(viewer, inspected.path) || inspecting.path.startsWith(viewer.organizationPath)) {
    throw new ForbiddenError('only the inspected organization answers its problems; the inspecting committee reviews the answers');
  }
}

/**
 * The where of clues the viewer may read, all in SQL so pages, counts and statistics agree: the viewer holds
 * DISCIPLINE, the receiving organization lies in their subtree (they act for it or an ancestor), and the
 * viewer is not the clue's subject. Anyone else matches nothing — exactly as if no clue existed.
 */
export async function visibleClueWhere(ctx: Context, path?: string): Promise<Prisma.DisciplineClueWhereInput> {
  const viewer = requireViewer(ctx);
  if (!hasRole(viewer, 'DISCIPLINE')) return { receivingOrganizationId: { in: [] } };
  const ids = await organizationIdsUnder(ctx, path ?? scopePath(viewer));
  return {
    receivingOrganizationId: { in: ids },
    // A plain `not` would drop rows whose column is NULL (SQL three-valued logic), hence the explicit null.
    AND: [
      { OR: [{ subjectMemberId: null }, { subjectMemberId: { not: viewer.userId } }] },
      { OR: [{ subjectOrganizationId: null }, { subjectOrganizationId: { not: viewer.organizationId } }] },
    ],
  };
}
