import { describe, expect, it } from 'vitest';
import { defaultValidUntil, effectiveState, latestValidUntil, paidUpTo, receiptDueOn } from './rules.ts';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe('transfer letter rules', () => {
  it('is valid ten days by default and at most three months', () => {
    expect(defaultValidUntil(d('2026-12-05'))).toEqual(d('2026-12-15'));
    expect(latestValidUntil(d('2026-11-30'))).toEqual(d('2027-02-28'));
    expect(receiptDueOn(d('2026-01-31'))).toEqual(d('2026-02-28'));
  });

  it('expires a letter inside the deployment after its last valid day, not an external one', () => {
    const letter = { state: 'ISSUED' as const, validUntil: d('2026-12-10'), destinationId: 'org' };
    expect(effectiveState(letter, d('2026-12-10'))).toBe('ISSUED');
    expect(effectiveState(letter, d('2026-12-11'))).toBe('EXPIRED');
    expect(effectiveState({ ...letter, destinationId: null }, d('2026-12-11'))).toBe('ISSUED');
    expect(effectiveState({ ...letter, state: 'ACCEPTED' }, d('2027-01-11'))).toBe('ACCEPTED');
  });

  it('finds the paid-up month from the first unsettled run', () => {
    expect(paidUpTo(d('2020-03-01'), d('2026-10-01'), d('2026-12-01'))).toEqual(d('2026-09-01'));
    expect(paidUpTo(d('2020-03-01'), d('2020-03-01'), null)).toBeNull();
    expect(paidUpTo(d('2020-03-01'), null, d('2027-02-01'))).toEqual(d('2027-02-01'));
  });
});
