import { IDEMPOTENCY_KEY_ARG, optionalText, requiredText } from '@dangjian/core';
import { InputError, requireViewer, type Builder } from '@dangjian/core';
import { assertEditable, assertOwner, BRAND_ORGANIZATION_KINDS, checkBusiness, nextState, STEPS } from './brand-rules.ts';
import { assertNoOtherBrand, checkPlanFor, findBrandForWrite, findOrganizationForWrite, moveBrand } from './brand-write.ts';
import type { Deps } from './deps.ts';

/** Role scope of the owner's writes; the acting organization is checked in the resolver. */
const ADMIN_OR_SECRETARY = { role: 'ADMIN', $any: { role: 'SECRETARY' } } as const;

interface BrandTextInput {
  name?: string | null;
  slogan?: string | null;
  business?: string | null;
  description?: string | null;
  goals?: string | null;
  measures?: string | null;
}

/** The brand's texts validated and trimmed; absent keys stay absent so an update leaves them as they are. */
function checkTexts(input: BrandTextInput) {
  return {
    ...(input.name !== undefined && input.name !== null ? { name: requiredText(input.name, 'input.name', 'name', 50) } : {}),
    ...(input.business !== undefined && input.business !== null ? { business: checkBusiness(input.business, 'input.business') } : {}),
    ...(input.slogan !== undefined ? { slogan: optionalText(input.slogan, 'input.slogan', 'name', 100) } : {}),
    ...(input.description !== undefined ? { description: optionalText(input.description, 'input.description', 'long', 2000) } : {}),
    ...(input.goals !== undefined ? { goals: optionalText(input.goals, 'input.goals', 'long', 2000) } : {}),
    ...(input.measures !== undefined ? { measures: optionalText(input.measures, 'input.measures', 'long', 2000) } : {}),
  };
}

