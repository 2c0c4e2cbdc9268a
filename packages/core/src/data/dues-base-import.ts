// 党费基数导入: each member's category and monthly base from a month on (the yearly 核定), by national ID
// in the importer's subtree. The standard and the rules of a basis are the dues module's own
// (monthlyStandardFen, basisProblem); amounts are parsed from their decimal text into integer fen.

import type { DuesCategory, PrismaClient } from '@dangjian/db';
import type { Tx } from '../activity/record.ts';
import type { Context } from '../context.ts';
import { lockMembers, refreshMonthStatesOf } from '../dues/data.ts';
import { AHEAD_MONTHS } from '../dues/input.ts';
import { basisProblem, FARMER_MAX_FEN, FARMER_MIN_FEN, formatFen, monthlyStandardFen, SALARY_CATEGORIES } from '../dues/standard.ts';
import { utcToday } from '../kit/dates.ts';
import { addMonths, formatMonth, monthStart } from '../schema/member-rules.ts';
import type { ColumnSpec, RowReader } from './columns.ts';
import type { ChunkOutcome, ImportKind, ImportOptions } from './engine.ts';
import { splitByExisting } from './existing.ts';
import { type FoundMember, MemberRows } from './member-lookup.ts';

export type DuesBaseColumn = 'name' | 'nationalId' | 'category' | 'effectiveFrom' | 'monthlyBase' | 'fixedAmount' | 'standard' | 'note';

export const DUES_CATEGORY_NAMES: Readonly<Record<string, DuesCategory>> = {
  在职: 'EMPLOYED',
  在职党员: 'EMPLOYED',
  离退休: 'RETIRED',
  离休: 'RETIRED',
  退休: 'RETIRED',
  离退休党员: 'RETIRED',
  年薪制: 'ANNUAL_SALARY',
  农民: 'FARMER',
  农民党员: 'FARMER',
  学生: 'STUDENT',
  学生党员: 'STUDENT',
  下岗失业: 'UNEMPLOYED',
  失业: 'UNEMPLOYED',
  享受低保: 'SUBSISTENCE',
  低保: 'SUBSISTENCE',
  EMPLOYED: 'EMPLOYED',
  RETIRED: 'RETIRED',
  ANNUAL_SALARY: 'ANNUAL_SALARY',
  FARMER: 'FARMER',
  STUDENT: 'STUDENT',
  UNEMPLOYED: 'UNEMPLOYED',
  SUBSISTENCE: 'SUBSISTENCE',
};
const CATEGORY_LABELS: Record<DuesCategory, string> = {
  EMPLOYED: '在职',
  RETIRED: '离退休',
  ANNUAL_SALARY: '年薪制',
  FARMER: '农民',
  STUDENT: '学生',
  UNEMPLOYED: '下岗失业',
  SUBSISTENCE: '享受低保',
};

/** The columns of the dues base template, in template order. */
export const DUES_BASE_COLUMNS: readonly ColumnSpec<DuesBaseColumn>[] = [
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
    key: 'category',
    header: '计缴类别',
    aliases: ['党费类别', '人员类型', 'category'],
    required: true,
    note: '在职、离退休、年薪制、农民、学生、下岗失业 或 享受低保',
    example: '在职',
  },
  {
    key: 'effectiveFrom',
    header: '起始月份',
    aliases: ['执行月份', '核定年度', '年度', 'effectiveFrom'],
    required: true,
    note: `必填，如 2026-01；只写年度（2026）时自该年 1 月起；不早于入党月份，最多提前 ${AHEAD_MONTHS} 个月`,
    example: '2026-01',
  },
  {
    key: 'monthlyBase',
    header: '月工资基数（元）',
    aliases: ['月工资基数', '计缴基数', '党费基数', 'monthlyBase'],
    required: false,
    note: '在职、离退休、年薪制必填：每月税后工资收入，单位元，最多两位小数；其他类别不填',
    example: '6543.21',
  },
  {
    key: 'fixedAmount',
    header: '定额（元）',
    aliases: ['定额', '每月定额', 'fixedAmount'],
    required: false,
    note: `农民必填：每月 ${formatFen(FARMER_MIN_FEN)}–${formatFen(FARMER_MAX_FEN)} 元；其他类别不填`,
    example: '',
  },
  {
    key: 'standard',
    header: '月缴标准（元）',
    aliases: ['月缴党费', '每月应缴', '应缴金额', 'standard'],
    required: false,
    note: '选填，用于核对：填写时须等于按基数和比例计算的标准（四舍五入到分），不一致的行被拒绝',
    example: '98.15',
  },
  {
    key: 'note',
    header: '备注',
    aliases: ['note'],
    required: false,
    note: '选填，最多 200 个字，如 2026年度核定',
    example: '2026年度核定',
  },
];

interface BaseRow {
  reader: RowReader<DuesBaseColumn>;
  member: FoundMember;
  category: DuesCategory;
  baseFen: number | null;
  fixedFen: number | null;
  effectiveFrom: Date;
  note: string | null;
}

/** Why a basis does not fit its category, in the words of the template (the rule itself is basisProblem's). */
function basisMessage(category: DuesCategory, field: 'monthlyBase' | 'fixedAmount', given: boolean): string {
  const label = CATEGORY_LABELS[category];
  if (!given) return `计缴类别为${label}时必须填写`;
  if (field === 'fixedAmount' && category === 'FARMER') return `应在 ${formatFen(FARMER_MIN_FEN)} 至 ${formatFen(FARMER_MAX_FEN)} 元之间`;
  if (field === 'monthlyBase' && SALARY_CATEGORIES.includes(category)) return '应大于零';
  return `计缴类别为${label}时不填`;
}

