import { describe, expect, it } from 'vitest';
import {
  allowedNext,
  checkCancellation,
  checkEnding,
  checkExtension,
  checkStep,
  nextDue,
  type RecordFacts,
  stageOf,
  type StepInput,
  STEPS,
  voteProblem,
  workingDays,
} from './development-rules.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

function refusal(fn: () => unknown): { code?: unknown; field?: unknown; message: string } | undefined {
  try {
    fn();
  } catch (error) {
    const e = error as { message: string; extensions?: { code?: unknown; field?: unknown } };
    return { code: e.extensions?.code, field: e.extensions?.field, message: e.message };
  }
  return undefined;
}

const facts = (step: number, dates: Record<number, string>, extra: Partial<RecordFacts> = {}): RecordFacts => {
  const stepDates = new Map(Object.entries(dates).map(([s, iso]) => [Number(s), d(iso)]));
  return {
    state: 'ACTIVE',
    step,
    stepDate: stepDates.get(step) ?? d('2020-01-01'),
    birthDate: d('1995-05-05'),
    stepDates,
    probationEndsAt: null,
    extendedMonths: null,
    ...extra,
  };
};

const input = (step: number, date: string, extra: Partial<StepInput> = {}): StepInput => ({
  step,
  date: d(date),
  people: [],
  vote: null,
  trainingDays: null,
  trainingHours: null,
  noticeFrom: null,
  noticeTo: null,
  ...extra,
});

const FULL = { memberStatus: 'FULL' as const, externalReason: null };
const PROBATIONARY = { memberStatus: 'PROBATIONARY' as const, externalReason: null };
const VOTE = { entitled: 10, present: 8, for: 7 };

