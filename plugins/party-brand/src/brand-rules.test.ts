import { describe, expect, it } from 'vitest';
import type { Viewer } from '@dangjian/core';
import type { PartyBrandState } from '@dangjian/db';
import {
  assertEditable,
  assertOwner,
  assertReviewer,
  BRAND_STATES,
  checkBusiness,
  HOLDING_STATES,
  nextState,
  STEPS,
  type BrandAction,
} from './brand-rules.ts';

function errorOf(fn: () => unknown): { code?: string; state?: string; field?: string } | null {
  try {
    fn();
  } catch (error) {
    return (error as { extensions: { code?: string; state?: string; field?: string } }).extensions;
  }
  return null;
}

const viewer = (organizationPath: string, roles: Viewer['roles']): Viewer => ({
  userId: 'u',
  organizationId: organizationPath.split('/').filter(Boolean).pop()!,
  organizationPath,
  roles,
  communityId: null,
});

describe('brand state machine', () => {
  const legal: Record<BrandAction, Partial<Record<PartyBrandState, PartyBrandState>>> = {
    submit: { DRAFT: 'SUBMITTED', RETURNED: 'SUBMITTED' },
    approve: { SUBMITTED: 'APPROVED' },
    return: { SUBMITTED: 'RETURNED' },
    cultivate: { APPROVED: 'CULTIVATING' },
    nameModel: { CULTIVATING: 'MODEL' },
    revoke: { APPROVED: 'REVOKED', CULTIVATING: 'REVOKED', MODEL: 'REVOKED' },
  };

  it('allows exactly the documented transitions and refuses every other one naming the current state', () => {
    for (const action of Object.keys(STEPS) as BrandAction[]) {
      for (const state of BRAND_STATES) {
        const to = legal[action][state];
        if (to) expect(nextState(action, state)).toBe(to);
        else expect(errorOf(() => nextState(action, state))).toEqual({ code: 'ILLEGAL_STATE', state });
      }
    }
  });

  it('lets the owner edit only drafts and returned brands', () => {
    for (const state of BRAND_STATES) {
      const error = errorOf(() => assertEditable(state));
      expect(error === null).toBe(state === 'DRAFT' || state === 'RETURNED');
      if (error) expect(error).toEqual({ code: 'ILLEGAL_STATE', state });
    }
  });

  it('counts every state but RETURNED and REVOKED as holding the organization’s one brand', () => {
    expect([...HOLDING_STATES].sort()).toEqual(BRAND_STATES.filter((s) => s !== 'RETURNED' && s !== 'REVOKED').sort());
  });
});

describe('who may act', () => {
  const branch = { id: 'b', path: '/r/c/b/' };

  it('the owner is a SECRETARY or ADMIN acting for that very organization', () => {
    expect(errorOf(() => assertOwner(viewer('/r/c/b/', ['SECRETARY']), branch))).toBeNull();
    expect(errorOf(() => assertOwner(viewer('/r/c/b/', ['ADMIN']), branch))).toBeNull();
    expect(errorOf(() => assertOwner(viewer('/r/c/b/', ['MEMBER']), branch))?.code).toBe('FORBIDDEN');
    expect(errorOf(() => assertOwner(viewer('/r/c/', ['ADMIN']), branch))?.code).toBe('FORBIDDEN');
  });

  it('the reviewer is an ADMIN of a committee strictly above', () => {
    expect(errorOf(() => assertReviewer(viewer('/r/c/', ['ADMIN']), 'COMMITTEE', branch))).toBeNull();
    expect(errorOf(() => assertReviewer(viewer('/r/', ['ADMIN']), 'WORKING_COMMITTEE', branch))).toBeNull();
    expect(errorOf(() => assertReviewer(viewer('/r/c/b/', ['ADMIN']), 'BRANCH', branch))?.code).toBe('FORBIDDEN');
    expect(errorOf(() => assertReviewer(viewer('/r/c/', ['SECRETARY']), 'COMMITTEE', branch))?.code).toBe('FORBIDDEN');
    expect(errorOf(() => assertReviewer(viewer('/r/x/', ['ADMIN']), 'COMMITTEE', branch))?.code).toBe('FORBIDDEN');
    expect(errorOf(() => assertReviewer(viewer('/r/c/', ['ADMIN']), 'GENERAL_BRANCH', branch))?.code).toBe('FORBIDDEN');
  });
});

describe('checkBusiness', () => {
  it('normalizes 党建+X, full-width plus and spaces included', () => {
    expect(checkBusiness('党建+科技', 'f')).toBe('党建+科技');
    expect(checkBusiness(' 党建 ＋ 扶贫 ', 'f')).toBe('党建+扶贫');
  });

  it('refuses anything that does not tie party work to a business, naming the field', () => {
    for (const bad of ['科技', '党建+', '党建', '', '  '])
      expect(errorOf(() => checkBusiness(bad, 'input.business'))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.business' });
  });
});