/** Checks a dues month against the member's joining and the advance limit (the rule of checkMemberMonth, in Chinese). */
export function memberMonthProblem(month: Date, joinedAt: Date): string | null {
  if (month.getTime() < monthStart(joinedAt).getTime()) return `早于入党月份（${formatMonth(joinedAt)}）`;
  if (month.getTime() > addMonths(monthStart(utcToday()), AHEAD_MONTHS).getTime()) return `最多提前 ${AHEAD_MONTHS} 个月`;
  return null;
}

/** The dues base import (ADMIN or SECRETARY, as setDuesBase). */
export const duesBaseImport: ImportKind<DuesBaseColumn> = {
  name: 'dues-bases',
  label: '党费基数',
  activity: 'dues.basesImported',
  tables: ['DuesBase'],
  columns: DUES_BASE_COLUMNS,
  instructions: [
    '每行是一名党员自某月起的党费计缴类别和基数（如每年一次的核定）；一名党员可有多行（不同起始月份），最新的不晚于某月的一行适用于该月。',
    '月缴标准按《关于中国共产党党费收缴、使用和管理的规定》计算：在职 3000 元及以下 0.5%，3000–5000 元 1%，5000–10000 元 1.5%，10000 元以上 2%；离退休 5000 元及以下 0.5%，以上 1%；学生、下岗失业、享受低保每月 0.20 元。',
    '再次导入同一文件不会重复登记：同一党员同一起始月份已有基数时，按“已登记记录”选项跳过或更新。',
  ],
  start(ctx: Context, options: ImportOptions) {
    // Keyed by (member, month): a second row for it is a duplicate in the file.
    const named = new MemberRows<DuesBaseColumn>(ctx, options.scope.path, { id: 'nationalId', name: 'name' });
    return async (db: Tx | PrismaClient, readers: RowReader<DuesBaseColumn>[], write: boolean): Promise<ChunkOutcome> => {
      const parsed = await named.read(db, readers, (reader) => ({
        category: reader.choice('category', DUES_CATEGORY_NAMES),
        effectiveFrom: reader.month('effectiveFrom', { year: true }),
        baseFen: reader.money('monthlyBase'),
        fixedFen: reader.money('fixedAmount'),
        standardFen: reader.money('standard'),
        note: reader.text('note', 200),
      }));
      const rows: BaseRow[] = [];
      for (const p of parsed) {
        const { reader } = p;
        if (p.category) {
          const basis = { category: p.category, baseFen: p.baseFen ?? null, fixedFen: p.fixedFen ?? null };
          const problem = p.baseFen === undefined || p.fixedFen === undefined ? null : basisProblem(basis);
          if (problem)
            reader.problem(
              problem.field,
              basisMessage(p.category, problem.field, basis[problem.field === 'monthlyBase' ? 'baseFen' : 'fixedFen'] !== null),
            );
          else if (p.standardFen != null && p.baseFen !== undefined && p.fixedFen !== undefined) {
            const standard = monthlyStandardFen(basis);
            if (standard !== p.standardFen) reader.problem('standard', `与按基数计算的月缴标准（${formatFen(standard)} 元）不一致`);
          }
        }
        const member = named.member(p);
        if (!member || !p.effectiveFrom) continue;
        const monthProblem = memberMonthProblem(p.effectiveFrom, member.joinedAt);
        if (monthProblem) reader.problem('effectiveFrom', monthProblem);
        if (reader.problems.length > 0 || !p.category || p.note === undefined) continue;
        const key = `${member.id}:${formatMonth(p.effectiveFrom)}`;
        const first = named.earlier(key, reader.row);
        if (first !== undefined) {
          reader.problem('effectiveFrom', `与第 ${first} 行重复（同一党员同一起始月份只能有一条基数）`);
          continue;
        }
        rows.push({
          reader,
          member,
          category: p.category,
          baseFen: p.baseFen ?? null,
          fixedFen: p.fixedFen ?? null,
          effectiveFrom: p.effectiveFrom,
          note: p.note,
        });
      }
      const outcome: ChunkOutcome = { created: 0, updated: 0, skipped: 0 };
      if (rows.length === 0) return outcome;
      if (write)
        await lockMembers(
          db as Tx,
          rows.map((r) => r.member.id),
        );
      const stored = await db.duesBase.findMany({
        where: { OR: rows.map((r) => ({ memberId: r.member.id, effectiveFrom: r.effectiveFrom })) },
        select: { id: true, memberId: true, effectiveFrom: true },
      });
      const byKey = new Map(stored.map((b) => [`${b.memberId}:${formatMonth(b.effectiveFrom)}`, b.id]));
      const touched: string[] = [];
      const actorId = ctx.viewer?.userId ?? null;
      const creates = await splitByExisting(
        rows,
        (r) => byKey.get(`${r.member.id}:${formatMonth(r.effectiveFrom)}`),
        options,
        write,
        outcome,
        async (r, id) => {
          await db.duesBase.update({
            where: { id },
            data: { category: r.category, baseFen: r.baseFen, fixedFen: r.fixedFen, note: r.note, actorId },
          });
          touched.push(r.member.id);
        },
      );
      if (write && creates.length > 0) {
        await db.duesBase.createMany({
          data: creates.map((r) => ({
            memberId: r.member.id,
            category: r.category,
            baseFen: r.baseFen,
            fixedFen: r.fixedFen,
            effectiveFrom: r.effectiveFrom,
            note: r.note,
            actorId,
          })),
        });
        touched.push(...creates.map((r) => r.member.id));
      }
      outcome.created += creates.length;
      if (write) await refreshMonthStatesOf(db as Tx, touched);
      return outcome;
    };
  },
};