describe('the 25 steps', () => {
  it('are five stages in order, and only the assessment steps repeat', () => {
    expect(STEPS).toHaveLength(25);
    expect(STEPS.map((s) => s.step)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect([1, 3, 7, 12, 19].map(stageOf)).toEqual(['APPLICATION', 'ACTIVIST', 'TARGET', 'ACCEPTANCE', 'PROBATION']);
    expect(allowedNext(5)).toEqual([6]);
    expect(allowedNext(6)).toEqual([6, 7]);
    expect(allowedNext(21)).toEqual([21, 22]);
    expect(allowedNext(25)).toEqual([]);
  });

  it('refuse a step out of order, naming the step the record stands at', () => {
    const r = refusal(() => checkStep(facts(3, { 3: '2024-01-01' }), input(5, '2024-02-01')));
    expect(r?.code).toBe('ILLEGAL_STATE');
    expect(r?.message).toContain('stands at step 3');
  });

  it('refuse a date before the previous step', () => {
    const r = refusal(() => checkStep(facts(3, { 3: '2024-01-01' }), input(4, '2023-12-31')));
    expect(r?.field).toBe('input.date');
    expect(r?.message).toContain('2024-01-01');
  });

  it('refuse a step of a record that has ended', () => {
    expect(refusal(() => checkStep(facts(3, { 3: '2024-01-01' }, { state: 'ENDED' }), input(4, '2024-02-01')))?.code).toBe('ILLEGAL_STATE');
  });
});

describe('intervals and time limits', () => {
  it('flag a talk later than a month after the application, but allow it', () => {
    expect(checkStep(facts(1, { 1: '2024-01-10' }), input(2, '2024-02-10', { people: [FULL] })).late).toBe(false);
    expect(checkStep(facts(1, { 1: '2024-01-10' }), input(2, '2024-02-11', { people: [FULL] })).late).toBe(true);
  });

  it('need a year between activist and development target', () => {
    const f = facts(6, { 3: '2023-03-01', 6: '2023-09-01' });
    const r = refusal(() => checkStep(f, input(7, '2024-02-29')));
    expect(r?.field).toBe('input.date');
    expect(r?.message).toContain('2024-03-01');
    expect(checkStep(f, input(7, '2024-03-01')).late).toBe(false);
  });

  it('need training of three days or 24 学时', () => {
    const f = facts(10, { 10: '2024-01-01' });
    expect(refusal(() => checkStep(f, input(11, '2024-02-01', { trainingDays: 2 })))?.message).toContain('2 days');
    expect(refusal(() => checkStep(f, input(11, '2024-02-01', { trainingHours: 23 })))?.field).toBe('input.trainingHours');
    expect(checkStep(f, input(11, '2024-02-01', { trainingDays: 3 })).late).toBe(false);
    expect(checkStep(f, input(11, '2024-02-01', { trainingHours: 24 })).late).toBe(false);
  });

  it('need a 公示 of five working days between the committee review and the pre-examination', () => {
    const f = facts(12, { 12: '2024-03-01' });
    // Monday 4 to Friday 8 March 2024: five working days.
    expect(checkStep(f, input(13, '2024-03-11', { noticeFrom: d('2024-03-04'), noticeTo: d('2024-03-08') })).late).toBe(false);
    const r = refusal(() => checkStep(f, input(13, '2024-03-11', { noticeFrom: d('2024-03-05'), noticeTo: d('2024-03-10') })));
    expect(r?.message).toContain('4 working days');
    expect(refusal(() => checkStep(f, input(13, '2024-03-11')))?.field).toBe('input.noticeFrom');
    expect(refusal(() => checkStep(f, input(13, '2024-03-07', { noticeFrom: d('2024-03-04'), noticeTo: d('2024-03-08') })))?.field).toBe(
      'input.noticeTo',
    );
  });

  it('start the probationary year at step 15 and check the age again', () => {
    expect(checkStep(facts(14, { 14: '2024-05-01' }), input(15, '2024-05-10', { vote: VOTE })).probationEndsAt).toEqual(d('2025-05-10'));
    const young = facts(14, { 14: '2013-05-01' }, { birthDate: d('1995-05-11') });
    expect(refusal(() => checkStep(young, input(15, '2013-05-10', { vote: VOTE })))?.message).toContain('2013-05-11');
  });

  it('flag an approval after three months and refuse one after six', () => {
    const f = facts(16, { 15: '2024-01-15', 16: '2024-02-01' });
    expect(checkStep(f, input(17, '2024-04-15')).late).toBe(false);
    expect(checkStep(f, input(17, '2024-04-16')).late).toBe(true);
    expect(refusal(() => checkStep(f, input(17, '2024-07-16')))?.message).toContain('2024-07-15');
  });

  it('discuss 转正 only when the probation has ended', () => {
    const f = facts(22, { 15: '2024-01-15', 22: '2024-12-20' }, { probationEndsAt: d('2025-01-15') });
    expect(refusal(() => checkStep(f, input(23, '2025-01-14', { vote: VOTE })))?.message).toContain('2025-01-15');
    expect(checkStep(f, input(23, '2025-01-15', { vote: VOTE })).late).toBe(false);
  });
});

describe('people named at a step', () => {
  it('are one or two full members as 培养联系人', () => {
    const f = facts(4, { 4: '2024-01-01' });
    expect(refusal(() => checkStep(f, input(5, '2024-02-01')))?.message).toContain('1 to 2');
    expect(refusal(() => checkStep(f, input(5, '2024-02-01', { people: [FULL, FULL, FULL] })))?.field).toBe('input.people');
    expect(refusal(() => checkStep(f, input(5, '2024-02-01', { people: [FULL, PROBATIONARY] })))?.field).toBe('input.people[1].memberId');
    expect(checkStep(f, input(5, '2024-02-01', { people: [FULL] })).late).toBe(false);
  });

  it('are exactly two 入党介绍人; someone outside the system needs a reason', () => {
    const f = facts(8, { 8: '2024-01-01' });
    expect(refusal(() => checkStep(f, input(9, '2024-02-01', { people: [FULL] })))?.message).toContain('exactly 2');
    const outsider = { memberStatus: null, externalReason: null };
    expect(refusal(() => checkStep(f, input(9, '2024-02-01', { people: [FULL, outsider] })))?.field).toBe('input.people[1].externalReason');
    expect(checkStep(f, input(9, '2024-02-01', { people: [FULL, { memberStatus: null, externalReason: '关系在外地' }] })).late).toBe(false);
  });

  it('are not named at a step without people', () => {
    expect(refusal(() => checkStep(facts(3, { 3: '2024-01-01' }), input(4, '2024-02-01', { people: [FULL] })))?.field).toBe('input.people');
  });
});

describe('the vote rule', () => {
  it('needs more than half of the entitled present and approving, and says the numbers', () => {
    expect(voteProblem({ entitled: 10, present: 6, for: 6 })).toBeNull();
    expect(voteProblem({ entitled: 10, present: 5, for: 5 })).toContain('5 of 10 entitled members present');
    expect(voteProblem({ entitled: 10, present: 9, for: 5 })).toContain('5 of 10 entitled members approved');
    expect(voteProblem({ entitled: 10, present: 11, for: 5 })).toContain('cannot exceed');
    expect(voteProblem({ entitled: 10, present: 6, for: 7 })).toContain('cannot exceed');
  });

  it('is required exactly at steps 15 and 23', () => {
    expect(refusal(() => checkStep(facts(14, { 14: '2024-01-01' }), input(15, '2024-02-01')))?.field).toBe('input.vote');
    expect(refusal(() => checkStep(facts(3, { 3: '2024-01-01' }), input(4, '2024-02-01', { vote: VOTE })))?.field).toBe('input.vote');
    const r = refusal(() =>
      checkStep(facts(14, { 14: '2024-01-01' }), input(15, '2024-02-01', { vote: { entitled: 9, present: 4, for: 4 } })),
    );
    expect(r?.message).toContain('4 of 9');
  });
});

describe('decisions', () => {
  const probation = facts(20, { 15: '2024-01-15', 20: '2024-03-01' }, { probationEndsAt: d('2025-01-15') });

  it('extend the probation once by 6 to 12 months', () => {
    expect(checkExtension(probation, d('2024-12-01'), 6, VOTE)).toEqual(d('2025-07-15'));
    expect(refusal(() => checkExtension(probation, d('2024-12-01'), 13, VOTE))?.field).toBe('input.months');
    expect(refusal(() => checkExtension(probation, d('2024-12-01'), 5, VOTE))?.field).toBe('input.months');
    expect(refusal(() => checkExtension({ ...probation, extendedMonths: 6 }, d('2024-12-01'), 6, VOTE))?.message).toContain('already');
    expect(refusal(() => checkExtension(facts(10, { 10: '2024-01-01' }), d('2024-12-01'), 6, VOTE))?.code).toBe('ILLEGAL_STATE');
    expect(refusal(() => checkExtension(probation, d('2024-12-01'), 6, { entitled: 10, present: 5, for: 5 }))?.field).toBe('input.vote');
  });

  it('cancel a probation by a vote, and end a record only before it made a member', () => {
    expect(() => checkCancellation(probation, d('2024-12-01'), VOTE)).not.toThrow();
    expect(refusal(() => checkCancellation(probation, d('2024-12-01'), { entitled: 4, present: 3, for: 2 }))?.message).toContain('2 of 4');
    expect(refusal(() => checkEnding(probation, d('2024-12-01')))?.code).toBe('ILLEGAL_STATE');
    expect(() => checkEnding(facts(7, { 7: '2024-01-01' }), d('2024-02-01'))).not.toThrow();
  });
});

describe('due steps', () => {
  it('name the rule that makes them due', () => {
    expect(nextDue(facts(1, { 1: '2024-01-31' }))).toEqual({ step: 2, dueBy: d('2024-02-29'), rule: '党组织在一个月内派人谈话' });
    expect(nextDue(facts(6, { 6: '2024-01-31' }))?.dueBy).toEqual(d('2024-07-31'));
    expect(nextDue(facts(16, { 15: '2024-01-15', 16: '2024-02-01' }))?.dueBy).toEqual(d('2024-04-15'));
    expect(nextDue(facts(20, { 20: '2024-03-01' }, { probationEndsAt: d('2025-01-15') }))).toMatchObject({
      step: 22,
      dueBy: d('2025-01-15'),
    });
    expect(nextDue(facts(3, { 3: '2024-01-01' }))).toBeNull();
    expect(nextDue(facts(1, { 1: '2024-01-01' }, { state: 'ENDED' }))).toBeNull();
  });
});

describe('workingDays', () => {
  it('counts Monday to Friday, both ends included', () => {
    expect(workingDays(d('2024-03-04'), d('2024-03-10'))).toBe(5);
    expect(workingDays(d('2024-03-09'), d('2024-03-10'))).toBe(0);
    expect(workingDays(d('2024-03-08'), d('2024-03-11'))).toBe(2);
  });
});
