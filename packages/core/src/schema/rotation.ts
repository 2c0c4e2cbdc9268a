import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import type { Builder } from '../builder.ts';
import { organizationScope } from '../auth/subtree.ts';
import { transact } from '../activity/record.ts';
import { InputError } from '../errors/errors.ts';
import { ADMIN_OR_SECRETARY, assertMayWrite, findMemberInScope } from './cadre-access.ts';
import { checkNotFuture, optionalText, requiredText } from '../kit/validate/index.ts';
import { isoDate } from '../kit/dates.ts';
import { RotationKind } from '@dangjian/db';

/** 交流 (Rotation): a move of a cadre between posts, and `recordRotation`. */
export function registerRotation(builder: Builder): void {
  const Kind = builder.enumType(RotationKind, {
    name: 'RotationKind',
    description: '交流类别 — kind of rotation',
    values: {
      INTERNAL: { description: '党务岗位内部交流 — between party-affairs posts' },
      TO_BUSINESS: { description: '交流到业务岗位 — from a party-affairs post to a business post' },
      FROM_BUSINESS: { description: '从业务岗位交流 — from a business post to a party-affairs post' },
    },
  });

  builder.prismaNode('Rotation', {
    description: '交流 — a rotation of a cadre between posts (internal, or two-way with business posts)',
    id: { field: 'id' },
    findUnique: (id, ctx) => ({ id, member: { organization: organizationScope(ctx) } }),
    nullable: true,
    fields: (t) => ({
      kind: t.expose('kind', { type: Kind, description: '类别 — kind' }),
      fromPost: t.exposeString('fromPost', { description: '原岗位 — the post left' }),
      toPost: t.exposeString('toPost', { description: '新岗位 — the post taken up' }),
      date: t.expose('date', { type: 'Date', description: '交流日期 — date of the move' }),
      note: t.exposeString('note', { nullable: true, description: '说明 — note, e.g. how long the previous post was held' }),
      member: t.relation('member', { description: '党员 — who moved' }),
    }),
  });

  const RecordRotationInput = builder.inputType('RecordRotationInput', {
    description: '登记交流 — record a rotation of a cadre',
    fields: (t) => ({
      memberId: t.id({ required: true, description: '党员 — the cadre who moved' }),
      kind: t.field({ type: Kind, required: true, description: '类别 — kind' }),
      fromPost: t.string({ required: true, description: '原岗位 — the post left (at most 100 characters)' }),
      toPost: t.string({ required: true, description: '新岗位 — the post taken up (at most 100 characters, different from fromPost)' }),
      date: t.field({ type: 'Date', required: true, description: '交流日期 — not in the future' }),
      note: t.string({ required: false, description: '说明 — note (at most 500 characters)' }),
    }),
  });

  builder.mutationField('recordRotation', (t) =>
    t.prismaField({
      type: 'Rotation',
      description:
        '登记交流 — record a rotation of a member in your subtree (ADMIN, or SECRETARY of an organization above the member’s). ' +
        'It does not end or create posts: use endCadrePost and appointCadre for those.',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        input: t.arg({ type: RecordRotationInput, required: true, description: '交流信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const fromPost = requiredText(input.fromPost, 'input.fromPost', 'name', 100);
        const toPost = requiredText(input.toPost, 'input.toPost', 'name', 100);
        if (fromPost === toPost) throw new InputError('input.toPost', 'must differ from fromPost');
        checkNotFuture(input.date, 'input.date');
        const note = optionalText(input.note, 'input.note', 'short', 500);
        return transact(ctx, async (tx, record) => {
          const member = await findMemberInScope(tx, ctx, String(input.memberId), 'input.memberId');
          assertMayWrite(ctx, member.organization, true);
          if (input.date.getTime() < member.joinedAt.getTime())
            throw new InputError('input.date', 'must not be before the member joined the party');
          const rotation = await tx.rotation.create({
            ...query,
            data: { memberId: member.id, kind: input.kind, fromPost, toPost, date: input.date, note },
          });
          await record({
            kind: 'cadre.rotationRecorded',
            organization: member.organization,
            subjectType: 'Rotation',
            subjectId: rotation.id,
            summary: `${member.name}由${fromPost}交流至${toPost}`,
            data: { memberId: member.id, kind: input.kind, date: isoDate(input.date) },
          });
          return rotation;
        });
      },
    }),
  );
}
