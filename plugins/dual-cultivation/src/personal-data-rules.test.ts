import { describe, expect, it } from 'vitest';
import {
  addMonths,
  genderFromNationalId,
  isMainlandMobile,
  maskNationalId,
  maskPhone,
  moneyProblem,
  utcToday,
} from './personal-data-rules.ts';

describe('personal data and money', () => {
  it('masks like core: national ID 4 + 10 stars + 4, phone 3 + 4 stars + 4, too-short values wholly', () => {
    expect(maskNationalId('11010519491231002X')).toBe('1101**********002X');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('1234567')).toBe('*******');
  });

  it('reads the sex from the 17th digit and checks mobile numbers', () => {
    expect(genderFromNationalId('11010519491231002X')).toBe('FEMALE');
    expect(genderFromNationalId('110105194912310013')).toBe('MALE');
    expect(genderFromNationalId('1101')).toBeNull();
    expect(isMainlandMobile('13812345678')).toBe(true);
    expect(isMainlandMobile('12812345678')).toBe(false);
  });

  it('moves dates by calendar months with clamping and takes today as a UTC date', () => {
    expect(addMonths(new Date('2024-01-31T00:00:00Z'), 1)).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(addMonths(new Date('2024-03-31T00:00:00Z'), -13)).toEqual(new Date('2023-02-28T00:00:00Z'));
    expect(utcToday(new Date('2025-06-15T23:59:00Z'))).toEqual(new Date('2025-06-15T00:00:00Z'));
  });

  it('accepts money with at most two decimals; negative only when signed', () => {
    expect(moneyProblem('1200.50', false)).toBeNull();
    expect(moneyProblem('-300', true)).toBeNull();
    expect(moneyProblem('-300', false)).toBe('must not be negative');
    expect(moneyProblem('1.234', false)).toContain('two decimal');
    expect(moneyProblem('12345678901', false)).toBe('is too large');
    expect(moneyProblem('abc', false)).toContain('amount');
  });
});
