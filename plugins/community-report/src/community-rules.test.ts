import { describe, expect, it } from 'vitest';
import {
  activeRegistrationKey,
  certificateNumber,
  checkCapacity,
  checkYear,
  dailyLimitError,
  formatTenths,
  idsOnPath,
  nextClaimStatus,
  nextServiceStatus,
  parseServiceHours,
  registrationSubject,
  teamNestingError,
  toTenths,
  yearRange,
} from './community-rules.ts';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { field?: string } }).extensions?.field ?? 'no field';
  }
  return null;
};

describe('service hours', () => {
  it('parses hours into tenths: more than 0, at most 12, one decimal place', () => {
    expect(parseServiceHours('2.5', 'h')).toBe(25);
    expect(parseServiceHours('12', 'h')).toBe(120);
    expect(parseServiceHours('12.0', 'h')).toBe(120);
    expect(parseServiceHours('0.1', 'h')).toBe(1);
    expect(parseServiceHours(' 3.50 ', 'h')).toBe(35);
    for (const bad of ['0', '0.0', '12.1', '13', '-1', '1.25', 'abc', '', '1e1', '99999']) {
      expect(fieldOf(() => parseServiceHours(bad, 'input.hours'))).toBe('input.hours');
    }
  });

  it('reads and prints decimals as tenths with one decimal place', () => {
    expect(toTenths('2.5')).toBe(25);
    expect(toTenths('12')).toBe(120);
    expect(toTenths(null)).toBe(0);
    expect(toTenths({ toString: () => '7.3' })).toBe(73);
    expect(formatTenths(0)).toBe('0.0');
    expect(formatTenths(25)).toBe('2.5');
    expect(formatTenths(1205)).toBe('120.5');
    expect(() => toTenths('x')).toThrow();
  });

  it('allows a day up to exactly 12 hours and names what is left beyond it', () => {
    expect(dailyLimitError(0, 120)).toBeNull();
    expect(dailyLimitError(80, 40)).toBeNull();
    expect(dailyLimitError(80, 41)).toContain('4.0 left');
    expect(dailyLimitError(120, 1)).toContain('0.0 left');
  });
});

describe('state machines', () => {
  it('moves a claim CLAIMED → COMPLETED → CONFIRMED and nothing else', () => {
    expect(nextClaimStatus('CLAIMED', 'complete')).toBe('COMPLETED');
    expect(nextClaimStatus('COMPLETED', 'confirm')).toBe('CONFIRMED');
    expect(nextClaimStatus('CLAIMED', 'confirm')).toBeNull();
    expect(nextClaimStatus('COMPLETED', 'complete')).toBeNull();
    expect(nextClaimStatus('CONFIRMED', 'confirm')).toBeNull();
    expect(nextClaimStatus('CONFIRMED', 'complete')).toBeNull();
  });

  it('reviews a service record once: SUBMITTED → VERIFIED | REJECTED', () => {
    expect(nextServiceStatus('SUBMITTED', 'verify')).toBe('VERIFIED');
    expect(nextServiceStatus('SUBMITTED', 'reject')).toBe('REJECTED');
    expect(nextServiceStatus('VERIFIED', 'reject')).toBeNull();
    expect(nextServiceStatus('REJECTED', 'verify')).toBeNull();
    expect(nextServiceStatus('VERIFIED', 'verify')).toBeNull();
  });
});

describe('volunteer team levels', () => {
  it('nests 总队 → 支队 → 分队 and nothing else', () => {
    expect(teamNestingError('CORPS', null)).toBeNull();
    expect(teamNestingError('DETACHMENT', 'CORPS')).toBeNull();
    expect(teamNestingError('SQUAD', 'DETACHMENT')).toBeNull();
    expect(teamNestingError('CORPS', 'CORPS')).toContain('no parent');
    expect(teamNestingError('DETACHMENT', null)).toContain('needs a parent team of level CORPS');
    expect(teamNestingError('SQUAD', 'CORPS')).toContain('under a DETACHMENT');
    expect(teamNestingError('DETACHMENT', 'SQUAD')).toContain('under a CORPS');
  });
});

describe('registrations', () => {
  it('takes exactly one of organization and member', () => {
    expect(registrationSubject('o', null)).toBe('ORGANIZATION');
    expect(registrationSubject(undefined, 'm')).toBe('MEMBER');
    expect(fieldOf(() => registrationSubject('o', 'm'))).toBe('input.organizationId');
    expect(fieldOf(() => registrationSubject(null, undefined))).toBe('input.organizationId');
  });

  it('keys an active registration by member, or by organization and community', () => {
    expect(activeRegistrationKey({ memberId: 'm1' })).toBe('member:m1');
    expect(activeRegistrationKey({ organizationId: 'o1', communityId: 'c1' })).toBe('org:o1:c1');
  });

  it('numbers certificates by year and id', () => {
    expect(certificateNumber('0190a2b3-c4d5-7e6f-8a9b-0c1d2e3f4a5b', new Date('2024-03-05'))).toBe('SQBD-2024-1D2E3F4A5B');
  });
});

describe('dates and small checks', () => {
  it('gives a year as a half-open UTC range and checks year arguments', () => {
    expect(yearRange(2024)).toEqual({ from: new Date('2024-01-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') });
    expect(checkYear(undefined, 'year', new Date('2023-06-01T00:00:00Z'))).toBe(2023);
    expect(checkYear(2020, 'year')).toBe(2020);
    expect(fieldOf(() => checkYear(1999, 'year'))).toBe('year');
    expect(fieldOf(() => checkYear(2101, 'year'))).toBe('year');
  });

  it('refuses bad capacities', () => {
    expect(checkCapacity(3, 'c')).toBe(3);
    for (const bad of [0, -1, 1001, 1.5]) expect(fieldOf(() => checkCapacity(bad, 'input.capacity'))).toBe('input.capacity');
  });

  it('lists the ids on a path top down', () => {
    expect(idsOnPath('/a/b/c/')).toEqual(['a', 'b', 'c']);
  });
});
