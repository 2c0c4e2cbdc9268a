import type { Builder } from '../builder.ts';
import { requireViewer } from '../auth/subtree.ts';
import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import { transact } from '../activity/record.ts';
import { lockMember, loadDuesData, refreshMonthStates } from '../dues/data.ts';
import { checkMemberMonth, moneyArg, monthArg } from '../dues/input.ts';
import { formatFen } from '../dues/standard.ts';
import { monthStatement } from '../dues/statement.ts';
import { InputError } from '../errors/errors.ts';
import { utcToday } from '../kit/dates.ts';
import { checkNotFuture, optionalText, textKind } from '../kit/validate/index.ts';
import type { DuesEnums } from './dues-enums.ts';
import { findMemberInScope, MEMBER_WRITERS } from './member-access.ts';
import { formatMonth } from './member-rules.ts';
import { duesSettingsOf } from '../dues/data.ts';

/** Most months one payment may cover. */
export const MAX_PAYMENT_MONTHS = 24;

/** 一次缴纳 (DuesRemittance): a payment covering one or more months, and `payDues`. */
export function registerDuesRemittance(builder: Builder, enums: DuesEnums): void {
  builder.prismaObject('DuesRemittance', {
    description: '党费缴纳 — one payment handed over, covering one or more months (补交 past months, 预交 months ahead)',
    fields: (t) => ({
      total: t.field({ type: 'Decimal', description: '合计 — the amount handed over', resolve: (r) => formatFen(r.totalFen) }),
      method: t.expose('method', { type: enums.Method, description: '方式 — how it was paid' }),
      payerName: t.exposeString('payerName', {
        nullable: true,
        description: '代缴人 — who paid on the member’s behalf; null when the member paid',
      }),
      paidAt: t.expose('paidAt', { type: 'DateTime', description: '缴纳时间 — when it was paid (on-time comparisons use this)' }),
      note: t.exposeString('note', { nullable: true, description: '备注 — note' }),
      payments: t.relation('payments', {
        description: '分月金额 — the part for each month, oldest month first',
        query: { orderBy: [{ month: 'asc' }] },
      }),
      member: t.relation('member', { description: '党员 — whose dues' }),
    }),
  });

  builder.prismaObjectField('DuesPayment', 'remittance', (t) =>
    t.relation('remittance', {
      nullable: true,
      description: '所属缴纳 — the payment this month’s part belongs to; null for payments recorded one month at a time',
    }),
  );

  const Item = builder.inputType('DuesPaymentItemInput', {
    description: '分月金额 — the amount a payment puts on one month',
    fields: (t) => ({
      month: t.string({ required: true, description: '月份 — `YYYY-MM`, not before joining, at most 12 months ahead' }),
      amount: t.field({
        type: 'Decimal',
        required: true,
        description: '金额 — yuan, greater than zero, at most two decimals; above the standard is 自愿多交',
      }),
    }),
  });
  const Input = builder.inputType('PayDuesInput', {
    description: '缴纳党费 — a payment covering one or more months',
    fields: (t) => ({
      memberId: t.id({ required: true, description: '党员 — global ID of the member' }),
      items: t.field({
        type: [Item],
        required: true,
        description: `分月金额 — one entry per month (1–${MAX_PAYMENT_MONTHS}, each month once)`,
      }),
      method: t.field({ type: enums.Method, required: true, description: '方式 — cash, transfer or online' }),
      payerName: t.string({
        required: false,
        description: '代缴人 — name of whoever pays on the member’s behalf (代缴), at most 200 characters',
        extensions: textKind('name'),
      }),
      paidAt: t.field({ type: 'Date', required: false, description: '缴纳日期 — the day it was paid, not in the future; default today' }),
      note: t.string({ required: false, description: '备注 — note, at most 1000 characters', extensions: textKind('short') }),
    }),
  });

  builder.mutationField('payDues', (t) =>
    t.prismaField({
      type: 'DuesRemittance',
      description:
        '缴纳党费 — record a payment covering one or more months (ADMIN or SECRETARY). Each month is compared with its standard: a month paid below it stays in arrears with the rest owed (a later payment may add to it), more is 自愿多交.',
      authScopes: MEMBER_WRITERS,
      args: {
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
        input: t.arg({ type: Input, required: true, description: '缴纳 — the payment' }),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const viewer = requireViewer(ctx);
        if (input.items.length === 0 || input.items.length > MAX_PAYMENT_MONTHS) {
          throw new InputError('input.items', `must name 1–${MAX_PAYMENT_MONTHS} months`);
        }
        if (input.method === 'UNKNOWN') throw new InputError('input.method', 'must be CASH, TRANSFER or ONLINE');
        const seen = new Set<number>();
        const items = input.items.map((item, i) => {
          const month = monthArg(item.month, `input.items[${i}].month`);
          if (seen.has(month.getTime())) throw new InputError(`input.items[${i}].month`, 'names a month twice');
          seen.add(month.getTime());
          return { month, amountFen: moneyArg(item.amount, `input.items[${i}].amount`), field: `input.items[${i}].month` };
        });
        const payerName = optionalText(input.payerName, 'input.payerName', 'name');
        const note = optionalText(input.note, 'input.note', 'short');
        checkNotFuture(input.paidAt, 'input.paidAt');
        const paidAt = input.paidAt ?? new Date();
        const totalFen = items.reduce((sum, i) => sum + i.amountFen, 0);
        return transact(ctx, async (tx, record) => {
          const member = await findMemberInScope(tx, ctx, String(input.memberId), 'input.memberId');
          for (const item of items) checkMemberMonth(item.month, member.joinedAt, utcToday(), item.field);
          await lockMember(tx, member.id);
          const remittance = await tx.duesRemittance.create({
            data: { memberId: member.id, totalFen, method: input.method, payerName, paidAt, note, actorId: viewer.userId },
          });
          await tx.duesPayment.createMany({
            data: items.map((i) => ({
              memberId: member.id,
              month: i.month,
              amount: formatFen(i.amountFen),
              paidAt,
              remittanceId: remittance.id,
            })),
          });
          await refreshMonthStates(tx, member.id);
          // What each month now says, for the activity: underpaid months and 自愿多交 are named there.
          const data = (await loadDuesData(tx, [member.id])).get(member.id)!;
          const { dueDay } = await duesSettingsOf(tx, member.organization.path);
          const months = items.map((i) => monthStatement(data, i.month, dueDay, utcToday()));
          const voluntaryFen = months.reduce((sum, s) => sum + s.voluntaryFen, 0);
          const underpaid = months.filter((s) => !s.settled).map((s) => formatMonth(s.month));
          const span = items.length === 1 ? formatMonth(items[0]!.month) : `${formatMonth(items[0]!.month)}等${items.length}个月`;
          await record({
            kind: 'member.duesPaid',
            organization: member.organization,
            subjectType: 'Member',
            subjectId: member.id,
            summary: `${member.name}缴纳${span}党费${formatFen(totalFen)}元${payerName ? `（${payerName}代缴）` : ''}${voluntaryFen > 0 ? `，含自愿多交${formatFen(voluntaryFen)}元` : ''}`,
            data: {
              months: items.map((i) => formatMonth(i.month)),
              amount: formatFen(totalFen),
              voluntary: formatFen(voluntaryFen),
              underpaid,
              method: input.method,
              payerName,
            },
          });
          return tx.duesRemittance.findUniqueOrThrow({ ...query, where: { id: remittance.id } });
        });
      },
    }),
  );
}
