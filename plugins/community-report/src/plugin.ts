import { definePlugin, requiresFrom } from '@dangjian/core';
import { registerServiceAttachments, SERVICE_FILES } from './service-attachments.ts';
import pkg from '../package.json' with { type: 'json' };
import { registerClaim } from './claim.ts';
import { registerCommunity } from './community.ts';
import type { Deps } from './deps.ts';
import { registerDemand } from './demand.ts';
import { defineEnums } from './enums.ts';
import { EVENT_ROLES, EVENTS, type CommunityReportEvent } from './events.ts';
import { registerHours } from './hours.ts';
import { registerRegistration } from './registration.ts';
import { INDICATORS } from './indicators.ts';
import { registerService } from './service.ts';
import { registerTeam } from './team.ts';

declare module '@dangjian/core' {
  interface DangjianPlugins {
    'community-report': { events: CommunityReportEvent };
  }
}

/** 社区报到 — agency organizations and members registering and serving in residential communities. */
export const communityReportPlugin = definePlugin({
  id: 'community-report',
  version: pkg.version,
  description: pkg.description,
  requires: requiresFrom(pkg),
  events: EVENTS,
  eventRoles: EVENT_ROLES,
  indicators: INDICATORS,
  attachmentOwners: [SERVICE_FILES],
  register(builder, api) {
    const deps: Deps = { api, enums: defineEnums(builder) };
    registerCommunity(builder, deps);
    registerRegistration(builder, deps);
    registerDemand(builder, deps);
    registerClaim(builder, deps);
    registerTeam(builder, deps);
    registerService(builder, deps);
    registerServiceAttachments(builder);
    registerHours(builder, deps);
  },
});
