// 党费缴纳导入: the payments of a collection ledger (党费收缴台账), one payment a row covering one or more
// months, by national ID in the importer's subtree. A payment is the same payment when it is for the same
// member, the same months and the same day: re-importing a ledger adds nothing twice. A payment recorded
// by the old single-month `recordDuesPayment` has no remittance and the day it was entered, not paid: it is
// the same payment as a row for the same member and month(s) with the same amount in each month.

import { randomUUID } from 'node:crypto';
import type { DuesMethod, PrismaClient } from '@dangjian/db';
import type { Tx } from '../activity/record.ts';
import type { Context } from '../context.ts';
import { loadDuesData, lockMembers, refreshMonthStatesOf } from '../dues/data.ts';
import { formatFen, parseFen } from '../dues/standard.ts';
import { monthStandard } from '../dues/statement.ts';
import { isoDate } from '../kit/dates.ts';
import { MAX_PAYMENT_MONTHS } from '../schema/dues-remittance.ts';
import { formatMonth } from '../schema/member-rules.ts';
import type { ColumnSpec, RowReader } from './columns.ts';
import { memberMonthProblem } from './dues-base-import.ts';
import type { ChunkOutcome, ImportKind, ImportOptions } from './engine.ts';
import { splitByExisting } from './existing.ts';
import { type FoundMember, MemberRows } from './member-lookup.ts';

export type DuesPaymentColumn = 'name' | 'nationalId' | 'months' | 'amount' | 'expected' | 'paidAt' | 'method' | 'payerName' | 'note';

/** The columns of the dues payment template, in template order. */
export const DUES_PAYMENT_COLUMNS: readonly ColumnSpec<DuesPaymentColumn>[] = [
  {
    key: 'name',
    header: '姓名',
    aliases: ['name'],
    required: false,
    note: '选填；填写时须与身份证号登记的姓名一致（用于核对）',
    example: '张三',
  },
  {
    key: 'nationalId',
    header: '身份证号',
    aliases: ['公民身份号码', '身份证号码', 'nationalId'],
    required: true,
    note: '必填，党员的 18 位身份证号；党员须已登记在您的管辖范围内',
    example: '110101198503070014',
  },
  {
    key: 'months',
    header: '缴纳月份',
    aliases: ['所属月份', '缴费月份', 'months'],
    required: true,
    note: `必填：一个月（2026-01），多个月（2026-01、2026-02）或区间（2026-01至2026-03），一行最多 ${MAX_PAYMENT_MONTHS} 个月；不早于入党月份，预交最多提前 12 个月`,
    example: '2026-01至2026-03',
  },
  {
    key: 'amount',
    header: '实缴金额（元）',
    aliases: ['实缴金额', '缴纳金额', '金额', 'amount'],
    required: true,
    note: '必填，这次缴纳的合计金额，单位元，最多两位小数；多个月时平均分到各月（须能分到分），不能平均分的请分行填写',
    example: '294.45',
  },
  {
    key: 'expected',
    header: '应缴金额（元）',
    aliases: ['应缴金额', 'expected'],
    required: false,
    note: '选填，用于核对：已核定党费基数的月份，须等于按基数计算的标准（减免后）之和；少于或多于应缴的实缴照常登记（少缴仍欠，多缴为自愿多交）',
    example: '294.45',
  },
  {
    key: 'paidAt',
    header: '缴纳日期',
    aliases: ['缴费日期', '收缴日期', 'paidAt'],
    required: true,
    note: '必填，日期，不晚于今天（按时缴纳按此日期判断）',
    example: '2026-03-05',
  },
  {
    key: 'method',
    header: '缴纳方式',
    aliases: ['缴费方式', 'method'],
    required: false,
    note: '现金、转账 或 线上（微信、支付宝同线上）；不填为“未记录”',
    example: '线上',
  },
  { key: 'payerName', header: '代缴人', aliases: ['payerName'], required: false, note: '他人代缴时填写代缴人姓名', example: '' },
  { key: 'note', header: '备注', aliases: ['note'], required: false, note: '选填，最多 1000 个字', example: '' },
];

const METHODS: Readonly<Record<string, DuesMethod>> = {
  现金: 'CASH',
  转账: 'TRANSFER',
  银行转账: 'TRANSFER',
  线上: 'ONLINE',
  网上: 'ONLINE',
  在线: 'ONLINE',
  微信: 'ONLINE',
  支付宝: 'ONLINE',
  未记录: 'UNKNOWN',
  CASH: 'CASH',
  TRANSFER: 'TRANSFER',
  ONLINE: 'ONLINE',
  UNKNOWN: 'UNKNOWN',
};

const DAY_MS = 86_400_000;

