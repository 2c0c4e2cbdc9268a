import type { Database } from '@dangjian/db';
import { describe, expect, it } from 'vitest';
import { startAutoAnalyze } from './auto-analyze.ts';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A database whose check takes `ms` and records how many ran and how many at once. */
function fakeDatabase(ms: number, fail = false) {
  const seen = { runs: 0, concurrent: 0, most: 0 };
  const db = {
    analyzeChanged: async () => {
      seen.runs += 1;
      seen.concurrent += 1;
      seen.most = Math.max(seen.most, seen.concurrent);
      await wait(ms);
      seen.concurrent -= 1;
      if (fail) throw new Error('database is closing');
      return ['Member'];
    },
  } as unknown as Database;
  return { db, seen };
}

describe('startAutoAnalyze', () => {
  it('checks on the interval, one check at a time, and stop waits for the one under way', async () => {
    const { db, seen } = fakeDatabase(45);
    const running = startAutoAnalyze(db, 10, () => {});
    await wait(130);
    await running.stop();
    expect(seen.runs).toBeGreaterThanOrEqual(2);
    expect(seen.most).toBe(1);
    expect(seen.concurrent).toBe(0);
    const runs = seen.runs;
    await wait(40);
    expect(seen.runs).toBe(runs);
  });

  it('logs a failed check and keeps checking', async () => {
    const { db, seen } = fakeDatabase(1, true);
    const logged: string[] = [];
    const running = startAutoAnalyze(db, 10, (m) => logged.push(m));
    await wait(60);
    await running.stop();
    expect(seen.runs).toBeGreaterThanOrEqual(2);
    expect(logged[0]).toBe('analyzing changed tables failed: database is closing');
  });

  it('does nothing on PostgreSQL (autovacuum’s job) or with an interval of 0', async () => {
    const { db, seen } = fakeDatabase(1);
    const logged: string[] = [];
    const postgres = startAutoAnalyze({ kind: 'postgres' } as Database, 10, (m) => logged.push(m));
    const off = startAutoAnalyze(db, 0, (m) => logged.push(m));
    await wait(40);
    await postgres.stop();
    await off.stop();
    expect(seen.runs).toBe(0);
    expect(logged).toEqual([]);
  });
});
