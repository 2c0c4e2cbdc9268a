import { describe, expect, it } from 'vitest';
import { probationEndingRule, type ProbationRow } from './probation-ending.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const root = { id: 'root', path: '/root/' };
const row: ProbationRow = { id: 'm1', name: '李四', joinedAt: d('2026-01-20'), organization: { id: 'b1', path: '/root/b1/' } };
const run = (now: string) => probationEndingRule.evaluate([row], { root, now: d(now), thresholds: probationEndingRule.defaults });

describe('core.probationEnding', () => {
  it('is silent more than 30 days before the year ends', () => {
    expect(run('2026-12-20')).toEqual([]);
  });
  it('reminds from 30 days before to the last day, with one key', () => {
    expect(run('2026-12-21').map((r) => r.threshold)).toEqual(['30d@2027-01-20']);
    expect(run('2027-01-20').map((r) => r.threshold)).toEqual(['30d@2027-01-20']);
    expect(run('2027-01-20')[0]!.to).toEqual([{ organizationId: 'b1', role: 'SECRETARY' }]);
  });
  it('is silent after the year has ended', () => {
    expect(run('2027-01-21')).toEqual([]);
  });
});
