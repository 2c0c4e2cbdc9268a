// The 发展党员 path of a talent as pure rules. The path itself is core's procedure (《中国共产党发展党员
// 工作细则》, 25 steps: packages/core/src/schema/development-rules.ts enforces the order, intervals, votes);
// here only how the plugin's four stages follow from the step a talent's development record has reached,
// and when a stage counts as overdue. No database, no GraphQL.
//
// Stages from steps: 1–2 APPLICANT (application and talk), 3–6 ACTIVIST (推荐和确定 on), 7–14
// DEVELOPMENT_TARGET (确定发展对象 up to the 志愿书), 15–25 PROBATIONARY (the 支部大会 resolution of step 15
// makes the person a probationary member).
//
// Overdue (a stage held longer than expected without the next step):
//   APPLICANT 6 months, ACTIVIST 24 months, DEVELOPMENT_TARGET 6 months; PROBATIONARY is the end of the
//   path here (conversion to full membership is core's 转正, steps 22–24).

import { addDays, addMonths } from './personal-data-rules.ts';

export const STAGES = ['APPLICANT', 'ACTIVIST', 'DEVELOPMENT_TARGET', 'PROBATIONARY'] as const;
export type Stage = (typeof STAGES)[number];

/** Chinese names, for messages and activity summaries. */
export const STAGE_LABELS: Record<Stage, string> = {
  APPLICANT: '入党申请人',
  ACTIVIST: '入党积极分子',
  DEVELOPMENT_TARGET: '发展对象',
  PROBATIONARY: '预备党员',
};

/** The first step of each stage: recording it moves the talent into the stage. */
export const STAGE_FIRST_STEP: Record<Stage, number> = {
  APPLICANT: 1,
  ACTIVIST: 3,
  DEVELOPMENT_TARGET: 7,
  PROBATIONARY: 15,
};

/** The plugin stage of a development record that has reached `step` (1–25). */
export function stageOfStep(step: number): Stage {
  let stage: Stage = 'APPLICANT';
  for (const s of STAGES) if (step >= STAGE_FIRST_STEP[s]) stage = s;
  return stage;
}

/**
 * Each stage reached, with the day it was reached (the date of the first recorded step inside the
 * stage's range), from a record's recorded steps. Steps of a stage not recorded (e.g. migrated records)
 * are skipped: the stage counts from the earliest step of it that is recorded.
 */
export function stagesReached(steps: readonly { step: number; date: Date }[]): { stage: Stage; date: Date }[] {
  const first = new Map<Stage, Date>();
  for (const { step, date } of steps) {
    const stage = stageOfStep(step);
    const known = first.get(stage);
    if (!known || date.getTime() < known.getTime()) first.set(stage, date);
  }
  return STAGES.flatMap((stage) => (first.has(stage) ? [{ stage, date: first.get(stage)! }] : []));
}

/** Months a stage may be held before it is overdue; PROBATIONARY ends the path and is never overdue. */
export const OVERDUE_AFTER_MONTHS: Record<Exclude<Stage, 'PROBATIONARY'>, number> = {
  APPLICANT: 6,
  ACTIVIST: 24,
  DEVELOPMENT_TARGET: 6,
};

/** Months a developed talent stays on the pipeline board's PROBATIONARY column: the probation year. */
export const PROBATION_MONTHS = 12;

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
