import type { EventRoles } from '@dangjian/core';

/** The activities 社区报到 publishes. */
export const EVENTS = [
  'community-report.registered',
  'community-report.demandClaimed',
  'community-report.demandCompleted',
  'community-report.serviceVerified',
  'community-report.serviceAttachmentAdded',
  'community-report.serviceAttachmentDeleted',
] as const;

/** One of the plugin's event names. */
export type CommunityReportEvent = (typeof EVENTS)[number];

/** Every community-report event is for everyone in the subtree. */
export const EVENT_ROLES: EventRoles<CommunityReportEvent> = {};
