import { EvaluationFollowUp, EvaluationGrade } from '@dangjian/db';
import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import { transact } from '../activity/record.ts';
import { organizationScope } from '../auth/subtree.ts';
import type { Builder } from '../builder.ts';
import { ConflictError, IllegalStateError, InputError, NotFoundError } from '../errors/errors.ts';
import { isoDate } from '../kit/dates.ts';
import { resolveUnder } from '../kit/under.ts';
import { checkNotFuture, requiredText } from '../kit/validate/index.ts';
import { decodeId } from './global-id.ts';
import { MEMBER_WRITERS, MEMBERSHIP_KINDS } from './member-access.ts';
import { checkGrades } from './member-evaluation-rules.ts';
import { changeLifecycle } from './member-lifecycle.ts';
import { ON_ROLL } from './member-lifecycle-rules.ts';
import { findOrganizationInScope } from './organization-mutations.ts';

const MIN_YEAR = 2000;
const MAX_GRADES = 1000;

function checkYear(year: number, field: string): number {
  const latest = new Date().getUTCFullYear();
  if (!Number.isInteger(year) || year < MIN_YEAR || year > latest)
    throw new InputError(field, `must be a year from ${MIN_YEAR} to ${latest}`);
  return year;
}

/** 民主评议党员: a branch's yearly evaluation, its grades and the follow-up of an UNQUALIFIED grade. */
export function registerMemberEvaluation(builder: Builder): void {
  const Grade = builder.enumType(EvaluationGrade, {
    name: 'EvaluationGrade',
    description: '评议等次 — grade of a full member in 民主评议党员',
    values: {
      EXCELLENT: { description: '优秀 — at most a third of those graded' },
      QUALIFIED: { description: '合格 — qualified' },
      BASICALLY_QUALIFIED: { description: '基本合格 — basically qualified' },
      UNQUALIFIED: { description: '不合格 — unqualified; needs a follow-up decision' },
    },
  });
  const FollowUp = builder.enumType(EvaluationFollowUp, {
    name: 'EvaluationFollowUp',
    description: '不合格党员的处置 — the follow-up decision of an UNQUALIFIED grade',
    values: {
      RECTIFY: { description: '限期改正 — to correct within a time limit' },
      PERSUADE_TO_LEAVE: { description: '劝退 — persuaded to leave the party' },
      REMOVE: { description: '除名 — removed from the party (recorded in the member’s lifecycle as REMOVED)' },
    },
  });

  builder.prismaNode('BranchEvaluation', {
    description: '民主评议党员 — a branch’s yearly evaluation of its members',
    id: { field: 'id', description: '全局 ID — global ID' },
    nullable: true,
    findUnique: (id, ctx) => ({ id, organization: organizationScope(ctx) }),
    fields: (t) => ({
      year: t.exposeInt('year', { description: '年度 — the year evaluated' }),
      date: t.expose('date', { type: 'Date', description: '日期 — the day of the evaluation meeting' }),
      organization: t.relation('organization', { description: '党支部 — the branch' }),
      grades: t.relation('grades', {
        description: '评议结果 — every full member’s grade, by member name',
        query: { orderBy: [{ member: { name: 'asc' } }, { id: 'asc' }] },
      }),
      pendingFollowUps: t.relationCount('grades', {
        description: '待处置 — UNQUALIFIED grades without a follow-up decision yet',
        where: { grade: 'UNQUALIFIED', followUp: null },
      }),
    }),
  });

  builder.prismaObject('MemberGrade', {
    description: '评议结果 — one full member’s grade, with the follow-up of an UNQUALIFIED grade',
    fields: (t) => ({
      id: t.exposeID('id', { description: '评议结果 ID — database id, for recordEvaluationFollowUp' }),
      member: t.relation('member', { description: '党员 — the member graded' }),
      grade: t.expose('grade', { type: Grade, description: '等次 — grade' }),
      followUp: t.expose('followUp', { type: FollowUp, nullable: true, description: '处置 — the follow-up decision; null until decided' }),
      followUpDate: t.expose('followUpDate', { type: 'Date', nullable: true, description: '处置日期 — when it was decided' }),
      followUpNote: t.exposeString('followUpNote', { nullable: true, description: '处置说明 — the decision’s account' }),
    }),
  });

  const GradeInput = builder.inputType('MemberGradeInput', {
    description: '评议等次 — one full member’s grade',
    fields: (t) => ({
      memberId: t.id({ required: true, description: '党员 — a full member on the roll of the branch' }),
      grade: t.field({ type: Grade, required: true, description: '等次 — grade' }),
    }),
  });
  const Input = builder.inputType('RecordBranchEvaluationInput', {
    description: '民主评议党员 — every full member on the roll graded once; 优秀 at most a third; probationary members not graded',
    fields: (t) => ({
      organizationId: t.id({ required: true, description: '党支部 — a branch in your subtree' }),
      year: t.int({ required: true, description: '年度 — the year evaluated (2000 to this year); one evaluation per branch and year' }),
      date: t.field({ type: 'Date', required: true, description: '日期 — the day of the meeting; not in the future' }),
      grades: t.field({ type: [GradeInput], required: true, description: '评议结果 — the grades' }),
    }),
  });

  builder.mutationField('recordBranchEvaluation', (t) =>
    t.prismaField({
      type: 'BranchEvaluation',
      description: '登记民主评议党员 — record a branch’s yearly evaluation (ADMIN or SECRETARY)',
      authScopes: MEMBER_WRITERS,
      args: {
        input: t.arg({ type: Input, required: true, description: '评议 — the evaluation' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const year = checkYear(input.year, 'input.year');
        checkNotFuture(input.date, 'input.date');
        if (input.date.getUTCFullYear() < year) throw new InputError('input.date', `must be in ${year} or later`);
        if (input.grades.length > MAX_GRADES) throw new InputError('input.grades', `must list at most ${MAX_GRADES} grades`);
        const grades = input.grades.map((g, i) => ({
          memberId: decodeId('Member', String(g.memberId), `input.grades[${i}].memberId`),
          grade: g.grade,
        }));
        return transact(ctx, async (tx, record) => {
          const org = await findOrganizationInScope(tx, ctx, String(input.organizationId), 'input.organizationId');
          if (!MEMBERSHIP_KINDS.includes(org.kind))
            throw new InputError('input.organizationId', `a branch (党支部) evaluates its members, not a ${org.kind}`);
          const members = await tx.member.findMany({
            where: { organizationId: org.id, standing: { in: [...ON_ROLL] }, joinedAt: { lte: input.date } },
            select: { id: true, status: true },
          });
          checkGrades(members, grades);
          if ((await tx.branchEvaluation.count({ where: { organizationId: org.id, year } })) > 0) {
            throw new ConflictError(`${org.name} already recorded its evaluation of ${year}`, { field: 'input.year' });
          }
          const evaluation = await tx.branchEvaluation.create({
            ...query,
            data: { organizationId: org.id, year, date: input.date, grades: { createMany: { data: grades } } },
          });
          const count = (grade: string) => grades.filter((g) => g.grade === grade).length;
          await record({
            kind: 'member.evaluated',
            organization: org,
            subjectType: 'BranchEvaluation',
            subjectId: evaluation.id,
            summary: `${org.name}完成${year}年度民主评议党员（评定${grades.length}人，优秀${count('EXCELLENT')}人，不合格${count('UNQUALIFIED')}人）`,
            data: { year, graded: grades.length, excellent: count('EXCELLENT'), unqualified: count('UNQUALIFIED') },
          });
          return evaluation;
        });
      },
    }),
  );

  const FollowUpInput = builder.inputType('EvaluationFollowUpInput', {
    description: '不合格党员的处置 — the follow-up decision of an UNQUALIFIED grade',
    fields: (t) => ({
      gradeId: t.id({ required: true, description: '评议结果 — `MemberGrade.id` of an UNQUALIFIED grade' }),
      followUp: t.field({ type: FollowUp, required: true, description: '处置 — the decision' }),
      date: t.field({ type: 'Date', required: true, description: '日期 — not in the future, not before the evaluation' }),
      note: t.string({ required: true, description: '说明 — the decision’s account, at most 1000 characters' }),
    }),
  });

  builder.mutationField('recordEvaluationFollowUp', (t) =>
    t.prismaField({
      type: 'BranchEvaluation',
      description:
        '登记不合格党员处置 — record the follow-up of an UNQUALIFIED grade; REMOVE also records 除名 in the member’s lifecycle (ADMIN or SECRETARY)',
      authScopes: MEMBER_WRITERS,
      args: { input: t.arg({ type: FollowUpInput, required: true, description: '处置 — the decision' }) },
      resolve: async (query, _root, { input }, ctx) => {
        const note = requiredText(input.note, 'input.note', 'short');
        checkNotFuture(input.date, 'input.date');
        return transact(ctx, async (tx, record) => {
          const grade = await tx.memberGrade.findFirst({
            where: { id: String(input.gradeId), evaluation: { organization: organizationScope(ctx) } },
            include: {
              evaluation: { include: { organization: true } },
              member: { select: { id: true, name: true, organization: { select: { id: true, path: true } } } },
            },
          });
          if (!grade) throw new NotFoundError('MemberGrade', String(input.gradeId));
          if (grade.grade !== 'UNQUALIFIED') throw new IllegalStateError('only an UNQUALIFIED grade has a follow-up decision', grade.grade);
          if (grade.followUp) throw new IllegalStateError(`the follow-up (${grade.followUp}) is already recorded`, grade.followUp);
          if (input.date.getTime() < grade.evaluation.date.getTime()) {
            throw new InputError('input.date', `must be on or after the evaluation (${isoDate(grade.evaluation.date)})`);
          }
          await tx.memberGrade.update({
            where: { id: grade.id },
            data: { followUp: input.followUp, followUpDate: input.date, followUpNote: note },
          });
          if (input.followUp === 'REMOVE') {
            await changeLifecycle(tx, ctx, record, grade.member, {
              kind: 'REMOVED',
              date: input.date,
              reason: note,
              details: null,
              hostId: null,
            });
          }
          await record({
            kind: 'member.evaluationFollowUp',
            organization: grade.evaluation.organization,
            subjectType: 'BranchEvaluation',
            subjectId: grade.evaluationId,
            summary: `${grade.evaluation.organization.name}：${grade.member.name}评议不合格的处置（${input.followUp}）`,
            data: { followUp: input.followUp, date: isoDate(input.date) },
          });
          return tx.branchEvaluation.findUniqueOrThrow({ ...query, where: { id: grade.evaluationId } });
        });
      },
    }),
  );

  builder.queryField('branchEvaluations', (t) =>
    t.prismaField({
      type: ['BranchEvaluation'],
      description: '民主评议党员列表 — evaluations of the branches of a subtree in a year, by branch code',
      authScopes: { authenticated: true },
      args: {
        under: t.arg.id({ required: false, description: '党组织 — a committee or branch in your subtree (default: your own)' }),
        year: t.arg.int({ required: true, description: '年度 — the year' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const year = checkYear(args.year, 'year');
        const path = await resolveUnder(ctx, args.under);
        return ctx.db.branchEvaluation.findMany({
          ...query,
          where: { year, organization: { path: { startsWith: path } } },
          orderBy: [{ organization: { code: 'asc' } }],
        });
      },
    }),
  );

  builder.queryField('branchesNotEvaluated', (t) =>
    t.prismaField({
      type: ['Organization'],
      description: '未开展民主评议的党支部 — branches of a subtree with members but no evaluation recorded for the year, by code',
      authScopes: { authenticated: true },
      args: {
        under: t.arg.id({ required: false, description: '党组织 — a committee in your subtree (default: your own)' }),
        year: t.arg.int({ required: true, description: '年度 — the year' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const year = checkYear(args.year, 'year');
        const path = await resolveUnder(ctx, args.under);
        return ctx.db.organization.findMany({
          ...query,
          where: {
            path: { startsWith: path },
            kind: { in: MEMBERSHIP_KINDS as 'BRANCH'[] },
            members: { some: { standing: { in: [...ON_ROLL] } } },
            evaluations: { none: { year } },
          },
          orderBy: [{ code: 'asc' }],
        });
      },
    }),
  );
}
