// 组织关系转接 — the dates and states of a transfer letter (介绍信), as pure rules.

import { addMonths } from '../schema/member-rules.ts';

/** A letter is valid for ten days unless the issuer says otherwise. */
export const DEFAULT_VALIDITY_DAYS = 10;
/** Never more than three months. */
export const MAX_VALIDITY_MONTHS = 3;
/** The receipt (回执) is due within one month of issue. */
export const RECEIPT_MONTHS = 1;

export type LetterState = 'ISSUED' | 'ACCEPTED' | 'RETURNED' | 'EXPIRED' | 'WITHDRAWN' | 'COMPLETED';

const DAY = 86_400_000;

/** The default last valid day: ten days after issue. */
export function defaultValidUntil(issuedOn: Date): Date {
  return new Date(issuedOn.getTime() + DEFAULT_VALIDITY_DAYS * DAY);
}

/** The latest last valid day a letter issued on `issuedOn` may carry. */
export function latestValidUntil(issuedOn: Date): Date {
  return addMonths(issuedOn, MAX_VALIDITY_MONTHS);
}

/** When the receipt of a letter issued on `issuedOn` is due. */
export function receiptDueOn(issuedOn: Date): Date {
  return addMonths(issuedOn, RECEIPT_MONTHS);
}

/**
 * The state a letter reads as today. A letter to an organization of this deployment expires once its last
 * valid day has passed; a letter to an external destination has no acceptance here, so it stays ISSUED
 * until the sender records the receipt (an overdue receipt is listed, never decided automatically).
 */
export function effectiveState(letter: { state: LetterState; validUntil: Date; destinationId: string | null }, today: Date): LetterState {
  if (letter.state === 'ISSUED' && letter.destinationId !== null && letter.validUntil.getTime() < today.getTime()) return 'EXPIRED';
  return letter.state;
}

/**
 * 党费交至: the last month of an unbroken paid run from joining. `firstUnsettled` is the first month of the
 * member's earliest run of unsettled months (null when none); `lastSettled` the latest settled month.
 * Null when not even the joining month is settled.
 */
export function paidUpTo(joinedMonth: Date, firstUnsettled: Date | null, lastSettled: Date | null): Date | null {
  if (firstUnsettled) {
    const before = addMonths(firstUnsettled, -1);
    return before.getTime() < joinedMonth.getTime() ? null : before;
  }
  return lastSettled;
}
