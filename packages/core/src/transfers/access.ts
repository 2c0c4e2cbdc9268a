// 组织关系转接 — which letters a viewer sees, the state filters, and loading a letter for a mutation.

import type { Prisma, TransferLetterState } from '@dangjian/db';
import type { Tx } from '../activity/record.ts';
import { organizationScope, requireViewer } from '../auth/subtree.ts';
import { hasRole } from '../auth/viewer.ts';
import type { Context } from '../context.ts';
import { IllegalStateError, NotFoundError } from '../errors/errors.ts';
import { monthStart } from '../schema/member-rules.ts';
import { decodeId } from '../schema/global-id.ts';
import { effectiveState, paidUpTo } from './rules.ts';

/** Letters the viewer issued (sending side, any role of the subtree). */
export function outgoingWhere(ctx: Context): Prisma.TransferLetterWhereInput {
  return { issuer: organizationScope(ctx) };
}

/**
 * Letters addressed to the viewer's subtree — only for its ADMIN or SECRETARY. A viewer without them
 * matches nothing: the letter is the receiving side's only view of the sender.
 */
export function incomingWhere(ctx: Context): Prisma.TransferLetterWhereInput {
  if (!hasRole(requireViewer(ctx), 'ADMIN', 'SECRETARY')) return { id: { in: [] } };
  return { destination: organizationScope(ctx) };
}

/** Every letter the viewer may read: sent from or addressed to its subtree. */
export function visibleWhere(ctx: Context): Prisma.TransferLetterWhereInput {
  return { OR: [outgoingWhere(ctx), incomingWhere(ctx)] };
}

/**
 * Letters that read as `state` today. A letter inside the deployment past its last valid day reads as
 * EXPIRED whether or not the expiry has been stored yet (it is stored when someone acts on the letter).
 */
export function stateWhere(state: TransferLetterState, today: Date): Prisma.TransferLetterWhereInput {
  const pastValidity = { state: 'ISSUED' as const, destinationId: { not: null }, validUntil: { lt: today } };
  if (state === 'ISSUED') return { state: 'ISSUED', OR: [{ destinationId: null }, { validUntil: { gte: today } }] };
  if (state === 'EXPIRED') return { OR: [{ state: 'EXPIRED' }, pastValidity] };
  return { state };
}

/** External letters whose receipt is overdue: still ISSUED after the receipt's due day. */
export function overdueReceiptWhere(today: Date): Prisma.TransferLetterWhereInput {
  return { state: 'ISSUED', destinationId: null, issuerId: { not: null }, receiptDueOn: { lt: today } };
}

/**
 * Loads a letter for a mutation from one side (`where` is outgoingWhere or incomingWhere), storing its
 * expiry first when it has lapsed, and requires it to be ISSUED: anything else is refused with the state.
 */
export async function openLetterFor(
  tx: Tx,
  where: Prisma.TransferLetterWhereInput,
  globalId: string,
  field: string,
  today: Date,
  action: string,
) {
  const id = decodeId('TransferLetter', globalId, field);
  const letter = await tx.transferLetter.findFirst({ where: { id, ...where } });
  if (!letter) throw new NotFoundError('TransferLetter', globalId);
  const state = effectiveState(letter, today);
  if (state !== 'ISSUED') {
    throw new IllegalStateError(`transfer letter ${letter.number} is ${state}; only an ISSUED letter can be ${action}`, state);
  }
  return letter;
}

/**
 * Stores EXPIRED on the lapsed letters of the given ids, in a statement of its own (not in the refused
 * mutation's transaction, which rolls back), so a letter acted on after its validity is stored as expired.
 */
export async function storeExpiry(db: Tx, ids: string[], today: Date): Promise<void> {
  await db.transferLetter.updateMany({
    where: { id: { in: ids }, state: 'ISSUED', destinationId: { not: null }, validUntil: { lt: today } },
    data: { state: 'EXPIRED' },
  });
}

/** 党费交至 of a member, from the dues month states and unsettled runs. */
export async function paidUpMonth(tx: Tx, member: { id: string; joinedAt: Date }): Promise<Date | null> {
  const run = await tx.duesUnsettledRun.findFirst({
    where: { memberId: member.id },
    orderBy: { fromMonth: 'asc' },
    select: { fromMonth: true },
  });
  const last = await tx.duesMonthState.findFirst({
    where: { memberId: member.id, settled: true },
    orderBy: { month: 'desc' },
    select: { month: true },
  });
  return paidUpTo(monthStart(member.joinedAt), run?.fromMonth ?? null, last?.month ?? null);
}
