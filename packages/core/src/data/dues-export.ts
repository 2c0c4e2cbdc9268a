// 党费导出 — the dues ledger (each member's months: base, standard, paid, owed) and the arrears list, page by
// page of members (keyset on id) with the dues rows of a page read in four statements: a 100k-member
// department never sits whole in memory. The rules are the API's (dues/statement.ts): money is integer fen
// until the cell, written as yuan with two decimals. The arrears list carries phones: masked unless in
// clear (ADMIN or SECRETARY, each page recorded as clear reads before it is handed out), as the roster.

import type { DuesCategory, Prisma } from '@dangjian/db';
import { recordClearReads } from '../audit/clear-reads.ts';
import { requireViewer } from '../auth/subtree.ts';
import { hasRole } from '../auth/viewer.ts';
import type { Context } from '../context.ts';
import { loadDuesData, duesSettingsOf } from '../dues/data.ts';
import { monthArg } from '../dues/input.ts';
import { formatFen } from '../dues/standard.ts';
import { basisFor, type DuesMonthStatus, dueWindow, memberMonths, monthStatement } from '../dues/statement.ts';
import { ForbiddenError, InputError } from '../errors/errors.ts';
import { utcToday } from '../kit/dates.ts';
import { MAX_STATEMENT_MONTHS } from '../schema/dues-month.ts';
import { ON_ROLL } from '../schema/member-lifecycle-rules.ts';
import { CLEAR_READ_AUDIT } from '../schema/member-privacy.ts';
import { arrearsWhere, checkArrearsMonths, DEFAULT_ARREARS_MONTHS } from '../schema/member-queries.ts';
import { addMonths, formatMonth, maskPhone, monthStart } from '../schema/member-rules.ts';
import type { ExportPages } from './export.ts';
import type { Cell } from './rows.ts';

/** Members per page: a ledger page is up to 36 rows per member. */
const PAGE = 500;
const YUAN = '0.00';

const CATEGORIES: Record<DuesCategory, string> = {
  EMPLOYED: '在职',
  RETIRED: '离退休',
  ANNUAL_SALARY: '年薪制',
  FARMER: '农民',
  STUDENT: '学生',
  UNEMPLOYED: '下岗失业',
  SUBSISTENCE: '享受低保',
};
const STATUSES: Record<DuesMonthStatus, string> = { PAID: '已缴', UNDERPAID: '少缴', UNPAID: '未缴', EXEMPT: '免交', NOT_DUE: '未到期' };

/**
 * Yuan as an Excel number: `formatFen` gives the exact decimal and its shortest double prints back as the
 * same digits, so the cell holds `12.34`, never `12.339999`.
 */
const yuan = (fen: number | null): number | null => (fen === null ? null : Number(formatFen(fen)));

const memberSelect = {
  id: true,
  name: true,
  phone: true,
  organization: { select: { id: true, path: true, code: true, name: true } },
} as const satisfies Prisma.MemberSelect;

/** On-roll members matching `where`, a page at a time in id order. */
async function* memberPages(ctx: Context, where: Prisma.MemberWhereInput) {
  let cursor: string | undefined;
  for (;;) {
    const members = await ctx.db.member.findMany({
      where: { AND: [where, { standing: { in: [...ON_ROLL] } }], ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: 'asc' },
      take: PAGE,
      select: memberSelect,
    });
    if (members.length === 0) return;
    cursor = members.at(-1)!.id;
    yield members;
    if (members.length < PAGE) return;
  }
}

export const DUES_LEDGER_HEADERS = [
  '组织代码',
  '组织名称',
  '姓名',
  '月份',
  '类别',
  '缴费基数（元）',
  '应缴（元）',
  '实缴（元）',
  '欠缴（元）',
  '状态',
  '减免',
] as const;

/**
 * 党费明细台账 — one row per on-roll member under `path` and month from `from` to `to` (`YYYY-MM`; default
 * January of this year to this month; at most 36 months), skipping months before the member joined. The
 * base is the monthly salary base (or a farmer's fixed amount) in force; 欠缴 is what a due month still owes
 * (empty when it has no standard to owe).
 */
