import { isoDate, utcToday } from '../../kit/dates.ts';
import { addMonths } from '../../schema/member-rules.ts';
import type { Reminder, ReminderRule, ReminderScope } from '../rule.ts';

/** An organization with a term end, as the rule reads it. */
export interface TermRow {
  id: string;
  path: string;
  name: string;
  parentId: string | null;
  termEnd: Date;
}

/**
 * 换届提醒 — a term ending within 6, 3 or 1 months (the committee above reminds 6 months ahead), and a term
 * past its end (不按期换届). To the organization's SECRETARY and the parent's ADMINs. Only the tightest
 * threshold crossed is sent; the key carries the term end, so a renewed term is reminded afresh.
 */
export const termEndingRule: ReminderRule<TermRow[]> = {
  id: 'core.termEnding',
  description: '换届提醒 — terms ending within the thresholds (months) and overdue terms; to the SECRETARY and the parent’s ADMINs',
  unit: 'MONTHS',
  defaults: [6, 3, 1],
  async load(db, { root, now, thresholds }) {
    const horizon = addMonths(utcToday(now), Math.max(...thresholds));
    return db.organization.findMany({
      where: { path: { startsWith: root.path }, kind: { not: 'GROUP' }, termEnd: { not: null, lte: horizon } },
      select: { id: true, path: true, name: true, parentId: true, termEnd: true },
      orderBy: { code: 'asc' },
    }) as Promise<TermRow[]>;
  },
  evaluate(rows, scope) {
    return rows.flatMap((row) => termReminder(row, scope) ?? []);
  },
};

function termReminder(row: TermRow, { now, thresholds }: ReminderScope): Reminder | null {
  const today = utcToday(now);
  const end = isoDate(row.termEnd);
  const to = [
    { organizationId: row.id, role: 'SECRETARY' as const },
    ...(row.parentId ? [{ organizationId: row.parentId, role: 'ADMIN' as const }] : []),
  ];
  const base = { subjectType: 'Organization', subjectId: row.id, organization: { id: row.id, path: row.path }, to };
  if (row.termEnd.getTime() < today.getTime()) {
    return {
      ...base,
      threshold: `overdue@${end}`,
      title: `${row.name}换届已逾期`,
      body: `${row.name}本届任期已于${end}届满，尚未换届，请尽快组织换届选举。`,
    };
  }
  const months = [...thresholds].sort((a, b) => a - b).find((m) => row.termEnd.getTime() <= addMonths(today, m).getTime());
  if (months === undefined) return null;
  return {
    ...base,
    threshold: `${months}m@${end}`,
    title: `${row.name}换届提醒`,
    body: `${row.name}本届任期将于${end}届满（不足${months}个月），请按期做好换届准备。`,
  };
}
