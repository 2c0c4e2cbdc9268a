import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import type { CadrePost } from '@dangjian/db';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Builder } from '../builder.ts';
import { organizationScope } from '../auth/subtree.ts';
import { transact } from '../activity/record.ts';
import { ConflictError, IllegalStateError, InputError, NotFoundError } from '../errors/errors.ts';
import type { CadrePostRef } from './cadre.ts';
import { ADMIN_OR_SECRETARY, assertMayWrite, findMemberInScope } from './cadre-access.ts';
import { checkNotFuture } from '../kit/validate/index.ts';
import { membershipScopePath, POST_LABELS } from './cadre-rules.ts';
import { isoDate } from '../kit/dates.ts';
import { decodeId } from './global-id.ts';
import { findOrganizationInScope } from './organization-mutations.ts';

/** Appointing to and ending party-affairs posts. */
export function registerCadreMutations(builder: Builder, refs: { Post: CadrePostRef }): void {
  const AppointInput = builder.inputType('AppointCadreInput', {
    description: '任命党务干部 — appoint a member to a party-affairs post',
    fields: (t) => ({
      memberId: t.id({
        required: true,
        description:
          '党员 — a full member (正式党员) whose membership lies in the organization or below it; for a 临时党支部, anywhere under its parent (secondees keep their home branch)',
      }),
      organizationId: t.id({ required: true, description: '党组织 — where the post is (not a 党小组)' }),
      post: t.field({ type: refs.Post, required: true, description: '职务 — post; an organization has at most one current 书记' }),
      fullTime: t.boolean({
        required: false,
        description: '专职 — full-time (default: true only for FULL_TIME_DEPUTY_SECRETARY, which must be full-time)',
      }),
      startDate: t.field({
        type: 'Date',
        required: true,
        description: '任职日期 — not in the future, not before the member joined the party',
      }),
    }),
  });

  builder.mutationField('appointCadre', (t) =>
    t.prismaField({
      type: 'Cadre',
      description: '任命党务干部 — appoint a member to a post (ADMIN, or SECRETARY of an organization above the post’s)',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        input: t.arg({ type: AppointInput, required: true, description: '任职信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const post: CadrePost = input.post;
        checkNotFuture(input.startDate, 'input.startDate');
        const fullTime = input.fullTime ?? post === 'FULL_TIME_DEPUTY_SECRETARY';
        if (post === 'FULL_TIME_DEPUTY_SECRETARY' && !fullTime)
          throw new InputError('input.fullTime', 'a 专职副书记 is full-time by definition');
        return transact(ctx, async (tx, record) => {
          const org = await findOrganizationInScope(tx, ctx, String(input.organizationId), 'input.organizationId');
          assertMayWrite(ctx, org, true);
          if (org.kind === 'GROUP') throw new InputError('input.organizationId', 'a 党小组 has no party-affairs posts');
          // Two concurrent appointments must not both find the secretary post vacant: serialize per organization.
          await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${org.id} FOR UPDATE`;
          const member = await findMemberInScope(tx, ctx, String(input.memberId), 'input.memberId');
          if (!member.organization.path.startsWith(membershipScopePath(org))) {
            throw new InputError('input.memberId', `${member.name} is not a member of ${org.name} or of an organization below it`);
          }
          if (member.status !== 'FULL') throw new InputError('input.memberId', 'a 预备党员 (probationary member) cannot hold a party post');
          if (input.startDate.getTime() < member.joinedAt.getTime()) {
            throw new InputError('input.startDate', 'must not be before the member joined the party');
          }
          const holders = await tx.cadre.findMany({
            where: { organizationId: org.id, endDate: null, OR: [{ post: 'SECRETARY' }, { memberId: member.id }] },
            select: { id: true, post: true, memberId: true },
          });
          const sitting = post === 'SECRETARY' ? holders.find((h) => h.post === 'SECRETARY') : undefined;
          if (sitting) {
            throw new ConflictError(`${org.name} already has a current 书记; end that post first`, {
              field: 'input.post',
              cadreId: encodeGlobalID('Cadre', sitting.id),
            });
          }
          const same = holders.find((h) => h.memberId === member.id && h.post === post);
          if (same)
            throw new ConflictError(`${member.name} already holds this post in ${org.name}`, {
              field: 'input.memberId',
              cadreId: encodeGlobalID('Cadre', same.id),
            });
          const cadre = await tx.cadre.create({
            ...query,
            data: { memberId: member.id, organizationId: org.id, post, fullTime, startDate: input.startDate },
          });
          await record({
            kind: 'cadre.appointed',
            organization: org,
            subjectType: 'Cadre',
            subjectId: cadre.id,
            summary: `${member.name}任${org.name}${fullTime ? '专职' : '兼职'}${POST_LABELS[post]}`,
            data: { memberId: member.id, post, fullTime, startDate: isoDate(input.startDate) },
          });
          return cadre;
        });
      },
    }),
  );

  builder.mutationField('endCadrePost', (t) =>
    t.prismaField({
      type: 'Cadre',
      description: '免职/离任 — end a current post (ADMIN, or SECRETARY of an organization above the post’s)',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        id: t.arg.id({ required: true, description: '党务干部 — the post to end' }),
        endDate: t.arg({ type: 'Date', required: true, description: '离任日期 — not before the start date, not in the future' }),
      },
      resolve: async (query, _root, args, ctx) => {
        checkNotFuture(args.endDate, 'endDate');
        return transact(ctx, async (tx, record) => {
          const id = decodeId('Cadre', String(args.id), 'id');
          const cadre = await tx.cadre.findFirst({
            where: { id, organization: organizationScope(ctx) },
            include: { organization: { select: { id: true, path: true, name: true } }, member: { select: { name: true } } },
          });
          if (!cadre) throw new NotFoundError('Cadre', String(args.id));
          assertMayWrite(ctx, cadre.organization, true);
          if (cadre.endDate) throw new IllegalStateError(`the post already ended on ${isoDate(cadre.endDate)}`, 'ENDED');
          if (args.endDate.getTime() < cadre.startDate.getTime()) throw new InputError('endDate', 'must not be before the start date');
          // Conditional on still being open, so a concurrent end cannot be overwritten.
          const { count } = await tx.cadre.updateMany({ where: { id, endDate: null }, data: { endDate: args.endDate } });
          if (count === 0) throw new IllegalStateError('the post has already ended', 'ENDED');
          await record({
            kind: 'cadre.postEnded',
            organization: cadre.organization,
            subjectType: 'Cadre',
            subjectId: cadre.id,
            summary: `${cadre.member.name}不再担任${cadre.organization.name}${POST_LABELS[cadre.post]}`,
            data: { post: cadre.post, startDate: isoDate(cadre.startDate), endDate: isoDate(args.endDate) },
          });
          return tx.cadre.findUniqueOrThrow({ ...query, where: { id } });
        });
      },
    }),
  );
}
