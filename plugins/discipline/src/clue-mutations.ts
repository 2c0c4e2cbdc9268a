import {
  checkNotFuture,
  ConflictError,
  decodeId,
  IDEMPOTENCY_KEY_ARG,
  IllegalStateError,
  InputError,
  NotFoundError,
  optionalText,
  organizationScope,
  requiredText,
  requireViewer,
  type Builder,
  type Context,
  type Tx,
} from '@dangjian/core';
import type { DisciplineClueStatus, Prisma } from '@dangjian/db';
import { visibleClueWhere } from './access.ts';
import { checkReporter, checkSubject, disposeStatus, isClueSubject, startReviewStatus } from './clue-rules.ts';
import type { Deps } from './deps.ts';

/**
 * Clue events say only that something happened to a clue at an organization: no subject, reporter,
 * content or disposition, because a feed entry outlives the reader's right to the clue.
 */
const RECEIVED_SUMMARY = '收到一条问题线索';

/**
 * A clue the viewer may read, or NOT_FOUND exactly as for a missing one. `visible` is resolved before the
 * transaction: it reads through ctx.db, which would wait for the transaction's own connection.
 */
async function findVisible(tx: Tx, visible: Prisma.DisciplineClueWhereInput, globalId: string, field: string) {
  const id = decodeId('Clue', globalId, field);
  const clue = await tx.disciplineClue.findFirst({ where: { ...visible, id } });
  if (!clue) throw new NotFoundError('Clue', globalId);
  return clue;
}

/** Moves a clue only from the state it was read in; a concurrent change surfaces as ILLEGAL_STATE. */
async function move(tx: Tx, id: string, from: DisciplineClueStatus, data: Prisma.DisciplineClueUpdateManyMutationInput) {
  const { count } = await tx.disciplineClue.updateMany({ where: { id, status: from }, data });
  if (count === 0) {
    const now = await tx.disciplineClue.findUniqueOrThrow({ where: { id }, select: { status: true } });
    throw new IllegalStateError(`the clue changed while you acted on it; it is now ${now.status}`, now.status);
  }
}

