import { expect } from 'vitest';
import type { GqlResult } from './server.ts';

/** Day offsets after the application of a walk through the 25 steps of 发展党员 that keeps every rule. */
export const DEVELOPMENT_STEP_OFFSETS: Readonly<Record<number, number>> = {
  1: 0,
  2: 20,
  3: 60,
  4: 70,
  5: 80,
  6: 200,
  7: 436,
  8: 440,
  9: 450,
  10: 460,
  11: 470,
  12: 480,
  13: 492,
  14: 495,
  15: 500,
  16: 510,
  17: 560,
  18: 570,
  19: 580,
  20: 590,
  21: 700,
  22: 850,
  23: 870,
  24: 880,
  25: 890,
};

/** A branch vote that carries (steps 15 and 23). */
export const PASSING_VOTE = { entitled: 9, present: 8, for: 7 } as const;

const iso = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (date: Date, n: number) => new Date(date.getTime() + n * 86_400_000);

/**
 * A `RecordDevelopmentStepInput` of `step` that keeps every rule for an application made on `base` —
 * whether the record is core's or a talent's. `people` gives the people of the steps that name some
 * (introducers, talkers …, by step number); `extra` overrides fields to break one rule.
 */
export function developmentStepInput(
  step: number,
  base: Date,
  people: Readonly<Record<number, readonly Record<string, unknown>[]>>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const input: Record<string, unknown> = { step, date: iso(addDays(base, DEVELOPMENT_STEP_OFFSETS[step]!)), account: `第${step}步情况` };
  if (people[step]) input.people = people[step];
  if (step === 11) input.trainingDays = 3;
  if (step === 13) {
    input.noticeFrom = iso(addDays(base, DEVELOPMENT_STEP_OFFSETS[12]!));
    input.noticeTo = iso(addDays(base, DEVELOPMENT_STEP_OFFSETS[12]! + 11));
  }
  if (step === 15 || step === 23) input.vote = PASSING_VOTE;
  return { ...input, ...extra };
}

/**
 * Records steps `from` to `to` in order through `send`, failing at the first one refused, and answers the
 * mutation's `field` of the last.
 */
export async function walkDevelopmentSteps<T = any>(
  from: number,
  to: number,
  send: (step: number) => Promise<GqlResult>,
  field: string,
): Promise<T> {
  let last: T | undefined;
  for (let step = from; step <= to; step++) {
    const result = await send(step);
    expect(result.errors, `step ${step}: ${JSON.stringify(result.errors)}`).toBeUndefined();
    last = result.data?.[field];
  }
  return last as T;
}
