import { createRequire } from 'node:module';
import { definePlugin } from '@dangjian/core';
import { defineEnums } from './enums.ts';
import { registerFigures } from './figures.ts';
import { registerHousehold } from './household.ts';
import { registerMemberGrowth } from './member-growth.ts';
import { registerPairing } from './pairing.ts';
import { registerTalent } from './talent.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

declare module '@dangjian/core' {
  interface DangjianPlugins {
    'dual-cultivation': {
      events:
        | 'dual-cultivation.talentRegistered'
        | 'dual-cultivation.talentUpdated'
        | 'dual-cultivation.stageAdvanced'
        | 'dual-cultivation.memberDeveloped'
        | 'dual-cultivation.growthRecorded'
        | 'dual-cultivation.householdRegistered'
        | 'dual-cultivation.pairingCreated'
        | 'dual-cultivation.pairingVisited'
        | 'dual-cultivation.pairingClosed'
        | 'dual-cultivation.personalDataRead';
    };
  }
}

/** 双培双带 — cultivating members into leaders of prosperity and capable people into members. */
export const dualCultivationPlugin = definePlugin({
  id: 'dual-cultivation',
  version,
  description: '双培双带 — cultivating members into leaders of prosperity and capable people into members',
  requires: { core: '^1.1.0' },
  events: [
    'dual-cultivation.talentRegistered',
    'dual-cultivation.talentUpdated',
    'dual-cultivation.stageAdvanced',
    'dual-cultivation.memberDeveloped',
    'dual-cultivation.growthRecorded',
    'dual-cultivation.householdRegistered',
    'dual-cultivation.pairingCreated',
    'dual-cultivation.pairingVisited',
    'dual-cultivation.pairingClosed',
    'dual-cultivation.personalDataRead',
  ],
  // Clear reads of personal data are for auditors, as core's `member.personalDataRead`.
  eventRoles: { 'dual-cultivation.personalDataRead': ['AUDITOR'] },
  register(builder, api) {
    const deps = { api, enums: defineEnums(builder) };
    registerTalent(builder, deps);
    registerMemberGrowth(builder, deps);
    registerHousehold(builder, deps);
    registerPairing(builder, deps);
    registerFigures(builder);
  },
});
