import { describe, expect, it } from 'vitest';
import { addMonths } from './personal-data-rules.ts';
import { advanceProblem, isStageOverdue, needsCultivator, nextStage, overdueCutoff, stageDueBy, type AdvanceFacts } from './path-rules.ts';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const today = d('2025-06-15');
const facts = (f: Partial<AdvanceFacts>): AdvanceFacts => ({
  current: null,
  since: null,
  target: 'APPLICANT',
  date: d('2024-01-10'),
  today,
  birthDate: null,
  ...f,
});

describe('the path of a talent', () => {
  it('runs APPLICANT → ACTIVIST → DEVELOPMENT_TARGET → PROBATIONARY and ends there', () => {
    expect(nextStage(null)).toBe('APPLICANT');
    expect(nextStage('APPLICANT')).toBe('ACTIVIST');
    expect(nextStage('ACTIVIST')).toBe('DEVELOPMENT_TARGET');
    expect(nextStage('DEVELOPMENT_TARGET')).toBe('PROBATIONARY');
    expect(nextStage('PROBATIONARY')).toBeNull();
    expect(needsCultivator('APPLICANT')).toBe(false);
    expect(needsCultivator('ACTIVIST')).toBe(true);
  });

  it('allows each next step after its minimum interval', () => {
    expect(advanceProblem(facts({}))).toBeNull();
    expect(advanceProblem(facts({ current: 'APPLICANT', since: d('2024-01-10'), target: 'ACTIVIST', date: d('2024-02-10') }))).toBeNull();
    expect(
      advanceProblem(facts({ current: 'ACTIVIST', since: d('2024-02-10'), target: 'DEVELOPMENT_TARGET', date: d('2025-02-10') })),
    ).toBeNull();
    expect(
      advanceProblem(facts({ current: 'DEVELOPMENT_TARGET', since: d('2025-02-10'), target: 'PROBATIONARY', date: d('2025-05-10') })),
    ).toBeNull();
  });

  it('refuses skipping, repeating, going back and going past the end as state errors naming the current stage', () => {
    expect(advanceProblem(facts({ target: 'ACTIVIST' }))).toMatchObject({
      kind: 'state',
      state: 'NONE',
      message: expect.stringContaining('skipped'),
    });
    expect(advanceProblem(facts({ current: 'APPLICANT', since: d('2024-01-10'), target: 'DEVELOPMENT_TARGET' }))).toMatchObject({
      kind: 'state',
      state: 'APPLICANT',
    });
    expect(advanceProblem(facts({ current: 'ACTIVIST', since: d('2024-01-10'), target: 'APPLICANT' }))).toMatchObject({
      kind: 'state',
      state: 'ACTIVIST',
      message: expect.stringContaining('gone back'),
    });
    expect(advanceProblem(facts({ current: 'ACTIVIST', since: d('2024-01-10'), target: 'ACTIVIST' }))).toMatchObject({
      kind: 'state',
      state: 'ACTIVIST',
    });
    expect(advanceProblem(facts({ current: 'PROBATIONARY', since: d('2024-01-10'), target: 'PROBATIONARY' }))).toMatchObject({
      kind: 'state',
      state: 'PROBATIONARY',
    });
  });

  it('refuses a step before its minimum interval, the day before the earliest date, and a future date', () => {
    // One year as activist: 2024-02-29 + 12 months is 2025-02-28 (clamped), so the 27th is one day early.
    const activist = { current: 'ACTIVIST' as const, since: d('2024-02-29'), target: 'DEVELOPMENT_TARGET' as const };
    expect(advanceProblem(facts({ ...activist, date: d('2025-02-27') }))).toMatchObject({
      kind: 'input',
      field: 'input.date',
      message: expect.stringContaining('2025-02-28'),
    });
    expect(advanceProblem(facts({ ...activist, date: d('2025-02-28') }))).toBeNull();
    expect(
      advanceProblem(facts({ current: 'APPLICANT', since: d('2024-01-10'), target: 'ACTIVIST', date: d('2024-02-09') })),
    ).toMatchObject({ kind: 'input' });
    expect(
      advanceProblem(facts({ current: 'DEVELOPMENT_TARGET', since: d('2025-02-10'), target: 'PROBATIONARY', date: d('2025-05-09') })),
    ).toMatchObject({ kind: 'input' });
    expect(advanceProblem(facts({ date: d('2025-06-16') }))).toMatchObject({ kind: 'input', message: 'must not be in the future' });
  });

  it('requires an applicant to be 18 when the birth date is known', () => {
    expect(advanceProblem(facts({ birthDate: d('2006-01-11'), date: d('2024-01-10') }))).toMatchObject({
      kind: 'input',
      message: expect.stringContaining('2024-01-11'),
    });
    expect(advanceProblem(facts({ birthDate: d('2006-01-10'), date: d('2024-01-10') }))).toBeNull();
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
