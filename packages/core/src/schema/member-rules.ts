// Pure rules of the member side: masking of personal data, validation helpers and the calendar
// arithmetic of monthly dues. No database, no GraphQL — so they are unit-tested on their own.

import type { Gender } from '@dangjian/db';

/** Masks the middle of a value, keeping `head` leading and `tail` trailing characters. */
export function maskMiddle(value: string, head: number, tail: number, stars: number): string {
  // Legacy values too short to keep both ends would leak whole: hide them entirely.
  if (value.length <= head + tail) return '*'.repeat(value.length);
  return value.slice(0, head) + '*'.repeat(stars) + value.slice(value.length - tail);
}

/** 身份证号脱敏: first 4 + 10 stars + last 4, e.g. `1101**********1234`. */
export function maskNationalId(id: string): string {
  return maskMiddle(id, 4, 4, 10);
}

/** 手机号脱敏: first 3 + 4 stars + last 4, e.g. `138****5678`. */
export function maskPhone(phone: string): string {
  return maskMiddle(phone, 3, 4, 4);
}

/** True for an 11-digit mainland mobile number (1, then 3–9, then nine digits). */
export function isMainlandMobile(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone);
}

/** The sex encoded in a national ID's 17th digit (odd male, even female); null when it is malformed. */
export function genderFromNationalId(id: string): Gender | null {
  const digit = id.charCodeAt(16) - 48;
  if (id.length !== 18 || digit < 0 || digit > 9) return null;
  return digit % 2 === 1 ? 'MALE' : 'FEMALE';
}

/** Date moved by calendar months (UTC); the day is clamped, so 31 January + 1 month is end of February. */
export function addMonths(date: Date, months: number): Date {
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)));
}

/** The day someone born on `birthDate` turns 18 (29 February birthdays count from 28 February). */
export function eighteenthBirthday(birthDate: Date): Date {
  return addMonths(birthDate, 18 * 12);
}

/** First day of the date's month (UTC), the key dues payments are stored under. */
export function monthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

/** `YYYY-MM` of a date (UTC). */
export function formatMonth(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** Parses `YYYY-MM` into the first day of that month (UTC); null when it is not such a month. */
export function parseMonth(value: string): Date | null {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value);
  if (!match) return null;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}

/** The first days of the `count` calendar months ending with today's month, oldest first. */
export function windowMonths(today: Date, count: number): Date[] {
  const current = monthStart(today);
  return Array.from({ length: count }, (_, i) => addMonths(current, i - count + 1));
}

/**
 * Months of the window a member owes dues for: the last `count` months (the current one included),
 * but none before the month the member joined.
 */
export function dueMonths(joinedAt: Date, today: Date, count: number): Date[] {
  const joined = monthStart(joinedAt).getTime();
  return windowMonths(today, count).filter((m) => m.getTime() >= joined);
}

/** `YYYY-MM` of each due month of the window without a payment, oldest first. */
export function unpaidMonths(joinedAt: Date, paidMonths: readonly Date[], today: Date, count: number): string[] {
  const paid = new Set(paidMonths.map((m) => monthStart(m).getTime()));
  return dueMonths(joinedAt, today, count)
    .filter((m) => !paid.has(m.getTime()))
    .map(formatMonth);
}

/** Error text when an amount is not a positive sum of money that fits Decimal(10,2); null when fine. */
export function duesAmountProblem(amount: string): string | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!match) return 'must be a positive amount, e.g. "25.00"';
  if ((match[2]?.length ?? 0) > 2) return 'must have at most two decimal places (fen)';
  if (match[1]!.replace(/^0+/, '').length > 8) return 'is too large';
  if (!/[1-9]/.test(amount)) return 'must be greater than zero';
  return null;
}

/** An amount that passed `duesAmountProblem`, written with exactly two decimals: "25" → "25.00". */
export function formatAmount(amount: string): string {
  const [whole, fraction = ''] = amount.split('.');
  return `${whole!.replace(/^0+(?=\d)/, '')}.${fraction.padEnd(2, '0')}`;
}
