import { IDEMPOTENCY_KEY_ARG, isoDate, optionalText, requiredText, utcToday } from '@dangjian/core';
import {
  decodeId,
  IllegalStateError,
  NotFoundError,
  requireViewer,
  resolveUnder,
  type Builder,
  type Context,
  type Tx,
} from '@dangjian/core';
import type { DisciplineRectificationStatus, Prisma } from '@dangjian/db';
import {
  ADMIN_OR_DISCIPLINE,
  ADMIN_OR_SECRETARY,
  assertInspectedSide,
  assertInspectingSide,
  inspectedIdsUnder,
  visibleInspectionWhere,
} from './access.ts';
import type { Deps } from './deps.ts';
import { checkDeadline, closedOnTime, isOverdue, nextRectificationStatus, type RectificationAction } from './rectification-rules.ts';

interface RectificationFilterInput {
  under?: string | number | null;
  status?: DisciplineRectificationStatus[] | null;
  overdue?: boolean | null;
}

/** The where of overdue items (not accepted, deadline day passed) — or, with `false`, of the others. */
export function overdueWhere(overdue: boolean, now: Date): Prisma.DisciplineRectificationWhereInput {
  const today = utcToday(now);
  return overdue
    ? { status: { not: 'ACCEPTED' }, deadline: { lt: today } }
    : { OR: [{ status: 'ACCEPTED' }, { deadline: { gte: today } }] };
}

async function rectificationsWhere(
  ctx: Context,
  filter: RectificationFilterInput | null | undefined,
): Promise<Prisma.DisciplineRectificationWhereInput> {
  const f = filter ?? {};
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  return {
    problem: { inspection: { inspectedOrganizationId: { in: await inspectedIdsUnder(ctx, path) } } },
    ...(f.status?.length ? { status: { in: f.status } } : {}),
    ...(f.overdue === null || f.overdue === undefined ? {} : overdueWhere(f.overdue, new Date())),
  };
}

/**
 * A visible item with the two organizations that decide who may act on it; NOT_FOUND otherwise. `visible` is resolved
 * before the transaction: it reads through ctx.db, which would wait for the transaction's own connection.
 */
async function findForWrite(tx: Tx, visible: Prisma.DisciplineInspectionWhereInput, globalId: string, field: string) {
  const id = decodeId('Rectification', globalId, field);
  const item = await tx.disciplineRectification.findFirst({
    where: { id, problem: { inspection: visible } },
    include: { problem: { include: { inspection: true } } },
  });
  if (!item) throw new NotFoundError('Rectification', globalId);
  const { inspectedOrganizationId, inspectingOrganizationId } = item.problem.inspection;
  const orgs = await tx.organization.findMany({ where: { id: { in: [inspectedOrganizationId, inspectingOrganizationId] } } });
  return {
    item,
    inspected: orgs.find((o) => o.id === inspectedOrganizationId)!,
    inspecting: orgs.find((o) => o.id === inspectingOrganizationId)!,
  };
}

/**
 * Moves an item only if it is still in the state it was read in, so two reviewers racing each other cannot
 * both win: the loser gets the ILLEGAL_STATE the winner's change now implies.
 */
async function transition(
  tx: Tx,
  id: string,
  from: DisciplineRectificationStatus,
  action: RectificationAction,
  data: Prisma.DisciplineRectificationUpdateManyMutationInput,
) {
  const to = nextRectificationStatus(from, action);
  const { count } = await tx.disciplineRectification.updateMany({ where: { id, status: from }, data: { ...data, status: to } });
  if (count === 0) {
    const now = await tx.disciplineRectification.findUniqueOrThrow({ where: { id }, select: { status: true } });
    nextRectificationStatus(now.status, action);
    throw new IllegalStateError(`the rectification changed while you acted on it; it is now ${now.status}`, now.status);
  }
}

