// Records that accumulate over time — meetings with attendance, dues, trainings, assessments — generated
// over a window ending on the dataset's reference date so that "last 12 months" queries always hit.

import type { AssessmentGrade, MeetingKind } from '../generated/prisma/client.ts';
import { ABSENCE_REASONS, MEETING_TOPICS, TRAINING_COURSES } from './catalogue.ts';
import { addDays, addMonths, addYears, maxDate, minDate, monthEnd, monthStart, utcDate } from './dates.ts';
import { weightedTable, type Random } from './random.ts';
import type { Dataset, MemberRow, OrganizationRow } from './types.ts';

/** Generator, reference date and the dataset being filled. */
export interface BuildContext {
  rng: Random;
  today: Date;
  data: Dataset;
}

/** Which meetings an organization holds and who is expected at each. */
export interface MeetingPlan {
  organization: OrganizationRow;
  monthly: MeetingKind[];
  quarterly: MeetingKind[];
  yearly: MeetingKind[];
  /** Falls short of the 三会一课 cadence: skips many scheduled meetings, lower attendance. */
  lagging: boolean;
  /** No meetings before this date (the organization did not exist yet). */
  since?: Date | null;
  /** Members expected at a meeting of this kind on this date. */
  attendees: (kind: MeetingKind, date: Date) => readonly MemberRow[];
}

/** The first day of each of the 12 months ending with the reference date's month. */
export function windowMonths(today: Date): Date[] {
  const current = monthStart(today);
  return Array.from({ length: 12 }, (_, i) => addMonths(current, i - 11));
}

/** Adds the meetings of one organization over the last 12 months, with attendance rows. */
export function addMeetings(ctx: BuildContext, plan: MeetingPlan): void {
  const { rng, today } = ctx;
  const months = windowMonths(today);
  const since = plan.since ?? null;
  const hold = (kind: MeetingKind, from: Date, to: Date, skipChance: number) => {
    const end = minDate(to, today);
    if (since && end.getTime() < since.getTime()) return;
    if (plan.lagging && rng.chance(skipChance)) return;
    addMeeting(ctx, plan, kind, rng.dateBetween(since ? maxDate(from, since) : from, end));
  };
  for (const month of months) {
    for (const kind of plan.monthly) hold(kind, month, monthEnd(month), 0.45);
  }
  // Quarters are calendar quarters, as the 三会一课 rules count them; partial quarters at the window's edges still get one.
  const quarters = new Map<number, Date[]>();
  for (const month of months) {
    const key = month.getUTCFullYear() * 4 + Math.floor(month.getUTCMonth() / 3);
    quarters.set(key, [...(quarters.get(key) ?? []), month]);
  }
  for (const inQuarter of quarters.values()) {
    for (const kind of plan.quarterly) hold(kind, inQuarter[0]!, monthEnd(inQuarter[inQuarter.length - 1]!), 0.6);
  }
  // The yearly organizational life meeting is customarily held in January or February.
  const early = months.filter((m) => m.getUTCMonth() <= 1);
  for (const kind of plan.yearly) {
    const month = rng.pick(early.length > 0 ? early : months);
    hold(kind, month, monthEnd(month), 0.5);
  }
}

function addMeeting(ctx: BuildContext, plan: MeetingPlan, kind: MeetingKind, date: Date): void {
  const { rng, data } = ctx;
  const meeting = { id: rng.uuid(), organizationId: plan.organization.id, kind, date, topic: rng.pick(MEETING_TOPICS[kind]) };
  data.meetings.push(meeting);
  const presentChance = plan.lagging ? 0.75 : 0.93;
  for (const member of plan.attendees(kind, date)) {
    if (member.joinedAt.getTime() > date.getTime()) continue;
    const present = rng.chance(presentChance);
    data.meetingAttendance.push({
      meetingId: meeting.id,
      memberId: member.id,
      present,
      absenceReason: present ? null : rng.pick(ABSENCE_REASONS),
    });
  }
}

