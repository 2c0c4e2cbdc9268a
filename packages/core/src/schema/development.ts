import { DevelopmentEntryKind, DevelopmentState } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { organizationScope } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { openNationalId } from '../privacy/national-id.ts';
import { registerDevelopmentMutations } from './development-mutations.ts';
import { registerDevelopmentQueries } from './development-queries.ts';
import { DEVELOPMENT_STAGES, type DevelopmentStage, allowedNext, stageOf, STAGE_NAMES, stepSpec } from './development-rules.ts';
import { decodeId } from './global-id.ts';
import { maskNationalId } from './member-rules.ts';

function defineEnums(builder: Builder) {
  const State = builder.enumType(DevelopmentState, {
    name: 'DevelopmentState',
    description: '发展记录状态 — where a development record stands',
    values: {
      ACTIVE: { description: '进行中 — steps are being recorded' },
      COMPLETED: { description: '已完成 — 转正 approved and the file archived (step 25)' },
      ENDED: { description: '已终止 — ended before step 15 with a reason (not pursued, moved away …)' },
      CANCELLED: { description: '已取消预备党员资格 — the probationary membership was cancelled by a vote' },
    },
  });
  const EntryKind = builder.enumType(DevelopmentEntryKind, {
    name: 'DevelopmentEntryKind',
    description: '记录类别 — one of the 25 steps, or a decision beside them',
    values: {
      STEP: { description: '步骤 — one of the 25 steps' },
      EXTENSION: { description: '延长预备期 — the probation extended by 6–12 months (once, by a vote)' },
      CANCELLATION: { description: '取消预备党员资格 — the probationary membership cancelled by a vote' },
      ENDING: { description: '终止 — the record ended with a reason' },
    },
  });
  const Stage = builder.enumType('DevelopmentStage', {
    description: '发展阶段 — the five stages of 《中国共产党发展党员工作细则》, in order',
    values: Object.fromEntries(
      DEVELOPMENT_STAGES.map((stage) => [stage, { value: stage, description: `${STAGE_NAMES[stage]} — ${STAGE_ENGLISH[stage]}` }]),
    ) as Record<DevelopmentStage, { value: DevelopmentStage; description: string }>,
  });
  return { State, EntryKind, Stage };
}

const STAGE_ENGLISH: Record<DevelopmentStage, string> = {
  APPLICATION: 'application (steps 1–2)',
  ACTIVIST: 'activist (steps 3–6)',
  TARGET: 'development target (steps 7–11)',
  ACCEPTANCE: 'acceptance as a probationary member (steps 12–18)',
  PROBATION: 'probation and 转正 (steps 19–25)',
};

/** The GraphQL enums of 发展党员, for the files that define its inputs and queries. */
export type DevelopmentEnums = ReturnType<typeof defineEnums>;

/** The record's national ID, masked (the clear value is never served: a development file is read by many). */
function maskedId(ctx: Context, stored: string): string {
  return maskNationalId(openNationalId(ctx, stored, 'DevelopmentRecord.nationalId')!);
}

/**
 * 发展党员 (DevelopmentRecord): a person on the way into the party, the steps recorded (timeline) and the
 * people named at each. Rules: development-rules.ts; mutations and queries in their own files.
 */
