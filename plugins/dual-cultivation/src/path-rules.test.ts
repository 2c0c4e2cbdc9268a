import { describe, expect, it } from 'vitest';
import { addMonths } from './personal-data-rules.ts';
import { isStageOverdue, overdueCutoff, stageDueBy, stageOfStep, stagesReached } from './path-rules.ts';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const today = d('2025-06-15');

describe('the path of a talent', () => {
  it('derives the four stages from the 25 steps of the procedure, at the steps that begin them', () => {
    const expected = ['APPLICANT', 'APPLICANT', 'ACTIVIST', 'ACTIVIST', 'ACTIVIST', 'ACTIVIST'];
    for (let step = 1; step <= 6; step++) expect(stageOfStep(step)).toBe(expected[step - 1]);
    for (let step = 7; step <= 14; step++) expect(stageOfStep(step)).toBe('DEVELOPMENT_TARGET');
    for (let step = 15; step <= 25; step++) expect(stageOfStep(step)).toBe('PROBATIONARY');
  });

  it('dates each stage reached by its earliest recorded step, skipping stages with no step recorded', () => {
    expect(
      stagesReached([
        { step: 1, date: d('2022-01-10') },
        { step: 2, date: d('2022-01-20') },
        { step: 4, date: d('2022-03-05') },
        { step: 3, date: d('2022-03-01') },
        { step: 15, date: d('2023-09-01') },
      ]),
    ).toEqual([
      { stage: 'APPLICANT', date: d('2022-01-10') },
      { stage: 'ACTIVIST', date: d('2022-03-01') },
      { stage: 'PROBATIONARY', date: d('2023-09-01') },
    ]);
    expect(stagesReached([])).toEqual([]);
  });

  it('computes due dates and overdue stages, and the SQL cutoff agrees with them day by day', () => {
    expect(stageDueBy('APPLICANT', d('2025-01-31'))).toEqual(d('2025-07-31'));
    expect(stageDueBy('ACTIVIST', d('2023-06-15'))).toEqual(d('2025-06-15'));
    expect(stageDueBy('PROBATIONARY', d('2025-01-01'))).toBeNull();
    expect(stageDueBy(null, null)).toBeNull();
    expect(isStageOverdue('ACTIVIST', d('2023-06-15'), today)).toBe(false);
    expect(isStageOverdue('ACTIVIST', d('2023-06-14'), today)).toBe(true);
    for (const stage of ['APPLICANT', 'ACTIVIST', 'DEVELOPMENT_TARGET'] as const) {
      for (let i = 0; i < 400; i++) {
        const day = new Date(d('2024-01-01').getTime() + i * 86_400_000);
        for (const since of [
          addMonths(day, -6),
          addMonths(day, -24),
          new Date(day.getTime() - 183 * 86_400_000),
          new Date(day.getTime() - 184 * 86_400_000),
        ]) {
          expect(since.getTime() < overdueCutoff(stage, day).getTime()).toBe(isStageOverdue(stage, since, day));
        }
      }
    }
  });
});
