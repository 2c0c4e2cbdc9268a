// 收缴率 — member-months of a period compared with their standards, summed per organization. Shared by the
// collection query and the core.dues.onTime indicator.

import type { PrismaClient } from '@dangjian/db';
import type { Tx } from '../activity/record.ts';
import { departmentOf, type DuesSettings, DEFAULT_DUES_SETTINGS, loadDuesDataWhere } from './data.ts';
import { latestDueMonth, memberMonths, type MemberDuesData, type MonthStatement, monthStatement } from './statement.ts';

type Db = PrismaClient | Tx;

export interface SubtreeMember {
  readonly id: string;
  readonly name: string;
  readonly path: string;
}

/** Members of the given subtrees and their dues data from `since` on, plus each department's settings — six statements. */
export async function loadSubtreeDues(db: Db, paths: readonly string[], since: Date) {
  const where = { organization: { OR: paths.map((path) => ({ path: { startsWith: path } })) } };
  const departments = [...new Set(paths.map(departmentOf).filter((d): d is string => d !== null))];
  const [members, data, settings] = await Promise.all([
    db.member.findMany({ where, select: { id: true, name: true, organization: { select: { path: true } } } }),
    loadDuesDataWhere(db, where, since),
    db.duesSetting.findMany({ where: { organizationId: { in: departments } } }),
  ]);
  const settingsOf = new Map<string, DuesSettings>(
    settings.map((s) => [s.organizationId, { dueDay: s.dueDay, retainPercent: s.retainPercent }]),
  );
  return {
    members: members.map((m) => ({ id: m.id, name: m.name, path: m.organization.path })) as SubtreeMember[],
    data,
    settings: (path: string) => settingsOf.get(departmentOf(path) ?? '') ?? DEFAULT_DUES_SETTINGS,
  };
}

/** Sums of a set of member-months that are due. */
export interface CollectionTally {
  /** Member-months due in the period (a member's months from joining). */
  dueMonths: number;
  /** …of which paid in full (exempt months included). */
  settledMonths: number;
  /** …of which paid in full by the due date. */
  onTimeMonths: number;
  /** …with a standard above zero (exempt months do not count for on-time collection). */
  chargeableMonths: number;
  /** …of those, paid in full by the due date. */
  chargeableOnTime: number;
  expectedFen: number;
  paidFen: number;
  voluntaryFen: number;
  owedFen: number;
}

export function emptyTally(): CollectionTally {
  return {
    dueMonths: 0,
    settledMonths: 0,
    onTimeMonths: 0,
    chargeableMonths: 0,
    chargeableOnTime: 0,
    expectedFen: 0,
    paidFen: 0,
    voluntaryFen: 0,
    owedFen: 0,
  };
}

export function addToTally(tally: CollectionTally, s: MonthStatement): void {
  tally.dueMonths += 1;
  if (s.settled) tally.settledMonths += 1;
  if (s.settledOnTime) tally.onTimeMonths += 1;
  if (s.standardFen !== 0) {
    tally.chargeableMonths += 1;
    if (s.settledOnTime) tally.chargeableOnTime += 1;
  }
  tally.expectedFen += s.standardFen ?? 0;
  tally.paidFen += s.paidFen;
  tally.voluntaryFen += s.voluntaryFen;
  tally.owedFen += s.owedFen ?? 0;
}

/** The due statements of a member between two months (both included), as of today. */
export function dueStatements(data: MemberDuesData, from: Date, to: Date, dueDay: number | null, today: Date): MonthStatement[] {
  const last = latestDueMonth(today, dueDay);
  const end = to.getTime() < last.getTime() ? to : last;
  return memberMonths(data.joinedAt, from, end).map((m) => monthStatement(data, m, dueDay, today));
}

/** A share in percent with two decimals (a rate, not money: a float is fine here); null when nothing is due. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 10_000) / whole) / 100;
}
