import { InputError } from '@dangjian/core';
import type { PartyBrandState } from '@dangjian/db';
import { BRAND_STATES } from './brand-rules.ts';

/** A plan covers at most this many years (三年规划, 五年规划 …). */
export const MAX_PLAN_YEARS = 10;
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
/** A year's goal is a count of brands; more than this is a typo. */
const MAX_GOAL = 10_000;

export interface GoalInput {
  year: number;
  applied: number;
  approved: number;
  model: number;
}

/** Checks a plan's year range; `field` prefixes the argument names (e.g. `input`). */
export function checkPlanYears(startYear: number, endYear: number, field: string): void {
  if (startYear < MIN_YEAR || startYear > MAX_YEAR) throw new InputError(`${field}.startYear`, `must be from ${MIN_YEAR} to ${MAX_YEAR}`);
  if (endYear < startYear) throw new InputError(`${field}.endYear`, 'must not be before startYear');
  if (endYear - startYear + 1 > MAX_PLAN_YEARS) throw new InputError(`${field}.endYear`, `a plan covers at most ${MAX_PLAN_YEARS} years`);
}

/**
 * Checks yearly goals against the plan's years: every year of the plan exactly once, no year outside
 * it, counts from 0, and never more approvals than applications nor more model brands than approvals
 * in the plan's running totals (a brand is applied for before it is approved, approved before named).
 * Returns the goals sorted by year.
 */
export function checkGoals(goals: readonly GoalInput[], startYear: number, endYear: number, field: string): GoalInput[] {
  const seen = new Set<number>();
  goals.forEach((goal, i) => {
    const at = `${field}[${i}]`;
    if (goal.year < startYear || goal.year > endYear)
      throw new InputError(`${at}.year`, `must be within the plan's years ${startYear}–${endYear}`);
    if (seen.has(goal.year)) throw new InputError(`${at}.year`, 'is listed more than once');
    seen.add(goal.year);
    for (const key of ['applied', 'approved', 'model'] as const) {
      if (!Number.isInteger(goal[key]) || goal[key] < 0 || goal[key] > MAX_GOAL)
        throw new InputError(`${at}.${key}`, `must be a whole number from 0 to ${MAX_GOAL}`);
    }
  });
  for (let year = startYear; year <= endYear; year++) {
    if (!seen.has(year)) throw new InputError(field, `must set a goal for every year of the plan; ${year} is missing`);
  }
  const sorted = [...goals].sort((a, b) => a.year - b.year);
  let applied = 0;
  let approved = 0;
  let model = 0;
  for (const goal of sorted) {
    applied += goal.applied;
    approved += goal.approved;
    model += goal.model;
    const i = goals.indexOf(goal);
    if (approved > applied)
      throw new InputError(
        `${field}[${i}].approved`,
        `by ${goal.year} more brands would be approved (${approved}) than applied for (${applied})`,
      );
    if (model > approved)
      throw new InputError(`${field}[${i}].model`, `by ${goal.year} more model brands (${model}) than approved brands (${approved})`);
  }
  return sorted.map((g) => ({ year: g.year, applied: g.applied, approved: g.approved, model: g.model }));
}

/** The year's actual counts the dashboard query found, by milestone. */
export interface MilestoneCount {
  year: number;
  /** The milestone state: SUBMITTED (applied), APPROVED or MODEL. */
  state: PartyBrandState;
  count: number;
}

export interface YearProgress {
  year: number;
  appliedGoal: number;
  approvedGoal: number;
  modelGoal: number;
  applied: number;
  approved: number;
  model: number;
}

/** One line per plan year: the goal next to what happened that year (counts the query did not return are 0). */
export function yearProgress(
  startYear: number,
  endYear: number,
  goals: readonly GoalInput[],
  counts: readonly MilestoneCount[],
): YearProgress[] {
  const goalOf = new Map(goals.map((g) => [g.year, g]));
  const count = (year: number, state: PartyBrandState) => counts.find((c) => c.year === year && c.state === state)?.count ?? 0;
  const years: YearProgress[] = [];
  for (let year = startYear; year <= endYear; year++) {
    const goal = goalOf.get(year);
    years.push({
      year,
      appliedGoal: goal?.applied ?? 0,
      approvedGoal: goal?.approved ?? 0,
      modelGoal: goal?.model ?? 0,
      applied: count(year, 'SUBMITTED'),
      approved: count(year, 'APPROVED'),
      model: count(year, 'MODEL'),
    });
  }
  return years;
}

/** Every state with its count, zeros included, in the state machine's order. */
export function stateCounts(rows: readonly { state: PartyBrandState; count: number }[]): { state: PartyBrandState; count: number }[] {
  return BRAND_STATES.map((state) => ({ state, count: rows.find((r) => r.state === state)?.count ?? 0 }));
}

/** Share of a goal reached, 0–1 to four places; null when the goal is 0 (nothing to reach). */
export function rate(actual: number, goal: number): number | null {
  return goal === 0 ? null : Math.round((actual / goal) * 10_000) / 10_000;
}
