import { ForbiddenError, IllegalStateError, InputError, requiredText, type Viewer } from '@dangjian/core';
import type { OrganizationKind, PartyBrandState } from '@dangjian/db';

/** Every brand state, in the order a brand normally passes through them. */
export const BRAND_STATES: readonly PartyBrandState[] = ['DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED', 'CULTIVATING', 'MODEL', 'REVOKED'];

/** Chinese names of the states, for activity summaries and error messages. */
export const STATE_LABELS: Readonly<Record<PartyBrandState, string>> = {
  DRAFT: '草稿',
  SUBMITTED: '已申报',
  APPROVED: '已认定',
  RETURNED: '已退回',
  CULTIVATING: '培育中',
  MODEL: '示范品牌',
  REVOKED: '已撤销',
};

/**
 * States that hold an organization's one brand (一个支部一个品牌). A returned or revoked brand no longer
 * does, so the organization may start another.
 */
export const HOLDING_STATES: readonly PartyBrandState[] = ['DRAFT', 'SUBMITTED', 'APPROVED', 'CULTIVATING', 'MODEL'];

/** States after 认定 from which a brand may be revoked. */
export const APPROVED_STATES: readonly PartyBrandState[] = ['APPROVED', 'CULTIVATING', 'MODEL'];

/** Who takes a step: the owning organization itself, or an admin of a committee above it. */
export type Actor = 'OWNER' | 'REVIEWER';

/** The steps of a brand's life. */
export type BrandAction = 'submit' | 'approve' | 'return' | 'cultivate' | 'nameModel' | 'revoke';

interface Step {
  from: readonly PartyBrandState[];
  to: PartyBrandState;
  actor: Actor;
  /** A return or a revocation must say why; the branch has to know what to fix. */
  reasonRequired: boolean;
  label: string;
}

/** The state machine: DRAFT → SUBMITTED → APPROVED | RETURNED (→ SUBMITTED again) → CULTIVATING → MODEL; REVOKED from any approved state. */
export const STEPS: Readonly<Record<BrandAction, Step>> = {
  submit: { from: ['DRAFT', 'RETURNED'], to: 'SUBMITTED', actor: 'OWNER', reasonRequired: false, label: '申报' },
  approve: { from: ['SUBMITTED'], to: 'APPROVED', actor: 'REVIEWER', reasonRequired: false, label: '认定' },
  return: { from: ['SUBMITTED'], to: 'RETURNED', actor: 'REVIEWER', reasonRequired: true, label: '退回' },
  cultivate: { from: ['APPROVED'], to: 'CULTIVATING', actor: 'REVIEWER', reasonRequired: false, label: '列入培育' },
  nameModel: { from: ['CULTIVATING'], to: 'MODEL', actor: 'REVIEWER', reasonRequired: false, label: '命名示范品牌' },
  revoke: { from: APPROVED_STATES, to: 'REVOKED', actor: 'REVIEWER', reasonRequired: true, label: '撤销' },
};

/** The state a step leads to from `current`, or an IllegalStateError naming the current state. */
export function nextState(action: BrandAction, current: PartyBrandState): PartyBrandState {
  const step = STEPS[action];
  if (!step.from.includes(current)) {
    throw new IllegalStateError(
      `cannot ${action} a brand in state ${current} (${STATE_LABELS[current]}); allowed from ${step.from.join(', ')}`,
      current,
    );
  }
  return step.to;
}

/** The owner edits a brand only before it is submitted or after it was returned. */
export function assertEditable(current: PartyBrandState): void {
  if (current !== 'DRAFT' && current !== 'RETURNED') {
    throw new IllegalStateError(
      `a brand in state ${current} (${STATE_LABELS[current]}) can no longer be edited; only DRAFT or RETURNED`,
      current,
    );
  }
}

/** Organizations that may hold a brand: branches and committees, not the top working committee or a 党小组. */
export const BRAND_ORGANIZATION_KINDS: readonly OrganizationKind[] = ['COMMITTEE', 'GENERAL_BRANCH', 'BRANCH', 'TEMPORARY_BRANCH'];

/** Organizations whose admins review brands of the organizations below them. */
export const REVIEWING_KINDS: readonly OrganizationKind[] = ['WORKING_COMMITTEE', 'COMMITTEE'];

/**
 * Only the owning organization's own SECRETARY or ADMIN (a token acting for that very organization)
 * writes its brand: a superior's admin reviews, it does not draft on the branch's behalf.
 */
export function assertOwner(viewer: Viewer, organization: { id: string }): void {
  if (!viewer.roles.includes('ADMIN') && !viewer.roles.includes('SECRETARY')) throw new ForbiddenError('requires role ADMIN or SECRETARY');
  if (viewer.organizationId !== organization.id) {
    throw new ForbiddenError("only the brand's own organization (its SECRETARY or ADMIN) edits and submits it");
  }
}

/**
 * Only an ADMIN of a committee strictly above the brand's organization reviews it: nobody approves
 * their own brand. `viewerKind` is the kind of the organization the viewer acts for.
 */
export function assertReviewer(viewer: Viewer, viewerKind: OrganizationKind, organization: { path: string }): void {
  if (!viewer.roles.includes('ADMIN')) throw new ForbiddenError('requires role ADMIN');
  if (organization.path === viewer.organizationPath || !organization.path.startsWith(viewer.organizationPath)) {
    throw new ForbiddenError('only an admin of a committee above the brand’s organization reviews it');
  }
  if (!REVIEWING_KINDS.includes(viewerKind))
    throw new ForbiddenError('only an admin of a working committee or party committee reviews brands');
}

/**
 * The business a brand serves is written 党建+X (党建+科技, 党建+扶贫): the whole point of the brand is the
 * tie between party work and the agency's work, so a bare word is refused. "+" may be full-width.
 */
export function checkBusiness(value: string, field: string): string {
  const text = requiredText(value, field, 'name', 50).replace('＋', '+');
  const match = /^党建\s*\+\s*(\S.*)$/.exec(text);
  if (!match) throw new InputError(field, 'must read 党建+业务, e.g. 党建+科技');
  return `党建+${match[1]!.trim()}`;
}

/**
 * 品牌进度分 — how far a brand state stands on the road to a model brand, for the brand-state indicator:
 * nothing applied yet (draft, returned, revoked) 0, submitted 1, approved 2, cultivating 3, model 4.
 */
export const STATE_SCORES: Readonly<Record<PartyBrandState, number>> = {
  DRAFT: 0,
  RETURNED: 0,
  REVOKED: 0,
  SUBMITTED: 1,
  APPROVED: 2,
  CULTIVATING: 3,
  MODEL: 4,
};

/** The state a brand was in at the end of `day` (UTC), from its transitions; null when it did not exist yet. */
export function stateOnDay(transitions: readonly { to: PartyBrandState; at: Date }[], day: Date): PartyBrandState | null {
  const end = day.getTime() + 86_400_000;
  let state: PartyBrandState | null = null;
  let latest = -Infinity;
  for (const t of transitions) {
    if (t.at.getTime() < end && t.at.getTime() >= latest) {
      latest = t.at.getTime();
      state = t.to;
    }
  }
  return state;
}
