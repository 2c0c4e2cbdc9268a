import { describe, expect, it } from 'vitest';
import { checkDeadline, checkInspectors, closedOnTime, isOverdue, nextRectificationStatus, onTimeRate } from './rectification-rules.ts';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('rectification state machine', () => {
  it('allows OPEN → SUBMITTED → REOPENED → SUBMITTED → ACCEPTED', () => {
    expect(nextRectificationStatus('OPEN', 'submit')).toBe('SUBMITTED');
    expect(nextRectificationStatus('SUBMITTED', 'reopen')).toBe('REOPENED');
    expect(nextRectificationStatus('REOPENED', 'submit')).toBe('SUBMITTED');
    expect(nextRectificationStatus('SUBMITTED', 'accept')).toBe('ACCEPTED');
  });

  it('refuses everything else with ILLEGAL_STATE naming the current state', () => {
    const refused: [Parameters<typeof nextRectificationStatus>[0], Parameters<typeof nextRectificationStatus>[1]][] = [
      ['OPEN', 'accept'],
      ['OPEN', 'reopen'],
      ['SUBMITTED', 'submit'],
      ['REOPENED', 'accept'],
      ['REOPENED', 'reopen'],
      ['ACCEPTED', 'submit'],
      ['ACCEPTED', 'accept'],
      ['ACCEPTED', 'reopen'],
    ];
    for (const [from, action] of refused) {
      expect(() => nextRectificationStatus(from, action)).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'ILLEGAL_STATE', state: from }) }),
      );
    }
  });
});

describe('overdue and on-time arithmetic (UTC calendar days)', () => {
  it('an item is overdue only once its whole deadline day has passed, and never once accepted', () => {
    const deadline = day('2025-03-31');
    expect(isOverdue({ status: 'OPEN', deadline }, new Date('2025-03-31T23:59:59Z'))).toBe(false);
    expect(isOverdue({ status: 'OPEN', deadline }, new Date('2025-04-01T00:00:00Z'))).toBe(true);
    expect(isOverdue({ status: 'SUBMITTED', deadline }, new Date('2025-04-02T00:00:00Z'))).toBe(true);
    expect(isOverdue({ status: 'ACCEPTED', deadline }, new Date('2026-01-01T00:00:00Z'))).toBe(false);
  });

  it('accepted on the deadline day is on time; the next day is not', () => {
    const deadline = day('2025-03-31');
    expect(closedOnTime({ status: 'ACCEPTED', deadline, acceptedAt: new Date('2025-03-31T18:00:00Z') })).toBe(true);
    expect(closedOnTime({ status: 'ACCEPTED', deadline, acceptedAt: new Date('2025-04-01T00:00:01Z') })).toBe(false);
    expect(closedOnTime({ status: 'SUBMITTED', deadline, acceptedAt: null })).toBe(false);
  });

  it('the on-time rate counts only items that are due, and is null while none is', () => {
    expect(onTimeRate(0, 0, 0)).toBeNull();
    expect(onTimeRate(1, 1, 1)).toBe(0.5);
    expect(onTimeRate(2, 3, 0)).toBe(0.6667);
    expect(onTimeRate(0, 0, 4)).toBe(0);
  });
});

describe('input checks name the field at fault', () => {
  const field = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as { extensions: { field: string } }).extensions.field;
    }
    return null;
  };

  it('deadlines and inspectors', () => {
    expect(field(() => checkDeadline(day('2025-01-01'), day('2025-01-02'), 'input.deadline'))).toBe('input.deadline');
    expect(field(() => checkDeadline(day('2025-01-02'), day('2025-01-02'), 'input.deadline'))).toBeNull();
    expect(checkInspectors([' 王督查', '李督查 '], 'input.inspectors')).toEqual(['王督查', '李督查']);
    expect(field(() => checkInspectors([], 'input.inspectors'))).toBe('input.inspectors');
    expect(field(() => checkInspectors(['王督查', '王督查'], 'input.inspectors'))).toBe('input.inspectors[1]');
  });
});