export function registerDevelopment(builder: Builder): void {
  const enums = defineEnums(builder);

  builder.prismaNode('DevelopmentRecord', {
    description: '发展记录 — one person developed into the party by a branch: the 25 steps recorded so far, or how it ended',
    id: { field: 'id', description: '全局 ID — global ID' },
    nullable: true,
    // `node(id:)` must answer for a record outside the viewer's subtree exactly as for a missing one.
    findUnique: (id, ctx) => ({ id, organization: organizationScope(ctx) }),
    fields: (t) => ({
      name: t.exposeString('name', { description: '姓名 — name' }),
      nationalId: t.string({
        description: '身份证号 — national ID, masked (first 4 and last 4 characters); stored encrypted',
        resolve: (record, _args, ctx) => maskedId(ctx, record.nationalId),
      }),
      birthDate: t.expose('birthDate', { type: 'Date', description: '出生日期 — birth date (from the national ID unless given)' }),
      state: t.expose('state', { type: enums.State, description: '状态 — active, completed, ended or cancelled' }),
      step: t.exposeInt('step', { description: '当前步骤 — the last step recorded (1–25)' }),
      stepName: t.string({ description: '当前步骤名称 — name of the last step recorded', resolve: (record) => stepSpec(record.step).name }),
      stage: t.field({
        type: enums.Stage,
        description: '发展阶段 — the stage of the last step recorded',
        resolve: (record) => stageOf(record.step),
      }),
      stepDate: t.expose('stepDate', { type: 'Date', description: '当前步骤日期 — date of the last step recorded' }),
      nextSteps: t.intList({
        description:
          '可记录的下一步 — steps that may be recorded next (the same step again where it repeats: 6 and 21); empty when not active',
        resolve: (record) => (record.state === 'ACTIVE' ? allowedNext(record.step) : []),
      }),
      appliedAt: t.expose('appliedAt', { type: 'Date', description: '申请日期 — date of the application (step 1)' }),
      probationEndsAt: t.expose('probationEndsAt', {
        type: 'Date',
        nullable: true,
        description: '预备期满日期 — end of the probation: a year after step 15, moved by an extension; null before step 15',
      }),
      extendedMonths: t.exposeInt('extendedMonths', {
        nullable: true,
        description: '延长预备期月数 — months of the one extension; null when not extended',
      }),
      endedAt: t.expose('endedAt', { type: 'Date', nullable: true, description: '终止/取消日期 — when it ended or was cancelled' }),
      endReason: t.exposeString('endReason', { nullable: true, description: '终止原因 — why it ended (or the cancellation account)' }),
      organization: t.relation('organization', { description: '党支部 — the branch developing the person' }),
      member: t.relation('member', {
        nullable: true,
        description: '党员 — the member the person became at step 15; null before',
      }),
      timeline: t.relation('entries', {
        description: '发展过程 — every recorded step and decision, in order',
        query: { orderBy: [{ date: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] },
      }),
      recordedAt: t.expose('createdAt', { type: 'DateTime', description: '登记时间 — when the record was started' }),
    }),
  });

  builder.prismaObject('DevelopmentEntry', {
    description: '发展步骤记录 — one recorded step (or decision) with its date, people, account and vote',
    fields: (t) => ({
      id: t.exposeID('id', { description: '记录 ID — database id of the entry' }),
      kind: t.expose('kind', { type: enums.EntryKind, description: '类别 — a step, or a decision (extension, cancellation, ending)' }),
      step: t.exposeInt('step', { description: '步骤 — 1–25; for a decision, the step the record stood at' }),
      name: t.string({
        description: '名称 — the step’s name (e.g. 支部大会讨论), or the decision’s',
        resolve: (entry) => (entry.kind === 'STEP' ? stepSpec(entry.step).name : DECISION_NAMES[entry.kind]),
      }),
      stage: t.field({ type: enums.Stage, description: '发展阶段 — the stage of the step', resolve: (entry) => stageOf(entry.step) }),
      date: t.expose('date', { type: 'Date', description: '日期 — the day it happened' }),
      account: t.exposeString('account', { description: '情况说明 — what happened (step 10: the political review’s result)' }),
      late: t.exposeBoolean('late', {
        description: '超期 — a time limit was exceeded but the step was allowed (talk after a month, approval after three months)',
      }),
      votesEntitled: t.exposeInt('votesEntitled', { nullable: true, description: '应到有表决权的正式党员 — members entitled to vote' }),
      votesPresent: t.exposeInt('votesPresent', { nullable: true, description: '实到有表决权的正式党员 — voting members present' }),
      votesFor: t.exposeInt('votesFor', { nullable: true, description: '赞成票 — approvals' }),
      trainingDays: t.exposeInt('trainingDays', { nullable: true, description: '培训天数 — days of training (step 11)' }),
      trainingHours: t.exposeInt('trainingHours', { nullable: true, description: '培训学时 — 学时 of training (step 11)' }),
      noticeFrom: t.expose('noticeFrom', { type: 'Date', nullable: true, description: '公示开始 — first day of the notice (step 13)' }),
      noticeTo: t.expose('noticeTo', { type: 'Date', nullable: true, description: '公示结束 — last day of the notice (step 13)' }),
      months: t.exposeInt('months', { nullable: true, description: '延长月数 — months of an extension' }),
      people: t.relation('people', {
        description: '相关人员 — the people named (谈话人, 培养联系人, 入党介绍人), in the order given',
        query: { orderBy: [{ position: 'asc' }] },
      }),
      recordedAt: t.expose('createdAt', { type: 'DateTime', description: '登记时间 — when it was recorded' }),
    }),
  });

  builder.prismaObject('DevelopmentPerson', {
    description: '相关人员 — someone named at a step: a member of the system, or a person outside it with a reason',
    fields: (t) => ({
      member: t.relation('member', { nullable: true, description: '党员 — the member, when the person is one in the system' }),
      name: t.string({
        description: '姓名 — the member’s name, or the external person’s',
        select: { externalName: true, member: { select: { name: true } } },
        resolve: (person) => person.member?.name ?? person.externalName ?? '',
      }),
      externalReason: t.exposeString('externalReason', {
        nullable: true,
        description: '系统外原因 — why a person outside the system is named (e.g. 组织关系在外地); null for a member',
      }),
    }),
  });

  builder.queryField('developmentRecord', (t) =>
    t.prismaField({
      type: 'DevelopmentRecord',
      nullable: true,
      description: '发展记录 — one development record by global ID; null when it does not exist or lies outside your subtree',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '全局 ID — global ID' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.developmentRecord.findFirst({
          ...query,
          where: { id: decodeId('DevelopmentRecord', String(args.id), 'id'), organization: organizationScope(ctx) },
        }),
    }),
  );

  registerDevelopmentMutations(builder, enums);
  registerDevelopmentQueries(builder, enums);
}

const DECISION_NAMES: Record<DevelopmentEntryKind, string> = {
  STEP: '',
  EXTENSION: '延长预备期',
  CANCELLATION: '取消预备党员资格',
  ENDING: '终止发展',
};
