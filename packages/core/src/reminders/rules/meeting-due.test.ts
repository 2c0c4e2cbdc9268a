import { describe, expect, it } from 'vitest';
import { currentPeriod, meetingDueRule, type MeetingDueData } from './meeting-due.ts';

const root = { id: 'root', path: '/root/' };
const branch = { id: 'b1', path: '/root/b1/', name: '第一支部', activeFrom: null, activeTo: null, groupIds: [], hasCommittee: false };
const run = (data: MeetingDueData, now: string, thresholds = meetingDueRule.defaults) =>
  meetingDueRule.evaluate(data, { root, now: new Date(`${now}T09:00:00Z`), thresholds });
const held = (kind: string, month: string) => ({ organizationId: 'b1', kind, month, count: 1 });

describe('core.meetingDue', () => {
  it('finds the current month and quarter', () => {
    expect(currentPeriod('QUARTERLY', new Date('2026-11-15T00:00:00Z'))).toMatchObject({ key: '2026-Q4' });
    expect(currentPeriod('MONTHLY', new Date('2026-11-15T00:00:00Z')).to.toISOString().slice(0, 10)).toBe('2026-11-30');
  });
  it('is silent with more than 21 days left in the quarter, reminds from 21 days on', () => {
    const data = { branches: [branch], counts: [held('THEME_DAY', '2026-12')] };
    expect(run(data, '2026-12-09').filter((r) => r.threshold.startsWith('GENERAL'))).toEqual([]);
    const due = run(data, '2026-12-10');
    expect(due.map((r) => r.threshold)).toEqual(['GENERAL_MEETING@2026-Q4:21d', 'PARTY_LECTURE@2026-Q4:21d']);
    expect(due[0]!.to).toEqual([{ organizationId: 'b1', role: 'SECRETARY' }]);
    expect(run(data, '2026-12-31').map((r) => r.threshold)).toContain('GENERAL_MEETING@2026-Q4:21d');
  });
  it('is silent once the meeting was held', () => {
    const data = {
      branches: [branch],
      counts: [held('GENERAL_MEETING', '2026-10'), held('PARTY_LECTURE', '2026-12'), held('THEME_DAY', '2026-12')],
    };
    expect(run(data, '2026-12-20')).toEqual([]);
  });
  it('reminds of monthly kinds by the month, at each configured threshold', () => {
    const data = { branches: [branch], counts: [held('GENERAL_MEETING', '2026-10'), held('PARTY_LECTURE', '2026-10')] };
    expect(run(data, '2026-11-22', [7])).toEqual([]);
    expect(run(data, '2026-11-23', [7, 3]).map((r) => r.threshold)).toEqual(['THEME_DAY@2026-11:7d']);
    expect(run(data, '2026-11-28', [7, 3]).map((r) => r.threshold)).toEqual(['THEME_DAY@2026-11:3d']);
  });
});
