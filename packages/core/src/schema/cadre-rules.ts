import type { CadrePost, OrganizationKind } from '@dangjian/db';
import { parseTenthsOfHours } from '../kit/validate/numbers.ts';
import { utcToday } from '../kit/dates.ts';

/** Chinese names of the assessment grades, for summaries and labels. */
export const GRADE_LABELS = { EXCELLENT: '优秀', COMPETENT: '称职', BASICALLY_COMPETENT: '基本称职', INCOMPETENT: '不称职' } as const;

/** Chinese names of the posts, for activity summaries. */
export const POST_LABELS: Record<CadrePost, string> = {
  SECRETARY: '书记',
  DEPUTY_SECRETARY: '副书记',
  FULL_TIME_DEPUTY_SECRETARY: '专职副书记',
  ORGANIZATION_MEMBER: '组织委员',
  PROPAGANDA_MEMBER: '宣传委员',
  DISCIPLINE_MEMBER: '纪检委员',
  COMMITTEE_MEMBER: '委员',
};

const DAY_MS = 86_400_000;

/** Training hours: more than 0, at most 1000, one decimal place (DECIMAL(6,1)), as the column's text. */
export function parseHours(text: string, field: string): string {
  return (parseTenthsOfHours(text, field, 1000) / 10).toFixed(1);
}

/** Calendar date `years` years before `today` (29 February falls back to 28 February). */
export function yearsBefore(today: Date, years: number): Date {
  const year = today.getUTCFullYear() - years;
  const month = today.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(today.getUTCDate(), lastDay)));
}

/**
 * Years served in a post, to one decimal: from the start date to the end date, or to today while the
 * post is held. The reports' complaint is tenures too short to learn the job, so 0.7 says more than 0.
 */
export function yearsInPost(startDate: Date, endDate: Date | null, today: Date = utcToday()): number {
  const end = endDate ?? today;
  const days = Math.max(0, Math.round((end.getTime() - startDate.getTime()) / DAY_MS));
  return Math.round((days / 365.25) * 10) / 10;
}

/**
 * The materialized path whose members take part in an organization's life. Members' 组织关系 sit in
 * branches: a party group (党小组) only organizes part of its branch's members, and a temporary branch
 * (临时党支部) organizes secondees who keep their membership in their home branches under the same
 * parent. For those two kinds the pool is the parent's subtree; for every other kind, its own subtree.
 */
export function membershipScopePath(org: { kind: OrganizationKind; path: string; parentId: string | null }): string {
  if ((org.kind === 'GROUP' || org.kind === 'TEMPORARY_BRANCH') && org.parentId) {
    return org.path.slice(0, org.path.length - `${lastSegment(org.path)}/`.length);
  }
  return org.path;
}

function lastSegment(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? '';
}
