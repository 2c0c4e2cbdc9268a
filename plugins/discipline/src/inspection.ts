import { checkNotBefore, checkNotFuture, IDEMPOTENCY_KEY_ARG, isoDate, requiredText } from '@dangjian/core';
import {
  ConflictError,
  decodeId,
  InputError,
  loadOrganization,
  modelRef,
  NotFoundError,
  organizationScope,
  requireViewer,
  resolveUnder,
  type Builder,
  type Context,
} from '@dangjian/core';
import type { Prisma } from '@dangjian/db';
import type { Deps } from './deps.ts';
import { ADMIN_OR_DISCIPLINE, assertInspectingSide, inspectedIdsUnder, visibleInspectionWhere } from './access.ts';
import { checkInspectors } from './rectification-rules.ts';

/** Kinds of organization that inspect: a working committee or a (机关) party committee with its 纪委. */
const INSPECTING_KINDS = new Set(['WORKING_COMMITTEE', 'COMMITTEE']);

interface InspectionFilterInput {
  under?: string | number | null;
  from?: Date | null;
  to?: Date | null;
}

/** The `inspections` filter as a Prisma where, always inside what the viewer may see. */
async function inspectionsWhere(
  ctx: Context,
  filter: InspectionFilterInput | null | undefined,
): Promise<Prisma.DisciplineInspectionWhereInput> {
  const f = filter ?? {};
  checkNotBefore(f.to, f.from, 'filter.to', 'filter.from');
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  return {
    inspectedOrganizationId: { in: await inspectedIdsUnder(ctx, path) },
    ...(f.from || f.to ? { date: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
  };
}

/** 督查 (Inspection): the type, `inspection`, `inspections` and `openInspection`. */
export function registerInspection(builder: Builder, { api }: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');

  builder.prismaNode('DisciplineInspection', {
    name: 'Inspection',
    description: '督查 — an inspection of an organization by a superior committee, with the problems it found',
    id: { field: 'id' },
    // `node(id:)` answers for an inspection the viewer may not see exactly as for a missing one.
    findUnique: async (id, ctx) => ({ ...(await visibleInspectionWhere(ctx)), id }),
    nullable: true,
    fields: (t) => ({
      inspectedOrganization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '被督查党组织 — the organization inspected',
        resolve: (query, row, _args, ctx) => loadOrganization(ctx, row.inspectedOrganizationId, query),
      }),
      inspectingOrganization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '督查党组织 — the committee that inspected; null when it lies above your own organization',
        resolve: (query, row, _args, ctx) => loadOrganization(ctx, row.inspectingOrganizationId, query),
      }),
      date: t.expose('date', { type: 'Date', description: '督查日期 — the day of the inspection' }),
      scope: t.exposeString('scope', { description: '督查范围 — what was inspected (e.g. 三会一课落实情况)' }),
      inspectors: t.exposeStringList('inspectors', { description: '督查人员 — names of the inspectors' }),
      openedAt: t.expose('createdAt', { type: 'DateTime', description: '登记时间 — when the inspection was recorded' }),
      problemCount: t.relationCount('problems', { description: '问题数 — problems found' }),
      problems: t.relation('problems', {
        description: '问题清单 — the problems found, in the order recorded',
        query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      }),
    }),
  });

  const Filter = builder.inputType('InspectionFilter', {
    description: '督查筛选 — conditions on inspections (all must hold)',
    fields: (t) => ({
      under: t.id({
        required: false,
        description: '党组织 — only inspections of this organization and everything below it (default: your own)',
      }),
      from: t.field({ type: 'Date', required: false, description: '起始日期 — inspected on or after this day' }),
      to: t.field({ type: 'Date', required: false, description: '截止日期 — inspected on or before this day' }),
    }),
  });

  builder.queryField('inspection', (t) =>
    t.prismaField({
      type: 'DisciplineInspection',
      nullable: true,
      description: '督查 — one inspection by global ID; null when it does not exist or you may not see it',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '全局 ID' }) },
      resolve: async (query, _root, args, ctx) =>
        ctx.db.disciplineInspection.findFirst({
          ...query,
          where: { id: decodeId('Inspection', String(args.id), 'id'), ...(await visibleInspectionWhere(ctx)) },
        }),
    }),
  );

  builder.queryField('inspections', (t) =>
    t.prismaConnection(
      {
        type: 'DisciplineInspection',
        cursor: 'id',
        description: '督查列表 — inspections of organizations in your subtree, most recent first (ADMIN, SECRETARY, DISCIPLINE or AUDITOR)',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.disciplineInspection.findMany({
            ...query,
            where: await inspectionsWhere(ctx, args.filter),
            orderBy: [{ date: 'desc' }, { id: 'desc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.disciplineInspection.count({ where: await inspectionsWhere(ctx, args.filter) }),
      },
      { description: '督查分页 — a page of inspections with the total count' },
      { description: '督查分页项 — one inspection of a page' },
    ),
  );

  const OpenInput = builder.inputType('OpenInspectionInput', {
    description: '开展督查 — record an inspection of an organization',
    fields: (t) => ({
      inspectedOrganizationId: t.id({
        required: true,
        description: '被督查党组织 — the organization inspected, below the inspecting committee',
      }),
      inspectingOrganizationId: t.id({
        required: false,
        description:
          '督查党组织 — the inspecting 机关工委 or 党委, a strict ancestor of the inspected organization (default: your own organization)',
      }),
      date: t.field({ type: 'Date', required: true, description: '督查日期 — the day of the inspection; not in the future' }),
      scope: t.string({ required: true, description: '督查范围 — what is inspected (at most 200 characters)' }),
      inspectors: t.stringList({ required: true, description: '督查人员 — names of the inspectors, at least one, each once' }),
    }),
  });

  builder.mutationField('openInspection', (t) =>
    t.prismaField({
      type: 'DisciplineInspection',
      description:
        '开展督查 — record an inspection by your committee (or one below it) of an organization under it (ADMIN or DISCIPLINE); publishes `discipline.inspectionOpened`',
      authScopes: ADMIN_OR_DISCIPLINE,
      args: {
        input: t.arg({ type: OpenInput, required: true, description: '督查信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const viewer = requireViewer(ctx);
        const scope = requiredText(input.scope, 'input.scope', 'name');
        const inspectors = checkInspectors(input.inspectors, 'input.inspectors');
        checkNotFuture(input.date, 'input.date');
        const inspectedId = decodeId('Organization', String(input.inspectedOrganizationId), 'input.inspectedOrganizationId');
        const inspectingId = input.inspectingOrganizationId
          ? decodeId('Organization', String(input.inspectingOrganizationId), 'input.inspectingOrganizationId')
          : viewer.organizationId;
        return api.transact(ctx, async (tx, publish) => {
          const orgs = await tx.organization.findMany({ where: { id: { in: [inspectedId, inspectingId] }, ...organizationScope(ctx) } });
          const inspected = orgs.find((o) => o.id === inspectedId);
          const inspecting = orgs.find((o) => o.id === inspectingId);
          if (!inspected) throw new NotFoundError('Organization', String(input.inspectedOrganizationId));
          if (!inspecting) throw new NotFoundError('Organization', String(input.inspectingOrganizationId ?? inspectingId));
          if (!INSPECTING_KINDS.has(inspecting.kind))
            throw new InputError('input.inspectingOrganizationId', 'must be a 机关工委 or 党委 (WORKING_COMMITTEE or COMMITTEE)');
          if (inspected.id === inspecting.id || !inspected.path.startsWith(inspecting.path)) {
            throw new InputError('input.inspectedOrganizationId', `must lie below ${inspecting.name}, the inspecting committee`);
          }
          assertInspectingSide(viewer, inspecting);
          const duplicate = await tx.disciplineInspection.count({
            where: { inspectedOrganizationId: inspected.id, inspectingOrganizationId: inspecting.id, date: input.date, scope },
          });
          if (duplicate > 0)
            throw new ConflictError(`${inspecting.name} already recorded this inspection of ${inspected.name} on ${isoDate(input.date)}`, {
              field: 'input.scope',
            });
          const row = await tx.disciplineInspection.create({
            ...query,
            data: {
              inspectedOrganizationId: inspected.id,
              inspectingOrganizationId: inspecting.id,
              date: input.date,
              scope,
              inspectors,
              createdBy: viewer.userId,
            },
          });
          await publish('discipline.inspectionOpened', {
            organization: inspected,
            subjectType: 'Inspection',
            subjectId: row.id,
            summary: `${inspecting.name}对${inspected.name}开展督查：${scope}`,
            data: { date: isoDate(input.date), inspectingOrganizationId: inspecting.id, inspectors },
          });
          return row;
        });
      },
    }),
  );
}
