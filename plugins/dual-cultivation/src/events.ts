import type { EventRoles } from '@dangjian/core';

/** The activities 双培双带 publishes. */
export const EVENTS = [
  'dual-cultivation.talentRegistered',
  'dual-cultivation.talentUpdated',
  'dual-cultivation.stageAdvanced',
  'dual-cultivation.developmentLinked',
  'dual-cultivation.memberDeveloped',
  'dual-cultivation.growthRecorded',
  'dual-cultivation.householdRegistered',
  'dual-cultivation.pairingCreated',
  'dual-cultivation.pairingVisited',
  'dual-cultivation.pairingClosed',
  'dual-cultivation.personalDataRead',
] as const;

/** One of the plugin's event names. */
export type DualCultivationEvent = (typeof EVENTS)[number];

/** Clear reads of personal data are for auditors, as core's `member.personalDataRead`. */
export const EVENT_ROLES: EventRoles<DualCultivationEvent> = { 'dual-cultivation.personalDataRead': ['AUDITOR'] };
