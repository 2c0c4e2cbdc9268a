import { organizationIdsUnder, resolveUnder, type Builder } from '@dangjian/core';
import type { Prisma, TalentPathStage } from '@dangjian/db';
import type { Deps } from './deps.ts';
import { OVERDUE_AFTER_MONTHS, overdueCutoff, PROBATION_MONTHS, STAGES } from './path-rules.ts';
import { addMonths, utcToday } from './personal-data-rules.ts';

interface Column {
  stage: TalentPathStage;
  count: number;
  where: Prisma.TalentWhereInput;
}

interface Pipeline {
  columns: Column[];
  total: number;
}

/** Where each board column draws from: talents now in the stage; PROBATIONARY only within the probation year. */
function columnWhere(ids: string[], stage: TalentPathStage, today: Date): Prisma.TalentWhereInput {
  return {
    organizationId: { in: ids },
    stage,
    ...(stage === 'PROBATIONARY' ? { stageSince: { gte: addMonths(today, -PROBATION_MONTHS) } } : {}),
  };
}

/** The pipeline board (发展党员看板) and the overdue-stage list. */
export function registerTalentPipeline(builder: Builder, { enums }: Deps): void {
  const ColumnRef = builder.objectRef<Column>('TalentPipelineColumn').implement({
    description: '看板列 — the talents now in one stage of the path',
    fields: (t) => ({
      stage: t.field({ type: enums.Stage, description: '阶段 — the stage', resolve: (c) => c.stage }),
      count: t.int({ description: '人数 — talents in this column', resolve: (c) => c.count }),
      talents: t.prismaConnection(
        {
          type: 'Talent',
          cursor: 'id',
          description: '致富能人 — the talents of this column, longest in the stage first',
          resolve: (query, column, _args, ctx) =>
            ctx.db.talent.findMany({ ...query, where: column.where, orderBy: [{ stageSince: 'asc' }, { id: 'asc' }] }),
          totalCount: (column) => column.count,
        },
        { description: '看板列分页 — a page of the talents of a column' },
        { description: '看板列分页项 — one talent of a column with its cursor' },
      ),
    }),
  });

  const PipelineRef = builder.objectRef<Pipeline>('TalentPipeline').implement({
    description: '发展党员看板 — talents of a subtree by stage of the path (counts and lists)',
    fields: (t) => ({
      columns: t.field({
        type: [ColumnRef],
        description: '各阶段 — one column per stage, in path order (all four, empty ones included)',
        resolve: (p) => p.columns,
      }),
      total: t.int({ description: '合计 — talents on the board', resolve: (p) => p.total }),
    }),
  });

  builder.queryField('talentPipeline', (t) =>
    t.field({
      type: PipelineRef,
      description: `发展党员看板 — the pipeline board of an organization’s subtree: talents now APPLICANT, ACTIVIST or DEVELOPMENT_TARGET, and those who became PROBATIONARY in the last ${PROBATION_MONTHS} months (the probation year)`,
      authScopes: { authenticated: true },
      args: { under: t.arg.id({ required: false, description: '党组织 — this organization and everything below it (default: your own)' }) },
      resolve: async (_root, args, ctx) => {
        const ids = await organizationIdsUnder(ctx, await resolveUnder(ctx, args.under));
        const today = utcToday();
        const wheres = STAGES.map((stage) => columnWhere(ids, stage, today));
        // One grouped statement for every column's count.
        const groups = await ctx.db.talent.groupBy({ by: ['stage'], where: { OR: wheres }, _count: { _all: true } });
        const counts = new Map(groups.map((g) => [g.stage, g._count._all]));
        const columns = STAGES.map((stage, i) => ({ stage, count: counts.get(stage) ?? 0, where: wheres[i]! }));
        return { columns, total: columns.reduce((sum, c) => sum + c.count, 0) };
      },
    }),
  );

  const overdueWhere = async (
    ctx: Parameters<typeof organizationIdsUnder>[0],
    under: string | number | null | undefined,
  ): Promise<Prisma.TalentWhereInput> => {
    const ids = await organizationIdsUnder(ctx, await resolveUnder(ctx, under));
    const today = utcToday();
    const stages = Object.keys(OVERDUE_AFTER_MONTHS) as (keyof typeof OVERDUE_AFTER_MONTHS)[];
    return { organizationId: { in: ids }, OR: stages.map((stage) => ({ stage, stageSince: { lt: overdueCutoff(stage, today) } })) };
  };

  builder.queryField('overdueTalents', (t) =>
    t.prismaConnection(
      {
        type: 'Talent',
        cursor: 'id',
        description:
          '阶段逾期 — talents held in a stage longer than expected: APPLICANT not made ACTIVIST within 6 months, ACTIVIST not made DEVELOPMENT_TARGET within 24 months, DEVELOPMENT_TARGET not made PROBATIONARY within 6 months; longest waiting first',
        authScopes: { authenticated: true },
        args: {
          under: t.arg.id({ required: false, description: '党组织 — this organization and everything below it (default: your own)' }),
        },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.talent.findMany({ ...query, where: await overdueWhere(ctx, args.under), orderBy: [{ stageSince: 'asc' }, { id: 'asc' }] }),
        totalCount: async (_root, args, ctx) => ctx.db.talent.count({ where: await overdueWhere(ctx, args.under) }),
      },
      { description: '阶段逾期分页 — a page of overdue talents' },
      { description: '阶段逾期分页项 — one overdue talent with its cursor' },
    ),
  );
}
