import { describe, expect, it } from 'vitest';
import { assessmentTaskDueRule, type TaskDueRow } from './assessment-task-due.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const root = { id: 'root', path: '/root/' };
const assigned: TaskDueRow = {
  id: 'a1',
  state: 'ASSIGNED',
  task: { title: '开展主题党日', deadline: d('2026-06-30') },
  organization: { id: 'b1', path: '/root/b1/' },
};
const run = (now: string, row: TaskDueRow = assigned) =>
  assessmentTaskDueRule.evaluate([row], { root, now: d(now), thresholds: assessmentTaskDueRule.defaults });

describe('core.assessmentTaskDue', () => {
  it('is silent more than 7 days before the deadline', () => {
    expect(run('2026-06-22')).toEqual([]);
  });
  it('reminds from 7 days before to the deadline, to the organization’s secretary and admins', () => {
    const [reminder] = run('2026-06-23');
    expect(reminder).toMatchObject({ subjectType: 'AssessmentTaskAssignment', subjectId: 'a1', threshold: '7d@2026-06-30' });
    expect(reminder!.to).toEqual([
      { organizationId: 'b1', role: 'SECRETARY' },
      { organizationId: 'b1', role: 'ADMIN' },
    ]);
    expect(run('2026-06-30').map((r) => r.threshold)).toEqual(['7d@2026-06-30']);
  });
  it('reminds when overdue, also after the task was returned', () => {
    expect(run('2026-07-01').map((r) => r.threshold)).toEqual(['overdue@2026-06-30']);
    expect(run('2026-07-01', { ...assigned, state: 'RETURNED' }).map((r) => r.threshold)).toEqual(['overdue@2026-06-30']);
  });
  it('says nothing once reported or accepted', () => {
    expect(run('2026-07-01', { ...assigned, state: 'REPORTED' })).toEqual([]);
    expect(run('2026-07-01', { ...assigned, state: 'ACCEPTED' })).toEqual([]);
  });
});
