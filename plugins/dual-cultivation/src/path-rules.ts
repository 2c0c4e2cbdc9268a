// The 发展党员 path of a talent as pure rules: the order of stages, the minimum time in each stage
// before the next, and when a stage counts as overdue. No database, no GraphQL.
//
// Minimum intervals (time in the previous stage before the next may be reached):
//   APPLICANT → ACTIVIST            1 month   (the branch talks with the applicant within a month of the
//                                              application; an activist is chosen after that talk)
//   ACTIVIST → DEVELOPMENT_TARGET  12 months  (an activist is cultivated and examined for at least a year)
//   DEVELOPMENT_TARGET → PROBATIONARY 3 months (political review, concentrated training and publicity)
// The application itself (APPLICANT) must be made on or after the 18th birthday when the national ID
// tells it. Every date is a calendar date, not in the future, and not before the previous stage's.
//
// Overdue (a stage held longer than expected without the next step):
//   APPLICANT 6 months, ACTIVIST 24 months, DEVELOPMENT_TARGET 6 months; PROBATIONARY is the end of the
//   path here (conversion to full membership is core's 转正).

import { addDays, addMonths, isoDate } from './personal-data-rules.ts';

export const STAGES = ['APPLICANT', 'ACTIVIST', 'DEVELOPMENT_TARGET', 'PROBATIONARY'] as const;
export type Stage = (typeof STAGES)[number];

/** Chinese names, for messages and activity summaries. */
export const STAGE_LABELS: Record<Stage, string> = {
  APPLICANT: '入党申请人',
  ACTIVIST: '入党积极分子',
  DEVELOPMENT_TARGET: '发展对象',
  PROBATIONARY: '预备党员',
};

/** Minimum months in the previous stage before a talent may reach this one. */
export const MIN_MONTHS_BEFORE: Record<Exclude<Stage, 'APPLICANT'>, number> = {
  ACTIVIST: 1,
  DEVELOPMENT_TARGET: 12,
  PROBATIONARY: 3,
};

/** Months a stage may be held before it is overdue; PROBATIONARY ends the path and is never overdue. */
export const OVERDUE_AFTER_MONTHS: Record<Exclude<Stage, 'PROBATIONARY'>, number> = {
  APPLICANT: 6,
  ACTIVIST: 24,
  DEVELOPMENT_TARGET: 6,
};

/** Months a developed talent stays on the pipeline board's PROBATIONARY column: the probation year. */
export const PROBATION_MONTHS = 12;

/** Stages that need a named cultivator (培养联系人): every stage from ACTIVIST on. */
export function needsCultivator(stage: Stage): boolean {
  return stage !== 'APPLICANT';
}

/** The stage after this one, or null at the end of the path. */
export function nextStage(stage: Stage | null): Stage | null {
  if (stage === null) return 'APPLICANT';
  return STAGES[STAGES.indexOf(stage) + 1] ?? null;
}

/** The date by which a talent in `stage` since `since` should have reached the next stage; null if never due. */
export function stageDueBy(stage: Stage | null, since: Date | null): Date | null {
  if (!stage || !since || stage === 'PROBATIONARY') return null;
  return addMonths(since, OVERDUE_AFTER_MONTHS[stage]);
}

/** True when the stage is held past its due date (on the due date itself it is not yet overdue). */
export function isStageOverdue(stage: Stage | null, since: Date | null, today: Date): boolean {
  const due = stageDueBy(stage, since);
  return due !== null && today.getTime() > due.getTime();
}

/** Why an advance is refused: a state-machine violation, or a bad date naming the input field. */
export type AdvanceProblem = { kind: 'state'; state: string; message: string } | { kind: 'input'; field: string; message: string };

export interface AdvanceFacts {
  /** Current stage, null when the talent has not started the path. */
  current: Stage | null;
  /** Date the current stage was reached. */
  since: Date | null;
  /** Stage asked for. */
  target: Stage;
  /** Date asked for. */
  date: Date;
  /** Today (UTC calendar date). */
  today: Date;
  /** Birth date from the national ID, when known. */
  birthDate: Date | null;
}

/** Checks one step of the path; null when it is allowed. */
export function advanceProblem(f: AdvanceFacts): AdvanceProblem | null {
  const state = f.current ?? 'NONE';
  const expected = nextStage(f.current);
  if (expected === null) {
    return { kind: 'state', state, message: 'the path is complete: the talent is already a PROBATIONARY member' };
  }
  if (f.target !== expected) {
    const from = STAGES.indexOf(f.target);
    const at = f.current ? STAGES.indexOf(f.current) : -1;
    const why = from <= at ? 'stages cannot be repeated or gone back to' : 'stages cannot be skipped';
    return { kind: 'state', state, message: `${why}: from ${state} the next stage is ${expected}, not ${f.target}` };
  }
  if (f.date.getTime() > f.today.getTime()) return { kind: 'input', field: 'input.date', message: 'must not be in the future' };
  if (f.target === 'APPLICANT') {
    if (f.birthDate && f.date.getTime() < addMonths(f.birthDate, 18 * 12).getTime()) {
      return {
        kind: 'input',
        field: 'input.date',
        message: `an application may be made from the 18th birthday (${isoDate(addMonths(f.birthDate, 18 * 12))})`,
      };
    }
    return null;
  }
  const earliest = addMonths(f.since!, MIN_MONTHS_BEFORE[f.target]);
  if (f.date.getTime() < earliest.getTime()) {
    return {
      kind: 'input',
      field: 'input.date',
      message: `must be on or after ${isoDate(earliest)}: ${f.target} needs at least ${MIN_MONTHS_BEFORE[f.target]} month(s) as ${f.current} (since ${isoDate(f.since!)})`,
    };
  }
  return null;
}

/**
 * The `stageSince` before which a talent in `stage` is overdue today — the same test as
 * `isStageOverdue`, turned around so that SQL can filter on the stored date.
 */
export function overdueCutoff(stage: Exclude<Stage, 'PROBATIONARY'>, today: Date): Date {
  const months = OVERDUE_AFTER_MONTHS[stage];
  const back = addMonths(today, -months);
  // Month ends clamp: from 30 September, six months reach 30 March, so on 31 March that day is overdue too.
  return addMonths(back, months).getTime() < today.getTime() ? addDays(back, 1) : back;
}
