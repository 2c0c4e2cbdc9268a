import type { Builder } from '../builder.ts';
import { departmentOf, DEFAULT_DUES_SETTINGS } from '../dues/data.ts';
import { monthArg } from '../dues/input.ts';
import { duesDataLoader, duesSettingsLoader } from '../dues/loaders.ts';
import { formatFen } from '../dues/standard.ts';
import { dueWindow, memberMonths, type MonthStatement, monthStatement } from '../dues/statement.ts';
import type { Context } from '../context.ts';
import { InputError } from '../errors/errors.ts';
import { utcToday } from '../kit/dates.ts';
import type { DuesEnums } from './dues-enums.ts';
import { addMonths, formatMonth } from './member-rules.ts';
import { checkArrearsMonths, DEFAULT_ARREARS_MONTHS, MAX_ARREARS_MONTHS } from './member-queries.ts';

/** Longest range of months `duesMonths` answers at once. */
export const MAX_STATEMENT_MONTHS = 36;

const money = (fen: number) => formatFen(fen);

/** The statements of a member's months in [from, to] (skipping months before joining), as of today. */
export async function memberStatements(
  ctx: Context,
  member: { id: string; organization: { path: string } },
  from: Date,
  to: Date,
): Promise<MonthStatement[]> {
  const department = departmentOf(member.organization.path);
  const [data, settings] = await Promise.all([
    duesDataLoader(ctx).load(member.id),
    department ? duesSettingsLoader(ctx).load(department) : DEFAULT_DUES_SETTINGS,
  ]);
  const today = utcToday();
  return memberMonths(data.joinedAt, from, to).map((m) => monthStatement(data, m, settings.dueDay, today));
}

/** The statements of the due months of the arrears window that are not settled. */
export async function arrearsStatements(
  ctx: Context,
  member: { id: string; organization: { path: string } },
  months: number,
): Promise<MonthStatement[]> {
  const department = departmentOf(member.organization.path);
  const settings = department ? await duesSettingsLoader(ctx).load(department) : DEFAULT_DUES_SETTINGS;
  const window = dueWindow(utcToday(), settings.dueDay, months);
  const statements = await memberStatements(ctx, member, window[0]!, window[window.length - 1]!);
  return statements.filter((s) => s.due && !s.settled);
}

/** 月度对账 (DuesMonth): a month of a member compared with its standard, and the member fields that list them. */
export function registerDuesMonth(builder: Builder, enums: DuesEnums): void {
  const DuesMonth = builder.objectRef<MonthStatement>('DuesMonth').implement({
    description: '月度党费 — one month of a member compared with its standard',
    fields: (t) => ({
      month: t.string({ description: '月份 — `YYYY-MM`', resolve: (s) => formatMonth(s.month) }),
      category: t.field({
        type: enums.Category,
        nullable: true,
        description: '类别 — the category in force; null when no base applies',
        resolve: (s) => s.category,
      }),
      standard: t.field({
        type: 'Decimal',
        nullable: true,
        description: '应缴 — the month’s standard after any reduction; null when no base applies (then any payment settles the month)',
        resolve: (s) => (s.standardFen === null ? null : money(s.standardFen)),
      }),
      reduced: t.boolean({ description: '减免 — an approved reduction or exemption applies', resolve: (s) => s.reduced }),
      paid: t.field({ type: 'Decimal', description: '实缴 — paid for the month, all payments together', resolve: (s) => money(s.paidFen) }),
      owed: t.field({
        type: 'Decimal',
        nullable: true,
        description: '欠缴 — still owed (standard − paid, at least 0); null when unpaid with no standard (amount unknown)',
        resolve: (s) => (s.owedFen === null ? null : money(s.owedFen)),
      }),
      voluntary: t.field({ type: 'Decimal', description: '自愿多交 — paid above the standard', resolve: (s) => money(s.voluntaryFen) }),
      dueDate: t.field({
        type: 'Date',
        description: '缴纳期限 — the day the month falls due (the department’s due day, default the month’s end)',
        resolve: (s) => s.dueDate,
      }),
      due: t.boolean({ description: '已到期 — the due date has passed: only then can the month be in arrears', resolve: (s) => s.due }),
      paidOnTime: t.boolean({ description: '按时缴纳 — paid in full by the due date', resolve: (s) => s.settledOnTime }),
      status: t.field({
        type: enums.MonthStatus,
        description: '状态 — paid, underpaid, unpaid, exempt or not yet due',
        resolve: (s) => s.status,
      }),
    }),
  });

  builder.prismaObjectField('Member', 'duesMonths', (t) =>
    t.field({
      type: [DuesMonth],
      description: `月度党费 — each month from \`from\` to \`to\` (at most ${MAX_STATEMENT_MONTHS}, none before joining): standard, paid, owed`,
      args: {
        from: t.arg.string({ required: true, description: '起始月份 — `YYYY-MM`' }),
        to: t.arg.string({ required: true, description: '截止月份 — `YYYY-MM`, not before `from`' }),
      },
      select: { organization: { select: { path: true } } },
      resolve: async (member, args, ctx) => {
        const from = monthArg(args.from, 'from');
        const to = monthArg(args.to, 'to');
        if (to.getTime() < from.getTime()) throw new InputError('to', 'must not be before from');
        if (to.getTime() > addMonths(from, MAX_STATEMENT_MONTHS - 1).getTime())
          throw new InputError('to', `must be at most ${MAX_STATEMENT_MONTHS} months after from`);
        return memberStatements(ctx, member, from, to);
      },
    }),
  );

  builder.prismaObjectField('Member', 'duesOwed', (t) =>
    t.field({
      type: 'Decimal',
      description:
        '欠缴金额 — dues owed for the due months of the last `months` due months (unpaid at the standard plus the shortfall of underpaid months); months without a standard count in `unpaidMonths` but add nothing here',
      args: {
        months: t.arg.int({
          required: true,
          defaultValue: DEFAULT_ARREARS_MONTHS,
          description: `统计月数 — length of the window (1–${MAX_ARREARS_MONTHS})`,
        }),
      },
      select: { organization: { select: { path: true } } },
      resolve: async (member, args, ctx) => {
        const months = checkArrearsMonths(args.months, 'months');
        const owing = await arrearsStatements(ctx, member, months);
        return money(owing.reduce((sum, s) => sum + (s.owedFen ?? 0), 0));
      },
    }),
  );
}
