// Pure rules of 社区报到: hours arithmetic, state machines, team nesting, years and certificate numbers.
// Kept free of the database so they are unit-tested on their own.

import { InputError, parseTenthsOfHours } from '@dangjian/core';
import type { CommunityDemandClaimStatus, CommunityServiceStatus, VolunteerTeamLevel } from '@dangjian/db';

/** Most hours one member may serve on one day, across all communities (tenths: 12.0 hours). */
export const MAX_DAILY_TENTHS = 120;

/** Service hours in tenths of an hour: more than 0, at most 12 a day, one decimal place (DECIMAL(4,1)). */
export function parseServiceHours(text: string, field: string): number {
  return parseTenthsOfHours(text, field, MAX_DAILY_TENTHS / 10);
}

/** Tenths of an hour from a stored decimal (`"2.5"`, `"12"`, `"0.0"`, null for an empty sum). */
export function toTenths(value: { toString(): string } | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const text = value.toString();
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal: ${text}`);
  return Math.round(Number(text) * 10);
}

/** Tenths of an hour as the API prints hours: always one decimal place (`"2.5"`, `"12.0"`). */
export function formatTenths(tenths: number): string {
  const sign = tenths < 0 ? '-' : '';
  const abs = Math.abs(tenths);
  return `${sign}${Math.floor(abs / 10)}.${abs % 10}`;
}

/**
 * Error text when adding `addTenths` to what a member already logged that day would pass 12 hours;
 * null when it fits.
 */
export function dailyLimitError(alreadyTenths: number, addTenths: number): string | null {
  if (alreadyTenths + addTenths <= MAX_DAILY_TENTHS) return null;
  const left = Math.max(0, MAX_DAILY_TENTHS - alreadyTenths);
  return `the member already has ${formatTenths(alreadyTenths)} hours on that day; at most 12 hours a day (${formatTenths(left)} left)`;
}

export type ClaimStatus = CommunityDemandClaimStatus;
export type ClaimAction = 'complete' | 'confirm';

/** 认领: CLAIMED → COMPLETED (the member reports) → CONFIRMED (the community confirms). */
const CLAIM_TRANSITIONS: Record<ClaimAction, { from: ClaimStatus; to: ClaimStatus }> = {
  complete: { from: 'CLAIMED', to: 'COMPLETED' },
  confirm: { from: 'COMPLETED', to: 'CONFIRMED' },
};

/** The state a claim moves to, or null when the action is not allowed from `current`. */
export function nextClaimStatus(current: ClaimStatus, action: ClaimAction): ClaimStatus | null {
  const t = CLAIM_TRANSITIONS[action];
  return t.from === current ? t.to : null;
}

export type ServiceStatus = CommunityServiceStatus;
export type ServiceAction = 'verify' | 'reject';

/** 服务记录: SUBMITTED → VERIFIED or REJECTED, both final. */
export function nextServiceStatus(current: ServiceStatus, action: ServiceAction): ServiceStatus | null {
  if (current !== 'SUBMITTED') return null;
  return action === 'verify' ? 'VERIFIED' : 'REJECTED';
}

export type TeamLevel = VolunteerTeamLevel;

/** The level a team's parent must have: none for a 总队, a 总队 for a 支队, a 支队 for a 分队. */
export const PARENT_LEVEL: Record<TeamLevel, TeamLevel | null> = { CORPS: null, DETACHMENT: 'CORPS', SQUAD: 'DETACHMENT' };

/** Error text when a team of `level` may not sit under a parent of `parentLevel` (null: no parent); null when fine. */
export function teamNestingError(level: TeamLevel, parentLevel: TeamLevel | null): string | null {
  const wanted = PARENT_LEVEL[level];
  if (wanted === parentLevel) return null;
  if (wanted === null) return 'a CORPS (总队) has no parent team';
  if (parentLevel === null) return `a ${level} needs a parent team of level ${wanted}`;
  return `a ${level} must be placed under a ${wanted}, not under a ${parentLevel}`;
}

/** Registration is either an organization's (单位报到) or a member's (个人报到): exactly one of the two. */
export function registrationSubject(
  organizationId: string | null | undefined,
  memberId: string | null | undefined,
): 'ORGANIZATION' | 'MEMBER' {
  const hasOrg = organizationId !== null && organizationId !== undefined && organizationId !== '';
  const hasMember = memberId !== null && memberId !== undefined && memberId !== '';
  if (hasOrg === hasMember)
    throw new InputError('input.organizationId', 'give exactly one of organizationId (单位报到) and memberId (个人报到)');
  return hasOrg ? 'ORGANIZATION' : 'MEMBER';
}

/** The key the unique index holds while a registration is active (see the Prisma model). */
export function activeRegistrationKey(subject: { memberId: string } | { organizationId: string; communityId: string }): string {
  return 'memberId' in subject ? `member:${subject.memberId}` : `org:${subject.organizationId}:${subject.communityId}`;
}

/** 报到证编号: `SQBD-<year>-<10 hex of the row id>`, upper case; unique because the id is. */
export function certificateNumber(id: string, date: Date): string {
  const hex = id.replace(/-/g, '').slice(-10).toUpperCase();
  return `SQBD-${date.getUTCFullYear()}-${hex}`;
}

/** First day of `year` and first day of the next, as UTC dates (a half-open range). */
export function yearRange(year: number): { from: Date; to: Date } {
  return { from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) };
}

/** Checks a year argument; the current (UTC) year when absent. */
export function checkYear(year: number | null | undefined, field: string, today: Date = new Date()): number {
  if (year === null || year === undefined) return today.getUTCFullYear();
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new InputError(field, 'must be a year between 2000 and 2100');
  return year;
}

/** Ids on a materialized path `/a/b/c/`, top down: the organization and all its ancestors. */
export function idsOnPath(path: string): string[] {
  return path.split('/').filter(Boolean);
}

/** Capacity of a demand: how many members may claim it (1 to 1000). */
export function checkCapacity(capacity: number, field: string): number {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1000) throw new InputError(field, 'must be between 1 and 1000');
  return capacity;
}
