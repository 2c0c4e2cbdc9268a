import { describe, expect, it } from 'vitest';
import { applicableIds, measuredUntil, oneDecimal, percent, valuesOf, yearsOf } from './indicator-values.ts';

const d = (text: string) => new Date(`${text}T00:00:00Z`);
const orgs = [
  { id: 'b', path: '/r/b/', kind: 'BRANCH' as const },
  { id: 'c', path: '/r/c/', kind: 'COMMITTEE' as const },
];

describe('indicator arithmetic', () => {
  it('measures a running period up to today and an ended one to its end', () => {
    expect(measuredUntil({ from: d('2026-01-01'), to: d('2026-12-31') }, d('2026-06-30'))).toEqual(d('2026-06-30'));
    expect(measuredUntil({ from: d('2025-01-01'), to: d('2025-12-31') }, d('2026-06-30'))).toEqual(d('2025-12-31'));
  });

  it('gives a percentage to one decimal and null when nothing is owed', () => {
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(3, 3)).toBe(100);
    expect(percent(0, 4)).toBe(0);
    expect(percent(0, 0)).toBeNull();
    expect(oneDecimal(7.25)).toBe(7.3);
    expect(oneDecimal(8 / 3)).toBe(2.7);
  });

  it('answers null for kinds an indicator does not apply to', () => {
    expect(applicableIds(orgs, ['BRANCH'])).toEqual(['b']);
    const values = valuesOf(orgs, ['BRANCH'], () => 50);
    expect([...values]).toEqual([
      ['b', 50],
      ['c', null],
    ]);
  });

  it('names the years a period touches', () => {
    expect(yearsOf({ from: d('2025-07-01'), to: d('2026-06-30') })).toEqual({ first: 2025, last: 2026 });
  });
});
