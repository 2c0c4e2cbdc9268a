import { describe, expect, it } from 'vitest';
import { STATE_SCORES, stateOnDay } from './brand-rules.ts';

const at = (text: string) => new Date(text);

describe('brand state on a day', () => {
  const history = [
    { to: 'DRAFT' as const, at: at('2026-01-10T08:00:00Z') },
    { to: 'SUBMITTED' as const, at: at('2026-02-01T09:00:00Z') },
    { to: 'APPROVED' as const, at: at('2026-03-31T23:30:00Z') },
    { to: 'CULTIVATING' as const, at: at('2026-06-01T10:00:00Z') },
  ];

  it('takes the last transition up to the end of the day', () => {
    expect(stateOnDay(history, at('2026-01-09T00:00:00Z'))).toBeNull();
    expect(stateOnDay(history, at('2026-02-01T00:00:00Z'))).toBe('SUBMITTED');
    expect(stateOnDay(history, at('2026-03-31T00:00:00Z'))).toBe('APPROVED');
    expect(stateOnDay(history, at('2026-12-31T00:00:00Z'))).toBe('CULTIVATING');
  });

  it('scores states by how far they stand on the road to a model brand', () => {
    expect([STATE_SCORES.DRAFT, STATE_SCORES.SUBMITTED, STATE_SCORES.APPROVED, STATE_SCORES.CULTIVATING, STATE_SCORES.MODEL]).toEqual([
      0, 1, 2, 3, 4,
    ]);
    expect(STATE_SCORES.REVOKED).toBe(0);
    expect(STATE_SCORES.RETURNED).toBe(0);
  });
});
