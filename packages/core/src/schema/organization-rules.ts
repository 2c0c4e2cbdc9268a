import type { OrganizationKind } from '@dangjian/db';
import { utcToday } from '../kit/dates.ts';

/** Which kinds may sit directly under which: the party constitution's hierarchy, top down. */
const ALLOWED_PARENTS: Record<OrganizationKind, readonly OrganizationKind[]> = {
  WORKING_COMMITTEE: [],
  COMMITTEE: ['WORKING_COMMITTEE', 'COMMITTEE'],
  GENERAL_BRANCH: ['WORKING_COMMITTEE', 'COMMITTEE'],
  BRANCH: ['WORKING_COMMITTEE', 'COMMITTEE', 'GENERAL_BRANCH'],
  TEMPORARY_BRANCH: ['WORKING_COMMITTEE', 'COMMITTEE', 'GENERAL_BRANCH'],
  GROUP: ['BRANCH', 'TEMPORARY_BRANCH', 'GENERAL_BRANCH'],
};

/** True when an organization of `kind` may be placed under a parent of `parentKind`. */
export function mayNest(kind: OrganizationKind, parentKind: OrganizationKind): boolean {
  return ALLOWED_PARENTS[kind].includes(parentKind);
}

/** The ids on a materialized path, root first. */
export function idsOnPath(path: string): string[] {
  return path.split('/').filter(Boolean);
}

/** True when a term's end date lies before `today` (a UTC calendar date): 换届 is overdue. */
export function isTermOverdue(termEnd: Date | null, today: Date = new Date()): boolean {
  if (!termEnd) return false;
  return termEnd.getTime() < utcToday(today).getTime();
}

/** A term as the on-time rule sees it: its last day and, once renewed, the day it was renewed. */
export interface TermSpan {
  readonly termEnd: Date | null;
  /** Null for the current term (not renewed yet). */
  readonly renewedOn: Date | null;
}

/**
 * Whether an organization's terms were overdue (不按期换届) on some day of [from, until]: the current term
 * by {@link isTermOverdue} on `until`, a past term when it was renewed after its last day and the days
 * between touch the period. A term without an end date is never overdue.
 */
export function termOverdueWithin(terms: readonly TermSpan[], from: Date, until: Date): boolean {
  return terms.some((term) => {
    if (!term.termEnd) return false;
    if (!term.renewedOn) return isTermOverdue(term.termEnd, until);
    const end = term.termEnd.getTime();
    return term.renewedOn.getTime() > end && end < until.getTime() && term.renewedOn.getTime() >= from.getTime();
  });
}
