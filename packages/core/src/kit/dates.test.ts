import { describe, expect, it } from 'vitest';
import { isoDate, utcToday } from './dates.ts';

describe('calendar dates', () => {
  it('utcToday drops the time of day, in UTC', () => {
    expect(utcToday(new Date('2025-06-30T23:10:00Z')).toISOString()).toBe('2025-06-30T00:00:00.000Z');
    expect(utcToday(new Date('2025-07-01T00:00:00+08:00')).toISOString()).toBe('2025-06-30T00:00:00.000Z');
  });

  it('isoDate writes a stored date as YYYY-MM-DD', () => {
    expect(isoDate(new Date('2025-06-30T00:00:00Z'))).toBe('2025-06-30');
  });
});
