import { definePlugin, requiresFrom } from '@dangjian/core';
import pkg from '../package.json' with { type: 'json' };
import { registerBrand } from './brand.ts';
import { registerBrandEvaluation } from './brand-evaluation.ts';
import { EVALUATION_FILES, registerEvaluationAttachments } from './evaluation-attachments.ts';
import { registerBrandMutations } from './brand-mutations.ts';
import { registerBrandPlan } from './brand-plan.ts';
import { registerBrandReview } from './brand-review.ts';
import { registerBrandTransition } from './brand-transition.ts';
import type { Deps } from './deps.ts';
import { defineEnums } from './enums.ts';
import { EVENT_ROLES, EVENTS, type PartyBrandEvent } from './events.ts';
import { registerOrganizationsWithoutBrand } from './organizations-without-brand.ts';
import { INDICATORS } from './indicators.ts';
import { registerPlanDashboard } from './plan-dashboard.ts';

declare module '@dangjian/core' {
  interface DangjianPlugins {
    'party-brand': { events: PartyBrandEvent };
  }
}

/** 党建品牌 — one branch, one brand (一个支部一个品牌). */
export const partyBrandPlugin = definePlugin({
  id: 'party-brand',
  version: pkg.version,
  description: pkg.description,
  requires: requiresFrom(pkg),
  events: EVENTS,
  eventRoles: EVENT_ROLES,
  indicators: INDICATORS,
  attachmentOwners: [EVALUATION_FILES],
  register(builder, api) {
    const deps: Deps = { api, enums: defineEnums(builder) };
    registerBrand(builder, deps);
    registerBrandTransition(builder, deps);
    registerBrandMutations(builder, deps);
    registerBrandReview(builder, deps);
    registerBrandEvaluation(builder, deps);
    registerEvaluationAttachments(builder);
    registerBrandPlan(builder, deps);
    registerPlanDashboard(builder, deps);
    registerOrganizationsWithoutBrand(builder, deps);
  },
});
