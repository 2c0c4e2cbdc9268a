import type { AssessmentScheme } from '@dangjian/db';
import type { Tx } from '../activity/record.ts';
import { requireViewer, scopePath } from '../auth/subtree.ts';
import { hasRole } from '../auth/viewer.ts';
import type { Context } from '../context.ts';
import { ForbiddenError, IllegalStateError, NotFoundError } from '../errors/errors.ts';
import { decodeId } from '../schema/global-id.ts';

/**
 * Who runs a department's 考核: its ADMIN, or its SECRETARY (the working committee's own secretary),
 * acting for the department itself (the top-level organization). A committee below it or a branch may
 * see schemes and its own cards, but never set them: the department assesses its tree, not the other way.
 */
export function assertRunsAssessment(ctx: Context, departmentId: string): void {
  const viewer = requireViewer(ctx);
  if (!hasRole(viewer, 'ADMIN', 'SECRETARY')) throw new ForbiddenError('requires role ADMIN or SECRETARY');
  if (viewer.organizationId !== departmentId) {
    throw new ForbiddenError('assessment schemes and tasks are run by the department (its ADMIN or SECRETARY)');
  }
}

/** True when the viewer works inside the department (a scheme of it is visible to them). */
export function seesDepartment(ctx: Context, departmentId: string): boolean {
  return scopePath(requireViewer(ctx)).startsWith(`/${departmentId}/`);
}

/** A scheme of the viewer's department, or NOT_FOUND exactly as if it did not exist. */
export async function findSchemeInScope(db: Pick<Tx, 'assessmentScheme'>, ctx: Context, globalId: string, field: string) {
  const id = decodeId('AssessmentScheme', globalId, field);
  const scheme = await db.assessmentScheme.findUnique({ where: { id }, include: { items: { orderBy: { position: 'asc' } } } });
  if (!scheme || !seesDepartment(ctx, scheme.organizationId)) throw new NotFoundError('AssessmentScheme', globalId);
  return scheme;
}

/** Refuses a change to a published scheme. */
export function assertDraft(scheme: Pick<AssessmentScheme, 'state' | 'name'>): void {
  if (scheme.state !== 'DRAFT') throw new IllegalStateError(`${scheme.name} is published and can no longer change`, scheme.state);
}

/** The id of the viewer's department (a value no organization has for a viewer outside the agency tree). */
export function departmentOf(ctx: Context): string {
  return scopePath(requireViewer(ctx)).split('/')[1]!;
}
