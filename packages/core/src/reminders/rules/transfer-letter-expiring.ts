import { isoDate, utcToday } from '../../kit/dates.ts';
import type { Reminder, ReminderRule, ReminderScope } from '../rule.ts';
import { deadlineThreshold } from './threshold.ts';

/** A transfer letter inside the deployment still waiting to be accepted, as the rule reads it. */
export interface ExpiringLetterRow {
  id: string;
  number: string;
  memberName: string;
  issuerName: string;
  destinationName: string;
  validUntil: Date;
  issuer: { id: string; path: string } | null;
  destination: { id: string; path: string } | null;
}

/**
 * 介绍信将过期 — a transfer letter to an organization of this deployment, not yet accepted, whose validity
 * ends within the threshold (days): the member must report, and the receiver accept, before it lapses (then a
 * new letter is needed). To the issuing branch's SECRETARY, and to the receiving organization's SECRETARY —
 * each in the department it belongs to, so a letter between two departments reaches both, each from its own run.
 */
export const transferLetterExpiringRule: ReminderRule<ExpiringLetterRow[]> = {
  id: 'core.transferLetterExpiring',
  description: '介绍信将过期 — a transfer letter not yet accepted expires within the threshold (days); to both sides’ SECRETARY',
  unit: 'DAYS',
  defaults: [3],
  async load(db, { root, now, thresholds }) {
    const today = utcToday(now);
    const horizon = new Date(today.getTime() + Math.max(...thresholds) * 86_400_000);
    // One statement: open letters of this department, sent or received, lapsing within reach.
    return db.transferLetter.findMany({
      where: {
        state: 'ISSUED',
        destinationId: { not: null },
        validUntil: { gte: today, lte: horizon },
        OR: [{ issuer: { path: { startsWith: root.path } } }, { destination: { path: { startsWith: root.path } } }],
      },
      select: {
        id: true,
        number: true,
        memberName: true,
        issuerName: true,
        destinationName: true,
        validUntil: true,
        issuer: { select: { id: true, path: true } },
        destination: { select: { id: true, path: true } },
      },
      orderBy: { id: 'asc' },
    });
  },
  evaluate(rows, scope) {
    return rows.flatMap((row) => letterReminders(row, scope));
  },
};

function letterReminders(row: ExpiringLetterRow, { root, now, thresholds }: ReminderScope): Reminder[] {
  const crossed = deadlineThreshold(utcToday(now), row.validUntil, thresholds);
  if (!crossed || crossed.key === 'overdue') return [];
  const until = isoDate(row.validUntil);
  const base = { subjectType: 'TransferLetter', subjectId: row.id, threshold: `${crossed.key}@${until}` };
  const reminders: Reminder[] = [];
  if (row.issuer?.path.startsWith(root.path)) {
    reminders.push({
      ...base,
      organization: row.issuer,
      to: [{ organizationId: row.issuer.id, role: 'SECRETARY' }],
      title: `${row.memberName}的介绍信即将过期`,
      body: `${row.memberName}转往${row.destinationName}的介绍信（${row.number}）有效期至${until}，还有${crossed.left}天，接收方尚未接收；过期后需重新开具。`,
    });
  }
  if (row.destination?.path.startsWith(root.path)) {
    reminders.push({
      ...base,
      organization: row.destination,
      to: [{ organizationId: row.destination.id, role: 'SECRETARY' }],
      title: `待接收的介绍信即将过期：${row.memberName}`,
      body: `${row.issuerName}开具的${row.memberName}的介绍信（${row.number}）有效期至${until}，还有${crossed.left}天，请及时办理接收。`,
    });
  }
  return reminders;
}
