import type { AssessmentItem } from '@dangjian/db';
import { toHundredths } from './points.ts';
import type { Rule } from './rules.ts';

/** The rule of a stored item, its parameters in hundredths. */
export function ruleOf(item: AssessmentItem): Rule {
  const h = (value: { toString(): string } | null) => (value === null ? 0 : toHundredths(value));
  switch (item.rule) {
    case 'PROPORTIONAL':
      return { kind: 'PROPORTIONAL', target: h(item.target) };
    case 'STEPPED': {
      const steps = (item.steps ?? []) as { atLeast: string; points: string }[];
      return { kind: 'STEPPED', steps: steps.map((s) => ({ atLeast: toHundredths(s.atLeast), points: toHundredths(s.points) })) };
    }
    case 'DEDUCTION':
      return { kind: 'DEDUCTION', perOccurrence: h(item.perOccurrence), floor: h(item.floor) };
    case 'VETO':
      return { kind: 'VETO', threshold: h(item.threshold), cap: h(item.cap) };
  }
}

/** A period of a scheme's year: 1 January to 31 December (UTC days). */
export function yearPeriod(year: number): { from: Date; to: Date } {
  return { from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year, 11, 31)) };
}
