// What the member-side mutations (member, transfer and dues files) share: who may write, where a
// membership may live, and loading a member the way a mutation must — inside the viewer's subtree.

import type { Tx } from '../activity/record.ts';
import { ownedByScope } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { NotFoundError } from '../errors/errors.ts';
import { decodeId } from './global-id.ts';

/**
 * Who may change member records. A scope map holds each scope once, so the second role sits in a
 * nested `$any` (the top level is `any` as well): ADMIN or SECRETARY.
 */
export const MEMBER_WRITERS = { role: 'ADMIN', $any: { role: 'SECRETARY' } } as const;

/** Kinds of organization a membership (组织关系) may belong to: only a 党支部 holds memberships. */
export const MEMBERSHIP_KINDS: readonly string[] = ['BRANCH'];

/** Loads a member of the viewer's subtree (with its organization), or fails as if it did not exist. */
export async function findMemberInScope(tx: Tx, ctx: Context, globalId: string, field: string) {
  const id = decodeId('Member', globalId, field);
  const member = await tx.member.findFirst({ where: { id, ...ownedByScope(ctx) }, include: { organization: true } });
  if (!member) throw new NotFoundError('Member', globalId);
  return member;
}
