import { isoDate, utcToday } from '../../kit/dates.ts';
import { daysBetween, type Reminder, type ReminderRule, type ReminderScope } from '../rule.ts';

/** An external transfer letter still awaiting its receipt, as the rule reads it. */
export interface ReceiptRow {
  id: string;
  number: string;
  memberName: string;
  destinationName: string;
  receiptDueOn: Date;
  issuer: { id: string; path: string } | null;
}

/**
 * 回执逾期 — an external transfer letter (介绍信) whose receipt (回执) is overdue by a threshold's days, so the
 * sender follows it up: until the receipt comes back the sender stays responsible. To the issuing branch's
 * SECRETARY. Letters inside the deployment have no receipt to chase: acceptance records it.
 */
export const transferReceiptOverdueRule: ReminderRule<ReceiptRow[]> = {
  id: 'core.transferReceiptOverdue',
  description: '回执逾期 — an external transfer letter’s receipt is overdue by the threshold (days); to the issuing SECRETARY',
  unit: 'DAYS',
  defaults: [30, 1],
  async load(db, { root, now }) {
    return db.transferLetter.findMany({
      where: { state: 'ISSUED', destinationId: null, issuer: { path: { startsWith: root.path } }, receiptDueOn: { lt: utcToday(now) } },
      select: {
        id: true,
        number: true,
        memberName: true,
        destinationName: true,
        receiptDueOn: true,
        issuer: { select: { id: true, path: true } },
      },
      orderBy: { id: 'asc' },
    });
  },
  evaluate(rows, scope) {
    return rows.flatMap((row) => receiptReminder(row, scope) ?? []);
  },
};

function receiptReminder(row: ReceiptRow, { now, thresholds }: ReminderScope): Reminder | null {
  if (!row.issuer) return null;
  const late = daysBetween(row.receiptDueOn, utcToday(now));
  const days = [...thresholds].sort((a, b) => b - a).find((n) => late >= n);
  if (days === undefined) return null;
  return {
    subjectType: 'TransferLetter',
    subjectId: row.id,
    threshold: `${days}d@${isoDate(row.receiptDueOn)}`,
    organization: row.issuer,
    to: [{ organizationId: row.issuer.id, role: 'SECRETARY' }],
    title: `${row.memberName}的组织关系回执逾期`,
    body: `${row.memberName}转往${row.destinationName}的介绍信（${row.number}）回执应于${isoDate(row.receiptDueOn)}前寄回，已逾期${late}天，请及时联系接收单位。`,
  };
}
