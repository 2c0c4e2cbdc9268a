// The 三会一课 cadence a branch is held to, and the arithmetic of "required" against "held" for a period.
//
// Counting rules (the decisions a reader of a shortfall needs to know):
// - A period requires only the calendar months (monthly kinds) or calendar quarters (quarterly kinds)
//   that lie wholly inside it. A month the period merely touches is not required — so a "last 30 days"
//   or "this month so far" period does not demand a meeting the branch still has time to hold — and a
//   meeting in such a partial month does not count either: required and held are measured on the
//   same months.
// - `held` counts required months/quarters in which at least one meeting of the kind took place: three
//   theme days in December do not make up for a missed November.
// - 党小组会 is required once a month from every 党小组 of the branch, and only where the branch has
//   groups; `required` is months × groups and `held` counts (group, month) pairs.
// - 支部委员会 is required only where the branch has a committee, i.e. holds a current post besides the
//   secretary: a branch of fewer than seven full members elects only a secretary (不设支部委员会).
// - A 临时党支部 is measured only over its term (set up at termStart, dissolved after termEnd).

import type { MeetingKind } from '@dangjian/db';

/** Chinese names of the meeting kinds, for activity summaries and indicator evidence. */
export const MEETING_KIND_LABELS: Record<MeetingKind, string> = {
  GENERAL_MEETING: '支部党员大会',
  COMMITTEE_MEETING: '支部委员会',
  GROUP_MEETING: '党小组会',
  PARTY_LECTURE: '党课',
  THEME_DAY: '主题党日',
  ORGANIZATIONAL_LIFE_MEETING: '组织生活会',
  DEMOCRATIC_LIFE_MEETING: '民主生活会',
};

/** How often a kind of meeting is due. */
export type Cadence = 'MONTHLY' | 'QUARTERLY';

/** Kinds a branch must hold at a cadence, in the order shortfalls are listed. */
export const CADENCE: ReadonlyArray<readonly [MeetingKind, Cadence]> = [
  ['GENERAL_MEETING', 'QUARTERLY'],
  ['COMMITTEE_MEETING', 'MONTHLY'],
  ['GROUP_MEETING', 'MONTHLY'],
  ['PARTY_LECTURE', 'QUARTERLY'],
  ['THEME_DAY', 'MONTHLY'],
];

/** The meeting kinds that have a required cadence. */
export const CADENCE_KINDS: readonly MeetingKind[] = CADENCE.map(([kind]) => kind);

/** `YYYY-MM` of a UTC date: the key meetings are counted under. */
export function monthKey(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** The month or quarter (`YYYY-Qn`) a `YYYY-MM` month belongs to, for a cadence. */
export function unitOfMonth(cadence: Cadence, month: string): string {
  if (cadence === 'MONTHLY') return month;
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Keys of the months or quarters lying wholly inside [from, to] (UTC calendar dates, both inclusive). */
export function containedUnits(cadence: Cadence, from: Date, to: Date): string[] {
  const span = cadence === 'MONTHLY' ? 1 : 3;
  const units: string[] = [];
  // Start at the first unit boundary on or after the month of `from`.
  let year = from.getUTCFullYear();
  let month = Math.floor(from.getUTCMonth() / span) * span;
  for (;;) {
    const start = Date.UTC(year, month, 1);
    const end = Date.UTC(year, month + span, 0);
    if (start > to.getTime()) break;
    if (start >= from.getTime() && end <= to.getTime()) units.push(unitOfMonth(cadence, monthKey(new Date(start))));
    month += span;
    if (month >= 12) {
      month -= 12;
      year += 1;
    }
  }
  return units;
}

/** Number of meetings of a cadence a single holder owes for [from, to]. */
export function requiredMeetings(cadence: Cadence, from: Date, to: Date): number {
  return containedUnits(cadence, from, to).length;
}

/** A branch as the shortfall check sees it. */
export interface CadenceBranch {
  id: string;
  /** First and last day the branch existed in, when known (a 临时党支部's term); null = unbounded. */
  activeFrom: Date | null;
  activeTo: Date | null;
  /** Its 党小组. */
  groupIds: readonly string[];
  /** Whether it has a 支部委员会 (a current post besides the secretary). */
  hasCommittee: boolean;
}

/** Meetings of one organization and kind in one month, as the grouped SQL count returns them. */
export interface MeetingCount {
  organizationId: string;
  kind: string;
  /** `YYYY-MM`. */
  month: string;
  count: number;
}

/** One (branch, kind) measured against the cadence: how many months or quarters were required and held. */
export interface CadenceTally {
  organizationId: string;
  kind: MeetingKind;
  cadence: Cadence;
  required: number;
  held: number;
  /** Meetings of the kind held in the required months/quarters (several in one month count here). */
  meetingCount: number;
}

/** One (branch, kind) that fell short. */
export type Shortfall = CadenceTally;

/** The months or quarters a branch owes for a kind over [from, to]: clipped to a temporary branch's term. */
export function requiredUnits(branch: CadenceBranch, cadence: Cadence, from: Date, to: Date): Set<string> {
  const start = branch.activeFrom && branch.activeFrom.getTime() > from.getTime() ? branch.activeFrom : from;
  const end = branch.activeTo && branch.activeTo.getTime() < to.getTime() ? branch.activeTo : to;
  if (start.getTime() > end.getTime()) return new Set();
  return new Set(containedUnits(cadence, start, end));
}

/**
 * Every (branch, kind) with something required in [from, to], branches in the given order, kinds in CADENCE
 * order (or only `kinds`). A kind the branch owes nothing of (no committee, no groups, no whole month) is left out.
 */
export function tallyCadence(
  from: Date,
  to: Date,
  branches: readonly CadenceBranch[],
  counts: readonly MeetingCount[],
  kinds: readonly MeetingKind[] = CADENCE_KINDS,
): CadenceTally[] {
  const byHolderKind = new Map<string, MeetingCount[]>();
  for (const row of counts) {
    const key = `${row.organizationId}|${row.kind}`;
    byHolderKind.set(key, [...(byHolderKind.get(key) ?? []), row]);
  }
  const result: CadenceTally[] = [];
  for (const branch of branches) {
    for (const [kind, cadence] of CADENCE) {
      if (!kinds.includes(kind)) continue;
      if (kind === 'COMMITTEE_MEETING' && !branch.hasCommittee) continue;
      const holders = kind === 'GROUP_MEETING' ? branch.groupIds : [branch.id];
      const units = requiredUnits(branch, cadence, from, to);
      const required = units.size * holders.length;
      if (required === 0) continue;
      let held = 0;
      let meetingCount = 0;
      for (const holder of holders) {
        const covered = new Set<string>();
        for (const row of byHolderKind.get(`${holder}|${kind}`) ?? []) {
          const unit = unitOfMonth(cadence, row.month);
          if (!units.has(unit) || row.count <= 0) continue;
          covered.add(unit);
          meetingCount += row.count;
        }
        held += covered.size;
      }
      result.push({ organizationId: branch.id, kind, cadence, required, held, meetingCount });
    }
  }
  return result;
}

/** Every (branch, kind) short of the cadence in [from, to], branches in the given order, kinds in CADENCE order. */
export function computeShortfalls(from: Date, to: Date, branches: readonly CadenceBranch[], counts: readonly MeetingCount[]): Shortfall[] {
  return tallyCadence(from, to, branches, counts).filter((t) => t.held < t.required);
}
