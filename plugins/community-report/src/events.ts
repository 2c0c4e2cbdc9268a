import type { PluginApi } from '@dangjian/core';

/** The activities 社区报到 publishes. */
export const EVENTS = [
  'community-report.registered',
  'community-report.demandClaimed',
  'community-report.demandCompleted',
  'community-report.serviceVerified',
] as const;

/** One of the plugin's event names. */
export type CommunityReportEvent = (typeof EVENTS)[number];

/** The plugin API as the type files receive it: only the declared events compile. */
export type Api = PluginApi<CommunityReportEvent>;
