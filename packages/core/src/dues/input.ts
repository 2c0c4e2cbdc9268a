// Parsing of the dues inputs into checked values, each error naming the field as the client wrote it.

import { InputError } from '../errors/errors.ts';
import { addMonths, monthStart, parseMonth } from '../schema/member-rules.ts';
import { parseFen } from './standard.ts';

/** A `YYYY-MM` argument as the first day of its month. */
export function monthArg(value: string, field: string): Date {
  const month = parseMonth(value);
  if (!month) throw new InputError(field, 'must be a month written YYYY-MM, e.g. 2024-05');
  return month;
}

/** Largest amount an input may carry: 10 million 元 (fits every column, far beyond any monthly salary). */
export const MAX_FEN = 1_000_000_000;

/** A money argument in yuan as fen; `allowZero` for a reduction to nothing (免交). */
export function moneyArg(value: string, field: string, allowZero = false): number {
  const fen = parseFen(value);
  if (fen === null) {
    if (/^\d+\.\d{3,}$/.test(value)) throw new InputError(field, 'must have at most two decimal places (fen)');
    throw new InputError(field, 'must be an amount in yuan, e.g. "25.00"');
  }
  if (fen > MAX_FEN) throw new InputError(field, 'is too large');
  if (fen === 0 && !allowZero) throw new InputError(field, 'must be greater than zero');
  return fen;
}

/** How far ahead dues may be paid or a base set (预交): twelve months past the current one. */
export const AHEAD_MONTHS = 12;

/** Checks a month lies between the member's joining month and `AHEAD_MONTHS` after today's. */
export function checkMemberMonth(month: Date, joinedAt: Date, today: Date, field: string): void {
  if (month.getTime() < monthStart(joinedAt).getTime()) {
    throw new InputError(field, `is before the member joined (${joinedAt.toISOString().slice(0, 7)})`);
  }
  if (month.getTime() > addMonths(monthStart(today), AHEAD_MONTHS).getTime()) {
    throw new InputError(field, `must be at most ${AHEAD_MONTHS} months ahead`);
  }
}
