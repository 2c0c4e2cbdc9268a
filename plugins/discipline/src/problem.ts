import { checkNotBefore, IDEMPOTENCY_KEY_ARG, isoDate, requiredText } from '@dangjian/core';
import {
  decodeId,
  hasRole,
  InputError,
  loadMember,
  loadOrganization,
  modelRef,
  NotFoundError,
  requireViewer,
  resolveUnder,
  type Builder,
} from '@dangjian/core';
import { ADMIN_OR_DISCIPLINE, assertInspectingSide, INSPECTION_READERS, visibleInspectionWhere } from './access.ts';
import type { Deps } from './deps.ts';
import { checkDeadline } from './rectification-rules.ts';
import type { DisciplineProblemCategory, DisciplineResponsibilityKind } from '@dangjian/db';

/** Order and Chinese names of the problem categories (党的建设 in its five parts plus 制度建设). */
export const CATEGORIES: Record<DisciplineProblemCategory, string> = {
  POLITICAL: '政治建设 — political building (political stance, implementing decisions)',
  IDEOLOGICAL: '思想建设 — ideological building (study, theory, ideology work)',
  ORGANIZATIONAL: '组织建设 — organizational building (三会一课, dues, membership, cadres)',
  CONDUCT: '作风建设 — conduct (formalism, bureaucratism, the eight-point rules)',
  INTEGRITY: '纪律建设 — discipline and integrity (廉洁纪律, 党风廉政)',
  INSTITUTIONAL: '制度建设 — institutions (rules missing or not applied)',
};

/** Most problems an inspection records at once, and most list entries per problem. */
const MAX_ENTRIES = 50;

interface ResponsibilityInput {
  kind: DisciplineResponsibilityKind;
  memberId?: string | number | null;
  organizationId?: string | number | null;
}

interface CategoryRow {
  category: DisciplineProblemCategory;
  problems: number;
  inspections: number;
  openRectifications: number;
}

