import type { Builder } from '../builder.ts';
import { requireViewer } from '../auth/subtree.ts';
import { transact } from '../activity/record.ts';
import { refreshMonthStates } from '../dues/data.ts';
import { checkMemberMonth, moneyArg, monthArg } from '../dues/input.ts';
import { basisProblem, formatFen, monthlyStandardFen } from '../dues/standard.ts';
import { ConflictError, InputError } from '../errors/errors.ts';
import { utcToday } from '../kit/dates.ts';
import { uniqueOrConflict } from '../kit/unique.ts';
import { optionalText, textKind } from '../kit/validate/index.ts';
import type { DuesEnums } from './dues-enums.ts';
import { findMemberInScope, MEMBER_WRITERS } from './member-access.ts';
import { formatMonth } from './member-rules.ts';

/** 党费基数 (DuesBase): a member's category and base from a month on, its history, and `setDuesBase`. */
export function registerDuesBase(builder: Builder, enums: DuesEnums): void {
  builder.prismaObject('DuesBase', {
    description: '党费基数 — a member’s category and monthly base from a month on; the newest entry not after a month applies',
    fields: (t) => ({
      category: t.expose('category', { type: enums.Category, description: '类别 — category' }),
      monthlyBase: t.field({
        type: 'Decimal',
        nullable: true,
        description: '月工资基数 — regular monthly after-tax salary in yuan (EMPLOYED, RETIRED, ANNUAL_SALARY); null otherwise',
        resolve: (b) => (b.baseFen === null ? null : formatFen(b.baseFen)),
      }),
      fixedAmount: t.field({
        type: 'Decimal',
        nullable: true,
        description: '定额 — the fixed monthly amount a farmer pays (0.20–1.00); null otherwise',
        resolve: (b) => (b.fixedFen === null ? null : formatFen(b.fixedFen)),
      }),
      standard: t.field({
        type: 'Decimal',
        description: '月缴标准 — the monthly standard this base gives, before any reduction',
        resolve: (b) => formatFen(monthlyStandardFen(b)),
      }),
      effectiveFrom: t.string({
        description: '起始月份 — `YYYY-MM`, the first month it applies to',
        resolve: (b) => formatMonth(b.effectiveFrom),
      }),
      note: t.exposeString('note', { nullable: true, description: '备注 — note, e.g. 2026年度核定' }),
      createdAt: t.expose('createdAt', { type: 'DateTime', description: '登记时间 — when it was recorded' }),
    }),
  });

  builder.prismaObjectField('Member', 'duesBases', (t) =>
    t.relation('duesBases', {
      description: '党费基数历史 — the member’s bases, newest first',
      query: { orderBy: [{ effectiveFrom: 'desc' }] },
    }),
  );

  const Input = builder.inputType('SetDuesBaseInput', {
    description: '核定党费基数 — a member’s category and base from a month on',
    fields: (t) => ({
      memberId: t.id({ required: true, description: '党员 — global ID of the member' }),
      category: t.field({ type: enums.Category, required: true, description: '类别 — category' }),
      monthlyBase: t.field({
        type: 'Decimal',
        required: false,
        description:
          '月工资基数 — monthly after-tax salary in yuan, at most two decimals; required for EMPLOYED, RETIRED, ANNUAL_SALARY, refused otherwise',
      }),
      fixedAmount: t.field({
        type: 'Decimal',
        required: false,
        description: '定额 — 0.20–1.00 yuan, required for FARMER, refused otherwise',
      }),
      effectiveFrom: t.string({
        required: true,
        description: '起始月份 — `YYYY-MM`, not before the month of joining, at most 12 months ahead',
      }),
      note: t.string({ required: false, description: '备注 — note, at most 200 characters', extensions: textKind('name') }),
    }),
  });

  builder.mutationField('setDuesBase', (t) =>
    t.prismaField({
      type: 'DuesBase',
      description:
        '核定党费基数 — record a member’s category and base from a month on (ADMIN or SECRETARY); the history is kept, one entry per month (CONFLICT for a second)',
      authScopes: MEMBER_WRITERS,
      args: { input: t.arg({ type: Input, required: true, description: '基数 — the base' }) },
      resolve: async (query, _root, { input }, ctx) => {
        const viewer = requireViewer(ctx);
        const effectiveFrom = monthArg(input.effectiveFrom, 'input.effectiveFrom');
        const baseFen = input.monthlyBase == null ? null : moneyArg(input.monthlyBase, 'input.monthlyBase');
        const fixedFen = input.fixedAmount == null ? null : moneyArg(input.fixedAmount, 'input.fixedAmount');
        const basis = { category: input.category, baseFen, fixedFen };
        const problem = basisProblem(basis);
        if (problem) throw new InputError(`input.${problem.field}`, problem.message);
        const note = optionalText(input.note, 'input.note', 'name');
        return transact(ctx, async (tx, record) => {
          const member = await findMemberInScope(tx, ctx, String(input.memberId), 'input.memberId');
          checkMemberMonth(effectiveFrom, member.joinedAt, utcToday(), 'input.effectiveFrom');
          const duplicate = () =>
            new ConflictError(`a base from ${input.effectiveFrom} is already recorded for this member`, { field: 'input.effectiveFrom' });
          const base = await uniqueOrConflict(
            () => tx.duesBase.create({ ...query, data: { memberId: member.id, ...basis, effectiveFrom, note, actorId: viewer.userId } }),
            duplicate,
          );
          await refreshMonthStates(tx, member.id);
          const standard = formatFen(monthlyStandardFen(basis));
          await record({
            kind: 'member.duesBaseSet',
            organization: member.organization,
            subjectType: 'Member',
            subjectId: member.id,
            summary: `${member.name}自${input.effectiveFrom}起党费标准为每月${standard}元`,
            data: { category: input.category, effectiveFrom: input.effectiveFrom, standard },
          });
          return base;
        });
      },
    }),
  );
}
