// Demo 组织关系转接: a few transfer letters in flight (two to another branch, one to an external destination).

import { addDays, addMonths } from './dates.ts';
import type { BuildContext } from './life.ts';
import type { MemberRow, OrganizationRow } from './types.ts';

/** First day of the month of a date (UTC). */
function monthOf(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

/** 党费交至 as the seed's payments say: the last month of the unbroken paid run from joining, or null. */
function paidUpTo(ctx: BuildContext, member: MemberRow): Date | null {
  const paid = new Set(ctx.data.duesPayments.filter((p) => p.memberId === member.id).map((p) => p.month.getTime()));
  let last: Date | null = null;
  for (let m = monthOf(member.joinedAt); paid.has(m.getTime()); m = addMonths(m, 1)) last = m;
  return last;
}

/**
 * Adds three open letters. They come from branches outside 民政局 (whose members the transfer tests move)
 * and name each branch's most recently joined member, so the members other tests pick stay free.
 */
export function addTransferLetters(ctx: BuildContext, branches: readonly OrganizationRow[]): void {
  const { rng, today, data } = ctx;
  const sorted = [...branches].filter((b) => !b.code.startsWith('SZJGGW-MZJ')).sort((a, b) => a.code.localeCompare(b.code));
  const byOrg = new Map<string, MemberRow[]>();
  for (const m of data.members) byOrg.set(m.organizationId, [...(byOrg.get(m.organizationId) ?? []), m]);
  const senders = sorted.filter((b) => (byOrg.get(b.id)?.length ?? 0) >= 2).slice(0, 3);
  senders.forEach((issuer, i) => {
    const roster = [...byOrg.get(issuer.id)!].sort((a, b) => b.joinedAt.getTime() - a.joinedAt.getTime() || a.id.localeCompare(b.id));
    const member = roster[0]!;
    const issuedOn = addDays(today, -[2, 5, 12][i]!);
    const destination = i < 2 ? sorted.find((b) => b.id !== issuer.id && !senders.includes(b))! : null;
    data.transferLetters.push({
      id: rng.uuid(),
      number: `组转〔${issuedOn.getUTCFullYear()}〕${i + 1}号`,
      memberId: member.id,
      memberName: member.name,
      issuerId: issuer.id,
      issuerName: issuer.name,
      destinationId: destination?.id ?? null,
      destinationName: destination?.name ?? '广州市天河区天园街道党工委',
      destinationAddress: destination ? null : '广州市天河区天园街道办事处',
      paidUpTo: paidUpTo(ctx, member),
      issuedOn,
      validUntil: addDays(issuedOn, 10),
      receiptDueOn: addMonths(issuedOn, 1),
      state: 'ISSUED',
      reason: i < 2 ? '工作调动' : '随迁外省',
    });
  });
}
