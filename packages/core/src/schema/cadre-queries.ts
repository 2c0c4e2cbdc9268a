import type { CadrePost, OrganizationKind, Prisma } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { organizationScope } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { InputError } from '../errors/errors.ts';
import { resolveUnder } from '../kit/under.ts';
import type { CadrePostRef } from './cadre.ts';
import { yearsBefore } from './cadre-rules.ts';
import { decodeId } from './global-id.ts';
import type { OrganizationKindRef } from './organization.ts';
import { utcToday } from '../kit/dates.ts';

/**
 * The OrganizationKind enum is created inside registerOrganization and not handed out; Pothos resolves
 * a type name to its ref when the schema is built, so the name stands in for the ref here.
 */
const OrganizationKindByName = 'OrganizationKind' as unknown as OrganizationKindRef;

/** Kinds that are expected to have a 书记; a 党小组 has a 组长 and the top working committee is staffed by the city. */
export const SECRETARY_KINDS: readonly OrganizationKind[] = ['COMMITTEE', 'GENERAL_BRANCH', 'BRANCH', 'TEMPORARY_BRANCH'];

interface CadreFilterInput {
  under?: string | number | null;
  post?: CadrePost[] | null;
  fullTime?: boolean | null;
  current?: boolean | null;
  untrainedSinceYears?: number | null;
}

/** The `cadres` filter as one Prisma where, always inside the viewer's subtree. */
async function cadresWhere(ctx: Context, filter: CadreFilterInput | null | undefined): Promise<Prisma.CadreWhereInput> {
  const f = filter ?? {};
  const years = f.untrainedSinceYears;
  if (years !== null && years !== undefined && (years < 1 || years > 50)) {
    throw new InputError('filter.untrainedSinceYears', 'must be from 1 to 50');
  }
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  return {
    AND: [
      { organization: { path: { startsWith: path } } },
      f.post?.length ? { post: { in: f.post } } : {},
      f.fullTime === true || f.fullTime === false ? { fullTime: f.fullTime } : {},
      f.current === true ? { endDate: null } : {},
      f.current === false ? { endDate: { not: null } } : {},
      // "No training in N years" is a relation filter, so counting and paging stay in SQL.
      years ? { member: { trainings: { none: { date: { gte: yearsBefore(utcToday(), years) } } } } } : {},
    ],
  };
}

function withoutSecretaryWhere(path: string, kinds: readonly OrganizationKind[] | null | undefined): Prisma.OrganizationWhereInput {
  return {
    path: { startsWith: path },
    kind: { in: kinds?.length ? [...kinds] : [...SECRETARY_KINDS] },
    cadres: { none: { post: 'SECRETARY', endDate: null } },
  };
}

/** Queries answering the reports' questions on cadres: who holds posts, who is untrained, where posts are vacant. */
export function registerCadreQueries(builder: Builder, refs: { Post: CadrePostRef }): void {
  const Filter = builder.inputType('CadreFilter', {
    description: '党务干部筛选 — conditions on cadres (all must hold)',
    fields: (t) => ({
      under: t.id({ required: false, description: '党组织 — only posts in this organization and everything below it (default: your own)' }),
      post: t.field({ type: [refs.Post], required: false, description: '职务 — any of these posts (a single value is accepted too)' }),
      fullTime: t.boolean({ required: false, description: '专职 — true: only full-time (专职); false: only part-time (兼职)' }),
      current: t.boolean({
        required: false,
        defaultValue: true,
        description: '现任 — true (default): only posts still held; false: only ended posts; null: both',
      }),
      untrainedSinceYears: t.int({
        required: false,
        description: '未培训年限 — only holders with no training in the last N years (1–50), e.g. 3 for the 三年轮训 rule',
      }),
    }),
  });

  builder.queryField('cadre', (t) =>
    t.prismaField({
      type: 'Cadre',
      nullable: true,
      description: '党务干部 — one post by global ID; null when it does not exist or lies outside your subtree',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '全局 ID' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.cadre.findFirst({ ...query, where: { id: decodeId('Cadre', String(args.id), 'id'), organization: organizationScope(ctx) } }),
    }),
  );

  builder.queryField('cadres', (t) =>
    t.prismaConnection(
      {
        type: 'Cadre',
        cursor: 'id',
        description:
          '党务干部列表 — posts in your subtree by organization code, then post, then latest appointment; ' +
          'e.g. part-time secretaries: filter {post: SECRETARY, fullTime: false}; untrained for three years: {untrainedSinceYears: 3}',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件 — conditions; by default only current posts' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.cadre.findMany({
            ...query,
            where: await cadresWhere(ctx, args.filter ?? { current: true }),
            orderBy: [{ organization: { code: 'asc' } }, { post: 'asc' }, { startDate: 'desc' }, { id: 'asc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.cadre.count({ where: await cadresWhere(ctx, args.filter ?? { current: true }) }),
      },
      { description: '党务干部分页 — a page of cadres with the total count' },
      { description: '党务干部分页项 — one cadre of a page' },
    ),
  );

  builder.queryField('organizationsWithoutSecretary', (t) =>
    t.prismaConnection(
      {
        type: 'Organization',
        cursor: 'id',
        description: '书记空缺 — organizations in your subtree with no current 书记, top down then by code',
        authScopes: { authenticated: true },
        args: {
          under: t.arg.id({ required: false, description: '党组织 — only this organization and everything below it (default: your own)' }),
          kinds: t.arg({
            type: [OrganizationKindByName],
            required: false,
            description: '类别 — kinds to check (default: COMMITTEE, GENERAL_BRANCH, BRANCH, TEMPORARY_BRANCH)',
          }),
        },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.organization.findMany({
            ...query,
            where: withoutSecretaryWhere(await resolveUnder(ctx, args.under), args.kinds),
            orderBy: [{ depth: 'asc' }, { code: 'asc' }],
          }),
        totalCount: async (_root, args, ctx) =>
          ctx.db.organization.count({ where: withoutSecretaryWhere(await resolveUnder(ctx, args.under), args.kinds) }),
      },
      { description: '书记空缺分页 — a page of organizations without a secretary, with the total count' },
      { description: '书记空缺分页项 — one organization of a page' },
    ),
  );
}