/** 整改清单 (Rectification): the type, `rectifications`, and add / submit / accept / reopen. */
export function registerRectification(builder: Builder, { api, enums }: Deps): void {
  builder.prismaNode('DisciplineRectification', {
    name: 'Rectification',
    description: '整改事项 — one item of a problem’s rectification list: a measure, a deadline, its state and evidence',
    id: { field: 'id' },
    findUnique: async (id, ctx) => ({ id, problem: { inspection: await visibleInspectionWhere(ctx) } }),
    nullable: true,
    fields: (t) => ({
      problem: t.relation('problem', { description: '问题 — the problem it rectifies' }),
      measure: t.exposeString('measure', { description: '整改措施 — what is to be done' }),
      deadline: t.expose('deadline', { type: 'Date', description: '整改时限 — the last day' }),
      status: t.expose('status', { type: enums.RectificationStatus, description: '整改状态 — state' }),
      evidence: t.exposeString('evidence', {
        nullable: true,
        description: '整改材料 — the evidence last submitted (null before the first submission)',
      }),
      submittedAt: t.expose('submittedAt', { type: 'DateTime', nullable: true, description: '提交时间 — when it was last submitted' }),
      reviewComment: t.exposeString('reviewComment', {
        nullable: true,
        description: '验收意见 — the inspecting committee’s last comment (the reason when reopened)',
      }),
      acceptedAt: t.expose('acceptedAt', { type: 'DateTime', nullable: true, description: '验收时间 — when it was accepted' }),
      reopenCount: t.exposeInt('reopenCount', { description: '退回次数 — how often it was sent back' }),
      overdue: t.boolean({
        description: '逾期 — the deadline day has passed and it is not accepted',
        select: { status: true, deadline: true },
        resolve: (row) => isOverdue(row, new Date()),
      }),
      closedOnTime: t.boolean({
        description: '按期整改 — accepted on or before its deadline day',
        select: { status: true, deadline: true, acceptedAt: true },
        resolve: (row) => closedOnTime(row),
      }),
      overdueNotifiedAt: t.expose('overdueNotifiedAt', {
        type: 'DateTime',
        nullable: true,
        description: '逾期提醒时间 — when the overdue check raised `discipline.rectificationOverdue` for it (once)',
      }),
    }),
  });

  const Filter = builder.inputType('RectificationFilter', {
    description: '整改筛选 — conditions on rectification items (all must hold)',
    fields: (t) => ({
      under: t.id({
        required: false,
        description: '党组织 — items of inspections of this organization and everything below it (default: your own)',
      }),
      status: t.field({ type: [enums.RectificationStatus], required: false, description: '整改状态 — any of these states' }),
      overdue: t.boolean({ required: false, description: '逾期 — true for overdue items only, false for the others' }),
    }),
  });

  builder.queryField('rectifications', (t) =>
    t.prismaConnection(
      {
        type: 'DisciplineRectification',
        cursor: 'id',
        description:
          '整改清单 — rectification items of inspections in your subtree, earliest deadline first (ADMIN, SECRETARY, DISCIPLINE or AUDITOR)',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.disciplineRectification.findMany({
            ...query,
            where: await rectificationsWhere(ctx, args.filter),
            orderBy: [{ deadline: 'asc' }, { id: 'asc' }],
          }),
        totalCount: async (_root, args, ctx) =>
          ctx.db.disciplineRectification.count({ where: await rectificationsWhere(ctx, args.filter) }),
      },
      { description: '整改分页 — a page of rectification items with the total count' },
      { description: '整改分页项 — one item of a page' },
    ),
  );

  const AddInput = builder.inputType('AddRectificationInput', {
    description: '增加整改事项 — one more measure for a problem',
    fields: (t) => ({
      problemId: t.id({ required: true, description: '问题 — the problem' }),
      measure: t.string({ required: true, description: '整改措施 — what will be done (at most 500 characters)' }),
      deadline: t.field({ type: 'Date', required: true, description: '整改时限 — the last day; not before the inspection date' }),
    }),
  });

  builder.mutationField('addRectification', (t) =>
    t.prismaField({
      type: 'DisciplineRectification',
      description: '增加整改事项 — add a rectification item to a problem (ADMIN or DISCIPLINE of the inspecting committee or above)',
      authScopes: ADMIN_OR_DISCIPLINE,
      args: {
        input: t.arg({ type: AddInput, required: true, description: '整改事项' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const viewer = requireViewer(ctx);
        const measure = requiredText(input.measure, 'input.measure', 'short', 500);
        const problemId = decodeId('InspectionProblem', String(input.problemId), 'input.problemId');
        const visible = await visibleInspectionWhere(ctx);
        return api.transact(ctx, async (tx) => {
          const problem = await tx.disciplineInspectionProblem.findFirst({
            where: { id: problemId, inspection: visible },
            include: { inspection: true },
          });
          if (!problem) throw new NotFoundError('InspectionProblem', String(input.problemId));
          const inspecting = await tx.organization.findUniqueOrThrow({ where: { id: problem.inspection.inspectingOrganizationId } });
          assertInspectingSide(viewer, inspecting);
          checkDeadline(input.deadline, problem.inspection.date, 'input.deadline');
          return tx.disciplineRectification.create({ ...query, data: { problemId: problem.id, measure, deadline: input.deadline } });
        });
      },
    }),
  );

  builder.mutationField('submitRectification', (t) =>
    t.prismaField({
      type: 'DisciplineRectification',
      description:
        '提交整改 — the inspected organization reports an OPEN or REOPENED item done, with evidence (ADMIN or SECRETARY of the inspected organization)',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        id: t.arg.id({ required: true, description: '整改事项' }),
        evidence: t.arg.string({
          required: true,
          description: '整改材料 — what was done and where the proof is (at most 2000 characters)',
        }),
      },
      resolve: async (query, _root, args, ctx) => {
        const viewer = requireViewer(ctx);
        const evidence = requiredText(args.evidence, 'evidence', 'long', 2000);
        const visible = await visibleInspectionWhere(ctx);
        return api.transact(ctx, async (tx) => {
          const { item, inspected, inspecting } = await findForWrite(tx, visible, String(args.id), 'id');
          assertInspectedSide(viewer, inspected, inspecting);
          await transition(tx, item.id, item.status, 'submit', { evidence, submittedAt: new Date(), submittedBy: viewer.userId });
          return tx.disciplineRectification.findUniqueOrThrow({ ...query, where: { id: item.id } });
        });
      },
    }),
  );

  builder.mutationField('acceptRectification', (t) =>
    t.prismaField({
      type: 'DisciplineRectification',
      description:
        '验收整改 — the inspecting committee accepts a SUBMITTED item (ADMIN or DISCIPLINE); publishes `discipline.rectificationAccepted`',
      authScopes: ADMIN_OR_DISCIPLINE,
      args: {
        id: t.arg.id({ required: true, description: '整改事项' }),
        comment: t.arg.string({ required: false, description: '验收意见 — optional comment (at most 1000 characters)' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const viewer = requireViewer(ctx);
        const comment = optionalText(args.comment, 'comment', 'short');
        const visible = await visibleInspectionWhere(ctx);
        return api.transact(ctx, async (tx, publish) => {
          const { item, inspected, inspecting } = await findForWrite(tx, visible, String(args.id), 'id');
          assertInspectingSide(viewer, inspecting);
          const acceptedAt = new Date();
          await transition(tx, item.id, item.status, 'accept', { acceptedAt, reviewComment: comment, reviewedBy: viewer.userId });
          const onTime = closedOnTime({ status: 'ACCEPTED', deadline: item.deadline, acceptedAt });
          await publish('discipline.rectificationAccepted', {
            organization: inspected,
            subjectType: 'Rectification',
            subjectId: item.id,
            summary: `${inspected.name}整改事项通过验收${onTime ? '' : '（逾期完成）'}：${item.measure}`,
            data: { deadline: isoDate(item.deadline), onTime, problemId: item.problemId },
          });
          return tx.disciplineRectification.findUniqueOrThrow({ ...query, where: { id: item.id } });
        });
      },
    }),
  );

  builder.mutationField('reopenRectification', (t) =>
    t.prismaField({
      type: 'DisciplineRectification',
      description: '退回整改 — the inspecting committee sends a SUBMITTED item back with a reason (ADMIN or DISCIPLINE)',
      authScopes: ADMIN_OR_DISCIPLINE,
      args: {
        id: t.arg.id({ required: true, description: '整改事项' }),
        reason: t.arg.string({ required: true, description: '退回理由 — what is still missing (at most 1000 characters)' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const viewer = requireViewer(ctx);
        const reason = requiredText(args.reason, 'reason', 'short');
        const visible = await visibleInspectionWhere(ctx);
        return api.transact(ctx, async (tx) => {
          const { item, inspecting } = await findForWrite(tx, visible, String(args.id), 'id');
          assertInspectingSide(viewer, inspecting);
          await transition(tx, item.id, item.status, 'reopen', {
            reviewComment: reason,
            reviewedBy: viewer.userId,
            reopenCount: { increment: 1 },
          });
          return tx.disciplineRectification.findUniqueOrThrow({ ...query, where: { id: item.id } });
        });
      },
    }),
  );
}
