import { describe, expect, it } from 'vitest';
import { membershipScopePath, parseHours, yearsBefore, yearsInPost } from './cadre-rules.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { field?: string } }).extensions?.field;
  }
  return undefined;
}

describe('parseHours', () => {
  it('accepts positive hours up to 1000 with one decimal place', () => {
    expect(parseHours('24', 'h')).toBe('24.0');
    expect(parseHours('12.5', 'h')).toBe('12.5');
    expect(parseHours('0.5', 'h')).toBe('0.5');
    expect(parseHours('1000', 'h')).toBe('1000.0');
    expect(parseHours('8.50', 'h')).toBe('8.5');
  });

  it('refuses zero, too many hours, extra decimals and negatives, naming the field', () => {
    for (const bad of ['0', '0.0', '1000.1', '12.25', '-3', 'abc'])
      expect(fieldOf(() => parseHours(bad, 'input.hours'))).toBe('input.hours');
  });
});

describe('yearsInPost', () => {
  it('measures to the end date, or to today while serving', () => {
    expect(yearsInPost(d('2020-01-01'), d('2022-01-01'))).toBe(2);
    expect(yearsInPost(d('2024-01-01'), null, d('2024-07-01'))).toBe(0.5);
    expect(yearsInPost(d('2024-01-01'), d('2024-01-01'))).toBe(0);
  });
});

describe('yearsBefore', () => {
  it('moves by calendar years, clamping 29 February', () => {
    expect(yearsBefore(d('2025-06-15'), 3)).toEqual(d('2022-06-15'));
    expect(yearsBefore(d('2024-02-29'), 1)).toEqual(d('2023-02-28'));
  });
});

describe('membershipScopePath', () => {
  it('uses the parent subtree for groups and temporary branches', () => {
    expect(membershipScopePath({ kind: 'GROUP', path: '/r/c/b/g/', parentId: 'b' })).toBe('/r/c/b/');
    expect(membershipScopePath({ kind: 'TEMPORARY_BRANCH', path: '/r/c/t/', parentId: 'c' })).toBe('/r/c/');
    expect(membershipScopePath({ kind: 'BRANCH', path: '/r/c/b/', parentId: 'c' })).toBe('/r/c/b/');
    expect(membershipScopePath({ kind: 'WORKING_COMMITTEE', path: '/r/', parentId: null })).toBe('/r/');
  });
});
