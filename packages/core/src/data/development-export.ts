// 发展党员台账 — the development pipeline of a subtree, one row per person: the step reached, its dates,
// the contacts and introducers named, and the next deadline by the rules of 《发展党员工作细则》
// (development-rules.ts, as `developmentDue` reads them). Page by page (keyset on id), the steps of a page
// in one statement. The national ID is masked unless in clear (ADMIN or SECRETARY), recorded page by page
// as clear reads before the page is handed out, as the roster's.

import { DevelopmentState } from '@dangjian/db';
import { type ClearReadAudit, recordClearReads } from '../audit/clear-reads.ts';
import { requireViewer } from '../auth/subtree.ts';
import { hasRole } from '../auth/viewer.ts';
import type { Context } from '../context.ts';
import { ForbiddenError, InputError } from '../errors/errors.ts';
import { utcToday } from '../kit/dates.ts';
import { openNationalId } from '../privacy/national-id.ts';
import { dueOf } from '../schema/development-queries.ts';
import { STAGE_NAMES, stageOf, stepSpec } from '../schema/development-rules.ts';
import { maskNationalId } from '../schema/member-rules.ts';
import type { ExportPages } from './export.ts';
import type { Cell } from './rows.ts';

const PAGE = 1000;
/** The steps that name 培养联系人 and 入党介绍人. */
const CONTACT_STEP = 5;
const INTRODUCER_STEP = 9;

/** Clear reads of a development record's national ID: for auditors, as the members'. */
export const DEVELOPMENT_CLEAR_READ_AUDIT: ClearReadAudit<'nationalId'> = {
  kind: 'development.personalDataRead',
  subjectType: 'DevelopmentRecord',
  subjectLabel: '发展对象',
  fieldLabels: { nationalId: '身份证号' },
};

const STATES: Record<DevelopmentState, string> = {
  ACTIVE: '进行中',
  COMPLETED: '已完成',
  ENDED: '已终止',
  CANCELLED: '已取消预备党员资格',
};

export const DEVELOPMENT_EXPORT_HEADERS = [
  '组织代码',
  '组织名称',
  '姓名',
  '性别',
  '出生日期',
  '身份证号',
  '状态',
  '发展阶段',
  '当前步骤',
  '步骤名称',
  '步骤日期',
  '申请日期',
  '培养联系人',
  '入党介绍人',
  '预备期满',
  '下一到期步骤',
  '到期日期',
  '是否超期',
  '依据',
] as const;

/** The `state` argument: comma-separated DevelopmentState values; ACTIVE when absent, as the pipeline query. */
function statesArg(value: string | null): DevelopmentState[] {
  if (!value) return ['ACTIVE'];
  const states = value.split(',').map((s) => s.trim());
  for (const state of states) {
    if (!(state in DevelopmentState))
      throw new InputError('state', `must be a comma-separated list of ${Object.keys(DevelopmentState).join(', ')}`);
  }
  return [...new Set(states)] as DevelopmentState[];
}

/** The development records under `path` in the states asked for, masked unless `clear`. */
export function developmentExport(ctx: Context, path: string, options: { clear: boolean; state: string | null }): ExportPages {
  const viewer = requireViewer(ctx);
  if (options.clear && !hasRole(viewer, 'ADMIN', 'SECRETARY'))
    throw new ForbiddenError('exporting national IDs in clear requires the ADMIN or SECRETARY role');
  const states = statesArg(options.state);
  const today = utcToday();
  async function* pages(): AsyncGenerator<Cell[][]> {
    let cursor: string | undefined;
    for (;;) {
      const records = await ctx.db.developmentRecord.findMany({
        where: { organization: { path: { startsWith: path } }, state: { in: states }, ...(cursor ? { id: { gt: cursor } } : {}) },
        orderBy: { id: 'asc' },
        take: PAGE,
        include: { organization: { select: { id: true, path: true, code: true, name: true } } },
      });
      if (records.length === 0) return;
      cursor = records.at(-1)!.id;
      const entries = await ctx.db.developmentEntry.findMany({
        where: { recordId: { in: records.map((r) => r.id) }, kind: 'STEP' },
        select: {
          recordId: true,
          step: true,
          date: true,
          people: { orderBy: { position: 'asc' }, select: { externalName: true, member: { select: { name: true } } } },
        },
        orderBy: [{ date: 'asc' }, { createdAt: 'asc' }],
      });
      const byRecord = new Map(records.map((r) => [r.id, [] as typeof entries]));
      for (const entry of entries) byRecord.get(entry.recordId)!.push(entry);
      // The people of the latest entry of a step (a contact may be replaced by recording the step again).
      const named = (steps: typeof entries, step: number) =>
        steps
          .findLast((e) => e.step === step)
          ?.people.map((p) => p.member?.name ?? p.externalName ?? '')
          .join('、') ?? null;
      if (options.clear) {
        await recordClearReads(
          ctx,
          DEVELOPMENT_CLEAR_READ_AUDIT,
          records.map((r) => ({ subject: r, fields: ['nationalId'] as const })),
        );
      }
      yield records.map((r) => {
        const steps = byRecord.get(r.id)!;
        const id = openNationalId(ctx, r.nationalId, 'DevelopmentRecord.nationalId');
        const due = dueOf({ ...r, entries: steps }, today);
        return [
          r.organization.code,
          r.organization.name,
          r.name,
          r.gender === 'MALE' ? '男' : '女',
          r.birthDate,
          id === null ? null : options.clear ? id : maskNationalId(id),
          STATES[r.state],
          STAGE_NAMES[stageOf(r.step)],
          r.step,
          stepSpec(r.step).name,
          r.stepDate,
          r.appliedAt,
          named(steps, CONTACT_STEP),
          named(steps, INTRODUCER_STEP),
          r.probationEndsAt,
          due ? `${due.step} ${stepSpec(due.step).name}` : null,
          due?.dueBy ?? null,
          due ? (due.overdue ? '是' : '否') : null,
          due?.rule ?? null,
        ];
      });
      if (records.length < PAGE) return;
    }
  }
  return { headers: DEVELOPMENT_EXPORT_HEADERS, formats: { 8: '0' }, pages: pages() };
}
