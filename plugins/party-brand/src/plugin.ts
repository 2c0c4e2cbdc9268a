import { createRequire } from 'node:module';
import { definePlugin } from '@dangjian/core';
import { registerBrand } from './brand.ts';
import { registerBrandEvaluation } from './brand-evaluation.ts';
import { registerBrandMutations } from './brand-mutations.ts';
import { registerBrandPlan } from './brand-plan.ts';
import { registerBrandReview } from './brand-review.ts';
import { defineBrandState } from './brand-state.ts';
import { registerBrandTransition } from './brand-transition.ts';
import { registerOrganizationsWithoutBrand } from './organizations-without-brand.ts';
import { registerPlanDashboard } from './plan-dashboard.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

declare module '@dangjian/core' {
  interface DangjianPlugins {
    'party-brand': {
      events: 'party-brand.submitted' | 'party-brand.approved' | 'party-brand.returned' | 'party-brand.namedModel' | 'party-brand.revoked';
    };
  }
}

/** 党建品牌 — one branch, one brand (一个支部一个品牌). */
export const partyBrandPlugin = definePlugin({
  id: 'party-brand',
  version,
  description: '党建品牌 — one branch, one brand (一个支部一个品牌)',
  requires: { core: '^1.1.0' },
  events: ['party-brand.submitted', 'party-brand.approved', 'party-brand.returned', 'party-brand.namedModel', 'party-brand.revoked'],
  register(builder, api) {
    const State = defineBrandState(builder);
    registerBrand(builder, { State });
    registerBrandTransition(builder, api, { State });
    registerBrandMutations(builder, api);
    registerBrandReview(builder, api);
    registerBrandEvaluation(builder, api);
    registerBrandPlan(builder, api);
    registerPlanDashboard(builder, { State });
    registerOrganizationsWithoutBrand(builder);
  },
});
