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
