import { AssessmentTaskState } from '@dangjian/db';
import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import { transact, type Tx } from '../activity/record.ts';
import { assertDraft, assertRunsAssessment, departmentOf } from '../assessment/access.ts';
import { formatHundredths, isPointsText, toHundredths } from '../assessment/points.ts';
import { organizationScope, requireViewer } from '../auth/subtree.ts';
import { hasRole } from '../auth/viewer.ts';
import type { Builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { ForbiddenError, IllegalStateError, InputError, NotFoundError } from '../errors/errors.ts';
import { rootOf } from '../plugin/access.ts';
import { checkDateRange, optionalText, requiredText } from '../kit/validate/index.ts';
import { ADMIN_OR_SECRETARY } from './cadre-access.ts';
import { decodeId } from './global-id.ts';

const ASSIGNMENT_FOR_WRITE = {
  include: {
    task: { select: { id: true, title: true, organizationId: true, deadline: true } },
    organization: { select: { id: true, path: true, name: true } },
  },
} as const;

/** An assignment in the viewer's subtree, or NOT_FOUND exactly as if it did not exist. */
async function findAssignment(tx: Tx, ctx: Context, globalId: string, field: string) {
  const id = decodeId('AssessmentTaskAssignment', globalId, field);
  const row = await tx.assessmentTaskAssignment.findFirst({ where: { id, organization: organizationScope(ctx) }, ...ASSIGNMENT_FOR_WRITE });
  if (!row) throw new NotFoundError('AssessmentTaskAssignment', globalId);
  return row;
}

/** 任务清单 (AssessmentTask) and each organization's part of it (AssessmentTaskAssignment): assign, report, accept, return. */
export function registerAssessmentTask(builder: Builder): void {
  const State = builder.enumType(AssessmentTaskState, {
    name: 'AssessmentTaskState',
    description: '任务状态 — where an organization’s part of a task stands',
    values: {
      ASSIGNED: { description: '已下达 — assigned, not reported yet' },
      REPORTED: { description: '已报告 — the organization reported completion; awaiting the department' },
      ACCEPTED: { description: '已验收 — the department accepted the report' },
      RETURNED: { description: '已退回 — the department returned the report (with a reason); it may be reported again' },
    },
  });

  builder.prismaNode('AssessmentTaskAssignment', {
    description: '任务落实 — one organization’s part of a task: its report and the department’s decision',
    id: { field: 'id' },
    findUnique: (id, ctx) => ({ id, organization: organizationScope(ctx) }),
    nullable: true,
    fields: (t) => ({
      state: t.expose('state', { type: State, description: '状态' }),
      account: t.exposeString('account', { nullable: true, description: '完成情况 — the organization’s account of what it did' }),
      reportedAt: t.expose('reportedAt', { type: 'DateTime', nullable: true, description: '报告时间 — when it last reported' }),
      decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true, description: '验收/退回时间 — when the department decided' }),
      returnReason: t.exposeString('returnReason', { nullable: true, description: '退回理由 — why the report was returned' }),
      organization: t.relation('organization', { description: '责任组织 — the organization assigned' }),
      task: t.relation('task', { description: '任务 — the task' }),
    }),
  });

  builder.prismaNode('AssessmentTask', {
    description: '任务清单 — a task the department assigned to organizations of its tree',
    id: { field: 'id' },
    findUnique: (id, ctx) => ({ id, organizationId: departmentOf(ctx) }),
    nullable: true,
    fields: (t) => ({
      title: t.exposeString('title', { description: '标题' }),
      description: t.exposeString('description', { nullable: true, description: '内容 — what is to be done' }),
      deadline: t.expose('deadline', { type: 'Date', description: '截止日期 — reported on or before this day counts as on time' }),
      points: t.field({
        type: 'Decimal',
        description: '分值 — weight in the scheme’s TASKS item',
        resolve: (task) => formatHundredths(toHundredths(task.points)),
      }),
      scheme: t.relation('scheme', { nullable: true, description: '考核方案 — the scheme it counts in, if any' }),
      // A branch sees only its own part; the department sees every organization's.
      assignments: t.relation('assignments', {
        description: '落实情况 — the assigned organizations’ parts you may see',
        query: (_args, ctx) => ({ where: { organization: organizationScope(ctx) }, orderBy: { organization: { path: 'asc' } } }),
      }),
    }),
  });

  builder.queryField('assessmentTasks', (t) =>
    t.prismaField({
      type: ['AssessmentTask'],
      description: '任务清单 — tasks of your department assigned to an organization of your subtree, by deadline',
      authScopes: { authenticated: true },
      args: { schemeId: t.arg.id({ required: false, description: '方案 ID — only the tasks of this scheme' }) },
      resolve: (query, _root, { schemeId }, ctx) =>
        ctx.db.assessmentTask.findMany({
          ...query,
          where: {
            organizationId: departmentOf(ctx),
            assignments: { some: { organization: organizationScope(ctx) } },
            ...(schemeId ? { schemeId: decodeId('AssessmentScheme', String(schemeId), 'schemeId') } : {}),
          },
          orderBy: [{ deadline: 'asc' }, { id: 'asc' }],
        }),
    }),
  );

  const AssignInput = builder.inputType('AssignAssessmentTaskInput', {
    description: '下达任务 — a task for organizations of your department',
    fields: (t) => ({
      schemeId: t.id({ required: false, description: '考核方案 — a DRAFT scheme whose TASKS item it counts in' }),
      title: t.string({ required: true, description: '标题 (at most 200 characters)' }),
      description: t.string({ required: false, description: '内容 (at most 5000 characters)' }),
      deadline: t.field({ type: 'Date', required: true, description: '截止日期' }),
      points: t.field({ type: 'Decimal', required: true, description: '分值 — > 0, at most two decimals' }),
      organizationIds: t.idList({ required: true, description: '责任组织 — one or more organizations of the department (at most 1000)' }),
    }),
  });

  builder.mutationField('assignAssessmentTask', (t) =>
    t.prismaField({
      type: 'AssessmentTask',
      description: '下达任务 — assign a task to organizations of the department (its ADMIN or SECRETARY)',
      authScopes: ADMIN_OR_SECRETARY,
      args: { input: t.arg({ type: AssignInput, required: true, description: '任务' }), idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG) },
      resolve: async (query, _root, { input }, ctx) => {
        const department = rootOf(requireViewer(ctx));
        assertRunsAssessment(ctx, department);
        const title = requiredText(input.title, 'input.title', 'name');
        const description = optionalText(input.description, 'input.description', 'long');
        checkDateRange(input.deadline, 'input.deadline');
        if (!isPointsText(input.points) || toHundredths(input.points) === 0)
          throw new InputError('input.points', 'must be points > 0 with at most two decimals');
        if (input.organizationIds.length === 0) throw new InputError('input.organizationIds', 'needs at least one organization');
        if (input.organizationIds.length > 1000) throw new InputError('input.organizationIds', 'has more than 1000 organizations');
        const ids = [...new Set(input.organizationIds.map((id, i) => decodeId('Organization', String(id), `input.organizationIds[${i}]`)))];
        return transact(ctx, async (tx, record) => {
          let schemeId: string | null = null;
          if (input.schemeId) {
            schemeId = decodeId('AssessmentScheme', String(input.schemeId), 'input.schemeId');
            const scheme = await tx.assessmentScheme.findFirst({ where: { id: schemeId, organizationId: department } });
            if (!scheme) throw new NotFoundError('AssessmentScheme', String(input.schemeId));
            assertDraft(scheme);
          }
          const orgs = await tx.organization.findMany({
            where: { id: { in: ids }, path: { startsWith: `/${department}/` } },
            select: { id: true },
          });
          if (orgs.length !== ids.length) {
            const found = new Set(orgs.map((o) => o.id));
            const i = input.organizationIds.findIndex((id) => !found.has(decodeId('Organization', String(id), 'input.organizationIds')));
            throw new NotFoundError('Organization', String(input.organizationIds[i]));
          }
          const root = await tx.organization.findUniqueOrThrow({ where: { id: department }, select: { id: true, path: true } });
          const task = await tx.assessmentTask.create({
            data: {
              organizationId: department,
              schemeId,
              title,
              description,
              deadline: input.deadline,
              points: formatHundredths(toHundredths(input.points)),
              createdBy: requireViewer(ctx).userId,
              assignments: { createMany: { data: ids.map((organizationId) => ({ organizationId })) } },
            },
          });
          await record({
            kind: 'assessment.taskAssigned',
            organization: root,
            subjectType: 'AssessmentTask',
            subjectId: task.id,
            summary: `下达任务：${title}（${ids.length}个组织，截止${input.deadline.toISOString().slice(0, 10)}）`,
            data: { organizations: ids.length, deadline: input.deadline.toISOString().slice(0, 10) },
          });
          return tx.assessmentTask.findUniqueOrThrow({ ...query, where: { id: task.id } });
        });
      },
    }),
  );

  builder.mutationField('reportAssessmentTask', (t) =>
    t.prismaField({
      type: 'AssessmentTaskAssignment',
      description: '报告完成 — the assigned organization (its ADMIN or SECRETARY, acting for it) reports what it did; again after a return',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        assignmentId: t.arg.id({ required: true, description: '任务落实 ID' }),
        account: t.arg.string({ required: true, description: '完成情况 — what was done (at most 5000 characters)' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const account = requiredText(args.account, 'account', 'long');
        return transact(ctx, async (tx, record) => {
          const row = await findAssignment(tx, ctx, String(args.assignmentId), 'assignmentId');
          const viewer = requireViewer(ctx);
          if (viewer.organizationId !== row.organizationId || !hasRole(viewer, 'ADMIN', 'SECRETARY')) {
            throw new ForbiddenError('only the assigned organization reports its task');
          }
          if (row.state !== 'ASSIGNED' && row.state !== 'RETURNED')
            throw new IllegalStateError(`the task is already ${row.state}`, row.state);
          await tx.assessmentTaskAssignment.update({
            where: { id: row.id },
            data: { state: 'REPORTED', account, reportedAt: new Date(), reportedBy: viewer.userId, returnReason: null },
          });
          await record({
            kind: 'assessment.taskReported',
            organization: row.organization,
            subjectType: 'AssessmentTaskAssignment',
            subjectId: row.id,
            summary: `${row.organization.name}报告完成任务：${row.task.title}`,
          });
          return tx.assessmentTaskAssignment.findUniqueOrThrow({ ...query, where: { id: row.id } });
        });
      },
    }),
  );

  const decide = (name: 'acceptAssessmentTask' | 'returnAssessmentTask', accept: boolean) =>
    builder.mutationField(name, (t) =>
      t.prismaField({
        type: 'AssessmentTaskAssignment',
        description: accept
          ? '验收任务 — the department (its ADMIN or SECRETARY) accepts a reported task'
          : '退回任务 — the department (its ADMIN or SECRETARY) returns a reported task with a reason',
        authScopes: ADMIN_OR_SECRETARY,
        args: {
          assignmentId: t.arg.id({ required: true, description: '任务落实 ID' }),
          reason: t.arg.string({
            required: !accept,
            description: accept ? '验收意见 — ignored' : '退回理由 — required (at most 1000 characters)',
          }),
        },
        resolve: async (query, _root, args, ctx) => {
          const reason = accept ? null : requiredText(args.reason ?? '', 'reason', 'short');
          return transact(ctx, async (tx, record) => {
            const row = await findAssignment(tx, ctx, String(args.assignmentId), 'assignmentId');
            assertRunsAssessment(ctx, row.task.organizationId);
            if (row.state !== 'REPORTED') throw new IllegalStateError(`only a REPORTED task can be decided; it is ${row.state}`, row.state);
            const viewer = requireViewer(ctx);
            await tx.assessmentTaskAssignment.update({
              where: { id: row.id },
              data: { state: accept ? 'ACCEPTED' : 'RETURNED', decidedAt: new Date(), decidedBy: viewer.userId, returnReason: reason },
            });
            await record({
              kind: accept ? 'assessment.taskAccepted' : 'assessment.taskReturned',
              organization: row.organization,
              subjectType: 'AssessmentTaskAssignment',
              subjectId: row.id,
              summary: accept
                ? `验收任务：${row.organization.name}「${row.task.title}」`
                : `退回任务：${row.organization.name}「${row.task.title}」（${reason}）`,
            });
            return tx.assessmentTaskAssignment.findUniqueOrThrow({ ...query, where: { id: row.id } });
          });
        },
      }),
    );
  decide('acceptAssessmentTask', true);
  decide('returnAssessmentTask', false);
}
