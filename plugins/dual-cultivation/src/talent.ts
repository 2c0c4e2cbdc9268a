import {
  decodeId,
  loadMember,
  loadOrganization,
  modelRef,
  optionalText,
  organizationIdsUnder,
  resolveUnder,
  type Builder,
  type Context,
} from '@dangjian/core';
import type { Prisma, TalentPathStage } from '@dangjian/db';
import { inViewerScope, viewerOrganizationIds } from './access.ts';
import type { Deps } from './deps.ts';
import { isStageOverdue, stageDueBy } from './path-rules.ts';
import { utcToday } from './personal-data-rules.ts';
import { registerTalentDevelopment } from './talent-development.ts';
import { registerTalentMutations } from './talent-mutations.ts';
import { registerTalentPipeline } from './talent-pipeline.ts';
import { registerTalentPrivacy } from './talent-privacy.ts';
import { registerTalentStage } from './talent-stage.ts';

interface TalentFilterInput {
  under?: string | number | null;
  stage?: TalentPathStage[] | null;
  isMember?: boolean | null;
  search?: string | null;
}

/** The `talents` filter as a Prisma where, always inside the viewer's subtree. */
async function talentsWhere(ctx: Context, filter: TalentFilterInput | null | undefined): Promise<Prisma.TalentWhereInput> {
  const f = filter ?? {};
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  const search = optionalText(f.search, 'filter.search', 'name');
  return {
    AND: [
      { organizationId: { in: await organizationIdsUnder(ctx, path) } },
      f.stage?.length ? { stage: { in: f.stage } } : {},
      f.isMember === true ? { memberId: { not: null } } : f.isMember === false ? { memberId: null } : {},
      search
        ? {
            OR: [
              { name: { contains: search, mode: 'insensitive' } },
              { trade: { contains: search, mode: 'insensitive' } },
              { enterprise: { contains: search, mode: 'insensitive' } },
              { village: { contains: search, mode: 'insensitive' } },
            ],
          }
        : {},
    ],
  };
}

/** 致富能人 (Talent): the type, its queries, and beside it mutations, privacy fields, the path and the board. */
export function registerTalent(builder: Builder, deps: Deps): void {
  const { enums } = deps;
  const OrganizationRef = modelRef(builder, 'Organization');
  const MemberRef = modelRef(builder, 'Member');

  builder.prismaNode('Talent', {
    description:
      '致富能人 — a capable person (trade, enterprise or cooperative, village) followed by an organization; on the path into the party, or already a member',
    id: { field: 'id', description: '全局 ID — global ID' },
    // `node(id:)` must answer for a talent outside the viewer's subtree exactly as for a missing one.
    nullable: true,
    findUnique: async (id, ctx) => ({ id, organizationId: { in: await viewerOrganizationIds(ctx) } }),
    fields: (t) => ({
      name: t.exposeString('name', { description: '姓名 — name' }),
      gender: t.expose('gender', { type: enums.Gender, description: '性别 — gender' }),
      trade: t.exposeString('trade', { description: '行业 — trade or industry, e.g. 特色种植, 电商' }),
      enterprise: t.exposeString('enterprise', {
        nullable: true,
        description: '企业或合作社 — the enterprise or cooperative they run or work in',
      }),
      village: t.exposeString('village', { description: '村/社区 — village or community' }),
      organization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '联系党组织 — the organization that follows the talent (null only if it left your subtree)',
        resolve: (query, talent, _args, ctx) => loadOrganization(ctx, talent.organizationId, query),
      }),
      member: t.prismaField({
        type: MemberRef,
        nullable: true,
        description:
          '党员档案 — the core member record once the talent is (or became) a member; null before, or when the membership lies outside your subtree',
        resolve: (query, talent, _args, ctx) => (talent.memberId ? loadMember(ctx, talent.memberId, query) : null),
      }),
      isMember: t.boolean({
        description: '是否党员 — true once the talent is linked to a member record',
        resolve: (talent) => talent.memberId !== null,
      }),
      stage: t.expose('stage', {
        type: enums.Stage,
        nullable: true,
        description:
          '当前阶段 — current stage of the path, from the steps of the talent’s development record (1–2 APPLICANT, 3–6 ACTIVIST, 7–14 DEVELOPMENT_TARGET, 15+ PROBATIONARY); null when the path has not started (or the talent was already a member)',
      }),
      stageSince: t.expose('stageSince', { type: 'Date', nullable: true, description: '阶段起始 — date the current stage was reached' }),
      stageDueBy: t.field({
        type: 'Date',
        nullable: true,
        description:
          '应进展日期 — date by which the next stage is expected (APPLICANT 6 months, ACTIVIST 24 months, DEVELOPMENT_TARGET 6 months); null at PROBATIONARY or before the path',
        resolve: (talent) => stageDueBy(talent.stage, talent.stageSince),
      }),
      stageOverdue: t.boolean({
        description: '阶段逾期 — true when the current stage is held past `stageDueBy`',
        resolve: (talent) => isStageOverdue(talent.stage, talent.stageSince, utcToday()),
      }),
      stages: t.relation('stages', {
        description: '发展历程 — every stage reached, in order',
        query: { orderBy: [{ date: 'asc' }, { createdAt: 'asc' }] },
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime', description: '登记时间 — when the talent was registered' }),
    }),
  });

  registerTalentPrivacy(builder, deps);

  const Filter = builder.inputType('TalentFilter', {
    description: '致富能人筛选 — conditions on talents (all must hold); always limited to your subtree',
    fields: (t) => ({
      under: t.id({
        required: false,
        description: '党组织范围 — only talents followed by this organization or one below it (default: your own)',
      }),
      stage: t.field({ type: [enums.Stage], required: false, description: '阶段 — any of these current stages' }),
      isMember: t.boolean({ required: false, description: '是否党员 — true: only talents who are members; false: only non-members' }),
      search: t.string({ required: false, description: '搜索 — part of the name, trade, enterprise or village' }),
    }),
  });

  builder.queryField('talent', (t) =>
    t.prismaField({
      type: 'Talent',
      nullable: true,
      description: '致富能人 — one talent by global ID; null when it does not exist or lies outside your subtree',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '全局 ID — global ID of the talent' }) },
      resolve: async (query, _root, args, ctx) =>
        ctx.db.talent.findFirst({ ...query, where: { id: decodeId('Talent', String(args.id), 'id'), ...(await inViewerScope(ctx)) } }),
    }),
  );

  builder.queryField('talents', (t) =>
    t.prismaConnection(
      {
        type: 'Talent',
        cursor: 'id',
        description: '致富能人列表 — talents followed by organizations of your subtree, by name',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件 — filter' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.talent.findMany({ ...query, where: await talentsWhere(ctx, args.filter), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
        totalCount: async (_root, args, ctx) => ctx.db.talent.count({ where: await talentsWhere(ctx, args.filter) }),
      },
      { description: '致富能人分页 — a page of talents with the total count' },
      { description: '致富能人分页项 — one talent with its cursor' },
    ),
  );

  registerTalentMutations(builder, deps);
  registerTalentStage(builder, deps);
  registerTalentDevelopment(builder, deps);
  registerTalentPipeline(builder, deps);
}
