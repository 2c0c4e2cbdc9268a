// Pure rules of a member's lifecycle (党籍变动): which change is allowed from which standing, what each
// change sets, and the six-months rule of 自行脱党. No database, no GraphQL (unit-tested).

import type { MemberLifecycleKind, MemberStanding } from '@dangjian/db';
import { IllegalStateError, InputError } from '../errors/errors.ts';
import { isoDate } from '../kit/dates.ts';
import { addMonths, monthStart } from './member-rules.ts';

/** What the lifecycle rules read of a member. */
export interface LifecycleFacts {
  standing: MemberStanding;
  status: 'PROBATIONARY' | 'FULL';
  standingSince: Date | null;
  joinedAt: Date;
  mobileSince: Date | null;
  lostContactSince: Date | null;
  retainedSince: Date | null;
}

/** The columns a change writes. */
export type LifecycleChange = Partial<
  Pick<LifecycleFacts, 'standing' | 'standingSince' | 'mobileSince' | 'lostContactSince' | 'retainedSince'> & {
    mobileDestination: string | null;
    mobileHostId: string | null;
    lostContactEfforts: string | null;
  }
>;

/** Chinese names of the kinds, for summaries. */
export const LIFECYCLE_NAMES: Record<MemberLifecycleKind, string> = {
  SUSPENDED: '停止党籍',
  RESTORED: '恢复党籍',
  REMOVED: '除名',
  EXPELLED: '开除党籍',
  WITHDREW: '退党',
  LAPSED: '自行脱党',
  PROBATION_CANCELLED: '取消预备党员资格',
  DIED: '去世',
  WENT_MOBILE: '外出流动',
  MOBILE_RETURNED: '流动返回',
  LOST_CONTACT: '失去联系',
  CONTACT_RESTORED: '恢复联系',
  RETAINED: '保留党籍',
  RETENTION_ENDED: '结束保留党籍',
};

/** The kinds by which a member leaves the roster for good (出党, death, cancellation). */
export const LEAVING: readonly MemberLifecycleKind[] = ['REMOVED', 'EXPELLED', 'WITHDREW', 'LAPSED', 'PROBATION_CANCELLED', 'DIED'];

/** Standings that are in rosters, counts and dues arrears by default. */
export const ON_ROLL: readonly MemberStanding[] = ['ACTIVE', 'SUSPENDED'];

/** Months without a paid due month after which 自行脱党 may be decided. */
export const LAPSE_MONTHS = 6;

const refuse = (facts: LifecycleFacts, message: string) => new IllegalStateError(message, facts.standing);

/**
 * Checks a change against the member's state and returns the columns it writes. `lastPaidMonth` is the
 * latest month with a dues payment (null: none), read only for 自行脱党.
 */
export function applyLifecycle(
  facts: LifecycleFacts,
  kind: MemberLifecycleKind,
  date: Date,
  extra: { details: string | null; hostId: string | null; lastPaidMonth: Date | null },
): LifecycleChange {
  if (facts.standing === 'LEFT' || facts.standing === 'DECEASED' || facts.standing === 'TRANSFERRED_OUT') {
    throw refuse(
      facts,
      `the member's standing is ${facts.standing} since ${facts.standingSince ? isoDate(facts.standingSince) : 'unknown'}; no further change`,
    );
  }
  if (date.getTime() < facts.joinedAt.getTime())
    throw new InputError('input.date', `must be on or after the date of joining (${isoDate(facts.joinedAt)})`);
  if (facts.standingSince && date.getTime() < facts.standingSince.getTime()) {
    throw new InputError('input.date', `must be on or after the last change of standing (${isoDate(facts.standingSince)})`);
  }
  const leave = (standing: MemberStanding): LifecycleChange => ({ standing, standingSince: date });
  switch (kind) {
    case 'SUSPENDED':
      if (facts.standing !== 'ACTIVE') throw refuse(facts, 'rule 停止党籍: only an ACTIVE member’s membership is suspended');
      return leave('SUSPENDED');
    case 'RESTORED':
      if (facts.standing !== 'SUSPENDED') throw refuse(facts, 'rule 恢复党籍: only a suspended (停止党籍) membership is restored');
      return leave('ACTIVE');
    case 'PROBATION_CANCELLED':
      if (facts.status !== 'PROBATIONARY') throw refuse(facts, 'rule 取消预备党员资格: only for a probationary member');
      return leave('LEFT');
    case 'LAPSED': {
      // 自行脱党: six months without paying, without a reason — the branch decides, never the system.
      const since = extra.lastPaidMonth ? addMonths(monthStart(extra.lastPaidMonth), 1) : monthStart(facts.joinedAt);
      const earliest = addMonths(since, LAPSE_MONTHS);
      if (date.getTime() < earliest.getTime()) {
        throw new InputError(
          'input.date',
          `rule 自行脱党: dues unpaid since ${isoDate(since).slice(0, 7)}; six months without paying are reached on ${isoDate(earliest)}`,
        );
      }
      return leave('LEFT');
    }
    case 'REMOVED':
    case 'EXPELLED':
    case 'WITHDREW':
      return leave('LEFT');
    case 'DIED':
      return leave('DECEASED');
    case 'WENT_MOBILE':
      if (facts.mobileSince) throw refuse(facts, `rule 流动党员: already mobile since ${isoDate(facts.mobileSince)}`);
      if (!extra.details) throw new InputError('input.details', 'is required: where the member went (流向)');
      return { mobileSince: date, mobileDestination: extra.details, mobileHostId: extra.hostId };
    case 'MOBILE_RETURNED':
      if (!facts.mobileSince) throw refuse(facts, 'rule 流动党员: the member is not recorded as mobile');
      return { mobileSince: null, mobileDestination: null, mobileHostId: null };
    case 'LOST_CONTACT':
      if (facts.lostContactSince) throw refuse(facts, `rule 失联党员: already out of contact since ${isoDate(facts.lostContactSince)}`);
      if (!extra.details) throw new InputError('input.details', 'is required: the efforts made to find the member');
      return { lostContactSince: date, lostContactEfforts: extra.details };
    case 'CONTACT_RESTORED':
      if (!facts.lostContactSince) throw refuse(facts, 'rule 失联党员: the member is not recorded as out of contact');
      return { lostContactSince: null, lostContactEfforts: null };
    case 'RETAINED':
      if (facts.retainedSince) throw refuse(facts, `rule 保留党籍: retained since ${isoDate(facts.retainedSince)}`);
      return { retainedSince: date };
    case 'RETENTION_ENDED':
      if (!facts.retainedSince) throw refuse(facts, 'rule 保留党籍: the membership is not retained');
      return { retainedSince: null };
  }
}
