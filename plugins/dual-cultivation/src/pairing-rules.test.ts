import { describe, expect, it } from 'vitest';
import { visitWindowProblem, visitWindowStart, yearBounds, yearProblem } from './pairing-rules.ts';

describe('pairing windows and years', () => {
  it('starts the visit window `days` days before today and bounds its length', () => {
    expect(visitWindowStart(new Date('2025-06-15T00:00:00Z'), 90)).toEqual(new Date('2025-03-17T00:00:00Z'));
    expect(visitWindowProblem(90)).toBeNull();
    expect(visitWindowProblem(0)).toContain('between');
    expect(visitWindowProblem(367)).toContain('between');
  });

  it('bounds a calendar year and refuses years without figures', () => {
    expect(yearBounds(2024)).toEqual({ start: new Date('2024-01-01T00:00:00Z'), end: new Date('2025-01-01T00:00:00Z') });
    const today = new Date('2025-06-15T00:00:00Z');
    expect(yearProblem(2025, today)).toBeNull();
    expect(yearProblem(2026, today)).toContain('2025');
    expect(yearProblem(1900, today)).toContain('1949');
  });
});
