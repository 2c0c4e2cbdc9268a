import { daysBetween, isoDate, type Reminder, type ReminderRule, type ReminderScope, utcToday } from '@dangjian/core';

/** An unaccepted rectification item near or past its deadline, with the organizations it concerns. */
export interface DueRectification {
  id: string;
  measure: string;
  deadline: Date;
  inspectedOrganizationId: string;
  inspectedPath: string;
  inspectedName: string;
  inspectingOrganizationId: string;
}

/**
 * 整改提醒 — a rectification not yet accepted whose deadline is within 7 days (to the inspected
 * organization's SECRETARY), or has passed (also to the DISCIPLINE role of the inspecting organization).
 */
export const rectificationDueRule: ReminderRule<DueRectification[]> = {
  id: 'discipline.rectificationDue',
  description:
    '整改提醒 — an unaccepted rectification due within the threshold (days), or overdue; to the SECRETARY (and, overdue, the inspecting DISCIPLINE)',
  unit: 'DAYS',
  defaults: [7],
  async load(db, { root, now, thresholds }) {
    const horizon = new Date(utcToday(now).getTime() + Math.max(...thresholds) * 86_400_000);
    return db.$queryRaw<DueRectification[]>`
      SELECT r.id, r.measure, r.deadline,
             o.id AS "inspectedOrganizationId", o.path AS "inspectedPath", o.name AS "inspectedName",
             i."inspectingOrganizationId" AS "inspectingOrganizationId"
        FROM "DisciplineRectification" r
        JOIN "DisciplineInspectionProblem" p ON p.id = r."problemId"
        JOIN "DisciplineInspection" i ON i.id = p."inspectionId"
        JOIN "Organization" o ON o.id = i."inspectedOrganizationId"
       WHERE o.path LIKE ${`${root.path}%`}
         AND r.status::text <> 'ACCEPTED'
         AND r.deadline <= ${isoDate(horizon)}::date
       ORDER BY r.id`;
  },
  evaluate(rows, scope) {
    return rows.flatMap((row) => rectificationReminder(row, scope) ?? []);
  },
};

function rectificationReminder(row: DueRectification, { now, thresholds }: ReminderScope): Reminder | null {
  const left = daysBetween(utcToday(now), row.deadline);
  const deadline = isoDate(row.deadline);
  const base = {
    subjectType: 'Rectification',
    subjectId: row.id,
    organization: { id: row.inspectedOrganizationId, path: row.inspectedPath },
  };
  if (left < 0) {
    return {
      ...base,
      threshold: `overdue@${deadline}`,
      to: [
        { organizationId: row.inspectedOrganizationId, role: 'SECRETARY' },
        { organizationId: row.inspectingOrganizationId, role: 'DISCIPLINE' },
      ],
      title: `${row.inspectedName}整改逾期`,
      body: `整改事项“${row.measure}”已超过整改期限（${deadline}），尚未验收。`,
    };
  }
  const days = [...thresholds].sort((a, b) => a - b).find((n) => left <= n);
  if (days === undefined) return null;
  return {
    ...base,
    threshold: `${days}d@${deadline}`,
    to: [{ organizationId: row.inspectedOrganizationId, role: 'SECRETARY' }],
    title: `${row.inspectedName}整改即将到期`,
    body: `整改事项“${row.measure}”将于${deadline}到期（还有${left}天），请按期完成并提交整改材料。`,
  };
}
