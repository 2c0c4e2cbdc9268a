import type { DevelopmentState, Prisma } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { InputError } from '../errors/errors.ts';
import { utcToday } from '../kit/dates.ts';
import { resolveUnder } from '../kit/under.ts';
import { requestLoader } from '../loaders.ts';
import type { DevelopmentEnums } from './development.ts';
import {
  DEVELOPMENT_STAGES,
  type DevelopmentStage,
  type DueStep,
  LAST_STEP,
  nextDue,
  type RecordFacts,
  stageOf,
  stageSteps,
  stepSpec,
} from './development-rules.ts';

interface FilterInput {
  under?: string | number | null;
  stage?: DevelopmentStage[] | null;
  step?: number[] | null;
  state?: DevelopmentState[] | null;
}

/** The pipeline filter as a Prisma where, always inside the viewer's subtree. */
async function recordsWhere(ctx: Context, filter: FilterInput | null | undefined): Promise<Prisma.DevelopmentRecordWhereInput> {
  const f = filter ?? {};
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  for (const [i, step] of (f.step ?? []).entries()) {
    if (!Number.isInteger(step) || step < 1 || step > LAST_STEP)
      throw new InputError(`filter.step[${i}]`, `must be a step from 1 to ${LAST_STEP}`);
  }
  const steps = [
    ...(f.step ?? []),
    ...(f.stage ?? []).flatMap((stage) => {
      const [first, last] = stageSteps(stage);
      return Array.from({ length: last - first + 1 }, (_, i) => first + i);
    }),
  ];
  return {
    organization: { path: { startsWith: path } },
    state: { in: f.state?.length ? f.state : ['ACTIVE'] },
    ...(f.step?.length || f.stage?.length ? { step: { in: [...new Set(steps)] } } : {}),
  };
}

const MAX_WITHIN = 366;

/** What the due rules read of a record: its dates and the dates of its steps. */
export const DUE_SELECT = {
  id: true,
  state: true,
  step: true,
  stepDate: true,
  birthDate: true,
  probationEndsAt: true,
  extendedMonths: true,
  entries: { where: { kind: 'STEP' }, select: { step: true, date: true }, orderBy: [{ date: 'asc' }, { createdAt: 'asc' }] },
} as const satisfies Prisma.DevelopmentRecordSelect;

/** The dates of a record's steps (in date order), batched over the records of a request. */
function stepDatesOf(ctx: Context, recordId: string): Promise<{ step: number; date: Date }[]> {
  return requestLoader(ctx, 'development.stepDates', async (ids: readonly string[]) => {
    const rows = await ctx.db.developmentEntry.findMany({
      where: { recordId: { in: [...ids] }, kind: 'STEP' },
      select: { recordId: true, step: true, date: true },
      orderBy: [{ date: 'asc' }, { createdAt: 'asc' }],
    });
    const byRecord = new Map(ids.map((id) => [id, [] as { step: number; date: Date }[]]));
    for (const row of rows) byRecord.get(row.recordId)?.push(row);
    return ids.map((id) => byRecord.get(id)!);
  }).load(recordId);
}

/** A record's next step with a deadline, and whether the deadline is past. */
export interface DueRow extends DueStep {
  overdue: boolean;
}

/** The due step of a record read with DUE_SELECT, as of today; null when the next step has no deadline. */
export function dueOf(record: Parameters<typeof dueFactsOf>[0], today: Date = utcToday()): DueRow | null {
  const due = nextDue(dueFactsOf(record));
  return due ? { ...due, overdue: due.dueBy.getTime() < today.getTime() } : null;
}

