import { describe, expect, it } from 'vitest';
import { dueDate, dueWindow, latestDueMonth, monthStatement, monthStates, type MemberDuesData } from './statement.ts';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const at = (s: string) => new Date(s);

const member: MemberDuesData = {
  joinedAt: d('2020-03-15'),
  bases: [
    { category: 'EMPLOYED', baseFen: 400_000, fixedFen: null, effectiveFrom: d('2020-03-01') }, // 40.00 a month
    { category: 'EMPLOYED', baseFen: 600_000, fixedFen: null, effectiveFrom: d('2026-01-01') }, // 90.00 from 2026
  ],
  reductions: [{ fromMonth: d('2026-06-01'), toMonth: d('2026-07-01'), amountFen: 0 }],
  payments: [
    { month: d('2025-12-01'), amountFen: 4000, paidAt: at('2025-12-10T08:00:00Z') },
    { month: d('2026-01-01'), amountFen: 5000, paidAt: at('2026-01-31T23:00:00Z') },
    { month: d('2026-02-01'), amountFen: 10000, paidAt: at('2026-03-05T08:00:00Z') },
  ],
};

describe('月度对账 (month statement)', () => {
  it('due dates: the month end by default, a department’s due day otherwise', () => {
    expect(dueDate(d('2026-02-01'), null)).toEqual(d('2026-02-28'));
    expect(dueDate(d('2026-02-01'), 15)).toEqual(d('2026-02-15'));
    // On 4 December nothing of December is due yet (the reported bug); on 1 January it is.
    expect(latestDueMonth(d('2026-12-04'), null)).toEqual(d('2026-11-01'));
    expect(latestDueMonth(d('2026-12-31'), null)).toEqual(d('2026-11-01'));
    expect(latestDueMonth(d('2027-01-01'), null)).toEqual(d('2026-12-01'));
    expect(latestDueMonth(d('2026-12-15'), 15)).toEqual(d('2026-11-01'));
    expect(latestDueMonth(d('2026-12-16'), 15)).toEqual(d('2026-12-01'));
    expect(dueWindow(d('2026-12-04'), null, 3)).toEqual([d('2026-09-01'), d('2026-10-01'), d('2026-11-01')]);
  });

  it('a month paid at the standard by its due date is paid on time', () => {
    const s = monthStatement(member, d('2025-12-01'), null, d('2026-12-04'));
    expect(s).toMatchObject({
      standardFen: 4000,
      paidFen: 4000,
      owedFen: 0,
      voluntaryFen: 0,
      settled: true,
      settledOnTime: true,
      status: 'PAID',
    });
  });

  it('an underpaid month stays in arrears with the amount owed', () => {
    const s = monthStatement(member, d('2026-01-01'), null, d('2026-12-04'));
    expect(s).toMatchObject({ standardFen: 9000, paidFen: 5000, owedFen: 4000, settled: false, status: 'UNDERPAID', due: true });
  });

  it('more than the standard is 自愿多交; paid after the due date is settled but not on time', () => {
    const s = monthStatement(member, d('2026-02-01'), null, d('2026-12-04'));
    expect(s).toMatchObject({ standardFen: 9000, paidFen: 10000, voluntaryFen: 1000, settled: true, settledOnTime: false, status: 'PAID' });
  });

  it('exempt months owe nothing; unpaid months owe the standard once due', () => {
    expect(monthStatement(member, d('2026-06-01'), null, d('2026-12-04'))).toMatchObject({
      standardFen: 0,
      reduced: true,
      status: 'EXEMPT',
      settled: true,
    });
    expect(monthStatement(member, d('2026-03-01'), null, d('2026-12-04'))).toMatchObject({ owedFen: 9000, status: 'UNPAID' });
    expect(monthStatement(member, d('2026-12-01'), null, d('2026-12-04'))).toMatchObject({ owedFen: 9000, status: 'NOT_DUE', due: false });
  });

  it('a month with no base has no standard: paid if any payment, unknown amount owed otherwise', () => {
    const legacy: MemberDuesData = {
      joinedAt: d('2020-01-01'),
      bases: [],
      reductions: [],
      payments: [{ month: d('2026-01-01'), amountFen: 1, paidAt: at('2026-01-02T00:00:00Z') }],
    };
    expect(monthStatement(legacy, d('2026-01-01'), null, d('2026-12-04'))).toMatchObject({
      standardFen: null,
      settled: true,
      status: 'PAID',
    });
    expect(monthStatement(legacy, d('2026-02-01'), null, d('2026-12-04'))).toMatchObject({
      standardFen: null,
      owedFen: null,
      status: 'UNPAID',
    });
  });

  it('keeps a state row for each month with a payment or a reduction', () => {
    expect(monthStates(member).map((s) => [s.month.toISOString().slice(0, 7), s.settled])).toEqual([
      ['2025-12', true],
      ['2026-01', false],
      ['2026-02', true],
      ['2026-06', true],
      ['2026-07', true],
    ]);
  });
});
