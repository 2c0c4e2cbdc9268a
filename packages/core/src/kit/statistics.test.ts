import { describe, expect, it } from 'vitest';
import { refreshStatistics, refreshStatisticsAfter } from './statistics.ts';

describe('refreshStatistics', () => {
  it('analyzes the named tables in one statement', async () => {
    const sent: string[] = [];
    await refreshStatistics({ $executeRawUnsafe: async (q) => (sent.push(q), 0) }, ['AssessmentScorecard', 'Activity']);
    expect(sent).toEqual(['ANALYZE "AssessmentScorecard", "Activity"']);
  });

  it('refuses what is not a table name, and reports a failed ANALYZE instead of throwing it', async () => {
    const db = { $executeRawUnsafe: async () => Promise.reject(new Error('must be owner of table Activity')) };
    await expect(refreshStatistics(db, ['Activity"; DROP TABLE x; --'])).rejects.toThrow('not a table name');
    const warnings: string[] = [];
    await refreshStatistics(db, ['Activity'], (m) => warnings.push(m));
    expect(warnings).toEqual(['ANALYZE Activity failed after a bulk write: must be owner of table Activity']);
  });
});

describe('refreshStatisticsAfter', () => {
  /** A client whose tables hold `tuples` rows by the planner's estimate; records what it was sent. */
  const client = (tuples: Record<string, number>) => {
    const sent: string[] = [];
    return {
      sent,
      $executeRawUnsafe: async (q: string) => (sent.push(q), 0),
      $queryRawUnsafe: async <T>(_q: string, names: string[]) => names.map((name) => ({ name, tuples: tuples[name] ?? -1 })) as T,
    };
  };

  it('analyzes the tables the write changed by autovacuum’s rule: more than 50 rows plus a tenth of the table', async () => {
    const db = client({ Member: 100_000, DuesUnsettledRun: 400, Organization: -1 });
    await refreshStatisticsAfter(db, ['Member', 'DuesUnsettledRun', 'Organization'], 120);
    expect(db.sent).toEqual(['ANALYZE "DuesUnsettledRun", "Organization"']);
    const big = client({ Member: 100_000 });
    await refreshStatisticsAfter(big, ['Member'], 10_050);
    expect(big.sent).toEqual([]);
    await refreshStatisticsAfter(big, ['Member'], 10_051);
    expect(big.sent).toEqual(['ANALYZE "Member"']);
  });

  it('leaves small writes alone without asking the database, and reports a failed look-up instead of throwing', async () => {
    const db = client({});
    await refreshStatisticsAfter(db, ['Member'], 50);
    expect(db.sent).toEqual([]);
    const broken = { ...db, $queryRawUnsafe: async () => Promise.reject(new Error('connection lost')) };
    const warnings: string[] = [];
    await refreshStatisticsAfter(broken, ['Member'], 500, (m) => warnings.push(m));
    expect(warnings).toEqual(['reading the row estimates of Member failed after a bulk write: connection lost']);
    await expect(refreshStatisticsAfter(db, ['x"y'], 500)).rejects.toThrow('not a table name');
  });
});
