// Reading and keeping dues data: the rows a statement needs for many members in a fixed number of
// statements, the month states kept in step with every write, and a department's settings.

import { Prisma, type PrismaClient } from '@dangjian/db';
import type { Tx } from '../activity/record.ts';
import { type MemberDuesData, monthStates } from './statement.ts';
import { parseFen } from './standard.ts';

type Db = PrismaClient | Tx;

/** A Decimal(10,2) amount as fen (its string form is exact). */
export function decimalToFen(amount: Prisma.Decimal): number {
  return parseFen(amount.toFixed(2)) ?? 0;
}

/**
 * Dues data of many members — bases, reductions, payments (from `since` on, when given) — in four
 * statements whatever the number of members. Members not found are absent from the map.
 */
export async function loadDuesData(db: Db, memberIds: readonly string[], since?: Date): Promise<Map<string, MemberDuesData>> {
  return loadDuesDataWhere(db, { id: { in: [...new Set(memberIds)] } }, since);
}

/**
 * Dues data of the members a filter selects (e.g. a subtree by path, which no id list of a large
 * department fits into), in four statements.
 */
export async function loadDuesDataWhere(db: Db, where: Prisma.MemberWhereInput, since?: Date): Promise<Map<string, MemberDuesData>> {
  const [members, bases, reductions, payments] = await Promise.all([
    db.member.findMany({ where, select: { id: true, joinedAt: true } }),
    db.duesBase.findMany({ where: { member: where }, orderBy: { effectiveFrom: 'asc' } }),
    db.duesReduction.findMany({ where: { member: where } }),
    db.duesPayment.findMany({
      where: { member: where, ...(since ? { month: { gte: since } } : {}) },
      select: { memberId: true, month: true, amount: true, paidAt: true },
    }),
  ]);
  const map = new Map<string, { joinedAt: Date; bases: any[]; reductions: any[]; payments: any[] }>();
  for (const m of members) map.set(m.id, { joinedAt: m.joinedAt, bases: [], reductions: [], payments: [] });
  for (const b of bases) map.get(b.memberId)?.bases.push(b);
  for (const r of reductions) map.get(r.memberId)?.reductions.push(r);
  for (const p of payments) map.get(p.memberId)?.payments.push({ month: p.month, amountFen: decimalToFen(p.amount), paidAt: p.paidAt });
  return map as Map<string, MemberDuesData>;
}

/**
 * Rewrites a member's month states from their dues data, inside the write's transaction: every write
 * that changes a payment, a base or a reduction calls it, so the arrears anti-join never disagrees
 * with the statements.
 */
export async function refreshMonthStates(tx: Tx, memberId: string): Promise<void> {
  await refreshMonthStatesOf(tx, [memberId]);
}

/** `refreshMonthStates` for many members at once (an import's chunk), in a fixed number of statements. */
export async function refreshMonthStatesOf(tx: Tx, memberIds: readonly string[]): Promise<void> {
  const ids = [...new Set(memberIds)];
  if (ids.length === 0) return;
  const data = await loadDuesData(tx, ids);
  await tx.duesMonthState.deleteMany({ where: { memberId: { in: ids } } });
  const rows = [...data].flatMap(([memberId, d]) => monthStates(d).map((s) => ({ memberId, ...s })));
  if (rows.length > 0) await tx.duesMonthState.createMany({ data: rows });
  // The unsettled runs follow the states (the database function shared with the migration and the seed).
  // One call for all of them: two statements (and two updates of the arrears rollup), not two per member.
  await tx.$queryRaw`SELECT dues_rebuild_runs_of(${ids}::text[])::text`;
}

/** The department (top-level organization) id of a path `/rootId/…`; null for a path outside the tree. */
export function departmentOf(path: string): string | null {
  const id = path.split('/')[1];
  return id && id !== '~' ? id : null;
}

export interface DuesSettings {
  readonly dueDay: number | null;
  readonly retainPercent: number;
}

export const DEFAULT_DUES_SETTINGS: DuesSettings = { dueDay: null, retainPercent: 0 };

/** The dues settings of the department a path lies in (defaults when none are stored). */
export async function duesSettingsOf(db: Db, path: string): Promise<DuesSettings> {
  const department = departmentOf(path);
  if (!department) return DEFAULT_DUES_SETTINGS;
  const row = await db.duesSetting.findUnique({ where: { organizationId: department } });
  return row ? { dueDay: row.dueDay, retainPercent: row.retainPercent } : DEFAULT_DUES_SETTINGS;
}

/**
 * Locks a member's row for the rest of the transaction, so two dues writes for one member run one after
 * the other (a check-then-insert, like "no overlapping reduction", cannot race).
 */
export async function lockMember(tx: Tx, memberId: string): Promise<void> {
  await lockMembers(tx, [memberId]);
}

/** `lockMember` for many members, in id order (two imports locking overlapping members cannot deadlock). */
export async function lockMembers(tx: Tx, memberIds: readonly string[]): Promise<void> {
  const ids = [...new Set(memberIds)].sort();
  if (ids.length > 0) await tx.$queryRaw`SELECT 1 FROM "Member" WHERE id IN (${Prisma.join(ids)}) ORDER BY id FOR UPDATE`;
}
