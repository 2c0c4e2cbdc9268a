import { describe, expect, it } from 'vitest';
import { rectificationDueRule, type DueRectification } from './reminders.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const root = { id: 'root', path: '/root/' };
const item: DueRectification = {
  id: 'r1',
  measure: '完善会议记录',
  deadline: d('2026-12-20'),
  inspectedOrganizationId: 'b1',
  inspectedPath: '/root/c1/b1/',
  inspectedName: '第一支部',
  inspectingOrganizationId: 'c1',
};
const run = (now: string) => rectificationDueRule.evaluate([item], { root, now: new Date(`${now}T10:00:00Z`), thresholds: [7] });

describe('discipline.rectificationDue', () => {
  it('is silent more than 7 days before the deadline', () => {
    expect(run('2026-12-12')).toEqual([]);
  });
  it('reminds the inspected secretary from 7 days before through the deadline day, with one key', () => {
    expect(run('2026-12-13').map((r) => r.threshold)).toEqual(['7d@2026-12-20']);
    expect(run('2026-12-20').map((r) => r.threshold)).toEqual(['7d@2026-12-20']);
    expect(run('2026-12-13')[0]!.to).toEqual([{ organizationId: 'b1', role: 'SECRETARY' }]);
  });
  it('reports an overdue item to the secretary and the inspecting discipline role', () => {
    const [overdue] = run('2026-12-21');
    expect(overdue!.threshold).toBe('overdue@2026-12-20');
    expect(overdue!.to).toEqual([
      { organizationId: 'b1', role: 'SECRETARY' },
      { organizationId: 'c1', role: 'DISCIPLINE' },
    ]);
  });
});
