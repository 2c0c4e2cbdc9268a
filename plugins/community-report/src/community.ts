import { IDEMPOTENCY_KEY_ARG, uniqueOrConflict } from '@dangjian/core';
import {
  ConflictError,
  decodeId,
  ForbiddenError,
  hasRole,
  InputError,
  optionalText,
  patchText,
  requestLoader,
  requiredText,
  requireViewer,
  rootOf,
  type Builder,
  type Context,
} from '@dangjian/core';
import type { Prisma } from '@dangjian/db';
import type { Deps } from './deps.ts';
import { checkYear } from './community-rules.ts';
import { communityWhere, findCommunity } from './scope.ts';
import { verifiedHoursBy } from './hours.ts';

/** Whether the viewer is an ADMIN of a top-level working committee (机关工委), who keeps its communities. */
function assertTopLevelAdmin(ctx: Context): string {
  const viewer = requireViewer(ctx);
  const root = rootOf(viewer);
  if (!hasRole(viewer, 'ADMIN') || viewer.organizationId !== root) {
    throw new ForbiddenError('communities are kept by an ADMIN of the top-level working committee');
  }
  return root;
}

/** 社区 (Community): the type, `community` / `communities`, `createCommunity` / `updateCommunity`. */
export function registerCommunity(builder: Builder, { api }: Deps): void {
  builder.prismaNode('Community', {
    description: '社区 — a residential community that agency organizations and members register with (报到)',
    id: { field: 'id', description: '全局 ID — global ID' },
    // `node(id:)` answers for a community of another department exactly as for a missing one.
    findUnique: (id, ctx) => ({ id, AND: [communityWhere(ctx)] }),
    nullable: true,
    fields: (t) => ({
      name: t.exposeString('name', { description: '名称 — name of the community, e.g. 幸福里社区' }),
      street: t.exposeString('street', { nullable: true, description: '街道 — the sub-district (街道) it belongs to' }),
      district: t.exposeString('district', { nullable: true, description: '区 — the district' }),
      partyOrganizationName: t.exposeString('partyOrganizationName', {
        nullable: true,
        description: '社区党组织 — the community’s own party organization',
      }),
      contactName: t.exposeString('contactName', { nullable: true, description: '联系人 — contact of the community party organization' }),
      contactPhone: t.exposeString('contactPhone', { nullable: true, description: '联系电话 — contact phone' }),
      openDemands: t.relation('demands', {
        description: '开放需求 — the community’s demands open for claims, newest first',
        query: { where: { status: 'OPEN' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
      }),
      verifiedHours: t.field({
        type: 'Decimal',
        description: '已核实服务时长 — verified service hours in this community in a year, of the members you may see',
        args: { year: t.arg.int({ required: false, description: '年度 — year (default: this year)' }) },
        resolve: (community, args, ctx) => {
          const year = checkYear(args.year, 'year');
          return requestLoader(ctx, 'community-report.communityHours', (keys: readonly string[]) =>
            verifiedHoursBy(ctx, 'communityId', keys),
          ).load(`${year}:${community.id}`);
        },
      }),
    }),
  });

  builder.queryField('community', (t) =>
    t.prismaField({
      type: 'Community',
      nullable: true,
      description: '社区 — one community by global ID; null when it does not exist or you may not see it',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '全局 ID — global ID' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.community.findFirst({ ...query, where: { id: decodeId('Community', String(args.id), 'id'), ...communityWhere(ctx) } }),
    }),
  );

  const communitiesWhere = (ctx: Context, search: string | null | undefined): Prisma.CommunityWhereInput => {
    const text = optionalText(search, 'search', 'name');
    return {
      AND: [
        communityWhere(ctx),
        text
          ? {
              OR: [
                { name: { contains: text, mode: 'insensitive' } },
                { street: { contains: text, mode: 'insensitive' } },
                { district: { contains: text, mode: 'insensitive' } },
              ],
            }
          : {},
      ],
    };
  };

  builder.queryField('communities', (t) =>
    t.prismaConnection(
      {
        type: 'Community',
        cursor: 'id',
        description: '社区列表 — communities of your department (a community administrator: only their own), by name',
        authScopes: { authenticated: true },
        args: { search: t.arg.string({ required: false, description: '搜索 — part of the name, street or district' }) },
        resolve: (query, _root, args, ctx) =>
          ctx.db.community.findMany({ ...query, where: communitiesWhere(ctx, args.search), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
        totalCount: (_root, args, ctx) => ctx.db.community.count({ where: communitiesWhere(ctx, args.search) }),
      },
      { description: '社区分页 — a page of communities with the total count' },
      { description: '社区分页项 — one community of a page' },
    ),
  );

  const CommunityInput = builder.inputType('CommunityInput', {
    description: '社区信息 — a community’s details (on update, fields left out stay as they are)',
    fields: (t) => ({
      name: t.string({
        required: false,
        description: '名称 — name (required on create, at most 100 characters, unique in the department)',
      }),
      street: t.string({ required: false, description: '街道 — sub-district (at most 100 characters)' }),
      district: t.string({ required: false, description: '区 — district (at most 100 characters)' }),
      partyOrganizationName: t.string({
        required: false,
        description: '社区党组织 — the community’s party organization (at most 100 characters)',
      }),
      contactName: t.string({ required: false, description: '联系人 — contact (at most 50 characters)' }),
      contactPhone: t.string({ required: false, description: '联系电话 — contact phone (at most 30 characters)' }),
    }),
  });

  interface CommunityInputShape {
    name?: string | null;
    street?: string | null;
    district?: string | null;
    partyOrganizationName?: string | null;
    contactName?: string | null;
    contactPhone?: string | null;
  }
  /** The optional fields of the input, checked; `undefined` for fields left out. */
  const details = (input: CommunityInputShape) => {
    const pick = (value: string | null | undefined, field: string, max: number) => patchText(value, `input.${field}`, 'name', max);
    return {
      street: pick(input.street, 'street', 100),
      district: pick(input.district, 'district', 100),
      partyOrganizationName: pick(input.partyOrganizationName, 'partyOrganizationName', 100),
      contactName: pick(input.contactName, 'contactName', 50),
      contactPhone: pick(input.contactPhone, 'contactPhone', 30),
    };
  };
  const nameTaken = (name: string) =>
    new ConflictError(`a community named ${name} already exists in this department`, { field: 'input.name' });

  builder.mutationField('createCommunity', (t) =>
    t.prismaField({
      type: 'Community',
      description: '新建社区 — add a community to your department (ADMIN of the top-level working committee)',
      authScopes: { role: 'ADMIN' },
      args: {
        input: t.arg({ type: CommunityInput, required: true, description: '社区信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const root = assertTopLevelAdmin(ctx);
        if (input.name === null || input.name === undefined) throw new InputError('input.name', 'is required');
        const name = requiredText(input.name, 'input.name', 'name', 100);
        const data = details(input);
        return api.transact(ctx, async (tx) => {
          if ((await tx.community.count({ where: { rootOrganizationId: root, name } })) > 0) throw nameTaken(name);
          return uniqueOrConflict(
            () => tx.community.create({ ...query, data: { rootOrganizationId: root, name, ...data } }),
            () => nameTaken(name),
          );
        });
      },
    }),
  );

  builder.mutationField('updateCommunity', (t) =>
    t.prismaField({
      type: 'Community',
      description: '修改社区 — change a community’s details (ADMIN of the top-level working committee)',
      authScopes: { role: 'ADMIN' },
      args: {
        id: t.arg.id({ required: true, description: '社区 — global ID' }),
        input: t.arg({ type: CommunityInput, required: true, description: '要修改的字段' }),
      },
      resolve: async (query, _root, { id, input }, ctx) => {
        const root = assertTopLevelAdmin(ctx);
        const communityId = decodeId('Community', String(id), 'id');
        const name = input.name === undefined || input.name === null ? undefined : requiredText(input.name, 'input.name', 'name', 100);
        const data = details(input);
        return api.transact(ctx, async (tx) => {
          const community = await findCommunity(tx, ctx, communityId, String(id));
          if (name && name !== community.name && (await tx.community.count({ where: { rootOrganizationId: root, name } })) > 0)
            throw nameTaken(name);
          return uniqueOrConflict(
            () => tx.community.update({ ...query, where: { id: community.id }, data: { ...(name ? { name } : {}), ...data } }),
            () => nameTaken(name ?? community.name),
          );
        });
      },
    }),
  );
}
