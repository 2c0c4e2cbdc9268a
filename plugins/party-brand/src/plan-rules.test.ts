import { describe, expect, it } from 'vitest';
import { checkGoals, checkPlanYears, rate, stateCounts, yearProgress } from './plan-rules.ts';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { field?: string } }).extensions?.field;
  }
  return undefined;
}

const goal = (year: number, applied: number, approved: number, model: number) => ({ year, applied, approved, model });

describe('checkPlanYears', () => {
  it('accepts a range of up to ten years and refuses the rest, naming the field', () => {
    expect(fieldOf(() => checkPlanYears(2023, 2025, 'input'))).toBeUndefined();
    expect(fieldOf(() => checkPlanYears(2023, 2023, 'input'))).toBeUndefined();
    expect(fieldOf(() => checkPlanYears(2025, 2023, 'input'))).toBe('input.endYear');
    expect(fieldOf(() => checkPlanYears(2020, 2030, 'input'))).toBe('input.endYear');
    expect(fieldOf(() => checkPlanYears(1999, 2001, 'input'))).toBe('input.startYear');
  });
});

describe('checkGoals', () => {
  it('returns the goals in year order when every year is set once and the totals are consistent', () => {
    expect(checkGoals([goal(2024, 5, 3, 1), goal(2023, 10, 4, 0)], 2023, 2024, 'g')).toEqual([goal(2023, 10, 4, 0), goal(2024, 5, 3, 1)]);
  });

  it('refuses missing, repeated and outside years', () => {
    expect(fieldOf(() => checkGoals([goal(2023, 1, 0, 0)], 2023, 2024, 'g'))).toBe('g');
    expect(fieldOf(() => checkGoals([goal(2023, 1, 0, 0), goal(2023, 1, 0, 0)], 2023, 2023, 'g'))).toBe('g[1].year');
    expect(fieldOf(() => checkGoals([goal(2022, 1, 0, 0)], 2023, 2023, 'g'))).toBe('g[0].year');
  });

  it('refuses negative or fractional counts and more approvals than applications, more models than approvals', () => {
    expect(fieldOf(() => checkGoals([goal(2023, -1, 0, 0)], 2023, 2023, 'g'))).toBe('g[0].applied');
    expect(fieldOf(() => checkGoals([goal(2023, 1.5, 0, 0)], 2023, 2023, 'g'))).toBe('g[0].applied');
    expect(fieldOf(() => checkGoals([goal(2023, 1, 2, 0)], 2023, 2023, 'g'))).toBe('g[0].approved');
    expect(fieldOf(() => checkGoals([goal(2023, 3, 1, 2)], 2023, 2023, 'g'))).toBe('g[0].model');
    // Running totals: approvals in 2024 may draw on 2023's applications.
    expect(fieldOf(() => checkGoals([goal(2023, 4, 0, 0), goal(2024, 0, 3, 1)], 2023, 2024, 'g'))).toBeUndefined();
  });
});

describe('dashboard assembly', () => {
  it('puts each year’s goal next to its milestone counts, zeros where nothing happened', () => {
    const years = yearProgress(
      2023,
      2025,
      [goal(2023, 4, 2, 0), goal(2024, 3, 3, 1), goal(2025, 1, 1, 2)],
      [
        { year: 2023, state: 'SUBMITTED', count: 3 },
        { year: 2023, state: 'APPROVED', count: 1 },
        { year: 2025, state: 'MODEL', count: 1 },
        { year: 2022, state: 'SUBMITTED', count: 9 },
      ],
    );
    expect(years).toEqual([
      { year: 2023, appliedGoal: 4, approvedGoal: 2, modelGoal: 0, applied: 3, approved: 1, model: 0 },
      { year: 2024, appliedGoal: 3, approvedGoal: 3, modelGoal: 1, applied: 0, approved: 0, model: 0 },
      { year: 2025, appliedGoal: 1, approvedGoal: 1, modelGoal: 2, applied: 0, approved: 0, model: 1 },
    ]);
  });

  it('lists every state with zeros and computes completion rates', () => {
    const counts = stateCounts([{ state: 'MODEL', count: 2 }]);
    expect(counts).toHaveLength(7);
    expect(counts.find((c) => c.state === 'MODEL')!.count).toBe(2);
    expect(counts.filter((c) => c.state !== 'MODEL').every((c) => c.count === 0)).toBe(true);
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 0)).toBeNull();
  });
});
