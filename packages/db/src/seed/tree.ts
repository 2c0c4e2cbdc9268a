// Helpers shared by the demo and scale builders: organization rows with precomputed materialized paths,
// term dates, and membership dates. Ids are drawn from the seeded generator so that the whole tree —
// parents, paths, foreign keys — is known before a single row is written.

import type { OrganizationKind } from '../generated/prisma/client.ts';
import { addDays, addYears, maxDate, minDate } from './dates.ts';
import type { Random } from './random.ts';
import type { Dataset, DuesBaseRow, MemberRow, OrganizationRow } from './types.ts';
import type { Person } from './people.ts';

/** Fields of an organization that the builder chooses; id, path and depth are derived. */
export interface OrganizationFields {
  kind: OrganizationKind;
  name: string;
  code: string;
  agency: string | null;
  termStart: Date | null;
  termEnd: Date | null;
}

/** Creates an organization row under `parent` (null for the root) with its path and depth filled in. */
export function makeOrganization(rng: Random, parent: OrganizationRow | null, fields: OrganizationFields): OrganizationRow {
  const id = rng.uuid();
  return {
    id,
    ...fields,
    parentId: parent ? parent.id : null,
    path: `${parent ? parent.path : '/'}${id}/`,
    depth: parent ? parent.depth + 1 : 0,
  };
}

/** Length of a 届 in years: 党委 and 工委 serve five years, 总支 and 支部 three (党章 Art. 30–31). */
export function termYears(kind: OrganizationKind): number {
  return kind === 'WORKING_COMMITTEE' || kind === 'COMMITTEE' ? 5 : 3;
}

/** Current term of an organization; an overdue one ended 1–13 months before today. */
export function currentTerm(rng: Random, kind: OrganizationKind, today: Date, overdue: boolean): { termStart: Date; termEnd: Date } {
  const years = termYears(kind);
  if (overdue) {
    const termEnd = addDays(today, -rng.int(30, 400));
    return { termStart: addYears(termEnd, -years), termEnd };
  }
  // Leave at least two months so a "current" term is not one that expires during a demo session.
  const termStart = addDays(today, -rng.int(30, years * 365 - 60));
  return { termStart, termEnd: addYears(termStart, years) };
}

/** Status and dates of a membership: full members became full one year after joining (预备期一年). */
export function membershipDates(
  rng: Random,
  birthDate: Date,
  today: Date,
  probationary: boolean,
): Pick<MemberRow, 'status' | 'joinedAt' | 'fullMemberAt'> {
  if (probationary) {
    const joinedAt = rng.dateBetween(addDays(today, -360), addDays(today, -30));
    return { status: 'PROBATIONARY', joinedAt, fullMemberAt: null };
  }
  // Most agency members joined at university or in their first working years; nobody before 18.
  const earliest = maxDate(addYears(birthDate, 19), addYears(today, -42));
  const latest = minDate(addYears(birthDate, 38), addDays(addYears(today, -1), -1));
  const joinedAt = rng.dateBetween(earliest, maxDate(earliest, latest));
  return { status: 'FULL', joinedAt, fullMemberAt: addYears(joinedAt, 1) };
}

/** Member row from a generated person. */
export function makeMember(
  rng: Random,
  person: Person,
  organizationId: string,
  membership: Pick<MemberRow, 'status' | 'joinedAt' | 'fullMemberAt'>,
): MemberRow {
  return { id: rng.uuid(), ...person, ...membership, organizationId };
}

/** Monthly dues for an income, by the 党费 rates (0.5% / 1% / 1.5% / 2% by income band). */
export function duesAmount(monthlyIncome: number): string {
  const rate = monthlyIncome <= 3000 ? 0.005 : monthlyIncome <= 5000 ? 0.01 : monthlyIncome <= 10000 ? 0.015 : 0.02;
  return (Math.round(monthlyIncome * rate * 100) / 100).toFixed(2);
}

/**
 * The member's dues base: employed at `income` 元 from the first month paid for. Its id is derived from the
 * member's (the version digit changed) so adding bases draws nothing from the seeded random and the rest
 * of the demo stays as it was.
 */
export function duesBaseOf(memberId: string, income: number, effectiveFrom: Date): DuesBaseRow {
  return {
    id: `${memberId.slice(0, 14)}8${memberId.slice(15)}`,
    memberId,
    category: 'EMPLOYED',
    baseFen: income * 100,
    fixedFen: null,
    effectiveFrom,
    note: null,
  };
}

/** Plausible monthly after-tax income of agency staff, growing with age. */
export function monthlyIncome(rng: Random, birthDate: Date, today: Date): number {
  const age = today.getUTCFullYear() - birthDate.getUTCFullYear();
  return Math.round((5200 + Math.max(0, age - 23) * 170 + rng.int(0, 2500)) / 10) * 10;
}

/** Groups items by key, keeping first-seen key order (Map.groupBy needs Node 21, the project supports 20). */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** A dataset with every table empty. */
export function emptyDataset(): Dataset {
  return {
    organizations: [],
    organizationTerms: [],
    members: [],
    cadres: [],
    trainings: [],
    assessments: [],
    rotations: [],
    meetings: [],
    meetingAttendance: [],
    duesPayments: [],
    assessmentSchemes: [],
    assessmentItems: [],
    assessmentManualScores: [],
    assessmentTasks: [],
    assessmentTaskAssignments: [],
    developmentRecords: [],
    developmentEntries: [],
    developmentPeople: [],
    duesBases: [],
    transferLetters: [],
  };
}
