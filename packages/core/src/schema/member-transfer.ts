import type { Builder } from '../builder.ts';
import { requireViewer } from '../auth/subtree.ts';
import { inSubtree } from '../auth/viewer.ts';
import { ConflictError, InputError } from '../errors/errors.ts';
import { utcToday } from '../kit/dates.ts';
import { stateWhere } from '../transfers/access.ts';
import { transact } from '../activity/record.ts';
import { findMemberInScope, MEMBER_WRITERS, MEMBERSHIP_KINDS } from './member-access.ts';
import { findOrganizationInScope } from './organization-mutations.ts';
import { modelRef } from './refs.ts';
import { requiredText } from '../kit/validate/index.ts';
import type { RecordActivity, Tx } from '../activity/record.ts';

type OrgEnd = { id: string; name: string; path: string };

/**
 * Moves a membership to another organization, keeping history: the MemberTransfer row, the member's new
 * organization (its version raised, so an edit prepared against the old one is refused) and an activity on
 * each side. `transferMember` (an adjustment inside one subtree) and the acceptance of a transfer letter
 * (介绍信, across departments) both come through here.
 */
export async function moveMembership<Q extends object>(
  tx: Tx,
  record: RecordActivity,
  member: { id: string; name: string; organization: OrgEnd },
  to: OrgEnd,
  reason: string,
  actorId: string | null,
  query?: Q,
) {
  const from = member.organization;
  await tx.memberTransfer.create({ data: { memberId: member.id, fromId: from.id, toId: to.id, reason, actorId } });
  const moved = await tx.member.update({
    ...(query ?? {}),
    where: { id: member.id },
    data: { version: { increment: 1 }, organizationId: to.id },
  });
  const summary = `${member.name}的组织关系由${from.name}转至${to.name}`;
  const data = { fromId: from.id, toId: to.id, reason };
  // Each side's feed shows the move: the sending branch as a transfer, the receiving one as an arrival.
  await record({ kind: 'member.transferred', organization: from, subjectType: 'Member', subjectId: member.id, summary, data });
  await record({ kind: 'member.transferredIn', organization: to, subjectType: 'Member', subjectId: member.id, summary, data });
  return moved;
}

/** 组织关系转接 (MemberTransfer): the history type and the `transferMember` mutation. */
export function registerMemberTransfer(builder: Builder): void {
  const OrganizationRef = modelRef(builder, 'Organization');

  builder.prismaObject('MemberTransfer', {
    description: '组织关系转接 — one move of a membership from one branch to another',
    fields: (t) => ({
      // A member transferred in from elsewhere keeps a history that names organizations the viewer
      // may not see; such an end reads null, like the parent of the viewer's own organization.
      from: t.field({
        type: OrganizationRef,
        nullable: true,
        description: '转出党组织 — where the membership came from; null when it lies outside your subtree',
        select: (_args, _ctx, nested) => ({ from: nested(true) }),
        resolve: (transfer, _args, ctx) => (ctx.viewer && inSubtree(ctx.viewer, transfer.from.path) ? transfer.from : null),
      }),
      to: t.field({
        type: OrganizationRef,
        nullable: true,
        description: '转入党组织 — where the membership went; null when it lies outside your subtree',
        select: (_args, _ctx, nested) => ({ to: nested(true) }),
        resolve: (transfer, _args, ctx) => (ctx.viewer && inSubtree(ctx.viewer, transfer.to.path) ? transfer.to : null),
      }),
      reason: t.exposeString('reason', { description: '转接原因 — reason, e.g. 工作调动' }),
      transferredAt: t.expose('transferredAt', { type: 'DateTime', description: '转接时间 — when the transfer was recorded' }),
      actorId: t.exposeString('actorId', { nullable: true, description: '经办人 — user id of who recorded it' }),
    }),
  });

  builder.mutationField('transferMember', (t) =>
    t.prismaField({
      type: 'Member',
      description:
        '组织关系调整 — move a membership at once to another branch; both must lie in your subtree (ADMIN or SECRETARY). An adjustment inside one subtree; a transfer to another department or outside goes by a transfer letter (issueTransferLetter). Keeps a history row.',
      authScopes: MEMBER_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '党员 — global ID of the member' }),
        toOrganizationId: t.arg.id({ required: true, description: '转入党支部 — the receiving branch' }),
        reason: t.arg.string({ required: true, description: '转接原因 — reason, at most 200 characters' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const viewer = requireViewer(ctx);
        const reason = requiredText(args.reason, 'reason', 'name');
        return transact(ctx, async (tx, record) => {
          const member = await findMemberInScope(tx, ctx, String(args.id), 'id');
          const to = await findOrganizationInScope(tx, ctx, String(args.toOrganizationId), 'toOrganizationId');
          const from = member.organization;
          if (to.id === from.id) throw new InputError('toOrganizationId', 'is already the organization of this membership');
          if (!MEMBERSHIP_KINDS.includes(to.kind)) {
            throw new InputError('toOrganizationId', `memberships belong to a branch (党支部), not to a ${to.kind}`);
          }
          // While a transfer letter is open the receiving side may accept it: the member must not move meanwhile.
          const open = await tx.transferLetter.findFirst({
            where: { memberId: member.id, ...stateWhere('ISSUED', utcToday()) },
            select: { number: true },
          });
          if (open)
            throw new ConflictError(`${member.name} has an open transfer letter (${open.number}); withdraw it first`, { field: 'id' });
          return moveMembership(tx, record, member, to, reason, viewer.userId, query);
        });
      },
    }),
  );
}
