import { isoDate, utcToday } from '../../kit/dates.ts';
import type { Reminder, ReminderRule, ReminderScope } from '../rule.ts';
import { deadlineThreshold } from './threshold.ts';

/** An organization's part of a 任务清单 task not yet reported (or returned to it), as the rule reads it. */
export interface TaskDueRow {
  id: string;
  state: 'ASSIGNED' | 'RETURNED' | 'REPORTED' | 'ACCEPTED';
  task: { title: string; deadline: Date };
  organization: { id: string; path: string };
}

/**
 * 考核任务提醒 — a task of the assessment's 任务清单 assigned to an organization, not yet reported (or
 * returned for more), due within the threshold (days) or overdue. To the organization's SECRETARY and ADMIN.
 */
export const assessmentTaskDueRule: ReminderRule<TaskDueRow[]> = {
  id: 'core.assessmentTaskDue',
  description:
    '考核任务提醒 — an assigned 任务清单 task not yet reported is due within the threshold (days) or overdue; to the SECRETARY and ADMIN',
  unit: 'DAYS',
  defaults: [7],
  async load(db, { root, now, thresholds }) {
    const today = utcToday(now);
    const horizon = new Date(today.getTime() + Math.max(...thresholds) * 86_400_000);
    // One statement: open assignments of the department whose deadline has come within reach.
    return db.assessmentTaskAssignment.findMany({
      where: {
        state: { in: ['ASSIGNED', 'RETURNED'] },
        organization: { path: { startsWith: root.path } },
        task: { deadline: { lte: horizon } },
      },
      select: {
        id: true,
        state: true,
        task: { select: { title: true, deadline: true } },
        organization: { select: { id: true, path: true } },
      },
      orderBy: { id: 'asc' },
    });
  },
  evaluate(rows, scope) {
    return rows.flatMap((row) => taskReminder(row, scope) ?? []);
  },
};

function taskReminder(row: TaskDueRow, { now, thresholds }: ReminderScope): Reminder | null {
  if (row.state !== 'ASSIGNED' && row.state !== 'RETURNED') return null;
  const crossed = deadlineThreshold(utcToday(now), row.task.deadline, thresholds);
  if (!crossed) return null;
  const when = isoDate(row.task.deadline);
  return {
    subjectType: 'AssessmentTaskAssignment',
    subjectId: row.id,
    threshold: `${crossed.key}@${when}`,
    organization: row.organization,
    to: [
      { organizationId: row.organization.id, role: 'SECRETARY' },
      { organizationId: row.organization.id, role: 'ADMIN' },
    ],
    title: crossed.key === 'overdue' ? `考核任务「${row.task.title}」已逾期` : `考核任务「${row.task.title}」即将到期`,
    body:
      crossed.key === 'overdue'
        ? `任务「${row.task.title}」的完成期限是${when}，已逾期${-crossed.left}天，尚未报告完成情况。`
        : `任务「${row.task.title}」应于${when}前完成并报告，还有${crossed.left}天。`,
  };
}
