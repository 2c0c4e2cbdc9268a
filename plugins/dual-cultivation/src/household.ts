import {
  ConflictError,
  IDEMPOTENCY_KEY_ARG,
  InputError,
  loadOrganization,
  modelRef,
  optionalText,
  organizationIdsUnder,
  requiredText,
  resolveUnder,
  type Builder,
  type Context,
} from '@dangjian/core';
import type { Prisma } from '@dangjian/db';
import { findOrganizationInScope, viewerOrganizationIds, WRITERS } from './access.ts';
import type { Deps } from './deps.ts';

/** Largest household the register accepts (a guard against typing errors). */
const MAX_HOUSEHOLD_SIZE = 30;

/** 困难户 (DifficultHousehold): households in difficulty that members are paired with. */
export function registerHousehold(builder: Builder, { api, enums }: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');

  builder.prismaNode('DifficultHousehold', {
    description: '困难户 — a household in difficulty (贫困户) registered by an organization, to be paired with members',
    id: { field: 'id', description: '全局 ID — global ID' },
    nullable: true,
    findUnique: async (id, ctx) => ({ id, organizationId: { in: await viewerOrganizationIds(ctx) } }),
    fields: (t) => ({
      name: t.exposeString('name', { description: '户主/户名 — household name (head of household)' }),
      village: t.exposeString('village', { description: '村/社区 — village or community' }),
      size: t.exposeInt('size', { description: '家庭人口 — number of people in the household' }),
      difficulty: t.expose('difficulty', { type: enums.Difficulty, description: '困难类型 — why the household is in difficulty' }),
      organization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '登记党组织 — the organization that registered the household',
        resolve: (query, h, _args, ctx) => loadOrganization(ctx, h.organizationId, query),
      }),
      registeredAt: t.expose('createdAt', { type: 'DateTime', description: '登记时间 — when it was registered' }),
    }),
  });

  const householdsWhere = async (
    ctx: Context,
    under: string | number | null | undefined,
    search: string | null | undefined,
  ): Promise<Prisma.DifficultHouseholdWhereInput> => {
    const path = await resolveUnder(ctx, under);
    const text = optionalText(search, 'search', 'name');
    return {
      organizationId: { in: await organizationIdsUnder(ctx, path) },
      ...(text ? { OR: [{ name: { contains: text, mode: 'insensitive' } }, { village: { contains: text, mode: 'insensitive' } }] } : {}),
    };
  };

  builder.queryField('difficultHouseholds', (t) =>
    t.prismaConnection(
      {
        type: 'DifficultHousehold',
        cursor: 'id',
        description: '困难户列表 — households registered by organizations of your subtree, by village and name',
        authScopes: { authenticated: true },
        args: {
          under: t.arg.id({ required: false, description: '党组织 — this organization and everything below it (default: your own)' }),
          search: t.arg.string({ required: false, description: '搜索 — part of the name or village' }),
        },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.difficultHousehold.findMany({
            ...query,
            where: await householdsWhere(ctx, args.under, args.search),
            orderBy: [{ village: 'asc' }, { name: 'asc' }, { id: 'asc' }],
          }),
        totalCount: async (_root, args, ctx) =>
          ctx.db.difficultHousehold.count({ where: await householdsWhere(ctx, args.under, args.search) }),
      },
      { description: '困难户分页 — a page of households' },
      { description: '困难户分页项 — one household with its cursor' },
    ),
  );

  const RegisterInput = builder.inputType('RegisterDifficultHouseholdInput', {
    description: '登记困难户 — a household in difficulty',
    fields: (t) => ({
      organizationId: t.id({ required: true, description: '登记党组织 — an organization of your subtree' }),
      name: t.string({ required: true, description: '户名 — household name, at most 50 characters' }),
      village: t.string({ required: true, description: '村/社区 — at most 100 characters' }),
      size: t.int({ required: true, description: `家庭人口 — 1 to ${MAX_HOUSEHOLD_SIZE}` }),
      difficulty: t.field({ type: enums.Difficulty, required: true, description: '困难类型 — why the household is in difficulty' }),
    }),
  });

  builder.mutationField('registerDifficultHousehold', (t) =>
    t.prismaField({
      type: 'DifficultHousehold',
      description:
        '登记困难户 — register a household in difficulty (ADMIN or SECRETARY); the same name in the same village is refused as a duplicate',
      authScopes: WRITERS,
      args: {
        input: t.arg({ type: RegisterInput, required: true, description: '困难户信息 — the household' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const name = requiredText(input.name, 'input.name', 'name', 50);
        const village = requiredText(input.village, 'input.village', 'name', 100);
        if (!Number.isInteger(input.size) || input.size < 1 || input.size > MAX_HOUSEHOLD_SIZE) {
          throw new InputError('input.size', `must be between 1 and ${MAX_HOUSEHOLD_SIZE}`);
        }
        return api.transact(ctx, async (tx, publish) => {
          const org = await findOrganizationInScope(tx, ctx, String(input.organizationId), 'input.organizationId');
          if ((await tx.difficultHousehold.count({ where: { organizationId: org.id, name, village } })) > 0) {
            throw new ConflictError(`${org.name} already registered the household ${name} of ${village}`, { field: 'input.name' });
          }
          const household = await tx.difficultHousehold.create({
            ...query,
            data: { name, village, size: input.size, difficulty: input.difficulty, organizationId: org.id },
          });
          await publish('dual-cultivation.householdRegistered', {
            organization: org,
            subjectType: 'DifficultHousehold',
            subjectId: household.id,
            summary: `${org.name}登记困难户${village}${name}（${input.size}人）`,
            data: { village, size: input.size, difficulty: input.difficulty },
          });
          return household;
        });
      },
    }),
  );
}
