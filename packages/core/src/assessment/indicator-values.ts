import type { OrganizationKind } from '@dangjian/db';
import type { IndicatorOrganization, IndicatorPeriod, IndicatorValues } from './indicator.ts';

// The small arithmetic every indicator shares (core's and plugins'): the last day measured, which
// organizations an indicator applies to, shares as percentages, and a value for every organization given.

/**
 * The last day a period is measured to: its end, or `today` when the period has not ended yet — what is
 * not yet due cannot be missed yet.
 */
export function measuredUntil(period: IndicatorPeriod, today: Date): Date {
  return period.to.getTime() > today.getTime() ? today : period.to;
}

/** Ids of the organizations whose kind is among `kinds`. */
export function applicableIds(organizations: readonly IndicatorOrganization[], kinds: readonly OrganizationKind[]): string[] {
  return organizations.filter((o) => kinds.includes(o.kind)).map((o) => o.id);
}

/** `part` of `whole` as a percentage to one decimal place; null when nothing is owed (`whole` is 0). */
export function percent(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/** A number to one decimal place (hours, scores), half away from zero. */
export function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * A value for every organization given: null for a kind the indicator does not apply to, otherwise what
 * `compute` says for its id (null there too means not applicable, e.g. no cadres).
 */
export function valuesOf(
  organizations: readonly IndicatorOrganization[],
  kinds: readonly OrganizationKind[],
  compute: (id: string) => number | null,
): IndicatorValues {
  return new Map(organizations.map((o) => [o.id, kinds.includes(o.kind) ? compute(o.id) : null]));
}

/** The years a period touches, first to last (an assessment or evaluation year counts for a period that touches it). */
export function yearsOf(period: IndicatorPeriod): { first: number; last: number } {
  return { first: period.from.getUTCFullYear(), last: period.to.getUTCFullYear() };
}
