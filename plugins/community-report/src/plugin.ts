import { createRequire } from 'node:module';
import { definePlugin } from '@dangjian/core';
import { registerClaim } from './claim.ts';
import { registerCommunity } from './community.ts';
import { registerDemand } from './demand.ts';
import { defineEnums } from './enums.ts';
import { EVENTS } from './events.ts';
import { registerHours } from './hours.ts';
import { registerRegistration } from './registration.ts';
import { registerService } from './service.ts';
import { registerTeam } from './team.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

declare module '@dangjian/core' {
  interface DangjianPlugins {
    'community-report': {
      events: 'community-report.registered' | 'community-report.demandClaimed' | 'community-report.demandCompleted' | 'community-report.serviceVerified';
    };
  }
}

/** 社区报到 — agency organizations and members registering and serving in residential communities. */
export const communityReportPlugin = definePlugin({
  id: 'community-report',
  version,
  description: '社区报到 — agency organizations and members registering and serving in residential communities',
  requires: { core: '^1.1.0' },
  events: [...EVENTS],
  register(builder, api) {
    const enums = defineEnums(builder);
    registerCommunity(builder, api);
    registerRegistration(builder, api, enums);
    registerDemand(builder, api, enums);
    registerClaim(builder, api, enums);
    registerTeam(builder, api, enums);
    registerService(builder, api, enums);
    registerHours(builder);
  },
});
