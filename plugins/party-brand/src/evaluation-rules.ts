import { InputError } from '@dangjian/core';

/** The four criteria a committee scores a brand on each year. */
export const CRITERIA = ['integration', 'innovation', 'effect', 'publicity'] as const;
export type Criterion = (typeof CRITERIA)[number];
export type Scores = Record<Criterion, number>;

/** Scores are whole numbers from 0 to 100. */
export function checkScores(scores: Scores, field: string): void {
  for (const key of CRITERIA) {
    const value = scores[key];
    if (!Number.isInteger(value) || value < 0 || value > 100)
      throw new InputError(`${field}.${key}`, 'must be a whole number from 0 to 100');
  }
}

/** A yearly evaluation is of a year that has begun, and not before brands existed here. */
export function checkEvaluationYear(year: number, field: string, currentYear: number = new Date().getUTCFullYear()): void {
  if (!Number.isInteger(year) || year < 2000) throw new InputError(field, 'must be a year from 2000');
  if (year > currentYear) throw new InputError(field, 'must not be in the future');
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** An evaluation's overall score: the criteria weigh equally, to two places. */
export function overallScore(scores: Scores): number {
  return round2(CRITERIA.reduce((sum, key) => sum + scores[key], 0) / CRITERIA.length);
}

/** Which way a brand's scores went from its previous evaluation to its latest. */
export type TrendDirection = 'RISING' | 'FALLING' | 'STEADY';

export interface TrendPoint {
  year: number;
  score: number;
}

export interface Trend {
  points: TrendPoint[];
  /** Latest overall score minus the previous one; null with fewer than two evaluations. */
  change: number | null;
  direction: TrendDirection | null;
}

/** A brand's yearly overall scores in year order, and the direction of the last change. */
export function trendOf(evaluations: readonly (Scores & { year: number })[]): Trend {
  const points = [...evaluations].sort((a, b) => a.year - b.year).map((e) => ({ year: e.year, score: overallScore(e) }));
  if (points.length < 2) return { points, change: null, direction: null };
  const change = round2(points[points.length - 1]!.score - points[points.length - 2]!.score);
  return { points, change, direction: change > 0 ? 'RISING' : change < 0 ? 'FALLING' : 'STEADY' };
}

/** Averages from the grouped query, rounded to two places; overall is the mean of the criteria means. */
export function averagesOf(avg: Record<Criterion, number | null>): (Scores & { overall: number }) | null {
  if (CRITERIA.some((key) => avg[key] === null)) return null;
  const scores = Object.fromEntries(CRITERIA.map((key) => [key, round2(avg[key]!)])) as Scores;
  return { ...scores, overall: round2(CRITERIA.reduce((sum, key) => sum + avg[key]!, 0) / CRITERIA.length) };
}