/** 发展党员 queries: the pipeline (connection), due and overdue steps, counts per stage. */
export function registerDevelopmentQueries(builder: Builder, enums: DevelopmentEnums): void {
  const Due = builder.objectRef<DueRow>('DevelopmentDue').implement({
    description: '到期步骤 — the next step of a development record that has a deadline, with the rule that sets it',
    fields: (t) => ({
      step: t.exposeInt('step', { description: '到期步骤 — the step due (1–25)' }),
      stepName: t.string({ description: '步骤名称 — its name', resolve: (due) => stepSpec(due.step).name }),
      stage: t.field({ type: enums.Stage, description: '发展阶段 — its stage', resolve: (due) => stageOf(due.step) }),
      dueBy: t.field({ type: 'Date', description: '期限 — the last day allowed by the rule', resolve: (due) => due.dueBy }),
      overdue: t.exposeBoolean('overdue', { description: '已超期 — the deadline is past' }),
      rule: t.exposeString('rule', { description: '依据 — the rule that sets the deadline (e.g. 党组织在一个月内派人谈话)' }),
    }),
  });
  builder.prismaObjectField('DevelopmentRecord', 'nextDue', (t) =>
    t.field({
      type: Due,
      nullable: true,
      description:
        '下一到期步骤 — the next step that has a deadline (talk, half-yearly assessment, approval, 转正), overdue or not; null when none',
      // The step dates come batched for every record of the response (one statement): a `select` of
      // `entries` here would clash with `timeline`'s and make Pothos load it again per record.
      resolve: async (record, _args, ctx) => dueOf({ ...record, entries: await stepDatesOf(ctx, record.id) }),
    }),
  );

  const Filter = builder.inputType('DevelopmentFilter', {
    description: '发展记录筛选 — conditions on development records (all must hold)',
    fields: (t) => ({
      under: t.id({ required: false, description: '党组织 — records of this organization and everything below it (default: your own)' }),
      stage: t.field({
        type: [enums.Stage],
        required: false,
        description: '发展阶段 — at any of these stages (by the last step recorded)',
      }),
      step: t.intList({ required: false, description: '步骤 — at any of these steps (1–25; with `stage`: either)' }),
      state: t.field({ type: [enums.State], required: false, description: '状态 — any of these states (default: ACTIVE only)' }),
    }),
  });

  builder.queryField('developmentRecords', (t) =>
    t.prismaConnection(
      {
        type: 'DevelopmentRecord',
        cursor: 'id',
        description: '发展党员工作台 — the pipeline of development records in your subtree, by step, longest waiting first',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件 — filter' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.developmentRecord.findMany({
            ...query,
            where: await recordsWhere(ctx, args.filter),
            orderBy: [{ step: 'asc' }, { stepDate: 'asc' }, { id: 'asc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.developmentRecord.count({ where: await recordsWhere(ctx, args.filter) }),
      },
      { description: '发展记录分页 — a page of development records with the total count' },
      { description: '发展记录分页项 — one development record of a page' },
    ),
  );

  builder.queryField('developmentDue', (t) =>
    t.prismaField({
      type: ['DevelopmentRecord'],
      description:
        '到期发展步骤 — active development records of a subtree whose next step is overdue or due within `withinDays`, soonest deadline first; each record’s `nextDue` names the step, the deadline and the rule',
      authScopes: { authenticated: true },
      args: {
        under: t.arg.id({ required: false, description: '党组织 — a committee or branch in your subtree (default: your own)' }),
        withinDays: t.arg.int({
          required: false,
          description: '提前天数 — also list deadlines within this many days from today (0–366, default 30)',
        }),
      },
      resolve: async (query, _root, args, ctx) => {
        const within = args.withinDays ?? 30;
        if (!Number.isInteger(within) || within < 0 || within > MAX_WITHIN) {
          throw new InputError('withinDays', `must be a whole number from 0 to ${MAX_WITHIN}`);
        }
        const path = await resolveUnder(ctx, args.under);
        const horizon = utcToday().getTime() + within * 86_400_000;
        // Two statements whatever the number of records: the facts of every active record, then the page.
        const candidates = await ctx.db.developmentRecord.findMany({
          where: { state: 'ACTIVE', organization: { path: { startsWith: path } } },
          select: DUE_SELECT,
        });
        const due = candidates
          .map((record) => ({ id: record.id, due: nextDue(dueFactsOf(record)) }))
          .filter((row) => row.due && row.due.dueBy.getTime() <= horizon)
          .sort((a, b) => a.due!.dueBy.getTime() - b.due!.dueBy.getTime() || a.id.localeCompare(b.id));
        if (due.length === 0) return [];
        const rows = await ctx.db.developmentRecord.findMany({ ...query, where: { id: { in: due.map((d) => d.id) } } });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return due.flatMap((d) => byId.get(d.id) ?? []);
      },
    }),
  );

  builder.queryField('developmentCounts', (t) =>
    t.field({
      type: [StageCount(builder, enums)],
      description: '发展党员统计 — active development records of a subtree per stage, every stage listed (zero included)',
      authScopes: { authenticated: true },
      args: { under: t.arg.id({ required: false, description: '党组织 — a committee or branch in your subtree (default: your own)' }) },
      resolve: async (_root, args, ctx) => {
        const path = await resolveUnder(ctx, args.under);
        const rows = await ctx.db.developmentRecord.groupBy({
          by: ['step'],
          where: { state: 'ACTIVE', organization: { path: { startsWith: path } } },
          _count: { _all: true },
        });
        const counts = new Map<DevelopmentStage, number>(DEVELOPMENT_STAGES.map((s) => [s, 0]));
        for (const row of rows) counts.set(stageOf(row.step), counts.get(stageOf(row.step))! + row._count._all);
        return DEVELOPMENT_STAGES.map((stage) => ({ stage, count: counts.get(stage)! }));
      },
    }),
  );
}

function StageCount(builder: Builder, enums: DevelopmentEnums) {
  return builder.objectRef<{ stage: DevelopmentStage; count: number }>('DevelopmentStageCount').implement({
    description: '阶段人数 — how many active development records stand at a stage',
    fields: (t) => ({
      stage: t.field({ type: enums.Stage, description: '发展阶段 — the stage', resolve: (row) => row.stage }),
      count: t.exposeInt('count', { description: '人数 — active records at that stage' }),
    }),
  });
}

/** Facts of a record for the due rules, from the record and its step entries. */
export function dueFactsOf(record: {
  state: DevelopmentState;
  step: number;
  stepDate: Date;
  birthDate: Date;
  probationEndsAt: Date | null;
  extendedMonths: number | null;
  entries: readonly { step: number; date: Date }[];
}): RecordFacts {
  return {
    state: record.state,
    step: record.step,
    stepDate: record.stepDate,
    birthDate: record.birthDate,
    stepDates: new Map(record.entries.map((e) => [e.step, e.date])),
    probationEndsAt: record.probationEndsAt,
    extendedMonths: record.extendedMonths,
  };
}