/** 问题清单 and 责任清单: the problem and responsibility types, `addInspectionProblem`, `problemsByCategory`. */
export function registerProblem(builder: Builder, { api, enums }: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');
  const MemberRef = modelRef(builder, 'Member');

  builder.prismaNode('DisciplineInspectionProblem', {
    name: 'InspectionProblem',
    description: '问题 — one problem an inspection found, with who answers for it and how it is rectified',
    id: { field: 'id' },
    findUnique: async (id, ctx) => ({ id, inspection: await visibleInspectionWhere(ctx) }),
    nullable: true,
    fields: (t) => ({
      inspection: t.relation('inspection', { description: '督查 — the inspection that found it' }),
      category: t.expose('category', { type: enums.ProblemCategory, description: '问题类别 — category' }),
      description: t.exposeString('description', { description: '问题描述 — what is wrong' }),
      recordedAt: t.expose('createdAt', { type: 'DateTime', description: '登记时间 — when it was recorded' }),
      responsibilities: t.relation('responsibilities', {
        description: '责任清单 — who answers for the problem, primary responsibility first',
        query: { orderBy: [{ kind: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] },
      }),
      rectifications: t.relation('rectifications', {
        description: '整改清单 — the rectification items, earliest deadline first',
        query: { orderBy: [{ deadline: 'asc' }, { id: 'asc' }] },
      }),
    }),
  });

  builder.prismaObject('DisciplineProblemResponsibility', {
    name: 'ProblemResponsibility',
    description: '责任 — one entry of a problem’s responsibility list: a person, an organization, or both',
    fields: (t) => ({
      kind: t.expose('kind', { type: enums.ResponsibilityKind, description: '责任类别 — primary or direct' }),
      member: t.prismaField({
        type: MemberRef,
        nullable: true,
        description: '责任人 — the member who answers for it; null when none is named or outside your subtree',
        resolve: (query, row, _args, ctx) => (row.memberId ? loadMember(ctx, row.memberId, query) : null),
      }),
      organization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '责任单位 — the organization that answers for it; null when none is named or outside your subtree',
        resolve: (query, row, _args, ctx) => (row.organizationId ? loadOrganization(ctx, row.organizationId, query) : null),
      }),
    }),
  });

  const ResponsibilityInput = builder.inputType('ProblemResponsibilityInput', {
    description: '责任 — who answers for a problem: a member, an organization, or both, in the inspected organization’s subtree',
    fields: (t) => ({
      kind: t.field({ type: enums.ResponsibilityKind, required: true, description: '责任类别 — primary or direct' }),
      memberId: t.id({ required: false, description: '责任人 — a member of the inspected organization or below it' }),
      organizationId: t.id({ required: false, description: '责任单位 — the inspected organization or one below it' }),
    }),
  });

  const RectificationInput = builder.inputType('RectificationItemInput', {
    description: '整改事项 — one measure with its deadline',
    fields: (t) => ({
      measure: t.string({ required: true, description: '整改措施 — what will be done (at most 500 characters)' }),
      deadline: t.field({ type: 'Date', required: true, description: '整改时限 — the last day; not before the inspection date' }),
    }),
  });

  const AddInput = builder.inputType('AddInspectionProblemInput', {
    description: '登记问题 — a problem an inspection found, with its responsibility and rectification lists',
    fields: (t) => ({
      inspectionId: t.id({ required: true, description: '督查 — the inspection' }),
      category: t.field({ type: enums.ProblemCategory, required: true, description: '问题类别 — category' }),
      description: t.string({ required: true, description: '问题描述 — what is wrong (at most 2000 characters)' }),
      responsibilities: t.field({ type: [ResponsibilityInput], required: true, description: '责任清单 — at least one entry, each once' }),
      rectifications: t.field({ type: [RectificationInput], required: true, description: '整改清单 — at least one item' }),
    }),
  });

  builder.mutationField('addInspectionProblem', (t) =>
    t.prismaField({
      type: 'DisciplineInspectionProblem',
      description:
        '登记问题 — record a problem of an inspection with who answers for it and how it is to be rectified (ADMIN or DISCIPLINE of the inspecting committee or above)',
      authScopes: ADMIN_OR_DISCIPLINE,
      args: {
        input: t.arg({ type: AddInput, required: true, description: '问题信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const viewer = requireViewer(ctx);
        const description = requiredText(input.description, 'input.description', 'long', 2000);
        const inspectionId = decodeId('Inspection', String(input.inspectionId), 'input.inspectionId');
        const responsibilities = checkResponsibilities(input.responsibilities);
        if (input.rectifications.length === 0) throw new InputError('input.rectifications', 'must list at least one rectification item');
        if (input.rectifications.length > MAX_ENTRIES)
          throw new InputError('input.rectifications', `must list at most ${MAX_ENTRIES} items`);
        const items = input.rectifications.map((r, i) => ({
          measure: requiredText(r.measure, `input.rectifications[${i}].measure`, 'short', 500),
          deadline: r.deadline,
        }));
        // Resolved before the transaction: it reads through ctx.db, which waits for the transaction's connection.
        const visible = await visibleInspectionWhere(ctx);
        return api.transact(ctx, async (tx) => {
          const inspection = await tx.disciplineInspection.findFirst({ where: { id: inspectionId, ...visible } });
          if (!inspection) throw new NotFoundError('Inspection', String(input.inspectionId));
          const orgs = await tx.organization.findMany({
            where: { id: { in: [inspection.inspectedOrganizationId, inspection.inspectingOrganizationId] } },
          });
          const inspected = orgs.find((o) => o.id === inspection.inspectedOrganizationId)!;
          const inspecting = orgs.find((o) => o.id === inspection.inspectingOrganizationId)!;
          assertInspectingSide(viewer, inspecting);
          items.forEach((item, i) => checkDeadline(item.deadline, inspection.date, `input.rectifications[${i}].deadline`));
          // Everyone named must belong to the inspected organization's subtree: one query per kind of reference.
          const memberIds = responsibilities.flatMap((r) => (r.memberId ? [r.memberId] : []));
          const orgIds = responsibilities.flatMap((r) => (r.organizationId ? [r.organizationId] : []));
          const [members, responsibleOrgs] = await Promise.all([
            memberIds.length
              ? tx.member.findMany({
                  where: { id: { in: memberIds }, organization: { path: { startsWith: inspected.path } } },
                  select: { id: true },
                })
              : [],
            orgIds.length
              ? tx.organization.findMany({ where: { id: { in: orgIds }, path: { startsWith: inspected.path } }, select: { id: true } })
              : [],
          ]);
          const knownMembers = new Set(members.map((m) => m.id));
          const knownOrgs = new Set(responsibleOrgs.map((o) => o.id));
          responsibilities.forEach((r, i) => {
            if (r.memberId && !knownMembers.has(r.memberId))
              throw new InputError(
                `input.responsibilities[${i}].memberId`,
                `is not a member of ${inspected.name} or of an organization below it`,
              );
            if (r.organizationId && !knownOrgs.has(r.organizationId))
              throw new InputError(`input.responsibilities[${i}].organizationId`, `is not ${inspected.name} or an organization below it`);
          });
          return tx.disciplineInspectionProblem.create({
            ...query,
            data: {
              inspectionId: inspection.id,
              category: input.category,
              description,
              responsibilities: { createMany: { data: responsibilities } },
              rectifications: { createMany: { data: items } },
            },
          });
        });
      },
    }),
  );

  const CategoryCount = builder.objectRef<CategoryRow>('ProblemCategoryCount').implement({
    description: '问题类别统计 — problems of one category across the inspections of a subtree',
    fields: (t) => ({
      category: t.field({ type: enums.ProblemCategory, description: '问题类别 — category', resolve: (r) => r.category }),
      problems: t.exposeInt('problems', { description: '问题数 — problems found' }),
      inspections: t.exposeInt('inspections', { description: '督查次数 — inspections that found at least one such problem' }),
      openRectifications: t.exposeInt('openRectifications', { description: '未完成整改 — their rectification items not yet accepted' }),
    }),
  });

  builder.queryField('problemsByCategory', (t) =>
    t.field({
      type: [CategoryCount],
      description:
        '问题类别分布 — problems by category across the inspections of organizations in a subtree, every category listed (ADMIN, SECRETARY, DISCIPLINE or AUDITOR; zeros for anyone else)',
      authScopes: { authenticated: true },
      args: {
        under: t.arg.id({
          required: false,
          description: '党组织 — inspections of this organization and everything below it (default: your own)',
        }),
        from: t.arg({ type: 'Date', required: false, description: '起始日期 — inspections on or after this day' }),
        to: t.arg({ type: 'Date', required: false, description: '截止日期 — inspections on or before this day' }),
      },
      resolve: async (_root, args, ctx) => {
        const viewer = requireViewer(ctx);
        checkNotBefore(args.to, args.from, 'to', 'from');
        const path = await resolveUnder(ctx, args.under);
        const rows = hasRole(viewer, ...INSPECTION_READERS)
          ? await ctx.db.$queryRaw<CategoryRow[]>`
              SELECT p.category::text AS category,
                     count(DISTINCT p.id)::int AS problems,
                     count(DISTINCT p."inspectionId")::int AS inspections,
                     (count(r.id) FILTER (WHERE r.status::text <> 'ACCEPTED'))::int AS "openRectifications"
                FROM "DisciplineInspectionProblem" p
                JOIN "DisciplineInspection" i ON i.id = p."inspectionId"
                JOIN "Organization" o ON o.id = i."inspectedOrganizationId"
                LEFT JOIN "DisciplineRectification" r ON r."problemId" = p.id
               WHERE o.path LIKE ${`${path}%`}
                 AND (${args.from ? isoDate(args.from) : null}::date IS NULL OR i.date >= ${args.from ? isoDate(args.from) : null}::date)
                 AND (${args.to ? isoDate(args.to) : null}::date IS NULL OR i.date <= ${args.to ? isoDate(args.to) : null}::date)
               GROUP BY p.category`
          : [];
        const byCategory = new Map(rows.map((r) => [r.category, r]));
        return (Object.keys(CATEGORIES) as DisciplineProblemCategory[]).map(
          (category) => byCategory.get(category) ?? { category, problems: 0, inspections: 0, openRectifications: 0 },
        );
      },
    }),
  );

  /** Validates the responsibility list on its own, naming the entry at fault. */
  function checkResponsibilities(list: readonly ResponsibilityInput[]) {
    if (list.length === 0) throw new InputError('input.responsibilities', 'must list at least one entry');
    if (list.length > MAX_ENTRIES) throw new InputError('input.responsibilities', `must list at most ${MAX_ENTRIES} entries`);
    const seen = new Set<string>();
    return list.map((entry, i) => {
      const field = `input.responsibilities[${i}]`;
      const memberId = entry.memberId ? decodeId('Member', String(entry.memberId), `${field}.memberId`) : null;
      const organizationId = entry.organizationId
        ? decodeId('Organization', String(entry.organizationId), `${field}.organizationId`)
        : null;
      if (!memberId && !organizationId) throw new InputError(`${field}.memberId`, 'name a member, an organization, or both');
      const key = JSON.stringify([entry.kind, memberId, organizationId]);
      if (seen.has(key)) throw new InputError(field, 'is listed more than once');
      seen.add(key);
      return { kind: entry.kind, memberId, organizationId };
    });
  }
}
