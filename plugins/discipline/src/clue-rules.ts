import { IllegalStateError, InputError, type Viewer } from '@dangjian/core';
import type { DisciplineClueChannel, DisciplineClueStatus, DisciplineDisposition } from '@dangjian/db';

/** 线索状态 — the states of a clue. */
export type ClueStatus = DisciplineClueStatus;

/** 处置方式 — how a clue ends. */
export type Disposition = DisciplineDisposition;

/** 线索来源 — the four supervision channels. */
export type ClueChannel = DisciplineClueChannel;

/** The state machine RECEIVED → UNDER_REVIEW → DISPOSED | CLOSED; both ends are final. */
export function startReviewStatus(current: ClueStatus): ClueStatus {
  if (current !== 'RECEIVED')
    throw new IllegalStateError(`cannot start reviewing a clue that is ${current} (allowed from RECEIVED)`, current);
  return 'UNDER_REVIEW';
}

/** 了结 (CLOSED_NO_ACTION) closes a clue; every other disposition disposes of it. */
export function disposeStatus(current: ClueStatus, disposition: Disposition): ClueStatus {
  if (current !== 'UNDER_REVIEW')
    throw new IllegalStateError(`cannot dispose of a clue that is ${current} (allowed from UNDER_REVIEW)`, current);
  return disposition === 'CLOSED_NO_ACTION' ? 'CLOSED' : 'DISPOSED';
}

/** Exactly one subject: a member or an organization. */
export function checkSubject(subjectMemberId: unknown, subjectOrganizationId: unknown): void {
  const given = [subjectMemberId, subjectOrganizationId].filter((v) => v !== null && v !== undefined).length;
  if (given !== 1) throw new InputError('input.subjectMemberId', 'name exactly one subject: subjectMemberId or subjectOrganizationId');
}

/** A reporter is anonymous, or named: contact details without a name identify no one to call back. */
export function checkReporter(name: string | null, contact: string | null): void {
  if (contact !== null && name === null) throw new InputError('input.reporterName', 'is required when a reporter contact is given');
}

/**
 * Who a viewer is, for clue confidentiality. Tokens carry the user id in `sub`; where a user is also a
 * party member, that id *is* the member id, so a viewer whose userId equals a clue's subject member is the
 * subject. Acting for the subject organization counts too: a body does not read clues about itself.
 */
export function isClueSubject(viewer: Viewer, clue: { subjectMemberId: string | null; subjectOrganizationId: string | null }): boolean {
  return (
    (clue.subjectMemberId !== null && clue.subjectMemberId === viewer.userId) ||
    (clue.subjectOrganizationId !== null && clue.subjectOrganizationId === viewer.organizationId)
  );
}

/**
 * 纪委书记 — the head of the discipline body that received a clue: a viewer holding both DISCIPLINE and
 * ADMIN and acting exactly for the receiving organization. Superior discipline bodies may read the clue
 * but not the reporter's identity: the fewest people who must know it, know it.
 */
export function isDisciplineHead(viewer: Viewer, receivingOrganizationId: string): boolean {
  return viewer.roles.includes('DISCIPLINE') && viewer.roles.includes('ADMIN') && viewer.organizationId === receivingOrganizationId;
}
