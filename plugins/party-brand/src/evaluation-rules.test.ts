import { describe, expect, it } from 'vitest';
import { averagesOf, checkEvaluationYear, checkScores, overallScore, trendOf } from './evaluation-rules.ts';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { field?: string } }).extensions?.field;
  }
  return undefined;
}

const scores = (year: number, integration: number, innovation: number, effect: number, publicity: number) => ({
  year,
  integration,
  innovation,
  effect,
  publicity,
});

describe('evaluation rules', () => {
  it('accepts whole scores from 0 to 100 and names the criterion at fault', () => {
    expect(fieldOf(() => checkScores(scores(2024, 0, 100, 50, 75), 'input'))).toBeUndefined();
    expect(fieldOf(() => checkScores(scores(2024, 101, 1, 1, 1), 'input'))).toBe('input.integration');
    expect(fieldOf(() => checkScores(scores(2024, 1, -1, 1, 1), 'input'))).toBe('input.innovation');
    expect(fieldOf(() => checkScores(scores(2024, 1, 1, 1.5, 1), 'input'))).toBe('input.effect');
  });

  it('refuses future years', () => {
    expect(fieldOf(() => checkEvaluationYear(2024, 'input.year', 2024))).toBeUndefined();
    expect(fieldOf(() => checkEvaluationYear(2025, 'input.year', 2024))).toBe('input.year');
    expect(fieldOf(() => checkEvaluationYear(1999, 'input.year', 2024))).toBe('input.year');
  });

  it('weighs the criteria equally', () => {
    expect(overallScore(scores(2024, 80, 90, 85, 70))).toBe(81.25);
  });

  it('gives the trend in year order with the direction of the latest change', () => {
    expect(trendOf([scores(2024, 90, 90, 90, 90), scores(2023, 80, 80, 80, 80)])).toEqual({
      points: [
        { year: 2023, score: 80 },
        { year: 2024, score: 90 },
      ],
      change: 10,
      direction: 'RISING',
    });
    expect(trendOf([scores(2023, 80, 80, 80, 80), scores(2024, 70, 80, 80, 80)]).direction).toBe('FALLING');
    expect(trendOf([scores(2023, 80, 80, 80, 80), scores(2024, 80, 80, 80, 80)]).direction).toBe('STEADY');
    expect(trendOf([scores(2023, 80, 80, 80, 80)])).toEqual({ points: [{ year: 2023, score: 80 }], change: null, direction: null });
  });

  it('rounds averages and derives the overall one', () => {
    expect(averagesOf({ integration: 85.333333, innovation: 80, effect: 90, publicity: 70 })).toEqual({
      integration: 85.33,
      innovation: 80,
      effect: 90,
      publicity: 70,
      overall: 81.33,
    });
    expect(averagesOf({ integration: null, innovation: null, effect: null, publicity: null })).toBeNull();
  });
});
