import type { DevelopmentState } from '@dangjian/db';
import { isoDate, utcToday } from '../../kit/dates.ts';
import { DUE_SELECT, dueFactsOf } from '../../schema/development-queries.ts';
import { nextDue, stepSpec } from '../../schema/development-rules.ts';
import type { Reminder, ReminderRule, ReminderScope } from '../rule.ts';
import { deadlineThreshold } from './threshold.ts';

/** An active development record, as the rule reads it (the facts the due rules need, and where it is). */
export interface DevelopmentDueRow {
  id: string;
  name: string;
  state: DevelopmentState;
  step: number;
  stepDate: Date;
  birthDate: Date;
  probationEndsAt: Date | null;
  extendedMonths: number | null;
  entries: { step: number; date: Date }[];
  organization: { id: string; path: string };
}

/**
 * 发展步骤提醒 — the next step of a development record that has a deadline (谈话 within a month, the
 * half-yearly assessment of an activist, 审批 within three months, 转正 when the probation ends: the rules
 * of `nextDue`), due within the threshold (days) or overdue. To the branch's SECRETARY.
 */
export const developmentDueRule: ReminderRule<DevelopmentDueRow[]> = {
  id: 'core.developmentStepDue',
  description:
    '发展步骤提醒 — a development record’s next step with a deadline is due within the threshold (days) or overdue; to the SECRETARY',
  unit: 'DAYS',
  defaults: [14],
  async load(db, { root }) {
    // One statement: every active record of the department with the facts of its steps.
    return db.developmentRecord.findMany({
      where: { state: 'ACTIVE', organization: { path: { startsWith: root.path } } },
      select: { ...DUE_SELECT, name: true, organization: { select: { id: true, path: true } } },
      orderBy: { id: 'asc' },
    });
  },
  evaluate(rows, scope) {
    return rows.flatMap((row) => developmentReminder(row, scope) ?? []);
  },
};

function developmentReminder(row: DevelopmentDueRow, { now, thresholds }: ReminderScope): Reminder | null {
  const due = nextDue(dueFactsOf(row));
  if (!due) return null;
  const crossed = deadlineThreshold(utcToday(now), due.dueBy, thresholds);
  if (!crossed) return null;
  const step = stepSpec(due.step).name;
  const when = isoDate(due.dueBy);
  return {
    subjectType: 'DevelopmentRecord',
    subjectId: row.id,
    // The step and its deadline are part of the key: the next step's deadline is a new reminder.
    threshold: `${crossed.key}@${due.step}@${when}`,
    organization: row.organization,
    to: [{ organizationId: row.organization.id, role: 'SECRETARY' }],
    title: crossed.key === 'overdue' ? `${row.name}的发展步骤已逾期` : `${row.name}的发展步骤即将到期`,
    body:
      crossed.key === 'overdue'
        ? `${row.name}的第${due.step}步「${step}」应于${when}前完成（${due.rule}），已逾期${-crossed.left}天。`
        : `${row.name}的第${due.step}步「${step}」应于${when}前完成（${due.rule}），还有${crossed.left}天。`,
  };
}
