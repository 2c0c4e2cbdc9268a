import { describe, expect, it } from 'vitest';
import { refreshStatistics } from './statistics.ts';

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