/** `registerClue`, `startClueReview`, `disposeClue`: all DISCIPLINE only. */
export function registerClueMutations(builder: Builder, { api, enums }: Deps): void {
  const RegisterInput = builder.inputType('RegisterClueInput', {
    description: '受理问题线索 — register a clue received by a discipline body',
    fields: (t) => ({
      receivingOrganizationId: t.id({
        required: false,
        description: '受理党组织 — the organization whose discipline body received it: yours or one below (default: yours)',
      }),
      channel: t.field({ type: enums.Channel, required: true, description: '线索来源 — channel' }),
      reporterName: t.string({ required: false, description: '举报人姓名 — empty for an anonymous report (at most 50 characters)' }),
      reporterContact: t.string({ required: false, description: '举报人联系方式 — only with a name (at most 100 characters)' }),
      subjectMemberId: t.id({
        required: false,
        description:
          '被反映党员 — a member of the receiving organization or below; exactly one of subjectMemberId and subjectOrganizationId',
      }),
      subjectOrganizationId: t.id({ required: false, description: '被反映党组织 — the receiving organization or one below it' }),
      content: t.string({ required: true, description: '线索内容 — what was reported (at most 5000 characters)' }),
      receivedAt: t.field({ type: 'Date', required: true, description: '受理日期 — the day it was received; not in the future' }),
    }),
  });

  builder.mutationField('registerClue', (t) =>
    t.prismaField({
      type: 'DisciplineClue',
      description: '受理问题线索 — register a clue (DISCIPLINE); publishes `discipline.clueReceived`, seen by DISCIPLINE only',
      authScopes: { role: 'DISCIPLINE' },
      args: {
        input: t.arg({ type: RegisterInput, required: true, description: '线索信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const viewer = requireViewer(ctx);
        checkSubject(input.subjectMemberId, input.subjectOrganizationId);
        const reporterName = optionalText(input.reporterName, 'input.reporterName', 'name', 50);
        const reporterContact = optionalText(input.reporterContact, 'input.reporterContact', 'name', 100);
        checkReporter(reporterName, reporterContact);
        const content = requiredText(input.content, 'input.content', 'long');
        checkNotFuture(input.receivedAt, 'input.receivedAt');
        const receivingId = input.receivingOrganizationId
          ? decodeId('Organization', String(input.receivingOrganizationId), 'input.receivingOrganizationId')
          : viewer.organizationId;
        const subjectMemberId = input.subjectMemberId ? decodeId('Member', String(input.subjectMemberId), 'input.subjectMemberId') : null;
        const subjectOrganizationId = input.subjectOrganizationId
          ? decodeId('Organization', String(input.subjectOrganizationId), 'input.subjectOrganizationId')
          : null;
        // 回避: whoever a clue is about may not handle it, and could not read it back.
        if (isClueSubject(viewer, { subjectMemberId, subjectOrganizationId })) {
          throw new InputError(
            subjectMemberId ? 'input.subjectMemberId' : 'input.subjectOrganizationId',
            'a clue about yourself must be registered by another discipline body (回避)',
          );
        }
        return api.transact(ctx, async (tx, publish) => {
          const receiving = await tx.organization.findFirst({ where: { id: receivingId, ...organizationScope(ctx) } });
          if (!receiving) throw new NotFoundError('Organization', String(input.receivingOrganizationId ?? receivingId));
          // A discipline body handles clues about its own subtree: anything else is another body's clue.
          if (subjectMemberId) {
            const member = await tx.member.findFirst({
              where: { id: subjectMemberId, organization: { path: { startsWith: receiving.path } } },
              select: { id: true },
            });
            if (!member)
              throw new InputError('input.subjectMemberId', `is not a member of ${receiving.name} or of an organization below it`);
          }
          if (subjectOrganizationId) {
            const org = await tx.organization.findFirst({
              where: { id: subjectOrganizationId, path: { startsWith: receiving.path } },
              select: { id: true },
            });
            if (!org) throw new InputError('input.subjectOrganizationId', `is not ${receiving.name} or an organization below it`);
          }
          const duplicate = await tx.disciplineClue.count({
            where: { receivingOrganizationId: receiving.id, subjectMemberId, subjectOrganizationId, receivedAt: input.receivedAt, content },
          });
          if (duplicate > 0)
            throw new ConflictError('this clue is already registered (same subject, day and content)', { field: 'input.content' });
          const clue = await tx.disciplineClue.create({
            ...query,
            data: {
              receivingOrganizationId: receiving.id,
              channel: input.channel,
              reporterName,
              reporterContact,
              subjectMemberId,
              subjectOrganizationId,
              content,
              receivedAt: input.receivedAt,
              registeredBy: viewer.userId,
            },
          });
          await publish('discipline.clueReceived', {
            organization: receiving,
            subjectType: 'Clue',
            subjectId: clue.id,
            summary: RECEIVED_SUMMARY,
          });
          return clue;
        });
      },
    }),
  );

  builder.mutationField('startClueReview', (t) =>
    t.prismaField({
      type: 'DisciplineClue',
      description: '开始核查 — move a RECEIVED clue you may read to UNDER_REVIEW (DISCIPLINE)',
      authScopes: { role: 'DISCIPLINE' },
      args: { id: t.arg.id({ required: true, description: '问题线索' }) },
      resolve: async (query, _root, args, ctx) => {
        const visible = await visibleClueWhere(ctx);
        return api.transact(ctx, async (tx) => {
          const clue = await findVisible(tx, visible, String(args.id), 'id');
          await move(tx, clue.id, clue.status, { status: startReviewStatus(clue.status), reviewStartedAt: new Date() });
          return tx.disciplineClue.findUniqueOrThrow({ ...query, where: { id: clue.id } });
        });
      },
    }),
  );

  const DisposeInput = builder.inputType('DisposeClueInput', {
    description: '处置问题线索 — the decision on a clue under review',
    fields: (t) => ({
      disposition: t.field({
        type: enums.Disposition,
        required: true,
        description: '处置方式 — CLOSED_NO_ACTION (了结) closes it; any other disposes of it',
      }),
      decision: t.string({ required: true, description: '处置意见 — the decision and its grounds (at most 2000 characters)' }),
      decidedAt: t.field({
        type: 'Date',
        required: true,
        description: '处置日期 — the day of the decision; not before it was received, not in the future',
      }),
    }),
  });

  builder.mutationField('disposeClue', (t) =>
    t.prismaField({
      type: 'DisciplineClue',
      description:
        '处置问题线索 — record the disposition of a clue UNDER_REVIEW (DISCIPLINE); publishes `discipline.clueDisposed`, seen by DISCIPLINE only',
      authScopes: { role: 'DISCIPLINE' },
      args: {
        id: t.arg.id({ required: true, description: '问题线索' }),
        input: t.arg({ type: DisposeInput, required: true, description: '处置信息' }),
      },
      resolve: async (query, _root, { id, input }, ctx) => {
        const viewer = requireViewer(ctx);
        const decision = requiredText(input.decision, 'input.decision', 'long', 2000);
        checkNotFuture(input.decidedAt, 'input.decidedAt');
        const visible = await visibleClueWhere(ctx);
        return api.transact(ctx, async (tx, publish) => {
          const clue = await findVisible(tx, visible, String(id), 'id');
          const status = disposeStatus(clue.status, input.disposition);
          if (input.decidedAt.getTime() < clue.receivedAt.getTime())
            throw new InputError('input.decidedAt', 'must not be before the day the clue was received');
          await move(tx, clue.id, clue.status, {
            status,
            disposition: input.disposition,
            decision,
            decidedAt: input.decidedAt,
            deciderId: viewer.userId,
          });
          const receiving = await tx.organization.findUniqueOrThrow({
            where: { id: clue.receivingOrganizationId },
            select: { id: true, path: true },
          });
          await publish('discipline.clueDisposed', {
            organization: receiving,
            subjectType: 'Clue',
            subjectId: clue.id,
            summary: status === 'CLOSED' ? '一条问题线索已了结' : '一条问题线索已处置',
          });
          return tx.disciplineClue.findUniqueOrThrow({ ...query, where: { id: clue.id } });
        });
      },
    }),
  );
}
