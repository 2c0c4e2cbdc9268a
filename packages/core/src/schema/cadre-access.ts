import { organizationScope, requireViewer } from '../auth/subtree.ts';
import { hasRole } from '../auth/viewer.ts';
import type { Context } from '../context.ts';
import { ForbiddenError, NotFoundError } from '../errors/errors.ts';
import type { Tx } from '../activity/record.ts';
import { decodeId } from './global-id.ts';

/**
 * Field-level scope for writes on cadres and organizational life: ADMIN or SECRETARY. A scope map holds
 * each scope once, so the second role goes into a nested `$any` (scope maps are "any" at the top level).
 */
export const ADMIN_OR_SECRETARY = { role: 'ADMIN', $any: { role: 'SECRETARY' } } as const;

/**
 * Which organizations a writer may act on, once the target is known to lie in their subtree. ADMIN may
 * act anywhere in it. A SECRETARY may act strictly below their own organization when `belowOnly` — posts,
 * assessments and rotations are decided by the superior organization, never by the holder's own — and
 * anywhere in the subtree otherwise (trainings and meetings are facts a branch records about itself).
 */
export function assertMayWrite(ctx: Context, target: { path: string }, belowOnly: boolean): void {
  const viewer = requireViewer(ctx);
  if (hasRole(viewer, 'ADMIN')) return;
  if (!hasRole(viewer, 'SECRETARY')) throw new ForbiddenError('requires role ADMIN or SECRETARY');
  if (belowOnly && target.path === viewer.organizationPath) {
    throw new ForbiddenError('a secretary acts only for organizations below their own; ask the superior organization');
  }
}

const MEMBER_FOR_WRITE = {
  id: true,
  name: true,
  status: true,
  joinedAt: true,
  organization: { select: { id: true, path: true, name: true, kind: true } },
} as const;

/** A member whose membership lies in the viewer's subtree, or NOT_FOUND exactly as if it did not exist. */
export async function findMemberInScope(tx: Tx, ctx: Context, globalId: string, field: string) {
  const id = decodeId('Member', globalId, field);
  const member = await tx.member.findFirst({ where: { id, organization: organizationScope(ctx) }, select: MEMBER_FOR_WRITE });
  if (!member) throw new NotFoundError('Member', globalId);
  return member;
}
