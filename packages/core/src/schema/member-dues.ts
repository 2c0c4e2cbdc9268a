import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import type { Builder } from '../builder.ts';
import { ConflictError, InputError } from '../errors/errors.ts';
import { transact } from '../activity/record.ts';
import { findMemberInScope, MEMBER_WRITERS } from './member-access.ts';
import { duesAmountProblem, formatAmount, formatMonth, monthStart, parseMonth } from './member-rules.ts';
import { utcToday } from '../kit/dates.ts';
import { lockMember, refreshMonthStates } from '../dues/data.ts';

/** 党费 (DuesPayment): the payment type and the `recordDuesPayment` mutation. */
export function registerMemberDues(builder: Builder): void {
  builder.prismaObject('DuesPayment', {
    description:
      '党费缴纳 — the part of a payment that covers one month; a month paid below its standard may get a second part later (see `payDues`, `Member.duesMonths`)',
    fields: (t) => ({
      month: t.string({ description: '所属月份 — the month paid for, `YYYY-MM`', resolve: (payment) => formatMonth(payment.month) }),
      amount: t.field({
        type: 'Decimal',
        description: '金额 — amount in yuan with two decimals, e.g. "25.00"',
        // Prisma's Decimal prints 25.00 as "25"; money reads with its fen.
        resolve: (payment) => payment.amount.toFixed(2),
      }),
      paidAt: t.expose('paidAt', { type: 'DateTime', description: '缴纳时间 — when the payment was recorded' }),
      member: t.relation('member', { description: '党员 — who paid' }),
    }),
  });

  builder.mutationField('recordDuesPayment', (t) =>
    t.prismaField({
      type: 'DuesPayment',
      description:
        '登记党费 — record a member’s dues for one month (ADMIN or SECRETARY); refused (CONFLICT) when the month already has a payment. The amount is compared with the month’s standard like any payment.',
      deprecationReason: 'Use payDues: it covers several months, records the method and 代缴, and can add to an underpaid month.',
      authScopes: MEMBER_WRITERS,
      args: {
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
        memberId: t.arg.id({ required: true, description: '党员 — global ID of the member' }),
        month: t.arg.string({ required: true, description: '所属月份 — `YYYY-MM`, not in the future and not before the month of joining' }),
        amount: t.arg({ type: 'Decimal', required: true, description: '金额 — amount in yuan, greater than zero, at most two decimals' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const month = parseMonth(args.month);
        if (!month) throw new InputError('month', 'must be a month written YYYY-MM, e.g. 2024-05');
        if (month.getTime() > monthStart(utcToday()).getTime()) throw new InputError('month', 'must not be in the future');
        const problem = duesAmountProblem(args.amount);
        if (problem) throw new InputError('amount', problem);
        return transact(ctx, async (tx, record) => {
          const member = await findMemberInScope(tx, ctx, String(args.memberId), 'memberId');
          if (month.getTime() < monthStart(member.joinedAt).getTime()) {
            throw new InputError('month', `is before the member joined (${formatMonth(member.joinedAt)})`);
          }
          // Months may now hold several parts (payDues), so "once" is checked under the member's lock.
          await lockMember(tx, member.id);
          if ((await tx.duesPayment.count({ where: { memberId: member.id, month } })) > 0) {
            throw new ConflictError(`dues for ${args.month} are already recorded for this member`, { field: 'month' });
          }
          const payment = await tx.duesPayment.create({ ...query, data: { memberId: member.id, month, amount: args.amount } });
          await refreshMonthStates(tx, member.id);
          await record({
            kind: 'member.duesPaid',
            organization: member.organization,
            subjectType: 'Member',
            subjectId: member.id,
            summary: `${member.name}缴纳${month.getUTCFullYear()}年${month.getUTCMonth() + 1}月党费${formatAmount(args.amount)}元`,
            data: { month: args.month, amount: formatAmount(args.amount) },
          });
          return payment;
        });
      },
    }),
  );
}
