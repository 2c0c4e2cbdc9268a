import type { EventRoles, Role } from '@dangjian/core';

/** Activity kinds the plugin publishes. */
export const EVENTS = [
  'discipline.inspectionOpened',
  'discipline.rectificationOverdue',
  'discipline.rectificationAccepted',
  'discipline.clueReceived',
  'discipline.clueDisposed',
  'discipline.inspectionAttachmentAdded',
  'discipline.inspectionAttachmentDeleted',
  'discipline.rectificationAttachmentAdded',
  'discipline.rectificationAttachmentDeleted',
  'discipline.clueAttachmentAdded',
  'discipline.clueAttachmentDeleted',
] as const;

/** One of the plugin's event names. */
export type DisciplineEvent = (typeof EVENTS)[number];

/** Inspection findings are working papers of committees; a plain member's feed does not carry them. */
const COMMITTEE_ROLES: readonly Role[] = ['ADMIN', 'SECRETARY', 'DISCIPLINE', 'AUDITOR'];

/**
 * Who sees each event in feeds and `activityAdded`. Clue events are for DISCIPLINE only: core filters
 * them out, in SQL and per streamed event, for every other role — so nobody else learns a clue exists.
 * Core's check is by role; the subtree is the activity's path (the receiving organization's).
 */
export const EVENT_ROLES: EventRoles<DisciplineEvent> = {
  'discipline.inspectionOpened': COMMITTEE_ROLES,
  'discipline.rectificationOverdue': COMMITTEE_ROLES,
  'discipline.rectificationAccepted': COMMITTEE_ROLES,
  'discipline.clueReceived': ['DISCIPLINE'],
  'discipline.clueDisposed': ['DISCIPLINE'],
  'discipline.inspectionAttachmentAdded': COMMITTEE_ROLES,
  'discipline.inspectionAttachmentDeleted': COMMITTEE_ROLES,
  'discipline.rectificationAttachmentAdded': COMMITTEE_ROLES,
  'discipline.rectificationAttachmentDeleted': COMMITTEE_ROLES,
  'discipline.clueAttachmentAdded': ['DISCIPLINE'],
  'discipline.clueAttachmentDeleted': ['DISCIPLINE'],
};
