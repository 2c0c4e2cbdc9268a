import { IDEMPOTENCY_KEY_ARG, optionalText, requiredText, resolveUnder } from '@dangjian/core';
import {
  decodeId,
  ForbiddenError,
  InputError,
  loadOrganization,
  modelRef,
  NotFoundError,
  organizationScope,
  requireViewer,
  scopePath,
  type Builder,
  type Context,
} from '@dangjian/core';
import { findOrganizationForWrite } from './brand-write.ts';
import type { Prisma } from '@dangjian/db';

import { checkGoals, checkPlanYears, type GoalInput } from './plan-rules.ts';
import { planOrganizationIds } from './scope.ts';
import type { Deps } from './deps.ts';

/** Plans the viewer may read under `under` (default: their own organization), optionally those running in a year. */
async function plansWhere(
  ctx: Context,
  under: string | number | null | undefined,
  year: number | null | undefined,
): Promise<Prisma.PartyBrandPlanWhereInput> {
  const path = await resolveUnder(ctx, under, 'under');
  return {
    organizationId: { in: await planOrganizationIds(ctx, path) },
    ...(year !== null && year !== undefined ? { startYear: { lte: year }, endYear: { gte: year } } : {}),
  };
}

/** Plans the viewer may read at all: of their subtree and of the committees above them. */
async function planScope(ctx: Context): Promise<{ organizationId: { in: string[] } }> {
  return { organizationId: { in: await planOrganizationIds(ctx, scopePath(requireViewer(ctx))) } };
}

