import type { Prisma, TransferLetterState } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { loadMember, loadOrganization } from '../plugin/helpers.ts';
import { incomingWhere, outgoingWhere, overdueReceiptWhere, stateWhere, visibleWhere } from '../transfers/access.ts';
import { effectiveState } from '../transfers/rules.ts';
import { utcToday } from '../kit/dates.ts';
import { formatMonth } from './member-rules.ts';
import { registerTransferLetterMutations } from './transfer-letter-mutations.ts';

/**
 * 组织关系转接 — the transfer letter (介绍信) and its queries. The receiving side reads the letter's own
 * fields only: the sender's member lies outside its subtree, so nothing here goes through Member.
 */
export function registerTransferLetter(builder: Builder): void {
  const State = builder.enumType('TransferLetterState', {
    description: '介绍信状态 — where a transfer letter stands',
    values: {
      ISSUED: { description: '已开具 — issued; the member is transferring out and still belongs to the sender' },
      ACCEPTED: { description: '已接收 — the receiving organization accepted; the member moved and the receipt is recorded' },
      RETURNED: { description: '已退回 — the receiving organization returned it, with a reason' },
      EXPIRED: { description: '已过期 — past its validity before acceptance; the member stays' },
      WITHDRAWN: { description: '已撤回 — the sender withdrew it before acceptance' },
      COMPLETED: { description: '已完成 — external transfer: the sender recorded the returned receipt (回执)' },
    },
  });
  const Direction = builder.enumType('TransferLetterDirection', {
    description: '转接方向 — which side of a letter to list',
    values: {
      OUTGOING: { description: '转出 — letters issued by your subtree' },
      INCOMING: { description: '转入 — letters addressed to your subtree (ADMIN or SECRETARY)' },
    },
  });

  builder.prismaNode('TransferLetter', {
    description: '组织关系介绍信 — a transfer letter, as seen by its sender or by the receiving organization',
    id: { field: 'id' },
    findUnique: (id, ctx) => ({ id, ...visibleWhere(ctx) }) as Prisma.TransferLetterWhereUniqueInput,
    nullable: true,
    fields: (t) => ({
      number: t.exposeString('number', {
        description: '介绍信编号 — number, unique per issuing organization (or the incoming letter’s number)',
      }),
      memberName: t.exposeString('memberName', { description: '党员姓名 — the member’s name as the letter carries it' }),
      state: t.field({
        type: State,
        description: '状态 — state today; a letter past its validity reads EXPIRED',
        select: { state: true, validUntil: true, destinationId: true },
        resolve: (letter) => effectiveState(letter, utcToday()) as TransferLetterState,
      }),
      external: t.boolean({
        description: '外部转出 — true when the destination is outside this deployment',
        select: { destinationId: true, issuerId: true },
        resolve: (letter) => letter.destinationId === null && letter.issuerId !== null,
      }),
      paidUpTo: t.string({
        nullable: true,
        description: '党费交至 — the month (YYYY-MM) the dues were paid up to when issued; null when none was',
        select: { paidUpTo: true },
        resolve: (letter) => (letter.paidUpTo ? formatMonth(letter.paidUpTo) : null),
      }),
      issuedOn: t.expose('issuedOn', { type: 'Date', description: '开具日期 — issued on' }),
      validUntil: t.expose('validUntil', {
        type: 'Date',
        description: '有效期至 — last valid day (default ten days, at most three months)',
      }),
      receiptDueOn: t.expose('receiptDueOn', {
        type: 'Date',
        description: '回执期限 — the receipt is due by this day (one month after issue)',
      }),
      receiptOn: t.expose('receiptOn', { type: 'Date', nullable: true, description: '回执日期 — when the receipt was recorded' }),
      receiptOverdue: t.boolean({
        description: '回执逾期 — an external letter whose receipt is past due',
        select: { state: true, destinationId: true, issuerId: true, receiptDueOn: true },
        resolve: (l) => l.state === 'ISSUED' && l.destinationId === null && l.issuerId !== null && l.receiptDueOn < utcToday(),
      }),
      issuerName: t.exposeString('issuerName', { description: '开具党组织 — name of the issuing organization' }),
      originName: t.exposeString('originName', {
        nullable: true,
        description: '转出单位 — for a member received from outside, the sending organization',
      }),
      destinationName: t.exposeString('destinationName', { description: '接收党组织 — name of the destination' }),
      destinationAddress: t.exposeString('destinationAddress', {
        nullable: true,
        description: '接收地址 — address of an external destination',
      }),
      reason: t.exposeString('reason', { description: '转接原因 — reason, e.g. 工作调动' }),
      returnReason: t.exposeString('returnReason', {
        nullable: true,
        description: '退回原因 — why the receiving organization returned it',
      }),
      decidedAt: t.expose('decidedAt', {
        type: 'DateTime',
        nullable: true,
        description: '办结时间 — when it was accepted, returned, withdrawn or completed',
      }),
      // The ends and the member answer only inside the viewer's subtree (null otherwise): the receiving side
      // sees the member once accepted, the sender sees its own organization.
      issuer: t.prismaField({
        type: 'Organization',
        nullable: true,
        description: '开具党组织 — the issuing organization; null outside your subtree or for a member received from outside',
        select: { issuerId: true },
        resolve: (query, letter, _args, ctx) => (letter.issuerId ? loadOrganization(ctx, letter.issuerId, query) : null),
      }),
      destination: t.prismaField({
        type: 'Organization',
        nullable: true,
        description: '接收党组织 — the receiving organization; null outside your subtree or for an external destination',
        select: { destinationId: true },
        resolve: (query, letter, _args, ctx) => (letter.destinationId ? loadOrganization(ctx, letter.destinationId, query) : null),
      }),
      member: t.prismaField({
        type: 'Member',
        nullable: true,
        description: '党员 — the member, only while the membership lies in your subtree (for the receiver: once accepted)',
        select: { memberId: true },
        resolve: (query, letter, _args, ctx) => loadMember(ctx, letter.memberId, query),
      }),
    }),
  });

  builder.prismaObjectField('Member', 'transferLetters', (t) =>
    t.relatedConnection(
      'transferLetters',
      {
        cursor: 'id',
        description: '转接记录 — the member’s transfer letters, newest first (with `transfers`, the full transfer history)',
        query: () => ({ orderBy: [{ issuedOn: 'desc' }, { id: 'desc' }] }),
        totalCount: true,
      },
      { description: '介绍信分页 — a page of transfer letters with the total count' },
      { description: '介绍信分页项 — one transfer letter of a page' },
    ),
  );

  builder.prismaObjectField('Member', 'transferringOut', (t) =>
    t.boolean({
      description: '转出中 — an open transfer letter exists; the member still belongs to this organization until it is accepted',
      select: () => ({ transferLetters: { where: stateWhere('ISSUED', utcToday()), select: { id: true }, take: 1 } }),
      resolve: (member) => member.transferLetters.length > 0,
    }),
  );

  builder.queryField('transferLetters', (t) =>
    t.prismaConnection(
      {
        type: 'TransferLetter',
        cursor: 'id',
        description: '介绍信列表 — outgoing or incoming letters of your subtree, newest first, optionally in one state',
        authScopes: { authenticated: true },
        args: {
          direction: t.arg({ type: Direction, required: true, description: '方向 — OUTGOING (issued here) or INCOMING (addressed here)' }),
          state: t.arg({ type: State, required: false, description: '状态 — only letters in this state today' }),
        },
        resolve: (query, _root, args, ctx) =>
          ctx.db.transferLetter.findMany({
            ...query,
            where: {
              AND: [
                args.direction === 'OUTGOING' ? outgoingWhere(ctx) : incomingWhere(ctx),
                args.state ? stateWhere(args.state, utcToday()) : {},
              ],
            },
            orderBy: [{ issuedOn: 'desc' }, { id: 'desc' }],
          }),
        totalCount: (_root, args, ctx) =>
          ctx.db.transferLetter.count({
            where: {
              AND: [
                args.direction === 'OUTGOING' ? outgoingWhere(ctx) : incomingWhere(ctx),
                args.state ? stateWhere(args.state, utcToday()) : {},
              ],
            },
          }),
      },
      { description: '介绍信分页 — a page of transfer letters with the total count' },
      { description: '介绍信分页项 — one transfer letter of a page' },
    ),
  );

  builder.queryField('overdueTransferReceipts', (t) =>
    t.prismaConnection(
      {
        type: 'TransferLetter',
        cursor: 'id',
        description: '回执逾期 — external letters of your subtree whose receipt (回执) is past due, oldest due first',
        authScopes: { authenticated: true },
        resolve: (query, _root, _args, ctx) =>
          ctx.db.transferLetter.findMany({
            ...query,
            where: { AND: [outgoingWhere(ctx), overdueReceiptWhere(utcToday())] },
            orderBy: [{ receiptDueOn: 'asc' }, { id: 'asc' }],
          }),
        totalCount: (_root, _args, ctx) =>
          ctx.db.transferLetter.count({ where: { AND: [outgoingWhere(ctx), overdueReceiptWhere(utcToday())] } }),
      },
      { description: '回执逾期分页 — a page of letters awaiting an overdue receipt, with the total count' },
      { description: '回执逾期分页项 — one letter of a page' },
    ),
  );

  registerTransferLetterMutations(builder);
}
