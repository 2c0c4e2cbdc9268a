import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import type { Builder } from '../builder.ts';
import { organizationScope } from '../auth/subtree.ts';
import { transact } from '../activity/record.ts';
import { ADMIN_OR_SECRETARY, assertMayWrite, findMemberInScope } from './cadre-access.ts';
import { checkNotFuture, optionalText, requiredText } from '../kit/validate/index.ts';
import { parseHours } from './cadre-rules.ts';
import { isoDate } from '../kit/dates.ts';

/** 培训 (Training): a training record of a member, and `recordTraining`. */
export function registerTraining(builder: Builder): void {
  builder.prismaNode('Training', {
    description: '培训 — a training a member attended (党校培训, 轮训 …)',
    id: { field: 'id' },
    // `node(id:)` must not reach records of members outside the viewer's subtree.
    findUnique: (id, ctx) => ({ id, member: { organization: organizationScope(ctx) } }),
    nullable: true,
    fields: (t) => ({
      course: t.exposeString('course', { description: '课程 — course or class name, e.g. 党支部书记轮训班' }),
      hours: t.field({
        type: 'Decimal',
        description: '学时 — hours, always with one decimal place (e.g. "24.0")',
        // Decimal#toString drops trailing zeros; the column's scale is part of the value's meaning.
        resolve: (training) => training.hours.toFixed(1),
      }),
      date: t.expose('date', { type: 'Date', description: '培训日期 — date of the training (its last day for a multi-day class)' }),
      provider: t.exposeString('provider', { nullable: true, description: '举办单位 — who ran it, e.g. 市委党校' }),
      member: t.relation('member', { description: '党员 — who was trained' }),
    }),
  });

  const RecordTrainingInput = builder.inputType('RecordTrainingInput', {
    description: '登记培训 — record a training a member attended',
    fields: (t) => ({
      memberId: t.id({ required: true, description: '党员 — the member trained' }),
      course: t.string({ required: true, description: '课程 — course or class name (at most 200 characters)' }),
      hours: t.field({ type: 'Decimal', required: true, description: '学时 — hours: more than 0, at most 1000, one decimal place' }),
      date: t.field({ type: 'Date', required: true, description: '培训日期 — not in the future' }),
      provider: t.string({ required: false, description: '举办单位 — who ran it (at most 100 characters)' }),
    }),
  });

  builder.mutationField('recordTraining', (t) =>
    t.prismaField({
      type: 'Training',
      description:
        '登记培训 — record a training of a member in your subtree (ADMIN, or SECRETARY of an organization above or at the member’s)',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        input: t.arg({ type: RecordTrainingInput, required: true, description: '培训信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const course = requiredText(input.course, 'input.course', 'name');
        const hours = parseHours(input.hours, 'input.hours');
        checkNotFuture(input.date, 'input.date');
        const provider = optionalText(input.provider, 'input.provider', 'name', 100);
        return transact(ctx, async (tx, record) => {
          const member = await findMemberInScope(tx, ctx, String(input.memberId), 'input.memberId');
          assertMayWrite(ctx, member.organization, false);
          const training = await tx.training.create({
            ...query,
            data: { memberId: member.id, course, hours, date: input.date, provider },
          });
          await record({
            kind: 'cadre.trainingRecorded',
            organization: member.organization,
            subjectType: 'Training',
            subjectId: training.id,
            summary: `${member.name}参加${course}（${hours}学时）`,
            data: { memberId: member.id, course, hours, date: isoDate(input.date) },
          });
          return training;
        });
      },
    }),
  );
}
