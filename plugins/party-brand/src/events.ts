import type { EventRoles } from '@dangjian/core';

/** The activities 党建品牌 publishes: each a change of a brand's status (streamed by `brandStatusChanged`). */
export const EVENTS = [
  'party-brand.submitted',
  'party-brand.approved',
  'party-brand.returned',
  'party-brand.namedModel',
  'party-brand.revoked',
] as const;

/** One of the plugin's event names. */
export type PartyBrandEvent = (typeof EVENTS)[number];

/** Every brand event is for everyone in the subtree. */
export const EVENT_ROLES: EventRoles<PartyBrandEvent> = {};
