import { definePlugin, requiresFrom } from '@dangjian/core';
import pkg from '../package.json' with { type: 'json' };
import type { Deps } from './deps.ts';
import { defineEnums } from './enums.ts';
import { EVENT_ROLES, EVENTS, type DualCultivationEvent } from './events.ts';
import { registerFigures } from './figures.ts';
import { registerHousehold } from './household.ts';
import { registerMemberGrowth } from './member-growth.ts';
import { registerPairing } from './pairing.ts';
import { INDICATORS } from './indicators.ts';
import { registerTalent } from './talent.ts';

declare module '@dangjian/core' {
  interface DangjianPlugins {
    'dual-cultivation': { events: DualCultivationEvent };
  }
}

/** 双培双带 — cultivating members into leaders of prosperity and capable people into members. */
export const dualCultivationPlugin = definePlugin({
  id: 'dual-cultivation',
  version: pkg.version,
  description: pkg.description,
  requires: requiresFrom(pkg),
  events: EVENTS,
  eventRoles: EVENT_ROLES,
  indicators: INDICATORS,
  register(builder, api) {
    const deps: Deps = { api, enums: defineEnums(builder) };
    registerTalent(builder, deps);
    registerMemberGrowth(builder, deps);
    registerHousehold(builder, deps);
    registerPairing(builder, deps);
    registerFigures(builder, deps);
  },
});
