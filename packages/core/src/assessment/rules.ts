/**
 * 计分规则 — how an item's raw value becomes points. Pure: no database, no context; every amount of points
 * is an integer number of hundredths, so sums are exact. Parameters in the indicator's unit (targets,
 * thresholds, steps) are hundredths too (a target of 95 % is 9500).
 */

export type RuleKind = 'PROPORTIONAL' | 'STEPPED' | 'DEDUCTION' | 'VETO';

/** One threshold of a stepped rule: a value of at least `atLeast` earns `points`. */
export interface Step {
  readonly atLeast: number;
  readonly points: number;
}

/** A rule with its parameters, as an item holds it (all amounts in hundredths). */
export type Rule =
  | { readonly kind: 'PROPORTIONAL'; readonly target: number }
  | { readonly kind: 'STEPPED'; readonly steps: readonly Step[] }
  | { readonly kind: 'DEDUCTION'; readonly perOccurrence: number; readonly floor: number }
  | { readonly kind: 'VETO'; readonly threshold: number; readonly cap: number };

/** An item's score for one organization. */
export interface ItemScore {
  /** Null when the item is not applicable (no value): it then earns nothing and counts toward no maximum. */
  readonly points: number | null;
  /** True when a 一票否决 item failed: the card's total is capped. */
  readonly vetoed: boolean;
}

/**
 * Scores a raw value (hundredths of the indicator's unit, or null when not applicable) under a rule:
 * - PROPORTIONAL: max × min(value, target) / target, rounded to the nearest hundredth; never below 0.
 * - STEPPED: the points of the highest step whose `atLeast` the value reaches; 0 below every step.
 * - DEDUCTION: max − value × perOccurrence (the value counts occurrences), never below `floor`.
 * - VETO: max when the value reaches `threshold`, else 0 and vetoed (the total is capped at `cap`).
 */
export function scoreItem(rule: Rule, maxPoints: number, value: number | null): ItemScore {
  if (value === null) return { points: null, vetoed: false };
  switch (rule.kind) {
    case 'PROPORTIONAL': {
      const reached = Math.max(0, Math.min(value, rule.target));
      return { points: Math.round((maxPoints * reached) / rule.target), vetoed: false };
    }
    case 'STEPPED': {
      let points = 0;
      for (const step of rule.steps) if (value >= step.atLeast) points = Math.max(points, step.points);
      return { points, vetoed: false };
    }
    case 'DEDUCTION': {
      const occurrences = Math.max(0, value);
      const deducted = Math.round((occurrences * rule.perOccurrence) / 100);
      return { points: Math.max(rule.floor, maxPoints - deducted), vetoed: false };
    }
    case 'VETO':
      return value >= rule.threshold ? { points: maxPoints, vetoed: false } : { points: 0, vetoed: true };
  }
}

/** A card's total: the sum of applicable points, capped at the lowest cap of any failed veto. */
export function cardTotal(items: readonly { readonly score: ItemScore; readonly rule: Rule }[]): { total: number; vetoed: boolean } {
  let total = 0;
  let cap: number | null = null;
  for (const { score, rule } of items) {
    total += score.points ?? 0;
    if (score.vetoed && rule.kind === 'VETO') cap = cap === null ? rule.cap : Math.min(cap, rule.cap);
  }
  return cap === null ? { total, vetoed: false } : { total: Math.min(total, cap), vetoed: true };
}

/**
 * Problems with a rule's parameters for an item of `maxPoints` (both in hundredths), as [field, message]
 * pairs; the field is relative to the item (`rule.target`, `rule.steps[1].points`).
 */
export function ruleProblems(rule: Rule, maxPoints: number, totalPoints: number): [string, string][] {
  const problems: [string, string][] = [];
  switch (rule.kind) {
    case 'PROPORTIONAL':
      if (!(rule.target > 0)) problems.push(['rule.target', 'must be greater than 0']);
      break;
    case 'STEPPED':
      if (rule.steps.length === 0) problems.push(['rule.steps', 'needs at least one step']);
      rule.steps.forEach((step, i) => {
        if (step.points < 0 || step.points > maxPoints)
          problems.push([`rule.steps[${i}].points`, 'must be from 0 to the item’s max points']);
        if (i > 0 && step.atLeast <= rule.steps[i - 1]!.atLeast)
          problems.push([`rule.steps[${i}].atLeast`, 'must be greater than the step before it']);
      });
      break;
    case 'DEDUCTION':
      if (!(rule.perOccurrence > 0)) problems.push(['rule.perOccurrence', 'must be greater than 0']);
      if (rule.floor < 0 || rule.floor > maxPoints) problems.push(['rule.floor', 'must be from 0 to the item’s max points']);
      break;
    case 'VETO':
      if (rule.cap < 0 || rule.cap > totalPoints) problems.push(['rule.cap', 'must be from 0 to the scheme’s total points']);
      break;
  }
  return problems;
}

/** Competition ranks (1, 2, 2, 4) of totals, best first: equal totals share a rank. */
export function ranks(totals: readonly number[]): number[] {
  const sorted = [...totals].sort((a, b) => b - a);
  // The first place of each total, found once: `indexOf` per card was quadratic (6k cards: 40M comparisons).
  const first = new Map<number, number>();
  sorted.forEach((t, i) => {
    if (!first.has(t)) first.set(t, i + 1);
  });
  return totals.map((t) => first.get(t)!);
}
