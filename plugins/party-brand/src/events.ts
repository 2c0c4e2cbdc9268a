import type { EventRoles } from '@dangjian/core';

/** Changes of a brand's status (streamed by `brandStatusChanged`). */
export const STATUS_EVENTS = [
  'party-brand.submitted',
  'party-brand.approved',
  'party-brand.returned',
  'party-brand.namedModel',
  'party-brand.revoked',
] as const;

/** The activities 党建品牌 publishes: status changes, and files added to or deleted from evaluations. */
export const EVENTS = [...STATUS_EVENTS, 'party-brand.evaluationAttachmentAdded', 'party-brand.evaluationAttachmentDeleted'] as const;

/** One of the plugin's event names. */
export type PartyBrandEvent = (typeof EVENTS)[number];

/** Every brand event is for everyone in the subtree. */
export const EVENT_ROLES: EventRoles<PartyBrandEvent> = {};