/** Adds monthly dues for the last 12 months; a member in arrears has stopped paying or skipped months. */
export function addDues(ctx: BuildContext, member: MemberRow, amount: string, inArrears: boolean): void {
  const { rng, today, data } = ctx;
  const joined = monthStart(member.joinedAt);
  const due = windowMonths(today).filter((m) => m.getTime() >= joined.getTime());
  const missing = new Set<number>();
  if (inArrears && due.length > 0) {
    if (rng.chance(0.6)) {
      const stopped = Math.min(due.length, rng.int(2, 6));
      for (let i = due.length - stopped; i < due.length; i++) missing.add(i);
    } else {
      for (const i of rng.sample([...due.keys()], rng.int(1, 3))) missing.add(i);
    }
  }
  due.forEach((month, i) => {
    if (missing.has(i)) return;
    // Some pay a month or two late in one go; the payment still counts for the month it covers.
    const paid = rng.chance(0.08) ? addDays(addMonths(month, rng.int(1, 2)), rng.int(0, 10)) : addDays(month, rng.int(0, 14));
    data.duesPayments.push({ id: rng.uuid(), memberId: member.id, month, amount, paidAt: minDate(paid, today) });
  });
}

/** Adds trainings: `recent` of them within three years, or only stale ones (older than three years) when `stale`. */
export function addTrainings(ctx: BuildContext, memberId: string, recent: number, stale: boolean): void {
  const { rng, today, data } = ctx;
  const threeYearsAgo = addYears(today, -3);
  const count = stale ? rng.int(0, 1) : recent;
  for (let i = 0; i < count; i++) {
    const [course, hours, provider] = rng.pick(TRAINING_COURSES);
    const date = stale
      ? rng.dateBetween(addYears(today, -6), addDays(threeYearsAgo, -60))
      : rng.dateBetween(addDays(threeYearsAgo, 30), addDays(today, -7));
    data.trainings.push({ id: rng.uuid(), memberId, course, hours, date, provider });
  }
}

const GRADES = weightedTable<AssessmentGrade>([
  ['EXCELLENT', 28],
  ['COMPETENT', 62],
  ['BASICALLY_COMPETENT', 8],
  ['INCOMPETENT', 2],
]);
const DIMENSION_LABELS: Record<AssessmentGrade, readonly string[]> = {
  EXCELLENT: ['优秀', '优秀', '优秀', '良好'],
  COMPETENT: ['优秀', '良好', '良好', '良好', '一般'],
  BASICALLY_COMPETENT: ['良好', '一般', '一般', '较差'],
  INCOMPETENT: ['一般', '较差', '较差'],
};

/** Adds yearly assessments for the two last completed years the cadre served in. */
export function addAssessments(ctx: BuildContext, memberId: string, servedFrom: Date, servedUntil: Date | null): void {
  const { rng, today, data } = ctx;
  const year = today.getUTCFullYear();
  for (const y of [year - 2, year - 1]) {
    if (servedFrom.getTime() > utcDate(y, 12, 31).getTime()) continue;
    if (servedUntil && servedUntil.getTime() < utcDate(y, 1, 1).getTime()) continue;
    const grade = rng.weighted(GRADES);
    // 德能勤绩廉: the five dimensions the assessment rules score.
    const notes = rng.chance(0.7) ? [...'德能勤绩廉'].map((d) => `${d}：${rng.pick(DIMENSION_LABELS[grade])}`).join('；') : null;
    data.assessments.push({ id: rng.uuid(), memberId, year: y, grade, notes });
  }
}

/** A date within [from, to] clamped to not after the reference date, for appointments. */
export function dateUpTo(ctx: BuildContext, from: Date, to: Date): Date {
  const upper = minDate(to, ctx.today);
  return ctx.rng.dateBetween(minDate(from, upper), upper);
}
