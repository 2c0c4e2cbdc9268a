import type { Builder } from '../builder.ts';
import { requireViewer } from '../auth/subtree.ts';
import { transact } from '../activity/record.ts';
import { lockMember, refreshMonthStates } from '../dues/data.ts';
import { checkMemberMonth, moneyArg, monthArg } from '../dues/input.ts';
import { formatFen } from '../dues/standard.ts';
import { ConflictError, InputError } from '../errors/errors.ts';
import { utcToday } from '../kit/dates.ts';
import { checkNotFuture, requiredText, textKind } from '../kit/validate/index.ts';
import { findMemberInScope, MEMBER_WRITERS } from './member-access.ts';
import { addMonths, formatMonth } from './member-rules.ts';
import { findOrganizationInScope } from './organization-mutations.ts';
import { modelRef } from './refs.ts';
import { inSubtree } from '../auth/viewer.ts';

/** Longest period one reduction decision may cover. */
export const MAX_REDUCTION_MONTHS = 36;
/** Organizations that may approve a reduction: a committee above the member's branch (上级党委). */
const APPROVER_KINDS: readonly string[] = ['COMMITTEE', 'WORKING_COMMITTEE'];

/** 减免党费 (DuesReduction): approved reductions and exemptions, and `recordDuesReduction`. */
export function registerDuesReduction(builder: Builder): void {
  const OrganizationRef = modelRef(builder, 'Organization');

  builder.prismaObject('DuesReduction', {
    description: '减免党费 — a decision of the committee above letting a member pay less, or nothing, for a period of months',
    fields: (t) => ({
      fromMonth: t.string({ description: '起始月份 — `YYYY-MM`', resolve: (r) => formatMonth(r.fromMonth) }),
      toMonth: t.string({ description: '截止月份 — `YYYY-MM`, included', resolve: (r) => formatMonth(r.toMonth) }),
      monthlyAmount: t.field({
        type: 'Decimal',
        description: '每月应缴 — what the member pays per month in the period; "0.00" is an exemption (免交)',
        resolve: (r) => formatFen(r.amountFen),
      }),
      exempt: t.boolean({ description: '免交 — the member pays nothing in the period', resolve: (r) => r.amountFen === 0 }),
      reason: t.exposeString('reason', { description: '原因 — reason, e.g. 重病' }),
      decisionNumber: t.exposeString('decisionNumber', { description: '批准文号 — number of the approving decision' }),
      approvedAt: t.expose('approvedAt', { type: 'Date', description: '批准日期 — date of the decision' }),
      approvedBy: t.field({
        type: OrganizationRef,
        nullable: true,
        description: '批准党组织 — the committee above that approved it; null when it lies outside your subtree',
        select: (_args, _ctx, nested) => ({ approvedBy: nested(true) }),
        resolve: (r, _args, ctx) => (ctx.viewer && inSubtree(ctx.viewer, r.approvedBy.path) ? r.approvedBy : null),
      }),
    }),
  });

  builder.prismaObjectField('Member', 'duesReductions', (t) =>
    t.relation('duesReductions', {
      description: '党费减免 — approved reductions and exemptions, newest period first',
      query: { orderBy: [{ fromMonth: 'desc' }] },
    }),
  );

  const Input = builder.inputType('RecordDuesReductionInput', {
    description: '登记党费减免 — a reduction or exemption approved by the committee above',
    fields: (t) => ({
      memberId: t.id({ required: true, description: '党员 — global ID of the member' }),
      approvedById: t.id({ required: true, description: '批准党组织 — the approving committee (党委 or 工委) above the member’s branch' }),
      fromMonth: t.string({ required: true, description: '起始月份 — `YYYY-MM`, not before the month of joining' }),
      toMonth: t.string({ required: true, description: `截止月份 — \`YYYY-MM\`, included; at most ${MAX_REDUCTION_MONTHS} months in all` }),
      monthlyAmount: t.field({ type: 'Decimal', required: true, description: '每月应缴 — what the member pays per month; "0" exempts' }),
      reason: t.string({ required: true, description: '原因 — reason, at most 1000 characters', extensions: textKind('short') }),
      decisionNumber: t.string({
        required: true,
        description: '批准文号 — number of the decision, at most 64 characters',
        extensions: textKind('code'),
      }),
      approvedAt: t.field({ type: 'Date', required: true, description: '批准日期 — date of the decision, not in the future' }),
    }),
  });

  builder.mutationField('recordDuesReduction', (t) =>
    t.prismaField({
      type: 'DuesReduction',
      description:
        '登记党费减免 — record a reduction or exemption decided by the committee above the member’s branch (ADMIN or SECRETARY acting for that committee or above); periods of one member do not overlap (CONFLICT)',
      authScopes: MEMBER_WRITERS,
      args: { input: t.arg({ type: Input, required: true, description: '减免 — the decision' }) },
      resolve: async (query, _root, { input }, ctx) => {
        const viewer = requireViewer(ctx);
        const fromMonth = monthArg(input.fromMonth, 'input.fromMonth');
        const toMonth = monthArg(input.toMonth, 'input.toMonth');
        if (toMonth.getTime() < fromMonth.getTime()) throw new InputError('input.toMonth', 'must not be before fromMonth');
        if (toMonth.getTime() > addMonths(fromMonth, MAX_REDUCTION_MONTHS - 1).getTime()) {
          throw new InputError('input.toMonth', `must be at most ${MAX_REDUCTION_MONTHS} months after fromMonth`);
        }
        const amountFen = moneyArg(input.monthlyAmount, 'input.monthlyAmount', true);
        const reason = requiredText(input.reason, 'input.reason', 'short');
        const decisionNumber = requiredText(input.decisionNumber, 'input.decisionNumber', 'code');
        checkNotFuture(input.approvedAt, 'input.approvedAt');
        return transact(ctx, async (tx, record) => {
          const member = await findMemberInScope(tx, ctx, String(input.memberId), 'input.memberId');
          const approver = await findOrganizationInScope(tx, ctx, String(input.approvedById), 'input.approvedById');
          if (
            !APPROVER_KINDS.includes(approver.kind) ||
            approver.id === member.organizationId ||
            !member.organization.path.startsWith(approver.path)
          ) {
            throw new InputError('input.approvedById', 'must be a committee (党委 or 工委) above the member’s branch');
          }
          checkMemberMonth(fromMonth, member.joinedAt, utcToday(), 'input.fromMonth');
          checkMemberMonth(toMonth, member.joinedAt, utcToday(), 'input.toMonth');
          await lockMember(tx, member.id);
          const overlapping = await tx.duesReduction.count({
            where: { memberId: member.id, fromMonth: { lte: toMonth }, toMonth: { gte: fromMonth } },
          });
          if (overlapping > 0)
            throw new ConflictError('a reduction of this member already covers part of the period', { field: 'input.fromMonth' });
          const reduction = await tx.duesReduction.create({
            ...query,
            data: {
              memberId: member.id,
              fromMonth,
              toMonth,
              amountFen,
              reason,
              decisionNumber,
              approvedById: approver.id,
              approvedAt: input.approvedAt,
              actorId: viewer.userId,
            },
          });
          await refreshMonthStates(tx, member.id);
          const what = amountFen === 0 ? '免交党费' : `党费减为每月${formatFen(amountFen)}元`;
          await record({
            kind: 'member.duesReduced',
            organization: member.organization,
            subjectType: 'Member',
            subjectId: member.id,
            summary: `${member.name}${input.fromMonth}至${input.toMonth}${what}（${approver.name}${decisionNumber}）`,
            data: { fromMonth: input.fromMonth, toMonth: input.toMonth, monthlyAmount: formatFen(amountFen), decisionNumber },
          });
          return reduction;
        });
      },
    }),
  );
}
