// 党费标准 — the monthly standard of 《关于中国共产党党费收缴、使用和管理的规定》 as a pure function of a
// member's category and base. Money is integer fen (分); no floating point touches an amount.

import type { DuesCategory } from '@dangjian/db';

/** A member's category and base as it applies to one month. */
export interface DuesBasis {
  readonly category: DuesCategory;
  /** Monthly after-tax salary in fen (EMPLOYED, RETIRED, ANNUAL_SALARY). */
  readonly baseFen: number | null;
  /** The fixed monthly amount in fen a farmer has chosen (20–100). */
  readonly fixedFen: number | null;
}

/** 0.2 元: students, the unemployed and members on 低保. */
export const MINIMUM_FEN = 20;
/** Farmers pay 0.2–1 元 a month. */
export const FARMER_MIN_FEN = 20;
export const FARMER_MAX_FEN = 100;

/** Categories whose standard is a share of a salary base. */
export const SALARY_CATEGORIES: readonly DuesCategory[] = ['EMPLOYED', 'RETIRED', 'ANNUAL_SALARY'];

/**
 * The rate in basis points (1/100 %) for a base in fen. Brackets include their upper bound: exactly
 * 3,000 元 is 0.5 %, exactly 5,000 is 1 %, exactly 10,000 is 1.5 %. 年薪制 uses the employed brackets on
 * the month's actual pay.
 */
export function rateBasisPoints(category: DuesCategory, baseFen: number): number {
  if (category === 'RETIRED') return baseFen <= 500_000 ? 50 : 100;
  if (baseFen <= 300_000) return 50;
  if (baseFen <= 500_000) return 100;
  if (baseFen <= 1_000_000) return 150;
  return 200;
}

/** `numerator / denominator` rounded half up, for non-negative integers (四舍五入). */
export function divideRoundHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/**
 * The monthly standard in fen: base × rate rounded half up to the fen (e.g. 3,000.01 元 × 1 % = 30.0001 →
 * 30.00 元; 1,234.50 元 × 0.5 % = 6.1725 → 6.17 元). Fixed categories pay their fixed amount.
 */
export function monthlyStandardFen(basis: DuesBasis): number {
  switch (basis.category) {
    case 'EMPLOYED':
    case 'RETIRED':
    case 'ANNUAL_SALARY': {
      const base = basis.baseFen ?? 0;
      return divideRoundHalfUp(base * rateBasisPoints(basis.category, base), 10_000);
    }
    case 'FARMER':
      return basis.fixedFen ?? FARMER_MIN_FEN;
    case 'STUDENT':
    case 'UNEMPLOYED':
    case 'SUBSISTENCE':
      return MINIMUM_FEN;
  }
}

/** Error text when a basis does not fit its category; `field` names are the input's. Null when fine. */
export function basisProblem(basis: DuesBasis): { field: 'monthlyBase' | 'fixedAmount'; message: string } | null {
  const salary = SALARY_CATEGORIES.includes(basis.category);
  if (salary) {
    if (basis.baseFen === null) return { field: 'monthlyBase', message: `is required for ${basis.category}` };
    if (basis.baseFen <= 0) return { field: 'monthlyBase', message: 'must be greater than zero' };
    if (basis.fixedFen !== null) return { field: 'fixedAmount', message: `is only for FARMER, not ${basis.category}` };
    return null;
  }
  if (basis.baseFen !== null)
    return { field: 'monthlyBase', message: `is only for EMPLOYED, RETIRED and ANNUAL_SALARY, not ${basis.category}` };
  if (basis.category === 'FARMER') {
    if (basis.fixedFen === null) return { field: 'fixedAmount', message: 'is required for FARMER (0.20–1.00)' };
    if (basis.fixedFen < FARMER_MIN_FEN || basis.fixedFen > FARMER_MAX_FEN)
      return { field: 'fixedAmount', message: 'must be between 0.20 and 1.00' };
    return null;
  }
  if (basis.fixedFen !== null) return { field: 'fixedAmount', message: `is only for FARMER, not ${basis.category}` };
  return null;
}

/** Parses a money amount in yuan (`"25"`, `"25.5"`, `"25.50"`) into fen; null when it is not one (negative, >2 decimals, too large). */
export function parseFen(amount: string): number | null {
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Fen written as yuan with two decimals: 1234 → "12.34", 5 → "0.05". */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