export async function duesLedgerExport(
  ctx: Context,
  path: string,
  options: { from: string | null; to: string | null },
): Promise<ExportPages> {
  requireViewer(ctx);
  const today = utcToday();
  const from = options.from ? monthArg(options.from, 'from') : new Date(Date.UTC(today.getUTCFullYear(), 0, 1));
  const to = options.to ? monthArg(options.to, 'to') : monthStart(today);
  if (to.getTime() < from.getTime()) throw new InputError('to', 'must not be before from');
  if (to.getTime() > addMonths(from, MAX_STATEMENT_MONTHS - 1).getTime())
    throw new InputError('to', `must be at most ${MAX_STATEMENT_MONTHS} months after from`);
  const { dueDay } = await duesSettingsOf(ctx.db, path);
  async function* pages(): AsyncGenerator<Cell[][]> {
    for await (const members of memberPages(ctx, { organization: { path: { startsWith: path } } })) {
      const data = await loadDuesData(
        ctx.db,
        members.map((m) => m.id),
        from,
      );
      yield members.flatMap((m) => {
        const dues = data.get(m.id);
        if (!dues) return [];
        return memberMonths(dues.joinedAt, from, to).map((month) => {
          const s = monthStatement(dues, month, dueDay, today);
          const basis = basisFor(dues.bases, month);
          return [
            m.organization.code,
            m.organization.name,
            m.name,
            formatMonth(month),
            s.category ? CATEGORIES[s.category] : null,
            yuan(basis ? (basis.baseFen ?? basis.fixedFen) : null),
            yuan(s.standardFen),
            yuan(s.paidFen),
            s.due && !s.settled ? yuan(s.owedFen) : 0,
            STATUSES[s.status],
            s.reduced ? '是' : '否',
          ];
        });
      });
    }
  }
  return { headers: DUES_LEDGER_HEADERS, formats: { 5: YUAN, 6: YUAN, 7: YUAN, 8: YUAN }, pages: pages() };
}

export const DUES_ARREARS_HEADERS = ['组织代码', '组织名称', '姓名', '手机号', '欠缴月数', '欠缴金额（元）', '欠缴月份'] as const;

/**
 * 欠缴党费名单 — the on-roll members under `path` with an owed month among the last `months` due months
 * (default 3, as the members filter `inArrears`), with the months and the amount owed (months without a standard count
 * but add nothing). Phones masked unless `clear` (ADMIN or SECRETARY, recorded as clear reads).
 */
export async function duesArrearsExport(
  ctx: Context,
  path: string,
  options: { clear: boolean; months: string | null },
): Promise<ExportPages> {
  const viewer = requireViewer(ctx);
  if (options.clear && !hasRole(viewer, 'ADMIN', 'SECRETARY'))
    throw new ForbiddenError('exporting phones in clear requires the ADMIN or SECRETARY role');
  const raw = options.months ?? String(DEFAULT_ARREARS_MONTHS);
  const months = checkArrearsMonths(/^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN, 'months');
  const today = utcToday();
  const { dueDay } = await duesSettingsOf(ctx.db, path);
  const window = dueWindow(today, dueDay, months);
  async function* pages(): AsyncGenerator<Cell[][]> {
    const where = { AND: [{ organization: { path: { startsWith: path } } }, arrearsWhere(true, months, dueDay, today)] };
    for await (const members of memberPages(ctx, where)) {
      const data = await loadDuesData(
        ctx.db,
        members.map((m) => m.id),
        window[0],
      );
      const rows = members.flatMap((m) => {
        const dues = data.get(m.id);
        if (!dues) return [];
        const owing = memberMonths(dues.joinedAt, window[0]!, window.at(-1)!)
          .map((month) => monthStatement(dues, month, dueDay, today))
          .filter((s) => s.due && !s.settled);
        if (owing.length === 0) return [];
        return [{ member: m, owing }];
      });
      if (options.clear) {
        // Fail closed: the page goes out only once its clear reads are on record.
        await recordClearReads(
          ctx,
          CLEAR_READ_AUDIT,
          rows.flatMap(({ member }) => (member.phone === null ? [] : [{ subject: member, fields: ['phone'] as const }])),
        );
      }
      yield rows.map(({ member, owing }) => [
        member.organization.code,
        member.organization.name,
        member.name,
        member.phone === null ? null : options.clear ? member.phone : maskPhone(member.phone),
        owing.length,
        yuan(owing.reduce((sum, s) => sum + (s.owedFen ?? 0), 0)),
        owing.map((s) => formatMonth(s.month)).join('、'),
      ]);
    }
  }
  return { headers: DUES_ARREARS_HEADERS, formats: { 4: '0', 5: YUAN }, pages: pages() };
}
