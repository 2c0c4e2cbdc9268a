import { describe, expect, it } from 'vitest';
import { developmentDueRule, type DevelopmentDueRow } from './development-due.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const root = { id: 'root', path: '/root/' };
/** Applied on 1 March: the talk (step 2) is due within a month, by 1 April. */
const applied: DevelopmentDueRow = {
  id: 'r1',
  name: '王五',
  state: 'ACTIVE',
  step: 1,
  stepDate: d('2026-03-01'),
  birthDate: d('1998-05-01'),
  probationEndsAt: null,
  extendedMonths: null,
  entries: [{ step: 1, date: d('2026-03-01') }],
  organization: { id: 'b1', path: '/root/b1/' },
};
const run = (now: string, row: DevelopmentDueRow = applied) =>
  developmentDueRule.evaluate([row], { root, now: d(now), thresholds: developmentDueRule.defaults });

describe('core.developmentStepDue', () => {
  it('is silent while the deadline is more than 14 days away', () => {
    expect(run('2026-03-17')).toEqual([]);
  });
  it('reminds within 14 days of the deadline, naming the step and the rule, to the branch secretary', () => {
    const [reminder] = run('2026-03-18');
    expect(reminder).toMatchObject({
      subjectType: 'DevelopmentRecord',
      subjectId: 'r1',
      threshold: '14d@2@2026-04-01',
      to: [{ organizationId: 'b1', role: 'SECRETARY' }],
    });
    expect(reminder!.body).toContain('一个月内派人谈话');
    // The same threshold until the deadline: one key, so it is sent once.
    expect(run('2026-04-01').map((r) => r.threshold)).toEqual(['14d@2@2026-04-01']);
  });
  it('reminds once more when overdue', () => {
    expect(run('2026-04-02').map((r) => r.threshold)).toEqual(['overdue@2@2026-04-01']);
    expect(run('2026-05-20').map((r) => r.threshold)).toEqual(['overdue@2@2026-04-01']);
  });
  it('says nothing of an ended record or of a step without a deadline', () => {
    expect(run('2026-04-02', { ...applied, state: 'ENDED' })).toEqual([]);
    expect(run('2026-04-02', { ...applied, step: 3, entries: [...applied.entries, { step: 2, date: d('2026-03-10') }] })).toEqual([]);
  });
});
