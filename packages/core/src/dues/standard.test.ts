import { describe, expect, it } from 'vitest';
import { basisProblem, divideRoundHalfUp, formatFen, monthlyStandardFen, parseFen, rateBasisPoints } from './standard.ts';

const salary = (category: 'EMPLOYED' | 'RETIRED' | 'ANNUAL_SALARY', yuan: string) =>
  monthlyStandardFen({ category, baseFen: parseFen(yuan), fixedFen: null });

describe('党费标准 (monthly standard)', () => {
  it.each([
    ['2999.99', 1500], // 0.5 % → 14.99995 → 15.00
    ['3000', 1500], // exactly 3,000 is still 0.5 %
    ['3000.01', 3000], // 1 % → 30.0001 → 30.00
    ['5000', 5000], // exactly 5,000 is still 1 %
    ['5000.01', 7500], // 1.5 % → 75.00015 → 75.00
    ['10000', 15000], // exactly 10,000 is still 1.5 %
    ['10000.01', 20000], // 2 % → 200.0002 → 200.00
    ['12345.67', 24691], // 246.9134 → 246.91
    ['1234.50', 617], // 6.1725 → 6.17
    ['1234.90', 617], // 6.1745 → 6.17
    ['1235.00', 618], // 6.175 → 6.18 (half up)
  ])('employed with base %s pays %i fen', (base, fen) => {
    expect(salary('EMPLOYED', base)).toBe(fen);
  });

  it.each([
    ['4999.99', 2500],
    ['5000', 2500], // exactly 5,000 is 0.5 % for the retired
    ['5000.01', 5000],
    ['12000', 12000],
  ])('retired with base %s pays %i fen', (base, fen) => {
    expect(salary('RETIRED', base)).toBe(fen);
  });

  it('年薪制 takes the employed brackets on the month’s actual pay', () => {
    expect(salary('ANNUAL_SALARY', '3000')).toBe(1500);
    expect(salary('ANNUAL_SALARY', '20000')).toBe(40000);
    expect(rateBasisPoints('ANNUAL_SALARY', 1_000_001)).toBe(200);
  });

  it('fixed categories: farmers their chosen 0.2–1 元, students, the unemployed and 低保 0.2 元', () => {
    expect(monthlyStandardFen({ category: 'FARMER', baseFen: null, fixedFen: 50 })).toBe(50);
    for (const category of ['STUDENT', 'UNEMPLOYED', 'SUBSISTENCE'] as const) {
      expect(monthlyStandardFen({ category, baseFen: null, fixedFen: null })).toBe(20);
    }
  });

  it('checks the basis against its category', () => {
    expect(basisProblem({ category: 'EMPLOYED', baseFen: null, fixedFen: null })?.field).toBe('monthlyBase');
    expect(basisProblem({ category: 'EMPLOYED', baseFen: 0, fixedFen: null })?.field).toBe('monthlyBase');
    expect(basisProblem({ category: 'EMPLOYED', baseFen: 100, fixedFen: 50 })?.field).toBe('fixedAmount');
    expect(basisProblem({ category: 'FARMER', baseFen: null, fixedFen: 19 })?.field).toBe('fixedAmount');
    expect(basisProblem({ category: 'FARMER', baseFen: null, fixedFen: 101 })?.field).toBe('fixedAmount');
    expect(basisProblem({ category: 'FARMER', baseFen: null, fixedFen: 100 })).toBeNull();
    expect(basisProblem({ category: 'FARMER', baseFen: 100, fixedFen: 50 })?.field).toBe('monthlyBase');
    expect(basisProblem({ category: 'STUDENT', baseFen: null, fixedFen: 20 })?.field).toBe('fixedAmount');
    expect(basisProblem({ category: 'STUDENT', baseFen: null, fixedFen: null })).toBeNull();
  });

  it('reads and writes money as fen, never as a float', () => {
    expect(parseFen('0.1')).toBe(10);
    expect(parseFen('12.34')).toBe(1234);
    expect(parseFen('12.345')).toBeNull();
    expect(parseFen('-1')).toBeNull();
    expect(parseFen('1e3')).toBeNull();
    expect(parseFen('99999999999')).toBeNull();
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(123456)).toBe('1234.56');
    expect(divideRoundHalfUp(5, 10)).toBe(1);
    expect(divideRoundHalfUp(4, 10)).toBe(0);
  });
});