interface PaymentRow {
  reader: RowReader<DuesPaymentColumn>;
  member: FoundMember;
  months: Date[];
  perMonthFen: number;
  totalFen: number;
  expectedFen: number | null;
  paidAt: Date;
  method: DuesMethod;
  payerName: string | null;
  note: string | null;
  /** member, day and months: what makes two rows (or a row and a stored payment) the same payment. */
  key: string;
}

const paymentKey = (memberId: string, paidAt: Date, months: readonly Date[]) =>
  `${memberId}|${isoDate(paidAt)}|${months.map(formatMonth).join(',')}`;

/** The dues payment import (ADMIN or SECRETARY, as payDues). */
export const duesPaymentImport: ImportKind<DuesPaymentColumn> = {
  name: 'dues-payments',
  label: '党费缴纳记录',
  activity: 'dues.paymentsImported',
  tables: ['DuesRemittance', 'DuesPayment'],
  columns: DUES_PAYMENT_COLUMNS,
  instructions: [
    '每行是一笔缴纳（党费收缴台账的一行）：一名党员在某一天缴纳的一个或多个月的党费，如一次补交或预交 3 个月写作 2026-01至2026-03。',
    '同一党员、同一缴纳日期、同样月份的记录视为同一笔：再次导入同一文件不会重复登记，按“已登记记录”选项跳过或更新（更新时以文件中的金额、方式为准）。',
    '按月逐笔登记（旧的单月登记）的党费没有缴纳日期：同一党员、同样月份且每月金额相同的行即视为该笔缴纳，不论缴纳日期。',
    '请先导入党费基数，再导入缴纳记录：填写了应缴金额的行按已核定的基数核对。',
  ],
  start(ctx: Context, options: ImportOptions) {
    const named = new MemberRows<DuesPaymentColumn>(ctx, options.scope.path, { id: 'nationalId', name: 'name' });
    // Single-month payments already matched to a row: two rows of one file never claim the same one.
    const claimed = new Set<string>();
    return async (db: Tx | PrismaClient, readers: RowReader<DuesPaymentColumn>[], write: boolean): Promise<ChunkOutcome> => {
      const parsed = await named.read(db, readers, (reader) => ({
        months: reader.months('months', MAX_PAYMENT_MONTHS),
        amount: reader.money('amount'),
        expected: reader.money('expected', { allowZero: true }),
        paidAt: reader.date('paidAt', { notFuture: true }),
        method: reader.choice('method', METHODS),
        payerName: reader.text('payerName', 50),
        note: reader.text('note', 1000),
      }));
      const rows: PaymentRow[] = [];
      for (const p of parsed) {
        const { reader } = p;
        if (p.months && p.amount && p.amount % p.months.length !== 0) {
          reader.problem('amount', `${formatFen(p.amount)} 元不能平均分到 ${p.months.length} 个月（须精确到分），请按月分行填写`);
        }
        const member = named.member(p);
        if (!member || !p.months) continue;
        for (const month of p.months) {
          const problem = memberMonthProblem(month, member.joinedAt);
          if (problem) {
            reader.problem('months', `${formatMonth(month)}${problem}`);
            break;
          }
        }
        if (reader.problems.length > 0 || !p.amount || !p.paidAt || p.method === undefined) continue;
        if (p.expected === undefined || p.payerName === undefined || p.note === undefined) continue;
        const key = paymentKey(member.id, p.paidAt, p.months);
        const first = named.earlier(key, reader.row);
        if (first !== undefined) {
          reader.problem(null, `与第 ${first} 行是同一笔缴纳（同一党员、同一日期、同样的月份）`);
          continue;
        }
        rows.push({
          reader,
          member,
          months: p.months,
          perMonthFen: p.amount / p.months.length,
          totalFen: p.amount,
          expectedFen: p.expected,
          paidAt: p.paidAt,
          method: p.method ?? 'UNKNOWN',
          payerName: p.payerName,
          note: p.note,
          key,
        });
      }
      const outcome: ChunkOutcome = { created: 0, updated: 0, skipped: 0 };
      if (rows.length === 0) return outcome;
      const memberIds = [...new Set(rows.map((r) => r.member.id))];
      if (write) await lockMembers(db as Tx, memberIds);

      // 应缴金额 is checked against the standard the dues module computes from the stored bases and reductions.
      const checked = rows.filter((r) => r.expectedFen !== null);
      const dues = checked.length > 0 ? await loadDuesData(db, [...new Set(checked.map((r) => r.member.id))]) : new Map();
      const accepted: PaymentRow[] = [];
      for (const r of rows) {
        if (r.expectedFen !== null) {
          const data = dues.get(r.member.id)!;
          const standards = r.months.map((m) => monthStandard(data, m).standardFen);
          if (standards.every((s) => s !== null)) {
            const sum = standards.reduce((a: number, s) => a + s!, 0);
            if (sum !== r.expectedFen) {
              r.reader.problem('expected', `与按党费基数计算的应缴金额（${formatFen(sum)} 元）不一致`);
              continue;
            }
          }
        }
        accepted.push(r);
      }

      const days = [...new Set(accepted.map((r) => isoDate(r.paidAt)))].map((d) => new Date(`${d}T00:00:00Z`));
      const stored = accepted.length
        ? await db.duesRemittance.findMany({
            where: {
              memberId: { in: [...new Set(accepted.map((r) => r.member.id))] },
              OR: days.map((d) => ({ paidAt: { gte: d, lt: new Date(d.getTime() + DAY_MS) } })),
            },
            select: { id: true, memberId: true, paidAt: true, payments: { select: { month: true }, orderBy: { month: 'asc' } } },
          })
        : [];
      const byKey = new Map(
        stored.map((s) => [
          paymentKey(
            s.memberId,
            s.paidAt,
            s.payments.map((p) => p.month),
          ),
          s.id,
        ]),
      );
      const single = await singleMonthPayments(
        db,
        accepted.filter((r) => !byKey.has(r.key)),
        claimed,
      );
      const touched: string[] = [];
      const actorId = ctx.viewer?.userId ?? null;
      const remit = async (rows: readonly PaymentRow[]) => {
        const ids = rows.map(() => randomUUID());
        await db.duesRemittance.createMany({
          data: rows.map((r, i) => ({
            id: ids[i]!,
            memberId: r.member.id,
            totalFen: r.totalFen,
            method: r.method,
            payerName: r.payerName,
            paidAt: r.paidAt,
            note: r.note,
            actorId,
          })),
        });
        await db.duesPayment.createMany({ data: rows.flatMap((r, i) => paymentRows(r, ids[i]!)) });
        touched.push(...rows.map((r) => r.member.id));
      };
      const creates = await splitByExisting<PaymentRow, Stored>(
        accepted,
        (r) => {
          const id = byKey.get(r.key);
          return id !== undefined ? { remittance: id } : single.get(r);
        },
        options,
        write,
        outcome,
        async (r, stored) => {
          if ('parts' in stored) {
            // The file's line replaces the single-month parts: one remittance with its day, method and amounts.
            await db.duesPayment.deleteMany({ where: { id: { in: stored.parts }, remittanceId: null } });
            await remit([r]);
            return;
          }
          const id = stored.remittance;
          await db.duesPayment.deleteMany({ where: { remittanceId: id } });
          await db.duesRemittance.update({
            where: { id },
            data: { totalFen: r.totalFen, method: r.method, payerName: r.payerName, note: r.note, actorId },
          });
          await db.duesPayment.createMany({ data: paymentRows(r, id) });
          touched.push(r.member.id);
        },
      );
      if (write && creates.length > 0) await remit(creates);
      outcome.created += creates.length;
      if (write) await refreshMonthStatesOf(db as Tx, touched);
      return outcome;
    };
  },
};

