import { describe, expect, it } from 'vitest';
import { termOverdueWithin } from './organization-rules.ts';

const d = (text: string) => new Date(`${text}T00:00:00Z`);
const from = d('2025-01-01');
const until = d('2025-12-31');

describe('termOverdueWithin', () => {
  it('finds the current term overdue when it ended before the last day measured', () => {
    expect(termOverdueWithin([{ termEnd: d('2025-06-30'), renewedOn: null }], from, until)).toBe(true);
    expect(termOverdueWithin([{ termEnd: d('2025-12-31'), renewedOn: null }], from, until)).toBe(false);
    expect(termOverdueWithin([{ termEnd: d('2027-06-30'), renewedOn: null }], from, until)).toBe(false);
  });

  it('finds a past term overdue when it was renewed after its end and the gap touches the period', () => {
    // Renewed late, within the period.
    expect(termOverdueWithin([{ termEnd: d('2025-03-31'), renewedOn: d('2025-05-10') }], from, until)).toBe(true);
    // Ended in the year before, renewed late in this one: overdue into the period.
    expect(termOverdueWithin([{ termEnd: d('2024-11-30'), renewedOn: d('2025-02-01') }], from, until)).toBe(true);
    // Renewed late, but the whole gap lay before the period.
    expect(termOverdueWithin([{ termEnd: d('2024-03-31'), renewedOn: d('2024-05-10') }], from, until)).toBe(false);
    // Ended after the period (renewed late in the next year): not overdue in this one.
    expect(termOverdueWithin([{ termEnd: d('2025-12-31'), renewedOn: d('2026-02-01') }], from, until)).toBe(false);
    // Renewed before (or on) its last day: on time.
    expect(termOverdueWithin([{ termEnd: d('2025-06-30'), renewedOn: d('2025-06-30') }], from, until)).toBe(false);
  });

  it('never finds a term without an end date overdue', () => {
    expect(termOverdueWithin([{ termEnd: null, renewedOn: null }], from, until)).toBe(false);
    expect(termOverdueWithin([], from, until)).toBe(false);
  });
});
