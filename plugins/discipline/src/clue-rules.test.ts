import { describe, expect, it } from 'vitest';
import type { Viewer } from '@dangjian/core';
import {
  checkReporter,
  checkSubject,
  disposeStatus,
  isClueSubject,
  isDisciplineHead,
  startReviewStatus,
  type ClueStatus,
} from './clue-rules.ts';

const viewer = (over: Partial<Viewer> = {}): Viewer => ({
  userId: 'u1',
  organizationId: 'org-a',
  organizationPath: '/root/org-a/',
  roles: ['DISCIPLINE'],
  communityId: null,
  ...over,
});

const stateOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { extensions: { code: string; state: string } }).extensions;
  }
  return null;
};

describe('clue state machine', () => {
  it('RECEIVED → UNDER_REVIEW → DISPOSED, or CLOSED for 了结', () => {
    expect(startReviewStatus('RECEIVED')).toBe('UNDER_REVIEW');
    expect(disposeStatus('UNDER_REVIEW', 'TALK_REMINDER')).toBe('DISPOSED');
    expect(disposeStatus('UNDER_REVIEW', 'PARTY_DISCIPLINE')).toBe('DISPOSED');
    expect(disposeStatus('UNDER_REVIEW', 'CLOSED_NO_ACTION')).toBe('CLOSED');
  });

  it('refuses skipping review and any move out of a final state, naming the state', () => {
    expect(stateOf(() => disposeStatus('RECEIVED', 'CRITICISM'))).toEqual({ code: 'ILLEGAL_STATE', state: 'RECEIVED' });
    for (const state of ['UNDER_REVIEW', 'DISPOSED', 'CLOSED'] as ClueStatus[]) {
      expect(stateOf(() => startReviewStatus(state))).toEqual({ code: 'ILLEGAL_STATE', state });
    }
    for (const state of ['DISPOSED', 'CLOSED'] as ClueStatus[]) {
      expect(stateOf(() => disposeStatus(state, 'ADMONISHMENT'))).toEqual({ code: 'ILLEGAL_STATE', state });
    }
  });
});

describe('who a viewer is to a clue', () => {
  it('the subject is the member whose id is the token subject, or whoever acts for the subject organization', () => {
    expect(isClueSubject(viewer({ userId: 'm1' }), { subjectMemberId: 'm1', subjectOrganizationId: null })).toBe(true);
    expect(isClueSubject(viewer({ userId: 'm2' }), { subjectMemberId: 'm1', subjectOrganizationId: null })).toBe(false);
    expect(isClueSubject(viewer({ organizationId: 'org-b' }), { subjectMemberId: null, subjectOrganizationId: 'org-b' })).toBe(true);
    expect(isClueSubject(viewer(), { subjectMemberId: null, subjectOrganizationId: 'org-b' })).toBe(false);
  });

  it('the head holds DISCIPLINE and ADMIN and acts exactly for the receiving organization', () => {
    expect(isDisciplineHead(viewer({ roles: ['DISCIPLINE', 'ADMIN'] }), 'org-a')).toBe(true);
    expect(isDisciplineHead(viewer({ roles: ['DISCIPLINE'] }), 'org-a')).toBe(false);
    expect(isDisciplineHead(viewer({ roles: ['ADMIN'] }), 'org-a')).toBe(false);
    // A superior body's head reads the clue but is not the head of the body that received it.
    expect(isDisciplineHead(viewer({ roles: ['DISCIPLINE', 'ADMIN'], organizationId: 'root' }), 'org-a')).toBe(false);
  });
});

describe('clue input checks', () => {
  const field = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as { extensions: { field: string } }).extensions.field;
    }
    return null;
  };
  it('exactly one subject; a contact needs a name', () => {
    expect(field(() => checkSubject('m', null))).toBeNull();
    expect(field(() => checkSubject(null, 'o'))).toBeNull();
    expect(field(() => checkSubject('m', 'o'))).toBe('input.subjectMemberId');
    expect(field(() => checkSubject(undefined, null))).toBe('input.subjectMemberId');
    expect(field(() => checkReporter(null, null))).toBeNull();
    expect(field(() => checkReporter('张三', null))).toBeNull();
    expect(field(() => checkReporter(null, '138'))).toBe('input.reporterName');
  });
});
