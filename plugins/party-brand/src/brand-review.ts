import { optionalText, requiredText, requireViewer, type Builder, type Context, type Tx } from '@dangjian/core';
import type { OrganizationKind } from '@dangjian/db';
import { assertReviewer, nextState, STEPS, type BrandAction } from './brand-rules.ts';
import { findBrandForWrite, moveBrand } from './brand-write.ts';
import type { PartyBrandEvent } from './events.ts';
import type { Deps } from './deps.ts';

/** The kind of the organization the viewer acts for: only committees review brands. */
export async function viewerKind(tx: Tx, ctx: Context): Promise<OrganizationKind> {
  const org = await tx.organization.findUnique({ where: { id: requireViewer(ctx).organizationId }, select: { kind: true } });
  // The token's organization always exists (it is resolved when the request is authenticated); a group is the least privileged kind.
  return org?.kind ?? 'GROUP';
}

interface ReviewSpec {
  field: string;
  action: Exclude<BrandAction, 'submit'>;
  event: PartyBrandEvent | null;
  description: string;
}

/**
 * The committee's steps. 列入培育 (cultivate) is kept in the history but is not one of the feed's
 * events: the issue names submitted, approved, returned, named model and revoked.
 */
const REVIEWS: readonly ReviewSpec[] = [
  { field: 'approveBrand', action: 'approve', event: 'party-brand.approved', description: '认定党建品牌 — accept a submitted brand' },
  {
    field: 'returnBrand',
    action: 'return',
    event: 'party-brand.returned',
    description: '退回党建品牌 — send a submitted brand back with reasons; it may be revised and resubmitted',
  },
  { field: 'cultivateBrand', action: 'cultivate', event: null, description: '列入培育 — take an approved brand into cultivation' },
  {
    field: 'nameModelBrand',
    action: 'nameModel',
    event: 'party-brand.namedModel',
    description: '命名示范品牌 — name a cultivated brand a model brand',
  },
  {
    field: 'revokeBrand',
    action: 'revoke',
    event: 'party-brand.revoked',
    description: '撤销党建品牌 — withdraw an approved, cultivating or model brand, with reasons',
  },
];

/** The committee's steps on a brand: approve, return, cultivate, name model, revoke (ADMIN of a committee above it). */
export function registerBrandReview(builder: Builder, { api }: Deps): void {
  for (const spec of REVIEWS) {
    const step = STEPS[spec.action];
    builder.mutationField(spec.field, (t) =>
      t.prismaField({
        type: 'PartyBrand',
        description: `${spec.description} (ADMIN of a working committee or party committee above the brand’s organization; from ${step.from.join(' / ')} to ${step.to})`,
        authScopes: { role: 'ADMIN' },
        args: {
          id: t.arg.id({ required: true, description: '党建品牌 — global ID of the brand' }),
          comment: t.arg.string({
            required: step.reasonRequired,
            description: step.reasonRequired
              ? '理由 — the reasons, required (at most 500 characters)'
              : '意见 — comment (at most 500 characters)',
          }),
        },
        resolve: async (query, _root, args, ctx) => {
          const viewer = requireViewer(ctx);
          const comment = step.reasonRequired
            ? requiredText(args.comment ?? '', 'comment', 'short', 500)
            : optionalText(args.comment, 'comment', 'short', 500);
          return api.transact(ctx, async (tx, publish) => {
            const { brand, org } = await findBrandForWrite(tx, ctx, String(args.id), 'id');
            assertReviewer(viewer, await viewerKind(tx, ctx), org);
            const to = nextState(spec.action, brand.state);
            await moveBrand(tx, ctx, publish, { brand, org, to, comment, event: spec.event, label: step.label });
            return tx.partyBrand.findUniqueOrThrow({ ...query, where: { id: brand.id } });
          });
        },
      }),
    );
  }
}
