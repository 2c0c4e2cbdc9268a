// The reads behind the 三会一课 cadence, shared by `meetingShortfalls` (a subtree) and the meeting indicators
// (a list of organizations): each is one statement however many branches there are.

import { Prisma, type MeetingKind, type PrismaClient } from '@dangjian/db';
import { isoDate } from '../kit/dates.ts';
import { CADENCE_KINDS, type CadenceBranch, type MeetingCount } from './meeting-cadence.ts';

/** Branches of a subtree (`path`) or of a list of ids (`ids`): the organizations a cadence is owed by. */
export type CadenceScope = { readonly path: string } | { readonly ids: readonly string[] };

/** The kinds of organization that owe the 三会一课 cadence: 党支部 and 临时党支部. */
export const CADENCE_ORGANIZATION_KINDS = ['BRANCH', 'TEMPORARY_BRANCH'] as const;

/** A branch as the cadence sees it, with where it is and its name (for messages that name it). */
export type LoadedCadenceBranch = CadenceBranch & { readonly path: string; readonly name: string };

/** Branches with what the cadence depends on: groups, committee, term of a temporary branch. One statement. */
export async function loadCadenceBranches(db: PrismaClient, scope: CadenceScope): Promise<LoadedCadenceBranch[]> {
  const rows = await db.organization.findMany({
    where: {
      ...('path' in scope ? { path: { startsWith: scope.path } } : { id: { in: [...scope.ids] } }),
      kind: { in: [...CADENCE_ORGANIZATION_KINDS] },
    },
    select: {
      id: true,
      path: true,
      name: true,
      kind: true,
      termStart: true,
      termEnd: true,
      children: { where: { kind: 'GROUP' }, select: { id: true }, orderBy: { code: 'asc' } },
      _count: { select: { cadres: { where: { endDate: null, post: { not: 'SECRETARY' } } } } },
    },
    orderBy: { code: 'asc' },
  });
  return rows.map((row) => ({
    id: row.id,
    path: row.path,
    name: row.name,
    activeFrom: row.kind === 'TEMPORARY_BRANCH' ? row.termStart : null,
    activeTo: row.kind === 'TEMPORARY_BRANCH' ? row.termEnd : null,
    groupIds: row.children.map((c) => c.id),
    hasCommittee: row._count.cadres > 0,
  }));
}

/**
 * Meetings per (organization, kind, month) of the branches in scope and their groups, over [from, to]: one
 * grouped statement.
 */
export async function countCadenceMeetings(
  db: PrismaClient,
  scope: CadenceScope,
  from: Date,
  to: Date,
  kinds: readonly MeetingKind[] = CADENCE_KINDS,
): Promise<MeetingCount[]> {
  const where =
    'path' in scope
      ? Prisma.sql`o.path LIKE ${`${scope.path}%`} AND o.kind::text IN ('BRANCH', 'TEMPORARY_BRANCH', 'GROUP')`
      : Prisma.sql`(o.id = ANY(${[...scope.ids]}::text[]) OR (o."parentId" = ANY(${[...scope.ids]}::text[]) AND o.kind::text = 'GROUP'))`;
  return db.$queryRaw<MeetingCount[]>`
    SELECT m."organizationId" AS "organizationId", m.kind::text AS kind, to_char(m.date, 'YYYY-MM') AS month, count(*)::int AS count
      FROM "Meeting" m
      JOIN "Organization" o ON o.id = m."organizationId"
     WHERE ${where}
       AND m.kind::text = ANY(${[...kinds]}::text[])
       AND m.date >= ${isoDate(from)}::date
       AND m.date <= ${isoDate(to)}::date
     GROUP BY m."organizationId", m.kind, to_char(m.date, 'YYYY-MM')`;
}
