// Pure rules for personal data and calendar dates of talents.

// Masking, ID and month rules are core's, so talents and members are treated alike.
export { addMonths, genderFromNationalId, isMainlandMobile, maskMiddle, maskNationalId, maskPhone } from '@dangjian/core';

/** Date moved by whole days (UTC). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

export { isoDate, utcToday } from '@dangjian/core';

/**
 * Error text when an amount of money is not acceptable, null when fine: digits with at most two decimals,
 * at most ten digits before the point (Decimal(12,2)); negative only when `signed` (an income change).
 */
export function moneyProblem(amount: string, signed: boolean): string | null {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!match) return 'must be an amount of yuan, e.g. "1200.50"';
  if (match[1] && !signed) return 'must not be negative';
  if ((match[3]?.length ?? 0) > 2) return 'must have at most two decimal places (fen)';
  if (match[2]!.replace(/^0+/, '').length > 10) return 'is too large';
  return null;
}
