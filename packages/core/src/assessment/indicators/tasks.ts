import type { Prisma, PrismaClient } from '@dangjian/db';
import type { IndicatorDefinition } from '../indicator.ts';
import { toHundredths } from '../points.ts';

/**
 * The share (percent) of each organization's assigned tasks accepted on time: reported on or before the
 * deadline and accepted by the committee (acceptance may come later — the committee's pace is not the
 * organization's fault). Tasks not yet due and not yet accepted are not yet missed and left out; an
 * organization with no task counted is not applicable (null). Weighted by each task's points when asked
 * (a 任务清单 item of a scheme), else every task counts once. One statement for all organizations.
 */
export async function acceptedOnTimeShares(
  db: PrismaClient | Prisma.TransactionClient,
  organizationIds: readonly string[],
  tasks: Prisma.AssessmentTaskWhereInput,
  today: Date,
  weighted: boolean,
): Promise<Map<string, number | null>> {
  const rows = await db.assessmentTaskAssignment.findMany({
    where: { organizationId: { in: [...organizationIds] }, task: tasks },
    select: { organizationId: true, state: true, reportedAt: true, task: { select: { deadline: true, points: true } } },
  });
  const sums = new Map<string, { met: number; all: number }>();
  for (const row of rows) {
    const dueEnd = row.task.deadline.getTime() + 86_400_000; // the deadline day counts in full
    const onTime = row.state === 'ACCEPTED' && row.reportedAt !== null && row.reportedAt.getTime() < dueEnd;
    if (!onTime && row.task.deadline.getTime() >= today.getTime()) continue; // not due yet
    const weight = weighted ? toHundredths(row.task.points) : 1;
    const sum = sums.get(row.organizationId) ?? { met: 0, all: 0 };
    sum.all += weight;
    if (onTime) sum.met += weight;
    sums.set(row.organizationId, sum);
  }
  return new Map(
    organizationIds.map((id) => {
      const sum = sums.get(id);
      return [id, sum && sum.all > 0 ? (sum.met * 100) / sum.all : null];
    }),
  );
}

/** core.tasks.acceptedOnTime — 任务清单按期完成率: tasks of the department due in the period. */
export const tasksAcceptedOnTime: IndicatorDefinition = {
  id: 'core.tasks.acceptedOnTime',
  name: '任务清单按期完成率',
  description:
    '任务清单按期完成率 — share of the tasks assigned to the organization and due in the period that it reported by the deadline and the committee accepted (percent)',
  unit: 'PERCENT',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: ['COMMITTEE', 'GENERAL_BRANCH', 'BRANCH', 'TEMPORARY_BRANCH', 'GROUP'],
  value: ({ db, organizations, period, today }) =>
    acceptedOnTimeShares(
      db,
      organizations.map((o) => o.id),
      { deadline: { gte: period.from, lte: period.to } },
      today,
      false,
    ),
  evidence: async ({ db, organization, period }) => {
    const rows = await db.assessmentTaskAssignment.findMany({
      where: { organizationId: organization.id, task: { deadline: { gte: period.from, lte: period.to } } },
      select: { id: true, state: true, reportedAt: true, task: { select: { title: true, deadline: true } } },
      orderBy: { task: { deadline: 'asc' } },
    });
    return rows.map((row) => ({
      type: 'AssessmentTaskAssignment',
      id: row.id,
      label: `${row.task.title}（截止 ${row.task.deadline.toISOString().slice(0, 10)}）`,
      date: row.reportedAt,
      // A task still open or missed is shown, but only one accepted on time counts.
      counts: row.state === 'ACCEPTED' && row.reportedAt !== null && row.reportedAt.getTime() < row.task.deadline.getTime() + 86_400_000,
    }));
  },
};