/** 品牌创建规划 (BrandPlan): the plan and its yearly goals, their queries and `createBrandPlan` / `updateBrandPlan`. */
export function registerBrandPlan(builder: Builder, { api }: Deps): void {
  builder.prismaNode('PartyBrandPlan', {
    name: 'BrandPlan',
    description: '品牌创建规划 — a working committee’s multi-year brand-building plan with yearly goals (e.g. 三年行动计划 2023–2025)',
    id: { field: 'id' },
    findUnique: async (id, ctx) => ({ id, ...(await planScope(ctx)) }),
    nullable: true,
    fields: (t) => ({
      organization: t.prismaField({
        type: modelRef(builder, 'Organization'),
        nullable: true,
        description: '机关工委 — the working committee that runs the plan (null when it lies above your own organization)',
        resolve: (query, plan, _args, ctx) => loadOrganization(ctx, plan.organizationId, query),
      }),
      name: t.exposeString('name', { description: '规划名称 — name' }),
      description: t.exposeString('description', { nullable: true, description: '规划说明 — what the plan sets out' }),
      startYear: t.exposeInt('startYear', { description: '起始年度 — first year' }),
      endYear: t.exposeInt('endYear', { description: '截止年度 — last year' }),
      goals: t.relation('goals', {
        description: '年度目标 — one goal per year of the plan, in year order',
        query: { orderBy: { year: 'asc' } },
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime', description: '创建时间 — when it was created' }),
    }),
  });

  builder.prismaObject('PartyBrandPlanGoal', {
    name: 'BrandPlanGoal',
    description: '年度目标 — how many brands a plan means to see applied, approved and named model in one year',
    fields: (t) => ({
      year: t.exposeInt('year', { description: '年度 — year' }),
      applied: t.exposeInt('applied', { description: '申报目标 — brands to be applied for (申报) that year' }),
      approved: t.exposeInt('approved', { description: '认定目标 — brands to be approved (认定) that year' }),
      model: t.exposeInt('model', { description: '示范目标 — brands to be named model (示范) that year' }),
    }),
  });

  const GoalInput = builder.inputType('BrandPlanGoalInput', {
    description: '年度目标 — the goal for one year of the plan',
    fields: (t) => ({
      year: t.int({ required: true, description: '年度 — a year of the plan' }),
      applied: t.int({ required: true, description: '申报目标 — brands to be applied for that year (0 or more)' }),
      approved: t.int({ required: true, description: '认定目标 — brands to be approved that year (0 or more)' }),
      model: t.int({ required: true, description: '示范目标 — brands to be named model that year (0 or more)' }),
    }),
  });
  const CreateInput = builder.inputType('CreateBrandPlanInput', {
    description: '制定品牌创建规划 — a new plan of a working committee',
    fields: (t) => ({
      organizationId: t.id({ required: true, description: '机关工委 — the working committee (in your subtree) that runs the plan' }),
      name: t.string({ required: true, description: '规划名称 — name (at most 100 characters)' }),
      description: t.string({ required: false, description: '规划说明 — what the plan sets out (at most 2000 characters)' }),
      startYear: t.int({ required: true, description: '起始年度 — first year' }),
      endYear: t.int({ required: true, description: '截止年度 — last year (at most 10 years in all)' }),
      goals: t.field({ type: [GoalInput], required: true, description: '年度目标 — exactly one goal for every year of the plan' }),
    }),
  });
  const UpdateInput = builder.inputType('UpdateBrandPlanInput', {
    description: '修改品牌创建规划 — fields left out stay as they are; changed years need goals for every new year',
    fields: (t) => ({
      name: t.string({ required: false, description: '规划名称 — name' }),
      description: t.string({ required: false, description: '规划说明 — description; empty to clear' }),
      startYear: t.int({ required: false, description: '起始年度 — first year' }),
      endYear: t.int({ required: false, description: '截止年度 — last year' }),
      goals: t.field({
        type: [GoalInput],
        required: false,
        description: '年度目标 — replaces all goals: exactly one for every year of the plan',
      }),
    }),
  });

  builder.queryField('brandPlan', (t) =>
    t.prismaField({
      type: 'PartyBrandPlan',
      nullable: true,
      description: '品牌创建规划 — one plan by global ID; null when it does not exist or you may not read it',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '全局 ID — global ID of the plan' }) },
      resolve: async (query, _root, args, ctx) =>
        ctx.db.partyBrandPlan.findFirst({
          ...query,
          where: { id: decodeId('BrandPlan', String(args.id), 'id'), ...(await planScope(ctx)) },
        }),
    }),
  );

  builder.queryField('brandPlans', (t) =>
    t.prismaConnection(
      {
        type: 'PartyBrandPlan',
        cursor: 'id',
        description: '品牌创建规划列表 — plans of an organization’s subtree and of the committees above it, latest first',
        authScopes: { authenticated: true },
        args: {
          under: t.arg.id({
            required: false,
            description: '党组织 — plans for this organization: of it, below it and above it (default: your own)',
          }),
          year: t.arg.int({ required: false, description: '年度 — only plans running in this year' }),
        },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.partyBrandPlan.findMany({
            ...query,
            where: await plansWhere(ctx, args.under, args.year),
            orderBy: [{ startYear: 'desc' }, { id: 'desc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.partyBrandPlan.count({ where: await plansWhere(ctx, args.under, args.year) }),
      },
      { description: '品牌创建规划分页 — a page of plans with the total count' },
      { description: '品牌创建规划分页项 — one plan of a page' },
    ),
  );

  builder.mutationField('createBrandPlan', (t) =>
    t.prismaField({
      type: 'PartyBrandPlan',
      description: '制定品牌创建规划 — create a multi-year plan of a working committee in your subtree (ADMIN)',
      authScopes: { role: 'ADMIN' },
      args: {
        input: t.arg({ type: CreateInput, required: true, description: '规划信息 — the plan' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const name = requiredText(input.name, 'input.name', 'name', 100);
        const description = optionalText(input.description, 'input.description', 'long', 2000);
        checkPlanYears(input.startYear, input.endYear, 'input');
        const goals = checkGoals(input.goals, input.startYear, input.endYear, 'input.goals');
        return api.transact(ctx, async (tx) => {
          const org = await findOrganizationForWrite(tx, ctx, String(input.organizationId), 'input.organizationId');
          if (org.kind !== 'WORKING_COMMITTEE')
            throw new InputError('input.organizationId', 'a brand plan belongs to a working committee (机关工委)');
          return tx.partyBrandPlan.create({
            ...query,
            data: {
              organizationId: org.id,
              name,
              description,
              startYear: input.startYear,
              endYear: input.endYear,
              goals: { createMany: { data: goals } },
            },
          });
        });
      },
    }),
  );

  builder.mutationField('updateBrandPlan', (t) =>
    t.prismaField({
      type: 'PartyBrandPlan',
      description: '修改品牌创建规划 — change a plan of a working committee in your subtree (ADMIN)',
      authScopes: { role: 'ADMIN' },
      args: {
        id: t.arg.id({ required: true, description: '品牌创建规划 — global ID of the plan' }),
        input: t.arg({ type: UpdateInput, required: true, description: '修改内容 — the changes' }),
      },
      resolve: async (query, _root, { id, input }, ctx) => {
        const planId = decodeId('BrandPlan', String(id), 'id');
        const name = input.name === undefined || input.name === null ? undefined : requiredText(input.name, 'input.name', 'name', 100);
        const description =
          input.description === undefined ? undefined : optionalText(input.description, 'input.description', 'long', 2000);
        // Read before the transaction opens: the embedded database has a single connection, held by the transaction.
        const visible = await planScope(ctx);
        return api.transact(ctx, async (tx) => {
          const plan = await tx.partyBrandPlan.findFirst({ where: { id: planId, ...visible }, include: { goals: true } });
          if (!plan) throw new NotFoundError('BrandPlan', String(id));
          // A branch reads its committee's plan, but only the committee's side changes it.
          const own = await tx.organization.count({ where: { id: plan.organizationId, ...organizationScope(ctx) } });
          if (!own) throw new ForbiddenError('only an admin of the plan’s working committee (or above) changes it');
          const startYear = input.startYear ?? plan.startYear;
          const endYear = input.endYear ?? plan.endYear;
          checkPlanYears(startYear, endYear, 'input');
          const goals: GoalInput[] | null = input.goals ? checkGoals(input.goals, startYear, endYear, 'input.goals') : null;
          if (!goals && (startYear !== plan.startYear || endYear !== plan.endYear)) {
            checkGoals(plan.goals, startYear, endYear, 'input.goals');
          }
          if (goals) await tx.partyBrandPlanGoal.deleteMany({ where: { planId } });
          return tx.partyBrandPlan.update({
            ...query,
            where: { id: planId },
            data: {
              ...(name !== undefined ? { name } : {}),
              ...(description !== undefined ? { description } : {}),
              startYear,
              endYear,
              ...(goals ? { goals: { createMany: { data: goals } } } : {}),
            },
          });
        });
      },
    }),
  );
}
