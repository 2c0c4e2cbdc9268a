// 月度对账 — each month of a member compared with its standard. Pure: the data arrives as rows, so the
// rules are unit-tested and every query (one member, a subtree, an indicator) shares them.

import type { DuesCategory } from '@dangjian/db';
import { addMonths, formatMonth, monthStart } from '../schema/member-rules.ts';
import { type DuesBasis, monthlyStandardFen } from './standard.ts';

export interface BaseRow extends DuesBasis {
  readonly effectiveFrom: Date;
}
export interface ReductionRow {
  readonly fromMonth: Date;
  readonly toMonth: Date;
  readonly amountFen: number;
}
export interface PaymentRow {
  readonly month: Date;
  readonly amountFen: number;
  readonly paidAt: Date;
}

/** What the month's comparison says. */
export type DuesMonthStatus = 'PAID' | 'UNDERPAID' | 'UNPAID' | 'EXEMPT' | 'NOT_DUE';

export interface MonthStatement {
  readonly month: Date;
  readonly category: DuesCategory | null;
  /** The month's standard after a reduction; null when no base applies. */
  readonly standardFen: number | null;
  readonly reduced: boolean;
  readonly paidFen: number;
  /** Still owed (standard − paid, at least 0); null when unpaid without a standard (the amount is unknown). */
  readonly owedFen: number | null;
  /** 自愿多交 — paid above the standard. */
  readonly voluntaryFen: number;
  /** Paid in full (a month with no standard: any payment). */
  readonly settled: boolean;
  /** Paid in full by the due date. */
  readonly settledOnTime: boolean;
  readonly dueDate: Date;
  /** True once the due date has passed: only then can the month be in arrears. */
  readonly due: boolean;
  readonly status: DuesMonthStatus;
}

/** The date a month's dues fall due: `dueDay` of the month, or its last day when null (or past the end). */
export function dueDate(month: Date, dueDay: number | null): Date {
  const last = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), Math.min(dueDay ?? last, last)));
}

/** The newest month that is due on `today` (its due date is before today): this month or the one before. */
export function latestDueMonth(today: Date, dueDay: number | null): Date {
  const current = monthStart(today);
  return today.getTime() > dueDate(current, dueDay).getTime() ? current : addMonths(current, -1);
}

/** The `count` months ending with the latest due month, oldest first — the window arrears look at. */
export function dueWindow(today: Date, dueDay: number | null, count: number): Date[] {
  const last = latestDueMonth(today, dueDay);
  return Array.from({ length: count }, (_, i) => addMonths(last, i - count + 1));
}

/** The basis in force for a month: the newest base whose effectiveFrom is not after it. */
export function basisFor(bases: readonly BaseRow[], month: Date): BaseRow | null {
  let found: BaseRow | null = null;
  for (const base of bases) {
    if (base.effectiveFrom.getTime() <= month.getTime() && (!found || base.effectiveFrom.getTime() > found.effectiveFrom.getTime())) {
      found = base;
    }
  }
  return found;
}

/** The reduction covering a month, if any (reductions of one member do not overlap). */
export function reductionFor(reductions: readonly ReductionRow[], month: Date): ReductionRow | null {
  const t = month.getTime();
  return reductions.find((r) => r.fromMonth.getTime() <= t && t <= r.toMonth.getTime()) ?? null;
}

export interface MemberDuesData {
  readonly joinedAt: Date;
  readonly bases: readonly BaseRow[];
  readonly reductions: readonly ReductionRow[];
  readonly payments: readonly PaymentRow[];
}

/** The standard of one month after any reduction: the smaller of the two. */
export function monthStandard(data: Pick<MemberDuesData, 'bases' | 'reductions'>, month: Date) {
  const basis = basisFor(data.bases, month);
  const reduction = reductionFor(data.reductions, month);
  const full = basis ? monthlyStandardFen(basis) : null;
  if (!reduction) return { category: basis?.category ?? null, standardFen: full, reduced: false };
  return {
    category: basis?.category ?? null,
    standardFen: full === null ? reduction.amountFen : Math.min(full, reduction.amountFen),
    reduced: true,
  };
}

/** One month of a member compared with its standard, as of `today`. */
export function monthStatement(data: MemberDuesData, month: Date, dueDay: number | null, today: Date): MonthStatement {
  const { category, standardFen, reduced } = monthStandard(data, month);
  const dueOn = dueDate(month, dueDay);
  const payments = data.payments.filter((p) => p.month.getTime() === month.getTime());
  const paidFen = payments.reduce((sum, p) => sum + p.amountFen, 0);
  // The due day counts in full: a payment any time that day is on time.
  const dueEnd = dueOn.getTime() + 86_400_000;
  const paidByDue = payments.filter((p) => p.paidAt.getTime() < dueEnd).reduce((sum, p) => sum + p.amountFen, 0);
  const settles = (paid: number) => (standardFen === null ? paid > 0 : paid >= standardFen);
  const settled = settles(paidFen);
  const due = today.getTime() > dueOn.getTime();
  const owedFen = settled ? 0 : standardFen === null ? null : standardFen - paidFen;
  const voluntaryFen = standardFen === null ? 0 : Math.max(0, paidFen - standardFen);
  const status: DuesMonthStatus =
    standardFen === 0 && paidFen === 0 ? 'EXEMPT' : settled ? 'PAID' : !due ? 'NOT_DUE' : paidFen > 0 ? 'UNDERPAID' : 'UNPAID';
  return {
    month,
    category,
    standardFen,
    reduced,
    paidFen,
    owedFen,
    voluntaryFen,
    settled,
    settledOnTime: settles(paidByDue),
    dueDate: dueOn,
    due,
    status,
  };
}

/** Every month from `from` to `to` (first days, both included), skipping months before the member joined. */
export function memberMonths(joinedAt: Date, from: Date, to: Date): Date[] {
  const joined = monthStart(joinedAt).getTime();
  const months: Date[] = [];
  for (let m = monthStart(from); m.getTime() <= to.getTime(); m = addMonths(m, 1)) if (m.getTime() >= joined) months.push(m);
  return months;
}

/**
 * The month states to keep for a member: every month with a payment or a reduction. A month without a
 * row and a non-zero standard is unsettled, so only these rows are needed for the arrears anti-join.
 */
export function monthStates(data: MemberDuesData): { month: Date; standardFen: number | null; paidFen: number; settled: boolean }[] {
  const keys = new Map<number, Date>();
  for (const p of data.payments) keys.set(p.month.getTime(), p.month);
  for (const r of data.reductions) {
    for (let m = r.fromMonth; m.getTime() <= r.toMonth.getTime(); m = addMonths(m, 1)) keys.set(m.getTime(), m);
  }
  return [...keys.values()]
    .sort((a, b) => a.getTime() - b.getTime())
    .map((month) => {
      const s = monthStatement(data, month, null, month);
      return { month, standardFen: s.standardFen, paidFen: s.paidFen, settled: s.settled };
    });
}

export { formatMonth };