/** What a row is already stored as: a remittance (an earlier import, payDues), or single-month parts. */
type Stored = { remittance: string } | { parts: string[] };

/**
 * The rows that are payments recorded by `recordDuesPayment` (parts without a remittance, stamped with the
 * day they were entered): each of the row's months holds such a part of exactly the row's amount for a
 * month, not yet claimed by another row of the file. The day is not compared — the mutation never took one.
 */
async function singleMonthPayments(
  db: Tx | PrismaClient,
  rows: readonly PaymentRow[],
  claimed: Set<string>,
): Promise<Map<PaymentRow, { parts: string[] }>> {
  const found = new Map<PaymentRow, { parts: string[] }>();
  if (rows.length === 0) return found;
  const parts = await db.duesPayment.findMany({
    where: {
      remittanceId: null,
      memberId: { in: [...new Set(rows.map((r) => r.member.id))] },
      month: { in: [...new Set(rows.flatMap((r) => r.months.map((m) => m.getTime())))].map((t) => new Date(t)) },
    },
    select: { id: true, memberId: true, month: true, amount: true },
    orderBy: { id: 'asc' },
  });
  const byMonth = new Map<string, { id: string; fen: number }[]>();
  for (const p of parts) {
    const key = `${p.memberId}|${formatMonth(p.month)}`;
    byMonth.set(key, [...(byMonth.get(key) ?? []), { id: p.id, fen: parseFen(p.amount.toFixed(2))! }]);
  }
  for (const r of rows) {
    const ids = r.months.map(
      (m) => byMonth.get(`${r.member.id}|${formatMonth(m)}`)?.find((p) => p.fen === r.perMonthFen && !claimed.has(p.id))?.id,
    );
    if (ids.some((id) => id === undefined)) continue;
    for (const id of ids) claimed.add(id!);
    found.set(r, { parts: ids as string[] });
  }
  return found;
}

function paymentRows(r: PaymentRow, remittanceId: string) {
  return r.months.map((month) => ({
    memberId: r.member.id,
    month,
    amount: formatFen(r.perMonthFen),
    paidAt: r.paidAt,
    remittanceId,
  }));
}
