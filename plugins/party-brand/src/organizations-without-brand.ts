import { type Builder, type Context, organizationIdsUnder, resolveUnder } from '@dangjian/core';
import type { OrganizationKind, Prisma } from '@dangjian/db';
import { BRAND_ORGANIZATION_KINDS, HOLDING_STATES } from './brand-rules.ts';
import type { Deps } from './deps.ts';

/** Organizations under `under` of the given kinds that hold no brand (none, or only returned or revoked ones). */
async function withoutBrandWhere(
  ctx: Context,
  under: string | number | null | undefined,
  kinds: readonly OrganizationKind[] | null | undefined,
): Promise<Prisma.OrganizationWhereInput> {
  const path = await resolveUnder(ctx, under, 'under');
  const holders = await ctx.db.partyBrand.findMany({
    where: { organizationId: { in: await organizationIdsUnder(ctx, path) }, state: { in: [...HOLDING_STATES] } },
    select: { organizationId: true },
    distinct: ['organizationId'],
  });
  return {
    path: { startsWith: path },
    kind: { in: kinds?.length ? [...kinds] : [...BRAND_ORGANIZATION_KINDS] },
    id: { notIn: holders.map((h) => h.organizationId) },
  };
}

/** `organizationsWithoutBrand(under, kinds)`: where "one branch, one brand" is still to be done. */
export function registerOrganizationsWithoutBrand(builder: Builder, _deps: Deps): void {
  // The OrganizationKind enum is core's and not exported; Pothos resolves a type name to its ref when the schema is built.
  const OrganizationKindByName = 'OrganizationKind' as unknown as ReturnType<
    typeof builder.enumType<string, Record<OrganizationKind, { description: string }>>
  >;

  builder.queryField('organizationsWithoutBrand', (t) =>
    t.prismaConnection(
      {
        type: 'Organization',
        cursor: 'id',
        description:
          '尚无党建品牌的党组织 — organizations of a subtree holding no brand yet (none, or only returned or revoked ones), by code',
        authScopes: { authenticated: true },
        args: {
          under: t.arg.id({
            required: false,
            description: '党组织 — look at this organization and everything below it (default: your own)',
          }),
          kinds: t.arg({
            type: [OrganizationKindByName],
            required: false,
            description:
              '类别 — only these kinds (default: the kinds that hold brands — COMMITTEE, GENERAL_BRANCH, BRANCH, TEMPORARY_BRANCH)',
          }),
        },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.organization.findMany({
            ...query,
            where: await withoutBrandWhere(ctx, args.under, args.kinds),
            orderBy: [{ code: 'asc' }, { id: 'asc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.organization.count({ where: await withoutBrandWhere(ctx, args.under, args.kinds) }),
      },
      { description: '尚无品牌的党组织分页 — a page of organizations without a brand, with the total count' },
      { description: '尚无品牌的党组织分页项 — one organization of a page' },
    ),
  );
}
