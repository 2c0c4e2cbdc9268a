import { activityDetails, activitySubscription, type ActivityEvent, type Builder } from '@dangjian/core';
import type { Deps } from './deps.ts';
import { STATUS_EVENTS } from './events.ts';
import { brandScope } from './scope.ts';

/** What a status event's activity carries in `data`, written by the brand mutations. */
export interface StatusEventData {
  brandId: string;
  transitionId: string;
  from: string | null;
  to: string;
}

/** 状态记录 (BrandTransition): one step of a brand's history, and the `brandStatusChanged` subscription. */
export function registerBrandTransition(builder: Builder, { enums }: Deps): void {
  builder.prismaObject('PartyBrandTransition', {
    name: 'BrandTransition',
    description: '品牌状态记录 — one state change of a brand: from, to, who, when and why',
    fields: (t) => ({
      from: t.expose('from', { type: enums.State, nullable: true, description: '原状态 — state before (null when the draft was created)' }),
      to: t.expose('to', { type: enums.State, description: '新状态 — state after' }),
      actorId: t.exposeString('actorId', { nullable: true, description: '操作人 — user id of who made the change' }),
      at: t.expose('at', { type: 'DateTime', description: '时间 — when' }),
      comment: t.exposeString('comment', { nullable: true, description: '意见 — comment, or the reasons for a return or revocation' }),
      brand: t.relation('brand', { description: '党建品牌 — the brand that changed' }),
    }),
  });

  builder.subscriptionField('brandStatusChanged', (t) =>
    t.prismaField({
      type: 'PartyBrandTransition',
      nullable: true,
      description:
        '品牌状态变化 — streams brands of an organization and its subtree as they are submitted, approved, returned, named model or revoked (each as the state change it made)',
      authScopes: { authenticated: true },
      args: {
        under: t.arg.id({
          required: false,
          description: '党组织 — watch brands of this organization and everything below it (default: your own)',
        }),
      },
      subscribe: (_root, args, ctx) => activitySubscription(ctx, { kinds: STATUS_EVENTS, under: args.under }),
      resolve: async (query, event, _args, ctx) => {
        const data = (await activityDetails(ctx, event as unknown as ActivityEvent))?.data as StatusEventData | null | undefined;
        if (!data?.transitionId) return null;
        // Loaded afresh and scoped: a brand that left the viewer's subtree since reads as nothing.
        return ctx.db.partyBrandTransition.findFirst({ ...query, where: { id: data.transitionId, brand: await brandScope(ctx) } });
      },
    }),
  );
}
