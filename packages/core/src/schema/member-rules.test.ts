import { describe, expect, it } from 'vitest';
import {
  addMonths,
  dueMonths,
  duesAmountProblem,
  eighteenthBirthday,
  formatAmount,
  formatMonth,
  genderFromNationalId,
  isMainlandMobile,
  maskNationalId,
  maskPhone,
  parseMonth,
  unpaidMonths,
  windowMonths,
} from './member-rules.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

describe('masking', () => {
  it('keeps the first 4 and last 4 characters of a national ID', () => {
    expect(maskNationalId('110101199003071234')).toBe('1101**********1234');
    expect(maskNationalId('11010119900307123X')).toBe('1101**********123X');
  });

  it('keeps the first 3 and last 4 digits of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('hides a value too short to keep both ends entirely', () => {
    expect(maskNationalId('1234567')).toBe('*******');
    expect(maskPhone('1234567')).toBe('*******');
    expect(maskPhone('')).toBe('');
  });

  it('always masks to the same length for well-formed values', () => {
    expect(maskNationalId('110101199003071234')).toHaveLength(18);
    expect(maskPhone('13812345678')).toHaveLength(11);
  });
});

describe('validation helpers', () => {
  it('accepts 11-digit mainland mobile numbers only', () => {
    expect(isMainlandMobile('13812345678')).toBe(true);
    expect(isMainlandMobile('19912345678')).toBe(true);
    expect(isMainlandMobile('12812345678')).toBe(false);
    expect(isMainlandMobile('1381234567')).toBe(false);
    expect(isMainlandMobile('138123456789')).toBe(false);
    expect(isMainlandMobile('010-12345678')).toBe(false);
  });

  it('reads the sex digit of a national ID', () => {
    expect(genderFromNationalId('110101199003071234')).toBe('MALE');
    expect(genderFromNationalId('110101199003071224')).toBe('FEMALE');
    expect(genderFromNationalId('1101011990')).toBeNull();
  });

  it('computes the 18th birthday, clamping 29 February', () => {
    expect(eighteenthBirthday(d('1990-03-07'))).toEqual(d('2008-03-07'));
    expect(eighteenthBirthday(d('2004-02-29'))).toEqual(d('2022-02-28'));
  });

  it('checks dues amounts', () => {
    expect(duesAmountProblem('25.00')).toBeNull();
    expect(duesAmountProblem('0.5')).toBeNull();
    expect(duesAmountProblem('0')).toMatch(/greater than zero/);
    expect(duesAmountProblem('0.00')).toMatch(/greater than zero/);
    expect(duesAmountProblem('-3')).toMatch(/positive/);
    expect(duesAmountProblem('1.005')).toMatch(/two decimal/);
    expect(duesAmountProblem('123456789')).toMatch(/too large/);
    expect(duesAmountProblem('99999999.99')).toBeNull();
  });

  it('writes amounts with two decimals', () => {
    expect(formatAmount('25')).toBe('25.00');
    expect(formatAmount('0.5')).toBe('0.50');
    expect(formatAmount('007.25')).toBe('7.25');
  });
});

describe('months', () => {
  it('parses and formats YYYY-MM', () => {
    expect(parseMonth('2024-05')).toEqual(d('2024-05-01'));
    expect(parseMonth('2024-13')).toBeNull();
    expect(parseMonth('2024-5')).toBeNull();
    expect(parseMonth('2024-05-01')).toBeNull();
    expect(formatMonth(d('2024-05-31'))).toBe('2024-05');
  });

  it('adds months across years, clamping the day', () => {
    expect(addMonths(d('2024-01-31'), 1)).toEqual(d('2024-02-29'));
    expect(addMonths(d('2024-01-15'), -1)).toEqual(d('2023-12-15'));
    expect(addMonths(d('2024-03-01'), -14)).toEqual(d('2023-01-01'));
  });

  it('lists the window of months ending with the current one', () => {
    expect(windowMonths(d('2024-02-17'), 3).map(formatMonth)).toEqual(['2023-12', '2024-01', '2024-02']);
    expect(windowMonths(d('2024-02-17'), 1).map(formatMonth)).toEqual(['2024-02']);
  });

  it('owes nothing for months before joining', () => {
    expect(dueMonths(d('2024-01-20'), d('2024-02-17'), 6).map(formatMonth)).toEqual(['2024-01', '2024-02']);
  });

  it('lists unpaid months, oldest first', () => {
    const paid = [d('2023-12-01'), d('2024-02-01')];
    expect(unpaidMonths(d('2020-06-01'), paid, d('2024-02-17'), 3)).toEqual(['2024-01']);
    expect(unpaidMonths(d('2020-06-01'), paid, d('2024-02-17'), 4)).toEqual(['2023-11', '2024-01']);
    expect(unpaidMonths(d('2024-02-10'), [], d('2024-02-17'), 3)).toEqual(['2024-02']);
    expect(unpaidMonths(d('2020-06-01'), [d('2024-01-01'), d('2023-12-01'), d('2024-02-01')], d('2024-02-17'), 3)).toEqual([]);
  });
});
