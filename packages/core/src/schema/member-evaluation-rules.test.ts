import { describe, expect, it } from 'vitest';
import { checkGrades } from './member-evaluation-rules.ts';

function refusal(fn: () => unknown): { field?: unknown; message: string } | undefined {
  try {
    fn();
  } catch (error) {
    const e = error as { message: string; extensions?: { field?: unknown } };
    return { field: e.extensions?.field, message: e.message };
  }
  return undefined;
}

const members = [
  { id: 'a', status: 'FULL' as const },
  { id: 'b', status: 'FULL' as const },
  { id: 'c', status: 'FULL' as const },
  { id: 'd', status: 'FULL' as const },
  { id: 'e', status: 'FULL' as const },
  { id: 'f', status: 'FULL' as const },
  { id: 'p', status: 'PROBATIONARY' as const },
];
const all = (excellent: number) =>
  members
    .filter((m) => m.status === 'FULL')
    .map((m, i) => ({ memberId: m.id, grade: i < excellent ? ('EXCELLENT' as const) : ('QUALIFIED' as const) }));

describe('checkGrades', () => {
  it('allows 优秀 up to a third of those graded', () => {
    expect(() => checkGrades(members, all(2))).not.toThrow();
    expect(refusal(() => checkGrades(members, all(3)))?.message).toContain('3 of 6 graded are EXCELLENT, at most 2');
  });

  it('grades every full member once and no probationary member', () => {
    expect(refusal(() => checkGrades(members, all(0).slice(1)))?.message).toContain('1 full member is not graded');
    expect(refusal(() => checkGrades(members, [...all(0), { memberId: 'a', grade: 'QUALIFIED' }]))?.field).toBe('input.grades[6].memberId');
    expect(refusal(() => checkGrades(members, [...all(0), { memberId: 'p', grade: 'QUALIFIED' }]))?.message).toContain('probationary');
    expect(refusal(() => checkGrades(members, [...all(0), { memberId: 'x', grade: 'QUALIFIED' }]))?.field).toBe('input.grades[6].memberId');
  });
});