/** The owning organization's writes: `createBrand`, `updateBrand`, `submitBrand`. */
export function registerBrandMutations(builder: Builder, { api }: Deps): void {
  const CreateInput = builder.inputType('CreateBrandInput', {
    description: '创建党建品牌 — start a brand draft for your own organization',
    fields: (t) => ({
      organizationId: t.id({ required: true, description: '党组织 — the organization you act for (a 党委, 党总支 or 党支部)' }),
      planId: t.id({ required: false, description: '品牌创建规划 — the plan of a committee above it to apply under' }),
      name: t.string({ required: true, description: '品牌名称 — name (at most 50 characters)' }),
      slogan: t.string({ required: false, description: '品牌口号 — slogan (at most 100 characters)' }),
      business: t.string({ required: true, description: '党建+业务 — the business it serves, written 党建+X (e.g. 党建+科技)' }),
      description: t.string({ required: false, description: '品牌内涵 — what the brand means (at most 2000 characters)' }),
      goals: t.string({ required: false, description: '创建目标 — what it sets out to achieve (at most 2000 characters)' }),
      measures: t.string({ required: false, description: '主要举措 — how it will get there (at most 2000 characters)' }),
    }),
  });
  const UpdateInput = builder.inputType('UpdateBrandInput', {
    description: '修改党建品牌 — fields left out stay as they are; only a draft or a returned brand can be changed',
    fields: (t) => ({
      planId: t.id({ required: false, description: '品牌创建规划 — apply under this plan instead' }),
      name: t.string({ required: false, description: '品牌名称 — name (at most 50 characters)' }),
      slogan: t.string({ required: false, description: '品牌口号 — slogan; empty to clear' }),
      business: t.string({ required: false, description: '党建+业务 — the business it serves, written 党建+X' }),
      description: t.string({ required: false, description: '品牌内涵 — description; empty to clear' }),
      goals: t.string({ required: false, description: '创建目标 — goals; empty to clear' }),
      measures: t.string({ required: false, description: '主要举措 — measures; empty to clear' }),
    }),
  });

  builder.mutationField('createBrand', (t) =>
    t.prismaField({
      type: 'PartyBrand',
      description:
        '创建党建品牌 — start a brand draft for the organization you act for (its SECRETARY or ADMIN); one brand per organization',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        input: t.arg({ type: CreateInput, required: true, description: '品牌信息 — the brand' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const viewer = requireViewer(ctx);
        const texts = checkTexts(input);
        return api.transact(ctx, async (tx) => {
          const org = await findOrganizationForWrite(tx, ctx, String(input.organizationId), 'input.organizationId');
          assertOwner(viewer, org);
          if (!BRAND_ORGANIZATION_KINDS.includes(org.kind)) {
            throw new InputError(
              'input.organizationId',
              `a ${org.kind} does not hold a brand; only ${BRAND_ORGANIZATION_KINDS.join(', ')}`,
            );
          }
          const planId = input.planId ? await checkPlanFor(tx, org, String(input.planId), 'input.planId') : null;
          await assertNoOtherBrand(tx, org, null, 'input.organizationId');
          const brand = await tx.partyBrand.create({
            data: {
              organizationId: org.id,
              planId,
              name: texts.name!,
              business: texts.business!,
              slogan: texts.slogan ?? null,
              description: texts.description ?? null,
              goals: texts.goals ?? null,
              measures: texts.measures ?? null,
            },
          });
          await tx.partyBrandTransition.create({
            data: { brandId: brand.id, from: null, to: 'DRAFT', actorId: viewer.userId, comment: null },
          });
          return tx.partyBrand.findUniqueOrThrow({ ...query, where: { id: brand.id } });
        });
      },
    }),
  );

  builder.mutationField('updateBrand', (t) =>
    t.prismaField({
      type: 'PartyBrand',
      description: '修改党建品牌 — change a draft or returned brand of the organization you act for (its SECRETARY or ADMIN)',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        id: t.arg.id({ required: true, description: '党建品牌 — global ID of the brand' }),
        input: t.arg({ type: UpdateInput, required: true, description: '修改内容 — the changes' }),
      },
      resolve: async (query, _root, { id, input }, ctx) => {
        const viewer = requireViewer(ctx);
        const texts = checkTexts(input);
        return api.transact(ctx, async (tx) => {
          const { brand, org } = await findBrandForWrite(tx, ctx, String(id), 'id');
          assertOwner(viewer, org);
          assertEditable(brand.state);
          const planId = input.planId ? await checkPlanFor(tx, org, String(input.planId), 'input.planId') : undefined;
          return tx.partyBrand.update({ ...query, where: { id: brand.id }, data: { ...texts, ...(planId ? { planId } : {}) } });
        });
      },
    }),
  );

  builder.mutationField('submitBrand', (t) =>
    t.prismaField({
      type: 'PartyBrand',
      description:
        '申报党建品牌 — submit a draft (or resubmit a returned brand) to the committee above (the organization’s SECRETARY or ADMIN)',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        id: t.arg.id({ required: true, description: '党建品牌 — global ID of the brand' }),
        comment: t.arg.string({ required: false, description: '申报说明 — note to the reviewers (at most 500 characters)' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const viewer = requireViewer(ctx);
        const comment = optionalText(args.comment, 'comment', 'short', 500);
        return api.transact(ctx, async (tx, publish) => {
          const { brand, org } = await findBrandForWrite(tx, ctx, String(args.id), 'id');
          assertOwner(viewer, org);
          const to = nextState('submit', brand.state);
          // A returned brand gave up the organization's one place; another may have taken it since.
          if (brand.state === 'RETURNED') await assertNoOtherBrand(tx, org, brand.id, 'id');
          await moveBrand(tx, ctx, publish, { brand, org, to, comment, event: 'party-brand.submitted', label: STEPS.submit.label });
          return tx.partyBrand.findUniqueOrThrow({ ...query, where: { id: brand.id } });
        });
      },
    }),
  );
}
